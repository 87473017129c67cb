/* A capture file or pipe read ahead by a thread of its own; private to
 * capture.c.
 *
 * Reading (libpcap's or our pcapng reader, through stdio and the kernel's
 * copies) is a third of what a batch run spends per packet. A second
 * thread reads while the caller decodes, analyses and prints; the caller
 * pays only for the frames it takes. Frames travel in large blocks, so the
 * two threads meet once per block, not per frame. A pipe's writer may
 * pause: the source then hands over the frames it has (tl_fq_idle) and the
 * caller waits a bounded time. */
#ifndef TL_CAPTURE_FRAME_QUEUE_H
#define TL_CAPTURE_FRAME_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "tl_capture.h"

/* A frame as read, with what capture.c needs besides the frame itself. */
struct tl_fq_frame {
	struct tl_frame frame;
	uint32_t ifindex;       /* pcapng: the interface, over all sections */
	int64_t sec, frac;      /* the record's own time fields, for -w */
};

/* Called on the queue's thread for each frame, in order: TL_NEXT_FRAME
 * with *f (its data valid until the next call), TL_NEXT_END, or
 * TL_NEXT_ERROR with a message in err. Never TL_NEXT_TIMEOUT. */
typedef enum tl_next (*tl_fq_source)(void *ctx, struct tl_fq_frame *f,
                                     char *err, size_t errsize);
/* Called by tl_fq_stop() once the thread was told to stop: ends a read
 * the source may be waiting in (a pipe's). May be NULL. */
typedef void (*tl_fq_wake)(void *ctx);

struct tl_fqueue;

/* Starts the thread (every signal blocked in it); NULL if none can be
 * made: the caller then reads in place. */
struct tl_fqueue *tl_fq_start(tl_fq_source source, tl_fq_wake wake,
                              void *ctx);
/* The next frame, valid until the next call. Waits for the thread at most
 * wait_ms (forever if negative): TL_NEXT_TIMEOUT when nothing came.
 * TL_NEXT_END or TL_NEXT_ERROR (tl_fq_error) once every frame before it
 * was taken. */
enum tl_next tl_fq_next(struct tl_fqueue *q, const struct tl_fq_frame **f,
                        int wait_ms);
const char *tl_fq_error(const struct tl_fqueue *q);
/* From the source when its next read would wait: on a queue's thread, the
 * frames read so far are handed over now; elsewhere (a read in place, the
 * first bytes read when opening) nothing happens. */
void tl_fq_idle_here(void);
/* Ends the thread (what it read and did not hand over is let go) and
 * frees the queue. */
void tl_fq_stop(struct tl_fqueue *q);

#endif

/* A capture file read ahead by a thread of its own; private to capture.c.
 *
 * Reading a file (libpcap's or our pcapng reader, through stdio and the
 * kernel's copies) is a third of what a batch run spends per packet. A
 * second thread reads while the caller decodes, analyses and prints: the
 * caller then pays only for copying the frames it takes. Frames travel in
 * large blocks, so the two threads meet once per block, not per frame. */
#ifndef TL_CAPTURE_FRAME_QUEUE_H
#define TL_CAPTURE_FRAME_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "tl_capture.h"

/* Called on the queue's thread for each frame, in order: TL_NEXT_FRAME
 * with *frame (its data valid until the next call), TL_NEXT_END, or
 * TL_NEXT_ERROR with a message in err. Never TL_NEXT_TIMEOUT. */
typedef enum tl_next (*tl_fq_source)(void *ctx, struct tl_frame *frame,
                                     uint32_t *ifindex, char *err,
                                     size_t errsize);

struct tl_fqueue;

/* Starts the thread (every signal blocked in it); NULL if none can be
 * made: the caller then reads in place. */
struct tl_fqueue *tl_fq_start(tl_fq_source source, void *ctx);
/* The next frame, valid until the next call; waits for the thread when it
 * has not read that far. TL_NEXT_END or TL_NEXT_ERROR (tl_fq_error) once
 * every frame before it was taken. */
enum tl_next tl_fq_next(struct tl_fqueue *q, struct tl_frame *frame,
                        uint32_t *ifindex);
const char *tl_fq_error(const struct tl_fqueue *q);
/* Ends the thread (a block it is filling is let go) and frees the queue. */
void tl_fq_stop(struct tl_fqueue *q);

#endif

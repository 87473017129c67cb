/* The raw bytes of the most recent frames, kept while a capture that cannot
 * be read again (live, a pipe) runs, so the details can still show every
 * header and the payload of a recent frame. Bounded in bytes: the index and
 * the data together never take more than the budget; the oldest frames go
 * first. No curses here. */
#ifndef TL_RING_H
#define TL_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_capture.h"

/* What one index entry costs, for the budget's arithmetic. */
#define TL_RING_ENTRY_BYTES 32u

struct tl_ring_entry {
	uint32_t frame;
	uint32_t off;           /* in data */
	uint32_t kept;          /* bytes stored (<= caplen) */
	uint32_t caplen, len;   /* as captured, as on the wire */
	int32_t dlt;
	tl_nsec ts;
};

struct tl_ring {
	uint8_t *data;
	uint32_t data_cap;      /* bytes */
	uint32_t keep;          /* bytes kept of one frame at most */
	uint32_t head;          /* where the next frame's bytes go */
	struct tl_ring_entry *e;        /* circular, oldest at first */
	uint32_t e_cap, first, count;
	uint64_t dropped;       /* frames let go since the start */
};

/* The ring's share of --max-memory: a thirty-second, between 256 KiB and
 * 64 MiB (64 MiB with no bound); a frame keeps at most a sixty-fourth of
 * it (at least 2 KiB). The man page says the same. */
uint64_t tl_ring_budget(uint64_t max_memory);
uint32_t tl_ring_keep(uint64_t budget, uint32_t snaplen);

/* budget: bytes for data and index together (at least 4 KiB is used);
 * keep: the most bytes stored of one frame (larger frames are cut). */
void tl_ring_init(struct tl_ring *r, uint64_t budget, uint32_t keep);
void tl_ring_free(struct tl_ring *r);
/* Frame numbers must grow; a smaller or equal one is ignored. */
void tl_ring_put(struct tl_ring *r, uint32_t frame, const struct tl_frame *f);
/* Fills f (its caplen: the bytes kept) for frame, if still kept; *cut is
 * true when the frame had more bytes than were kept. */
bool tl_ring_get(const struct tl_ring *r, uint32_t frame,
                 struct tl_frame *f, bool *cut);
/* The oldest frame kept (0: none). */
uint32_t tl_ring_oldest(const struct tl_ring *r);

#endif

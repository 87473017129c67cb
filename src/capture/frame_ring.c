/* The ring of recent frames (tl_ring.h). Frames are laid end to end in one
 * byte array; one that does not fit before the end starts again at offset
 * 0, the end left unused. The index is a circular array in frame order, so
 * the oldest entry is always the next one in the way of the writer: freeing
 * room is letting the oldest entries go until the new bytes overlap none. */
#include "config.h"

#include "tl_ring.h"

#include <stdlib.h>
#include <string.h>

#include "tl_util.h"

#define MIN_BUDGET 4096u

uint64_t tl_ring_budget(uint64_t max_memory)
{
	const uint64_t lo = 256u << 10, hi = 64u << 20;
	if (!max_memory)
		return hi;
	uint64_t b = max_memory / 32;
	return b < lo ? lo : b > hi ? hi : b;
}

uint32_t tl_ring_keep(uint64_t budget, uint32_t snaplen)
{
	uint64_t k = budget / 64;
	if (k < 2048)
		k = 2048;
	if (snaplen && k > snaplen)
		k = snaplen;
	return (uint32_t)k;
}

void tl_ring_init(struct tl_ring *r, uint64_t budget, uint32_t keep)
{
	memset(r, 0, sizeof *r);
	if (budget < MIN_BUDGET)
		budget = MIN_BUDGET;
	if (budget > UINT32_MAX / 2)
		budget = UINT32_MAX / 2;
	/* A fifth for the index: room for frames of 128 bytes on average;
	 * smaller ones are bounded by the entries instead. */
	uint64_t index = budget / 5;
	r->e_cap = (uint32_t)(index / TL_RING_ENTRY_BYTES);
	if (r->e_cap < 16)
		r->e_cap = 16;
	r->data_cap = (uint32_t)(budget - (uint64_t)r->e_cap *
	                         TL_RING_ENTRY_BYTES);
	r->keep = keep ? keep : 1;
	if (r->keep > r->data_cap)
		r->keep = r->data_cap;
	r->data = tl_xmalloc(r->data_cap);
	r->e = tl_xmalloc((size_t)r->e_cap * sizeof *r->e);
}

void tl_ring_free(struct tl_ring *r)
{
	free(r->data);
	free(r->e);
	memset(r, 0, sizeof *r);
}

static struct tl_ring_entry *at(const struct tl_ring *r, uint32_t i)
{
	return &r->e[(r->first + i) % r->e_cap];
}

static void drop_oldest(struct tl_ring *r)
{
	r->first = (r->first + 1) % r->e_cap;
	r->count--;
	r->dropped++;
}

/* Does the oldest entry hold bytes in [pos, pos + n)? An entry of no bytes
 * counts as one byte at its offset, so it goes in its turn. */
static bool oldest_in_way(const struct tl_ring *r, uint32_t pos, uint32_t n)
{
	const struct tl_ring_entry *o = at(r, 0);
	uint32_t end = o->off + (o->kept ? o->kept : 1);
	return o->off < pos + n && pos < end;
}

void tl_ring_put(struct tl_ring *r, uint32_t frame, const struct tl_frame *f)
{
	if (!r->data)
		return;
	if (r->count && frame <= at(r, r->count - 1)->frame)
		return;
	uint32_t n = f->caplen < r->keep ? f->caplen : r->keep;
	uint32_t pos = r->head;
	if ((uint64_t)pos + n > r->data_cap) {
		/* Start again at 0: what lies beyond the writer is older
		 * than what lies before it, and goes first. */
		while (r->count && at(r, 0)->off >= pos)
			drop_oldest(r);
		pos = 0;
	}
	while (r->count && oldest_in_way(r, pos, n))
		drop_oldest(r);
	if (r->count == r->e_cap)
		drop_oldest(r);
	struct tl_ring_entry *e = at(r, r->count);
	e->frame = frame;
	e->off = pos;
	e->kept = n;
	e->caplen = f->caplen;
	e->len = f->len;
	e->dlt = f->dlt;
	e->ts = f->ts;
	if (n)
		memcpy(r->data + pos, f->data, n);
	r->count++;
	r->head = pos + n;
}

bool tl_ring_get(const struct tl_ring *r, uint32_t frame,
                 struct tl_frame *f, bool *cut)
{
	uint32_t lo = 0, hi = r->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (at(r, mid)->frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= r->count || at(r, lo)->frame != frame)
		return false;
	const struct tl_ring_entry *e = at(r, lo);
	f->data = r->data + e->off;
	f->caplen = e->kept;
	f->len = e->len;
	f->ts = e->ts;
	f->dlt = e->dlt;
	if (cut)
		*cut = e->kept < e->caplen;
	return true;
}

uint32_t tl_ring_oldest(const struct tl_ring *r)
{
	return r->count ? at(r, 0)->frame : 0;
}

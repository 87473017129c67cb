/* IPv4 and IPv6 fragment reassembly, as tshark does it by default: the
 * datagram is whole when its last piece has come and every byte before it;
 * the frame that completes it carries the segment. Memory is bounded:
 * past TL_REASM_MAX_DATAGRAMS datagrams or TL_REASM_MAX_BYTES bytes held,
 * the oldest incomplete one is given up (its fragments are counted).
 * tshark holds everything, so the bound is set far above what a capture
 * keeps unfinished at once, and datagrams are found by hash: a capture
 * with thousands in flight must not cost a scan per fragment.
 * CAPWAP's own fragments are joined the same way (in a table of their
 * own): they describe themselves as IP fragments do, with no header to
 * keep (hdr_len 0), and the whole is their payloads end to end. */
#include "config.h"

#include "tl_reasm.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PAYLOAD 65535u      /* an IPv4 total length, an IPv6 payload */
#define IPV6_HEADER 40
#define BUCKETS 16384u          /* a power of two */
#define GONE 65536u             /* datagrams given up, remembered */

struct datagram {
	struct datagram *older, *newer; /* the age list */
	struct datagram *chain;         /* the next in its hash bucket */
	uint8_t version, proto;
	uint8_t src[16], dst[16];
	uint32_t id;
	uint32_t hash;
	uint8_t *buf;                   /* the header, then the payload */
	uint32_t hdr_len;               /* of the first piece */
	bool have_first;
	uint32_t payload_cap;
	uint32_t total;                 /* payload length, once known */
	bool have_total;
	/* Which piece each payload byte came from: its offset / 8 + 1 (0:
	 * none yet). Where pieces overlap, tshark keeps the bytes of the one
	 * that starts first (of those starting at the same place, the one
	 * that came first). */
	uint16_t *owner;
	uint32_t covered;               /* bytes with an owner */
	uint32_t max_end;               /* of any piece */
	uint32_t pieces;
};

struct tl_reasm {
	struct datagram *oldest, *newest;
	struct datagram *bucket[BUCKETS];
	/* Datagrams given up at the bound, by hash (0: none), so their
	 * later pieces are counted with them instead of each taking a
	 * place and pushing out the next datagram still wanted (with more
	 * in flight than the bound, none would ever complete). Made at the
	 * first eviction. */
	uint32_t *gone;
	uint32_t count;
	uint64_t bytes;
	struct tl_reasm_counts n;
	uint8_t *out;                   /* the last whole datagram */
};

struct tl_reasm *tl_reasm_new(void)
{
	return tl_xcalloc(1, sizeof(struct tl_reasm));
}

static void drop(struct tl_reasm *r, struct datagram *d)
{
	if (d->older)
		d->older->newer = d->newer;
	else
		r->oldest = d->newer;
	if (d->newer)
		d->newer->older = d->older;
	else
		r->newest = d->older;
	struct datagram **at = &r->bucket[d->hash % BUCKETS];
	while (*at != d)
		at = &(*at)->chain;
	*at = d->chain;
	r->count--;
	r->bytes -= 3ull * d->payload_cap + IPV6_HEADER + 60 + sizeof *d;
	r->n.held -= d->pieces;
	free(d->buf);
	free(d->owner);
	free(d);
}

void tl_reasm_free(struct tl_reasm *r)
{
	if (!r)
		return;
	while (r->oldest)
		drop(r, r->oldest);
	free(r->out);
	free(r->gone);
	free(r);
}

struct tl_reasm_counts tl_reasm_counts(const struct tl_reasm *r)
{
	struct tl_reasm_counts none = { 0 };
	return r ? r->n : none;
}

uint64_t tl_reasm_unfinished(const struct tl_reasm *r)
{
	if (!r)
		return 0;
	return r->n.held + r->n.damaged + r->n.cut + r->n.evicted;
}

/* FNV-1a over what names a datagram. */
static uint32_t key_hash(const struct tl_packet *p)
{
	uint32_t h = 2166136261u;
	uint8_t k[40];
	memcpy(k, p->src, 16);
	memcpy(k + 16, p->dst, 16);
	k[32] = (uint8_t)(p->frag.id >> 24);
	k[33] = (uint8_t)(p->frag.id >> 16);
	k[34] = (uint8_t)(p->frag.id >> 8);
	k[35] = (uint8_t)p->frag.id;
	k[36] = p->frag.proto;
	k[37] = p->ip_version;
	for (unsigned i = 0; i < 38; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static struct datagram *find(struct tl_reasm *r, const struct tl_packet *p,
                             uint32_t hash)
{
	for (struct datagram *d = r->bucket[hash % BUCKETS]; d; d = d->chain)
		if (d->id == p->frag.id && d->proto == p->frag.proto &&
		    d->version == p->ip_version &&
		    !memcmp(d->src, p->src, 16) && !memcmp(d->dst, p->dst, 16))
			return d;
	return NULL;
}

static struct datagram *make(struct tl_reasm *r, const struct tl_packet *p,
                             uint32_t hash)
{
	/* Bounded: the oldest unfinished datagram makes room. */
	while (r->oldest && (r->count >= TL_REASM_MAX_DATAGRAMS ||
	                     r->bytes > TL_REASM_MAX_BYTES)) {
		r->n.evicted += r->oldest->pieces;
		if (!r->gone)
			r->gone = tl_xcalloc(GONE, sizeof *r->gone);
		r->gone[r->oldest->hash % GONE] = r->oldest->hash | 1;
		drop(r, r->oldest);
	}
	struct datagram *d = tl_xcalloc(1, sizeof *d);
	d->buf = tl_xcalloc(1, IPV6_HEADER + 60);
	d->version = p->ip_version;
	d->proto = p->frag.proto;
	d->id = p->frag.id;
	d->hash = hash;
	memcpy(d->src, p->src, 16);
	memcpy(d->dst, p->dst, 16);
	d->older = r->newest;
	if (r->newest)
		r->newest->newer = d;
	else
		r->oldest = d;
	r->newest = d;
	d->chain = r->bucket[hash % BUCKETS];
	r->bucket[hash % BUCKETS] = d;
	r->count++;
	r->bytes += sizeof *d + IPV6_HEADER + 60;
	return d;
}

/* Whole when every byte up to the end the last piece gave is there (and
 * so the first piece), as tshark checks it. */
static bool all_there(const struct datagram *d)
{
	if (!d->have_total || !d->have_first)
		return false;
	if (d->max_end <= d->total)
		return d->covered == d->total;
	for (uint32_t i = 0; i < d->total; i++)    /* pieces past the end */
		if (!d->owner[i])
			return false;
	return true;
}

/* Builds the whole datagram: the first piece's header with the lengths of
 * the whole and no fragment fields, then the payload. */
static void finish(struct tl_reasm *r, struct datagram *d,
                   const uint8_t **out, uint32_t *out_len)
{
	uint32_t len = d->hdr_len + d->total;
	free(r->out);
	r->out = tl_xmalloc(len ? len : 1);
	memcpy(r->out, d->buf, d->hdr_len);
	memcpy(r->out + d->hdr_len, d->buf + IPV6_HEADER + 60, d->total);
	if (!d->hdr_len) {
		/* a tunnel's payload: nothing to rewrite */
	} else if (d->version == 4) {
		/* Past 65535 bytes with its header the length cannot say it
		 * (tshark reads such a datagram whole): 0, as TSO leaves it,
		 * which the decoder takes for "the rest of the data". */
		uint32_t field = len > 0xffff ? 0 : len;
		r->out[2] = (uint8_t)(field >> 8);
		r->out[3] = (uint8_t)field;
		r->out[6] = r->out[7] = 0;
	} else {
		r->out[4] = (uint8_t)(d->total >> 8);
		r->out[5] = (uint8_t)d->total;
		r->out[6] = d->proto;   /* the fragment header is gone */
	}
	*out = r->out;
	*out_len = len;
}

bool tl_reasm_add(struct tl_reasm *r, const struct tl_packet *p,
                  const uint8_t *frame, const uint8_t **out,
                  uint32_t *out_len)
{
	const uint32_t off = p->frag.offset, wire = p->frag.data_wire;
	/* A piece that would end past the largest datagram is damage: its
	 * datagram can never be whole. */
	if (off > MAX_PAYLOAD || wire > MAX_PAYLOAD - off) {
		r->n.damaged++;
		return false;
	}
	/* tshark adds only a piece it has whole: one the snap length cut
	 * is left out, and its datagram never completes. */
	if (p->frag.data_len < wire) {
		r->n.cut++;
		return false;
	}
	uint32_t hash = key_hash(p);
	struct datagram *d = find(r, p, hash);
	if (!d && r->gone && r->gone[hash % GONE] == (hash | 1)) {
		/* A later piece of one given up; a first piece starts a
		 * datagram again (an IPv4 id comes back after 65536). */
		if (off != 0) {
			r->n.evicted++;
			return false;
		}
		r->gone[hash % GONE] = 0;
	}
	if (!d)
		d = make(r, p, hash);
	/* The payload lives at buf + 100 (room for any IPv4 header or the
	 * IPv6 fixed one before it). */
	uint32_t need = off + wire;
	if (need > d->payload_cap) {
		uint32_t cap = d->payload_cap ? d->payload_cap : 512;
		while (cap < need)
			cap *= 2;
		if (cap > MAX_PAYLOAD)
			cap = MAX_PAYLOAD;
		d->buf = tl_xrealloc(d->buf, IPV6_HEADER + 60 + cap, 1);
		memset(d->buf + IPV6_HEADER + 60 + d->payload_cap, 0,
		       cap - d->payload_cap);
		d->owner = tl_xrealloc(d->owner, cap, sizeof *d->owner);
		memset(d->owner + d->payload_cap, 0,
		       (cap - d->payload_cap) * sizeof *d->owner);
		r->bytes += 3ull * (cap - d->payload_cap);
		d->payload_cap = cap;
	}
	uint8_t *data = d->buf + IPV6_HEADER + 60;
	const uint8_t *src = frame + p->frag.data_off;
	const uint16_t rank = (uint16_t)(off / 8 + 1);  /* off <= 65535 */
	for (uint32_t i = 0; i < wire; i++) {
		uint16_t *o = &d->owner[off + i];
		if (*o && *o <= rank)
			continue;       /* an earlier-starting piece's byte */
		if (!*o)
			d->covered++;
		*o = rank;
		data[off + i] = src[i];
	}
	if (need > d->max_end)
		d->max_end = need;
	if (off == 0 && !d->have_first) {
		d->have_first = true;
		d->hdr_len = p->frag.hdr_len;
		memcpy(d->buf, frame + p->frag.hdr_off, d->hdr_len);
	}
	if (!p->frag.more) {
		d->total = need;
		d->have_total = true;
	}
	d->pieces++;
	r->n.held++;
	if (!all_there(d))
		return false;
	finish(r, d, out, out_len);
	drop(r, d);
	return true;
}

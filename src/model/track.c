/* Connection table and Wireshark 4.0's TCP sequence analysis.
 *
 * The rules, their order and their quirks are those of
 * shared/docs/tcp-analysis.md §2-§6; step numbers below refer to §3 there.
 * All sequence comparisons are serial-number arithmetic modulo 2^32. */
#include "config.h"

#include "tl_track.h"

#include <stdlib.h>
#include <string.h>

#define MAX_UNACKED 10000u
#define FAST_RETRANSMISSION_WINDOW_NS INT64_C(20000000)
#define DEFAULT_OOO_THRESHOLD_NS INT64_C(3000000)
#define MAX_WINDOW_SHIFT 14
#define INITIAL_BUCKETS 1024u
/* 4.0 stores -1 in the unsigned dup-ACK counter to report an ACKed unseen
 * segment once per hole; unsigned, it also passes the ">= 2" test. */
#define DUPACK_PARKED UINT32_MAX

#define GT_SEQ(a, b) ((int32_t)((a) - (b)) > 0)
#define LT_SEQ(a, b) ((int32_t)((a) - (b)) < 0)
#define LE_SEQ(a, b) ((int32_t)((a) - (b)) <= 0)

static const char *const analysis_names[TL_AN_WIRESHARK_COUNT] = {
	"ack_lost_segment", "duplicate_ack", "fast_retransmission",
	"keep_alive", "keep_alive_ack", "lost_segment", "out_of_order",
	"retransmission", "reused_ports", "spurious_retransmission",
	"window_full", "window_update", "zero_window", "zero_window_probe",
	"zero_window_probe_ack",
};

const char *tl_analysis_name(unsigned bit_index)
{
	return bit_index < TL_AN_WIRESHARK_COUNT ? analysis_names[bit_index]
	                                         : "window_change";
}

const char *tl_conn_state_name(enum tl_conn_state state)
{
	switch (state) {
	case TL_STATE_HANDSHAKE: return "handshake";
	case TL_STATE_ESTABLISHED: return "established";
	case TL_STATE_CLOSING: return "closing";
	case TL_STATE_CLOSED: return "closed";
	case TL_STATE_RESET: return "reset";
	}
	return "?";
}

/* ---- connection table ------------------------------------------------ */

static uint32_t addr_len(unsigned ip_version)
{
	return ip_version == 6 ? 16 : 4;
}

/* A full-avalanche finaliser: addresses and ports of real traffic differ
 * in few bits, and weak mixing makes long chains. */
static uint32_t fmix(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	return h ^ (h >> 16);
}

static uint32_t endpoint_hash(uint32_t h, const uint8_t *addr, uint32_t len,
                              uint16_t port)
{
	for (uint32_t i = 0; i < len; i += 4)
		h = fmix(h ^ tl_get_be32(addr + i));
	return fmix(h ^ port);
}

/* Symmetric in the two endpoints, so both directions find one entry. */
static uint32_t tuple_hash(const struct tl_tracker *tr,
                           const struct tl_packet *p)
{
	uint32_t n = addr_len(p->ip_version);
	uint32_t seed = tr->hash_seed ^ p->ip_version;
	uint32_t a = endpoint_hash(seed, p->src, n, p->sport);
	uint32_t b = endpoint_hash(seed, p->dst, n, p->dport);
	return fmix((a ^ b) + 0x9e3779b9u * (a + b));
}

static bool endpoint_is(const struct tl_conn *c, int e, const uint8_t *addr,
                        uint16_t port)
{
	/* Two constant-size compares: the compiler does each in registers,
	 * where a length known only at run time costs a library call. */
	if (c->port[e] != port)
		return false;
	return c->ip_version == 6 ? memcmp(c->addr[e], addr, 16) == 0
	                          : memcmp(c->addr[e], addr, 4) == 0;
}

/* Returns the sender's endpoint index, or -1 if the packet is not c's. */
static int conn_match(const struct tl_conn *c, const struct tl_packet *p)
{
	if (c->ip_version != p->ip_version)
		return -1;
	if (endpoint_is(c, 0, p->src, p->sport) &&
	    endpoint_is(c, 1, p->dst, p->dport))
		return 0;
	if (endpoint_is(c, 1, p->src, p->sport) &&
	    endpoint_is(c, 0, p->dst, p->dport))
		return 1;
	return -1;
}

static void grow_buckets(struct tl_tracker *tr)
{
	uint32_t n = (tr->bucket_mask + 1) * 2;
	struct tl_conn **nb = tl_xcalloc(n, sizeof *nb);
	for (uint32_t i = 0; i <= tr->bucket_mask; i++) {
		struct tl_conn *c = tr->buckets[i], *next;
		for (; c; c = next) {
			next = c->hash_next;
			struct tl_packet key = { .ip_version = c->ip_version,
			                         .sport = c->port[0],
			                         .dport = c->port[1] };
			memcpy(key.src, c->addr[0], 16);
			memcpy(key.dst, c->addr[1], 16);
			uint32_t h = tuple_hash(tr, &key) & (n - 1);
			c->hash_next = nb[h];
			nb[h] = c;
		}
	}
	free(tr->buckets);
	tr->buckets = nb;
	tr->bucket_mask = n - 1;
}

void tl_tracker_init(struct tl_tracker *tr)
{
	memset(tr, 0, sizeof *tr);
	tr->bucket_mask = INITIAL_BUCKETS - 1;
	tr->buckets = tl_xcalloc(INITIAL_BUCKETS, sizeof *tr->buckets);
	tr->hash_seed = 0x5bd1e995u;
}

static void free_conn(struct tl_tracker *tr, struct tl_conn *c)
{
	tr->unacked_bytes -= (uint64_t)(c->dir[0].unacked_cap +
	                                c->dir[1].unacked_cap) *
	                     sizeof(struct tl_unacked);
	free(c->dir[0].unacked);
	free(c->dir[1].unacked);
	free(c);
}

void tl_tracker_free(struct tl_tracker *tr)
{
	for (uint32_t i = 0; i < tr->stream_count; i++)
		if (tr->streams[i])
			free_conn(tr, tr->streams[i]);
	free(tr->streams);
	free(tr->buckets);
	memset(tr, 0, sizeof *tr);
}

void tl_tracker_set_max_live(struct tl_tracker *tr, uint32_t max_live)
{
	tr->max_live = max_live;
}

/* ---- recency list, for eviction --------------------------------------- */

static void lru_unlink(struct tl_tracker *tr, struct tl_conn *c)
{
	if (c->lru_newer)
		c->lru_newer->lru_older = c->lru_older;
	else if (tr->lru_newest == c)
		tr->lru_newest = c->lru_older;
	if (c->lru_older)
		c->lru_older->lru_newer = c->lru_newer;
	else if (tr->lru_oldest == c)
		tr->lru_oldest = c->lru_newer;
	c->lru_newer = c->lru_older = NULL;
}

static void lru_touch(struct tl_tracker *tr, struct tl_conn *c)
{
	if (tr->lru_newest == c)
		return;
	lru_unlink(tr, c);
	c->lru_older = tr->lru_newest;
	if (tr->lru_newest)
		tr->lru_newest->lru_newer = c;
	tr->lru_newest = c;
	if (!tr->lru_oldest)
		tr->lru_oldest = c;
}

static void init_dir(struct tl_dir *d)
{
	d->win_scale = -1;
	d->window = 0xFFFFFFFFu;
}

static struct tl_conn *new_conn(struct tl_tracker *tr,
                                const struct tl_packet *p, uint32_t hash,
                                uint32_t frame, tl_nsec ts)
{
	struct tl_conn *c = tl_xcalloc(1, sizeof *c);
	c->stream = tr->stream_count;
	c->ip_version = p->ip_version;
	memcpy(c->addr[0], p->src, 16);
	memcpy(c->addr[1], p->dst, 16);
	c->port[0] = p->sport;
	c->port[1] = p->dport;
	init_dir(&c->dir[0]);
	init_dir(&c->dir[1]);
	c->state = (p->flags & TL_TH_SYN) ? TL_STATE_HANDSHAKE
	                                  : TL_STATE_ESTABLISHED;
	c->first_time = c->last_time = c->delta_from = ts;
	c->first_frame = c->last_frame = frame;
	tr->streams = tl_xgrow(tr->streams, &tr->stream_cap,
	                       (uint64_t)tr->stream_count + 1, 256,
	                       sizeof *tr->streams);
	tr->streams[tr->stream_count++] = c;
	c->hash_next = tr->buckets[hash];
	tr->buckets[hash] = c;
	c->in_hash = true;
	tr->tracked++;
	if (++tr->live_conns > tr->bucket_mask + 1)
		grow_buckets(tr);
	return c;
}

static void unlink_conn(struct tl_tracker *tr, struct tl_conn *c,
                        uint32_t hash)
{
	for (struct tl_conn **pp = &tr->buckets[hash]; *pp;
	     pp = &(*pp)->hash_next) {
		if (*pp == c) {
			*pp = c->hash_next;
			c->hash_next = NULL;
			c->in_hash = false;
			tr->live_conns--;
			return;
		}
	}
}

static void forget_conn(struct tl_tracker *tr, struct tl_conn *c)
{
	if (c->in_hash) {
		struct tl_packet key = { .ip_version = c->ip_version,
		                         .sport = c->port[0],
		                         .dport = c->port[1] };
		memcpy(key.src, c->addr[0], 16);
		memcpy(key.dst, c->addr[1], 16);
		unlink_conn(tr, c, tuple_hash(tr, &key) & tr->bucket_mask);
	}
	lru_unlink(tr, c);
	tr->tracked--;
	tr->streams[c->stream] = NULL;
	free_conn(tr, c);
}

/* Forgets the connection idle longest; its stream index stays taken. */
static void evict_oldest(struct tl_tracker *tr, const struct tl_conn *keep)
{
	struct tl_conn *c = tr->lru_oldest;
	if (!c || c == keep)
		return;
	tr->evicted++;
	tr->dropped[tr->dropped_count++] = c->stream;
	forget_conn(tr, c);
}

void tl_tracker_forget(struct tl_tracker *tr, uint32_t stream)
{
	struct tl_conn *c = tl_tracker_stream(tr, stream);
	if (c)
		forget_conn(tr, c);
}

/* ---- unacked segment list -------------------------------------------- */

struct seg_ctx {
	uint32_t seq, ack, seglen, window;
	unsigned flags;
	uint32_t frame;
	tl_nsec now;
	tl_nsec irtt;
	uint64_t *unacked_bytes;        /* the tracker's count */
};

static void unacked_push(struct tl_dir *d, const struct seg_ctx *s,
                         uint32_t end)
{
	if (d->unacked_len == d->unacked_cap) {
		uint32_t more = d->unacked_cap ? d->unacked_cap : 2;
		*s->unacked_bytes += more * sizeof *d->unacked;
		d->unacked_cap += more;
		d->unacked = tl_xrealloc(d->unacked, d->unacked_cap,
		                         sizeof *d->unacked);
	}
	if (!d->unacked_len || LT_SEQ(s->seq, d->unacked_low))
		d->unacked_low = s->seq;
	d->unacked[d->unacked_len++] = (struct tl_unacked){
		.seq = s->seq, .nextseq = end, .frame = s->frame,
		.time = s->now };
}

/* Step 16. Wireshark walks newest to oldest and the last match wins, so the
 * oldest segment that ends exactly at ack is the one credited. */
static void match_ack(struct tl_dir *rev, uint32_t ack, tl_nsec now,
                      struct tl_seg_info *out)
{
	/* Every entry ends past its start, so an ACK at or below the lowest
	 * start neither matches, trims nor removes anything: the common case
	 * of the data sender's own ACKs. */
	if (!rev->unacked_len || !GT_SEQ(ack, rev->unacked_low))
		return;
	uint32_t kept = 0;
	bool matched = false;
	for (uint32_t i = 0; i < rev->unacked_len; i++) {
		struct tl_unacked *e = &rev->unacked[i];
		if (ack == e->nextseq) {
			if (!matched) {
				out->acks_frame = e->frame;
				out->ack_rtt = now - e->time;
				matched = true;
			}
			continue;
		}
		if (GT_SEQ(ack, e->seq) && LT_SEQ(ack, e->nextseq))
			e->seq = ack;
		else if (!GT_SEQ(e->nextseq, ack))
			continue;
		if (!kept || LT_SEQ(e->seq, rev->unacked_low))
			rev->unacked_low = e->seq;
		if (kept != i)
			rev->unacked[kept] = *e;
		kept++;
	}
	rev->unacked_len = kept;
}

/* ---- the analysis ---------------------------------------------------- */

#define SFR (TL_TH_SYN | TL_TH_FIN | TL_TH_RST)

/* Steps 2-8: flags decided before the duplicate-ACK bookkeeping. */
static unsigned window_and_ack_checks(const struct seg_ctx *s,
                                      struct tl_dir *fwd, struct tl_dir *rev,
                                      struct tl_seg_info *out)
{
	unsigned an = 0;
	bool plain = !(s->flags & SFR);
	if (s->seglen == 1 && s->seq == fwd->nextseq && rev->window == 0)
		return TL_AN_ZERO_WINDOW_PROBE;
	if (s->window == 0 && plain)
		an |= TL_AN_ZERO_WINDOW;
	if (fwd->nextseq && GT_SEQ(s->seq, fwd->nextseq) &&
	    !(s->flags & TL_TH_RST)) {
		an |= TL_AN_LOST_SEGMENT;
	}
	if (s->seglen <= 1 && s->seq == fwd->nextseq - 1 && plain)
		an |= TL_AN_KEEP_ALIVE;
	bool same_place = s->seq == fwd->nextseq && s->ack == fwd->lastack;
	if (s->seglen == 0 && s->window && s->window != fwd->window &&
	    same_place && plain)
		an |= TL_AN_WINDOW_UPDATE;
	if (s->seglen > 0 && rev->win_scale != -1 && plain) {
		int shift = (rev->is_first_ack || rev->win_scale == -2)
		                    ? 0 : rev->win_scale;
		if (s->seq + s->seglen == rev->lastack + (rev->window << shift))
			an |= TL_AN_WINDOW_FULL;
	}
	if (s->seglen == 0 && same_place && plain) {
		if (s->window && s->window == fwd->window &&
		    (rev->lastsegmentflags & TL_AN_KEEP_ALIVE))
			return an | TL_AN_KEEP_ALIVE_ACK;
		if (s->window == 0 && fwd->window == 0 &&
		    (rev->lastsegmentflags & TL_AN_ZERO_WINDOW_PROBE))
			return an | TL_AN_ZERO_WINDOW_PROBE_ACK;
		if (s->window && s->window == fwd->window) {
			/* A count parked at "ACKed unseen" (-1) restarts at 1. */
			fwd->dupacknum = fwd->dupacknum == DUPACK_PARKED
			                         ? 1 : fwd->dupacknum + 1;
			out->dupack_num = fwd->dupacknum;
			out->dupack_frame = fwd->lastnondupack;
			an |= TL_AN_DUPLICATE_ACK;
		}
	}
	return an;
}

/* Step 11: at most one of spurious, fast, out-of-order, plain. */
static unsigned retransmission_checks(const struct seg_ctx *s,
                                      const struct tl_dir *fwd,
                                      const struct tl_dir *rev,
                                      unsigned an, struct tl_seg_info *out)
{
	if (!(s->seglen > 0 || (s->flags & (TL_TH_SYN | TL_TH_FIN))))
		return 0;
	if (an & TL_AN_KEEP_ALIVE)
		return 0;
	bool not_adv = fwd->nextseq && LT_SEQ(s->seq, fwd->nextseq);
	if (s->seglen > 1 && s->seq == fwd->nextseq - 1)
		not_adv = false;
	if (s->seglen > 0 && rev->lastack &&
	    LE_SEQ(s->seq + s->seglen, rev->lastack))
		return TL_AN_SPURIOUS_RETRANSMISSION | TL_AN_RETRANSMISSION;
	if (!not_adv)
		return 0;
	/* Wireshark subtracts times into unsigned 64-bit values: a segment
	 * stamped before the reference is never "soon after" it. */
	uint64_t since_ack = (uint64_t)(s->now - rev->lastacktime);
	if (rev->dupacknum >= 2 && rev->lastack == s->seq &&
	    since_ack < (uint64_t)FAST_RETRANSMISSION_WINDOW_NS)
		return TL_AN_FAST_RETRANSMISSION | TL_AN_RETRANSMISSION;
	uint64_t threshold = (uint64_t)(s->irtt ? s->irtt
	                                        : DEFAULT_OOO_THRESHOLD_NS);
	uint64_t since_highest = (uint64_t)(s->now - fwd->nextseqtime);
	uint32_t end = s->seq + s->seglen +
	               ((s->flags & (TL_TH_SYN | TL_TH_FIN)) ? 1 : 0);
	if (since_highest < threshold && fwd->nextseq != end)
		return TL_AN_OUT_OF_ORDER;
	if (fwd->unacked_len) {
		out->rto = s->now - fwd->unacked[0].time;
		out->rto_frame = fwd->unacked[0].frame;
	} else {
		out->rto = s->now - fwd->nextseqtime;
		out->rto_frame = fwd->nextseqframe;
	}
	return TL_AN_RETRANSMISSION;
}

/* Steps 12-15: what this segment leaves behind in its direction. */
static void advance_direction(const struct seg_ctx *s, struct tl_dir *fwd,
                              unsigned an)
{
	uint32_t end = s->seq + s->seglen;
	bool listed = s->seglen > 0 || (s->flags & (TL_TH_SYN | TL_TH_FIN));
	if (listed && fwd->unacked_len < MAX_UNACKED) {
		if (s->flags & (TL_TH_SYN | TL_TH_FIN))
			end += 1;
		unacked_push(fwd, s, end);
	}
	bool zwp = an & TL_AN_ZERO_WINDOW_PROBE;
	if ((GT_SEQ(end, fwd->nextseq) || fwd->nextseq == 0) && !zwp) {
		fwd->nextseq = end;
		fwd->nextseqframe = s->frame;
		fwd->nextseqtime = s->now;
	}
	if ((s->seq == fwd->maxseqtobeacked || fwd->maxseqtobeacked == 0) &&
	    !zwp)
		fwd->maxseqtobeacked = fwd->nextseq;
	fwd->window = s->window;
	fwd->lastack = s->ack;
	fwd->lastacktime = s->now;
	fwd->lastsegmentflags = (uint16_t)an;
}

static unsigned analyse(const struct seg_ctx *s, struct tl_dir *fwd,
                        struct tl_dir *rev, unsigned an,
                        struct tl_seg_info *out)
{
	an |= window_and_ack_checks(s, fwd, rev, out);
	if (s->ack != fwd->lastack) {                              /* 9 */
		fwd->lastnondupack = s->frame;
		fwd->dupacknum = 0;
	}
	if (rev->maxseqtobeacked && (s->flags & TL_TH_ACK) &&      /* 10 */
	    GT_SEQ(s->ack, rev->maxseqtobeacked)) {
		if (LT_SEQ(rev->maxseqtobeacked, rev->nextseq)) {
			rev->maxseqtobeacked = rev->nextseq;
			an |= TL_AN_ACK_LOST_SEGMENT;
		} else {
			/* 4.0 opens the analysis subtree here even when it
			 * then shows no flag (the iRTT appears). */
			out->an_tree = true;
			if (rev->dupacknum == 0)
				an |= TL_AN_ACK_LOST_SEGMENT;
			rev->dupacknum = DUPACK_PARKED;
		}
	}
	an |= retransmission_checks(s, fwd, rev, an, out);
	advance_direction(s, fwd, an);
	match_ack(rev, s->ack, s->now, out);
	return an;
}

/* Bytes in flight and bytes since the last PSH, as 4.0 computes them
 * (docs/analysis.md, "Bytes in flight"): the span of this direction's
 * unacked list, measured from its base without serial arithmetic, less
 * what the peer's latest segment SACKed, less one for SYN or FIN. */
static void bytes_in_flight(const struct seg_ctx *s, struct tl_dir *fwd,
                            const struct tl_dir *rev, struct tl_seg_info *out)
{
	if (!s->seglen || !fwd->unacked_len || fwd->bif_invalid)
		return;
	uint32_t first = fwd->unacked[0].seq - fwd->base;
	uint32_t last = fwd->unacked[0].nextseq - fwd->base;
	for (uint32_t i = 1; i < fwd->unacked_len; i++) {
		uint32_t a = fwd->unacked[i].seq - fwd->base;
		uint32_t b = fwd->unacked[i].nextseq - fwd->base;
		if (a < first)
			first = a;
		if (b > last)
			last = b;
	}
	uint32_t in_flight = last - first - rev->sacked;
	if (in_flight > 0 && in_flight < 2000000000u)
		out->bytes_in_flight = in_flight -
			((s->flags & (TL_TH_SYN | TL_TH_FIN)) ? 1 : 0);
	bool push = s->flags & TL_TH_PSH;
	if (push || fwd->push_set_last)
		fwd->push_bytes_sent = (push && !fwd->push_set_last)
		                       ? fwd->push_bytes_sent + s->seglen
		                       : s->seglen;
	else
		fwd->push_bytes_sent += s->seglen;
	fwd->push_set_last = push;
	out->push_bytes_sent = fwd->push_bytes_sent;
}

/* The SACK blocks a segment carries count against the peer's bytes in
 * flight until the next segment of this direction; 4.0 keeps three. */
static void note_sacks(struct tl_dir *fwd, const struct tl_packet *p)
{
	uint32_t sum = 0;
	unsigned n = p->opt.sack_count < 3 ? p->opt.sack_count : 3;
	if (p->opt.present & TL_OPT_SACK)
		for (unsigned i = 0; i < n; i++)
			sum += p->opt.sack[i][1] - p->opt.sack[i][0];
	fwd->sacked = sum;
}

/* ---- per segment ----------------------------------------------------- */

/* §2.1: a pure SYN with a new ISN on a known 4-tuple is a new connection. */
static struct tl_conn *find_conn(struct tl_tracker *tr,
                                 const struct tl_packet *p, uint32_t frame,
                                 tl_nsec ts, int *dir, unsigned *an)
{
	uint32_t hash = tuple_hash(tr, p) & tr->bucket_mask;
	struct tl_conn *c;
	for (c = tr->buckets[hash]; c; c = c->hash_next) {
		*dir = conn_match(c, p);
		if (*dir >= 0)
			break;
	}
	bool pure_syn = (p->flags & (TL_TH_SYN | TL_TH_ACK)) == TL_TH_SYN;
	if (c && pure_syn && c->dir[*dir].base_set &&
	    p->seq == c->dir[*dir].base) {
		/* The same ISN again: a retransmitted SYN. A RST may have moved
		 * nextseq, so go back to the last contiguous point. */
		c->dir[*dir].nextseq = c->dir[*dir].maxseqtobeacked;
	}
	if (c && pure_syn && c->dir[*dir].base_set &&
	    p->seq != c->dir[*dir].base) {
		/* Out of the table, but kept (and counted for eviction)
		 * until it is the idlest. */
		unlink_conn(tr, c, hash);
		hash = tuple_hash(tr, p) & tr->bucket_mask;
		c = NULL;
		*an |= TL_AN_REUSED_PORTS;
	}
	if (!c) {
		c = new_conn(tr, p, hash, frame, ts);
		*dir = 0;
	}
	return c;
}

/* §2.2: the base of each direction, and the SYN/ACK that changes its ISN. */
static unsigned set_bases(struct tl_dir *fwd, struct tl_dir *rev,
                          const struct tl_packet *p)
{
	unsigned an = 0;
	if ((p->flags & (TL_TH_SYN | TL_TH_ACK)) == (TL_TH_SYN | TL_TH_ACK) &&
	    fwd->base_set && p->seq != fwd->base) {
		an |= TL_AN_REUSED_PORTS;
		fwd->base = p->seq;
	}
	if (!fwd->base_set) {
		fwd->base = (p->flags & TL_TH_SYN) ? p->seq : p->seq - 1;
		fwd->base_set = true;
	}
	if (!rev->base_set && (p->flags & TL_TH_ACK)) {
		rev->base = p->ack - 1;
		rev->base_set = true;
	}
	return an;
}

/* §2.3: tcp.window_size, with the shift known before this segment's own
 * options are read. */
static uint32_t scaled_window(const struct tl_dir *fwd,
                              const struct tl_packet *p)
{
	if ((p->flags & TL_TH_SYN) || fwd->win_scale < 0)
		return p->window;
	return (uint32_t)p->window << fwd->win_scale;
}

static void apply_options(struct tl_conn *c, struct tl_dir *fwd,
                          struct tl_dir *rev, const struct tl_packet *p)
{
	if (p->opt.present & TL_OPT_WSCALE)
		fwd->win_scale = (int8_t)(p->opt.wscale > MAX_WINDOW_SHIFT
		                          ? MAX_WINDOW_SHIFT : p->opt.wscale);
	if (!(p->flags & TL_TH_SYN))
		return;
	if (p->options_cut) {
		/* 4.0 stops at the cut, before it concludes "no scaling":
		 * the shift stays unknown. */
	} else if (fwd->win_scale == -1) {
		fwd->win_scale = -2;
		rev->win_scale = -2;
	} else if ((p->flags & TL_TH_ACK) && rev->win_scale == -2) {
		fwd->win_scale = -2;
	}
	fwd->is_first_ack = true;
	fwd->syn = (struct tl_syn_options){
		.seen = true, .present = p->opt.present, .wscale = p->opt.wscale,
		.mss = p->opt.mss, .tsval = p->opt.tsval };
	(void)c;
}

static void update_timing(struct tl_conn *c, const struct tl_packet *p,
                          tl_nsec ts)
{
	/* Zero means "unset" for both, as in Wireshark: an iRTT of exactly
	 * zero is measured again on the next ACK. */
	if ((p->flags & (TL_TH_SYN | TL_TH_ACK)) == TL_TH_SYN)
		c->syn_time = ts;
	if ((p->flags & TL_TH_ACK) && !(p->flags & TL_TH_SYN) && !c->irtt &&
	    c->syn_time)
		c->irtt = ts - c->syn_time;
	c->irtt_set = c->irtt != 0;
	c->syn_time_set = c->syn_time != 0;
}

static void update_state(struct tl_conn *c, struct tl_dir *fwd,
                         const struct tl_packet *p)
{
	if (p->flags & TL_TH_RST) {
		c->state = TL_STATE_RESET;
		return;
	}
	if (p->flags & TL_TH_FIN)
		fwd->fin_seen = true;
	if (c->state == TL_STATE_RESET)
		return;
	if (c->dir[0].fin_seen && c->dir[1].fin_seen)
		c->state = TL_STATE_CLOSED;
	else if (fwd->fin_seen || c->state == TL_STATE_CLOSING)
		c->state = TL_STATE_CLOSING;
	else if (!(p->flags & TL_TH_SYN) && (p->flags & TL_TH_ACK))
		c->state = TL_STATE_ESTABLISHED;
}

static void note_window_change(struct tl_dir *fwd, const struct tl_packet *p,
                               struct tl_seg_info *out)
{
	if (p->flags & TL_TH_RST)
		return;
	if (fwd->have_shown_window && fwd->shown_window != out->win_scaled) {
		out->analysis |= TL_AN_WINDOW_CHANGE;
		out->prev_window = fwd->shown_window;
	}
	fwd->have_shown_window = true;
	fwd->shown_window = out->win_scaled;
}

void tl_tracker_quoted(struct tl_tracker *tr, const struct tl_packet *p,
                       uint32_t frame, tl_nsec ts)
{
	tr->dropped_count = 0;
	uint32_t hash = tuple_hash(tr, p) & tr->bucket_mask;
	/* 4.0 files the quote under the connection without analysing it,
	 * yet the next segment's tcp.time_delta counts from it, a quoted
	 * SYN or first ACK times the iRTT, and it clears the SACK blocks
	 * bytes in flight subtract (docs/analysis.md). */
	for (struct tl_conn *c = tr->buckets[hash]; c; c = c->hash_next) {
		int d = conn_match(c, p);
		if (d < 0)
			continue;
		c->delta_from = ts;
		/* A quoted SYN is the latest SYN the iRTT counts from. */
		update_timing(c, p, ts);
		/* Its SACK blocks (none, mostly: the quote is short)
		 * replace the quoted sender's, as a segment's would. */
		if (tr->want_bif)
			note_sacks(&c->dir[d], p);
		return;
	}
	struct tl_conn *c = new_conn(tr, p, hash, frame, ts);
	update_timing(c, p, ts);
	lru_touch(tr, c);
	if (tr->max_live && tr->tracked > tr->max_live)
		evict_oldest(tr, c);
}

void tl_tracker_segment(struct tl_tracker *tr, const struct tl_packet *p,
                        uint32_t frame, tl_nsec ts, struct tl_seg_info *out)
{
	memset(out, 0, sizeof *out);
	tr->dropped_count = 0;
	int d;
	unsigned an = 0;
	struct tl_conn *c = find_conn(tr, p, frame, ts, &d, &an);
	lru_touch(tr, c);
	if (tr->max_live && tr->tracked > tr->max_live)
		evict_oldest(tr, c);
	struct tl_dir *fwd = &c->dir[d], *rev = &c->dir[!d];
	an |= set_bases(fwd, rev, p);

	out->conn = c;
	out->dir = (uint8_t)d;
	out->seq_rel = p->seq - fwd->base;
	out->ack_rel = (p->flags & TL_TH_ACK) ? p->ack - rev->base : 0;
	out->win_scaled = scaled_window(fwd, p);
	out->win_scale = fwd->win_scale;

	struct seg_ctx s = {
		.seq = p->seq, .ack = p->ack, .seglen = p->seglen,
		.window = p->window, .flags = p->flags, .frame = frame,
		.now = ts, .irtt = c->irtt, .unacked_bytes = &tr->unacked_bytes,
	};
	an = analyse(&s, fwd, rev, an, out);
	if (tr->want_bif) {
		if (an & TL_AN_LOST_SEGMENT)
			fwd->bif_invalid = true;
		if (p->flags & TL_TH_ACK)
			rev->bif_invalid = false;
		bytes_in_flight(&s, fwd, rev, out);
		note_sacks(fwd, p);
	}

	apply_options(c, fwd, rev, p);
	if ((p->flags & TL_TH_ACK) && !(p->flags & TL_TH_SYN))
		fwd->is_first_ack = false;
	update_timing(c, p, ts);
	update_state(c, fwd, p);

	out->analysis = (uint16_t)an;
	note_window_change(fwd, p, out);
	for (unsigned m = an & TL_AN_WIRESHARK_MASK; m; m &= m - 1)
		c->counts[__builtin_ctz(m)]++;
	fwd->segments++;
	fwd->bytes += p->seglen;
	out->prev_time = c->delta_from;
	c->last_time = c->delta_from = ts;
	c->last_frame = frame;
}

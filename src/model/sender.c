/* The sender model: Linux's congestion control replayed from a capture.
 *
 * Each direction keeps what the sending kernel keeps (tcp_sock): a
 * scoreboard of sent segments with their SACKed, lost and retransmitted
 * marks, the counters derived from it, cwnd, ssthresh and the ca_state
 * machine of tcp_input.c. ACKs drive it as tcp_ack() does; the sender's
 * own retransmissions tell what its timers did (a timeout, a tail loss
 * probe, a RACK reordering timer), since timers leave no other trace on
 * the wire. Sequence numbers are raw and compared modulo 2^32. */
#include "config.h"

#include "tl_sender.h"

#include <stdlib.h>
#include <string.h>

#define GT(a, b) ((int32_t)((a) - (b)) > 0)
#define LT(a, b) ((int32_t)((a) - (b)) < 0)
#define GE(a, b) ((int32_t)((a) - (b)) >= 0)
#define LE(a, b) ((int32_t)((a) - (b)) <= 0)

#define INIT_CWND 10u
#define RTO_MIN_US 200000u
#define RTO_MAX_US 120000000u
#define RTO_INIT_US 1000000u
#define DUPTHRESH 3u
#define HZ 250          /* jiffies for CUBIC's clock; Debian's kernels */
/* A retransmission this close to the expected RTO is the timer's. */
#define RTO_SLACK_PCT 80

/* CUBIC's constants (tcp_cubic.c). */
#define BICTCP_BETA_SCALE 1024u
#define CUBIC_BETA 717u
#define BICTCP_HZ 10
#define CUBE_RTT_SCALE (41u * 10u)
#define BETA_SCALE (8u * (BICTCP_BETA_SCALE + CUBIC_BETA) / 3u / \
                    (BICTCP_BETA_SCALE - CUBIC_BETA))
#define HYSTART_LOW_WINDOW 16u
#define HYSTART_MIN_SAMPLES 8u
#define HYSTART_ACK_DELTA_US 2000u
#define HYSTART_DELAY_MIN_US 4000u
#define HYSTART_DELAY_MAX_US 16000u
#define HYSTART_ACK_DELAY_US 1000u

enum { SB_SACKED = 1, SB_LOST = 2, SB_RETRANS = 4, SB_EVER = 8 };

/* ACK flags, as tcp_input.c names them. */
enum {
	F_DATA_ACKED = 1, F_DATA_SACKED = 2, F_UNA_ADVANCED = 4,
	F_DSACK = 8, F_ORIG_ACKED = 16, F_DUP = 32,
};

struct sb {
	uint32_t seq, end;
	tl_nsec xmit;
	uint16_t pcount;
	uint8_t flags;
};

/* HyStart and the delay CUBIC adds to its clock. */
struct cubic {
	uint32_t delay_min;
	bool found;
	uint32_t round_start, last_ack, end_seq, curr_rtt, sample_cnt;
};

/* CUBIC's growth is timed in jiffies, and where the kernel's jiffy
 * boundaries fall is not on the wire: which side of one an ACK lands
 * decides whether cnt is worked out again, and so when cwnd grows (one
 * millisecond moves agreement with the kernel by 10-30 points). Linux's
 * ticks fall on multiples of the tick in CLOCK_MONOTONIC and its TCP
 * timestamps count that clock's milliseconds, so the TSvals give the
 * phase within a millisecond; which of the NCLOCK milliseconds of a tick
 * is the kernel's is learnt from the wire: each clock runs its own CUBIC
 * and counts the times the sender's segments contradict its cwnd. */
#define NCLOCK 4        /* ms per jiffy at HZ 250 */
#define PHASE_BINS 20   /* 50 us each */
struct cclock {
	uint32_t cnt, last_max_cwnd, last_cwnd, last_time, origin, k;
	uint32_t epoch_start, ack_cnt, tcp_cwnd;
	uint32_t cwnd, cwnd_cnt;
	uint32_t miss;          /* segments that contradicted this clock */
};

struct sdir {
	bool syn_seen, started;
	uint32_t una, nxt, mss;
	struct sb *q;
	uint32_t head, len, cap;
	uint32_t packets_out, sacked_out, lost_out, retrans_out;
	uint32_t cwnd, ssthresh, cwnd_cnt, prior_cwnd, prior_ssthresh;
	uint8_t state;
	uint32_t high_seq;
	uint32_t prr_delivered, prr_out;
	bool undo_marker;
	int32_t undo_retrans;
	bool retrans_stamp_set;
	uint32_t retrans_tsval;
	bool frto;
	uint32_t rto_retransmits;
	/* RTT estimator, in Linux's units (srtt8 is 8 x srtt). */
	bool rtt_set;
	uint32_t srtt8, mdev, mdev_max, rttvar, rtt_seq, min_rtt;
	uint32_t rto_us;
	uint8_t backoff;
	tl_nsec timer_base;
	tl_nsec last_data;      /* lsndtime: the last data sent */
	tl_nsec last_ack;       /* when the last ACK was processed */
	/* RACK: the most recently sent segment known delivered. */
	tl_nsec rack_xmit;
	uint32_t rack_end, rack_rtt;
	bool rack_advanced;
	/* Whether cwnd limited sending in the current window. */
	bool cwnd_limited;
	uint32_t max_packets_out, cwnd_usage_seq;
	uint32_t tlp_high_seq;
	bool tlp_retrans;
	bool sack_ok;           /* both ends offered SACK: TLP runs */
	uint32_t reno_dupacks;  /* without SACK: dupACKs stand for SACKs */
	uint32_t syn_retrans;
	/* The sender's timestamp clock: its latest TSval and when. */
	bool ts_set;
	uint32_t ts_last;
	tl_nsec ts_time;
	struct cubic cu;
	/* NCLOCK clocks, made when CUBIC first needs them (most connections
	 * never leave slow start: a flood of short ones must not pay). */
	struct cclock *ck;
	uint8_t best;           /* the clock whose cwnd is the model's */
	uint32_t ca_cwnd, ca_cnt;       /* cwnd, cwnd_cnt as CUBIC left them */
	bool sent_since_ack;
	/* Where the sender's TSval ticks within a millisecond. */
	uint16_t ms_bins[PHASE_BINS];
	uint32_t ms_phase_us;
	struct tl_sender_vals ev;       /* the event of the current segment */
};

struct sconn {
	struct sdir d[2];
};

struct tl_sender {
	enum tl_cc cc;
	struct sconn **conns;
	uint32_t cap;
	uint64_t bytes;         /* connections and their scoreboards */
};

/* ---- names ------------------------------------------------------------ */

const char *tl_ca_state_name(unsigned state)
{
	static const char *const n[] = { "open", "disorder", "cwr",
	                                 "recovery", "loss" };
	return state < 5 ? n[state] : "";
}

const char *tl_phase_name(unsigned phase)
{
	static const char *const n[] = { "slow_start",
	                                 "congestion_avoidance",
	                                 "fast_recovery", "rto_recovery" };
	return phase < 4 ? n[phase] : "";
}

const char *tl_rtx_cause_name(unsigned cause)
{
	static const char *const n[] = { "", "rto", "fast", "tlp", "spurious",
	                                 "never_sent" };
	return cause < 6 ? n[cause] : "";
}

bool tl_cc_parse(const char *name, enum tl_cc *cc)
{
	if (!strcmp(name, "reno"))
		*cc = TL_CC_RENO;
	else if (!strcmp(name, "cubic"))
		*cc = TL_CC_CUBIC;
	else
		return false;
	return true;
}

static size_t put_ssthresh(char *buf, size_t size, size_t len, uint32_t v)
{
	return v >= TL_SSTHRESH_INFINITE ? tl_bappend(buf, size, len, "inf")
	                                 : tl_bappend(buf, size, len, "%u", v);
}

size_t tl_sender_why(const struct tl_sender_vals *v, char *buf, size_t size)
{
	size_t n = 0;
	if (!size)
		return 0;
	buf[0] = 0;
	switch (v->event) {
	case TL_SEV_RECOVERY:
		/* Three SACKed (or duplicate ACKs) is the classic rule;
		 * fewer, and RACK judged the hole by time. */
		if (v->dupacks >= 3)
			n = tl_bappend(buf, size, n, "%u duplicate ACKs: fast "
			               "retransmit, ssthresh ", v->dupacks);
		else
			n = tl_bappend(buf, size, n, "%u duplicate ACK%s and "
			               "the hole waited past the RTT (RACK): "
			               "fast retransmit, ssthresh ", v->dupacks,
			               v->dupacks == 1 ? "" : "s");
		n = put_ssthresh(buf, size, n, v->prev_ssthresh);
		n = tl_bappend(buf, size, n, " -> %u, cwnd %u", v->ssthresh,
		               v->cwnd);
		break;
	case TL_SEV_TIMEOUT:
		n = tl_bappend(buf, size, n, "no ACK for %u ms, RTO %u ms: "
		               "timeout, ssthresh ", v->idle_us / 1000,
		               v->fired_rto_us / 1000);
		n = put_ssthresh(buf, size, n, v->prev_ssthresh);
		n = tl_bappend(buf, size, n, " -> ");
		n = put_ssthresh(buf, size, n, v->ssthresh);
		n = tl_bappend(buf, size, n, ", cwnd %u", v->cwnd);
		break;
	case TL_SEV_RECOVERY_DONE:
		n = tl_bappend(buf, size, n, "recovery done: cwnd %u -> "
		               "ssthresh %u", v->prev_cwnd, v->cwnd);
		break;
	case TL_SEV_LOSS_DONE:
		n = tl_bappend(buf, size, n, "all sent before the timeout is "
		               "ACKed: open again, cwnd %u", v->cwnd);
		break;
	case TL_SEV_UNDO:
		n = tl_bappend(buf, size, n, "the reduction was spurious: "
		               "undone, cwnd %u -> %u, ssthresh ", v->prev_cwnd,
		               v->cwnd);
		n = put_ssthresh(buf, size, n, v->ssthresh);
		break;
	case TL_SEV_TLP:
		n = tl_bappend(buf, size, n, "no ACK for %u ms: tail loss "
		               "probe", v->idle_us / 1000);
		break;
	case TL_SEV_TLP_LOSS:
		n = tl_bappend(buf, size, n, "the probe repaired a loss: "
		               "ssthresh %u, cwnd %u -> %u", v->ssthresh,
		               v->prev_cwnd, v->cwnd);
		break;
	case TL_SEV_HYSTART:
		n = tl_bappend(buf, size, n, "HyStart: RTT grew, slow start "
		               "ends at cwnd %u", v->cwnd);
		break;
	case TL_SEV_SS_DONE:
		n = tl_bappend(buf, size, n, "cwnd reached ssthresh %u: "
		               "congestion avoidance", v->ssthresh);
		break;
	}
	return n;
}

static uint16_t sat16(uint32_t v)
{
	return v > 0xffff ? 0xffff : (uint16_t)v;
}

void tl_seg_cc_pack(struct tl_seg_cc *cc, const struct tl_sender_vals *v)
{
	memset(cc, 0, sizeof *cc);
	if (!v->valid)
		return;
	cc->cwnd = v->cwnd ? v->cwnd : 1;
	cc->ssthresh = v->ssthresh;
	cc->prev_cwnd = sat16(v->prev_cwnd);
	cc->prev_ssthresh = sat16(v->prev_ssthresh);
	cc->mss = sat16(v->mss);
	cc->rto_ms = sat16((v->rto_us + 500) / 1000);
	cc->ca_state = v->ca_state;
	cc->phase = v->phase;
	cc->rtx_cause = v->rtx_cause;
	cc->event = v->event;
	if (v->event == TL_SEV_RECOVERY) {
		cc->aux1 = v->dupacks;
	} else {
		cc->aux1 = sat16(v->idle_us / 1000);
		cc->aux2 = sat16(v->fired_rto_us / 1000);
	}
}

void tl_seg_cc_unpack(const struct tl_seg_cc *cc, struct tl_sender_vals *v)
{
	memset(v, 0, sizeof *v);
	if (!cc->cwnd)
		return;
	v->valid = true;
	v->cwnd = cc->cwnd;
	v->ssthresh = cc->ssthresh;
	v->prev_cwnd = cc->prev_cwnd;
	v->prev_ssthresh = cc->prev_ssthresh == 0xffff ? TL_SSTHRESH_INFINITE
	                                                : cc->prev_ssthresh;
	v->mss = cc->mss;
	v->rto_us = cc->rto_ms * 1000u;
	v->ca_state = cc->ca_state;
	v->phase = cc->phase;
	v->rtx_cause = cc->rtx_cause;
	v->event = cc->event;
	if (cc->event == TL_SEV_RECOVERY) {
		v->dupacks = (uint8_t)(cc->aux1 > 255 ? 255 : cc->aux1);
	} else {
		v->idle_us = cc->aux1 * 1000u;
		v->fired_rto_us = cc->aux2 * 1000u;
	}
}

/* ---- bookkeeping ------------------------------------------------------ */

struct tl_sender *tl_sender_new(enum tl_cc cc)
{
	struct tl_sender *s = tl_xcalloc(1, sizeof *s);
	s->cc = cc;
	return s;
}

static uint64_t conn_bytes(const struct sconn *c)
{
	unsigned clocks = (c->d[0].ck ? NCLOCK : 0) + (c->d[1].ck ? NCLOCK : 0);
	return sizeof *c + ((uint64_t)c->d[0].cap + c->d[1].cap) *
	                   sizeof(struct sb) + clocks * sizeof(struct cclock);
}

static void free_conn(struct sconn *c)
{
	if (!c)
		return;
	free(c->d[0].q);
	free(c->d[1].q);
	free(c->d[0].ck);
	free(c->d[1].ck);
	free(c);
}

uint64_t tl_sender_bytes(const struct tl_sender *s)
{
	return s ? s->bytes + (uint64_t)s->cap * sizeof *s->conns : 0;
}

void tl_sender_free(struct tl_sender *s)
{
	if (!s)
		return;
	for (uint32_t i = 0; i < s->cap; i++)
		free_conn(s->conns[i]);
	free(s->conns);
	free(s);
}

void tl_sender_forget(struct tl_sender *s, uint32_t stream)
{
	if (s && stream < s->cap) {
		if (s->conns[stream])
			s->bytes -= conn_bytes(s->conns[stream]);
		free_conn(s->conns[stream]);
		s->conns[stream] = NULL;
	}
}

static void init_dir(struct sdir *d)
{
	d->cwnd = INIT_CWND;
	d->ssthresh = TL_SSTHRESH_INFINITE;
	d->rto_us = RTO_INIT_US;
}

static struct sconn *conn_of(struct tl_sender *s, uint32_t stream)
{
	if (stream >= s->cap) {
		uint32_t old = s->cap;
		s->conns = tl_xgrow(s->conns, &s->cap, (uint64_t)stream + 1,
		                    64, sizeof *s->conns);
		memset(s->conns + old, 0, (s->cap - old) * sizeof *s->conns);
	}
	if (!s->conns[stream]) {
		struct sconn *c = tl_xcalloc(1, sizeof *c);
		init_dir(&c->d[0]);
		init_dir(&c->d[1]);
		s->conns[stream] = c;
		s->bytes += sizeof *c;
	}
	return s->conns[stream];
}

static uint32_t in_flight(const struct sdir *d)
{
	uint32_t left = d->sacked_out + d->lost_out;
	uint32_t out = d->packets_out > left ? d->packets_out - left : 0;
	return out + d->retrans_out;
}

static uint16_t pcount_of(const struct sdir *d, uint32_t len)
{
	if (!d->mss)
		return 1;
	uint32_t n = len ? (len + d->mss - 1) / d->mss : 1;
	return (uint16_t)(n > 0xffff ? 0xffff : n);
}

static struct sb *q_at(struct sdir *d, uint32_t i)
{
	return &d->q[d->head + i];
}

static uint32_t q_count(const struct sdir *d)
{
	return d->len - d->head;
}

static void q_push(struct sdir *d, const struct sb *e)
{
	if (d->head && d->len == d->cap) {
		memmove(d->q, d->q + d->head, q_count(d) * sizeof *d->q);
		d->len -= d->head;
		d->head = 0;
	}
	/* Most connections never have more than a few segments out: start
	 * small, the queue doubles when a window needs it. */
	d->q = tl_xgrow(d->q, &d->cap, (uint64_t)d->len + 1, 4, sizeof *d->q);
	d->q[d->len++] = *e;
}

/* tcp_mark_skb_lost(): a retransmission lost again is no longer out. */
static void mark_lost(struct sdir *d, struct sb *e)
{
	if (e->flags & SB_SACKED)
		return;
	if (!(e->flags & SB_LOST)) {
		e->flags |= SB_LOST;
		d->lost_out += e->pcount;
	}
	if (e->flags & SB_RETRANS) {
		e->flags &= (uint8_t)~SB_RETRANS;
		d->retrans_out -= e->pcount;
	}
}

static void drop_entry(struct sdir *d, struct sb *e)
{
	d->packets_out -= e->pcount;
	if (e->flags & SB_SACKED)
		d->sacked_out -= e->pcount;
	if (e->flags & SB_LOST)
		d->lost_out -= e->pcount;
	if (e->flags & SB_RETRANS)
		d->retrans_out -= e->pcount;
}

/* ---- congestion control (Reno, CUBIC) --------------------------------- */

/* The clocks, all zero until now: what a missing array stands for. */
static struct cclock *need_clocks(struct sdir *d)
{
	if (!d->ck)
		d->ck = tl_xcalloc(NCLOCK, sizeof *d->ck);
	return d->ck;
}

/* Jiffies by clock k: ticks at the TSval's millisecond edges plus k ms. */
static uint32_t jiffies_of(const struct sdir *d, unsigned k, tl_nsec t)
{
	t -= (tl_nsec)(d->ms_phase_us + 1000u * k) * 1000;
	return (uint32_t)(uint64_t)(t / (TL_NSEC_PER_SEC / HZ));
}

/* A TSval one above the last, in a capture less than a millisecond
 * after it: the sender's millisecond ended in between. */
static void ts_phase(struct sdir *d, uint32_t tsval, tl_nsec now)
{
	if (d->ts_set && tsval == d->ts_last + 1 && now > d->ts_time &&
	    now - d->ts_time < 1000000) {
		uint32_t a = (uint32_t)(uint64_t)(d->ts_time / 1000 % 1000);
		uint32_t n = (uint32_t)((now - d->ts_time) / 1000);
		uint32_t bw = 1000 / PHASE_BINS;
		for (uint32_t u = a / bw; u <= (a + n) / bw; u++) {
			uint16_t *b = &d->ms_bins[u % PHASE_BINS];
			if (*b == UINT16_MAX) {     /* keep the shape */
				for (unsigned i = 0; i < PHASE_BINS; i++)
					d->ms_bins[i] >>= 1;
			}
			(*b)++;
		}
		unsigned best = 0;
		for (unsigned i = 1; i < PHASE_BINS; i++)
			if (d->ms_bins[i] > d->ms_bins[best])
				best = i;
		d->ms_phase_us = best * bw + bw / 2;
	}
}

static void hystart_reset(struct sdir *d, tl_nsec now)
{
	uint32_t us = (uint32_t)(uint64_t)(now / 1000);
	d->cu.round_start = d->cu.last_ack = us;
	d->cu.end_seq = d->nxt;
	d->cu.curr_rtt = UINT32_MAX;
	d->cu.sample_cnt = 0;
}

static void cubic_reset(struct sdir *d, tl_nsec now)
{
	uint32_t end = d->cu.end_seq;
	memset(&d->cu, 0, sizeof d->cu);
	d->cu.end_seq = end;
	for (unsigned k = 0; k < NCLOCK && d->ck; k++) {
		struct cclock *c = &d->ck[k];
		uint32_t cwnd = c->cwnd, cnt = c->cwnd_cnt, miss = c->miss;
		memset(c, 0, sizeof *c);
		c->cwnd = cwnd, c->cwnd_cnt = cnt, c->miss = miss;
	}
	hystart_reset(d, now);
}

/* Whether the clocks' cwnd still are CUBIC's own: nothing else (a
 * reduction, an undo, a restart) changed cwnd since CUBIC last did. */
static bool clocks_current(const struct sdir *d)
{
	return d->cwnd == d->ca_cwnd && d->cwnd_cnt == d->ca_cnt;
}

static void clocks_sync(struct sdir *d)
{
	need_clocks(d);
	if (clocks_current(d))
		return;
	for (unsigned k = 0; k < NCLOCK; k++) {
		d->ck[k].cwnd = d->cwnd;
		d->ck[k].cwnd_cnt = d->cwnd_cnt;
	}
	d->ca_cwnd = d->cwnd;
	d->ca_cnt = d->cwnd_cnt;
}

/* The clock with the fewest contradictions (the current one on a tie)
 * gives the model its cwnd. */
static void clocks_pick(struct sdir *d)
{
	need_clocks(d);
	for (unsigned k = 0; k < NCLOCK; k++)
		if (d->ck[k].miss < d->ck[d->best].miss)
			d->best = (uint8_t)k;
	d->cwnd = d->ca_cwnd = d->ck[d->best].cwnd;
	d->cwnd_cnt = d->ca_cnt = d->ck[d->best].cwnd_cnt;
}

static uint32_t cc_ssthresh(const struct tl_sender *s, struct sdir *d)
{
	if (s->cc == TL_CC_RENO)
		return d->cwnd / 2 > 2 ? d->cwnd / 2 : 2;
	bool own = clocks_current(d);
	need_clocks(d);
	for (unsigned k = 0; k < NCLOCK; k++) {
		struct cclock *c = &d->ck[k];
		uint32_t w = own ? c->cwnd : d->cwnd;
		c->epoch_start = 0;
		if (w < c->last_max_cwnd)
			c->last_max_cwnd = w * (BICTCP_BETA_SCALE + CUBIC_BETA) /
			                   (2 * BICTCP_BETA_SCALE);
		else
			c->last_max_cwnd = w;
	}
	uint32_t t = d->cwnd * CUBIC_BETA / BICTCP_BETA_SCALE;
	return t > 2 ? t : 2;
}

static uint32_t slow_start(struct sdir *d, uint32_t acked)
{
	uint64_t want = (uint64_t)d->cwnd + acked;
	uint32_t cwnd = want < d->ssthresh ? (uint32_t)want : d->ssthresh;
	acked -= cwnd - d->cwnd;
	d->cwnd = cwnd;
	return acked;
}

static void cong_avoid_ai(struct sdir *d, uint32_t w, uint32_t acked)
{
	if (!w)
		w = 1;
	if (d->cwnd_cnt >= w) {
		d->cwnd_cnt = 0;
		d->cwnd++;
	}
	d->cwnd_cnt += acked;
	if (d->cwnd_cnt >= w) {
		uint32_t delta = d->cwnd_cnt / w;
		d->cwnd_cnt -= delta * w;
		d->cwnd += delta;
	}
}

/* Largest r with r^3 <= a: the kernel's table-driven cubic_root agrees
 * within a unit or two, far below what a cwnd comparison can see. */
static uint32_t cube_root(uint64_t a)
{
	uint64_t lo = 0, hi = 2642245;     /* cbrt(2^64) */
	while (lo < hi) {
		uint64_t mid = (lo + hi + 1) / 2;
		if (mid * mid * mid <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint32_t)lo;
}

static void cubic_update(struct sdir *d, unsigned clock, tl_nsec now,
                         uint32_t acked)
{
	struct cclock *ca = &d->ck[clock];
	uint32_t cwnd = d->cwnd, jif = jiffies_of(d, clock, now);
	ca->ack_cnt += acked;
	if (ca->last_cwnd == cwnd && (int32_t)(jif - ca->last_time) <= HZ / 32)
		return;
	if (!(ca->epoch_start && jif == ca->last_time)) {
		ca->last_cwnd = cwnd;
		ca->last_time = jif;
		if (!ca->epoch_start) {
			ca->epoch_start = jif ? jif : 1;
			ca->ack_cnt = acked;
			ca->tcp_cwnd = cwnd;
			if (ca->last_max_cwnd <= cwnd) {
				ca->k = 0;
				ca->origin = cwnd;
			} else {
				/* K = cbrt((wmax - cwnd) / C) in 2^-10 s */
				uint64_t f = (1ull << (10 + 3 * BICTCP_HZ)) /
				             CUBE_RTT_SCALE;
				ca->k = cube_root(f * (ca->last_max_cwnd -
				                       cwnd));
				ca->origin = ca->last_max_cwnd;
			}
		}
		uint64_t t = (uint32_t)(jif - ca->epoch_start);
		/* usecs_to_jiffies() rounds up */
		t += ((uint64_t)d->cu.delay_min * HZ + 999999u) / 1000000u;
		t = (t << BICTCP_HZ) / HZ;
		uint64_t offs = t < ca->k ? ca->k - t : t - ca->k;
		uint64_t delta = (CUBE_RTT_SCALE * offs * offs * offs) >>
		                 (10 + 3 * BICTCP_HZ);
		uint64_t target = t < ca->k ? ca->origin - delta
		                            : ca->origin + delta;
		if (t < ca->k && delta > ca->origin)
			target = 0;
		if (target > cwnd)
			ca->cnt = (uint32_t)(cwnd / (target - cwnd));
		else
			ca->cnt = 100 * cwnd;
		if (ca->last_max_cwnd == 0 && ca->cnt > 20)
			ca->cnt = 20;
	}
	/* TCP friendliness: never slower than Reno would be. */
	uint32_t delta = (cwnd * BETA_SCALE) >> 3;
	if (!delta)
		delta = 1;
	while (ca->ack_cnt > delta) {
		ca->ack_cnt -= delta;
		ca->tcp_cwnd++;
	}
	if (ca->tcp_cwnd > cwnd) {
		uint32_t max_cnt = cwnd / (ca->tcp_cwnd - cwnd);
		if (ca->cnt > max_cnt)
			ca->cnt = max_cnt;
	}
	if (ca->cnt < 2)
		ca->cnt = 2;
}

static bool is_cwnd_limited(const struct sdir *d)
{
	if (d->cwnd_limited)
		return true;
	if (d->cwnd < d->ssthresh)
		return d->cwnd < 2 * d->max_packets_out;
	return false;
}

static void cong_avoid(struct tl_sender *s, struct sdir *d, tl_nsec now,
                       uint32_t acked)
{
	if (!is_cwnd_limited(d))
		return;
	bool was_slow = d->cwnd < d->ssthresh;
	if (s->cc == TL_CC_RENO) {
		if (d->cwnd < d->ssthresh)
			acked = slow_start(d, acked);
		if (acked)
			cong_avoid_ai(d, d->cwnd, acked);
	} else {
		/* Each clock from its own cwnd. */
		clocks_sync(d);
		for (unsigned k = 0; k < NCLOCK; k++) {
			uint32_t a = acked;
			d->cwnd = d->ck[k].cwnd;
			d->cwnd_cnt = d->ck[k].cwnd_cnt;
			if (d->cwnd < d->ssthresh)
				a = slow_start(d, a);
			if (a) {
				cubic_update(d, k, now, a);
				cong_avoid_ai(d, d->ck[k].cnt, a);
			}
			d->ck[k].cwnd = d->cwnd;
			d->ck[k].cwnd_cnt = d->cwnd_cnt;
		}
		clocks_pick(d);
	}
	if (was_slow && d->cwnd >= d->ssthresh && !d->ev.event)
		d->ev.event = TL_SEV_SS_DONE;
}

/* CUBIC's per-ACK delay sample: HyStart may end slow start. */
static void cubic_acked(struct sdir *d, tl_nsec now, int64_t rtt_us)
{
	struct cubic *ca = &d->cu;
	if (rtt_us < 0)
		return;
	const struct cclock *c = d->ck ? &d->ck[d->best] : NULL;
	if (c && c->epoch_start &&
	    (int32_t)(jiffies_of(d, d->best, now) - c->epoch_start) < HZ)
		return;
	uint32_t delay = rtt_us ? (uint32_t)rtt_us : 1;
	if (!ca->delay_min || ca->delay_min > delay)
		ca->delay_min = delay;
	if (ca->found || d->cwnd >= d->ssthresh)
		return;
	if (GT(d->una, ca->end_seq))
		hystart_reset(d, now);
	if (d->cwnd < HYSTART_LOW_WINDOW)
		return;
	uint32_t us = (uint32_t)(uint64_t)(now / 1000);
	if ((int32_t)(us - ca->last_ack) <= (int32_t)HYSTART_ACK_DELTA_US) {
		ca->last_ack = us;
		uint32_t threshold = (ca->delay_min + HYSTART_ACK_DELAY_US) >> 1;
		if ((int32_t)(us - ca->round_start) > (int32_t)threshold) {
			ca->found = true;
			d->ssthresh = d->cwnd;
		}
	}
	if (ca->curr_rtt > delay)
		ca->curr_rtt = delay;
	if (ca->sample_cnt < HYSTART_MIN_SAMPLES) {
		ca->sample_cnt++;
	} else {
		uint32_t th = ca->delay_min >> 3;
		th = th < HYSTART_DELAY_MIN_US ? HYSTART_DELAY_MIN_US
		   : th > HYSTART_DELAY_MAX_US ? HYSTART_DELAY_MAX_US : th;
		if (ca->curr_rtt > ca->delay_min + th) {
			ca->found = true;
			d->ssthresh = d->cwnd;
		}
	}
	if (ca->found && !d->ev.event) {
		d->ev.event = TL_SEV_HYSTART;
		d->ev.prev_ssthresh = TL_SSTHRESH_INFINITE;
	}
}

/* ---- RTT and RTO (tcp_rtt_estimator, RFC 6298 as Linux does it) ------- */

static void rtt_sample(struct sdir *d, int64_t us)
{
	if (us < 0)
		return;
	uint32_t m32 = us > 0x7fffffff ? 0x7fffffff : (uint32_t)us;
	if (!d->min_rtt || m32 < d->min_rtt)
		d->min_rtt = m32 ? m32 : 1;
	int64_t m = m32;
	if (d->rtt_set) {
		int64_t srtt = d->srtt8;
		m -= srtt >> 3;
		srtt += m;
		if (m < 0) {
			m = -m;
			m -= d->mdev >> 2;
			if (m > 0)
				m >>= 3;
		} else {
			m -= d->mdev >> 2;
		}
		d->mdev = (uint32_t)((int64_t)d->mdev + m);
		if (d->mdev > d->mdev_max) {
			d->mdev_max = d->mdev;
			if (d->mdev_max > d->rttvar)
				d->rttvar = d->mdev_max;
		}
		if (GT(d->una, d->rtt_seq)) {
			if (d->mdev_max < d->rttvar)
				d->rttvar -= (d->rttvar - d->mdev_max) >> 2;
			d->rtt_seq = d->nxt;
			d->mdev_max = RTO_MIN_US;
		}
		d->srtt8 = srtt > 1 ? (uint32_t)srtt : 1;
	} else {
		d->srtt8 = m32 << 3;
		d->mdev = m32 << 1;
		d->rttvar = d->mdev > RTO_MIN_US ? d->mdev : RTO_MIN_US;
		d->mdev_max = d->rttvar;
		d->rtt_seq = d->nxt;
		d->rtt_set = true;
	}
	uint64_t rto = (uint64_t)(d->srtt8 >> 3) + d->rttvar;
	d->rto_us = rto > RTO_MAX_US ? RTO_MAX_US : (uint32_t)rto;
	d->backoff = 0;
}

static uint32_t rto_now(const struct sdir *d)
{
	uint64_t r = (uint64_t)d->rto_us << (d->backoff > 20 ? 20 : d->backoff);
	return r > RTO_MAX_US ? RTO_MAX_US : (uint32_t)r;
}

/* ---- state changes (tcp_input.c) -------------------------------------- */

static void note_event(struct sdir *d, uint8_t ev)
{
	d->ev.event = ev;
	d->ev.prev_cwnd = d->cwnd;
	d->ev.prev_ssthresh = d->ssthresh;
}

static void init_undo(struct sdir *d)
{
	d->undo_marker = true;
	d->undo_retrans = d->retrans_out ? (int32_t)d->retrans_out : -1;
	d->retrans_stamp_set = false;
}

static void init_cwnd_reduction(struct tl_sender *s, struct sdir *d)
{
	d->high_seq = d->nxt;
	d->tlp_high_seq = 0;
	d->cwnd_cnt = 0;
	d->prior_cwnd = d->cwnd;
	d->prr_delivered = d->prr_out = 0;
	d->ssthresh = cc_ssthresh(s, d);
}

static void enter_recovery(struct tl_sender *s, struct sdir *d)
{
	note_event(d, TL_SEV_RECOVERY);
	d->ev.dupacks = (uint8_t)(d->sacked_out > 255 ? 255 :
	                          d->sacked_out ? d->sacked_out
	                                        : d->reno_dupacks);
	d->prior_ssthresh = 0;
	init_undo(d);
	if (d->state != TL_CA_CWR && d->state != TL_CA_RECOVERY) {
		d->prior_ssthresh = d->ssthresh;
		init_cwnd_reduction(s, d);
	}
	d->state = TL_CA_RECOVERY;
}

static void cwnd_reduction(struct sdir *d, uint32_t newly, uint32_t lost,
                           int flag)
{
	if (!newly || !d->prior_cwnd)
		return;
	int64_t delta = (int64_t)d->ssthresh - in_flight(d);
	int64_t sndcnt;
	d->prr_delivered += newly;
	if (delta < 0) {
		uint64_t div = (uint64_t)d->ssthresh * d->prr_delivered +
		               d->prior_cwnd - 1;
		sndcnt = (int64_t)(div / d->prior_cwnd) - d->prr_out;
	} else {
		int64_t a = (int64_t)d->prr_delivered - d->prr_out;
		sndcnt = a > newly ? a : newly;
		if ((flag & F_UNA_ADVANCED) && !lost)
			sndcnt++;
		if (sndcnt > delta)
			sndcnt = delta;
	}
	if (sndcnt < (d->prr_out ? 0 : 1))
		sndcnt = d->prr_out ? 0 : 1;
	int64_t cwnd = (int64_t)in_flight(d) + sndcnt;
	d->cwnd = cwnd < 1 ? 1 : (uint32_t)cwnd;
}

static void end_cwnd_reduction(struct sdir *d)
{
	if (d->ssthresh < TL_SSTHRESH_INFINITE &&
	    (d->state == TL_CA_CWR || d->undo_marker))
		d->cwnd = d->ssthresh;
}

static void undo_cwnd_reduction(struct tl_sender *s, struct sdir *d)
{
	(void)s;
	note_event(d, TL_SEV_UNDO);
	if (d->prior_ssthresh) {
		if (d->prior_cwnd > d->cwnd)
			d->cwnd = d->prior_cwnd;
		if (d->prior_ssthresh > d->ssthresh)
			d->ssthresh = d->prior_ssthresh;
	}
	d->undo_marker = false;
}

static bool may_undo(const struct sdir *d, uint32_t tsecr, bool has_ts)
{
	if (!d->undo_marker)
		return false;
	if (!d->undo_retrans)
		return true;
	return has_ts && d->retrans_stamp_set && tsecr &&
	       LT(tsecr, d->retrans_tsval);
}

static void try_to_open(struct sdir *d)
{
	if (d->state == TL_CA_CWR)
		return;
	uint8_t st = (d->sacked_out || d->lost_out || d->retrans_out ||
	              d->reno_dupacks) ? TL_CA_DISORDER : TL_CA_OPEN;
	if (d->state != st) {
		d->state = st;
		d->high_seq = d->nxt;
	}
}

/* RACK (tcp_recovery.c): a segment sent before one now delivered is lost
 * once it has been out longer than the delivered one's RTT plus a
 * reordering window, which is zero once DUPTHRESH segments are SACKed or
 * in recovery (no reordering is ever seen on the paths we model). */
static uint32_t rack_detect(struct sdir *d, tl_nsec now)
{
	if (!d->rack_advanced)
		return 0;
	d->rack_advanced = false;
	uint32_t reo = 0;
	if (d->state < TL_CA_RECOVERY && d->sacked_out < DUPTHRESH) {
		uint32_t srtt = d->srtt8 >> 3;
		reo = d->min_rtt >> 2;
		if (reo > srtt)
			reo = srtt;
	}
	uint32_t lost = 0;
	for (uint32_t i = 0; i < q_count(d); i++) {
		struct sb *e = q_at(d, i);
		if (e->flags & SB_SACKED)
			continue;
		if ((e->flags & SB_LOST) && !(e->flags & SB_RETRANS))
			continue;
		bool before = e->xmit < d->rack_xmit ||
		              (e->xmit == d->rack_xmit &&
		               GT(d->rack_end, e->end));
		if (!before)
			continue;
		int64_t waited = (now - e->xmit) / 1000;
		if ((int64_t)d->rack_rtt + reo - waited <= 0) {
			mark_lost(d, e);
			lost += e->pcount;
		}
	}
	return lost;
}

static void rack_advance(struct sdir *d, const struct sb *e, tl_nsec now)
{
	int64_t rtt = (now - e->xmit) / 1000;
	if ((e->flags & SB_EVER) && rtt < d->min_rtt)
		return;
	d->rack_advanced = true;
	d->rack_rtt = rtt < 0 ? 0 : rtt > 0x7fffffff ? 0x7fffffff
	                                             : (uint32_t)rtt;
	if (e->xmit > d->rack_xmit ||
	    (e->xmit == d->rack_xmit && GT(e->end, d->rack_end))) {
		d->rack_xmit = e->xmit;
		d->rack_end = e->end;
	}
}

static void enter_loss(struct tl_sender *s, struct sdir *d, tl_nsec now)
{
	bool new_recovery = d->state < TL_CA_RECOVERY;
	note_event(d, TL_SEV_TIMEOUT);
	for (uint32_t i = 0; i < q_count(d); i++)
		mark_lost(d, q_at(d, i));
	if (d->state <= TL_CA_DISORDER || !GT(d->high_seq, d->una) ||
	    (d->state == TL_CA_LOSS && !d->rto_retransmits)) {
		d->prior_ssthresh = d->ssthresh;
		d->prior_cwnd = d->cwnd;
		d->ssthresh = cc_ssthresh(s, d);
		init_undo(d);
	}
	d->cwnd = in_flight(d) + 1;
	d->cwnd_cnt = 0;
	d->state = TL_CA_LOSS;
	d->high_seq = d->nxt;
	d->tlp_high_seq = 0;
	d->frto = new_recovery || d->rto_retransmits;
	d->reno_dupacks = 0;
	if (s->cc == TL_CC_CUBIC)
		cubic_reset(d, now);
}

/* An ACK comes after a bulk sender has filled what cwnd allowed: in open
 * state the segments in flight are the window the previous ACK left.
 * Clocks whose cwnd is larger are contradicted (unless nothing was sent
 * since the previous ACK or the sender keeps fewer out than every clock
 * would allow: then it is short of data, not of window). */
static void clocks_check(struct sdir *d)
{
	if (!d->sent_since_ack || d->state != TL_CA_OPEN || d->sacked_out ||
	    d->lost_out || d->retrans_out || !clocks_current(d))
		return;
	need_clocks(d);
	uint32_t f = in_flight(d), least = UINT32_MAX;
	for (unsigned k = 0; k < NCLOCK; k++)
		if (d->ck[k].cwnd < least)
			least = d->ck[k].cwnd;
	if (f < least)
		return;
	for (unsigned k = 0; k < NCLOCK; k++)
		if (d->ck[k].cwnd > f)
			d->ck[k].miss++;
	clocks_pick(d);
}

/* ---- one ACK (tcp_ack) ------------------------------------------------ */

struct ack {
	uint32_t ack;
	const struct tl_tcp_options *opt;
	bool dup_candidate;     /* no data, no SYN/FIN, same window */
	bool sack_perm;         /* else dupACKs count as SACKs (NewReno) */
};

static bool in_block(uint32_t l, uint32_t r, const struct sb *e)
{
	return GE(e->seq, l) && LE(e->end, r);
}

static int sack_blocks(struct sdir *d, const struct ack *a, tl_nsec now,
                       uint32_t *newly, int64_t *sack_rtt)
{
	int flag = 0;
	const struct tl_tcp_options *o = a->opt;
	for (unsigned b = 0; b < o->sack_count && b < TL_MAX_SACK_BLOCKS; b++) {
		uint32_t l = o->sack[b][0], r = o->sack[b][1];
		if (!GT(r, l))
			continue;
		bool dsack = b == 0 && (LE(r, a->ack) ||
		             (o->sack_count > 1 && GE(l, o->sack[1][0]) &&
		              LE(r, o->sack[1][1])));
		if (dsack) {
			flag |= F_DSACK;
			if (d->undo_marker && d->undo_retrans > 0)
				d->undo_retrans--;
			continue;
		}
		if (LE(r, a->ack) || LE(r, d->una))
			continue;
		for (uint32_t i = 0; i < q_count(d); i++) {
			struct sb *e = q_at(d, i);
			if (GE(e->seq, r))
				break;
			if ((e->flags & SB_SACKED) || !in_block(l, r, e))
				continue;
			rack_advance(d, e, now);
			if (e->flags & SB_LOST) {
				e->flags &= (uint8_t)~SB_LOST;
				d->lost_out -= e->pcount;
			}
			if (e->flags & SB_RETRANS) {
				e->flags &= (uint8_t)~SB_RETRANS;
				d->retrans_out -= e->pcount;
			}
			if (!(e->flags & SB_EVER)) {
				if (LE(e->end, d->high_seq))
					flag |= F_ORIG_ACKED;
				if (*sack_rtt < 0)
					*sack_rtt = (now - e->xmit) / 1000;
			}
			e->flags |= SB_SACKED;
			d->sacked_out += e->pcount;
			*newly += e->pcount;
			flag |= F_DATA_SACKED;
		}
	}
	return flag;
}

/* Removes what the cumulative ACK covers; returns the flags. */
static int clean_queue(struct sdir *d, uint32_t ack, tl_nsec now,
                       uint32_t *newly, int64_t *seq_rtt, int64_t *ca_rtt)
{
	int flag = 0;
	bool retrans_acked = false;
	tl_nsec first = 0, last = 0;
	while (q_count(d)) {
		struct sb *e = q_at(d, 0);
		if (GT(e->end, ack)) {
			if (GT(ack, e->seq)) {       /* partly ACKed */
				uint16_t pc = pcount_of(d, e->end - ack);
				if (pc < e->pcount) {
					uint16_t gone = e->pcount - pc;
					d->packets_out -= gone;
					if (e->flags & SB_LOST)
						d->lost_out -= gone;
					if (e->flags & SB_RETRANS)
						d->retrans_out -= gone;
					*newly += gone;
					e->pcount = pc;
				}
				e->seq = ack;
				flag |= F_DATA_ACKED;
			}
			break;
		}
		if (!(e->flags & SB_SACKED)) {
			*newly += e->pcount;
			rack_advance(d, e, now);
			if (e->flags & SB_EVER) {
				retrans_acked = true;
			} else {
				last = e->xmit;
				if (!first)
					first = last;
				if (LE(e->end, d->high_seq))
					flag |= F_ORIG_ACKED;
			}
		}
		drop_entry(d, e);
		d->head++;
		flag |= F_DATA_ACKED;
	}
	if (first && !retrans_acked) {
		*seq_rtt = (now - first) / 1000;
		*ca_rtt = (now - last) / 1000;
	}
	return flag;
}

static void process_tlp_ack(struct tl_sender *s, struct sdir *d, uint32_t ack,
                            int flag)
{
	if (LT(ack, d->tlp_high_seq))
		return;
	if (!d->tlp_retrans || (flag & F_DSACK)) {
		d->tlp_high_seq = 0;
	} else if (GT(ack, d->tlp_high_seq)) {
		note_event(d, TL_SEV_TLP_LOSS);
		init_cwnd_reduction(s, d);
		d->state = TL_CA_CWR;
		end_cwnd_reduction(d);
		d->state = TL_CA_OPEN;
		try_to_open(d);
	} else if (!(flag & (F_UNA_ADVANCED | F_DATA_SACKED)) &&
	           (flag & F_DUP)) {
		d->tlp_high_seq = 0;
	}
}

static bool try_undo_recovery(struct sdir *d, struct tl_sender *s,
                              uint32_t tsecr, bool has_ts)
{
	if (may_undo(d, tsecr, has_ts)) {
		undo_cwnd_reduction(s, d);
		d->state = TL_CA_OPEN;
		return true;
	}
	d->state = TL_CA_OPEN;
	return false;
}

static void process_loss(struct tl_sender *s, struct sdir *d, int flag,
                         uint32_t tsecr, bool has_ts)
{
	bool recovered = GE(d->una, d->high_seq);
	if ((flag & F_UNA_ADVANCED) && may_undo(d, tsecr, has_ts)) {
		undo_cwnd_reduction(s, d);
		d->state = TL_CA_OPEN;
		return;
	}
	if (d->frto) {
		if ((flag & F_ORIG_ACKED)) {
			undo_cwnd_reduction(s, d);
			d->state = TL_CA_OPEN;
			return;
		}
		if (GT(d->nxt, d->high_seq)) {
			if (flag & (F_DATA_SACKED | F_DUP))
				d->frto = false;
		} else if ((flag & F_UNA_ADVANCED) && !recovered) {
			d->high_seq = d->nxt;
			return;
		}
	}
	if (recovered) {
		if (!try_undo_recovery(d, s, tsecr, has_ts))
			note_event(d, TL_SEV_LOSS_DONE);
		try_to_open(d);
	}
}

static void fastretrans_alert(struct tl_sender *s, struct sdir *d,
                              tl_nsec now, int flag, uint32_t tsecr,
                              bool has_ts)
{
	if (d->state == TL_CA_CWR && GE(d->una, d->high_seq) &&
	    d->una != d->high_seq) {
		end_cwnd_reduction(d);
		d->state = TL_CA_OPEN;
	} else if (d->state == TL_CA_RECOVERY && GE(d->una, d->high_seq)) {
		uint32_t before = d->cwnd;
		bool undone = try_undo_recovery(d, s, tsecr, has_ts);
		end_cwnd_reduction(d);
		if (!undone) {
			note_event(d, TL_SEV_RECOVERY_DONE);
			d->ev.prev_cwnd = before;
		}
	}
	switch (d->state) {
	case TL_CA_RECOVERY:
		if (d->undo_marker && !d->undo_retrans) {
			undo_cwnd_reduction(s, d);
			try_to_open(d);
		}
		rack_detect(d, now);
		if (d->state != TL_CA_RECOVERY && d->lost_out)
			enter_recovery(s, d);
		return;
	case TL_CA_LOSS:
		process_loss(s, d, flag, tsecr, has_ts);
		if (d->state == TL_CA_LOSS) {
			uint32_t retrans = d->retrans_out;
			rack_detect(d, now);
			if (d->retrans_out >= retrans)
				return;
		}
		/* Out of Loss, or a retransmission lost again (Linux's
		 * FLAG_LOST_RETRANS): on to the open state's rules at once,
		 * so a loss RACK sees starts a recovery on this very ACK
		 * (tcp_fastretrans_alert falls through). */
		/* fall through */
	default:
		if (d->state <= TL_CA_DISORDER && d->undo_marker &&
		    !d->undo_retrans && (flag & F_DSACK)) {
			undo_cwnd_reduction(s, d);
		}
		rack_detect(d, now);
		if (!d->sacked_out && d->reno_dupacks >= DUPTHRESH &&
		    q_count(d))
			mark_lost(d, q_at(d, 0));
		if (!d->lost_out) {
			try_to_open(d);
			return;
		}
		enter_recovery(s, d);
	}
}

static void process_ack(struct tl_sender *s, struct sdir *d, const struct ack *a,
                        tl_nsec now)
{
	if (!d->started || GT(a->ack, d->nxt) || LT(a->ack, d->una))
		return;
	uint32_t newly = 0, lost_before = d->lost_out;
	int64_t seq_rtt = -1, ca_rtt = -1, sack_rtt = -1;
	d->last_ack = now;
	if (s->cc == TL_CC_CUBIC)
		clocks_check(d);
	d->sent_since_ack = false;
	int flag = 0;
	/* SACK blocks first, then the cumulative ACK, as tcp_ack() does:
	 * RACK keeps the RTT of the last segment it was told about. */
	bool sack_ok = a->opt->present & TL_OPT_SACK;
	if (sack_ok)
		flag |= sack_blocks(d, a, now, &newly, &sack_rtt);
	if (GT(a->ack, d->una)) {
		flag |= F_UNA_ADVANCED;
		flag |= clean_queue(d, a->ack, now, &newly, &seq_rtt, &ca_rtt);
		d->una = a->ack;
		d->timer_base = now;
		d->rto_retransmits = 0;
		d->reno_dupacks = 0;
	}
	if (!(flag & (F_UNA_ADVANCED | F_DATA_SACKED)) && a->dup_candidate &&
	    d->packets_out) {
		flag |= F_DUP;
		if (!a->sack_perm)
			d->reno_dupacks++;
	}
	if (seq_rtt < 0)
		seq_rtt = sack_rtt;
	/* Retransmitted data ACKed: the echoed timestamp still times it
	 * (tcp_rtt_tsopt_us, in the sender's milliseconds, at least 1). */
	if (seq_rtt < 0 && (flag & F_DATA_ACKED) && d->ts_set &&
	    (a->opt->present & TL_OPT_TIMESTAMP) && a->opt->tsecr) {
		int64_t ms = (int64_t)(int32_t)(d->ts_last - a->opt->tsecr) +
		             (now - d->ts_time) / 1000000;
		if (ms >= 0 && ms < INT32_MAX / 1000)
			seq_rtt = ca_rtt = (ms ? ms : 1) * 1000;
	}
	if (seq_rtt >= 0)
		rtt_sample(d, seq_rtt);
	if (s->cc == TL_CC_CUBIC)
		cubic_acked(d, now, ca_rtt >= 0 ? ca_rtt : seq_rtt);
	if (d->tlp_high_seq)
		process_tlp_ack(s, d, a->ack, flag);
	bool dubious = (flag & (F_DUP | F_DATA_SACKED | F_DSACK)) ||
	               d->state != TL_CA_OPEN;
	if (dubious)
		fastretrans_alert(s, d, now, flag, a->opt->tsecr,
		                  a->opt->present & TL_OPT_TIMESTAMP);
	uint32_t newly_lost = d->lost_out > lost_before
	                      ? d->lost_out - lost_before : 0;
	if (d->state == TL_CA_CWR || d->state == TL_CA_RECOVERY)
		cwnd_reduction(d, newly, newly_lost, flag);
	else if (flag & F_DATA_ACKED)
		cong_avoid(s, d, now, newly);
	if (!d->cwnd)
		d->cwnd = 1;
}

/* ---- one sent segment ------------------------------------------------- */

static void cwnd_validate(struct sdir *d)
{
	bool limited = in_flight(d) >= d->cwnd;
	if (!LT(d->una, d->cwnd_usage_seq) || limited ||
	    (!d->cwnd_limited && d->packets_out > d->max_packets_out)) {
		d->cwnd_limited = limited;
		d->max_packets_out = d->packets_out;
		d->cwnd_usage_seq = d->nxt;
	}
}

/* tcp_cwnd_restart(): data after an idle spell longer than the RTO starts
 * from at most the initial window, halved per RTO of silence, and
 * ssthresh keeps what the window was worth. */
static void cwnd_restart(struct sdir *d, tl_nsec now)
{
	int64_t idle = (now - d->last_data) / 1000;
	uint32_t rto = d->rto_us;
	if (!d->last_data || d->packets_out || idle <= (int64_t)rto || !rto)
		return;
	uint32_t cur = d->cwnd / 2 + d->cwnd / 4;
	if (d->state != TL_CA_CWR && d->state != TL_CA_RECOVERY &&
	    cur > d->ssthresh)
		d->ssthresh = cur;
	uint32_t restart = d->cwnd < INIT_CWND ? d->cwnd : INIT_CWND;
	uint32_t cwnd = d->cwnd;
	while ((idle -= rto) > 0 && cwnd > restart)
		cwnd >>= 1;
	d->cwnd = cwnd > restart ? cwnd : restart;
}

/* New data goes out only while fewer than cwnd segments are in flight
 * (tcp_cwnd_test), so what the wire shows in flight is a floor for cwnd
 * (the model falls below it when it times an increase later than the
 * kernel did; each CUBIC clock below it is raised and counted as
 * contradicted). Only in open state, soon after an ACK: a tail loss
 * probe may send one segment beyond cwnd, but not before 2 srtt of
 * quiet. */
static void cwnd_floor(const struct tl_sender *s, struct sdir *d,
                       tl_nsec now)
{
	uint32_t f = in_flight(d);
	if (d->state != TL_CA_OPEN || !d->last_ack || !d->rtt_set ||
	    (now - d->last_ack) / 1000 > (d->srtt8 >> 3))
		return;
	if (s->cc == TL_CC_CUBIC && clocks_current(d)) {
		need_clocks(d);
		for (unsigned k = 0; k < NCLOCK; k++) {
			struct cclock *c = &d->ck[k];
			if (f > c->cwnd) {
				c->miss++;
				c->cwnd = f;
				c->cwnd_cnt = 0;
			}
		}
		clocks_pick(d);
		return;
	}
	if (f <= d->cwnd)
		return;
	d->cwnd = f;
	d->cwnd_cnt = 0;
}

static void send_new(const struct tl_sender *s, struct sdir *d, uint32_t seq,
                     uint32_t end, tl_nsec now, bool unseen)
{
	/* Nothing in flight: CUBIC's epoch moves on by the time nothing was
	 * sent (CA_EVENT_TX_START). */
	for (unsigned k = 0; k < NCLOCK && d->ck && !in_flight(d) &&
	     d->last_data; k++) {
		struct cclock *c = &d->ck[k];
		if (!c->epoch_start)
			continue;
		uint32_t now_j = jiffies_of(d, k, now);
		c->epoch_start += now_j - jiffies_of(d, k, d->last_data);
		if ((int32_t)(c->epoch_start - now_j) > 0)
			c->epoch_start = now_j;
	}
	cwnd_restart(d, now);
	d->last_data = now;
	if (!d->packets_out)
		d->timer_base = now;
	struct sb e = { .seq = seq, .end = end, .xmit = now,
	                .pcount = pcount_of(d, end - seq) };
	(void)unseen;
	q_push(d, &e);
	d->packets_out += e.pcount;
	d->nxt = end;
	if (d->state == TL_CA_CWR || d->state == TL_CA_RECOVERY)
		d->prr_out += e.pcount;
	if (!unseen)
		cwnd_floor(s, d, now);
	d->sent_since_ack = true;
	cwnd_validate(d);
}

/* Which timer, if any, sent this retransmission of [seq, end). */
static uint8_t rtx_cause(struct tl_sender *s, struct sdir *d, uint32_t seq,
                         uint32_t end, tl_nsec now)
{
	int64_t idle = (now - d->timer_base) / 1000;
	uint64_t rto = rto_now(d);
	bool head = q_count(d) && LE(seq, q_at(d, 0)->seq);
	d->ev.idle_us = idle < 0 ? 0 : idle > UINT32_MAX ? UINT32_MAX
	                                                 : (uint32_t)idle;
	bool marked = false;
	for (uint32_t i = 0; i < q_count(d); i++) {
		struct sb *e = q_at(d, i);
		if (GE(e->seq, end))
			break;
		if (GT(e->end, seq) && (e->flags & SB_LOST))
			marked = true;
	}
	/* In open (or CWR) state with SACK the first timer after a quiet
	 * spell is the probe's, even when it comes as late as the RTO
	 * would (one segment out: 1.5 srtt + 200 ms); one probe at a time. */
	if (!marked && end == d->nxt && d->sack_ok && !d->tlp_high_seq &&
	    (d->state == TL_CA_OPEN || d->state == TL_CA_CWR)) {
		note_event(d, TL_SEV_TLP);
		d->tlp_high_seq = d->nxt;
		d->tlp_retrans = true;
		d->timer_base = now;
		return TL_RTX_TLP;
	}
	if (head && (uint64_t)(idle < 0 ? 0 : idle) * 100 >=
	            rto * RTO_SLACK_PCT) {
		uint32_t before = rto_now(d);
		enter_loss(s, d, now);
		d->rto_retransmits++;
		if (d->backoff < 30)
			d->backoff++;
		d->timer_base = now;
		d->ev.fired_rto_us = before;
		return TL_RTX_RTO;
	}
	if (d->state == TL_CA_LOSS)
		return TL_RTX_RTO;
	if (d->state == TL_CA_RECOVERY)
		return TL_RTX_FAST;
	if (!marked && end == d->nxt &&
	    (d->state == TL_CA_OPEN || d->state == TL_CA_CWR)) {
		note_event(d, TL_SEV_TLP);  /* without SACK: by its place */
		d->tlp_high_seq = d->nxt;
		d->tlp_retrans = true;
		d->timer_base = now;
		return TL_RTX_TLP;
	}
	/* RACK's reordering timer: recovery starts without an ACK. */
	if (!marked) {
		for (uint32_t i = 0; i < q_count(d); i++) {
			struct sb *e = q_at(d, i);
			if (GE(e->seq, end))
				break;
			if (GT(e->end, seq))
				mark_lost(d, e);
		}
	}
	enter_recovery(s, d);
	cwnd_reduction(d, 1, 0, 0);
	return TL_RTX_FAST;
}

static uint8_t send_rtx(struct tl_sender *s, struct sdir *d, uint32_t seq,
                        uint32_t end, tl_nsec now, uint32_t tsval)
{
	bool all_acked = true;
	for (uint32_t i = 0; i < q_count(d); i++) {
		struct sb *e = q_at(d, i);
		if (GE(e->seq, end))
			break;
		if (GT(e->end, seq) && !(e->flags & SB_SACKED))
			all_acked = false;
	}
	if (LE(end, d->una) || all_acked)
		return TL_RTX_SPURIOUS;
	uint8_t cause = rtx_cause(s, d, seq, end, now);
	for (uint32_t i = 0; i < q_count(d); i++) {
		struct sb *e = q_at(d, i);
		if (GE(e->seq, end))
			break;
		if (!GT(e->end, seq) || (e->flags & SB_SACKED))
			continue;
		if (!(e->flags & SB_RETRANS)) {
			e->flags |= SB_RETRANS;
			d->retrans_out += e->pcount;
		}
		e->flags |= SB_EVER;
		e->xmit = now;
		if (d->state == TL_CA_CWR || d->state == TL_CA_RECOVERY)
			d->prr_out += e->pcount;
		if (d->undo_retrans < 0)
			d->undo_retrans = 0;
		d->undo_retrans += e->pcount;
	}
	if (!d->retrans_stamp_set) {
		d->retrans_stamp_set = true;
		d->retrans_tsval = tsval;
	}
	return cause;
}

/* The SYN (or SYN/ACK) again: its timer fired. Linux starts with one
 * segment when it took more than one retransmission (tcp_init_transfer). */
static uint8_t syn_timeout(struct sdir *d, tl_nsec now)
{
	note_event(d, TL_SEV_TIMEOUT);
	int64_t idle = (now - d->timer_base) / 1000;
	d->ev.idle_us = idle < 0 ? 0 : idle > UINT32_MAX ? UINT32_MAX
	                                                 : (uint32_t)idle;
	d->ev.fired_rto_us = rto_now(d);
	d->timer_base = now;
	if (d->backoff < 30)
		d->backoff++;
	if (++d->syn_retrans > 1)
		d->cwnd = 1;
	return TL_RTX_RTO;
}

static uint8_t process_send(struct tl_sender *s, struct sdir *d,
                            const struct tl_packet *pkt,
                            const struct tl_seg_info *info, tl_nsec now)
{
	uint32_t seq = pkt->seq;
	if (pkt->flags & TL_TH_SYN) {
		if (d->syn_seen && seq + 1 == d->una && d->una == d->nxt)
			return syn_timeout(d, now);
		d->syn_seen = d->started = true;
		d->una = d->nxt = seq + 1;
		d->cu.end_seq = d->nxt;
		d->timer_base = now;
		hystart_reset(d, now);
		seq++;
	}
	uint32_t len = pkt->seglen + ((pkt->flags & TL_TH_FIN) ? 1u : 0u);
	if (!len)
		return TL_RTX_NONE;
	if (!d->started) {
		d->started = true;
		d->una = d->nxt = seq;
		hystart_reset(d, now);
	}
	if (!d->syn_seen && pkt->seglen > d->mss)
		d->mss = pkt->seglen;
	uint32_t end = seq + len;
	bool wireshark_rtx = info->analysis & (TL_AN_RETRANSMISSION |
	                                       TL_AN_FAST_RETRANSMISSION |
	                                       TL_AN_SPURIOUS_RETRANSMISSION);
	if (GE(seq, d->nxt)) {
		if (GT(seq, d->nxt))    /* not captured: sent all the same */
			send_new(s, d, d->nxt, seq, now, true);
		send_new(s, d, seq, end, now, false);
		return wireshark_rtx ? TL_RTX_NEVER_SENT : TL_RTX_NONE;
	}
	uint8_t cause = send_rtx(s, d, seq, LT(end, d->nxt) ? end : d->nxt,
	                         now, pkt->opt.tsval);
	if (GT(end, d->nxt))
		send_new(s, d, d->nxt, end, now, false);
	return cause;
}

/* ---- the entry point --------------------------------------------------- */

static void fill_vals(const struct sdir *d, struct tl_sender_vals *v)
{
	uint8_t ev = d->ev.event;
	*v = d->ev;
	v->event = ev;
	v->valid = d->started;
	v->ca_state = d->state;
	v->cwnd = d->cwnd;
	v->mss = d->mss;
	v->ssthresh = d->ssthresh;
	v->rto_us = rto_now(d);
	v->phase = d->state == TL_CA_RECOVERY ? TL_PHASE_FAST_RECOVERY
	         : d->state == TL_CA_LOSS ? TL_PHASE_RTO_RECOVERY
	         : d->cwnd < d->ssthresh ? TL_PHASE_SLOW_START
	                                 : TL_PHASE_AVOIDANCE;
}

static void set_mss(struct sdir *d, const struct tl_conn *c, unsigned dir)
{
	if (d->mss || !d->syn_seen)
		return;
	const struct tl_syn_options *peer = &c->dir[!dir].syn;
	const struct tl_syn_options *own = &c->dir[dir].syn;
	if (!peer->seen)
		return;
	uint32_t mss = (peer->present & TL_OPT_MSS) && peer->mss ? peer->mss
	                                                          : 536;
	if ((own->present & TL_OPT_MSS) && own->mss && own->mss < mss)
		mss = own->mss;
	if ((peer->present & own->present & TL_OPT_TIMESTAMP) && mss > 12)
		mss -= 12;
	d->mss = mss;
}

/* Both SYNs offered SACK, or (without the handshake) SACKs are in use. */
static bool sack_permitted(const struct tl_conn *c, const struct tl_packet *p)
{
	if (c->dir[0].syn.seen && c->dir[1].syn.seen)
		return c->dir[0].syn.present & c->dir[1].syn.present &
		       TL_OPT_SACK_PERM;
	return p->opt.present & TL_OPT_SACK;
}

void tl_sender_segment(struct tl_sender *s, const struct tl_packet *pkt,
                       const struct tl_seg_info *info, tl_nsec ts,
                       struct tl_sender_vals *out)
{
	struct sconn *c = conn_of(s, info->conn->stream);
	uint64_t before = conn_bytes(c);
	unsigned dir = info->dir & 1u;
	struct sdir *me = &c->d[dir], *peer = &c->d[!dir];
	memset(&me->ev, 0, sizeof me->ev);
	memset(&peer->ev, 0, sizeof peer->ev);
	me->sack_ok = peer->sack_ok = sack_permitted(info->conn, pkt) ||
	                              me->sack_ok;
	set_mss(peer, info->conn, !dir);
	if (pkt->opt.present & TL_OPT_TIMESTAMP) {
		ts_phase(me, pkt->opt.tsval, ts);
		me->ts_set = true;
		me->ts_last = pkt->opt.tsval;
		me->ts_time = ts;
	}
	if ((pkt->flags & TL_TH_ACK) && !(pkt->flags & TL_TH_RST)) {
		struct ack a = {
			.ack = pkt->ack, .opt = &pkt->opt,
			.dup_candidate = !pkt->seglen &&
			        !(pkt->flags & (TL_TH_SYN | TL_TH_FIN)) &&
			        !(info->analysis & TL_AN_WINDOW_UPDATE),
			.sack_perm = sack_permitted(info->conn, pkt),
		};
		process_ack(s, peer, &a, ts);
	}
	uint8_t cause = TL_RTX_NONE;
	bool data = pkt->seglen || (pkt->flags & (TL_TH_SYN | TL_TH_FIN));
	if (data && !(pkt->flags & TL_TH_RST)) {
		cause = process_send(s, me, pkt, info, ts);
		set_mss(me, info->conn, dir);
	}
	/* SYN and FIN take sequence space: they are the sender's rows. */
	if (data || !(pkt->flags & TL_TH_ACK)) {
		fill_vals(me, out);
		out->rtx_cause = cause;
	} else {
		fill_vals(peer, out);
		out->rtx_cause = TL_RTX_NONE;
	}
	s->bytes += conn_bytes(c) - before;     /* scoreboards only grow */
}

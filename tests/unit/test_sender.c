/* Unit tests for the sender model (src/model/sender.c): each mechanism on a
 * scripted exchange fed through the tracker, as a capture at the sender
 * would show it. The client sends 1000-byte segments (MSS 1000, SACK
 * permitted, no timestamps); segment k covers bytes 1 + 1000k onwards.
 * The expected numbers are Linux's (tcp_input.c, tcp_cong.c,
 * tcp_cubic.c, tcp_recovery.c) worked out by hand. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tl_sender.h"
#include "tl_track.h"

#include "check.h"

enum { C = 0, S = 1 };
#define MSS 1000u

struct run {
	struct tl_tracker tr;
	struct tl_sender *snd;
	uint32_t frame;
	uint32_t isn[2];
	struct tl_sender_vals v;
	struct tl_seg_info info;
	bool use_ts;            /* timestamps: TSval in ms, TSecr the peer's */
	uint32_t ts_seen[2];    /* latest TSval each side sent */
};

static void run_init(struct run *r, enum tl_cc cc)
{
	memset(r, 0, sizeof *r);
	tl_tracker_init(&r->tr);
	r->snd = tl_sender_new(cc);
	r->isn[C] = 1000000;
	r->isn[S] = 5000;
}

static void run_free(struct run *r)
{
	tl_sender_free(r->snd);
	tl_tracker_free(&r->tr);
}

/* One segment: seq/ack relative (0 is the SYN); sacks are pairs of
 * relative edges, nsack of them. */
static const struct tl_sender_vals *seg(struct run *r, double t, int d,
                                        unsigned flags, uint32_t seq,
                                        uint32_t ack, uint32_t len,
                                        const uint32_t *sacks,
                                        unsigned nsack)
{
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	p.ip_version = 4;
	p.src[0] = 10, p.src[3] = (uint8_t)(d + 1);
	p.dst[0] = 10, p.dst[3] = (uint8_t)(2 - d);
	p.sport = d == C ? 40000 : 80;
	p.dport = d == C ? 80 : 40000;
	p.seq = r->isn[d] + seq;
	p.ack = (flags & TL_TH_ACK) ? r->isn[!d] + ack : 0;
	p.flags = (uint16_t)flags;
	p.window = 60000;
	p.tcp_header_len = 20;
	p.seglen = len;
	p.ip_payload_len = 20 + len;
	if (flags & TL_TH_SYN) {
		p.opt.present = TL_OPT_MSS | TL_OPT_SACK_PERM;
		p.opt.mss = MSS + (r->use_ts ? 12u : 0u);
	}
	if (r->use_ts) {
		p.opt.present |= TL_OPT_TIMESTAMP;
		p.opt.tsval = r->ts_seen[d] = (uint32_t)(t * 1000);
		p.opt.tsecr = r->ts_seen[!d];
	}
	for (unsigned i = 0; i < nsack && i < TL_MAX_SACK_BLOCKS; i++) {
		p.opt.present |= TL_OPT_SACK;
		p.opt.sack[i][0] = r->isn[!d] + sacks[2 * i];
		p.opt.sack[i][1] = r->isn[!d] + sacks[2 * i + 1];
		p.opt.sack_count = (uint8_t)(i + 1);
	}
	r->frame++;
	tl_nsec ts = (tl_nsec)(t * 1e9 + 0.5);
	tl_tracker_segment(&r->tr, &p, r->frame, ts, &r->info);
	tl_sender_segment(r->snd, &p, &r->info, ts, &r->v);
	return &r->v;
}

static void handshake(struct run *r, double t)
{
	seg(r, t, C, TL_TH_SYN, 0, 0, 0, NULL, 0);
	seg(r, t + 0.025, S, TL_TH_SYN | TL_TH_ACK, 0, 1, 0, NULL, 0);
	seg(r, t + 0.050, C, TL_TH_ACK, 1, 1, 0, NULL, 0);
}

/* Client data segment k. */
static const struct tl_sender_vals *data(struct run *r, double t, uint32_t k)
{
	return seg(r, t, C, TL_TH_ACK, 1 + k * MSS, 1, MSS, NULL, 0);
}

/* Server ACK of segments below k, SACKing [a, b) segment ranges. */
static const struct tl_sender_vals *ack(struct run *r, double t, uint32_t k)
{
	return seg(r, t, S, TL_TH_ACK, 1, 1 + k * MSS, 0, NULL, 0);
}

static const struct tl_sender_vals *sack(struct run *r, double t, uint32_t k,
                                         uint32_t a, uint32_t b)
{
	uint32_t e[2] = { 1 + a * MSS, 1 + b * MSS };
	return seg(r, t, S, TL_TH_ACK, 1, 1 + k * MSS, 0, e, 1);
}

/* ---- start and slow start --------------------------------------------- */

static void test_initial_state(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	const struct tl_sender_vals *v = data(&r, 1.06, 0);
	CHECK(v->valid);
	CHECK_UINT(v->cwnd, 10);
	CHECK_UINT(v->mss, MSS);
	CHECK_UINT(tl_sender_cwnd_bytes(v), 10000);
	CHECK_UINT(v->ssthresh, TL_SSTHRESH_INFINITE);
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	CHECK_STR(tl_phase_name(v->phase), "slow_start");
	CHECK_UINT(v->rto_us, 1000000);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "");
	/* The server's pure ACK shows the client's model, not its own. */
	v = ack(&r, 1.11, 1);
	CHECK(v->valid);
	/* First RTT sample 50 ms: RTO = srtt + max(2 srtt, 200 ms). */
	CHECK_UINT(v->rto_us, 250000);
	run_free(&r);
}

/* Ten segments in flight fill the window: each ACK of one adds one. */
static void test_slow_start(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	for (uint32_t k = 0; k < 10; k++)
		data(&r, 1.06, k);
	const struct tl_sender_vals *v = NULL;
	for (uint32_t k = 1; k <= 10; k++)
		v = ack(&r, 1.11 + k * 0.001, k);
	CHECK_UINT(v->cwnd, 20);
	CHECK_STR(tl_phase_name(v->phase), "slow_start");
	run_free(&r);
}

/* An application that keeps few segments out does not grow cwnd (Linux's
 * tcp_is_cwnd_limited). */
static void test_not_cwnd_limited(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	const struct tl_sender_vals *v = NULL;
	for (uint32_t k = 0; k < 20; k++) {
		data(&r, 1.06 + k * 0.1, k);
		v = ack(&r, 1.11 + k * 0.1, k + 1);
	}
	CHECK_UINT(v->cwnd, 10);
	run_free(&r);
}

/* What the wire shows in flight is a floor for cwnd (tcp_cwnd_test lets
 * nothing new out beyond it): after one ACK of the first ten, cwnd 20,
 * 24 segments out mean 24. A new segment beyond cwnd long after the last
 * ACK is a tail loss probe's and says nothing. */
static void test_wire_floor(void)
{
	struct run r;
	run_init(&r, TL_CC_CUBIC);
	handshake(&r, 1.0);
	for (uint32_t k = 0; k < 10; k++)
		data(&r, 1.06, k);
	const struct tl_sender_vals *v = ack(&r, 1.11, 10);
	CHECK_UINT(v->cwnd, 20);
	for (uint32_t k = 10; k < 34; k++)
		v = data(&r, 1.111, k);
	CHECK_UINT(v->cwnd, 24);
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	run_free(&r);

	run_init(&r, TL_CC_CUBIC);
	handshake(&r, 1.0);
	for (uint32_t k = 0; k < 10; k++)
		data(&r, 1.06, k);
	ack(&r, 1.11, 10);
	for (uint32_t k = 10; k < 30; k++)
		data(&r, 1.111, k);
	v = data(&r, 1.3, 30);
	CHECK_UINT(v->cwnd, 20);
	run_free(&r);
}

/* Data after a silence longer than the RTO restarts from the initial
 * window (tcp_slow_start_after_idle), halving what is above it per RTO. */
static void test_restart_after_idle(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	for (uint32_t k = 0; k < 10; k++)
		data(&r, 1.06, k);
	const struct tl_sender_vals *v = NULL;
	for (uint32_t k = 1; k <= 10; k++)
		v = ack(&r, 1.11 + k * 0.001, k);
	CHECK_UINT(v->cwnd, 20);
	/* 0.1 s later (below the RTO): the window is kept. */
	v = data(&r, 1.22, 10);
	CHECK_UINT(v->cwnd, 20);
	ack(&r, 1.27, 11);
	/* Three seconds of silence, RTO 250 ms: 20 -> 10. */
	v = data(&r, 4.27, 11);
	CHECK_UINT(v->cwnd, 10);
	CHECK_UINT(v->ssthresh, TL_SSTHRESH_INFINITE);
	run_free(&r);
}

/* ---- fast recovery ----------------------------------------------------- */

/* Segment 0 of 10 lost; SACKs of 1, 2, 3: the third starts recovery. */
static void lose_first(struct run *r)
{
	handshake(r, 1.0);
	for (uint32_t k = 0; k < 10; k++)
		data(r, 1.06, k);
}

static void test_fast_retransmit_reno(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	lose_first(&r);
	const struct tl_sender_vals *v = sack(&r, 1.11, 0, 1, 2);
	CHECK_STR(tl_ca_state_name(v->ca_state), "disorder");
	CHECK_UINT(v->cwnd, 10);
	v = sack(&r, 1.111, 0, 1, 3);
	CHECK_STR(tl_ca_state_name(v->ca_state), "disorder");
	v = sack(&r, 1.112, 0, 1, 4);
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	CHECK_STR(tl_phase_name(v->phase), "fast_recovery");
	CHECK_UINT(v->event, TL_SEV_RECOVERY);
	CHECK_UINT(v->ssthresh, 5);
	/* PRR: in flight 10 - 3 SACKed - 1 lost = 6 > ssthresh 5, and one
	 * segment newly delivered: sndcnt = ceil(5 * 1 / 10) - 0 sent = 1,
	 * cwnd 6 + 1. */
	CHECK_UINT(v->cwnd, 7);
	char why[160];
	tl_sender_why(v, why, sizeof why);
	CHECK_STR(why, "3 duplicate ACKs: fast retransmit, ssthresh inf -> 5, "
	               "cwnd 7");
	v = data(&r, 1.113, 0);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "fast");
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	/* Everything ACKed: recovery ends with cwnd = ssthresh 5, and the
	 * same ACK's seven delivered segments then add one in avoidance. */
	v = ack(&r, 1.17, 10);
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	CHECK_UINT(v->event, TL_SEV_RECOVERY_DONE);
	CHECK_UINT(v->cwnd, 6);
	CHECK_STR(tl_phase_name(v->phase), "congestion_avoidance");
	run_free(&r);
}

/* Reno's avoidance: one segment per window of ACKed segments. */
static void test_congestion_avoidance_reno(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	lose_first(&r);
	sack(&r, 1.11, 0, 1, 2);
	sack(&r, 1.111, 0, 1, 3);
	sack(&r, 1.112, 0, 1, 4);
	data(&r, 1.113, 0);
	ack(&r, 1.17, 10);
	const struct tl_sender_vals *v = NULL;
	/* cwnd 6: six segments out, six ACKs make it 7, one more after. */
	for (uint32_t k = 10; k < 16; k++)
		data(&r, 1.18, k);
	for (uint32_t k = 11; k <= 16; k++)
		v = ack(&r, 1.23 + k * 0.001, k);
	CHECK_UINT(v->cwnd, 7);
	CHECK_UINT(v->ssthresh, 5);
	run_free(&r);
}

/* CUBIC's reduction keeps 717/1024 of the window. */
static void test_cubic_ssthresh(void)
{
	struct run r;
	run_init(&r, TL_CC_CUBIC);
	lose_first(&r);
	sack(&r, 1.11, 0, 1, 2);
	sack(&r, 1.111, 0, 1, 3);
	const struct tl_sender_vals *v = sack(&r, 1.112, 0, 1, 4);
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	CHECK_UINT(v->ssthresh, 7);
	run_free(&r);
}

/* Fewer than three SACKed: the RACK reordering timer retransmits, which
 * the capture shows as a retransmission without a third SACK. */
static void test_rack_timer_recovery(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	lose_first(&r);
	const struct tl_sender_vals *v = sack(&r, 1.11, 0, 1, 2);
	CHECK_STR(tl_ca_state_name(v->ca_state), "disorder");
	v = data(&r, 1.125, 0);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "fast");
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	CHECK_UINT(v->ssthresh, 5);
	run_free(&r);
}

/* The retransmission is DSACKed: the original was not lost, the
 * reduction is undone. */
static void test_dsack_undo(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	lose_first(&r);
	sack(&r, 1.11, 0, 1, 2);
	sack(&r, 1.111, 0, 1, 3);
	sack(&r, 1.112, 0, 1, 4);
	data(&r, 1.113, 0);
	/* The original arrives: everything ACKed, then the DSACK. */
	uint32_t d[2] = { 1, 1 + MSS };
	const struct tl_sender_vals *v =
		seg(&r, 1.16, S, TL_TH_ACK, 1, 1 + 10 * MSS, 0, d, 1);
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	CHECK_UINT(v->event, TL_SEV_UNDO);
	CHECK(v->cwnd >= 10);
	CHECK_UINT(v->ssthresh, TL_SSTHRESH_INFINITE);
	run_free(&r);
}

/* ---- timeouts ----------------------------------------------------------- */

static void test_rto_and_backoff(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 1);       /* srtt 50 ms: RTO 250 ms */
	for (uint32_t k = 1; k <= 8; k++)
		data(&r, 1.12, k);
	/* Nothing comes back: at 1.12 + 0.25 the head goes again. */
	const struct tl_sender_vals *v = data(&r, 1.371, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	CHECK_STR(tl_ca_state_name(v->ca_state), "loss");
	CHECK_STR(tl_phase_name(v->phase), "rto_recovery");
	CHECK_UINT(v->event, TL_SEV_TIMEOUT);
	CHECK_UINT(v->cwnd, 1);
	CHECK_UINT(v->ssthresh, 5);
	CHECK_UINT(v->rto_us, 500000);
	char why[160];
	tl_sender_why(v, why, sizeof why);
	CHECK_STR(why, "no ACK for 251 ms, RTO 250 ms: timeout, ssthresh "
	               "inf -> 5, cwnd 1");
	/* Again, after the doubled RTO: ssthresh stays. */
	v = data(&r, 1.872, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	CHECK_UINT(v->event, TL_SEV_TIMEOUT);
	CHECK_UINT(v->cwnd, 1);
	CHECK_UINT(v->ssthresh, 5);
	CHECK_UINT(v->rto_us, 1000000);
	/* The ACK of the head: slow start from 1 (F-RTO sends new data). */
	v = ack(&r, 1.922, 2);
	CHECK_STR(tl_ca_state_name(v->ca_state), "loss");
	CHECK_UINT(v->cwnd, 2);
	/* Everything up to what was sent at the timeout ACKed: open. */
	v = ack(&r, 1.95, 9);
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	run_free(&r);
}

/* The ACK that ends Loss goes on to the open state's rules at once
 * (tcp_fastretrans_alert falls through): a segment sent after the timeout
 * that RACK finds lost on it starts a recovery there and then. */
static void test_loss_to_recovery(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 1);       /* srtt 50 ms: RTO 250 ms */
	data(&r, 1.12, 1);
	data(&r, 1.12, 2);
	data(&r, 1.371, 1);     /* timeout */
	data(&r, 1.872, 1);     /* and again */
	const struct tl_sender_vals *v = ack(&r, 1.922, 2);
	CHECK_STR(tl_ca_state_name(v->ca_state), "loss");
	v = data(&r, 1.923, 2);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	data(&r, 1.923, 3);
	data(&r, 1.94, 4);
	/* All that was out at the timeout ACKed, and the later of the two
	 * new segments SACKed 20 ms after it went: the earlier one, out for
	 * 37 ms, is lost (20 ms + min_rtt / 4). */
	v = sack(&r, 1.96, 3, 4, 5);
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	run_free(&r);
}

/* In Loss, a retransmission found lost again (a later one SACKed, RACK
 * with no reordering window) starts a recovery (FLAG_LOST_RETRANS). */
static void test_lost_retransmission(void)
{
	struct run r;
	run_init(&r, TL_CC_CUBIC);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 1);       /* srtt 50 ms: RTO 250 ms */
	for (uint32_t k = 1; k <= 3; k++)
		data(&r, 1.12, k);
	data(&r, 1.371, 1);     /* timeout */
	const struct tl_sender_vals *v = ack(&r, 1.421, 2);
	CHECK_STR(tl_ca_state_name(v->ca_state), "loss");
	CHECK_UINT(v->cwnd, 2);
	data(&r, 1.422, 2);
	v = data(&r, 1.43, 3);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	/* The second retransmission SACKed 50 ms after it went, the first,
	 * out for 58 ms, not: lost again. */
	v = sack(&r, 1.48, 2, 3, 4);
	CHECK_STR(tl_ca_state_name(v->ca_state), "recovery");
	CHECK_UINT(v->ssthresh, 2);
	run_free(&r);
}

/* With timestamps, an ACK of retransmitted data still times the path
 * (the echoed TSval): the backoff ends and the RTO is srtt + rttvar. */
static void test_timestamp_rtt_ends_backoff(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	r.use_ts = true;
	handshake(&r, 1.0);
	const struct tl_sender_vals *v = data(&r, 1.06, 0);
	CHECK_UINT(v->mss, MSS);
	ack(&r, 1.11, 1);
	for (uint32_t k = 1; k <= 8; k++)
		data(&r, 1.12, k);
	v = data(&r, 1.371, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	CHECK_UINT(v->rto_us, 500000);
	/* The retransmission comes back 50 ms later, echoing its TSval. */
	v = ack(&r, 1.421, 2);
	CHECK_MSG(v->rto_us < 300000, "rto %u us: backoff kept", v->rto_us);
	run_free(&r);
}

/* The last segment alone unACKed for two RTTs: a tail loss probe. */
static void test_tail_loss_probe(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 1);
	for (uint32_t k = 1; k <= 4; k++)
		data(&r, 1.12, k);
	ack(&r, 1.17, 4);
	const struct tl_sender_vals *v = data(&r, 1.27, 4);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "tlp");
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	CHECK_UINT(v->event, TL_SEV_TLP);
	CHECK_UINT(v->cwnd, 10);
	run_free(&r);
}

/* One segment out (a FIN, say) and silence as long as the RTO: with SACK
 * the first timer is still the probe's; the next one is the RTO. */
static void test_probe_before_timeout(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 1);       /* RTO 250 ms */
	data(&r, 1.12, 1);
	const struct tl_sender_vals *v = data(&r, 1.40, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "tlp");
	CHECK_STR(tl_ca_state_name(v->ca_state), "open");
	v = data(&r, 1.66, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "rto");
	CHECK_STR(tl_ca_state_name(v->ca_state), "loss");
	run_free(&r);
}

/* ---- retransmission causes that are no timer's ------------------------ */

static void test_spurious_retransmission(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	for (uint32_t k = 0; k < 3; k++)
		data(&r, 1.06, k);
	ack(&r, 1.11, 2);
	/* Segment 1 is ACKed already. */
	const struct tl_sender_vals *v = data(&r, 1.12, 1);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "spurious");
	/* SACKed already counts too. */
	sack(&r, 1.13, 2, 3, 3);
	run_free(&r);
}

/* Wireshark calls a segment a retransmission when an ACK seen before it
 * covered its bytes (here the capture saw the ACK first); it was never
 * sent before. */
static void test_never_sent(void)
{
	struct run r;
	run_init(&r, TL_CC_RENO);
	handshake(&r, 1.0);
	data(&r, 1.06, 0);
	ack(&r, 1.11, 2);   /* ACKs segment 1, not seen yet */
	const struct tl_sender_vals *v = data(&r, 1.111, 1);
	unsigned an = r.info.analysis & (TL_AN_RETRANSMISSION |
	                                 TL_AN_FAST_RETRANSMISSION |
	                                 TL_AN_SPURIOUS_RETRANSMISSION);
	if (an)
		CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "never_sent");
	else
		CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "");
	/* A plain new segment is never a retransmission. */
	v = data(&r, 1.112, 2);
	CHECK_STR(tl_rtx_cause_name(v->rtx_cause), "");
	run_free(&r);
}

/* ---- hostile input ------------------------------------------------------ */

/* Random segments, ACKs and SACK blocks in both directions: the model
 * must never crash nor report a zero window (ASan and UBSan catch the
 * rest when built with them). */
static void test_random_segments(void)
{
	struct run r;
	run_init(&r, TL_CC_CUBIC);
	srand(16);
	handshake(&r, 1.0);
	double t = 1.1;
	for (int i = 0; i < 20000; i++) {
		int d = rand() & 1;
		unsigned flags = TL_TH_ACK | ((rand() % 50) ? 0u : TL_TH_FIN) |
		                 ((rand() % 300) ? 0u : TL_TH_SYN) |
		                 ((rand() % 500) ? 0u : TL_TH_RST);
		uint32_t sq = (uint32_t)(rand() % 200) * 700u;
		uint32_t ak = (uint32_t)(rand() % 200) * 700u;
		uint32_t len = (uint32_t)(rand() % 3) * 700u;
		uint32_t s[8];
		unsigned ns = (unsigned)(rand() % 5);
		for (unsigned b = 0; b < 8; b++)
			s[b] = (uint32_t)rand() % 150000u;
		if (rand() % 20 == 0)
			t += (rand() % 3000) / 1000.0;
		t += 0.0001;
		const struct tl_sender_vals *v =
			seg(&r, t, d, flags, sq, ak, len, s, ns);
		if (v->valid && v->cwnd == 0) {
			CHECK_MSG(v->cwnd > 0, "cwnd 0 at segment %d", i);
			break;
		}
	}
	/* What it holds is counted, and given back when the stream goes. */
	CHECK(tl_sender_bytes(r.snd) > 1024);
	tl_sender_forget(r.snd, 0);
	CHECK(tl_sender_bytes(r.snd) <= 64 * sizeof(void *));
	CHECK_UINT(tl_sender_bytes(NULL), 0);
	run_free(&r);
}

static void test_names(void)
{
	CHECK_STR(tl_ca_state_name(TL_CA_CWR), "cwr");
	CHECK_STR(tl_ca_state_name(99), "");
	CHECK_STR(tl_phase_name(TL_PHASE_AVOIDANCE), "congestion_avoidance");
	CHECK_STR(tl_rtx_cause_name(TL_RTX_NEVER_SENT), "never_sent");
	enum tl_cc cc;
	CHECK(tl_cc_parse("reno", &cc) && cc == TL_CC_RENO);
	CHECK(tl_cc_parse("cubic", &cc) && cc == TL_CC_CUBIC);
	CHECK(!tl_cc_parse("bbr", &cc));
	struct tl_sender_vals v = { .event = TL_SEV_NONE };
	char buf[8];
	CHECK_UINT(tl_sender_why(&v, buf, sizeof buf), 0);
	CHECK_STR(buf, "");
	v.event = TL_SEV_RECOVERY;
	tl_sender_why(&v, buf, sizeof buf);
	CHECK_UINT(strlen(buf), 7);     /* cut, never overflowing */
}

static const struct check_test tests[] = {
	CHECK_TEST(test_initial_state),
	CHECK_TEST(test_slow_start),
	CHECK_TEST(test_not_cwnd_limited),
	CHECK_TEST(test_restart_after_idle),
	CHECK_TEST(test_fast_retransmit_reno),
	CHECK_TEST(test_congestion_avoidance_reno),
	CHECK_TEST(test_cubic_ssthresh),
	CHECK_TEST(test_rack_timer_recovery),
	CHECK_TEST(test_dsack_undo),
	CHECK_TEST(test_rto_and_backoff),
	CHECK_TEST(test_timestamp_rtt_ends_backoff),
	CHECK_TEST(test_tail_loss_probe),
	CHECK_TEST(test_probe_before_timeout),
	CHECK_TEST(test_spurious_retransmission),
	CHECK_TEST(test_never_sent),
	CHECK_TEST(test_wire_floor),
	CHECK_TEST(test_loss_to_recovery),
	CHECK_TEST(test_lost_retransmission),
	CHECK_TEST(test_random_segments),
	CHECK_TEST(test_names),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

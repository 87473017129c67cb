/* Unit tests for the tracker (src/model/track.c): every rule and example of
 * shared/docs/tcp-analysis.md §2-§4 and §9, fed as scripted segments.
 *
 * Scripts are written like tcp-experiments.py: times in seconds, seq/ack as
 * offsets from each side's ISN (seq 0 is the SYN), the ack field zero
 * unless ACK is set. Each expected result was also checked against tshark
 * 4.0.17 on the same segments; where tshark and the document disagree the
 * test follows tshark and says so. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tl_track.h"

#include "check.h"

enum { C = 0, S = 1 };

#define F TL_TH_FIN
#define SY TL_TH_SYN
#define R TL_TH_RST
#define P TL_TH_PSH
#define A TL_TH_ACK

/* Short names for the analysis bits. */
#define ACKLOST TL_AN_ACK_LOST_SEGMENT
#define DUP TL_AN_DUPLICATE_ACK
#define FAST TL_AN_FAST_RETRANSMISSION
#define KA TL_AN_KEEP_ALIVE
#define KAACK TL_AN_KEEP_ALIVE_ACK
#define LOST TL_AN_LOST_SEGMENT
#define OOO TL_AN_OUT_OF_ORDER
#define RETR TL_AN_RETRANSMISSION
#define REUSED TL_AN_REUSED_PORTS
#define SPUR TL_AN_SPURIOUS_RETRANSMISSION
#define WFULL TL_AN_WINDOW_FULL
#define WUPD TL_AN_WINDOW_UPDATE
#define ZW TL_AN_ZERO_WINDOW
#define ZWP TL_AN_ZERO_WINDOW_PROBE
#define ZWPACK TL_AN_ZERO_WINDOW_PROBE_ACK

/* ---- the script runner ------------------------------------------------ */

struct script {
	struct tl_tracker tr;
	uint32_t frame;
	uint32_t isn[2];
	uint8_t addr[2][16];
	uint16_t port[2];
	uint32_t stream;        /* expected stream of the next segments */
	bool check_rel;         /* seq_rel/ack_rel equal the script's offsets */
	bool quiet;             /* feed only, check nothing */
	bool have_rawack;
	uint32_t rawack;        /* ack field for the next segment, verbatim */
	struct tl_tcp_options opt;  /* options of the next segment */
	struct tl_seg_info info;
	char ctx[64];
};

static void script_init(struct script *s)
{
	memset(s, 0, sizeof *s);
	tl_tracker_init(&s->tr);
	s->isn[C] = 1000;
	s->isn[S] = 5000;
	s->addr[C][0] = 10, s->addr[C][3] = 1;
	s->addr[S][0] = 10, s->addr[S][3] = 2;
	s->port[C] = 40000;
	s->port[S] = 80;
	s->check_rel = true;
}

static void script_free(struct script *s)
{
	tl_tracker_free(&s->tr);
}

static void an_names(unsigned an, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 16; i++)
		if (an & (1u << i))
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
			                      n ? "," : "", tl_analysis_name(i));
	if (!n)
		snprintf(buf, size, "-");
}

static void options_ws(struct script *s, unsigned shift)
{
	s->opt.present |= TL_OPT_WSCALE;
	s->opt.wscale = (uint8_t)shift;
}

/* Feeds one segment; checks its analysis bits (Wireshark's 15, not our
 * window change), stream, and when check_rel the relative numbers. */
static const struct tl_seg_info *row(struct script *s, int line, double t,
                                     int d, unsigned flags, uint32_t seq,
                                     uint32_t ack, uint32_t len,
                                     uint16_t win, unsigned want)
{
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	p.ip_version = 4;
	memcpy(p.src, s->addr[d], 16);
	memcpy(p.dst, s->addr[!d], 16);
	p.sport = s->port[d];
	p.dport = s->port[!d];
	p.seq = s->isn[d] + seq;
	p.ack = (flags & A) ? s->isn[!d] + ack : 0;
	if (s->have_rawack)
		p.ack = s->rawack;
	p.flags = (uint16_t)flags;
	p.window = win;
	p.tcp_header_len = 20;
	p.seglen = len;
	p.ip_payload_len = 20 + len;
	p.opt = s->opt;
	s->frame++;
	tl_tracker_segment(&s->tr, &p, s->frame,
	                   (tl_nsec)(t * 1e9 + 0.5), &s->info);
	memset(&s->opt, 0, sizeof s->opt);
	s->have_rawack = false;

	if (s->quiet)
		return &s->info;
	snprintf(s->ctx, sizeof s->ctx, "frame %u", s->frame);
	check_context = s->ctx;
	unsigned got = s->info.analysis & TL_AN_WIRESHARK_MASK;
	if (got != want) {
		char g[256], w[256];
		an_names(got, g, sizeof g);
		an_names(want, w, sizeof w);
		check_fail(__FILE__, line, "analysis %s, want %s", g, w);
	}
	if (!s->info.conn) {
		check_fail(__FILE__, line, "no connection");
	} else if (s->info.conn->stream != s->stream) {
		check_fail(__FILE__, line, "stream %u, want %u",
		           s->info.conn->stream, s->stream);
	}
	if (s->check_rel) {
		uint32_t want_ack = (flags & A) ? ack : 0;
		if (s->info.seq_rel != seq || s->info.ack_rel != want_ack)
			check_fail(__FILE__, line, "Seq=%u Ack=%u, want Seq=%u "
			           "Ack=%u", s->info.seq_rel, s->info.ack_rel,
			           seq, want_ack);
	}
	if (!(want & DUP) && (s->info.dupack_num || s->info.dupack_frame))
		check_fail(__FILE__, line, "dupack %u#%u without the flag",
		           s->info.dupack_frame, s->info.dupack_num);
	return &s->info;
}

#define ROW(s, t, d, fl, seq, ack, len, win, want) \
	row((s), __LINE__, (t), (d), (fl), (seq), (ack), (len), (win), (want))

/* The usual three-way handshake as tcp-experiments.py's hs(): SYN at t0,
 * SYN/ACK rtt/2 later, ACK at t0 + rtt. Frames 1-3. */
static void handshake(struct script *s, double t0, double rtt, int wsc,
                      int wss, uint16_t win)
{
	if (wsc >= 0)
		options_ws(s, (unsigned)wsc);
	ROW(s, t0, C, SY, 0, 0, 0, win, 0);
	if (wss >= 0)
		options_ws(s, (unsigned)wss);
	ROW(s, t0 + rtt / 2, S, SY | A, 0, 1, 0, win, 0);
	CHECK_UINT(s->info.acks_frame, s->frame - 1);
	ROW(s, t0 + rtt, C, A, 1, 1, 0, win, 0);
	CHECK_UINT(s->info.acks_frame, s->frame - 1);
}

static void hs(struct script *s)
{
	handshake(s, 1.0, 0.010, -1, -1, 1000);
}

#define CHECK_DUP(i, frame, num) do { \
	CHECK_UINT((i)->dupack_frame, (frame)); \
	CHECK_UINT((i)->dupack_num, (num)); \
} while (0)

/* ---- §2.1 streams and port reuse --------------------------------------- */

static void test_streams_and_directions(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	struct tl_conn *c0 = i->conn;
	CHECK_UINT(i->dir, C);
	CHECK(memcmp(c0->addr[0], s.addr[C], 4) == 0);
	CHECK_UINT(c0->port[0], 40000);
	CHECK_UINT(c0->port[1], 80);
	ROW(&s, 1.02, S, A, 1, 1, 0, 1000, DUP);
	CHECK_UINT(i->dir, S);
	CHECK(i->conn == c0);
	/* Another client port: a new conversation, stream 1. */
	s.port[C] = 40001;
	s.stream = 1;
	ROW(&s, 1.03, C, SY, 0, 0, 0, 1000, 0);
	CHECK(i->conn != c0);
	CHECK_UINT(s.tr.stream_count, 2);
	/* The first sender is endpoint 0 even if it is the server. */
	s.port[C] = 40002;
	s.stream = 2;
	ROW(&s, 1.04, S, A, 1, 1, 10, 1000, 0);
	CHECK_UINT(i->dir, 0);
	CHECK_UINT(i->conn->port[0], 80);
	ROW(&s, 1.05, C, A, 1, 11, 0, 1000, 0);
	CHECK_UINT(i->dir, 1);
	/* Back to the first connection. */
	s.port[C] = 40000;
	s.stream = 0;
	ROW(&s, 1.06, C, A, 1, 1, 5, 1000, 0);
	CHECK(i->conn == c0);
	CHECK(tl_tracker_stream(&s.tr, 0) == c0);
	CHECK(tl_tracker_stream(&s.tr, 3) == NULL);
	/* IPv6 with the same port numbers is another conversation. */
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	p.ip_version = 6;
	p.src[0] = 0x20, p.src[15] = 1;
	p.dst[0] = 0x20, p.dst[15] = 2;
	p.sport = 40000, p.dport = 80, p.flags = SY, p.seq = 7;
	struct tl_seg_info info;
	tl_tracker_segment(&s.tr, &p, 99, 2000000000, &info);
	CHECK_UINT(info.conn->stream, 3);
	CHECK_UINT(info.conn->ip_version, 6);
	script_free(&s);
}

/* §4.12: a SYN with a new ISN after a FIN close starts stream 1; its
 * resend is a retransmission of stream 1. */
static void test_reused_ports_new_isn(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.02, C, F | A, 1, 1, 0, 1000, 0);
	ROW(&s, 1.03, S, F | A, 1, 2, 0, 1000, 0);
	ROW(&s, 1.04, C, A, 2, 2, 0, 1000, 0);
	struct tl_conn *old = s.info.conn;
	s.isn[C] = 777777;
	s.isn[S] = 888888;
	s.stream = 1;
	const struct tl_seg_info *i =
		ROW(&s, 3.00, C, SY, 0, 0, 0, 1000, REUSED);   /* 7 */
	CHECK(i->conn != old);
	CHECK_UINT(i->dir, C);
	ROW(&s, 4.00, C, SY, 0, 0, 0, 1000, RETR);          /* 8 */
	CHECK_UINT(i->rto_frame, 7);
	CHECK_INT(i->rto, 1000000000);
	ROW(&s, 4.01, S, SY | A, 0, 1, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 7);   /* the original SYN, not the resend */
	ROW(&s, 4.02, C, A, 1, 1, 0, 1000, 0);
	ROW(&s, 4.03, C, P | A, 1, 1, 10, 1000, 0);
	CHECK_UINT(s.tr.stream_count, 2);
	CHECK(tl_tracker_stream(&s.tr, 0) == old);
	script_free(&s);
}

/* §2.1: the same ISN stays in the old stream as a retransmission, even
 * after a FIN close; the final ACK then is a keep-alive. */
static void test_reused_ports_same_isn(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.02, C, F | A, 1, 1, 0, 1000, 0);
	ROW(&s, 1.03, S, F | A, 1, 2, 0, 1000, 0);
	ROW(&s, 1.04, C, A, 2, 2, 0, 1000, 0);
	const struct tl_seg_info *i = ROW(&s, 5.00, C, SY, 0, 0, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 4);    /* list empty: nextseqframe (FIN) */
	ROW(&s, 5.01, S, SY | A, 0, 1, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 5);
	CHECK_UINT(i->acks_frame, 7);
	ROW(&s, 5.02, C, A, 1, 1, 0, 1000, KA);
	CHECK_UINT(s.tr.stream_count, 1);
	script_free(&s);
}

/* Same ISN after a RST that moved nextseq far ahead (tshark 4.0.17). */
static void test_reused_ports_same_isn_after_rst(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.120, C, R, 500, 0, 0, 1000, 0);   /* RSTs are never lost */
	const struct tl_seg_info *i = ROW(&s, 2.0, C, SY, 0, 0, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 6);
	ROW(&s, 2.01, S, SY | A, 0, 1, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 2);
	ROW(&s, 2.02, C, A, 1, 1, 0, 1000, 0);
	ROW(&s, 2.03, C, A, 1, 1, 10, 1000, RETR);
	CHECK_UINT(i->rto_frame, 6);
	CHECK_UINT(s.tr.stream_count, 1);
	script_free(&s);
}

/* Not in tcp-analysis.md, but what tshark 4.0.17 does (same_isn_restore,
 * run here): a SYN with the same ISN sets nextseq back to the last
 * contiguous point, so data after it at 101 is not a retransmission. */
static void test_reused_ports_same_isn_restores_nextseq(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 301, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.120, C, R, 500, 0, 0, 1000, 0);
	const struct tl_seg_info *i = ROW(&s, 2.0, C, SY, 0, 0, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 5);    /* the oldest unacked: 301..400 */
	ROW(&s, 2.01, S, SY | A, 0, 1, 0, 1000, RETR);
	CHECK_UINT(i->acks_frame, 8);
	ROW(&s, 2.02, C, A, 101, 1, 10, 1000, 0);
	ROW(&s, 2.03, C, A, 111, 1, 10, 1000, 0);
	script_free(&s);
}

/* §2.1 / §9.8: after a mid-stream start, the first SYN opens a new
 * stream with reused_ports. */
static void test_reused_ports_after_midstream(void)
{
	struct script s;
	script_init(&s);
	ROW(&s, 1.000, C, P | A, 1, 1, 10, 1000, 0);
	ROW(&s, 1.010, S, A, 1, 11, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 1);
	s.isn[C] = 123456;
	s.isn[S] = 654321;
	s.stream = 1;
	ROW(&s, 2.000, C, SY, 0, 0, 0, 1000, REUSED);
	ROW(&s, 2.010, S, SY | A, 0, 1, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 3);
	ROW(&s, 2.020, C, A, 1, 1, 0, 1000, 0);
	script_free(&s);
}

/* §2.1: a SYN/ACK with a new ISN keeps the stream, resets the base, and is
 * also lost_segment; the next ACK is ack_lost_segment. */
static void test_reused_ports_synack_new_isn(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	s.isn[S] = 424242;
	ROW(&s, 1.5, S, SY | A, 0, 1, 0, 1000, REUSED | LOST);
	ROW(&s, 1.6, C, A, 1, 1, 0, 1000, ACKLOST);
	CHECK_UINT(s.info.acks_frame, 4);
	CHECK_UINT(s.tr.stream_count, 1);
	script_free(&s);
}

/* ---- §2.2 relative numbers --------------------------------------------- */

static void test_relative_numbers_handshake(void)
{
	/* tcp-experiments "basic": every Seq/Ack as tshark shows them. */
	struct script s;
	script_init(&s);
	s.isn[C] = 0xdeadbeef;
	s.isn[S] = 0x12345678;
	hs(&s);
	ROW(&s, 1.02, C, P | A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.03, S, A, 1, 101, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 4);
	CHECK_INT(s.info.ack_rtt, 10000000);
	ROW(&s, 1.04, S, P | A, 1, 101, 50, 1000, 0);
	ROW(&s, 1.05, C, A, 101, 51, 0, 1000, 0);
	ROW(&s, 1.06, C, F | A, 101, 51, 0, 1000, 0);
	ROW(&s, 1.07, S, F | A, 51, 102, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 8);
	ROW(&s, 1.08, C, A, 102, 52, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 9);
	struct tl_conn *c = s.info.conn;
	CHECK_UINT(c->dir[C].base, 0xdeadbeef);
	CHECK_UINT(c->dir[S].base, 0x12345678);
	script_free(&s);
}

static void test_relative_numbers_midstream(void)
{
	/* No SYN: base = seq - 1, and the reverse base from the first ACK,
	 * so both sides start at Seq=1 Ack=1 (tcp-experiments "midstream"). */
	struct script s;
	script_init(&s);
	s.check_rel = false;
	const struct tl_seg_info *i =
		ROW(&s, 1.0, C, P | A, 5000, 7000, 100, 500, 0);
	CHECK_UINT(i->seq_rel, 1);
	CHECK_UINT(i->ack_rel, 1);
	CHECK_UINT(i->win_scaled, 500);
	ROW(&s, 1.01, S, A, 7000, 5100, 0, 600, 0);
	CHECK_UINT(i->seq_rel, 1);
	CHECK_UINT(i->ack_rel, 101);
	CHECK_UINT(i->acks_frame, 1);
	ROW(&s, 1.02, S, P | A, 7000, 5100, 10, 600, 0);
	CHECK_UINT(i->seq_rel, 1);
	CHECK_UINT(i->ack_rel, 101);
	ROW(&s, 1.03, C, A, 5100, 7010, 0, 500, 0);
	CHECK_UINT(i->seq_rel, 101);
	CHECK_UINT(i->ack_rel, 11);
	CHECK_UINT(i->acks_frame, 3);
	script_free(&s);
}

static void test_relative_numbers_no_ack_flag(void)
{
	/* Without the ACK bit the table's ack is 0 (segment-table.md), even
	 * when the field is not. tcp-analysis.md §2.2 says tshark's tcp.ack
	 * shows the raw field there; the tracker follows the table. */
	struct script s;
	script_init(&s);
	s.have_rawack = true;
	s.rawack = 12345;
	const struct tl_seg_info *i = ROW(&s, 1.0, C, SY, 0, 0, 0, 1000, 0);
	CHECK_UINT(i->ack_rel, 0);
	/* ...and the SYN's junk ack field does not set the server's base */
	ROW(&s, 1.005, S, SY | A, 0, 1, 0, 1000, 0);
	CHECK_UINT(i->conn->dir[S].base, 5000);
	script_free(&s);
}

static void test_syn_with_data(void)
{
	/* tcp-experiments "syn_data_and_fin": a 20-byte SYN is answered
	 * with Ack=21; FIN with data resent is a retransmission. */
	struct script s;
	script_init(&s);
	const struct tl_seg_info *i = ROW(&s, 1.000, C, SY, 0, 0, 20, 1000, 0);
	ROW(&s, 1.005, S, SY | A, 0, 21, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 1);
	ROW(&s, 1.010, C, A, 21, 1, 0, 1000, 0);
	ROW(&s, 1.020, C, F | P | A, 21, 1, 30, 1000, 0);
	ROW(&s, 1.400, C, F | P | A, 21, 1, 30, 1000, RETR);
	CHECK_UINT(i->rto_frame, 4);
	ROW(&s, 1.410, S, A, 1, 52, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 4);
	ROW(&s, 1.420, S, F | A, 1, 52, 0, 1000, 0);
	ROW(&s, 1.430, C, A, 52, 2, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 7);
	script_free(&s);
}

/* ---- §2.3 window scaling ----------------------------------------------- */

static void test_window_scaling_both(void)
{
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, 2, 3, 100);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, 2);
	CHECK_INT(c->dir[S].win_scale, 3);
	const struct tl_seg_info *i = &s.info;
	CHECK_UINT(i->win_scaled, 400);     /* frame 3, the client's ACK */
	ROW(&s, 1.02, S, A, 1, 1, 0, 100, DUP);  /* repeats the SYN/ACK: 2#1 */
	CHECK_UINT(i->win_scaled, 800);
	CHECK_DUP(i, 2, 1);
	script_free(&s);
}

static void test_window_scaling_syn_never_scaled(void)
{
	struct script s;
	script_init(&s);
	options_ws(&s, 7);
	const struct tl_seg_info *i = ROW(&s, 1.0, C, SY, 0, 0, 0, 100, 0);
	CHECK_UINT(i->win_scaled, 100);
	options_ws(&s, 7);
	ROW(&s, 1.005, S, SY | A, 0, 1, 0, 200, 0);
	CHECK_UINT(i->win_scaled, 200);
	/* A SYN/ACK resent after the scale is known is still not scaled. */
	ROW(&s, 1.5, S, SY | A, 0, 1, 0, 200, RETR);
	CHECK_UINT(i->win_scaled, 200);
	ROW(&s, 1.6, C, A, 1, 1, 0, 100, 0);
	CHECK_UINT(i->win_scaled, 12800);
	script_free(&s);
}

static void test_window_scaling_synack_without_ws(void)
{
	/* SYN with WS, SYN/ACK without: -2 on both sides. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, 7, -1, 100);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, -2);
	CHECK_INT(c->dir[S].win_scale, -2);
	CHECK_UINT(s.info.win_scaled, 100);
	ROW(&s, 1.02, C, A, 1, 1, 10, 100, 0);
	CHECK_UINT(s.info.win_scaled, 100);
	ROW(&s, 1.03, S, A, 1, 11, 0, 100, 0);
	CHECK_UINT(s.info.win_scaled, 100);
	script_free(&s);
}

static void test_window_scaling_syn_without_ws(void)
{
	/* SYN without WS: both -2 at once, whatever the SYN/ACK says. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, -1, 5, 100);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, -2);
	CHECK_INT(c->dir[S].win_scale, -2);
	ROW(&s, 1.03, S, A, 1, 1, 0, 100, DUP);
	CHECK_UINT(s.info.win_scaled, 100);
	script_free(&s);
}

static void test_window_scaling_only_syn_seen(void)
{
	/* tcp-experiments "wscale_syn_only": the client side is scaled, the
	 * server side stays unknown (-1) and unscaled. */
	struct script s;
	script_init(&s);
	options_ws(&s, 7);
	ROW(&s, 1.000, C, SY, 0, 0, 0, 100, 0);
	ROW(&s, 1.010, C, A, 1, 1, 0, 100, 0);
	CHECK_UINT(s.info.win_scaled, 12800);
	ROW(&s, 1.020, S, A, 1, 1, 0, 100, 0);
	CHECK_UINT(s.info.win_scaled, 100);
	CHECK_UINT(s.info.acks_frame, 1);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, 7);
	CHECK_INT(c->dir[S].win_scale, -1);
	script_free(&s);
}

static void test_window_scaling_option_after_syn(void)
{
	/* §2.3: a Window-Scale option on any segment sets its sender's
	 * shift, after that segment's own window was computed. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, 2, 3, 100);
	options_ws(&s, 5);
	ROW(&s, 1.02, C, A, 1, 1, 10, 100, 0);
	CHECK_UINT(s.info.win_scaled, 400);
	CHECK_INT(s.info.conn->dir[C].win_scale, 5);
	ROW(&s, 1.03, C, A, 11, 1, 10, 100, 0);
	CHECK_UINT(s.info.win_scaled, 3200);
	script_free(&s);
}

static void test_window_scaling_no_handshake(void)
{
	struct script s;
	script_init(&s);
	ROW(&s, 1.0, C, A, 1, 1, 10, 1000, 0);
	ROW(&s, 1.1, S, A, 1, 11, 0, 2000, 0);
	CHECK_UINT(s.info.win_scaled, 2000);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, -1);
	CHECK_INT(c->dir[S].win_scale, -1);
	script_free(&s);
}

static void test_window_scaling_shift_capped(void)
{
	/* A shift above 14 counts as 14. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, 15, 20, 1);
	struct tl_conn *c = s.info.conn;
	CHECK_INT(c->dir[C].win_scale, 14);
	CHECK_INT(c->dir[S].win_scale, 14);
	CHECK_UINT(s.info.win_scaled, 16384);
	script_free(&s);
}

/* ---- §4.1 retransmission ---------------------------------------------- */

static void test_retransmission(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	/* an exact duplicate 1 ms later: within iRTT, but never OOO */
	ROW(&s, 1.101, C, A, 1, 1, 100, 1000, RETR);
	CHECK_UINT(i->rto_frame, 4);
	CHECK_INT(i->rto, 1000000);
	ROW(&s, 1.300, C, A, 1, 1, 100, 1000, RETR);
	CHECK_UINT(i->rto_frame, 4);    /* the oldest unacked entry */
	CHECK_INT(i->rto, 200000000);
	/* the ACK names the original frame */
	ROW(&s, 1.310, S, A, 1, 101, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 4);
	CHECK_INT(i->ack_rtt, 210000000);
	script_free(&s);
}

static void test_retransmission_partial_overlap(void)
{
	/* tcp-experiments "overlap_and_nextseq_minus_1". */
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.200, C, A, 51, 1, 100, 1000, RETR);   /* old + new bytes */
	CHECK_UINT(i->rto_frame, 4);
	/* more than 1 byte starting at nextseq-1: no flag at all */
	ROW(&s, 1.300, C, A, 150, 1, 50, 1000, 0);
	/* maxseqtobeacked stayed at 101: a false ACKed-unseen (§3 step 14) */
	ROW(&s, 1.310, S, A, 1, 200, 0, 1000, ACKLOST);
	CHECK_UINT(i->acks_frame, 6);
	script_free(&s);
}

static void test_retransmission_syn_synack_fin(void)
{
	struct script s;
	script_init(&s);
	/* SYN resent after 1 s (tcp-experiments "syn_retrans_irtt") */
	ROW(&s, 1.000, C, SY, 0, 0, 0, 1000, 0);
	const struct tl_seg_info *i = ROW(&s, 2.000, C, SY, 0, 0, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 1);
	CHECK_INT(i->rto, 1000000000);
	ROW(&s, 2.004, S, SY | A, 0, 1, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 1);
	ROW(&s, 2.008, C, A, 1, 1, 0, 1000, 0);
	/* iRTT is measured from the resent SYN: 8 ms, so a hole filled 5 ms
	 * later is out of order */
	CHECK_INT(i->conn->irtt, 8000000);
	ROW(&s, 2.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 2.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 2.106, C, A, 101, 1, 100, 1000, OOO);
	/* SYN/ACK resent (tcp-experiments "synack_retrans"); the client's
	 * repeated ACK is then a dup ACK of frame 3 and acks the resend */
	script_free(&s);
	script_init(&s);
	hs(&s);
	ROW(&s, 1.5, S, SY | A, 0, 1, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 2);
	ROW(&s, 1.6, C, A, 1, 1, 0, 1000, DUP);
	CHECK_DUP(i, 3, 1);
	CHECK_UINT(i->acks_frame, 4);
	/* FIN resent 1 ms later without a handshake (3 ms threshold): the +1
	 * for FIN makes it an exact resend, so a retransmission
	 * (tcp-experiments "fin_dup_fast") */
	script_free(&s);
	script_init(&s);
	ROW(&s, 1.000, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.010, C, F | A, 101, 1, 0, 1000, 0);
	ROW(&s, 1.011, C, F | A, 101, 1, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 1);
	ROW(&s, 1.020, S, A, 1, 102, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 2);
	script_free(&s);
}

/* ---- §4.2 fast retransmission ------------------------------------------ */

static void test_fast_retransmission(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.102, C, A, 301, 1, 100, 1000, 0);
	ROW(&s, 1.103, C, A, 401, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 4);
	ROW(&s, 1.111, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 8, 1);
	ROW(&s, 1.112, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 8, 2);
	ROW(&s, 1.113, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 8, 3);
	ROW(&s, 1.115, C, A, 101, 1, 100, 1000, FAST | RETR);
	ROW(&s, 1.125, S, A, 1, 501, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 7);
	script_free(&s);
}

static void test_fast_retransmission_two_dupacks_late(void)
{
	/* Two dup ACKs suffice, but 30 ms after the last one it is a plain
	 * retransmission (tcp-experiments "fast_retrans_late"). */
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.111, S, A, 1, 101, 0, 1000, DUP);
	ROW(&s, 1.112, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 6, 2);
	ROW(&s, 1.142, C, A, 101, 1, 100, 1000, RETR);
	CHECK_UINT(i->rto_frame, 5);
	CHECK_INT(i->rto, 41000000);
	ROW(&s, 1.150, S, A, 1, 301, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 5);
	/* and the same within 20 ms of the second dup ACK is fast */
	script_free(&s);
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.111, S, A, 1, 101, 0, 1000, DUP);
	ROW(&s, 1.112, S, A, 1, 101, 0, 1000, DUP);
	ROW(&s, 1.131, C, A, 101, 1, 100, 1000, FAST | RETR);
	script_free(&s);
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.111, S, A, 1, 101, 0, 1000, DUP);
	/* one dup ACK is not enough: 11 ms after the highest segment (more
	 * than the iRTT), a plain retransmission */
	ROW(&s, 1.112, C, A, 101, 1, 100, 1000, RETR);
	script_free(&s);
}

static void test_fast_beats_ooo(void)
{
	/* fastrt_supersedes_ooo: fast retransmission is tested before OOO
	 * (tcp-experiments "fast_vs_ooo", no handshake). */
	struct script s;
	script_init(&s);
	ROW(&s, 1.1000, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.1001, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.1002, C, A, 301, 1, 100, 1000, 0);
	ROW(&s, 1.1003, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.1004, S, A, 1, 101, 0, 1000, DUP);
	ROW(&s, 1.1005, S, A, 1, 101, 0, 1000, DUP);
	ROW(&s, 1.1010, C, A, 101, 1, 100, 1000, FAST | RETR);
	script_free(&s);
}

/* ---- §4.3 spurious retransmission -------------------------------------- */

static void test_spurious_retransmission(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 4);
	ROW(&s, 1.400, C, A, 1, 1, 100, 1000, SPUR | RETR);
	/* a dup ACK that also acks the spurious copy */
	ROW(&s, 1.410, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 5, 1);
	CHECK_UINT(i->acks_frame, 6);
	script_free(&s);
}

static void test_spurious_beats_ooo(void)
{
	/* Within the OOO window and already acked: spurious wins (§9.2);
	 * tcp-experiments "spur_vs_ooo", no handshake. */
	struct script s;
	script_init(&s);
	ROW(&s, 1.1000, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.1010, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.1015, S, A, 1, 301, 0, 1000, ACKLOST);
	CHECK_UINT(s.info.acks_frame, 2);
	ROW(&s, 1.1020, C, A, 101, 1, 100, 1000, SPUR | RETR);
	script_free(&s);
}

/* ---- §4.4 out of order ------------------------------------------------- */

static void test_out_of_order_irtt(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	CHECK_INT(i->conn->irtt, 10000000);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.106, C, A, 101, 1, 100, 1000, OOO);   /* 5 ms < 10 ms */
	CHECK_UINT(i->rto_frame, 0);
	ROW(&s, 1.110, C, A, 401, 1, 100, 1000, LOST);
	ROW(&s, 1.160, C, A, 301, 1, 100, 1000, RETR);  /* 50 ms */
	CHECK_UINT(i->rto_frame, 4);
	CHECK_INT(i->rto, 60000000);
	ROW(&s, 1.170, S, A, 1, 501, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 7);
	script_free(&s);
}

static void test_out_of_order_small_irtt(void)
{
	/* §9.3: with a handshake the threshold is the iRTT, not 3 ms: with an
	 * iRTT of 2 ms a hole filled 2.5 ms later is a retransmission. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.002, -1, -1, 1000);
	ROW(&s, 1.1000, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.1010, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.1035, C, A, 101, 1, 100, 1000, RETR);
	CHECK_UINT(s.info.rto_frame, 4);
	ROW(&s, 1.1040, C, A, 401, 1, 100, 1000, LOST);
	ROW(&s, 1.1055, C, A, 301, 1, 100, 1000, OOO);  /* 1.5 ms */
	script_free(&s);
}

static void test_out_of_order_no_handshake(void)
{
	struct script s;
	script_init(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 201, 1, 100, 1000, LOST);
	ROW(&s, 1.102, C, A, 101, 1, 100, 1000, OOO);   /* 1 ms < 3 ms */
	ROW(&s, 1.110, C, A, 401, 1, 100, 1000, LOST);
	ROW(&s, 1.120, C, A, 301, 1, 100, 1000, RETR);  /* 10 ms */
	CHECK_UINT(s.info.rto_frame, 1);
	CHECK_INT(s.info.rto, 20000000);
	ROW(&s, 1.130, S, A, 1, 501, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 4);
	script_free(&s);
}

/* ---- §4.5 lost segment, §4.6 ACKed unseen segment ----------------------- */

static void test_lost_and_ack_lost(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 301, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 401, 0, 1000, ACKLOST);
	CHECK_UINT(i->acks_frame, 5);
	ROW(&s, 1.120, S, A, 1, 601, 0, 1000, ACKLOST);
	ROW(&s, 1.130, C, A, 401, 1, 100, 1000, SPUR | RETR);
	script_free(&s);
}

static void test_ack_lost_repeating(void)
{
	/* tcp-analysis.md §3 step 10 says 4.0 flags every later ACK still
	 * beyond the stored value. tshark 4.0.17 (acklost_repeat, run here)
	 * flags the ACKs of frames 6 and 7 and then stops: the second one
	 * parks the sender's dup-ACK counter, and 801 is not flagged. The
	 * tracker does what tshark does. */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 301, 1, 100, 1000, LOST);
	ROW(&s, 1.110, S, A, 1, 401, 0, 1000, ACKLOST);
	ROW(&s, 1.120, S, A, 1, 601, 0, 1000, ACKLOST);
	ROW(&s, 1.125, S, A, 1, 601, 0, 1000, DUP);
	CHECK_DUP(&s.info, 7, 1);
	ROW(&s, 1.126, S, A, 1, 801, 0, 1000, 0);
	ROW(&s, 1.127, S, A, 1, 801, 0, 1000, DUP);
	CHECK_DUP(&s.info, 9, 1);
	ROW(&s, 1.130, C, A, 401, 1, 100, 1000, SPUR | RETR);
	script_free(&s);
}

static void test_lost_not_for_rst(void)
{
	/* tcp-experiments "rst_cases" */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.120, C, R, 500, 0, 0, 1000, 0);
	ROW(&s, 1.130, C, R | A, 101, 1, 0, 1000, 0);
	script_free(&s);
}

/* ---- §4.7 duplicate ACKs ------------------------------------------------ */

static void test_duplicate_ack(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.111, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 5, 1);
	ROW(&s, 1.112, S, A, 1, 101, 0, 1000, DUP);
	CHECK_DUP(i, 5, 2);
	/* the acking side's own data neither is a dup nor resets the count */
	ROW(&s, 1.113, S, P | A, 1, 101, 10, 1000, 0);
	ROW(&s, 1.114, S, A, 11, 101, 0, 1000, DUP);
	CHECK_DUP(i, 5, 3);
	/* a window change is an update, not counted, not a reset */
	ROW(&s, 1.115, S, A, 11, 101, 0, 2000, WUPD);
	ROW(&s, 1.116, S, A, 11, 101, 0, 2000, DUP);
	CHECK_DUP(i, 5, 4);
	/* only a new ack value resets it */
	ROW(&s, 1.117, C, A, 101, 11, 50, 1000, 0);
	ROW(&s, 1.118, S, A, 11, 151, 0, 2000, 0);
	ROW(&s, 1.119, S, A, 11, 151, 0, 2000, DUP);
	CHECK_DUP(i, 13, 1);
	script_free(&s);
}

static void test_duplicate_ack_of_synack(void)
{
	/* A repeat of the SYN/ACK's ack and window by the server: "2#1". */
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = ROW(&s, 1.02, S, A, 1, 1, 0, 1000, DUP);
	CHECK_DUP(i, 2, 1);
	ROW(&s, 1.03, S, A, 1, 1, 0, 1000, DUP);
	CHECK_DUP(i, 2, 2);
	script_free(&s);
}

static void test_duplicate_ack_exclusions(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	/* S/F/R segments are never dup ACKs */
	ROW(&s, 1.120, S, F | A, 1, 101, 0, 1000, 0);
	/* nor segments with data */
	ROW(&s, 1.130, C, A, 101, 2, 10, 1000, 0);
	ROW(&s, 1.140, C, A, 111, 2, 10, 1000, 0);
	ROW(&s, 1.150, S, A, 2, 121, 0, 1000, 0);
	ROW(&s, 1.160, S, A, 2, 121, 0, 1000, DUP);
	CHECK_DUP(&s.info, 9, 1);
	ROW(&s, 1.170, S, R | A, 2, 121, 0, 1000, 0);
	script_free(&s);
}

/* ---- §4.8 zero window ---------------------------------------------------- */

static void test_zero_window(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 0, ZW);
	CHECK_UINT(i->acks_frame, 4);
	ROW(&s, 1.300, C, A, 101, 1, 1, 1000, ZWP);
	CHECK_UINT(i->conn->dir[C].nextseq, 1000 + 101);  /* not advanced */
	ROW(&s, 1.310, S, A, 1, 101, 0, 0, ZWPACK | ZW);
	ROW(&s, 1.700, C, A, 101, 1, 1, 1000, ZWP);  /* again, not RETR */
	ROW(&s, 1.710, S, A, 1, 101, 0, 0, ZWPACK | ZW);
	ROW(&s, 2.000, S, A, 1, 101, 0, 1000, WUPD);
	ROW(&s, 2.010, C, A, 101, 1, 100, 1000, 0);
	script_free(&s);
}

static void test_zero_window_repeat_and_rst(void)
{
	/* tcp-experiments "zw_repeat": repeated zero-window ACKs are
	 * zero_window only (never dup ACKs), data advertising 0 is
	 * zero_window, a RST with window 0 is not. */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 0, ZW);
	ROW(&s, 1.120, S, A, 1, 101, 0, 0, ZW);
	ROW(&s, 1.130, S, P | A, 1, 101, 10, 0, ZW);
	s.check_rel = false;
	ROW(&s, 1.140, C, R, 101, 0, 0, 0, 0);
	/* SYN and FIN with window 0 are not zero_window either */
	script_free(&s);
	script_init(&s);
	ROW(&s, 1.0, C, SY, 0, 0, 0, 0, 0);
	ROW(&s, 1.1, S, SY | A, 0, 1, 0, 0, 0);
	ROW(&s, 1.2, C, F | A, 1, 1, 0, 0, 0);
	script_free(&s);
}

static void test_zero_window_probe_accepted(void)
{
	/* 4.0 quirk: the ACK accepting the probe byte is ACKed-unseen, and
	 * the sender's next segment at 102 is lost_segment. */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 0, ZW);
	ROW(&s, 1.300, C, A, 101, 1, 1, 1000, ZWP);
	ROW(&s, 1.310, S, A, 1, 102, 0, 500, ACKLOST);
	CHECK_UINT(s.info.acks_frame, 6);
	ROW(&s, 1.320, C, A, 102, 1, 100, 1000, LOST);
	script_free(&s);
}

static void test_zero_window_probe_exclusions(void)
{
	/* A ZWP gets none of the step 3-8 flags: a probe that itself
	 * advertises window 0 is not zero_window. */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 0, ZW);
	ROW(&s, 1.300, C, A, 101, 1, 1, 0, ZWP);
	ROW(&s, 1.310, S, A, 1, 101, 0, 0, ZWPACK | ZW);
	/* as long as C sends nothing else, the next one is a probe ACK
	 * again (like keep-alive ACKs) */
	ROW(&s, 1.311, S, A, 1, 101, 0, 0, ZWPACK | ZW);
	/* after a segment from C that is no probe, it is not */
	ROW(&s, 1.320, C, A, 101, 1, 0, 0, ZW);
	ROW(&s, 1.330, S, A, 1, 101, 0, 0, ZW);
	script_free(&s);
}

/* ---- §4.9 window full ------------------------------------------------------ */

static void test_window_full(void)
{
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, -1, -1, 300);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 101, 1, 100, 1000, 0);
	ROW(&s, 1.102, C, A, 201, 1, 100, 1000, WFULL);  /* 301 = 1 + 300 */
	ROW(&s, 1.110, S, A, 1, 301, 0, 300, 0);
	CHECK_UINT(s.info.acks_frame, 6);
	ROW(&s, 1.120, C, A, 301, 1, 300, 1000, WFULL);
	/* not for S/F/R segments */
	ROW(&s, 1.130, S, A, 1, 601, 0, 300, 0);
	ROW(&s, 1.140, C, F | P | A, 601, 1, 300, 1000, 0);
	script_free(&s);
}

static void test_window_full_scaled_first_ack(void)
{
	/* tcp-experiments "window_full_scaled": server shift 3, raw 100.
	 * Before the server's first non-SYN ACK is_first_ack forces shift 0,
	 * so data ending at 1+800 is not flagged; after it, it is. */
	struct script s;
	script_init(&s);
	handshake(&s, 1.0, 0.010, 2, 3, 100);
	ROW(&s, 1.100, C, A, 1, 1, 400, 100, 0);
	ROW(&s, 1.101, C, A, 401, 1, 400, 100, 0);
	ROW(&s, 1.110, S, A, 1, 801, 0, 100, 0);
	CHECK_UINT(s.info.win_scaled, 800);
	ROW(&s, 1.120, C, A, 801, 1, 800, 100, WFULL);
	CHECK_UINT(s.info.win_scaled, 400);
	/* while is_first_ack, the raw window is the edge: 1 + 100 */
	script_free(&s);
	script_init(&s);
	handshake(&s, 1.0, 0.010, 2, 3, 100);
	ROW(&s, 1.100, C, A, 1, 1, 100, 100, WFULL);
	script_free(&s);
	/* tcp-experiments "wscale_first_ack": shift 4 both sides */
	script_init(&s);
	handshake(&s, 1.0, 0.010, 4, 4, 100);
	ROW(&s, 1.02, S, A, 1, 1, 0, 100, DUP);
	CHECK_DUP(&s.info, 2, 1);
	ROW(&s, 1.03, C, A, 1, 1, 1600, 100, WFULL);
	script_free(&s);
}

static void test_window_full_never_unknown_scale(void)
{
	/* tcp-experiments "midstream_wfull" */
	struct script s;
	script_init(&s);
	ROW(&s, 1.00, S, A, 1, 1, 0, 300, 0);
	ROW(&s, 1.01, C, A, 1, 1, 300, 1000, 0);
	ROW(&s, 1.02, S, A, 1, 301, 0, 300, 0);
	script_free(&s);
}

/* ---- §4.10 window update --------------------------------------------------- */

static void test_window_update(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 1.120, S, A, 1, 101, 0, 3000, WUPD);
	ROW(&s, 1.130, S, A, 1, 101, 0, 3000, DUP);
	CHECK_DUP(&s.info, 5, 1);
	/* a new ack with a new window is neither */
	ROW(&s, 1.140, C, A, 101, 1, 100, 1000, 0);
	ROW(&s, 1.150, S, A, 1, 201, 0, 4000, 0);
	/* data with a new window is not an update */
	ROW(&s, 1.160, S, A, 1, 201, 10, 5000, 0);
	/* window 0 is zero_window, not an update */
	ROW(&s, 1.170, S, A, 11, 201, 0, 0, ZW);
	ROW(&s, 1.180, S, A, 11, 201, 0, 6000, WUPD);
	script_free(&s);
}

/* ---- §4.11 keep-alive -------------------------------------------------------- */

static void test_keep_alive(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	ROW(&s, 4.000, C, A, 100, 1, 0, 1000, KA);
	ROW(&s, 4.010, S, A, 1, 101, 0, 1000, KAACK);
	ROW(&s, 8.000, C, A, 100, 1, 1, 1000, KA);   /* 1 garbage byte */
	ROW(&s, 8.010, S, A, 1, 101, 0, 1000, KAACK);
	CHECK_UINT(i->acks_frame, 8);
	ROW(&s, 8.020, S, A, 1, 101, 0, 1000, KAACK);  /* C sent nothing since */
	script_free(&s);
}

static void test_keep_alive_exclusions(void)
{
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	/* more than 1 byte at nextseq-1: no flag at all */
	ROW(&s, 4.000, C, A, 100, 1, 2, 1000, 0);
	/* it did not start at maxseqtobeacked (101), so its ACK is a false
	 * ACKed-unseen (§3 step 14) */
	ROW(&s, 4.010, S, A, 1, 102, 0, 1000, ACKLOST);
	/* RST or FIN one below nextseq is no keep-alive */
	ROW(&s, 5.000, C, R | A, 101, 1, 0, 1000, 0);
	script_free(&s);
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.110, S, A, 1, 101, 0, 1000, 0);
	const struct tl_seg_info *i =
		ROW(&s, 3.000, C, F | A, 100, 1, 0, 1000, RETR);
	CHECK_UINT(i->rto_frame, 4);
	/* the ACK of a keep-alive that changes the window is an update */
	ROW(&s, 4.000, C, A, 100, 1, 0, 1000, KA);
	ROW(&s, 4.010, S, A, 1, 101, 0, 2000, WUPD);
	script_free(&s);
}

/* ---- §3 order and exclusions ------------------------------------------------ */

static void test_every_segment_updates_state(void)
{
	/* §9.6: ACK matching runs for every segment, also one without the
	 * ACK bit (tshark 4.0.17: a RST whose raw ack field is 101 acks
	 * frame 4). */
	struct script s;
	script_init(&s);
	hs(&s);
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	s.have_rawack = true;
	s.rawack = 1000 + 101;
	ROW(&s, 1.110, S, R, 1, 0, 0, 1000, 0);
	CHECK_UINT(s.info.acks_frame, 4);
	CHECK_UINT(s.info.ack_rel, 0);
	script_free(&s);
}

static void test_at_most_one_retransmission_kind(void)
{
	/* Run every scenario-like sequence and check the invariant: at most
	 * one of SPUR/FAST/OOO/RETR-alone, RETR with SPUR and FAST, never
	 * with OOO; KA never any retransmission; KA_ACK and ZWP_ACK never
	 * DUP. Random segments on a small sequence space exercise it. */
	struct script s;
	script_init(&s);
	s.quiet = true;
	uint32_t x = 0x9e3779b9u;
	double t = 1.0;
	for (int n = 0; n < 50000; n++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		int d = (int)(x & 1);
		static const unsigned fl[] = { A, A, A, P | A, SY, SY | A,
		                               F | A, R, R | A, A };
		unsigned flags = fl[(x >> 1) % 10];
		uint32_t seq = (x >> 5) % 400, ack = (x >> 14) % 400;
		uint32_t len = ((x >> 23) & 3) ? 0 : (x >> 25) % 120;
		uint16_t win = (uint16_t)(((x >> 28) & 3) * 500);
		t += ((x >> 8) & 7) * 0.001;
		if ((n % 997) == 0)
			s.isn[C] += 100000;     /* sometimes a new ISN */
		row(&s, __LINE__, t, d, flags, seq, ack, len, win, 0);
		unsigned an = s.info.analysis;
		unsigned kinds = !!(an & SPUR) + !!(an & FAST) + !!(an & OOO);
		bool bad = kinds > 1 ||
		           ((an & (SPUR | FAST)) && !(an & RETR)) ||
		           ((an & OOO) && (an & RETR)) ||
		           ((an & KA) && (an & (RETR | SPUR | FAST | OOO))) ||
		           ((an & (KAACK | ZWPACK)) && (an & DUP)) ||
		           ((an & ZWP) && (an & (ZW | WUPD | WFULL | KA |
		                                  KAACK | ZWPACK | DUP))) ||
		           (!!(an & DUP) != !!s.info.dupack_num);
		if (bad) {
			char b[256];
			an_names(an, b, sizeof b);
			CHECK_MSG(0, "segment %d: impossible combination %s", n,
			          b);
			break;
		}
	}
	script_free(&s);
}

/* ---- our own: window change ------------------------------------------------- */

static void test_window_change(void)
{
	struct script s;
	script_init(&s);
	options_ws(&s, 7);
	const struct tl_seg_info *i = ROW(&s, 1.0, C, SY, 0, 0, 0, 64240, 0);
	CHECK(!(i->analysis & TL_AN_WINDOW_CHANGE));   /* first: nothing */
	options_ws(&s, 7);
	ROW(&s, 1.005, S, SY | A, 0, 1, 0, 65160, 0);
	CHECK(!(i->analysis & TL_AN_WINDOW_CHANGE));
	/* 502 << 7 = 64256 differs from the SYN's 64240 */
	ROW(&s, 1.010, C, A, 1, 1, 0, 502, 0);
	CHECK(i->analysis & TL_AN_WINDOW_CHANGE);
	CHECK_UINT(i->prev_window, 64240);
	CHECK_UINT(i->win_scaled, 64256);
	ROW(&s, 1.020, C, P | A, 1, 1, 100, 502, 0);
	CHECK(!(i->analysis & TL_AN_WINDOW_CHANGE));
	/* the other direction has its own history */
	ROW(&s, 1.030, S, A, 1, 101, 0, 509, 0);
	CHECK(i->analysis & TL_AN_WINDOW_CHANGE);
	CHECK_UINT(i->prev_window, 65160);
	CHECK_UINT(i->win_scaled, 65152);
	ROW(&s, 1.040, S, A, 1, 101, 0, 400, WUPD);
	CHECK(i->analysis & TL_AN_WINDOW_CHANGE);
	CHECK_UINT(i->prev_window, 65152);
	CHECK_UINT(i->win_scaled, 51200);
	/* it is not a Wireshark flag and is not counted as one */
	CHECK_UINT(i->analysis & ~TL_AN_WIRESHARK_MASK, TL_AN_WINDOW_CHANGE);
	CHECK_STR(tl_analysis_name(15), "window_change");
	/* a RST neither shows nor records a change */
	ROW(&s, 1.050, S, R | A, 1, 101, 0, 0, 0);
	CHECK(!(i->analysis & TL_AN_WINDOW_CHANGE));
	/* ...though it did set the raw window the next one is compared
	 * with (0), so this is a window update */
	ROW(&s, 1.060, S, A, 1, 101, 0, 400, WUPD);
	CHECK(!(i->analysis & TL_AN_WINDOW_CHANGE));
	script_free(&s);
}

static void test_analysis_names(void)
{
	static const char *const names[] = {
		"ack_lost_segment", "duplicate_ack", "fast_retransmission",
		"keep_alive", "keep_alive_ack", "lost_segment", "out_of_order",
		"retransmission", "reused_ports", "spurious_retransmission",
		"window_full", "window_update", "zero_window",
		"zero_window_probe", "zero_window_probe_ack",
	};
	for (unsigned b = 0; b < TL_AN_WIRESHARK_COUNT; b++)
		CHECK_STR(tl_analysis_name(b), names[b]);
	CHECK_UINT(TL_AN_WIRESHARK_MASK, (1u << TL_AN_WIRESHARK_COUNT) - 1);
	CHECK_UINT(ACKLOST, 1u << 0);
	CHECK_UINT(ZWPACK, 1u << 14);
}

/* ---- scale: 100k connections, sequence numbers wrapping ---------------- */

static void test_many_connections(void)
{
	enum { N = 100000 };
	struct tl_tracker tr;
	tl_tracker_init(&tr);
	struct tl_packet p;
	struct tl_seg_info info;
	uint32_t bad = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t n = 0; n < N; n++) {
			memset(&p, 0, sizeof p);
			p.ip_version = 4;
			uint8_t cli[4] = { 10, (uint8_t)(n >> 16),
			                   (uint8_t)(n >> 8), (uint8_t)n };
			uint8_t srv[4] = { 192, 0, 2, (uint8_t)(n % 7) };
			uint16_t cport = (uint16_t)(1024 + n % 50000);
			if (pass == 0) {
				memcpy(p.src, cli, 4);
				memcpy(p.dst, srv, 4);
				p.sport = cport, p.dport = 443;
				p.flags = SY;
				p.seq = n * 2654435761u;
			} else {
				memcpy(p.src, srv, 4);
				memcpy(p.dst, cli, 4);
				p.sport = 443, p.dport = cport;
				p.flags = SY | A;
				p.seq = ~n;
				p.ack = n * 2654435761u + 1;
			}
			p.window = 1000;
			tl_tracker_segment(&tr, &p, pass * N + n + 1,
			                   INT64_C(1000000000) + n, &info);
			if (info.conn->stream != n ||
			    info.dir != (unsigned)pass ||
			    info.analysis != 0 ||
			    (pass && (info.ack_rel != 1 ||
			              info.acks_frame != n + 1)))
				bad++;
		}
	}
	CHECK_UINT(bad, 0);
	CHECK_UINT(tr.stream_count, N);
	CHECK_UINT(tr.live_conns, N);
	CHECK(tl_tracker_stream(&tr, N - 1) != NULL);
	CHECK_UINT(tl_tracker_stream(&tr, 12345)->stream, 12345);
	tl_tracker_free(&tr);
}

static void test_sequence_wrap(void)
{
	/* Both ISNs just below 2^32: every rule works across the wrap. */
	struct script s;
	script_init(&s);
	s.isn[C] = 0xffffff00u;
	s.isn[S] = 0xfffffff0u;
	hs(&s);
	const struct tl_seg_info *i = &s.info;
	ROW(&s, 1.100, C, A, 1, 1, 100, 1000, 0);
	ROW(&s, 1.101, C, A, 101, 1, 100, 1000, 0);      /* crosses 2^32 */
	ROW(&s, 1.102, C, A, 301, 1, 100, 1000, LOST);
	ROW(&s, 1.103, C, A, 201, 1, 100, 1000, OOO);
	ROW(&s, 1.110, S, A, 1, 201, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 5);
	ROW(&s, 1.111, S, A, 1, 201, 0, 1000, DUP);
	ROW(&s, 1.112, S, A, 1, 201, 0, 1000, DUP);
	ROW(&s, 1.113, C, A, 201, 1, 100, 1000, FAST | RETR);
	ROW(&s, 1.120, S, A, 1, 401, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 6);
	ROW(&s, 1.400, C, A, 101, 1, 100, 1000, SPUR | RETR);
	ROW(&s, 1.500, S, P | A, 1, 401, 100, 1000, 0);  /* S crosses too */
	ROW(&s, 1.510, C, A, 401, 101, 0, 1000, 0);
	CHECK_UINT(i->acks_frame, 14);
	ROW(&s, 5.000, C, A, 400, 101, 0, 1000, KA);
	ROW(&s, 5.010, S, A, 101, 401, 0, 1000, KAACK);
	/* the relative numbers keep counting past 2^32 - ISN */
	ROW(&s, 6.000, C, A, 401, 101, 500, 1000, 0);
	CHECK_UINT(i->seq_rel, 401);
	ROW(&s, 6.010, S, A, 101, 901, 0, 1000, 0);
	CHECK_UINT(i->ack_rel, 901);
	CHECK_UINT(i->acks_frame, 18);
	script_free(&s);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_streams_and_directions),
	CHECK_TEST(test_reused_ports_new_isn),
	CHECK_TEST(test_reused_ports_same_isn),
	CHECK_TEST(test_reused_ports_same_isn_after_rst),
	CHECK_TEST(test_reused_ports_same_isn_restores_nextseq),
	CHECK_TEST(test_reused_ports_after_midstream),
	CHECK_TEST(test_reused_ports_synack_new_isn),
	CHECK_TEST(test_relative_numbers_handshake),
	CHECK_TEST(test_relative_numbers_midstream),
	CHECK_TEST(test_relative_numbers_no_ack_flag),
	CHECK_TEST(test_syn_with_data),
	CHECK_TEST(test_window_scaling_both),
	CHECK_TEST(test_window_scaling_syn_never_scaled),
	CHECK_TEST(test_window_scaling_synack_without_ws),
	CHECK_TEST(test_window_scaling_syn_without_ws),
	CHECK_TEST(test_window_scaling_only_syn_seen),
	CHECK_TEST(test_window_scaling_option_after_syn),
	CHECK_TEST(test_window_scaling_no_handshake),
	CHECK_TEST(test_window_scaling_shift_capped),
	CHECK_TEST(test_retransmission),
	CHECK_TEST(test_retransmission_partial_overlap),
	CHECK_TEST(test_retransmission_syn_synack_fin),
	CHECK_TEST(test_fast_retransmission),
	CHECK_TEST(test_fast_retransmission_two_dupacks_late),
	CHECK_TEST(test_fast_beats_ooo),
	CHECK_TEST(test_spurious_retransmission),
	CHECK_TEST(test_spurious_beats_ooo),
	CHECK_TEST(test_out_of_order_irtt),
	CHECK_TEST(test_out_of_order_small_irtt),
	CHECK_TEST(test_out_of_order_no_handshake),
	CHECK_TEST(test_lost_and_ack_lost),
	CHECK_TEST(test_ack_lost_repeating),
	CHECK_TEST(test_lost_not_for_rst),
	CHECK_TEST(test_duplicate_ack),
	CHECK_TEST(test_duplicate_ack_of_synack),
	CHECK_TEST(test_duplicate_ack_exclusions),
	CHECK_TEST(test_zero_window),
	CHECK_TEST(test_zero_window_repeat_and_rst),
	CHECK_TEST(test_zero_window_probe_accepted),
	CHECK_TEST(test_zero_window_probe_exclusions),
	CHECK_TEST(test_window_full),
	CHECK_TEST(test_window_full_scaled_first_ack),
	CHECK_TEST(test_window_full_never_unknown_scale),
	CHECK_TEST(test_window_update),
	CHECK_TEST(test_keep_alive),
	CHECK_TEST(test_keep_alive_exclusions),
	CHECK_TEST(test_every_segment_updates_state),
	CHECK_TEST(test_at_most_one_retransmission_kind),
	CHECK_TEST(test_window_change),
	CHECK_TEST(test_analysis_names),
	CHECK_TEST(test_many_connections),
	CHECK_TEST(test_sequence_wrap),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

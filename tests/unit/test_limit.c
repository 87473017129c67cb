/* The view's memory bounds (model_limit.c): which rows and connections go
 * first, and that everything kept still matches a model that kept all. */
#include "config.h"

#include <pcap/dlt.h>
#include <stdlib.h>

#include "check.h"
#include "frame_builder.h"
#include "tl_app.h"
#include "tl_label.h"
#include "tl_model.h"

/* A SACK block for the next frame built (0: none): its edges. */
static uint32_t next_sack_le, next_sack_re;

/* One IPv4 TCP frame (DLT_RAW) from 192.0.2.1:port to 192.0.2.2:7, or
 * back when dir is 1; the payload is letters. */
static uint32_t build(uint8_t *f, size_t size, unsigned dir, uint16_t port,
                      uint32_t seq, uint32_t ack, uint8_t flags, uint32_t len)
{
	static uint8_t letters[2048];
	if (!letters[0])
		for (size_t i = 0; i < sizeof letters; i++)
			letters[i] = (uint8_t)('a' + i % 26);
	/* NOP, NOP, SACK (kind 5, length 10) with one block. */
	uint8_t opt[12] = { 1, 1, 5, 10 };
	for (int i = 0; i < 4; i++) {
		opt[4 + i] = (uint8_t)(next_sack_le >> (24 - 8 * i));
		opt[8 + i] = (uint8_t)(next_sack_re >> (24 - 8 * i));
	}
	struct fb_tcp t = {
		.src = dir ? FB_HOST_B : FB_HOST_A,
		.dst = dir ? FB_HOST_A : FB_HOST_B,
		.sport = dir ? 7 : port, .dport = dir ? port : 7,
		.seq = seq, .ack = ack, .flags = flags, .win = 0x1000,
		.opt = opt, .opt_len = next_sack_re ? sizeof opt : 0,
		.payload = letters, .len = len <= sizeof letters ? len : 0,
	};
	next_sack_le = next_sack_re = 0;
	return fb_ipv4_tcp(f, size, &t);
}

/* Two models fed the same frames: one bounded, one keeping everything. */
struct pair {
	struct tl_model lim, all;
	tl_nsec ts;
	uint8_t buf[2048];
};

static void pair_init(struct pair *p, uint32_t max_segments,
                      uint64_t max_bytes)
{
	tl_model_init(&p->lim, true);
	tl_model_init(&p->all, true);
	tl_model_enable_app(&p->lim);
	tl_model_enable_app(&p->all);
	tl_model_set_limits(&p->lim, max_segments, max_bytes);
	p->ts = INT64_C(1700000000) * TL_NSEC_PER_SEC;
}

static void pair_free(struct pair *p)
{
	tl_model_free(&p->lim);
	tl_model_free(&p->all);
}

static void feed(struct pair *p, unsigned dir, uint16_t port, uint32_t seq,
                 uint32_t ack, uint8_t flags, uint32_t len)
{
	uint32_t n = build(p->buf, sizeof p->buf, dir, port, seq, ack, flags,
	                   len);
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	p->ts += 1000000;
	tl_model_frame(&p->lim, DLT_RAW, p->buf, n, p->ts, &seg, &note,
	               &has_note);
	tl_model_frame(&p->all, DLT_RAW, p->buf, n, p->ts, &seg, &note,
	               &has_note);
}

/* Handshake, data both ways with a duplicate ACK and a retransmission
 * (notes), then optionally both FINs. Echo on port 7 labels the data. */
static void conversation(struct pair *p, uint16_t port, int data,
                         bool close)
{
	uint32_t c = 1000, s = 5000;
	feed(p, 0, port, c, 0, TL_TH_SYN, 0);
	feed(p, 1, port, s, c + 1, TL_TH_SYN | TL_TH_ACK, 0);
	c++, s++;
	feed(p, 0, port, c, s, TL_TH_ACK, 0);
	for (int i = 0; i < data; i++) {
		feed(p, 0, port, c, s, TL_TH_ACK | TL_TH_PSH, 10);
		if (i % 4 == 1)
			feed(p, 0, port, c, s, TL_TH_ACK | TL_TH_PSH, 10);
		c += 10;
		feed(p, 1, port, s, c, TL_TH_ACK, 0);
		if (i % 4 == 2) {
			/* A duplicate ACK with a SACK block (kept beside
			 * the rows, compacted with them). */
			next_sack_le = c + 10 + (uint32_t)i;
			next_sack_re = c + 20 + (uint32_t)i;
			feed(p, 1, port, s, c, TL_TH_ACK, 0);
		}
	}
	if (!close)
		return;
	feed(p, 0, port, c, s, TL_TH_ACK | TL_TH_FIN, 0);
	feed(p, 1, port, s, c + 1, TL_TH_ACK | TL_TH_FIN, 0);
	feed(p, 0, port, c + 1, s + 1, TL_TH_ACK, 0);
}

/* The segment of frame in the full model (rows are in frame order). */
static const struct tl_seg *find_frame(const struct tl_model *m,
                                       uint32_t frame, uint32_t *index)
{
	uint32_t lo = 0, hi = m->segs.count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tl_segstore_get(&m->segs, mid)->frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->segs.count &&
	    tl_segstore_get(&m->segs, lo)->frame == frame) {
		*index = lo;
		return tl_segstore_get(&m->segs, lo);
	}
	return NULL;
}

/* Everything the bounded model kept is what the full model has for the
 * same frames: rows, notes, labels; and nothing is kept twice. */
static void check_kept(const struct pair *p)
{
	const struct tl_segstore *st = &p->lim.segs;
	uint32_t prev = 0, notes = 0, labels = 0, differ = 0, sacks = 0;
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *a = tl_segstore_get(st, i);
		uint32_t j;
		const struct tl_seg *b = find_frame(&p->all, a->frame, &j);
		CHECK(a->frame > prev);
		prev = a->frame;
		if (!b) {
			CHECK_MSG(false, "frame %u kept but never seen", a->frame);
			continue;
		}
		if (memcmp(a, b, sizeof *a) && !differ++)
			CHECK_MSG(false, "frame %u differs", a->frame);
		const struct tl_seg_note *na = tl_segstore_note(st, i);
		const struct tl_seg_note *nb = tl_segstore_note(&p->all.segs, j);
		CHECK((na != NULL) == (nb != NULL));
		if (na && nb) {
			notes++;
			CHECK_UINT(na->ref_frame, nb->ref_frame);
			CHECK_UINT(na->dupack_num, nb->dupack_num);
			CHECK_UINT(na->prev_window, nb->prev_window);
		}
		const struct tl_seg_sack *sa = tl_segstore_sack(st, i);
		const struct tl_seg_sack *sb = tl_segstore_sack(&p->all.segs,
		                                                j);
		CHECK((sa != NULL) == (sb != NULL));
		if (sa && sb) {
			sacks++;
			CHECK_UINT(sa->count, sb->count);
			CHECK_UINT(sa->edge[0][0], sb->edge[0][0]);
			CHECK_UINT(sa->edge[0][1], sb->edge[0][1]);
		}
		size_t la = 0, lb = 0;
		const char *ta = tl_app_label(p->lim.app, a->frame, &la);
		const char *tb = tl_app_label(p->all.app, a->frame, &lb);
		CHECK((ta != NULL) == (tb != NULL));
		if (ta && tb) {
			labels++;
			CHECK(la == lb && !memcmp(ta, tb, la));
		}
	}
	CHECK_MSG(!differ, "%u rows differ", differ);
	CHECK_UINT(st->note_count, notes);
	CHECK_UINT(st->sack_count, sacks);
	CHECK_UINT(p->lim.app->label_count, labels);
}

static uint32_t first_frame_of(const struct tl_model *m, uint32_t stream)
{
	for (uint32_t i = 0; i < m->segs.count; i++)
		if (tl_segstore_get(&m->segs, i)->stream == stream)
			return tl_segstore_get(&m->segs, i)->frame;
	return 0;
}

static void test_closed_connections_go_first(void)
{
	struct pair p;
	pair_init(&p, 100, 0);
	conversation(&p, 40001, 4, true);       /* stream 0, closed first */
	conversation(&p, 40002, 4, true);       /* stream 1, closed */
	CHECK_UINT(p.lim.evicted.rounds, 0);
	uint32_t open_first = p.all.frames + 1;
	/* 98 rows: past the limit once, when the closed ones suffice. */
	conversation(&p, 40003, 38, false);     /* stream 2, stays open */
	CHECK_UINT(p.lim.evicted.rounds, 1);
	CHECK(p.lim.segs.count <= 100);
	CHECK(tl_tracker_stream(&p.lim.tracker, 0) == NULL);
	CHECK(tl_tracker_stream(&p.lim.tracker, 1) == NULL);
	CHECK(tl_tracker_stream(&p.lim.tracker, 2) != NULL);
	CHECK_UINT(p.lim.evicted.connections, 2);
	/* The open connection lost nothing while closed ones could go. */
	CHECK_UINT(first_frame_of(&p.lim, 2), open_first);
	check_kept(&p);
	pair_free(&p);
}

static void test_oldest_rows_of_open_connections_next(void)
{
	struct pair p;
	pair_init(&p, 60, 0);
	conversation(&p, 40001, 4, true);
	uint32_t open_first = p.all.frames + 1;
	conversation(&p, 40002, 60, false);
	CHECK(p.lim.segs.count <= 60);
	CHECK(tl_tracker_stream(&p.lim.tracker, 0) == NULL);
	/* Still followed: its oldest rows went, not the connection. */
	CHECK(tl_tracker_stream(&p.lim.tracker, 1) != NULL);
	CHECK(first_frame_of(&p.lim, 1) > open_first);
	CHECK_UINT(p.lim.tracker.stream_count, 2);
	check_kept(&p);
	/* A late segment of the forgotten connection starts a new stream. */
	feed(&p, 0, 40001, 1100, 5000, TL_TH_ACK, 0);
	CHECK_UINT(p.lim.tracker.stream_count, 3);
	CHECK_UINT(p.all.tracker.stream_count, 2);
	pair_free(&p);
}

static void test_limit_holds_after_every_frame(void)
{
	struct pair p;
	pair_init(&p, 37, 0);
	for (uint16_t k = 0; k < 30; k++) {
		conversation(&p, (uint16_t)(41000 + k), 3 + k % 5, k % 3 != 0);
		CHECK(p.lim.segs.count <= 37);
	}
	CHECK(p.lim.evicted.rounds > 5);
	CHECK_UINT(p.lim.evicted.segments + p.lim.segs.count,
	           p.all.segs.count);
	pair_free(&p);
}

/* A SYN flood: every SYN a new connection, nothing ever closes. */
static void test_bytes_bound_syn_flood(void)
{
	const uint64_t bound = 16u << 20;
	struct tl_model m;
	tl_model_init(&m, true);
	tl_model_set_limits(&m, 0, bound);
	uint8_t f[64];
	tl_nsec ts = INT64_C(1700000000) * TL_NSEC_PER_SEC;
	uint64_t peak = 0;
	for (uint32_t i = 0; i < 200000; i++) {
		uint32_t n = build(f, sizeof f, 0, (uint16_t)(1024 + i % 60000),
		                   i * 7919u, 0, TL_TH_SYN, 0);
		f[12] = (uint8_t)(10 + i / 60000);      /* another source */
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		tl_model_frame(&m, DLT_RAW, f, n, ts += 1000, &seg, &note,
		               &has_note);
		uint64_t b = tl_model_bytes(&m);
		if (b > peak)
			peak = b;
	}
	/* Open connections are kept up to twice the bound, the rows get a
	 * quarter of it on top; past that the idlest open ones go. */
	CHECK_MSG(peak <= bound * 2 + bound / 4 + 4096, "peak %llu bytes",
	          (unsigned long long)peak);
	printf("# SYN flood under 16M: peak %llu bytes, %u rounds, %llu open "
	       "connections let go\n", (unsigned long long)peak,
	       m.evicted.rounds,
	       (unsigned long long)m.evicted.open_connections);
	CHECK(m.evicted.connections > 100000);
	CHECK(m.evicted.open_connections > 100000);
	CHECK(m.evicted.too_small);
	char text[160];
	tl_model_too_small_text(&m, text, sizeof text);
	CHECK_MSG(!strncmp(text, "--max-memory 16M is too small for ", 34) &&
	          strstr(text, " open connections: try "), "%s", text);
	CHECK_UINT(m.tracker.stream_count, 200000);
	CHECK_UINT(m.tracker.tracked + m.evicted.connections, 200000);
	/* The newest SYNs are the ones kept. */
	CHECK_UINT(tl_segstore_get(&m.segs, m.segs.count - 1)->frame, 200000);
	tl_model_free(&m);
}

/* Issue 11 item 16: many connections open at once, a bound they do not
 * fit in. Every handshake first, then data on each: forgetting an open
 * connection gave its data a new stream without a SYN, over and over. */
static void open_many(struct pair *p, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		uint16_t port = (uint16_t)(1024 + k);
		feed(p, 0, port, 1000, 0, TL_TH_SYN, 0);
		feed(p, 1, port, 5000, 1001, TL_TH_SYN | TL_TH_ACK, 0);
		feed(p, 0, port, 1001, 5001, TL_TH_ACK, 0);
	}
	for (uint32_t k = 0; k < n; k++) {
		uint16_t port = (uint16_t)(1024 + k);
		feed(p, 0, port, 1001, 5001, TL_TH_ACK | TL_TH_PSH, 10);
		feed(p, 1, port, 5001, 1011, TL_TH_ACK, 0);
	}
}

/* The bounded model has the unbounded one's streams: same numbers, every
 * connection still there with its SYN and its counts. */
static void check_same_streams(const struct pair *p)
{
	const struct tl_tracker *a = &p->lim.tracker, *b = &p->all.tracker;
	CHECK_UINT(a->stream_count, b->stream_count);
	uint32_t missing = 0, differ = 0;
	for (uint32_t s = 0; s < b->stream_count && s < a->stream_count;
	     s++) {
		const struct tl_conn *x = a->streams[s], *y = b->streams[s];
		if (!x) {
			missing++;
			continue;
		}
		if (x->port[0] != y->port[0] || x->first_frame != y->first_frame ||
		    x->syn_time_set != y->syn_time_set ||
		    x->state != y->state ||
		    x->dir[0].segments != y->dir[0].segments ||
		    memcmp(x->counts, y->counts, sizeof x->counts))
			differ++;
	}
	CHECK_MSG(!missing, "%u open connections were forgotten", missing);
	CHECK_MSG(!differ, "%u connections differ", differ);
}

/* The last ACK of a close, or a RST answering a late segment, follows the
 * FINs: a connection that just closed keeps its state a few round trips,
 * so they stay in its stream; then it goes whole, first as before. */
static void test_just_closed_connection_lingers(void)
{
	struct pair p;
	pair_init(&p, 100, 0);
	conversation(&p, 40001, 36, false);     /* stream 0: 93 rows, open */
	uint32_t c = 1000, s = 5000;
	feed(&p, 0, 40002, c, 0, TL_TH_SYN, 0);        /* stream 1 */
	feed(&p, 1, 40002, s, c + 1, TL_TH_SYN | TL_TH_ACK, 0);
	feed(&p, 0, 40002, c + 1, s + 1, TL_TH_ACK, 0);
	feed(&p, 0, 40002, c + 1, s + 1, TL_TH_ACK | TL_TH_FIN, 0);
	feed(&p, 1, 40002, s + 1, c + 2, TL_TH_ACK | TL_TH_FIN, 0);
	CHECK_UINT(p.lim.evicted.rounds, 0);
	/* Past the bound a few ms after the second FIN (iRTT 1 ms). */
	int acks = 0;
	while (p.lim.evicted.rounds == 0 && acks < 8) {
		feed(&p, 1, 40001, 5001, 1361, TL_TH_ACK, 0);
		acks++;
	}
	CHECK_UINT(p.lim.evicted.rounds, 1);
	CHECK(acks <= 5);
	CHECK(tl_tracker_stream(&p.lim.tracker, 1) != NULL);
	feed(&p, 0, 40002, c + 2, s + 2, TL_TH_ACK, 0);   /* the last ACK */
	check_same_streams(&p);
	check_kept(&p);
	/* Quiet long enough, and past the bound again: it goes first. */
	conversation(&p, 40001 + 2, 12, false);
	CHECK(p.lim.evicted.rounds >= 2);
	CHECK(tl_tracker_stream(&p.lim.tracker, 1) == NULL);
	CHECK(tl_tracker_stream(&p.lim.tracker, 0) != NULL);
	CHECK_UINT(p.lim.evicted.connections, 1);
	pair_free(&p);
}

static void test_open_connections_kept_count_bound(void)
{
	struct pair p;
	pair_init(&p, 100, 0);
	open_many(&p, 300);
	check_same_streams(&p);
	check_kept(&p);
	CHECK(p.lim.segs.count <= 100);
	CHECK_UINT(p.lim.evicted.connections, 0);
	/* Rows went, in rounds of a quarter of the bound: no thrash. */
	CHECK(p.lim.evicted.rounds <= (p.all.segs.count / 25) + 1);
	CHECK(p.lim.evicted.too_small);
	CHECK(p.lim.evicted.too_small_by_count);
	char text[160];
	tl_model_too_small_text(&p.lim, text, sizeof text);
	CHECK_STR(text, "--max-segments 100 is too small for 300 open "
	          "connections: try 2000");
	/* The unbounded model never says so. */
	tl_model_too_small_text(&p.all, text, sizeof text);
	CHECK_STR(text, "");
	pair_free(&p);
}

static void test_open_connections_kept_byte_bound(void)
{
	const uint64_t bound = 16u << 20;
	struct pair p;
	pair_init(&p, 0, bound);
	/* 432-byte connections: 40,000 of them take more than 3/4 of 16M. */
	open_many(&p, 40000);
	check_same_streams(&p);
	check_kept(&p);
	CHECK_UINT(p.lim.evicted.connections, 0);
	CHECK_UINT(p.lim.evicted.open_connections, 0);
	CHECK(p.lim.evicted.segments > 0);
	CHECK_MSG(p.lim.evicted.rounds < 40, "%u rounds", p.lim.evicted.rounds);
	printf("# 40000 open under 16M: %u rounds, %llu rows let go, %llu "
	       "bytes held\n", p.lim.evicted.rounds,
	       (unsigned long long)p.lim.evicted.segments,
	       (unsigned long long)tl_model_bytes(&p.lim));
	CHECK(tl_model_bytes(&p.lim) <= bound * 2 + bound / 4);
	CHECK(p.lim.evicted.too_small);
	CHECK(!p.lim.evicted.too_small_by_count);
	char text[160];
	tl_model_too_small_text(&p.lim, text, sizeof text);
	CHECK_MSG(!strcmp(text, "--max-memory 16M is too small for 40000 open "
	                  "connections: try 32M") ||
	          !strcmp(text, "--max-memory 16M is too small for 40000 open "
	                  "connections: try 64M"), "%s", text);
	/* The newest rows are kept: the last data segment and its ACK. */
	CHECK_UINT(tl_segstore_get(&p.lim.segs, p.lim.segs.count - 1)->frame,
	           p.all.frames);
	pair_free(&p);
}

/* Frame numbers never wrap: the last one is taken, then nothing. */
static void test_last_frame_number(void)
{
	struct pair p;
	pair_init(&p, 0, 0);
	p.lim.frames = UINT32_MAX - 1;
	uint8_t f[64];
	uint32_t n = build(f, sizeof f, 0, 40001, 1000, 0, TL_TH_SYN, 0);
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	CHECK(!tl_model_frames_done(&p.lim, 0));
	CHECK(tl_model_frame(&p.lim, DLT_RAW, f, n, p.ts, &seg, &note,
	                     &has_note));
	CHECK_UINT(seg.frame, UINT32_MAX);
	CHECK(tl_model_frames_done(&p.lim, 0));
	CHECK(!tl_model_frame(&p.lim, DLT_RAW, f, n, p.ts, &seg, &note,
	                      &has_note));
	CHECK_UINT(p.lim.frames, UINT32_MAX);
	CHECK_UINT(p.lim.segs.count, 1);
	/* -c stops at its count the same way. */
	CHECK(tl_model_frames_done(&p.all, 0) == false);
	p.all.frames = 7;
	CHECK(tl_model_frames_done(&p.all, 7));
	CHECK(!tl_model_frames_done(&p.all, 8));
	pair_free(&p);
}

/* Array capacities double but never wrap (elements of size 0 keep the
 * allocations tiny while the counts are huge). */
static void test_growth_never_wraps(void)
{
	uint32_t cap = 0;
	void *p = tl_xgrow(NULL, &cap, 1, 16, 0);
	CHECK_UINT(cap, 16);
	p = tl_xgrow(p, &cap, 16, 16, 0);
	CHECK_UINT(cap, 16);
	p = tl_xgrow(p, &cap, 17, 16, 0);
	CHECK_UINT(cap, 32);
	p = tl_xgrow(p, &cap, 1000, 16, 0);
	CHECK_UINT(cap, 1024);
	cap = UINT32_C(1) << 31;
	p = tl_xgrow(p, &cap, (UINT64_C(1) << 31) + 1, 16, 0);
	CHECK_UINT(cap, UINT32_MAX);
	free(p);
}

/* A duplicate ACK's SACK block is kept relative to the peer's ISN, as
 * its Ack= is (tshark's SLE, SRE), and reads so on the label. */
static void test_sack_kept_relative(void)
{
	struct pair p;
	pair_init(&p, 0, 0);
	conversation(&p, 40000, 4, true);
	const struct tl_segstore *st = &p.all.segs;
	CHECK_UINT(st->sack_count, 1);
	const struct tl_seg_sack *sk = NULL;
	uint32_t at = 0;
	for (uint32_t i = 0; i < st->count && !sk; i++)
		if ((sk = tl_segstore_sack(st, i)) != NULL)
			at = i;
	CHECK(sk != NULL);
	if (sk) {
		CHECK_UINT(sk->count, 1);
		CHECK_UINT(sk->edge[0][0], 43);
		CHECK_UINT(sk->edge[0][1], 53);
		const struct tl_seg *seg = tl_segstore_get(st, at);
		char b[64];
		size_t n = tl_label_sack(sk, seg, NULL, 0, b, sizeof b, 0);
		CHECK_STR(b, " SACK 43-53");
		CHECK_UINT(n, 11);
	}
	pair_free(&p);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_sack_kept_relative),
	CHECK_TEST(test_growth_never_wraps),
	CHECK_TEST(test_last_frame_number),
	CHECK_TEST(test_closed_connections_go_first),
	CHECK_TEST(test_oldest_rows_of_open_connections_next),
	CHECK_TEST(test_limit_holds_after_every_frame),
	CHECK_TEST(test_bytes_bound_syn_flood),
	CHECK_TEST(test_just_closed_connection_lingers),
	CHECK_TEST(test_open_connections_kept_count_bound),
	CHECK_TEST(test_open_connections_kept_byte_bound),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

/* Unit tests for the graphs' model side (tsg.c) and the annotation kinds
 * (annot.c): series, unwrapping, fitting, ticks, the braille raster. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "tl_annot.h"
#include "tl_tsg.h"

static void add(struct tl_segstore *st, int64_t t, unsigned dir,
                unsigned flags, uint32_t seq, uint32_t ack, uint16_t len,
                uint32_t win, uint16_t an)
{
	struct tl_seg s = { 0 };
	tl_seg_pack(&s, t, flags, dir);
	s.frame = st->count + 1;
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.win = win;
	s.analysis = an;
	tl_segstore_append(st, &s, NULL);
}

/* A small upload: SYN, data, a lost segment, dup ACK, retransmission. */
static void upload(struct tl_segstore *st)
{
	tl_segstore_init(st);
	add(st, 0, 0, TL_TH_SYN, 0, 0, 0, 1000, 0);
	add(st, 10, 1, TL_TH_SYN | TL_TH_ACK, 0, 1, 0, 2000, 0);
	add(st, 20, 0, TL_TH_ACK, 1, 1, 100, 1000, 0);
	add(st, 30, 0, TL_TH_ACK, 201, 1, 100, 1000, TL_AN_LOST_SEGMENT);
	add(st, 40, 1, TL_TH_ACK, 1, 101, 0, 2000, 0);
	add(st, 50, 1, TL_TH_ACK, 1, 101, 0, 2000, TL_AN_DUPLICATE_ACK);
	add(st, 60, 0, TL_TH_ACK, 101, 1, 100, 1000,
	    TL_AN_RETRANSMISSION | TL_AN_FAST_RETRANSMISSION);
	add(st, 70, 1, TL_TH_ACK, 1, 301, 0, 2000, TL_AN_WINDOW_CHANGE);
}

static void test_annot_kinds(void)
{
	CHECK_INT(tl_annot_kind(TL_AN_RETRANSMISSION | TL_AN_DUPLICATE_ACK),
	          TL_ANNOT_RTX);
	CHECK_INT(tl_annot_kind(TL_AN_OUT_OF_ORDER), TL_ANNOT_OOO);
	CHECK_INT(tl_annot_kind(TL_AN_LOST_SEGMENT), TL_ANNOT_LOST);
	CHECK_INT(tl_annot_kind(TL_AN_DUPLICATE_ACK), TL_ANNOT_DUPACK);
	CHECK_INT(tl_annot_kind(TL_AN_ZERO_WINDOW), TL_ANNOT_WINDOW);
	CHECK_INT(tl_annot_kind(TL_AN_KEEP_ALIVE), TL_ANNOT_OTHER);
	CHECK_INT(tl_annot_kind(TL_AN_WINDOW_CHANGE), TL_ANNOT_CHANGE);
	CHECK_INT(tl_annot_kind(0), TL_ANNOT_NONE);
	CHECK_STR(tl_annot_color(TL_ANNOT_RTX), "#d70000");
	CHECK_STR(tl_annot_name(TL_ANNOT_DUPACK), "dup-ack");
}

static void test_tsg_series(void)
{
	struct tl_segstore st;
	upload(&st);
	struct tl_tsg g;
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, -1));
	CHECK_UINT(g.dir, 0);
	CHECK_UINT(g.seg_count, 8);
	CHECK_UINT(g.data_count, 4);            /* SYN and three with data */
	CHECK_INT(g.data[0].seq, 0);
	CHECK_INT(g.data[0].end, 1);
	CHECK_INT(g.data[2].seq, 201);
	CHECK_INT(g.data[2].gap_from, 101);     /* 101..201 never seen */
	CHECK_INT(g.data[2].kind, TL_ANNOT_LOST);
	CHECK_INT(g.data[3].kind, TL_ANNOT_RTX);
	CHECK_INT(g.data[3].gap_from, g.data[3].seq);
	CHECK_UINT(g.ack_count, 4);
	CHECK_INT(g.acks[1].ack, 101);
	CHECK_INT(g.acks[1].wnd_edge, 2101);
	CHECK_INT(g.acks[2].kind, TL_ANNOT_DUPACK);
	CHECK_INT(g.acks[3].kind, TL_ANNOT_NONE);       /* a window change */
	CHECK_UINT(g.rtx, 1);
	CHECK_UINT(g.lost, 1);
	CHECK_UINT(g.dupack, 1);
	/* In flight after frame 4: 301 sent, nothing acknowledged past 1. */
	CHECK_INT(g.flight[3].in_flight, 300);
	CHECK_INT(g.flight[4].in_flight, 200);
	CHECK_INT(g.flight[7].in_flight, 0);
	CHECK_INT(g.flight[7].rwnd, 2000);
	int64_t t, y;
	CHECK(tl_tsg_locate(&g, TL_GRAPH_TSG, &st, 6, &t, &y));
	CHECK_INT(t, 60);
	CHECK_INT(y, 101);
	CHECK_UINT(tl_tsg_seg_pos(&g, 5), 5);
	tl_tsg_free(&g);
	/* The other direction sent no data. */
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, 1));
	CHECK_UINT(g.data_count, 1);            /* its SYN */
	tl_tsg_free(&g);
	CHECK(!tl_tsg_build(&g, &st, NULL, 0, 7, -1));
	tl_tsg_free(&g);
	tl_segstore_free(&st);
}

static void test_tsg_unwrap(void)
{
	struct tl_segstore st;
	tl_segstore_init(&st);
	add(&st, 0, 0, TL_TH_ACK, 0xfffff000u, 0, 1000, 0, 0);
	add(&st, 1, 0, TL_TH_ACK, 0xfffff000u + 1000, 0, 8000, 0, 0);
	add(&st, 2, 0, TL_TH_ACK, 4904, 0, 1000, 0, 0);
	struct tl_tsg g;
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, 0));
	CHECK_INT(g.data[2].seq, INT64_C(0x100000000) + 4904);
	CHECK_INT(g.data[2].gap_from, g.data[2].seq);
	tl_tsg_free(&g);
	tl_segstore_free(&st);
}

/* SACK blocks of the ACKs: kept per block at the ACK's time, unwrapped
 * against that ACK (a hostile edge moves nothing else), empty or inverted
 * blocks left out; drawn in their own series under the data. */
static void test_tsg_sack(void)
{
	struct tl_segstore st;
	upload(&st);
	/* frame 6, the dup ACK: bytes 201-301 arrived, 101-201 did not;
	 * and a block that claims 2^31 bytes past the ACK, and an empty
	 * one. */
	struct tl_seg_sack sk = { .count = 3, .edge = {
		{ 201, 301 }, { 101u + 0x80000000u, 101u + 0x80000010u },
		{ 150, 150 } } };
	tl_segstore_add_sack(&st, 5, &sk);
	struct tl_tsg g;
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, -1));
	CHECK_UINT(g.sack_count, 2);
	CHECK_INT(g.sacks[0].t_us, 50);
	CHECK_INT(g.sacks[0].le, 201);
	CHECK_INT(g.sacks[0].re, 301);
	CHECK_UINT(g.sacks[0].seg, 5);
	/* int32 arithmetic: 2^31 past the ACK reads as 2^31 before it */
	CHECK_INT(g.sacks[1].le, 101 - INT64_C(0x80000000));
	/* the data's unwrapping is untouched; so are the y bounds */
	CHECK_INT(g.data[3].seq, 101);
	CHECK_INT(g.y_min, 0);
	CHECK_INT(g.y_max, 301);
	struct tl_plot p;
	tl_plot_init(&p, 40, 20);
	struct tl_tsg_view v;
	tl_tsg_fit(&g, TL_GRAPH_TSG, &v);
	tl_tsg_plot(&g, TL_GRAPH_TSG, &v, &p);
	int sack = 0;
	char cell[8];
	for (int r = 0; r < p.rows; r++)
		for (int c = 0; c < p.cols; c++) {
			unsigned series, kind;
			tl_plot_cell(&p, c, r, true, cell, &series, &kind);
			if (series == TL_PLOT_SACK) {
				sack++;
				CHECK_STR(cell, "!");
			}
		}
	CHECK(sack >= 2);               /* 100 of ~300 bytes tall */
	/* without the record, no marks */
	tl_tsg_free(&g);
	tl_segstore_free(&st);
	upload(&st);
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, -1));
	CHECK_UINT(g.sack_count, 0);
	tl_plot_free(&p);
	tl_tsg_free(&g);
	tl_segstore_free(&st);
}

static void test_tsg_ticks(void)
{
	char buf[32];
	CHECK_INT(tl_tsg_tick(4300, 8), 500);
	CHECK_INT(tl_tsg_tick(1000000, 5), 200000);
	CHECK_INT(tl_tsg_tick(3, 8), 1);
	tl_tsg_format_time(3500, 500, buf, sizeof buf);
	CHECK_STR(buf, "3.5 ms");
	tl_tsg_format_time(2000000, 1000000, buf, sizeof buf);
	CHECK_STR(buf, "2 s");
	tl_tsg_format_bytes(250000, 50000, buf, sizeof buf);
	CHECK_STR(buf, "250 KB");
	tl_tsg_format_bytes(60, 20, buf, sizeof buf);
	CHECK_STR(buf, "60 B");
}

static void test_plot_braille(void)
{
	struct tl_segstore st;
	upload(&st);
	struct tl_tsg g;
	CHECK(tl_tsg_build(&g, &st, NULL, 0, 0, -1));
	struct tl_plot p;
	tl_plot_init(&p, 20, 10);
	struct tl_tsg_view v;
	tl_tsg_fit(&g, TL_GRAPH_TSG, &v);
	tl_tsg_plot(&g, TL_GRAPH_TSG, &v, &p);
	int dots = 0, red = 0;
	char cell[8];
	for (int r = 0; r < p.rows; r++)
		for (int c = 0; c < p.cols; c++) {
			unsigned series, kind;
			tl_plot_cell(&p, c, r, false, cell, &series, &kind);
			if (cell[0] != ' ') {
				dots++;
				/* U+2800..U+28FF: E2 A0..A3 xx */
				CHECK((unsigned char)cell[0] == 0xe2 &&
				      ((unsigned char)cell[1] & 0xfc) == 0xa0);
			}
			red += kind == TL_ANNOT_RTX;
		}
	CHECK(dots > 5);
	CHECK(red >= 1);
	/* ASCII: the same cells, plain characters. */
	unsigned series, kind;
	int ascii = 0;
	for (int r = 0; r < p.rows; r++)
		for (int c = 0; c < p.cols; c++) {
			tl_plot_cell(&p, c, r, true, cell, &series, &kind);
			if (cell[0] != ' ') {
				ascii++;
				CHECK((unsigned char)cell[0] < 0x80 &&
				      cell[1] == '\0');
			}
		}
	CHECK_INT(ascii, dots);
	/* One dot: the braille bit of (x, y) within its cell. */
	memset(p.dot, 0, (size_t)p.w * (size_t)p.h);
	p.dot[1 * p.w + 1] = TL_PLOT_DATA << 4;     /* cell 0,0 dot (1,1) */
	tl_plot_cell(&p, 0, 0, false, cell, &series, &kind);
	CHECK_STR(cell, "\u2810");
	CHECK_UINT(series, TL_PLOT_DATA);
	tl_plot_free(&p);
	tl_tsg_free(&g);
	tl_segstore_free(&st);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_annot_kinds),
	CHECK_TEST(test_tsg_series),
	CHECK_TEST(test_tsg_unwrap),
	CHECK_TEST(test_tsg_sack),
	CHECK_TEST(test_tsg_ticks),
	CHECK_TEST(test_plot_braille),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

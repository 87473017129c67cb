/* Unit tests for the row layout (src/model/layout.c): who gets the width at 80,
 * 100, 120 and 200 columns, the order label parts are dropped in, and the
 * wrapping that bounds -T text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tl_label.h"
#include "tl_layout.h"
#include "tl_model.h"

#include "check.h"

/* The view's prefix at these widths: " #####  0.0000  " is about 16. */
#define PREFIX 16

static struct tl_seg seg_of(unsigned flags, uint32_t seq, uint32_t ack,
                            uint32_t len, uint32_t win)
{
	struct tl_seg s;
	memset(&s, 0, sizeof s);
	tl_seg_pack(&s, 0, flags, 0);
	s.seq = seq;
	s.ack = ack;
	s.len = len;
	s.win = win;
	return s;
}

static void split_at(int cols, uint32_t columns, int label, int label_min,
                     int an, struct tl_layout_split *sp)
{
	struct tl_layout_want w = {
		.width = cols - PREFIX, .columns = columns,
		.label_need = label, .label_min = label_min, .an_need = an,
	};
	tl_layout_split(&w, sp);
}

/* Nothing is laid out past the width unless the ladder scrolls. */
static void check_fits(int cols, const struct tl_layout_split *sp)
{
	int used = sp->an_w ? sp->an_x + sp->an_w : sp->body_w;
	CHECK_MSG(used <= cols - PREFIX, "%d cols: %d cells used of %d", cols,
	          used, cols - PREFIX);
	CHECK(sp->virt_w >= sp->body_w);
}

static void test_split_two_columns(void)
{
	static const int widths[] = { 80, 100, 120, 200 };
	/* The lab's out-of-order exchange: labels up to 52 cells, shortest
	 * 22, "[TCP Previous segment not captured]" 35. */
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		int cols = widths[i];
		struct tl_layout_split sp;
		split_at(cols, 2, 52, 22, 35, &sp);
		check_fits(cols, &sp);
		/* the arrow never goes below its short minimum */
		CHECK_MSG(sp.gap >= 22 + TL_LAYOUT_ARROW_CELLS,
		          "%d cols: gap %d", cols, sp.gap);
		CHECK_INT(sp.virt_w, sp.body_w);      /* no scrolling */
		if (cols >= 100) {
			/* the analysis words are whole */
			CHECK_MSG(sp.an_w >= 35, "%d cols: analysis %d", cols,
			          sp.an_w);
		} else {
			/* at 80 the analysis gets what the arrow gave up */
			CHECK_INT(sp.body_w, 2 + 22 + TL_LAYOUT_ARROW_CELLS);
			CHECK_INT(sp.an_w, cols - PREFIX - sp.body_w -
			                   TL_LAYOUT_AN_SEP);
		}
		if (cols >= 120) {
			/* and the arrow is long enough for the whole label */
			CHECK_MSG(sp.gap >= 52 + TL_LAYOUT_ARROW_CELLS,
			          "%d cols: gap %d", cols, sp.gap);
		}
		if (cols == 200) {
			/* the arrow stops at the label; the rest is the
			 * analysis column's (the ZeroWindowProbeAck case) */
			CHECK_INT(sp.body_w, 2 + 52 + TL_LAYOUT_ARROW_CELLS);
			CHECK_INT(sp.an_w, 200 - PREFIX - sp.body_w -
			                   TL_LAYOUT_AN_SEP);
		}
	}
}

static void test_split_many_columns(void)
{
	/* Seven columns (six live downloads): at 80 and 100 the ladder
	 * scrolls sideways; the analysis keeps a third at most. */
	static const int widths[] = { 80, 100, 120, 200 };
	for (size_t i = 0; i < 4; i++) {
		int cols = widths[i];
		struct tl_layout_split sp;
		split_at(cols, 7, 40, 15, 20, &sp);
		check_fits(cols, &sp);
		CHECK(sp.gap >= TL_LAYOUT_MIN_GAP);
		if (6 * 23 + 2 + 3 + 14 > cols - PREFIX)
			CHECK_MSG(sp.virt_w > sp.body_w, "%d cols scroll", cols);
		CHECK(sp.an_w == 0 || sp.an_w >= TL_LAYOUT_MIN_ANALYSIS);
		CHECK(sp.an_w <= 20);
	}
}

static void test_split_no_analysis(void)
{
	struct tl_layout_split sp;
	split_at(120, 2, 40, 15, 0, &sp);
	check_fits(120, &sp);
	CHECK_INT(sp.body_w, 2 + 40 + TL_LAYOUT_ARROW_CELLS);
	/* a tiny screen: the ladder scrolls, nothing negative */
	split_at(20, 2, 40, 15, 30, &sp);
	CHECK(sp.body_w >= 1);
	CHECK(sp.virt_w >= sp.body_w);
	CHECK_INT(sp.an_w, 0);
	split_at(0, 0, 0, 0, 0, &sp);
	CHECK(sp.body_w >= 1 && sp.gap >= 1);
}

/* Label for each try, to read the drop order. */
static void label_at(const struct tl_seg *s, int room, char *b, size_t n)
{
	int w = tl_layout_label(s, NULL, 0, room, b, n);
	if (w < 0)
		strcat(b, " (cut)");
}

static void test_label_pure_ack(void)
{
	char b[128];
	struct tl_seg s = seg_of(TL_TH_ACK, 986, 4242, 0, 64240);
	label_at(&s, 80, b, sizeof b);
	CHECK_STR(b, "ACK Seq=986 Ack=4242 Win=64240 Len=0");
	/* Len=0 goes first, then Seq=, then Win=; Ack= stays */
	label_at(&s, 31, b, sizeof b);
	CHECK_STR(b, "ACK Seq=986 Ack=4242 Win=64240");
	label_at(&s, 29, b, sizeof b);
	CHECK_STR(b, "ACK Ack=4242 Win=64240");
	label_at(&s, 21, b, sizeof b);
	CHECK_STR(b, "ACK Ack=4242");
	label_at(&s, 8, b, sizeof b);
	CHECK_STR(b, "ACK Ack=4242 (cut)");
	/* a FIN without data reads like an ACK */
	s = seg_of(TL_TH_FIN | TL_TH_ACK, 59, 1, 0, 501);
	label_at(&s, 20, b, sizeof b);
	CHECK_STR(b, "FIN, ACK Ack=1");
}

static void test_label_data_and_syn(void)
{
	char b[128];
	struct tl_seg s = seg_of(TL_TH_PSH | TL_TH_ACK, 29, 1, 30, 64240);
	label_at(&s, 30, b, sizeof b);
	CHECK_STR(b, "PSH, ACK Seq=29 Ack=1 Len=30");
	label_at(&s, 24, b, sizeof b);
	CHECK_STR(b, "PSH, ACK Seq=29 Len=30");
	/* an RST keeps Seq= like data */
	s = seg_of(TL_TH_RST, 7, 0, 0, 0);
	label_at(&s, 15, b, sizeof b);
	CHECK_STR(b, "RST Seq=7 Len=0");
	label_at(&s, 12, b, sizeof b);
	CHECK_STR(b, "RST Seq=7 Len=0 (cut)");
	unsigned tries[TL_LAYOUT_MAX_TRIES];
	s = seg_of(TL_TH_SYN, 0, 0, 0, 64240);
	size_t n = tl_layout_label_tries(&s, tries);
	CHECK_UINT(n, 6);
	CHECK_UINT(tries[0], TL_LABEL_ALL);
	CHECK_UINT(tries[n - 1], TL_LABEL_SYNOPTS);
	s = seg_of(TL_TH_ACK, 1, 1, 0, 1);
	n = tl_layout_label_tries(&s, tries);
	/* every try of a pure ACK keeps Ack= */
	for (size_t i = 0; i < n; i++)
		CHECK(tries[i] & TL_LABEL_ACK);
}

/* SACK blocks: relative, several joined by commas; dropped after Len=0,
 * Seq= and Win=, never before Ack=. */
static void test_label_sack(void)
{
	char b[160];
	struct tl_seg s = seg_of(TL_TH_ACK, 1, 1, 0, 64240);
	struct tl_seg_sack sk = { .count = 1, .edge = { { 29, 59 } } };
	int w = tl_layout_label_sack(&s, NULL, &sk, 0, 80, b, sizeof b);
	CHECK_STR(b, "ACK Seq=1 Ack=1 Win=64240 Len=0 SACK 29-59");
	CHECK_INT(w, (int)strlen(b));
	tl_layout_label_sack(&s, NULL, &sk, 0, 37, b, sizeof b);
	CHECK_STR(b, "ACK Seq=1 Ack=1 Win=64240 SACK 29-59");
	tl_layout_label_sack(&s, NULL, &sk, 0, 30, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1 Win=64240 SACK 29-59");
	tl_layout_label_sack(&s, NULL, &sk, 0, 24, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1 SACK 29-59");
	/* the blocks go before Ack= does */
	tl_layout_label_sack(&s, NULL, &sk, 0, 12, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1");
	w = tl_layout_label_sack(&s, NULL, &sk, 0, 5, b, sizeof b);
	CHECK_INT(w, -1);
	CHECK_STR(b, "ACK Ack=1");
	/* several blocks */
	struct tl_seg_sack two = { .count = 2,
	                           .edge = { { 11, 21 }, { 31, 41 } } };
	tl_layout_label_sack(&s, NULL, &two, 0, 30, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1 SACK 11-21,31-41");
	/* none: as without */
	tl_layout_label_sack(&s, NULL, NULL, 0, 12, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1");
	tl_layout_label_full(&s, NULL, &two, 0, b, sizeof b);
	CHECK_STR(b, "ACK Seq=1 Ack=1 Win=64240 Len=0 SACK 11-21,31-41");
}

/* -T text keeps every block: past the shortest label with them it says
 * so (-1) and leaves that label to be wrapped, never "ACK Ack=1". */
static void test_label_sack_kept(void)
{
	char b[160];
	struct tl_seg s = seg_of(TL_TH_ACK, 1, 1, 0, 64240);
	struct tl_seg_sack sk = { .count = 1, .edge = { { 29, 59 } } };
	int w = tl_layout_label_sack_kept(&s, NULL, &sk, 0, 30, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1 Win=64240 SACK 29-59");
	CHECK_INT(w, 30);
	tl_layout_label_sack_kept(&s, NULL, &sk, 0, 24, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1 SACK 29-59");
	w = tl_layout_label_sack_kept(&s, NULL, &sk, 0, 12, b, sizeof b);
	CHECK_INT(w, -1);
	CHECK_STR(b, "ACK Ack=1 SACK 29-59");
	/* no blocks: as tl_layout_label */
	w = tl_layout_label_sack_kept(&s, NULL, NULL, 0, 12, b, sizeof b);
	CHECK_STR(b, "ACK Ack=1");
	CHECK_INT(w, 9);
	/* data keeps Seq= and Len= with its blocks (a SACK on data) */
	struct tl_seg d = seg_of(TL_TH_ACK | TL_TH_PSH, 1, 1, 100, 501);
	w = tl_layout_label_sack_kept(&d, NULL, &sk, 0, 36, b, sizeof b);
	CHECK_STR(b, "PSH, ACK Seq=1 Len=100 SACK 29-59");
	CHECK_INT(w, (int)strlen(b));
}

static void test_wrap(void)
{
	CHECK_UINT(tl_layout_wrap("short", 10), 5);
	const char *t = "[TCP Dup ACK 4#1] [TCP Retransmission]";
	size_t n = tl_layout_wrap(t, 20);
	CHECK_UINT(n, 17);              /* at the space after the first */
	CHECK_UINT(tl_layout_wrap("abcdefghij", 4), 4);
	/* UTF-8 counts by cells, never splits a character */
	const char *u = "win 64240\u219264182";
	CHECK_INT(tl_layout_cells(u), 15);
	CHECK_UINT(tl_layout_prefix_bytes(u, 10), 12);
	CHECK_UINT(tl_layout_wrap(u, 4), 3);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_split_two_columns),
	CHECK_TEST(test_split_many_columns),
	CHECK_TEST(test_split_no_analysis),
	CHECK_TEST(test_label_pure_ack),
	CHECK_TEST(test_label_data_and_syn),
	CHECK_TEST(test_label_sack),
	CHECK_TEST(test_label_sack_kept),
	CHECK_TEST(test_wrap),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

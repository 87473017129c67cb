/* Kernel drops on the ladder: the model's markers (where a live capture's
 * drop count rose between two polls) and the -T text line drawn there. */
#include "config.h"

#include <pcap/dlt.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "tl_capture.h"
#include "frame_builder.h"
#include "tl_model.h"
#include "tl_options.h"
#include "tl_picture.h"
#include "tl_render.h"

/* One IPv4 TCP frame (DLT_RAW), 192.0.2.1:40000 -> 192.0.2.2:80 with len
 * bytes, or the ACK back when dir is 1. */
static uint32_t build(uint8_t *f, size_t size, unsigned dir, uint32_t seq,
                      uint32_t ack, uint8_t flags, uint32_t len)
{
	static const uint8_t zeros[1500];
	struct fb_tcp t = {
		.src = dir ? FB_HOST_B : FB_HOST_A,
		.dst = dir ? FB_HOST_A : FB_HOST_B,
		.sport = dir ? 80 : 40000, .dport = dir ? 40000 : 80,
		.seq = seq, .ack = ack, .flags = flags, .win = 0x1000,
		.payload = zeros, .len = len <= sizeof zeros ? len : 0,
	};
	return fb_ipv4_tcp(f, size, &t);
}

struct feeder {
	struct tl_model m;
	tl_nsec ts;
	uint32_t seq;
	uint8_t buf[2048];
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
};

/* Feeds the n-th data segment (frames 1, 2, ...). */
static void feed(struct feeder *p)
{
	uint32_t n = build(p->buf, sizeof p->buf, 0, p->seq, 1, TL_TH_ACK,
	                   100);
	p->seq += 100;
	p->ts += 1000000;
	CHECK(tl_model_frame(&p->m, DLT_RAW, p->buf, n, p->ts, &p->seg,
	                     &p->note, &p->has_note));
}

static void feeder_init(struct feeder *p)
{
	memset(p, 0, sizeof *p);
	tl_model_init(&p->m, false);
	p->ts = INT64_C(1700000000) * TL_NSEC_PER_SEC;
	p->seq = 1000;
}

static void test_marker_between_frames(void)
{
	static struct feeder p;
	feeder_init(&p);
	/* Drops before the first frame sit after frame 0. */
	CHECK_UINT(tl_model_kernel_drops(&p.m, 3), 3);
	for (int i = 0; i < 5; i++)
		feed(&p);
	CHECK_UINT(tl_model_kernel_drops(&p.m, 3), 0);   /* no rise */
	CHECK_UINT(tl_model_kernel_drops(&p.m, 5536), 5533);
	/* A second poll before the next frame: the same marker. */
	CHECK_UINT(tl_model_kernel_drops(&p.m, 5540), 4);
	for (int i = 0; i < 3; i++)
		feed(&p);
	CHECK_UINT(tl_model_kernel_drops(&p.m, 5541), 1);
	CHECK_UINT(p.m.drops.count, 3);
	CHECK_UINT(p.m.drops.v[0].after_frame, 0);
	CHECK_UINT(p.m.drops.v[0].count, 3);
	CHECK_UINT(p.m.drops.v[1].after_frame, 5);
	CHECK_UINT(p.m.drops.v[1].count, 5537);
	CHECK_UINT(p.m.drops.v[2].after_frame, 8);
	CHECK_UINT(p.m.drops.v[2].count, 1);
	/* Between the rows of frames 5 and 6: the 5537; before frame 1:
	 * the first 3; after the last row: 1. */
	CHECK_UINT(tl_model_drops_between(&p.m, 0, 1), 3);
	CHECK_UINT(tl_model_drops_between(&p.m, 1, 5), 0);
	CHECK_UINT(tl_model_drops_between(&p.m, 5, 6), 5537);
	CHECK_UINT(tl_model_drops_between(&p.m, 4, 7), 5537);
	CHECK_UINT(tl_model_drops_between(&p.m, 6, 8), 0);
	CHECK_UINT(tl_model_drops_between(&p.m, 8, UINT32_MAX), 1);
	CHECK_UINT(tl_model_drops_between(&p.m, 0, UINT32_MAX), 5541);
	/* A counter that went back is a new base, not a drop. */
	CHECK_UINT(tl_model_kernel_drops(&p.m, 10), 0);
	CHECK_UINT(tl_model_kernel_drops(&p.m, 12), 2);
	CHECK_UINT(p.m.drops.v[2].count, 3);
	tl_model_free(&p.m);
}

static void test_marker_list_bounded(void)
{
	static struct feeder p;
	feeder_init(&p);
	uint64_t total = 0;
	for (uint32_t i = 0; i < TL_DROP_MARKS_MAX + 10; i++) {
		feed(&p);
		tl_model_kernel_drops(&p.m, ++total);
	}
	CHECK_UINT(p.m.drops.count, TL_DROP_MARKS_MAX);
	CHECK_UINT(tl_model_drops_between(&p.m, 0, UINT32_MAX), total);
	CHECK_UINT(p.m.drops.v[TL_DROP_MARKS_MAX - 1].count, 11);
	tl_model_free(&p.m);
}

static void test_drop_text(void)
{
	char buf[96];
	tl_drop_text(5533, buf, sizeof buf);
	CHECK_STR(buf, "5,533 packets dropped by the kernel here");
	tl_drop_text(1, buf, sizeof buf);
	CHECK_STR(buf, "1 packet dropped by the kernel here");
	tl_drop_text(1234567, buf, sizeof buf);
	CHECK_STR(buf, "1,234,567 packets dropped by the kernel here");
	tl_drop_text(100, buf, sizeof buf);
	CHECK_STR(buf, "100 packets dropped by the kernel here");
}

/* -T text: the marker's line between the rows of frames 2 and 3, the
 * rest after the last row, none wider than --width. */
static void test_text_line(void)
{
	static struct feeder p;
	static struct tl_text_ladder t;
	static struct tl_out o;
	struct tl_options opt;
	memset(&opt, 0, sizeof opt);
	opt.stream_count = 1;
	FILE *tmp = tmpfile();
	CHECK(tmp != NULL);
	if (!tmp)
		return;
	for (int width = 60; width <= 120; width += 60) {
		feeder_init(&p);
		tl_text_init(&t, &opt, width, true);
		tl_out_init(&o, fileno(tmp), false);
		CHECK(ftruncate(fileno(tmp), 0) == 0);
		rewind(tmp);
		for (int i = 0; i < 4; i++) {
			feed(&p);
			if (i == 1)
				tl_model_kernel_drops(&p.m, 5533);
			tl_text_row(&t, &o, &p.m, &p.seg,
			            p.has_note ? &p.note : NULL);
		}
		tl_model_kernel_drops(&p.m, 5540);
		tl_text_drops(&t, &o, &p.m, UINT32_MAX);
		CHECK_UINT(tl_out_finish(&o, "tmp"), 0);
		rewind(tmp);
		char line[512];
		int at = -1, last = -1, rows = 0;
		while (fgets(line, sizeof line, tmp)) {
			line[strcspn(line, "\n")] = '\0';
			int cells = 0;
			for (const char *s = line; *s; s++)
				cells += ((unsigned char)*s & 0xc0) != 0x80;
			CHECK_MSG(cells <= width, "width %d: %d cells: %s",
			          width, cells, line);
			if (strstr(line, "5,533 packets dropped by the kernel "
			                 "here"))
				at = rows;
			if (strstr(line, "7 packets dropped by the kernel"))
				last = rows;
			/* A row starts with its frame number. */
			unsigned frame;
			if (sscanf(line, "%u", &frame) == 1 &&
			    frame == (unsigned)rows + 1)
				rows++;
		}
		CHECK_MSG(at == 2, "width %d: marker after %d rows", width, at);
		CHECK_MSG(last == 4, "width %d: last marker after %d rows",
		          width, last);
		tl_text_free(&t);
		tl_model_free(&p.m);
	}
	fclose(tmp);
}

/* Reads all of tmp into buf (NUL-terminated); returns its length. */
static size_t slurp(FILE *tmp, char *buf, size_t size)
{
	fflush(tmp);
	rewind(tmp);
	size_t n = fread(buf, 1, size - 1, tmp);
	buf[n] = '\0';
	return n;
}

/* -T svg and -T html: the marker between the rows of frames 2 and 3 (in
 * the picture and in the page's segment table), the rest after the last
 * row; a later page does not draw what came before its first row. */
static void test_picture_marker(void)
{
	static struct feeder p;
	static char buf[1 << 20];
	feeder_init(&p);
	tl_model_free(&p.m);
	tl_model_init(&p.m, true);      /* the rows stay in m.segs */
	for (int i = 0; i < 4; i++) {
		feed(&p);
		if (i == 1)
			tl_model_kernel_drops(&p.m, 5533);
	}
	tl_model_kernel_drops(&p.m, 5540);
	struct tl_picture_src src = {
		.m = &p.m, .segs = &p.m.segs, .row_count = p.m.segs.count,
		.total_rows = p.m.segs.count, .title = "drops.pcap",
	};
	FILE *tmp = tmpfile();
	CHECK(tmp != NULL);
	if (!tmp)
		return;
	CHECK_UINT(tl_svg_ladder(tmp, &src), 0);
	slurp(tmp, buf, sizeof buf);
	const char *mark = strstr(buf, "5,533 packets dropped by the kernel "
	                                "here");
	const char *f2 = strstr(buf, "data-frame=\"2\"");
	const char *f3 = strstr(buf, "data-frame=\"3\"");
	const char *f4 = strstr(buf, "data-frame=\"4\"");
	const char *last = strstr(buf, "7 packets dropped by the kernel here");
	CHECK(mark && f2 && f3 && f2 < mark && mark < f3);
	CHECK(last && f4 && f4 < last);
	CHECK(mark && !strstr(mark + 1, "5,533 packets"));

	CHECK(ftruncate(fileno(tmp), 0) == 0);
	rewind(tmp);
	CHECK_UINT(tl_html_page(tmp, &src, 0), 0);
	slurp(tmp, buf, sizeof buf);
	const char *r2 = strstr(buf, "<tr id=\"r2\"");
	const char *r3 = strstr(buf, "<tr id=\"r3\"");
	const char *row = strstr(buf, "<tr class=\"drops\">");
	CHECK(r2 && r3 && row && r2 < row && row < r3);
	CHECK(row && strstr(row, "5,533 packets dropped by the kernel here"));

	/* Page 2 starting at frame 3: no marker above its first row. */
	src.first_row = 2;
	src.total_rows = 4;
	uint32_t rows[2] = { 2, 3 };
	src.rows = rows;
	src.row_count = 2;
	CHECK(ftruncate(fileno(tmp), 0) == 0);
	rewind(tmp);
	CHECK_UINT(tl_svg_ladder(tmp, &src), 0);
	slurp(tmp, buf, sizeof buf);
	CHECK(!strstr(buf, "5,533 packets"));
	CHECK(strstr(buf, "7 packets dropped by the kernel here") != NULL);
	fclose(tmp);
	tl_model_free(&p.m);
}

/* tl_model_poll_drops: a file has no kernel counters, so no marker. */
static void test_poll_file(void)
{
	const char *dir = getenv("srcdir");
	char path[4096], err[256];
	snprintf(path, sizeof path, "%s/tests/data/lab-ooo.pcap",
	         dir ? dir : ".");
	struct tl_capture_config cfg = { .file = path,
	                                 .snaplen = TL_DEFAULT_SNAPLEN };
	struct tl_capture *cap = tl_capture_open(&cfg, err, sizeof err);
	CHECK_MSG(cap != NULL, "%s: %s", path, err);
	if (!cap)
		return;
	static struct feeder p;
	feeder_init(&p);
	feed(&p);
	CHECK_UINT(tl_model_poll_drops(&p.m, cap), 0);
	CHECK_UINT(p.m.drops.count, 0);
	tl_capture_close(cap);
	tl_model_free(&p.m);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_poll_file),
	CHECK_TEST(test_picture_marker),
	CHECK_TEST(test_marker_between_frames),
	CHECK_TEST(test_marker_list_bounded),
	CHECK_TEST(test_drop_text),
	CHECK_TEST(test_text_line),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

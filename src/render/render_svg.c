/* The ladder and the time-sequence graphs as SVG, and the HTML page around
 * them. Everything is real <text> in a monospace font, sized for a slide:
 * the picture is drawn at about 1400 pixels wide and scales from there. */
#include "config.h"

#include "tl_picture.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "tl_annot.h"
#include "tl_app.h"
#include "tl_ladder.h"
#include "tl_label.h"
#include "tl_layout.h"
#include "tl_sender.h"
#include "tl_util.h"

#include "render_svg_follow.h"

#define FONT "DejaVu Sans Mono, Menlo, Consolas, monospace"
#define LABEL_PX 17             /* segment labels */
#define CHAR_W 0.61             /* advance of a monospace glyph, in em */
#define ROW_H 46
#define MAX_PANELS 8

/* The per-stream colours of the terminal's 256-colour theme (xterm 37, 71,
 * 69, 133, 136, 245), for plain arrows when several streams are shown. */
static const char *const stream_colors[6] = {
	"#00afaf", "#5faf5f", "#5f87ff", "#af5faf", "#af8700", "#8a8a8a",
};
#define PLAIN_ARROW "#303030"
#define LIFELINE "#9e9e9e"
#define QUIET "#555555"
/* Graph lines: the ACK line green, the receive window grey and dashed
 * (a limit, not an event), data black; annotations keep their colours. */
#define ACK_LINE "#008700"
#define WIN_LINE "#808080"
#define FLIGHT_LINE "#005fd7"
#define CWND_LINE "#d7005f"
#define SSTHRESH_LINE "#af8700"
#define DATA_BAR "#000000"
/* SACK blocks: purple, as tcptrace and Wireshark's tcptrace graph. */
#define SACK_MARK "#8700af"

/* ---- writing ------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* Control characters are not allowed in XML 1.0. */
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				fputc('?', f);
			else
				fputc(*s, f);
		}
	}
}

static double text_w(const char *s, double px)
{
	return tl_layout_cells(s) * px * CHAR_W;
}

static int finish(FILE *f)
{
	if (fflush(f) != 0 || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

static uint32_t row_seg(const struct tl_picture_src *src, uint32_t i)
{
	return src->rows ? src->rows[i] : i;
}

static uint32_t row_count(const struct tl_picture_src *src)
{
	return src->rows ? src->row_count : src->segs->count;
}

static const char *base_name(const char *path)
{
	if (!path)
		return "capture";
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* The connections in the rows, in order of first appearance. */
static uint32_t row_streams(const struct tl_picture_src *src, uint32_t *out,
                            uint32_t max)
{
	uint32_t n = 0, rows = row_count(src);
	for (uint32_t i = 0; i < rows; i++) {
		uint32_t s = tl_segstore_get(src->segs, row_seg(src, i))->stream;
		bool seen = false;
		for (uint32_t k = 0; k < n && !seen; k++)
			seen = out[k] == s;
		if (!seen && n < max)
			out[n++] = s;
		if (n == max)
			break;
	}
	return n;
}

static void format_time(const struct tl_picture_src *src, int64_t us,
                        int64_t prev_us, bool have_prev, char *buf)
{
	switch (src->time_format) {
	case TL_TIME_DELTA:
		buf[0] = '+';
		buf[1 + tl_format_us(have_prev ? us - prev_us : 0, buf + 1)] =
			'\0';
		break;
	case TL_TIME_ABSOLUTE: {
		int64_t abs_us = tl_nsec_to_us(src->m->start_time) + us;
		time_t secs = (time_t)(abs_us / 1000000);
		struct tm tm;
		localtime_r(&secs, &tm);
		snprintf(buf, 28, "%02d:%02d:%02d.%06ld", tm.tm_hour,
		         tm.tm_min, tm.tm_sec, (long)(abs_us % 1000000));
		break;
	}
	default:
		buf[tl_format_us(us, buf)] = '\0';
		break;
	}
}

/* The application label of a segment (HTTP request, HTTP/2 frames,
 * echo text, head-of-line notes) as printable ASCII, "" when none. */
static const char *app_text(const struct tl_picture_src *src, uint32_t frame,
                            char *buf, size_t size)
{
	size_t len, n = 0;
	const char *a = src->m->app ? tl_app_label(src->m->app, frame, &len)
	                            : NULL;
	for (size_t i = 0; a && i < len && n + 1 < size; i++)
		buf[n++] = a[i] >= 0x20 && a[i] < 0x7f ? a[i] : '?';
	buf[n] = '\0';
	return buf;
}

/* The lines of the connections' exchange tables, as the view's details
 * and -T text show them: a summary per connection, one line per
 * exchange. Calls line(ctx, text, indented) for each; returns the count. */
#define APP_TABLE_MAX_LINES 4000u
static uint32_t app_table_lines(const struct tl_picture_src *src,
                                void (*line)(void *ctx, const char *text,
                                             bool indented),
                                void *ctx)
{
	uint32_t streams[256], count = 0;
	uint32_t ns = row_streams(src, streams, 256);
	char sum[256], text[512];
	for (uint32_t i = 0; i < ns && src->m->app; i++) {
		const struct tl_app_conn *c = tl_app_conn(src->m->app,
		                                          streams[i]);
		if (!c || !c->stream_count)
			continue;
		const struct tl_conn *conn = tl_tracker_stream(
			&src->m->tracker, streams[i]);
		char a[80], b[80];
		tl_format_endpoints(conn, c->client_dir, a, b, sizeof a);
		tl_app_conn_summary(c, sum, sizeof sum);
		snprintf(text, sizeof text, "stream %u  %s \u2192 %s: %s",
		         streams[i], a, b, sum);
		if (count++ < APP_TABLE_MAX_LINES)
			line(ctx, text, false);
		for (uint32_t k = 0; k < c->stream_count; k++) {
			tl_app_stream_line(c, &c->streams[k], text,
			                   sizeof text);
			if (count++ < APP_TABLE_MAX_LINES)
				line(ctx, text, true);
		}
	}
	return count < APP_TABLE_MAX_LINES ? count : APP_TABLE_MAX_LINES;
}

/* A segment's whole label with its SACK blocks, relative as the view's:
 * a picture widens to its longest label, so no part is dropped. */
static void seg_label(const struct tl_picture_src *src, uint32_t idx,
                      const struct tl_conn *conn, char *buf, size_t size)
{
	tl_layout_label_full(tl_segstore_get(src->segs, idx), conn,
	                     tl_segstore_sack(src->segs, idx),
	                     src->absolute_seq, buf, size);
}

/* Everything the page and the tooltips say about one segment. */
static void seg_details(const struct tl_picture_src *src, uint32_t idx,
                        char *buf, size_t size)
{
	const struct tl_seg *seg = tl_segstore_get(src->segs, idx);
	const struct tl_seg_note *note = tl_segstore_note(src->segs, idx);
	const struct tl_conn *conn = tl_tracker_stream(&src->m->tracker,
	                                               seg->stream);
	char from[80] = "?", to[80] = "?", label[512] = "", an[512], why[1024];
	char t[32], app[TL_APP_LABEL_MAX + 1];
	tl_format_endpoints(conn, tl_seg_dir(seg), from, to, sizeof from);
	if (conn)
		seg_label(src, idx, conn, label, sizeof label);
	tl_label_analysis(seg, note, 0, an, sizeof an);
	why[0] = '\0';
	if (conn)
		tl_explain_analysis(seg, note, conn, why, sizeof why);
	t[tl_format_us(tl_seg_time_us(seg), t)] = '\0';
	size_t n = 0;
	n = tl_bappend(buf, size, n, "frame %u  stream %u  %s s\n%s \u2192 %s"
	               "\n%s", seg->frame, seg->stream, t, from, to, label);
	if (*an)
		n = tl_bappend(buf, size, n, "\n%s", an);
	if (*app_text(src, seg->frame, app, sizeof app))
		n = tl_bappend(buf, size, n, "\n\u00bb %s", app);
	if (*why)
		tl_bappend(buf, size, n, "\n%s", why);
}

/* "[TCP Dup ACK 4#1] win 64240→64182" → badge "[TCP Dup ACK 4#1]" and
 * note "win 64240→64182". */
static void split_analysis(const char *an, char *badge, size_t bsize,
                           const char **note)
{
	const char *close = strrchr(an, ']');
	size_t n = close ? (size_t)(close - an + 1) : 0;
	if (n >= bsize)
		n = bsize - 1;
	memcpy(badge, an, n);
	badge[n] = '\0';
	const char *rest = an + (close ? close - an + 1 : 0);
	while (*rest == ' ')
		rest++;
	*note = rest;
}

static void svg_open(FILE *f, double w, double h, bool standalone,
                     const char *title)
{
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	        "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	        "font-family=\"%s\">\n", w, h, w, h, FONT);
	fputs("<title>", f);
	esc(f, title);
	fputs("</title>\n", f);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" "
	        "fill=\"#ffffff\"/>\n", w, h);
}

#define TABLE_PX 15
#define TABLE_ROW_H 22
#define APP_TEXT "#00439c"
#define APP_HOL "#a40000"
/* ---- the sender model's phase band ---------------------------------------- */

/* The view's band letters (view_ladder.c) and their meaning. */
static const struct {
	const char *letter, *name, *color;
} phase_look[4] = {
	{ "S", "slow start", "#2e7d32" },
	{ "A", "congestion avoidance", "#1565c0" },
	{ "R", "fast recovery", "#9a6700" },
	{ "T", "timeout (RTO recovery)", "#c62828" },
};

static bool row_phase(const struct tl_picture_src *src, uint32_t i,
                      unsigned *phase)
{
	struct tl_sender_vals v;
	tl_segstore_sender(src->segs, row_seg(src, i), &v);
	*phase = v.phase;
	return v.valid && v.phase <= TL_PHASE_RTO_RECOVERY;
}

/* One strip of the band left of the frame numbers, in the colour of the
 * data sender's phase; its letter where the phase starts. Nothing where
 * the model has no value (it did not run, or no data flows yet). */
static void phase_strip(FILE *f, const struct tl_picture_src *src,
                        uint32_t i, double y, double ya)
{
	unsigned ph, prev;
	if (!row_phase(src, i, &ph))
		return;
	fprintf(f, "<rect class=\"phase %s\" x=\"4\" y=\"%.0f\" "
	        "width=\"14\" height=\"%d\" fill=\"%s\"><title>%s</title>"
	        "</rect>\n", tl_phase_name(ph), y, ROW_H, phase_look[ph].color,
	        phase_look[ph].name);
	if (i == 0 || !row_phase(src, i - 1, &prev) || prev != ph)
		fprintf(f, "<text x=\"11\" y=\"%.0f\" font-size=\"13\" "
		        "font-weight=\"bold\" text-anchor=\"middle\" "
		        "fill=\"#ffffff\">%s</text>\n", ya + 5,
		        phase_look[ph].letter);
}

/* The band's legend under the title, when any row has a phase. */
static void phase_legend(FILE *f, const struct tl_picture_src *src,
                         uint32_t rows, double y)
{
	unsigned ph;
	uint32_t i = 0;
	while (i < rows && !row_phase(src, i, &ph))
		i++;
	if (i == rows)
		return;
	fprintf(f, "<g class=\"phase-legend\" font-size=\"13\">"
	        "<text x=\"24\" y=\"%.0f\" fill=\"%s\">sender phase "
	        "(left band):</text>", y, QUIET);
	double x = 24 + text_w("sender phase (left band): ", 13);
	for (unsigned k = 0; k < 4; k++) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.0f\" width=\"12\" "
		        "height=\"14\" fill=\"%s\"/><text x=\"%.1f\" "
		        "y=\"%.0f\" fill=\"%s\">%s %s</text>", x, y - 11,
		        phase_look[k].color, x + 16, y, phase_look[k].color,
		        phase_look[k].letter, phase_look[k].name);
		char item[64];
		snprintf(item, sizeof item, "%s %s   ", phase_look[k].letter,
		         phase_look[k].name);
		x += 16 + text_w(item, 13);
	}
	fputs("</g>\n", f);
}

/* ---- the ladder ----------------------------------------------------------- */

/* Kernel drops (a live capture) counted between row i - 1 and row i of
 * frame `frame` (UINT32_MAX: after the last row), or 0. The first row of
 * a later page has no row before it here: nothing is drawn above it. */
static uint64_t drops_before_row(const struct tl_picture_src *src,
                                 uint32_t i, uint32_t frame)
{
	uint32_t rows = row_count(src);
	if (!src->m->drops.count || (i == 0 && src->first_row > 0) ||
	    (i == rows && src->first_row + rows < src->total_rows))
		return 0;
	uint32_t lo = i ? tl_segstore_get(src->segs,
	                                  row_seg(src, i - 1))->frame : 0;
	return tl_model_drops_between(src->m, lo, frame);
}

/* A dashed red rule across the ladder at y (the top of the row after the
 * drops), with "── 5,533 packets dropped by the kernel here ──" on it. */
static void drop_marker(FILE *f, const struct tl_picture_src *src,
                        uint32_t i, uint32_t frame, double x, double width,
                        double y)
{
	uint64_t n = drops_before_row(src, i, frame);
	if (!n)
		return;
	char what[96];
	tl_drop_text(n, what, sizeof what);
	fprintf(f, "<g class=\"drops\"><line x1=\"%.1f\" y1=\"%.0f\" "
	        "x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\" "
	        "stroke-dasharray=\"8 5\"/><text x=\"%.1f\" y=\"%.0f\" "
	        "font-size=\"14\" font-weight=\"bold\" fill=\"%s\">"
	        "\u2500\u2500 ", x, y, width - 24, y, APP_HOL, x + 12,
	        y + 13, APP_HOL);
	esc(f, what);
	fputs(" \u2500\u2500</text></g>\n", f);
}

struct table_measure {
	int width;
	uint32_t lines;
};

static void table_measure_line(void *ctx, const char *text, bool indented)
{
	struct table_measure *tm = ctx;
	int w = tl_layout_cells(text) + (indented ? 4 : 0);
	if (w > tm->width)
		tm->width = w;
	tm->lines++;
}

struct table_draw {
	FILE *f;
	double x, y;
	uint32_t n;
};

static void table_draw_line(void *ctx, const char *text, bool indented)
{
	struct table_draw *td = ctx;
	fprintf(td->f, "<text class=\"%s\" xml:space=\"preserve\" "
	        "x=\"%.1f\" y=\"%.0f\"%s>",
	        indented ? "exchange" : "conn-summary",
	        td->x + (indented ? 4 * TABLE_PX * CHAR_W : 0),
	        td->y + td->n * TABLE_ROW_H,
	        indented ? "" : " font-weight=\"bold\"");
	esc(td->f, text);
	fputs("</text>\n", td->f);
	td->n++;
}

struct ladder_layout {
	bool multi;
	double x_stream, x_frame, x_time, x_axis, x_body, gap, x_an, width;
	double y_title, y_head, y_rows, height;
	double an_px;
};

static int ladder_body(FILE *f, const struct tl_picture_src *src,
                       bool standalone)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, src->by_host);
	uint32_t rows = row_count(src);
	uint32_t streams[64];
	uint32_t nstreams = row_streams(src, streams, 64);
	int max_label = 20, max_an = 8;
	char label[512], an[512], badge[512], app[TL_APP_LABEL_MAX + 1];
	const char *note;
	for (uint32_t i = 0; i < rows; i++) {
		uint32_t idx = row_seg(src, i);
		const struct tl_seg *seg = tl_segstore_get(src->segs, idx);
		const struct tl_conn *conn =
			tl_tracker_stream(&src->m->tracker, seg->stream);
		if (!conn)
			continue;
		tl_ladder_add_conn(&ld, conn);
		seg_label(src, idx, conn, label, sizeof label);
		if (tl_layout_cells(label) > max_label)
			max_label = tl_layout_cells(label);
		tl_label_analysis(seg, tl_segstore_note(src->segs, idx), 0, an,
		                  sizeof an);
		int an_len = tl_layout_cells(an);
		if (*app_text(src, seg->frame, app, sizeof app))
			an_len += 3 + 2 + tl_layout_cells(app);
		if (an_len > max_an)
			max_an = an_len;
	}
	struct table_measure tm = { 0, 0 };
	uint32_t table_rows = app_table_lines(src, table_measure_line, &tm);
	for (uint32_t n = 0; n < ld.node_count; n++)
		if (tl_layout_cells(ld.nodes[n].name) + 4 > max_label)
			max_label = tl_layout_cells(ld.nodes[n].name) + 4;

	struct ladder_layout L;
	memset(&L, 0, sizeof L);
	L.multi = nstreams > 1;
	L.an_px = 16;
	double x = 24;
	if (L.multi) {
		L.x_stream = x + 30;        /* right edge */
		x += 48;
	}
	L.x_frame = x + 60;
	L.x_time = x + 80;
	double time_w = src->time_format == TL_TIME_ABSOLUTE ? 15 : 10;
	L.x_axis = L.x_time + time_w * 15 * CHAR_W + 14;
	/* Endpoint names are centred on their lifelines: the first and the
	 * last must not run into the time and analysis columns. */
	double name0 = ld.node_count ? text_w(ld.nodes[0].name, 19) : 0;
	double name_last = ld.node_count
		? text_w(ld.nodes[ld.node_count - 1].name, 19) : 0;
	L.x_body = L.x_axis + (name0 / 2 + 16 > 40 ? name0 / 2 + 16 : 40);
	L.gap = max_label * LABEL_PX * CHAR_W + 90;
	if (L.gap < 420)
		L.gap = 420;
	uint32_t cols = ld.node_count ? ld.node_count : 2;
	L.x_an = L.x_body + (cols - 1) * L.gap +
	         (name_last / 2 + 24 > 48 ? name_last / 2 + 24 : 48);
	L.width = L.x_an + max_an * L.an_px * CHAR_W + 40;
	if (table_rows && 24 + tm.width * TABLE_PX * CHAR_W + 24 > L.width)
		L.width = 24 + tm.width * TABLE_PX * CHAR_W + 24;
	L.y_title = 40;
	L.y_head = 92;
	L.y_rows = 112;
	bool cut = src->total_rows > rows;
	L.height = L.y_rows + rows * ROW_H + (cut ? 64 : 28);
	double y_follow = L.height;
	if (standalone)         /* -T html has its own (follow_sections) */
		L.height += tl_svg_follow_height(src, L.width);
	double y_table = L.height + 20;
	if (table_rows)
		L.height += 20 + 30 + table_rows * TABLE_ROW_H + 20;

	char title[512];
	size_t tn = tl_bappend(title, sizeof title, 0, "%s",
	                       base_name(src->title));
	if (nstreams == 1)
		tn = tl_bappend(title, sizeof title, tn, " \u00b7 stream %u",
		                streams[0]);
	else if (nstreams > 1)
		tn = tl_bappend(title, sizeof title, tn, " \u00b7 %u%s streams",
		                nstreams, nstreams == 64 ? "+" : "");
	tl_bappend(title, sizeof title, tn, " \u00b7 %u segment%s", rows,
	           rows == 1 ? "" : "s");
	svg_open(f, L.width, L.height, standalone, title);
	fprintf(f, "<text x=\"24\" y=\"%.0f\" font-size=\"24\" "
	        "font-weight=\"bold\" fill=\"#000000\">", L.y_title);
	esc(f, title);
	fputs("</text>\n", f);
	phase_legend(f, src, rows, L.y_title + 24);

	/* Column names, lifelines, the time axis. */
	double y_bottom = L.y_rows + rows * ROW_H;
	fprintf(f, "<g font-size=\"15\" fill=\"%s\" font-weight=\"bold\">\n",
	        QUIET);
	if (L.multi)
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"end\">"
		        "st</text>\n", L.x_stream, L.y_head);
	fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"end\">frame"
	        "</text>\n", L.x_frame, L.y_head);
	fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">%s</text>\n", L.x_time,
	        L.y_head, src->time_format == TL_TIME_DELTA ? "delta (s)"
	        : src->time_format == TL_TIME_ABSOLUTE ? "time of day"
	                                               : "time (s)");
	if (max_an > 8)
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">analysis</text>\n",
		        L.x_an, L.y_head);
	fputs("</g>\n", f);
	fprintf(f, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" "
	        "y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>\n", L.x_axis,
	        L.y_rows, L.x_axis, y_bottom, QUIET);
	fprintf(f, "<g font-size=\"19\" font-weight=\"bold\" fill=\"#000000\" "
	        "text-anchor=\"middle\">\n");
	for (uint32_t n = 0; n < ld.node_count; n++) {
		double ax = L.x_body + n * L.gap;
		/* Alternate heights when names would touch. */
		double y = L.y_head - ((n & 1) && L.gap < text_w(
			ld.nodes[n].name, 19) + 20 ? 24 : 0);
		fprintf(f, "<text class=\"endpoint\" x=\"%.1f\" y=\"%.0f\">",
		        ax, y);
		esc(f, ld.nodes[n].name);
		fputs("</text>\n", f);
	}
	fputs("</g>\n", f);
	for (uint32_t n = 0; n < ld.node_count; n++) {
		double ax = L.x_body + n * L.gap;
		fprintf(f, "<line class=\"lifeline\" x1=\"%.1f\" y1=\"%.0f\" "
		        "x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\" "
		        "stroke-width=\"2\"/>\n", ax, L.y_head + 10, ax,
		        y_bottom, LIFELINE);
	}

	/* One group per segment: band, tick, time, arrow, label, badge. */
	char details[2048], t[40], num[24];
	int64_t prev_us = 0;
	for (uint32_t i = 0; i < rows; i++) {
		uint32_t idx = row_seg(src, i);
		const struct tl_seg *seg = tl_segstore_get(src->segs, idx);
		const struct tl_seg_note *sn = tl_segstore_note(src->segs, idx);
		const struct tl_conn *conn =
			tl_tracker_stream(&src->m->tracker, seg->stream);
		uint32_t from, to;
		if (!conn || !tl_ladder_arrow(&ld, seg, &from, &to))
			continue;
		enum tl_annot_kind kind = tl_annot_kind(seg->analysis);
		bool flagged = kind != TL_ANNOT_NONE && kind != TL_ANNOT_CHANGE;
		const char *color = flagged ? tl_annot_color(kind)
			: L.multi ? stream_colors[seg->stream % 6] : PLAIN_ARROW;
		double y = L.y_rows + i * ROW_H;
		double ya = y + ROW_H - 12;
		drop_marker(f, src, i, seg->frame, L.x_axis, L.width, y);
		fprintf(f, "<g class=\"seg %s\" id=\"f%u\" data-frame=\"%u\">\n",
		        tl_annot_name(kind), seg->frame, seg->frame);
		seg_details(src, idx, details, sizeof details);
		fputs("<title>", f);
		esc(f, details);
		fputs("</title>\n", f);
		/* The whole row reacts to the pointer. */
		fprintf(f, "<rect x=\"0\" y=\"%.0f\" width=\"%.0f\" "
		        "height=\"%d\" fill=\"%s\" fill-opacity=\"%s\"/>\n", y,
		        L.width, ROW_H, flagged ? color : "#ffffff",
		        flagged ? "0.10" : "0");
		phase_strip(f, src, i, y, ya);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" "
		        "y2=\"%.0f\" stroke=\"%s\" stroke-width=\"2\"/>\n",
		        L.x_axis - 6, ya, L.x_axis, ya, QUIET);
		format_time(src, tl_seg_time_us(seg), prev_us, i > 0, t);
		prev_us = tl_seg_time_us(seg);
		fprintf(f, "<g font-size=\"15\" fill=\"%s\">", QUIET);
		if (L.multi)
			fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" "
			        "text-anchor=\"end\" fill=\"%s\">%u</text>",
			        L.x_stream, ya + 5,
			        stream_colors[seg->stream % 6], seg->stream);
		snprintf(num, sizeof num, "%u", seg->frame);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"end\">"
		        "%s</text><text x=\"%.1f\" y=\"%.0f\">%s</text></g>\n",
		        L.x_frame, ya + 5, num, L.x_time, ya + 5, t);
		double a = L.x_body + from * L.gap, b = L.x_body + to * L.gap;
		double sw = flagged ? 3.5 : 2.5;
		if (from == to) {
			/* Both ends in one column (--by-host, loopback). */
			fprintf(f, "<path d=\"M %.1f %.0f h 60 v 10 h -48\" "
			        "fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\""
			        "/>\n", a, ya - 10, color, sw);
			fprintf(f, "<polygon points=\"%.1f,%.0f %.1f,%.0f "
			        "%.1f,%.0f\" fill=\"%s\"/>\n", a, ya, a + 14,
			        ya - 6, a + 14, ya + 6, color);
		} else {
			double dir = b > a ? 1 : -1;
			double tip = b - dir * 1.5, base = tip - dir * 16;
			fprintf(f, "<line class=\"arrow\" x1=\"%.1f\" y1=\"%.0f\" "
			        "x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\" "
			        "stroke-width=\"%.1f\"/>\n", a, ya, base, ya,
			        color, sw);
			fprintf(f, "<polygon points=\"%.1f,%.0f %.1f,%.1f "
			        "%.1f,%.1f\" fill=\"%s\"/>\n", tip, ya, base,
			        ya - 7.5, base, ya + 7.5, color);
		}
		seg_label(src, idx, conn, label, sizeof label);
		double mid = (a + b) / 2 + (from == to ? 40 : 0);
		fprintf(f, "<text class=\"label\" x=\"%.1f\" y=\"%.0f\" "
		        "font-size=\"%d\" text-anchor=\"middle\" "
		        "fill=\"#000000\">", mid, ya - 9, LABEL_PX);
		esc(f, label);
		fputs("</text>\n", f);
		tl_label_analysis(seg, sn, 0, an, sizeof an);
		split_analysis(an, badge, sizeof badge, &note);
		double xa = L.x_an;
		if (*badge) {
			double bw = text_w(badge, L.an_px) + 16;
			fprintf(f, "<rect class=\"badge\" x=\"%.1f\" y=\"%.0f\" "
			        "width=\"%.1f\" height=\"26\" rx=\"5\" "
			        "fill=\"%s\"/>\n", xa, ya - 18, bw,
			        tl_annot_color(kind));
			fprintf(f, "<text class=\"analysis\" x=\"%.1f\" "
			        "y=\"%.0f\" font-size=\"%.0f\" "
			        "font-weight=\"bold\" fill=\"%s\">", xa + 8,
			        ya, L.an_px, tl_annot_ink(kind));
			esc(f, badge);
			fputs("</text>\n", f);
			xa += bw + 10;
		}
		if (*note) {
			fprintf(f, "<text class=\"window\" x=\"%.1f\" y=\"%.0f\" "
			        "font-size=\"%.0f\" fill=\"%s\">", xa, ya,
			        L.an_px, tl_annot_color(TL_ANNOT_CHANGE));
			esc(f, note);
			fputs("</text>\n", f);
			xa += text_w(note, L.an_px) + 10;
		}
		if (*app_text(src, seg->frame, app, sizeof app)) {
			/* Head-of-line notes in the analysis colour of a
			 * retransmission's consequence, other labels plain. */
			bool hol = strstr(app, "held back") ||
			           strstr(app, "held until") ||
			           strstr(app, "fills a hole") ||
			           strstr(app, "released at once");
			fprintf(f, "<text class=\"app%s\" x=\"%.1f\" "
			        "y=\"%.0f\" font-size=\"%.0f\" fill=\"%s\">"
			        "\u00bb ", hol ? " hol" : "", xa, ya, L.an_px,
			        hol ? APP_HOL : APP_TEXT);
			esc(f, app);
			fputs("</text>\n", f);
		}
		fputs("</g>\n", f);
	}
	if (rows)
		drop_marker(f, src, rows, UINT32_MAX, L.x_axis, L.width,
		            L.y_rows + rows * ROW_H);
	if (!rows)
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"18\" "
		        "fill=\"%s\">No TCP segments.</text>\n", L.x_body,
		        L.y_rows + 30, QUIET);
	if (table_rows) {
		struct table_draw draw = { f, 24, y_table + 30, 0 };
		fprintf(f, "<g class=\"exchanges\" font-size=\"%d\" "
		        "fill=\"#000000\">\n"
		        "<text x=\"24\" y=\"%.0f\" font-size=\"19\" "
		        "font-weight=\"bold\">Exchanges (application)</text>\n",
		        TABLE_PX, y_table + 8);
		app_table_lines(src, table_draw_line, &draw);
		fputs("</g>\n", f);
	}
	if (cut) {
		char foot[512];
		size_t n = tl_bappend(foot, sizeof foot, 0, "rows %llu to %llu "
		                      "of %llu", (unsigned long long)
		                      (src->first_row + (rows ? 1 : 0)),
		                      (unsigned long long)(src->first_row +
		                                           rows),
		                      (unsigned long long)src->total_rows);
		if (src->more_hint && *src->more_hint)
			tl_bappend(foot, sizeof foot, n, "; %s",
			           src->more_hint);
		fprintf(f, "<text class=\"footer\" x=\"24\" y=\"%.0f\" "
		        "font-size=\"17\" fill=\"%s\">", y_bottom + 40, QUIET);
		esc(f, foot);
		fputs("</text>\n", f);
	}
	if (standalone)
		tl_svg_follow(f, src, y_follow, L.width);
	fputs("</svg>\n", f);
	tl_ladder_free(&ld);
	return 0;
}

int tl_svg_ladder(FILE *f, const struct tl_picture_src *src)
{
	errno = 0;
	ladder_body(f, src, true);
	return finish(f);
}

/* ---- graphs ------------------------------------------------------------- */

struct panel {
	double x, y, w, h;      /* the plot area */
	const struct tl_tsg_view *v;
};

static double px_x(const struct panel *p, int64_t t)
{
	double r = (double)(p->v->t1 - p->v->t0);
	double x = p->x + (double)(t - p->v->t0) * p->w / (r > 0 ? r : 1);
	return x < -1e6 ? -1e6 : x > 1e6 ? 1e6 : x;
}

static double px_y(const struct panel *p, int64_t y)
{
	double r = (double)(p->v->y1 - p->v->y0);
	double v = p->y + p->h - (double)(y - p->v->y0) * p->h / (r > 0 ? r : 1);
	return v < -1e6 ? -1e6 : v > 1e6 ? 1e6 : v;
}

static void legend_item(FILE *f, double *x, double y, const char *color,
                        bool dashed, bool bar, const char *text)
{
	if (bar)
		fprintf(f, "<rect x=\"%.1f\" y=\"%.0f\" width=\"6\" "
		        "height=\"20\" fill=\"%s\"/>", *x + 8, y - 16, color);
	else
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" "
		        "y2=\"%.0f\" stroke=\"%s\" stroke-width=\"3\"%s/>", *x,
		        y - 6, *x + 26, y - 6, color,
		        dashed ? " stroke-dasharray=\"8 5\"" : "");
	fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">", *x + 34, y);
	esc(f, text);
	fputs("</text>\n", f);
	*x += 34 + text_w(text, 17) + 28;
}

static void axes(FILE *f, const struct panel *p, enum tl_graph_kind kind)
{
	const struct tl_tsg_view *v = p->v;
	int64_t ts = tl_tsg_tick(v->t1 - v->t0, 8);
	int64_t ys = tl_tsg_tick(v->y1 - v->y0, 6);
	char buf[64];
	fprintf(f, "<g class=\"grid\" stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
	int64_t t = v->t0 / ts * ts;
	if (t < v->t0)
		t += ts;
	for (int n = 0; t <= v->t1 && n < 100; t += ts, n++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		        "y2=\"%.1f\"/>", px_x(p, t), p->y, px_x(p, t),
		        p->y + p->h);
	int64_t y = v->y0 / ys * ys;
	if (y < v->y0)
		y += ys;
	for (int n = 0; y <= v->y1 && n < 100; y += ys, n++)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		        "y2=\"%.1f\"/>", p->x, px_y(p, y), p->x + p->w,
		        px_y(p, y));
	fputs("\n</g>\n", f);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	        "height=\"%.1f\" fill=\"none\" stroke=\"%s\" "
	        "stroke-width=\"2\"/>\n", p->x, p->y, p->w, p->h, QUIET);
	fprintf(f, "<g font-size=\"17\" fill=\"%s\">\n", QUIET);
	t = v->t0 / ts * ts;
	if (t < v->t0)
		t += ts;
	for (int n = 0; t <= v->t1 && n < 100; t += ts, n++) {
		tl_tsg_format_time(t, ts, buf, sizeof buf);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
		        "%s</text>", px_x(p, t), p->y + p->h + 26, buf);
	}
	y = v->y0 / ys * ys;
	if (y < v->y0)
		y += ys;
	for (int n = 0; y <= v->y1 && n < 100; y += ys, n++) {
		tl_tsg_format_bytes(y, ys, buf, sizeof buf);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
		        "%s</text>", p->x - 10, px_y(p, y) + 6, buf);
	}
	fprintf(f, "\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	        "font-size=\"18\">time since the first packet</text>\n",
	        p->x + p->w / 2, p->y + p->h + 56);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"18\" "
	        "text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">"
	        "%s</text>\n", p->x - 112, p->y + p->h / 2, p->x - 112,
	        p->y + p->h / 2, kind == TL_GRAPH_FLIGHT
	        ? "bytes" : "relative sequence number (bytes)");
	fputs("</g>\n", f);
}

static void step_path(FILE *f, const struct panel *p, const void *base,
                      size_t stride, size_t t_off, size_t y_off, uint32_t n,
                      int64_t t_end, const char *color, bool dashed,
                      double width)
{
	if (!n)
		return;
	fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"%s "
	        "d=\"", color, width,
	        dashed ? " stroke-dasharray=\"9 6\"" : "");
	double py = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;
		int64_t t, y;
		memcpy(&t, e + t_off, sizeof t);
		memcpy(&y, e + y_off, sizeof y);
		if (i == 0)
			fprintf(f, "M%.1f %.1f", px_x(p, t), px_y(p, y));
		else
			fprintf(f, "H%.1fV%.1f", px_x(p, t), px_y(p, y));
		py = px_y(p, y);
		if ((i & 7) == 7)
			fputc('\n', f);
	}
	(void)py;
	fprintf(f, "H%.1f\"/>\n", px_x(p, t_end));
}

static void seg_title(FILE *f, const struct tl_picture_src *src, uint32_t idx)
{
	char details[2048];
	seg_details(src, idx, details, sizeof details);
	fputs("<title>", f);
	esc(f, details);
	fputs("</title>", f);
}

/* A dot for an annotated point of a graph, named and explained on hover;
 * plain points are drawn by the lines. */
static void annotated_dot(FILE *f, const struct tl_picture_src *src,
                          const struct panel *p, unsigned kind, uint32_t seg,
                          int64_t t_us, int64_t y)
{
	if (kind == TL_ANNOT_NONE)
		return;
	fprintf(f, "<g class=\"seg %s\" data-frame=\"%u\">",
	        tl_annot_name(kind), tl_segstore_get(src->segs, seg)->frame);
	seg_title(f, src, seg);
	fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" "
	        "fill=\"%s\"/></g>\n", px_x(p, t_us), px_y(p, y),
	        tl_annot_color(kind));
}

static void graph_panel(FILE *f, const struct tl_picture_src *src,
                        const struct tl_tsg *g, enum tl_graph_kind kind,
                        const struct tl_tsg_view *view, double top,
                        double width, double height, int clip_id)
{
	const struct tl_conn *conn = tl_tracker_stream(&src->m->tracker,
	                                               g->stream);
	char from[80], to[80], title[512];
	tl_format_endpoints(conn, g->dir, from, to, sizeof from);
	snprintf(title, sizeof title, "%s  stream %u  %s \u2192 %s  %s",
	         base_name(src->title), g->stream, from, to,
	         kind == TL_GRAPH_FLIGHT ? "bytes in flight"
	                                 : "time-sequence graph");
	fprintf(f, "<text x=\"24\" y=\"%.0f\" font-size=\"24\" "
	        "font-weight=\"bold\" fill=\"#000000\">", top + 38);
	esc(f, title);
	fputs("</text>\n", f);
	double lx = 24;
	fprintf(f, "<g font-size=\"17\" fill=\"#000000\">\n");
	if (kind == TL_GRAPH_FLIGHT) {
		legend_item(f, &lx, top + 72, FLIGHT_LINE, false, false,
		            "bytes in flight");
		legend_item(f, &lx, top + 72, WIN_LINE, true, false,
		            "receive window");
		if (g->cwnd_count)
			legend_item(f, &lx, top + 72, CWND_LINE, false, false,
			            "cwnd (sender model)");
		if (g->ssthresh_count)
			legend_item(f, &lx, top + 72, SSTHRESH_LINE, true,
			            false, "ssthresh");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_RTX),
		            false, true, "retransmission");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_DUPACK),
		            false, true, "dup ACK");
	} else {
		legend_item(f, &lx, top + 72, DATA_BAR, false, true, "data");
		legend_item(f, &lx, top + 72, ACK_LINE, false, false, "ACK");
		legend_item(f, &lx, top + 72, WIN_LINE, true, false,
		            "receive window");
		if (g->sack_count)
			legend_item(f, &lx, top + 72, SACK_MARK, false, true,
			            "SACK");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_RTX),
		            false, true, "retransmission");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_OOO),
		            false, true, "out-of-order");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_LOST),
		            true, false, "not captured");
		legend_item(f, &lx, top + 72, tl_annot_color(TL_ANNOT_DUPACK),
		            false, true, "dup ACK");
	}
	fputs("</g>\n", f);

	struct panel p = { 150, top + 100, width - 150 - 40,
	                   height - 100 - 80, view };
	axes(f, &p, kind);
	fprintf(f, "<clipPath id=\"plot%d\"><rect x=\"%.1f\" y=\"%.1f\" "
	        "width=\"%.1f\" height=\"%.1f\"/></clipPath>\n<g "
	        "clip-path=\"url(#plot%d)\">\n", clip_id, p.x - 4, p.y - 4,
	        p.w + 8, p.h + 8, clip_id);
	if (kind == TL_GRAPH_FLIGHT) {
		step_path(f, &p, g->flight, sizeof *g->flight,
		          offsetof(struct tl_tsg_flight, t_us),
		          offsetof(struct tl_tsg_flight, rwnd),
		          g->flight_count, g->t_max, WIN_LINE, true, 3);
		step_path(f, &p, g->flight, sizeof *g->flight,
		          offsetof(struct tl_tsg_flight, t_us),
		          offsetof(struct tl_tsg_flight, in_flight),
		          g->flight_count, g->t_max, FLIGHT_LINE, false, 3);
		step_path(f, &p, g->ssthresh, sizeof *g->ssthresh,
		          offsetof(struct tl_tsg_pt, t_us),
		          offsetof(struct tl_tsg_pt, y), g->ssthresh_count,
		          g->t_max, SSTHRESH_LINE, true, 2);
		step_path(f, &p, g->cwnd, sizeof *g->cwnd,
		          offsetof(struct tl_tsg_pt, t_us),
		          offsetof(struct tl_tsg_pt, y), g->cwnd_count,
		          g->t_max, CWND_LINE, false, 2);
		for (uint32_t i = 0; i < g->flight_count; i++) {
			const struct tl_tsg_flight *e = &g->flight[i];
			annotated_dot(f, src, &p, e->kind, e->seg, e->t_us,
			              e->in_flight);
		}
	} else {
		step_path(f, &p, g->acks, sizeof *g->acks,
		          offsetof(struct tl_tsg_ack, t_us),
		          offsetof(struct tl_tsg_ack, wnd_edge), g->ack_count,
		          g->t_max, WIN_LINE, true, 3);
		step_path(f, &p, g->acks, sizeof *g->acks,
		          offsetof(struct tl_tsg_ack, t_us),
		          offsetof(struct tl_tsg_ack, ack), g->ack_count,
		          g->t_max, ACK_LINE, false, 3);
		for (uint32_t i = 0; i < g->ack_count; i++) {
			const struct tl_tsg_ack *e = &g->acks[i];
			annotated_dot(f, src, &p, e->kind, e->seg, e->t_us,
			              e->ack);
		}
		/* Each SACK block at its ACK's time, from its left to its
		 * right edge; the data bars are drawn over them. */
		for (uint32_t i = 0; i < g->sack_count; i++) {
			const struct tl_tsg_sack *k = &g->sacks[i];
			double x = px_x(&p, k->t_us);
			double y0 = px_y(&p, k->le), y1 = px_y(&p, k->re);
			if (y0 - y1 < 4) {
				double m = (y0 + y1) / 2;
				y0 = m + 2;
				y1 = m - 2;
			}
			fprintf(f, "<g class=\"sack\" data-frame=\"%u\">",
			        tl_segstore_get(src->segs, k->seg)->frame);
			seg_title(f, src, k->seg);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			        "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"4\"/>"
			        "</g>\n", x, y0, x, y1, SACK_MARK);
		}
		for (uint32_t i = 0; i < g->data_count; i++) {
			const struct tl_tsg_data *d = &g->data[i];
			double x = px_x(&p, d->t_us);
			double y0 = px_y(&p, d->seq), y1 = px_y(&p, d->end);
			if (y0 - y1 < 4) {      /* at least 4 px tall */
				double m = (y0 + y1) / 2;
				y0 = m + 2;
				y1 = m - 2;
			}
			bool flagged = d->kind != TL_ANNOT_NONE;
			const char *c = flagged ? tl_annot_color(d->kind)
			                        : DATA_BAR;
			fprintf(f, "<g class=\"seg %s\" data-frame=\"%u\">",
			        tl_annot_name(d->kind),
			        tl_segstore_get(src->segs, d->seg)->frame);
			seg_title(f, src, d->seg);
			if (d->gap_from < d->seq)
				fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" "
				        "x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
				        "stroke-width=\"3\" "
				        "stroke-dasharray=\"4 4\"/>", x,
				        px_y(&p, d->gap_from), x, y0,
				        tl_annot_color(TL_ANNOT_LOST));
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			        "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%d\"/>",
			        x, y0, x, y1, c, flagged ? 6 : 3);
			/* Stevens' ticks at both ends where there is room;
			 * a ring around the ones the analysis flags, so a
			 * retransmission stands out at any zoom. */
			if (y0 - y1 >= 12)
				fprintf(f, "<path d=\"M%.1f %.1fh10M%.1f %.1fh10\" "
				        "stroke=\"%s\" stroke-width=\"2\"/>",
				        x - 5, y0, x - 5, y1, c);
			if (flagged)
				fprintf(f, "<circle class=\"mark\" cx=\"%.1f\" "
				        "cy=\"%.1f\" r=\"10\" fill=\"none\" "
				        "stroke=\"%s\" stroke-width=\"3\"/>", x,
				        (y0 + y1) / 2, c);
			fputs("</g>\n", f);
		}
	}
	fputs("</g>\n", f);
	if (!g->data_count && kind == TL_GRAPH_TSG)
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"20\" "
		        "fill=\"%s\" text-anchor=\"middle\">No data from %s "
		        "in these rows.</text>\n", p.x + p.w / 2,
		        p.y + p.h / 2, QUIET, from);
}

#define PANEL_W 1600.0
#define PANEL_H 900.0

static int graph_body(FILE *f, const struct tl_picture_src *src,
                      enum tl_graph_kind kind, uint32_t stream, int dir,
                      const struct tl_tsg_view *view, bool standalone)
{
	uint32_t streams[MAX_PANELS];
	uint32_t n = stream != UINT32_MAX ? (streams[0] = stream, 1)
	                                  : row_streams(src, streams,
	                                                MAX_PANELS);
	uint32_t panels = n ? n : 1;
	char title[256];
	snprintf(title, sizeof title, "%s: %s", base_name(src->title),
	         kind == TL_GRAPH_FLIGHT ? "bytes in flight"
	                                 : "time-sequence graph");
	bool cut = src->total_rows > row_count(src);
	double h = panels * PANEL_H + (cut ? 40 : 0);
	svg_open(f, PANEL_W, h, standalone, title);
	if (!n)
		fprintf(f, "<text x=\"40\" y=\"80\" font-size=\"22\">No TCP "
		        "segments.</text>\n");
	for (uint32_t i = 0; i < n; i++) {
		struct tl_tsg g;
		if (!tl_tsg_build(&g, src->segs, src->rows, row_count(src),
		                  streams[i], dir))
			continue;
		struct tl_tsg_view fit;
		if (!view)
			tl_tsg_fit(&g, kind, &fit);
		graph_panel(f, src, &g, kind, view ? view : &fit, i * PANEL_H,
		            PANEL_W, PANEL_H, (int)i);
		tl_tsg_free(&g);
	}
	if (cut) {
		char foot[512];
		size_t k = tl_bappend(foot, sizeof foot, 0, "rows %llu to %llu "
		                      "of %llu", (unsigned long long)
		                      (src->first_row + 1), (unsigned long long)
		                      (src->first_row + row_count(src)),
		                      (unsigned long long)src->total_rows);
		if (src->more_hint && *src->more_hint)
			tl_bappend(foot, sizeof foot, k, "; %s",
			           src->more_hint);
		fprintf(f, "<text class=\"footer\" x=\"24\" y=\"%.0f\" "
		        "font-size=\"17\" fill=\"%s\">", h - 14, QUIET);
		esc(f, foot);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
	return 0;
}

int tl_svg_graph(FILE *f, const struct tl_picture_src *src,
                 enum tl_graph_kind kind, uint32_t stream, int dir,
                 const struct tl_tsg_view *view)
{
	errno = 0;
	graph_body(f, src, kind, stream, dir, view, true);
	return finish(f);
}

/* ---- the page ------------------------------------------------------------- */

static const char page_style[] =
"body { font-family: " FONT "; margin: 24px; color: #111; "
"background: #fff; }\n"
"h1 { font-size: 26px; margin: 0 0 4px 0; }\n"
"h2 { font-size: 21px; margin: 28px 0 8px 0; }\n"
"p.sub { color: #555; margin: 0 0 14px 0; }\n"
"#picture svg { max-width: 100%; height: auto; }\n"
"#picture g.seg { cursor: pointer; }\n"
"#picture g.seg:hover > rect:first-of-type { fill: #000; "
"fill-opacity: 0.07; }\n"
"#picture g.sel > rect:first-of-type { fill: #ffd75f; fill-opacity: 0.45; }\n"
"#details { position: sticky; bottom: 0; background: #f4f4f4; "
"border-top: 3px solid #888; padding: 10px 14px; white-space: pre-wrap; "
"font-size: 16px; min-height: 5.5em; }\n"
"table { border-collapse: collapse; font-size: 14px; }\n"
"th, td { padding: 2px 10px; text-align: left; border-bottom: 1px solid "
"#ddd; white-space: nowrap; }\n"
"th { background: #eee; }\n"
"td.n { text-align: right; }\n"
"td.app { white-space: normal; min-width: 24em; }\n"
"tr.sel td { background: #ffd75f; }\n"
"pre.follow { font-size: 15px; white-space: pre-wrap; border: 1px solid "
"#ddd; padding: 8px; }\n"
"pre.follow .n0 { color: #a40000; }\n"
"pre.follow .n1 { color: #00439c; }\n"
"pre.follow .gap { color: #b35900; font-weight: bold; }\n"
"#segs tr { cursor: pointer; }\n"
"span.an { padding: 1px 6px; border-radius: 4px; font-weight: bold; }\n";

/* No '<' or '&' in here, so the page stays well-formed XML as well. */
static const char page_script[] =
"(function () {\n"
"  var box = document.getElementById('details');\n"
"  var chosen = [];\n"
"  function mark(on) {\n"
"    chosen.forEach(function (e) { e.classList.remove('sel'); });\n"
"    chosen = on;\n"
"    chosen.forEach(function (e) { e.classList.add('sel'); });\n"
"  }\n"
"  function show(frame, scrollTable) {\n"
"    var g = document.getElementById('f' + frame);\n"
"    var r = document.getElementById('r' + frame);\n"
"    var t = g ? g.querySelector('title') : null;\n"
"    if (!t) { g = document.querySelector('g.seg[data-frame=\"' + frame + '\"]');\n"
"      t = g ? g.querySelector('title') : null; }\n"
"    box.textContent = t ? t.textContent : (r ? r.textContent : '');\n"
"    mark([g, r].filter(function (e) { return e; }));\n"
"    if (scrollTable) { if (r) { r.scrollIntoView({block: 'nearest'}); } }\n"
"    else if (g) { g.scrollIntoView({block: 'nearest'}); }\n"
"  }\n"
"  document.querySelectorAll('#picture g.seg').forEach(function (g) {\n"
"    g.addEventListener('mouseenter', function () {\n"
"      var t = g.querySelector('title');\n"
"      if (t) { box.textContent = t.textContent; }\n"
"    });\n"
"    g.addEventListener('click', function () {\n"
"      show(g.getAttribute('data-frame'), true);\n"
"    });\n"
"  });\n"
"  document.querySelectorAll('#segs tr[data-frame]').forEach(function (r) {\n"
"    r.addEventListener('click', function () {\n"
"      show(r.getAttribute('data-frame'), false);\n"
"    });\n"
"  });\n"
"  /* page.html#f33 opens on frame 33 */\n"
"  var m = /^#[fr]([0-9]+)$/.exec(location.hash);\n"
"  if (m) { show(m[1], true); }\n"
"})();\n";

static void td(FILE *f, const char *cls, const char *s)
{
	fputs(cls ? "<td class=\"n\">" : "<td>", f);
	esc(f, s);
	fputs("</td>", f);
}

/* Each followed connection's payload as text (bytes outside printable
 * ASCII as dots, as tshark's ascii mode), node 0 and node 1 in two
 * colours, each chunk's frame in its tooltip, gaps marked. */
static void follow_sections(FILE *f, const struct tl_picture_src *src)
{
	for (uint32_t i = 0; i < src->follow_count; i++) {
		const struct tl_follow *fl = src->follows[i];
		if (!fl)
			continue;
		char name[2][80];
		tl_follow_node_name(fl, 0, name[0], sizeof name[0]);
		tl_follow_node_name(fl, 1, name[1], sizeof name[1]);
		fprintf(f, "<h2>Stream %u: the payload</h2>\n<p class=\"sub\">"
		        "<span class=\"n0\">", src->follow_streams[i]);
		esc(f, name[0]);
		fprintf(f, " %llu bytes</span> and <span class=\"n1\">",
		        (unsigned long long)fl->bytes_per_node[0]);
		esc(f, name[1]);
		fprintf(f, " %llu bytes</span>, reassembled as tshark -z "
		        "follow does it%s.</p>\n<pre class=\"follow\">",
		        (unsigned long long)fl->bytes_per_node[1],
		        fl->full ? " (cut short: too large for the page)" : "");
		for (uint32_t k = 0; k < fl->count; k++) {
			const struct tl_follow_chunk *c = &fl->chunks[k];
			fprintf(f, "<span class=\"%s\" title=\"frame %u, "
			        "%u bytes\">", c->gap ? "gap" : c->node ? "n1"
			        : "n0", c->frame, c->len);
			if (c->gap) {
				fprintf(f, "[%u bytes missing in capture file]",
				        c->missing);
			} else {
				char buf[1024];
				size_t n = 0;
				const uint8_t *p = fl->data + c->off;
				for (uint32_t b = 0; b < c->len; b++) {
					if (n > sizeof buf - 8) {
						fwrite(buf, 1, n, f);
						n = 0;
					}
					uint8_t ch = p[b];
					const char *e = ch == '<' ? "&lt;" : ch == '>'
					              ? "&gt;" : ch == '&' ? "&amp;"
					              : NULL;
					if (e) {
						memcpy(buf + n, e, strlen(e));
						n += strlen(e);
					} else if (ch == '\r') {
						continue;
					} else {
						buf[n++] = ch == '\n' || (ch >= 0x20 &&
						           ch < 0x7f) ? (char)ch : '.';
					}
				}
				fwrite(buf, 1, n, f);
			}
			fputs("</span>", f);
			if (k + 1 < fl->count && fl->chunks[k + 1].node != c->node)
				fputs("\n", f);
		}
		fputs("</pre>\n", f);
	}
}

static void summary_table(FILE *f, const struct tl_picture_src *src)
{
	uint32_t streams[256];
	uint32_t n = row_streams(src, streams, 256);
	fputs("<h2>Connections</h2>\n<table id=\"conns\">\n<tr><th>stream</th>"
	      "<th>client</th><th>server</th><th>state</th>"
	      "<th>segments</th><th>bytes \u2192</th><th>bytes \u2190</th>"
	      "<th>duration (s)</th><th>analysis</th></tr>\n", f);
	for (uint32_t i = 0; i < n; i++) {
		const struct tl_conn *c = tl_tracker_stream(&src->m->tracker,
		                                            streams[i]);
		if (!c)
			continue;
		char a[80], b[80], num[64], an[1024];
		tl_format_endpoints(c, 0, a, b, sizeof a);
		fputs("<tr>", f);
		snprintf(num, sizeof num, "%u", c->stream);
		td(f, "n", num);
		td(f, NULL, a);
		td(f, NULL, b);
		td(f, NULL, tl_conn_state_name(c->state));
		snprintf(num, sizeof num, "%llu", (unsigned long long)
		         (c->dir[0].segments + c->dir[1].segments));
		td(f, "n", num);
		snprintf(num, sizeof num, "%llu",
		         (unsigned long long)c->dir[0].bytes);
		td(f, "n", num);
		snprintf(num, sizeof num, "%llu",
		         (unsigned long long)c->dir[1].bytes);
		td(f, "n", num);
		num[tl_format_us(tl_nsec_to_us(c->last_time - c->first_time),
		                 num)] = '\0';
		td(f, "n", num);
		size_t k = 0;
		an[0] = '\0';
		for (unsigned bit = 0; bit < TL_AN_WIRESHARK_COUNT; bit++)
			if (c->counts[bit])
				k = tl_bappend(an, sizeof an, k, "%s%s %u",
				               k ? ", " : "",
				               tl_analysis_name(bit),
				               c->counts[bit]);
		td(f, NULL, k ? an : "-");
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}

/* Each HTTP connection's exchanges (HTTP/2 streams, HTTP/1.x requests):
 * when they were asked, started and finished, and how often their bytes
 * were held back behind a retransmission (head-of-line blocking). */
static void exchange_table(FILE *f, const struct tl_picture_src *src)
{
	uint32_t streams[256];
	uint32_t ns = row_streams(src, streams, 256);
	bool head = false;
	char num[64], sum[256];
	for (uint32_t i = 0; i < ns && src->m->app; i++) {
		const struct tl_app_conn *c = tl_app_conn(src->m->app,
		                                          streams[i]);
		if (!c || !c->stream_count)
			continue;
		if (!head)
			fputs("<h2>Exchanges</h2>\n<table id=\"exchanges\">\n"
			      "<tr><th>stream</th><th>id</th><th>request</th>"
			      "<th>status</th><th>asked (s)</th><th>frame</th>"
			      "<th>start (s)</th><th>finish (s)</th>"
			      "<th>frame</th><th>bytes</th><th>held back</th>"
			      "<th>state</th></tr>\n", f);
		head = true;
		tl_app_conn_summary(c, sum, sizeof sum);
		fprintf(f, "<tr class=\"conn\"><td class=\"n\">%u</td>"
		        "<td colspan=\"11\">", streams[i]);
		esc(f, sum);
		fputs("</td></tr>\n", f);
		for (uint32_t k = 0; k < c->stream_count; k++) {
			const struct tl_app_stream *e = &c->streams[k];
			fputs("<tr>", f);
			snprintf(num, sizeof num, "%u", streams[i]);
			td(f, "n", num);
			snprintf(num, sizeof num, "%u", e->id);
			td(f, "n", num);
			td(f, NULL, e->request[0] ? e->request : "?");
			snprintf(num, sizeof num, "%u", e->status);
			td(f, "n", e->status ? num : "-");
			num[tl_format_us(e->req_us, num)] = '\0';
			td(f, "n", e->req_frame ? num : "-");
			snprintf(num, sizeof num, "%u", e->req_frame);
			td(f, "n", e->req_frame ? num : "-");
			num[tl_format_us(e->start_us, num)] = '\0';
			td(f, "n", e->started ? num : "-");
			num[tl_format_us(e->end_us, num)] = '\0';
			td(f, "n", e->ended ? num : "-");
			snprintf(num, sizeof num, "%u", e->end_frame);
			td(f, "n", e->ended ? num : "-");
			snprintf(num, sizeof num, "%llu",
			         (unsigned long long)e->bytes);
			td(f, "n", num);
			snprintf(num, sizeof num, "%ux", e->held);
			td(f, "n", e->held ? num : "-");
			td(f, NULL, e->reset ? "reset" : e->ended ? "finished"
			                                 : "unfinished");
			fputs("</tr>\n", f);
		}
		if (c->streams_dropped)
			fprintf(f, "<tr><td colspan=\"12\">and %u more not "
			        "kept</td></tr>\n", c->streams_dropped);
	}
	if (head)
		fputs("</table>\n", f);
}

/* The segment table's row for kernel drops before row i, if any. */
static void drop_row(FILE *f, const struct tl_picture_src *src, uint32_t i,
                     uint32_t frame)
{
	uint64_t n = drops_before_row(src, i, frame);
	if (!n)
		return;
	char what[96];
	tl_drop_text(n, what, sizeof what);
	fprintf(f, "<tr class=\"drops\"><td colspan=\"8\" style=\"color: "
	        "%s; font-weight: bold\">\u2500\u2500 ", APP_HOL);
	esc(f, what);
	fputs(" \u2500\u2500</td></tr>\n", f);
}

static void segment_table(FILE *f, const struct tl_picture_src *src)
{
	uint32_t rows = row_count(src);
	fputs("<h2>Segments</h2>\n<table id=\"segs\">\n<tr><th>frame</th>"
	      "<th>time</th><th>stream</th><th>from</th><th>to</th>"
	      "<th>segment</th><th>analysis</th><th>application</th></tr>\n",
	      f);
	char num[40], from[80], to[80], label[512], an[512];
	char app[TL_APP_LABEL_MAX + 1];
	for (uint32_t i = 0; i < rows; i++) {
		uint32_t idx = row_seg(src, i);
		const struct tl_seg *seg = tl_segstore_get(src->segs, idx);
		const struct tl_conn *c = tl_tracker_stream(&src->m->tracker,
		                                            seg->stream);
		if (!c)
			continue;
		unsigned d = tl_seg_dir(seg);
		enum tl_annot_kind kind = tl_annot_kind(seg->analysis);
		drop_row(f, src, i, seg->frame);
		fprintf(f, "<tr id=\"r%u\" data-frame=\"%u\">", seg->frame,
		        seg->frame);
		snprintf(num, sizeof num, "%u", seg->frame);
		td(f, "n", num);
		num[tl_format_us(tl_seg_time_us(seg), num)] = '\0';
		td(f, "n", num);
		snprintf(num, sizeof num, "%u", seg->stream);
		td(f, "n", num);
		tl_format_endpoints(c, d, from, to, sizeof from);
		td(f, NULL, from);
		td(f, NULL, to);
		seg_label(src, idx, c, label, sizeof label);
		td(f, NULL, label);
		tl_label_analysis(seg, tl_segstore_note(src->segs, idx), 0, an,
		                  sizeof an);
		if (kind != TL_ANNOT_NONE && kind != TL_ANNOT_CHANGE) {
			char badge[512];
			const char *note;
			split_analysis(an, badge, sizeof badge, &note);
			fprintf(f, "<td><span class=\"an\" style=\"background: "
			        "%s; color: %s\">", tl_annot_color(kind),
			        tl_annot_ink(kind));
			esc(f, badge);
			fputs("</span> ", f);
			esc(f, note);
			fputs("</td>", f);
		} else {
			td(f, NULL, an);
		}
		/* Labels run to hundreds of characters: this cell wraps. */
		fputs("<td class=\"app\">", f);
		esc(f, app_text(src, seg->frame, app, sizeof app));
		fputs("</td></tr>\n", f);
	}
	if (rows)
		drop_row(f, src, rows, UINT32_MAX);
	fputs("</table>\n", f);
}

int tl_html_page(FILE *f, const struct tl_picture_src *src, int graph)
{
	errno = 0;
	const char *name = base_name(src->title);
	uint32_t rows = row_count(src);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\"/>\n<title>tcpladder: ", f);
	esc(f, name);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
	        page_style);
	esc(f, name);
	fprintf(f, "</h1>\n<p class=\"sub\">%u segment%s", rows,
	        rows == 1 ? "" : "s");
	if (src->total_rows > rows)
		fprintf(f, " (rows %llu to %llu of %llu)",
		        (unsigned long long)(src->first_row + (rows ? 1 : 0)),
		        (unsigned long long)(src->first_row + rows),
		        (unsigned long long)src->total_rows);
	fputs(". Hover over or click an arrow for the segment's details; "
	      "click a row of the table to find its arrow.</p>\n"
	      "<div id=\"picture\">\n", f);
	if (graph)
		graph_body(f, src, (enum tl_graph_kind)(graph - 1), UINT32_MAX,
		           -1, NULL, false);
	else
		ladder_body(f, src, false);
	fputs("</div>\n<div id=\"details\">Hover over or click an arrow."
	      "</div>\n", f);
	summary_table(f, src);
	exchange_table(f, src);
	segment_table(f, src);
	follow_sections(f, src);
	fprintf(f, "<script>\n%s</script>\n</body>\n</html>\n", page_script);
	return finish(f);
}

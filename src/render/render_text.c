/* The ladder as text: a header of endpoint columns, then one row per
 * segment with its arrow, label and annotations (two lines when the label
 * does not fit on the arrow). */
#include "config.h"

#include "tl_render.h"

#include <string.h>
#include <time.h>

#include "tl_app.h"
#include "tl_label.h"
#include "tl_layout.h"

#define MIN_COLUMN_GAP 24
/* The arrow's last cell, three blanks and the longest of Wireshark's words,
 * "[TCP Previous segment not captured]": no word is wrapped at --width. */
#define ANALYSIS_RESERVE 39
#define MAX_LINE 4096
#define PAIR_NAME_WIDTH 22      /* "255.255.255.255:65535" */
#define PAIR_MIN_BODY 40
#define MIN_WRAP 16             /* narrower than this: wrap under the arrow */
#define UNDER_INDENT 8          /* ... from this column */

struct glyphs {
	const char *vbar, *hbar, *left_end, *right_end, *head_right, *head_left;
};
static const struct glyphs utf8_glyphs = {
	"\u2502", "\u2500", "\u251c", "\u2524", "\u25b6", "\u25c0" };
static const struct glyphs ascii_glyphs = { "|", "-", "|", "|", ">", "<" };

/* A line of cells, each holding one (possibly multibyte) glyph. */
struct cells {
	int width;
	size_t store;          /* bytes of text used */
	const char *cell[MAX_LINE / 4];
	char text[MAX_LINE];   /* backing store for label characters */
};

void tl_text_init(struct tl_text_ladder *t, const struct tl_options *opt,
                  int width, bool utf8)
{
	memset(t, 0, sizeof *t);
	tl_ladder_init(&t->ladder, opt->by_host);
	t->opt = opt;
	t->width = width;
	t->utf8 = utf8;
	t->multi_stream = opt->stream_count != 1;
}

void tl_text_free(struct tl_text_ladder *t)
{
	tl_ladder_free(&t->ladder);
}

/* "12345.123456", "+0.000123" or "13:45:01.123456". */
static int time_width(const struct tl_text_ladder *t)
{
	int w = t->opt->time_format == TL_TIME_ABSOLUTE ? 15 : 12;
	return t->time_cells > w ? t->time_cells : w;
}

static int prefix_width(const struct tl_text_ladder *t)
{
	int w = 7 + 1 + time_width(t) + 1;   /* frame, time */
	if (t->multi_stream)
		w += 5;
	return w;
}

/* Pair mode names the endpoints beside the arrow when that leaves the
 * arrow PAIR_MIN_BODY cells; narrower, on a line of their own above it. */
static bool names_beside(const struct tl_text_ladder *t)
{
	return t->pair_mode &&
	       t->width - prefix_width(t) - ANALYSIS_RESERVE -
	       2 * (PAIR_NAME_WIDTH + 1) >= PAIR_MIN_BODY;
}

static int body_width(const struct tl_text_ladder *t)
{
	int w = t->width - prefix_width(t) - ANALYSIS_RESERVE;
	if (t->pair_mode && !names_beside(t))
		return w > MIN_COLUMN_GAP ? w : MIN_COLUMN_GAP;
	if (t->pair_mode) {
		w -= 2 * (PAIR_NAME_WIDTH + 1);
		return w > PAIR_MIN_BODY ? w : PAIR_MIN_BODY;
	}
	int n = (int)t->ladder.node_count;
	int need = (n > 1 ? n - 1 : 1) * MIN_COLUMN_GAP + 2;
	return w > need ? w : need;
}

static void cells_blank(struct cells *c, int width, const struct glyphs *g,
                        const struct tl_ladder_geometry *geo, uint32_t nodes)
{
	const int cap = (int)(sizeof c->cell / sizeof c->cell[0]);
	if (width > cap)
		width = cap;
	c->width = width;
	c->store = 0;
	for (int i = 0; i < width; i++)
		c->cell[i] = " ";
	for (uint32_t n = 0; n < nodes; n++) {
		int x = tl_ladder_anchor(geo, n);
		if (x >= 0 && x < width)
			c->cell[x] = g->vbar;
	}
}

/* Lays ASCII/UTF-8 text over cells starting at x; returns cells used. */
static int cells_text(struct cells *c, int x, const char *s, int max)
{
	int used = 0;
	size_t store = c->store;
	const int cap = (int)(sizeof c->cell / sizeof c->cell[0]);
	while (*s && used < max && x + used < cap) {
		if (x + used >= c->width)
			c->cell[c->width++] = " ";
		size_t n = 1;
		unsigned char b = (unsigned char)*s;
		if (b >= 0xf0) n = 4; else if (b >= 0xe0) n = 3;
		else if (b >= 0xc0) n = 2;
		if (strnlen(s, n) < n || store + n + 1 > sizeof c->text)
			break;
		memcpy(c->text + store, s, n);
		c->text[store + n] = '\0';
		c->cell[x + used] = c->text + store;
		store += n + 1;
		s += n;
		used++;
	}
	c->store = store;
	return used;
}

/* Trailing blanks are dropped unless something follows on the line. */
static void cells_emit(struct tl_out *o, const struct cells *c, bool full)
{
	int last = c->width;
	while (!full && last > 0 && strcmp(c->cell[last - 1], " ") == 0)
		last--;
	for (int i = 0; i < last; i++)
		tl_out_str(o, c->cell[i]);
}

static void emit_prefix(struct tl_text_ladder *t, struct tl_out *o,
                        const char *stream, const char *frame,
                        const char *time)
{
	char buf[96];
	size_t n = 0;
	if (t->multi_stream)
		n = tl_bappend(buf, sizeof buf, n, "%4s ", stream);
	n = tl_bappend(buf, sizeof buf, n, "%7s %-*s ", frame, time_width(t),
	               time);
	tl_out_write(o, buf, n);
}

static bool too_many_columns(const struct tl_text_ladder *t)
{
	int room = t->width - prefix_width(t) - ANALYSIS_RESERVE;
	int fit = room / MIN_COLUMN_GAP + 1;
	int n = (int)t->ladder.node_count;
	/* More than two columns that do not fit --width: pair mode, so no
	 * line passes it. */
	return n > 2 && n > fit;
}

static void emit_pair_header(struct tl_text_ladder *t, struct tl_out *o)
{
	char line[256];
	emit_prefix(t, o, "st", "frame", t->opt->time_format == TL_TIME_ABSOLUTE
	            ? "time of day" : t->opt->time_format == TL_TIME_DELTA
	            ? "delta" : "time");
	snprintf(line, sizeof line, "%*s   (%u endpoints: each row names its "
	         "own; the first sender of a connection is on the left)",
	         PAIR_NAME_WIDTH, "", t->ladder.node_count);
	size_t room = t->width > prefix_width(t) ?
	              (size_t)(t->width - prefix_width(t)) : 0;
	tl_out_write(o, line, tl_layout_prefix_bytes(line, (int)room));
	tl_out_end_line(o);
	t->header_nodes = t->ladder.node_count;
}

static void emit_header(struct tl_text_ladder *t, struct tl_out *o)
{
	if (t->pair_mode) {
		emit_pair_header(t, o);
		return;
	}
	const struct glyphs *g = t->utf8 ? &utf8_glyphs : &ascii_glyphs;
	struct tl_ladder_geometry geo;
	int bw = body_width(t);
	tl_ladder_geometry(&t->ladder, 0, bw, &geo);
	/* Names centred over their anchors; a name that would collide with
	 * its left neighbour goes on a second header line. */
	struct cells lines[2];
	int rows = 1;
	cells_blank(&lines[0], bw, g, &geo, 0);
	cells_blank(&lines[1], bw, g, &geo, 0);
	int next_free[2] = { 0, 0 };
	for (uint32_t n = 0; n < t->ladder.node_count; n++) {
		const char *name = t->ladder.nodes[n].name;
		int len = tl_layout_cells(name);
		int x = tl_ladder_anchor(&geo, n) - len / 2;
		if (n == t->ladder.node_count - 1 && x + len > bw)
			x = bw - len;
		if (x < 0)
			x = 0;
		int line = x >= next_free[0] ? 0 : 1;
		if (line == 1 && x < next_free[1])
			x = next_free[1];
		if (line == 1)
			rows = 2;
		cells_text(&lines[line], x, name, bw);
		next_free[line] = x + len + 1;
	}
	for (int r = 0; r < rows; r++) {
		emit_prefix(t, o, r ? "" : "st", r ? "" : "frame",
		            r ? "" : t->opt->time_format == TL_TIME_ABSOLUTE
		                     ? "time of day" :
		            t->opt->time_format == TL_TIME_DELTA ? "delta" : "time");
		cells_emit(o, &lines[r], false);
		tl_out_end_line(o);
	}
	t->header_nodes = t->ladder.node_count;
}

static void format_time(struct tl_text_ladder *t, const struct tl_model *m,
                        const struct tl_seg *seg, char *buf)
{
	int64_t us = tl_seg_time_us(seg);
	switch (t->opt->time_format) {
	case TL_TIME_DELTA: {
		int64_t d = t->have_prev ? us - t->prev_time_us : 0;
		buf[0] = '+';
		buf[1 + tl_format_us(d, buf + 1)] = '\0';
		break;
	}
	case TL_TIME_ABSOLUTE: {
		int64_t abs_us = tl_nsec_to_us(m->start_time) + us;
		time_t secs = (time_t)(abs_us / 1000000);
		struct tm tm;
		localtime_r(&secs, &tm);
		snprintf(buf, 28, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min,
		         tm.tm_sec, (long)(abs_us % 1000000));
		break;
	}
	default:
		buf[tl_format_us(us, buf)] = '\0';
		break;
	}
	t->prev_time_us = us;
	t->have_prev = true;
}

/* Draws the arrow between anchors a and b into cells; returns the first
 * and the number of cells free for a label on it. */
static void draw_arrow(struct cells *c, const struct glyphs *g, int a, int b,
                       int *label_x, int *label_room)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;
	if (a == b)
		hi = lo + 3;
	for (int x = lo + 1; x < hi && x < c->width; x++)
		c->cell[x] = g->hbar;
	c->cell[lo] = g->left_end;
	if (hi < c->width)
		c->cell[hi] = a == b ? g->head_left : g->right_end;
	if (a <= b) {
		if (hi - 1 > lo)
			c->cell[hi - 1] = g->head_right;
	} else {
		c->cell[lo + 1] = g->head_left;
	}
	*label_x = lo + 3;
	*label_room = hi - lo - 5;
}

/* An endpoint's name beside a two-column arrow (blank when conn is NULL). */
static void emit_pair_name(struct tl_out *o, const struct tl_conn *conn,
                           int endpoint, bool pad)
{
	char name[64] = "", cell[96];
	if (conn)
		tl_format_endpoint(conn->ip_version, conn->addr[endpoint],
		                   conn->port[endpoint], name, sizeof name);
	int n = endpoint == 0
	        ? snprintf(cell, sizeof cell, "%*s ", PAIR_NAME_WIDTH, name)
	        : snprintf(cell, sizeof cell, " %-*s", pad ? PAIR_NAME_WIDTH : 0,
	                   name);
	if (n > 0)
		tl_out_write(o, cell, strlen(cell));
}

/* The application label after the annotations: "» GET /files/1KB". */
static void append_app_label(const struct tl_text_ladder *t,
                             const struct tl_model *m, uint32_t frame,
                             char *annot, size_t size)
{
	size_t len;
	const char *app = tl_app_label(m->app, frame, &len);
	if (!app)
		return;
	size_t n = strlen(annot);
	tl_bappend(annot, size, n, "%s%s %.*s", n ? "   " : "",
	           t->utf8 ? "\u00bb" : ">>", (int)len, app);
}

/* Segments labelled late, when a hole in the capture was filled: one
 * line each, under the row that filled it. */
static void emit_late_labels(struct tl_text_ladder *t, struct tl_out *o,
                             const struct tl_model *m)
{
	bool beside = names_beside(t);
	const struct tl_app *a = m->app;
	if (!a)
		return;
	for (uint32_t i = 0; i < a->late_count; i++) {
		size_t len;
		uint32_t frame = a->late[i];
		const char *app = tl_app_label(a, frame, &len);
		if (!app)
			continue;
		char line[TL_APP_LABEL_MAX + 64];
		snprintf(line, sizeof line, "%s frame %u: %.*s",
		         t->utf8 ? "\u21b3" : "->", frame, (int)len, app);
		/* At --width: the rest on lines of their own, indented. */
		int indent = beside ? PAIR_NAME_WIDTH + 1 : 0;
		const char *rest = line;
		for (bool first = true; *rest; first = false) {
			int lead = indent + (first ? 0 : 4);
			int room = t->width - prefix_width(t) - lead;
			size_t n = tl_layout_wrap(rest, room < MIN_WRAP
			                                ? MIN_WRAP : room);
			emit_prefix(t, o, "", "", "");
			for (int k = 0; k < lead; k++)
				tl_out_str(o, " ");
			tl_out_write(o, rest, n);
			tl_out_end_line(o);
			rest += n;
			while (*rest == ' ')
				rest++;
		}
	}
}

/* A line of prose at --width: broken at spaces, later lines indented
 * four more cells. */
static void emit_wrapped(struct tl_text_ladder *t, struct tl_out *o,
                         const char *indent, const char *text)
{
	bool first = true;
	while (*text) {
		const char *in = first ? indent : "        ";
		int room = t->width - tl_layout_cells(in);
		size_t n = tl_layout_wrap(text, room < 20 ? 20 : room);
		tl_out_str(o, in);
		tl_out_write(o, text, n);
		tl_out_end_line(o);
		text += n;
		while (*text == ' ')
			text++;
		first = false;
	}
}

void tl_text_app_summary(struct tl_text_ladder *t, struct tl_out *o,
                         const struct tl_model *m)
{
	const struct tl_tracker *tr = &m->tracker;
	if (!m->app)
		return;
	for (uint32_t st = 0; st < tr->stream_count; st++) {
		const struct tl_app_conn *c = tl_app_conn(m->app, st);
		if (!c || !c->stream_count ||
		    !tl_options_wants_stream(t->opt, st))
			continue;
		/* A streaming tracker may have forgotten the connection. */
		const struct tl_conn *conn = tr->streams[st];
		char a[64], b[64], sum[256], line[512];
		tl_format_endpoints(conn, c->client_dir, a, b, sizeof a);
		tl_app_conn_summary(c, sum, sizeof sum);
		snprintf(line, sizeof line, "stream %u  %s %s %s: %s", st, a,
		         t->utf8 ? "\u2192" : "->", b, sum);
		emit_wrapped(t, o, "", line);
		for (uint32_t i = 0; i < c->stream_count; i++) {
			tl_app_stream_line(c, &c->streams[i], line,
			                   sizeof line);
			emit_wrapped(t, o, "    ", line);
		}
	}
}

/* The annotations after an arrow, wrapped at --width: the first part on
 * the arrow's line from column col, the rest on lines of their own that
 * keep the lifelines and start at the same column. */
static void emit_annot(struct tl_text_ladder *t, struct tl_out *o,
                       const char *annot, int col,
                       const struct tl_ladder_geometry *geo, uint32_t columns)
{
	const struct glyphs *g = t->utf8 ? &utf8_glyphs : &ascii_glyphs;
	static struct cells life;
	bool beside = names_beside(t);
	int room = t->width - col;
	bool first = true;
	/* The widest of Wireshark's words must fit whole. */
	int word = MIN_WRAP;
	for (const char *p = strchr(annot, '['); p; p = strchr(p + 1, '[')) {
		const char *e = strchr(p, ']');
		if (!e)
			break;
		if ((int)(e - p + 1) > word)
			word = (int)(e - p + 1);
	}
	if (room < word) {
		/* Too little room beside the arrow: every line starts at
		 * the ladder's left, under the arrow. */
		room = t->width - UNDER_INDENT - 3;
		col = -1;
		tl_out_end_line(o);
		first = false;
	}
	while (*annot) {
		size_t n = tl_layout_wrap(annot, room);
		if (!first && col < 0) {
			tl_out_str(o, "        ");
		} else if (!first) {
			emit_prefix(t, o, "", "", "");
			{
				if (beside)
					emit_pair_name(o, NULL, 0, true);
				cells_blank(&life, geo->width, g, geo, columns);
				cells_emit(o, &life, true);
				if (beside)
					emit_pair_name(o, NULL, 1, true);
			}
		}
		tl_out_str(o, "   ");
		tl_out_write(o, annot, n);
		annot += n;
		while (*annot == ' ')
			annot++;
		first = false;
		if (*annot)
			tl_out_end_line(o);
	}
}

void tl_text_drops(struct tl_text_ladder *t, struct tl_out *o,
                   const struct tl_model *m, uint32_t hi)
{
	uint64_t n = tl_model_drops_between(m, t->drop_from, hi);
	t->drop_from = hi;
	if (!n)
		return;
	char what[96], line[128];
	tl_drop_text(n, what, sizeof what);
	const char *rule = t->utf8 ? "\u2500\u2500" : "--";
	snprintf(line, sizeof line, "%s %s %s", rule, what, rule);
	if (prefix_width(t) + tl_layout_cells(line) <= t->width) {
		emit_prefix(t, o, "", "", "");
		tl_out_str(o, line);
		tl_out_end_line(o);
	} else {
		emit_wrapped(t, o, "", line);
	}
}

void tl_text_row(struct tl_text_ladder *t, struct tl_out *o,
                 const struct tl_model *m, const struct tl_seg *seg,
                 const struct tl_seg_note *note)
{
	const struct tl_conn *conn = tl_tracker_stream(&m->tracker, seg->stream);
	bool added = false, beside;
	char time[32];
	format_time(t, m, seg, time);
	/* Kernel drops counted since the last row come first. */
	tl_text_drops(t, o, m, seg->frame);
	if (tl_layout_cells(time) > time_width(t)) {
		/* A wider time: a wider column from here on, under a header
		 * that says so, rather than a line past --width. */
		t->time_cells = tl_layout_cells(time);
		t->header_nodes = 0;
		if (!t->pair_mode)
			t->pair_mode = too_many_columns(t);
	}
	if (!t->pair_mode) {
		/* In pair mode columns are no longer needed, and collecting
		 * every endpoint of a SYN flood would cost memory and time. */
		added = tl_ladder_add_conn(&t->ladder, conn);
		t->pair_mode = too_many_columns(t);
	}
	/* In pair mode the header only changes when we enter it. */
	if (t->header_nodes == 0 ||
	    (added && (!t->pair_mode || t->header_nodes <= 2)))
		emit_header(t, o);
	beside = names_beside(t);
	const struct glyphs *g = t->utf8 ? &utf8_glyphs : &ascii_glyphs;
	struct tl_ladder_geometry geo;
	uint32_t from, to, columns = t->ladder.node_count;
	if (t->pair_mode) {
		columns = 2;
		from = tl_seg_dir(seg);
		to = !from;
		tl_ladder_geometry_n(2, 0, body_width(t), &geo);
	} else {
		tl_ladder_arrow(&t->ladder, seg, &from, &to);
		tl_ladder_geometry(&t->ladder, 0, body_width(t), &geo);
	}

	char label[512], annot[1024], frame[16], stream[16];
	struct tl_seg_sack sk;
	const struct tl_seg_sack *sack = tl_model_sack(m, &sk) ? &sk : NULL;
	tl_layout_label_full(seg, conn, sack, t->opt->absolute_seq, label,
	                     sizeof label);
	tl_label_analysis(seg, note, !t->utf8, annot, sizeof annot);
	append_app_label(t, m, seg->frame, annot, sizeof annot);
	snprintf(frame, sizeof frame, "%u", seg->frame);
	snprintf(stream, sizeof stream, "%u", seg->stream);

	static struct cells arrow, text;
	cells_blank(&arrow, geo.width, g, &geo, columns);
	int lx, room;
	int a = tl_ladder_anchor(&geo, from), b = tl_ladder_anchor(&geo, to);
	draw_arrow(&arrow, g, a, b, &lx, &room);
	int len = tl_layout_cells(label);
	if (t->pair_mode && !beside) {
		char a[64], b[64], line[160];
		tl_format_endpoints(conn, tl_seg_dir(seg), a, b, sizeof a);
		snprintf(line, sizeof line, "%s %s %s", a,
		         t->utf8 ? "\u2192" : "->", b);
		emit_prefix(t, o, "", "", "");
		int room = t->width - prefix_width(t);
		tl_out_write(o, line, tl_layout_prefix_bytes(line, room > 1 ?
		                                             room : 1));
		tl_out_end_line(o);
	}
	emit_prefix(t, o, stream, frame, time);
	if (beside)
		emit_pair_name(o, conn, 0, true);
	if (len + 2 <= room) {
		/* The label rides on the arrow, near the sender. */
		int x = a <= b ? lx : lx + room - len - 2;
		arrow.cell[x] = " ";
		cells_text(&arrow, x + 1, label, room);
		arrow.cell[x + 1 + len] = " ";
	} else {
		cells_blank(&text, geo.width, g, &geo, columns);
		int lo = a < b ? a : b;
		/* Past --width the label drops parts in the layout's order
		 * (SACK blocks after Len=0, Seq= and Win=, before Ack=). */
		int lead = prefix_width(t) + (beside ? PAIR_NAME_WIDTH + 1
		                                           : 0);
		int lroom = t->width - lead - lo - 2;
		if (lroom < MIN_WRAP)
			lroom = MIN_WRAP;
		const char *rest = label;
		if (tl_layout_cells(label) > lroom &&
		    tl_layout_label_sack_kept(seg, conn, sack,
		                              t->opt->absolute_seq, lroom,
		                              label, sizeof label) < 0) {
			/* Not even the shortest fits: every part, on as
			 * many lines as it takes (nothing is marked cut
			 * here, so no SACK block is left out). */
			tl_layout_label_full(seg, conn, sack,
			                     t->opt->absolute_seq, label,
			                     sizeof label);
			while (tl_layout_cells(rest) > lroom) {
				size_t n = tl_layout_wrap(rest, lroom);
				char piece[512];
				snprintf(piece, sizeof piece, "%.*s", (int)n,
				         rest);
				cells_text(&text, lo + 2, piece, MAX_LINE);
				cells_emit(o, &text, false);
				tl_out_end_line(o);
				emit_prefix(t, o, "", "", "");
				if (beside)
					emit_pair_name(o, NULL, 0, true);
				cells_blank(&text, geo.width, g, &geo, columns);
				rest += n;
				while (*rest == ' ')
					rest++;
			}
		}
		cells_text(&text, lo + 2, rest, MAX_LINE);
		cells_emit(o, &text, *annot != '\0');
		if (*annot) {
			int col = lead + text.width + (beside ?
			                               PAIR_NAME_WIDTH + 1 : 0);
			emit_annot(t, o, annot, col + 3, &geo, columns);
			*annot = '\0';
		}
		tl_out_end_line(o);
		emit_prefix(t, o, "", "", "");
		if (beside)
			emit_pair_name(o, NULL, 0, true);
	}
	cells_emit(o, &arrow, beside || *annot != '\0');
	if (beside)
		emit_pair_name(o, conn, 1, *annot != '\0');
	if (*annot) {
		int col = prefix_width(t) + arrow.width +
		          (beside ? 2 * (PAIR_NAME_WIDTH + 1) : 0);
		emit_annot(t, o, annot, col + 3, &geo, columns);
	}
	tl_out_end_line(o);
	emit_late_labels(t, o, m);
}

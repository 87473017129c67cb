/* Graphs of one connection and direction (g, G in the ladder): the
 * time-sequence graph (tcptrace, Stevens) and bytes in flight against the
 * receive window, drawn with braille dots (ASCII with --ascii). The series
 * come from tsg.c, shared with -T svg --graph. The cursor is a segment, the
 * same one the ladder selects. */
#include "config.h"

#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_annot.h"
#include "tl_label.h"
#include "tl_tsg.h"

#define MARGIN 10               /* y tick labels and the axis */
#define REBUILD_MS 1000         /* a live graph is rebuilt at most this often */

static const char *const kind_names[2] = {
	"time-sequence graph", "bytes in flight",
};

static struct tl_tsg *tsg(struct ui *ui)
{
	return ui->graph.tsg;
}

void ui_graph_free(struct ui *ui)
{
	if (ui->graph.tsg) {
		tl_tsg_free(ui->graph.tsg);
		free(ui->graph.tsg);
		ui->graph.tsg = NULL;
	}
	ui->graph.built = false;
}

static uint32_t cur_seg(struct ui *ui)
{
	struct tl_tsg *g = tsg(ui);
	return g && g->seg_count ? g->segs[ui->graph.cur] : 0;
}

static bool build(struct ui *ui)
{
	struct ui_graph_state *gs = &ui->graph;
	uint32_t keep = gs->built ? cur_seg(ui) : UINT32_MAX;
	if (!gs->tsg)
		gs->tsg = tl_xcalloc(1, sizeof(struct tl_tsg));
	else
		tl_tsg_free(gs->tsg);
	gs->built = tl_tsg_build(gs->tsg, &ui->m.segs, NULL, 0, gs->stream,
	                         gs->dir);
	gs->built_count = ui->m.segs.count;
	gs->built_ms = ui_now_ms();
	if (gs->built && keep != UINT32_MAX)
		gs->cur = tl_tsg_seg_pos(gs->tsg, keep);
	return gs->built;
}

uint32_t ui_graph_cursor_frame(struct ui *ui)
{
	struct tl_tsg *g = tsg(ui);
	if (!ui->graph.built || !g || !g->seg_count)
		return 0;
	return tl_segstore_get(&ui->m.segs, cur_seg(ui))->frame;
}

void ui_graph_renumbered(struct ui *ui, uint32_t cursor_frame)
{
	struct ui_graph_state *gs = &ui->graph;
	if (!gs->built)
		return;
	gs->built = false;      /* its indices name other segments now */
	uint32_t seg;
	if (build(ui) && ui_seg_by_frame(ui, cursor_frame, &seg))
		gs->cur = tl_tsg_seg_pos(gs->tsg, seg);
}

static void view_of(const struct ui *ui, struct tl_tsg_view *v)
{
	const struct ui_graph_state *gs = &ui->graph;
	if (gs->have_view) {
		*v = (struct tl_tsg_view){ gs->t0, gs->t1, gs->y0, gs->y1 };
		return;
	}
	tl_tsg_fit(ui->graph.tsg, (enum tl_graph_kind)gs->kind, v);
}

static void set_view(struct ui *ui, const struct tl_tsg_view *v)
{
	struct ui_graph_state *gs = &ui->graph;
	gs->have_view = true;
	gs->t0 = v->t0;
	gs->t1 = v->t1 > v->t0 ? v->t1 : v->t0 + 1;
	gs->y0 = v->y0;
	gs->y1 = v->y1 > v->y0 ? v->y1 : v->y0 + 1;
}

static bool cursor_point(struct ui *ui, int64_t *t, int64_t *y)
{
	struct tl_tsg *g = tsg(ui);
	return g && g->seg_count &&
	       tl_tsg_locate(g, (enum tl_graph_kind)ui->graph.kind,
	                     &ui->m.segs, cur_seg(ui), t, y);
}

/* Keeps the cursor inside the view when zoomed: recentres on it. */
static void follow_cursor(struct ui *ui)
{
	if (!ui->graph.have_view)
		return;
	int64_t t, y;
	if (!cursor_point(ui, &t, &y))
		return;
	struct tl_tsg_view v;
	view_of(ui, &v);
	int64_t tw = v.t1 - v.t0, yh = v.y1 - v.y0;
	if (t < v.t0 || t > v.t1) {
		v.t0 = t - tw / 2;
		v.t1 = v.t0 + tw;
	}
	if (y < v.y0 || y > v.y1) {
		v.y0 = y - yh / 2;
		v.y1 = v.y0 + yh;
	}
	set_view(ui, &v);
}

static void set_cursor(struct ui *ui, int64_t pos)
{
	struct tl_tsg *g = tsg(ui);
	if (!g || !g->seg_count)
		return;
	if (pos < 0)
		pos = 0;
	if (pos >= g->seg_count)
		pos = g->seg_count - 1;
	ui->graph.cur = (uint32_t)pos;
	follow_cursor(ui);
	/* The ladder follows: leaving the graph shows the same segment. */
	ui_ladder_select_seg(ui, cur_seg(ui));
}

void ui_graph_open(struct ui *ui, int kind, uint32_t seg)
{
	struct ui_graph_state *gs = &ui->graph;
	const struct tl_seg *s = tl_segstore_get(&ui->m.segs, seg);
	bool same = gs->built && gs->stream == s->stream;
	if (!same) {
		gs->stream = s->stream;
		gs->dir = -1;
		gs->have_view = false;
	} else if (gs->kind != kind) {
		gs->have_view = false;
	}
	gs->kind = kind;
	if (!build(ui)) {
		ui_message(ui, true, "No segments of stream %u to draw",
		           s->stream);
		return;
	}
	gs->cur = tl_tsg_seg_pos(gs->tsg, seg);
	if (ui->view != UI_VIEW_GRAPH)
		gs->back = ui->view;
	ui_set_view(ui, UI_VIEW_GRAPH);
	follow_cursor(ui);
}

/* ---- drawing ------------------------------------------------------------- */

struct glayout {
	int y_legend, y_plot, rows, y_xaxis, y_sep, y_info;
	int x_plot, cols;
};

static void glayout(const struct ui *ui, struct glayout *L)
{
	L->y_legend = 1;
	L->y_plot = 2;
	L->rows = ui->rows - 7;
	if (L->rows < 3)
		L->rows = 3;
	L->y_xaxis = L->y_plot + L->rows;
	L->y_sep = L->y_xaxis + 1;
	L->y_info = L->y_sep + 1;
	L->x_plot = MARGIN;
	L->cols = ui->cols - MARGIN - 1;
	if (L->cols < 10)
		L->cols = 10;
}

static int series_role(unsigned series, unsigned kind)
{
	if (kind != TL_ANNOT_NONE) {
		static const int roles[TL_ANNOT_KIND_COUNT] = {
			R_NORMAL, R_RTX, R_DUPACK, R_OOO, R_LOST, R_WINDOW,
			R_OTHER, R_CHANGE,
		};
		return kind < TL_ANNOT_KIND_COUNT ? roles[kind] : R_NORMAL;
	}
	switch (series) {
	case TL_PLOT_DATA: return R_GRAPH_DATA;
	case TL_PLOT_ACK: return R_GRAPH_ACK;
	case TL_PLOT_GAP: return R_LOST;
	/* One graph shows one connection: the fourth stream colour (purple,
	 * tcptrace's SACK colour) means nothing else here. */
	case TL_PLOT_SACK: return R_STREAM0 + 3;
	case TL_PLOT_CWND: return R_GRAPH_DATA;
	case TL_PLOT_SSTHRESH: return R_WINDOW;
	default: return R_HINT;
	}
}

static void legend(struct ui *ui, int y)
{
	struct { const char *glyph, *ascii, *text; int role; } items[2][7] = {
		{ { "\u2502", "|", "data", R_GRAPH_DATA },
		  { "\u2500", "_", "ACK", R_GRAPH_ACK },
		  { "\u2504", ".", "window", R_HINT },
		  { "\u2502", "!", "SACK", R_STREAM0 + 3 },
		  { "\u25a0", "#", "retransmission", R_RTX },
		  { "\u25a0", "#", "out-of-order", R_OOO },
		  { "\u25a0", "#", "not captured", R_LOST } },
		{ { "\u2500", "_", "in flight", R_GRAPH_ACK },
		  { "\u2504", ".", "receive window", R_HINT },
		  { "\u2500", "=", "cwnd", R_GRAPH_DATA },
		  { "\u2500", "~", "ssthresh", R_WINDOW },
		  { "\u25a0", "#", "retransmission", R_RTX },
		  { "\u25a0", "#", "dup ACK", R_DUPACK } },
	};
	int x = 1, k = ui->graph.kind ? 1 : 0, need = 1, gap = 3;
	int n = 0;
	for (int i = 0; i < 7 && items[k][i].text; i++, n++)
		need += 2 + ui_text_width(items[k][i].text) + 3;
	/* Narrow: closer, rather than cut (80 columns hold all seven). */
	while (gap > 1 && need > ui->cols) {
		gap--;
		need -= n;
	}
	for (int i = 0; i < 7 && items[k][i].text; i++) {
		x += ui_put(ui, y, x, ui->cols - x, ui->utf8 ? items[k][i].glyph
		            : items[k][i].ascii, items[k][i].role, true);
		x += 1;
		x += ui_put(ui, y, x, ui->cols - x, items[k][i].text, R_NORMAL,
		            false);
		x += gap;
	}
}

static void axes(struct ui *ui, const struct glayout *L,
                 const struct tl_tsg_view *v, const struct tl_plot *p)
{
	char buf[48];
	for (int r = 0; r < L->rows; r++)
		ui_put(ui, L->y_plot + r, L->x_plot - 1, 1, ui->gl->vbar,
		       R_HINT, false);
	int64_t ys = tl_tsg_tick(v->y1 - v->y0, L->rows / 3 > 1
	                                        ? L->rows / 3 : 2);
	int64_t y = v->y0 / ys * ys;
	if (y < v->y0)
		y += ys;
	for (int n = 0; y <= v->y1 && n < 200; y += ys, n++) {
		int64_t x, dy;
		tl_plot_map(p, v, v->t0, y, &x, &dy);
		int row = (int)(dy / 4);
		if (row < 0 || row >= L->rows)
			continue;
		tl_tsg_format_bytes(y, ys, buf, sizeof buf);
		char cell[64];
		snprintf(cell, sizeof cell, "%*.*s", MARGIN - 2, MARGIN - 2,
		         buf);
		ui_put(ui, L->y_plot + row, 0, L->x_plot - 2, cell, R_HINT,
		       false);
		ui_put(ui, L->y_plot + row, L->x_plot - 1, 1,
		       ui->utf8 ? "\u2524" : "+", R_HINT, false);
	}
	int64_t ts = tl_tsg_tick(v->t1 - v->t0, L->cols / 14 > 1
	                                        ? L->cols / 14 : 2);
	int64_t t = v->t0 / ts * ts;
	if (t < v->t0)
		t += ts;
	int next_free = 0;
	for (int n = 0; t <= v->t1 && n < 200; t += ts, n++) {
		int64_t x, dy;
		tl_plot_map(p, v, t, v->y0, &x, &dy);
		int col = L->x_plot + (int)(x / 2);
		tl_tsg_format_time(t, ts, buf, sizeof buf);
		int w = ui_text_width(buf);
		int at = col - w / 2;
		if (at < next_free || at + w >= ui->cols)
			continue;
		ui_put(ui, L->y_xaxis, col, 1, ui->utf8 ? "\u2575" : "'",
		       R_HINT, false);
		if (at + w < ui->cols)
			ui_put(ui, L->y_xaxis, at < L->x_plot ? L->x_plot : at,
			       w, buf, R_HINT, false);
		next_free = at + w + 2;
	}
}

static void info(struct ui *ui, const struct glayout *L)
{
	ui_set_role(ui, R_HINT, false);
	for (int x = 0; x < ui->cols; x++)
		mvaddstr(L->y_sep, x, ui->gl->hbar);
	attrset(A_NORMAL);
	struct tl_tsg *g = tsg(ui);
	if (!g || !g->seg_count)
		return;
	uint32_t idx = cur_seg(ui);
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	const struct tl_seg_note *note = tl_segstore_note(&ui->m.segs, idx);
	const struct tl_conn *conn = tl_tracker_stream(&ui->m.tracker,
	                                               seg->stream);
	char label[512] = "", an[512], line[1024], t[32];
	if (conn)
		tl_label_segment(seg, conn, TL_LABEL_ALL, ui->absolute_seq,
		                 label, sizeof label);
	t[tl_format_us(tl_seg_time_us(seg), t)] = '\0';
	snprintf(line, sizeof line, "frame %u  %s s  %s  %s", seg->frame, t,
	         tl_seg_dir(seg) == g->dir ? "data " : "ack ", label);
	int w = ui_put(ui, L->y_info, 1, ui->cols - 2, line, R_NORMAL, true);
	tl_label_analysis(seg, note, !ui->utf8, an, sizeof an);
	if (*an && w + 3 < ui->cols - 2)
		ui_put(ui, L->y_info, 1 + w + 2, ui->cols - w - 4, an,
		       ui_analysis_role(seg->analysis), false);
	char sum[256];
	snprintf(sum, sizeof sum, "%u data segments, %u retransmitted, %u "
	         "out of order, %u after a gap, %u dup ACKs",
	         g->data_count, g->rtx, g->ooo, g->lost, g->dupack);
	ui_put(ui, L->y_info + 1, 1, ui->cols - 2, sum, R_HINT, false);
}

static void graph_draw(struct ui *ui)
{
	struct ui_graph_state *gs = &ui->graph;
	if (!gs->built || (ui->m.segs.count != gs->built_count &&
	                   ui_now_ms() - gs->built_ms >= REBUILD_MS))
		build(ui);
	struct tl_tsg *g = tsg(ui);
	char mid[512], from[80] = "?", to[80] = "?";
	const struct tl_conn *conn = tl_tracker_stream(&ui->m.tracker,
	                                               gs->stream);
	if (conn && g)
		tl_format_endpoints(conn, g->dir, from, to, sizeof from);
	const char *base = strrchr(ui->input_name, '/');
	base = base ? base + 1 : ui->input_name;
	/* Which graph first: a narrow title cuts the file name, not it. */
	snprintf(mid, sizeof mid, "%s%s  stream %u  %s %s %s  %s",
	         kind_names[gs->kind & 1], gs->have_view ? " (zoomed)" : "",
	         gs->stream, from, ui->gl->arrow, to, base);
	ui_draw_title(ui, mid, "? help  q back");
	struct glayout L;
	glayout(ui, &L);
	if (!gs->built || !g) {
		ui_put(ui, 3, 2, ui->cols - 4, "Nothing to draw.", R_HINT,
		       false);
		ui_draw_status(ui, "q back");
		return;
	}
	legend(ui, L.y_legend);
	struct tl_tsg_view v;
	view_of(ui, &v);
	struct tl_plot p;
	tl_plot_init(&p, L.cols, L.rows);
	tl_tsg_plot(g, (enum tl_graph_kind)gs->kind, &v, &p);
	axes(ui, &L, &v, &p);
	int64_t ct, cy, cx = -1, crow = -1;
	if (cursor_point(ui, &ct, &cy)) {
		int64_t x, dy;
		tl_plot_map(&p, &v, ct, cy, &x, &dy);
		cx = x >= 0 && x < p.w ? x / 2 : -1;
		crow = dy >= 0 && dy < p.h ? dy / 4 : -1;
	}
	char cell[8];
	for (int r = 0; r < L.rows; r++) {
		for (int c = 0; c < L.cols; c++) {
			unsigned series, kind;
			tl_plot_cell(&p, c, r, !ui->utf8, cell, &series, &kind);
			bool here = c == cx && r == crow;
			if (c == cx && !here && cell[0] == ' ') {
				ui_put(ui, L.y_plot + r, L.x_plot + c, 1,
				       ui->utf8 ? "\u2502" : ":", R_HINT,
				       false);
				continue;
			}
			if (cell[0] == ' ' && !here)
				continue;
			if (here && cell[0] == ' ')
				snprintf(cell, sizeof cell, "%s",
				         ui->utf8 ? "\u25cf" : "o");
			ui_draw_reverse(here);
			ui_put(ui, L.y_plot + r, L.x_plot + c, 1, cell,
			       series_role(series, kind), here);
			ui_draw_reverse(false);
		}
	}
	tl_plot_free(&p);
	info(ui, &L);
	ui_draw_status(ui, ui->cols >= 110
		? "+/- zoom  arrows pan  0 fit  ,/. segment  a/A next problem"
		  "  x direction  s/b graph  e export  Enter details  q back"
		: "+/- zoom  arrows pan  0 fit  ,/. segment  e export  q back");
}

/* ---- keys ---------------------------------------------------------------- */

static void zoom(struct ui *ui, int in)
{
	struct tl_tsg_view v;
	view_of(ui, &v);
	int64_t t, y;
	if (!cursor_point(ui, &t, &y)) {
		t = v.t0 + (v.t1 - v.t0) / 2;
		y = v.y0 + (v.y1 - v.y0) / 2;
	}
	int64_t tw = v.t1 - v.t0, yh = v.y1 - v.y0;
	if (in) {
		if (tw < 4 && yh < 4)
			return;
		tw = tw / 2 > 2 ? tw / 2 : 2;
		yh = yh / 2 > 2 ? yh / 2 : 2;
	} else {
		struct tl_tsg_view fit;
		tl_tsg_fit(tsg(ui), (enum tl_graph_kind)ui->graph.kind, &fit);
		if (tw * 2 >= fit.t1 - fit.t0 && yh * 2 >= fit.y1 - fit.y0) {
			ui->graph.have_view = false;
			return;
		}
		tw *= 2;
		yh *= 2;
	}
	v.t0 = t - tw / 2;
	v.t1 = v.t0 + tw;
	v.y0 = y - yh / 2;
	v.y1 = v.y0 + yh;
	set_view(ui, &v);
}

static void pan(struct ui *ui, int dx, int dy)
{
	struct tl_tsg_view v;
	view_of(ui, &v);
	int64_t tw = v.t1 - v.t0, yh = v.y1 - v.y0;
	v.t0 += dx * (tw / 4 ? tw / 4 : 1);
	v.t1 = v.t0 + tw;
	v.y0 += dy * (yh / 4 ? yh / 4 : 1);
	v.y1 = v.y0 + yh;
	set_view(ui, &v);
}

static void next_annotated(struct ui *ui, int dir)
{
	struct tl_tsg *g = tsg(ui);
	for (int64_t i = (int64_t)ui->graph.cur + dir;
	     i >= 0 && i < g->seg_count; i += dir) {
		const struct tl_seg *s = tl_segstore_get(&ui->m.segs,
		                                         g->segs[i]);
		if (s->analysis & TL_AN_WIRESHARK_MASK) {
			set_cursor(ui, i);
			return;
		}
	}
	ui_message(ui, false, "No %s annotated segment",
	           dir > 0 ? "later" : "earlier");
}

/* / n N, as in every view: a frame number, or text of a segment's label
 * or analysis words (the line under the graph shows both). */
static char graph_search[128];

static bool graph_seg_has(struct ui *ui, uint32_t idx, const char *want)
{
	const struct tl_seg *s = tl_segstore_get(&ui->m.segs, idx);
	char *end;
	unsigned long frame = strtoul(want, &end, 10);
	if (*want && !*end)
		return s->frame >= frame;
	char buf[1024];
	const struct tl_conn *c = tl_tracker_stream(&ui->m.tracker, s->stream);
	size_t n = tl_label_segment(s, c, TL_LABEL_ALL, ui->absolute_seq, buf,
	                            sizeof buf);
	if (s->analysis && n + 2 < sizeof buf) {
		buf[n++] = ' ';
		tl_label_analysis(s, tl_segstore_note(&ui->m.segs, idx),
		                  !ui->utf8, buf + n, sizeof buf - n);
	}
	return strcasestr(buf, want) != NULL;
}

static void graph_find(struct ui *ui, int dir, bool here)
{
	struct tl_tsg *g = tsg(ui);
	if (!g || !graph_search[0]) {
		ui_message(ui, false, "No search yet: / asks for one");
		return;
	}
	for (int64_t i = (int64_t)ui->graph.cur + (here ? 0 : dir);
	     i >= 0 && i < g->seg_count; i += dir) {
		if (graph_seg_has(ui, g->segs[i], graph_search)) {
			set_cursor(ui, i);
			return;
		}
	}
	ui_message(ui, true, "Not found %s: %s", dir > 0 ? "later" : "earlier",
	           graph_search);
}

static void graph_search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !text[0])
		return;
	snprintf(graph_search, sizeof graph_search, "%s", text);
	/* A frame number counts from the start. */
	char *end;
	(void)strtoul(text, &end, 10);
	if (!*end)
		set_cursor(ui, 0);
	graph_find(ui, 1, true);
}

static enum ui_key_result graph_key(struct ui *ui, int ch)
{
	struct ui_graph_state *gs = &ui->graph;
	struct tl_tsg *g = tsg(ui);
	if (!gs->built || !g)
		return UI_KEY_UNHANDLED;
	switch (ch) {
	case '+': case '=': zoom(ui, 1); break;
	case '-': case '_': zoom(ui, 0); break;
	case '0': gs->have_view = false; break;
	case KEY_LEFT: case 'h': pan(ui, -1, 0); break;
	case KEY_RIGHT: case 'l': pan(ui, 1, 0); break;
	case KEY_UP: case 'k': pan(ui, 0, 1); break;
	case KEY_DOWN: case 'j': pan(ui, 0, -1); break;
	case '.': case '>': case ']': set_cursor(ui, (int64_t)gs->cur + 1);
		break;
	case ',': case '<': case '[': set_cursor(ui, (int64_t)gs->cur - 1);
		break;
	case KEY_NPAGE: set_cursor(ui, (int64_t)gs->cur + 20); break;
	case KEY_PPAGE: set_cursor(ui, (int64_t)gs->cur - 20); break;
	case KEY_HOME: case 'g': set_cursor(ui, 0); break;
	case KEY_END: case 'G':
		set_cursor(ui, (int64_t)g->seg_count - 1);
		break;
	case 'a': next_annotated(ui, 1); break;
	case 'A': next_annotated(ui, -1); break;
	case '/':
		ui_prompt_start(ui, "Search (frame number or text): ", "",
		                false, graph_search_done);
		break;
	case 'n': graph_find(ui, 1, false); break;
	case 'N': graph_find(ui, -1, false); break;
	case 's': case 'b':     /* time-sequence, bytes in flight */
		if (gs->kind != (ch == 'b')) {
			gs->kind = ch == 'b';
			gs->have_view = false;
		}
		break;
	case 'x':
		gs->dir = (int)!g->dir;
		gs->have_view = false;
		build(ui);
		ui_message(ui, false, "Data the other way: from the %s",
		           gs->dir == 0 ? "client (first sender)" : "server");
		break;
	case 'e': {
		struct tl_tsg_view v;
		view_of(ui, &v);
		ui_export_graph(ui, gs->kind, gs->stream, (int)g->dir,
		                gs->have_view ? &v : NULL);
		break;
	}
	case '\n': case '\r': case KEY_ENTER:
		ui_ladder_select_seg(ui, cur_seg(ui));
		ui->detail.back = UI_VIEW_GRAPH;
		ui_set_view(ui, UI_VIEW_DETAIL);
		break;
	default:
		return UI_KEY_UNHANDLED;
	}
	return UI_KEY_HANDLED;
}

/* A click puts the cursor on the segment nearest in time. */
static void graph_mouse(struct ui *ui, int y, int x, int wheel)
{
	struct tl_tsg *g = tsg(ui);
	if (!ui->graph.built || !g || !g->seg_count)
		return;
	if (wheel) {
		zoom(ui, wheel < 0);
		return;
	}
	struct glayout L;
	glayout(ui, &L);
	if (y < L.y_plot || y >= L.y_plot + L.rows || x < L.x_plot)
		return;
	struct tl_tsg_view v;
	view_of(ui, &v);
	int64_t t = v.t0 + (int64_t)((double)(x - L.x_plot) * 2 *
	                             (double)(v.t1 - v.t0) / (L.cols * 2 - 1));
	uint32_t lo = 0, hi = g->flight_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->flight[mid].t_us < t) lo = mid + 1; else hi = mid;
	}
	if (lo > 0 && (lo == g->flight_count ||
	               t - g->flight[lo - 1].t_us < g->flight[lo].t_us - t))
		lo--;
	set_cursor(ui, lo);
}

static void graph_enter(struct ui *ui)
{
	struct ui_graph_state *gs = &ui->graph;
	struct tl_tsg *g = tsg(ui);
	ui->ladder.follow = false;
	/* Back from the details view, which may have moved on (n, p). */
	if (gs->built && g && g->seg_count && ui_ladder_count(ui)) {
		uint32_t seg = ui_ladder_seg_at(ui, ui->ladder.cur);
		const struct tl_seg *s = tl_segstore_get(&ui->m.segs, seg);
		if (s->stream == gs->stream && seg != cur_seg(ui)) {
			gs->cur = tl_tsg_seg_pos(g, seg);
			follow_cursor(ui);
		}
	}
}

const struct ui_view ui_view_graph = {
	.name = "graph",
	.enter = graph_enter,
	.draw = graph_draw,
	.key = graph_key,
	.mouse = graph_mouse,
};

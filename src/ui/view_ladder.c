/* The ladder: one column per endpoint, one row per segment with its arrow
 * and label, annotations on the right, the selected segment explained at
 * the bottom (or in a details pane). Only the visible rows are drawn. */
#include "config.h"

#include "ui.h"

#include <ctype.h>
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl_app.h"
#include "tl_dfilter.h"
#include "tl_label.h"
#include "tl_explain.h"
#include "tl_fields.h"
#include "tl_layout.h"
#include "tl_match.h"

#define SCROLL_STEP TL_LAYOUT_MIN_GAP
#define AN_SCROLL_STEP 16

static const char *const filter_names[UI_FILTER_COUNT] = {
	"all", "annotated", "client to server", "server to client",
	"display filter",
};

/* The rows on screen at the last draw, for e (export) and the graph. */
static int64_t shown_top, shown_count;

/* ---- rows ---------------------------------------------------------------- */

static bool wanted(const struct ui *ui, uint32_t stream)
{
	const struct ui_ladder_state *l = &ui->ladder;
	return l->all_streams || (stream < l->want_cap && l->want[stream]);
}

/* Wireshark's words or a head-of-line note (a/A, the annotated filter). */
static bool annotated(const struct ui *ui, const struct tl_seg *seg)
{
	return tl_match_annotated(seg, ui->m.app);
}

static bool passes(const struct ui *ui, uint32_t index)
{
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, index);
	if (!wanted(ui, seg->stream))
		return false;
	switch (ui->ladder.filter) {
	case UI_FILTER_ANNOTATED: return annotated(ui, seg);
	case UI_FILTER_DIR0: return tl_seg_dir(seg) == 0;
	case UI_FILTER_DIR1: return tl_seg_dir(seg) == 1;
	case UI_FILTER_DISPLAY:
		if (ui->ladder.fm)
			return ui_fmatch_passes(ui->ladder.fm, seg->frame);
		return tl_dfilter_match_seg(ui->ladder.dfilter, &ui->m, index);
	default: return true;
	}
}

uint32_t ui_ladder_count(const struct ui *ui)
{
	const struct ui_rows *r = &ui->ladder.rows;
	return r->identity ? ui->m.segs.count : r->count;
}

uint32_t ui_ladder_seg_at(const struct ui *ui, int64_t row)
{
	const struct ui_rows *r = &ui->ladder.rows;
	return r->identity ? (uint32_t)row : r->idx[row];
}

/* First row whose segment index is at least seg (rows are in order). */
static int64_t row_of_seg(const struct ui *ui, uint32_t seg)
{
	const struct ui_rows *r = &ui->ladder.rows;
	uint32_t n = ui_ladder_count(ui);
	if (r->identity)
		return seg < n ? seg : (n ? n - 1 : 0);
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (r->idx[mid] < seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? lo : (n ? n - 1 : 0);
}

/* A pick (H) admits the streams that arrived since the last look. */
static void admit_picked(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	const struct tl_tracker *tr = &ui->m.tracker;
	if (l->pick.kind == UI_PICK_NONE || l->pick_streams >= tr->stream_count)
		return;
	if (tr->stream_count > l->want_cap) {
		uint32_t cap = tr->stream_count + tr->stream_count / 2 + 16;
		l->want = tl_xrealloc(l->want, cap, sizeof *l->want);
		memset(l->want + l->want_cap, 0,
		       (cap - l->want_cap) * sizeof *l->want);
		l->want_cap = cap;
	}
	for (; l->pick_streams < tr->stream_count; l->pick_streams++) {
		uint32_t s = l->pick_streams;
		const struct tl_conn *c = tl_tracker_stream(tr, s);
		if (!c || !ui_pick_admits(&l->pick, c))
			continue;
		l->want[s] = true;
		l->want_count++;
		if (l->first_want == UINT32_MAX)
			l->first_want = s;
	}
}

static void add_shown_conns(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	const struct tl_tracker *tr = &ui->m.tracker;
	admit_picked(ui);
	for (; l->ld_streams < tr->stream_count; l->ld_streams++)
		if (wanted(ui, l->ld_streams) && tr->streams[l->ld_streams])
			tl_ladder_add_conn(&l->ld, tr->streams[l->ld_streams]);
}

static void set_filter(struct ui *ui, enum ui_filter f, struct tl_dfilter *df,
                       struct ui_fmatch *fm, const char *text);

/* Extends the rows with the segments read since the last call. */
void ui_ladder_update(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	struct ui_rows *r = &l->rows;
	char why[768];
	uint32_t keep = UINT32_MAX;
	enum ui_fm_check fc = l->filter != UI_FILTER_DISPLAY ? UI_FM_KEEP
		: ui_fmatch_check(ui, l->dfilter, l->dfilter_text, &l->fm, why,
		                  sizeof why);
	if (fc == UI_FM_DROP) {
		/* Every row, said, rather than rows silently wrong. */
		set_filter(ui, UI_FILTER_ALL, NULL, NULL, NULL);
		ui_message(ui, true, "Rows: all: %s", why);
		return;
	}
	if (fc == UI_FM_RESCAN) {
		/* The frames answer now: every row again. */
		keep = r->count ? ui_ladder_seg_at(ui, l->cur) : UINT32_MAX;
		r->count = 0;
		r->scanned = 0;
		r->in_streams = 0;
	}
	add_shown_conns(ui);
	r->identity = l->all_streams && l->filter == UI_FILTER_ALL;
	if (!r->identity) {
		const struct tl_segstore *st = &ui->m.segs;
		for (; r->scanned < st->count; r->scanned++) {
			const struct tl_seg *seg = tl_segstore_get(
				st, r->scanned);
			if (!wanted(ui, seg->stream))
				continue;
			r->in_streams++;
			if (!passes(ui, r->scanned))
				continue;
			r->idx = tl_xgrow(r->idx, &r->cap,
			                  (uint64_t)r->count + 1, 4096,
			                  sizeof *r->idx);
			r->idx[r->count++] = r->scanned;
		}
	}
	uint32_t n = ui_ladder_count(ui);
	if (keep != UINT32_MAX)
		l->cur = row_of_seg(ui, keep);
	if (l->follow && !ui->paused && n)
		l->cur = n - 1;
	if (l->cur >= n)
		l->cur = n ? n - 1 : 0;
}

static void rebuild(struct ui *ui, uint32_t keep_seg)
{
	struct ui_ladder_state *l = &ui->ladder;
	l->rows.count = 0;
	l->rows.scanned = 0;
	l->rows.in_streams = 0;
	tl_ladder_clear(&l->ld);
	l->ld_streams = 0;
	l->hoff = 0;
	l->an_off = 0;
	l->need_nodes = UINT32_MAX;     /* measure the needs again */
	ui_ladder_update(ui);
	l->cur = keep_seg == UINT32_MAX ? 0 : row_of_seg(ui, keep_seg);
	l->top = -1;        /* the next draw centres the cursor */
}

uint32_t ui_ladder_cursor_frame(const struct ui *ui)
{
	if (!ui_ladder_count(ui))
		return 0;
	uint32_t seg = ui_ladder_seg_at(ui, ui->ladder.cur);
	return tl_segstore_get(&ui->m.segs, seg)->frame;
}

void ui_ladder_renumbered(struct ui *ui, uint32_t cursor_frame)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t offset = l->top >= 0 ? l->cur - l->top : -1;
	int hoff = l->hoff;
	uint32_t seg;
	ui_seg_by_frame(ui, cursor_frame, &seg);
	rebuild(ui, seg);
	/* The cursor stays where it was on the screen. */
	l->top = offset >= 0 && l->cur >= offset ? l->cur - offset : -1;
	l->hoff = hoff;
}

void ui_ladder_show_all(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	l->all_streams = true;
	l->pick.kind = UI_PICK_NONE;
	l->want_count = 0;
	l->first_want = 0;
	rebuild(ui, UINT32_MAX);
}

void ui_ladder_show_pick(struct ui *ui, const struct ui_pick *p)
{
	struct ui_ladder_state *l = &ui->ladder;
	if (l->want_cap)
		memset(l->want, 0, l->want_cap * sizeof *l->want);
	l->pick = *p;
	l->pick_streams = 0;
	l->want_count = 0;
	l->first_want = UINT32_MAX;
	l->all_streams = false;
	rebuild(ui, UINT32_MAX);
}

void ui_ladder_show_streams(struct ui *ui, const bool *want, uint32_t n)
{
	struct ui_ladder_state *l = &ui->ladder;
	if (n > l->want_cap) {
		l->want = tl_xrealloc(l->want, n, sizeof *l->want);
		l->want_cap = n;
	}
	memset(l->want, 0, l->want_cap * sizeof *l->want);
	l->want_count = 0;
	l->first_want = UINT32_MAX;
	l->pick.kind = UI_PICK_NONE;
	for (uint32_t i = 0; i < n; i++) {
		if (!want[i])
			continue;
		l->want[i] = true;
		l->want_count++;
		if (l->first_want == UINT32_MAX)
			l->first_want = i;
	}
	l->all_streams = false;
	rebuild(ui, UINT32_MAX);
}

/* ---- layout -------------------------------------------------------------- */

struct layout {
	bool multi;             /* stream column */
	int stream_w, frame_w, time_w, decimals;
	int x_stream, x_frame, x_time, x_body;
	int body_w;             /* visible body cells */
	int virt_w;             /* laid-out body width (>= body_w: scroll) */
	int x_an, an_w;
	int header_rows;
	int y_body, body_rows;
	int y_info, info_rows;  /* below the separator */
	int y_sep;
	struct tl_ladder_geometry geo;
};

static int digits(uint64_t v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static bool multi_stream(const struct ui *ui)
{
	const struct ui_ladder_state *l = &ui->ladder;
	return l->all_streams ? ui->m.tracker.stream_count > 1
	                      : l->want_count > 1;
}

static const struct tl_conn *conn_of(const struct ui *ui,
                                     const struct tl_seg *seg)
{
	return tl_tracker_stream(&ui->m.tracker, seg->stream);
}

/* The widest whole label and analysis text of the rows about to be
 * drawn. The needs only grow while the same rows are shown, so arrows do
 * not change length as the cursor moves. */
static void measure_needs(struct ui *ui, int64_t top, int rows)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui);
	if (l->need_nodes != l->ld.node_count) {
		l->need_nodes = l->ld.node_count;
		l->label_need = l->label_min = l->an_need = 0;
	}
	if (top < 0)
		top = 0;
	for (int64_t r = top; r < top + rows && r < n; r++) {
		uint32_t idx = ui_ladder_seg_at(ui, r);
		const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
		char buf[1024];
		tl_layout_label_full(seg, conn_of(ui, seg),
		                     tl_segstore_sack(&ui->m.segs, idx),
		                     ui->absolute_seq, buf, sizeof buf);
		int w = tl_layout_cells(buf);
		if (w > l->label_need)
			l->label_need = w;
		unsigned tries[TL_LAYOUT_MAX_TRIES];
		size_t nt = tl_layout_label_tries(seg, tries);
		tl_label_segment(seg, conn_of(ui, seg), tries[nt - 1],
		                 ui->absolute_seq, buf, sizeof buf);
		w = tl_layout_cells(buf);
		if (w > l->label_min)
			l->label_min = w;
		tl_layout_notes(seg, tl_segstore_note(&ui->m.segs, idx),
		                ui->m.app, !ui->utf8, buf, sizeof buf);
		w = tl_layout_cells(buf);
		if (w > l->an_need)
			l->an_need = w;
	}
}

static void layout(struct ui *ui, struct layout *L, int header_rows)
{
	struct ui_ladder_state *l = &ui->ladder;
	int W = ui->cols;
	memset(L, 0, sizeof *L);
	L->multi = multi_stream(ui);
	L->decimals = W >= 100 ? 6 : 4;
	uint32_t last_frame = ui->m.frames;
	L->frame_w = digits(last_frame) < 3 ? 3 : digits(last_frame);
	int64_t last_us = 0;
	if (ui->m.segs.count)
		last_us = tl_seg_time_us(tl_segstore_get(&ui->m.segs,
		                                         ui->m.segs.count - 1));
	int secs = digits((uint64_t)(last_us < 0 ? 0 : last_us / 1000000));
	switch (ui->time_format) {
	case TL_TIME_ABSOLUTE: L->time_w = 9 + L->decimals; break;
	case TL_TIME_DELTA: L->time_w = 2 + secs + L->decimals; break;
	default: L->time_w = 1 + secs + L->decimals; break;
	}
	if (L->time_w < 5)
		L->time_w = 5;
	int x = 1;
	if (L->multi) {
		uint32_t maxs = ui->m.tracker.stream_count;
		L->stream_w = digits(maxs ? maxs - 1 : 0);
		if (L->stream_w < 2)
			L->stream_w = 2;
		L->x_stream = x;
		x += L->stream_w + 1;
	}
	L->x_frame = x;
	x += L->frame_w + 2;
	L->x_time = x;
	x += L->time_w + 2;
	L->x_body = x;
	struct tl_layout_want want = {
		.width = W - x - 1,
		.columns = l->ld.node_count,
		.label_need = l->label_need,
		.label_min = l->label_min,
		.an_need = l->an_need,
	};
	struct tl_layout_split sp;
	tl_layout_split(&want, &sp);
	L->body_w = sp.body_w;
	L->virt_w = sp.virt_w > UI_MAX_COLS ? UI_MAX_COLS : sp.virt_w;
	L->an_w = sp.an_w;
	L->x_an = L->x_body + sp.an_x;
	tl_ladder_geometry(&l->ld, 0, L->virt_w, &L->geo);
	if (l->hoff > L->virt_w - L->body_w)
		l->hoff = L->virt_w - L->body_w;
	if (l->hoff < 0)
		l->hoff = 0;

	L->header_rows = header_rows;
	L->y_body = 1 + header_rows;
	int H = ui->rows;
	if (l->split) {
		int top = (H - L->y_body - 2) / 2;
		if (top < 3)
			top = 3;
		L->body_rows = top;
		L->y_sep = L->y_body + top;
		L->y_info = L->y_sep + 1;
		L->info_rows = H - 1 - L->y_info;
	} else {
		L->info_rows = H >= 30 ? 3 : 2;
		L->y_sep = H - 2 - L->info_rows;
		L->y_info = L->y_sep + 1;
		L->body_rows = L->y_sep - L->y_body;
	}
	if (L->body_rows < 1)
		L->body_rows = 1;
}

static int per_row(const struct ui *ui)
{
	return ui->ladder.two_rows ? 2 : 1;
}

static int visible_segments(const struct ui *ui, const struct layout *L)
{
	int n = L->body_rows / per_row(ui);
	return n < 1 ? 1 : n;
}

/* Keeps the cursor on screen, a few rows from the edges when scrolling. */
static void clamp_top(struct ui *ui, const struct layout *L)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui), vis = visible_segments(ui, L);
	if (l->top < 0)
		l->top = l->cur - vis / 2;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + vis)
		l->top = l->cur - vis + 1;
	if (l->top > n - vis)
		l->top = n - vis;
	if (l->top < 0)
		l->top = 0;
}

/* ---- one row ------------------------------------------------------------- */

/* Columns whose anchor is on the laid-out body: all of them unless there
 * are more than UI_MAX_COLS (every connection of a big capture), when the
 * others would be drawn on top of each other at the right edge, once per
 * row: 100k columns made each screen cost a few million cells. */
static uint32_t visible_nodes(const struct ui *ui, const struct layout *L)
{
	uint32_t n = ui->ladder.ld.node_count;
	if (L->geo.column_gap <= 0)
		return n;
	uint64_t fit = (uint64_t)(L->virt_w - L->geo.first_anchor) /
	               (uint64_t)L->geo.column_gap + 1;
	return fit < n ? (uint32_t)fit : n;
}

static void lifelines(const struct ui *ui, struct ui_line *line,
                      const struct layout *L)
{
	ui_line_clear(line, L->virt_w);
	for (uint32_t n = 0; n < visible_nodes(ui, L); n++)
		ui_line_put(line, tl_ladder_anchor(&L->geo, n), ui->gl->vbar,
		            R_HINT);
}

/* The longest label that fits in room cells, parts dropped in the
 * layout's order (tl_layout_label_tries); -1: the caller cuts. */
static int fit_label(const struct ui *ui, const struct tl_seg *seg,
                     uint32_t idx, int room, char *buf, size_t size)
{
	return tl_layout_label_sack(seg, conn_of(ui, seg),
	                            tl_segstore_sack(&ui->m.segs, idx),
	                            ui->absolute_seq, room, buf, size);
}

static int arrow_role(const struct layout *L, const struct tl_seg *seg)
{
	int role = ui_analysis_role(seg->analysis);
	if (role != R_NORMAL && role != R_CHANGE)
		return role;
	return L->multi ? ui_stream_role(seg->stream) : R_NORMAL;
}

/* Draws the arrow into line; returns where a label may go. */
static void arrow(const struct ui *ui, struct ui_line *line, int a, int b,
                  int role, int *label_x, int *room)
{
	const struct ui_glyphs *g = ui->gl;
	int lo = a < b ? a : b, hi = a < b ? b : a;
	if (a == b)
		hi = lo + 3;
	for (int x = lo + 1; x < hi; x++)
		ui_line_put(line, x, g->hbar, role);
	ui_line_put(line, lo, g->left_end, role);
	ui_line_put(line, hi, a == b ? g->head_left : g->right_end, role);
	if (a < b)
		ui_line_put(line, hi - 1, g->head_right, role);
	else
		ui_line_put(line, lo + 1, g->head_left, role);
	*label_x = lo + 3;
	*room = hi - lo - 5;
}

static void draw_prefix(struct ui *ui, const struct layout *L, int y,
                        const struct tl_seg *seg, const struct tl_seg *prev,
                        bool selected)
{
	char buf[48];
	int attr_role = R_NORMAL;
	if (selected) {
		attrset(A_REVERSE);
		mvhline(y, 0, ' ', ui->cols);
		attrset(A_NORMAL);
	}
	ui_draw_reverse(selected);
	if (L->multi) {
		snprintf(buf, sizeof buf, "%*u", L->stream_w, seg->stream);
		ui_put(ui, y, L->x_stream, L->stream_w, buf,
		       ui_stream_role(seg->stream), false);
	}
	snprintf(buf, sizeof buf, "%*u", L->frame_w, seg->frame);
	ui_put(ui, y, L->x_frame, L->frame_w, buf, attr_role, false);
	ui_format_time(ui, tl_seg_time_us(seg),
	               prev ? tl_seg_time_us(prev) : 0, prev != NULL,
	               L->decimals, buf, sizeof buf);
	char padded[64];
	snprintf(padded, sizeof padded, "%*s", L->time_w, buf);
	ui_put(ui, y, L->x_time, L->time_w, padded, R_NORMAL, false);
	ui_draw_reverse(false);
}

/* The analysis column: Wireshark's words, then the application label or
 * head-of-line note. Cut text ends in an ellipsis; h/l (when the ladder
 * itself does not scroll) move along it, and an ellipsis on the left says
 * there is more before. */
static void draw_analysis(struct ui *ui, const struct layout *L, int y,
                          const struct tl_seg *seg, uint32_t idx,
                          bool selected)
{
	if (!L->an_w)
		return;
	char an[1024];
	tl_layout_notes(seg, tl_segstore_note(&ui->m.segs, idx), ui->m.app,
	                !ui->utf8, an, sizeof an);
	if (!an[0])
		return;
	int role = seg->analysis ? ui_analysis_role(seg->analysis) : R_HINT;
	int cells = tl_layout_cells(an);
	int off = ui->ladder.an_off;
	if (off > cells - L->an_w + 1)
		off = cells - L->an_w + 1;
	if (off < 0)
		off = 0;
	const char *p = an + tl_layout_prefix_bytes(an, off);
	int x = L->x_an, w = L->an_w;
	ui_draw_reverse(selected);
	if (off > 0) {
		ui_put(ui, y, x, 1, ui->gl->ellipsis, role, false);
		p += tl_layout_prefix_bytes(p, 1);
		x++;
		w--;
	}
	ui_put(ui, y, x, w, p, role, false);   /* marks a cut itself */
	ui_draw_reverse(false);
}

/* The sender model's phase band in the gutter left of the frame numbers:
 * a cell in the phase's colour (reversed, so the gutter reads as a band
 * and the screen's text is unchanged); without colour the phase's letter
 * where it starts (and on the top row) and a bar while it lasts. Blank
 * where the model has no value. Legend in the help ("Phase band"). */
static void draw_phase(struct ui *ui, int y, int rows, int64_t row,
                       uint32_t idx, bool selected)
{
	static const char letter[] = "SART";
	static const int role[] = { R_GRAPH_ACK, R_LOST, R_DUPACK, R_RTX };
	struct tl_sender_vals v, pv;
	tl_segstore_sender(&ui->m.segs, idx, &v);
	if (!v.valid || v.phase > TL_PHASE_RTO_RECOVERY)
		return;
	bool start = row == 0 || row == ui->ladder.top;
	if (!start) {
		tl_segstore_sender(&ui->m.segs, ui_ladder_seg_at(ui, row - 1),
		                   &pv);
		start = !pv.valid || pv.phase != v.phase;
	}
	char g[2] = { letter[v.phase], 0 };
	ui_draw_reverse(ui->color || selected);
	for (int i = 0; i < rows; i++)
		ui_put(ui, y + i, 0, 1, ui->color ? " " : start && !i ? g
		       : ui->utf8 ? "\u2503" : "|", role[v.phase],
		       !ui->color && start && !i);
	ui_draw_reverse(false);
}

static void draw_segment(struct ui *ui, const struct layout *L, int y,
                         int64_t row, bool selected)
{
	static struct ui_line line, text;
	struct ui_ladder_state *l = &ui->ladder;
	uint32_t idx = ui_ladder_seg_at(ui, row);
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	const struct tl_seg *prev = row > 0
		? tl_segstore_get(&ui->m.segs, ui_ladder_seg_at(ui, row - 1))
		: NULL;
	uint32_t from, to;
	if (!tl_ladder_arrow(&l->ld, seg, &from, &to))
		return;
	int a = tl_ladder_anchor(&L->geo, from);
	int b = tl_ladder_anchor(&L->geo, to);
	int role = arrow_role(L, seg);
	lifelines(ui, &line, L);
	int lx, room;
	arrow(ui, &line, a, b, role, &lx, &room);
	/* When the ladder scrolls sideways, keep the label on the part of
	 * the arrow that is on screen. */
	int lo = a < b ? a : b, hi = a < b ? b : a;
	if (lo < l->hoff || hi >= l->hoff + L->body_w) {
		int vlo = lo < l->hoff ? l->hoff - 2 : lo;
		int vhi = hi >= l->hoff + L->body_w ? l->hoff + L->body_w + 1
		                                    : hi;
		lx = vlo + 3;
		room = vhi - vlo - 5;
	}
	char label[512];
	int y_arrow = y;
	if (l->two_rows) {
		/* Label on its own line above the arrow, centred on it. */
		lifelines(ui, &text, L);
		int len = fit_label(ui, seg, idx, L->body_w - 2, label,
		                    sizeof label);
		bool cut = len < 0;
		if (cut)
			len = L->body_w - 2;
		int x = (lo + hi) / 2 - len / 2;
		if (x + len > l->hoff + L->body_w)
			x = l->hoff + L->body_w - len;
		if (x < l->hoff)
			x = l->hoff;
		int used = ui_line_text(&text, x, label, cut ? len - 1 : len,
		                        R_NORMAL);
		if (cut)
			ui_line_put(&text, x + used, ui->gl->ellipsis, R_NORMAL);
		draw_prefix(ui, L, y, seg, prev, selected);
		ui_line_draw(ui, &text, y, l->hoff, l->hoff + L->body_w,
		             L->x_body, selected);
		draw_analysis(ui, L, y, seg, idx, selected);
		y_arrow = y + 1;
		if (selected) {
			attrset(A_REVERSE);
			mvhline(y_arrow, 0, ' ', ui->cols);
			attrset(A_NORMAL);
		}
	} else {
		int len = room >= 3 ? fit_label(ui, seg, idx, room - 2,
		                                label, sizeof label) : 0;
		if (room >= 3) {
			if (len < 0)
				len = room - 2;
			/* The label rides on the arrow, near the sender. */
			int x = a <= b ? lx : lx + room - len - 2;
			ui_line_put(&line, x, " ", role);
			int used = ui_line_text(&line, x + 1, label, len,
			                        R_NORMAL);
			if (used < ui_text_width(label))
				ui_line_put(&line, x + used, ui->gl->ellipsis,
				            R_NORMAL);
			ui_line_put(&line, x + 1 + used, " ", role);
		}
		draw_prefix(ui, L, y, seg, prev, selected);
		draw_analysis(ui, L, y, seg, idx, selected);
	}
	ui_line_draw(ui, &line, y_arrow, l->hoff, l->hoff + L->body_w,
	             L->x_body, selected);
	draw_phase(ui, y, y_arrow - y + 1, row, idx, selected);
}

/* Kernel drops counted between the row before this one and this one (or,
 * with last, after this last row): one screen line across the ladder,
 * "── 5,533 packets dropped by the kernel here ──". Returns the lines
 * used: 0 or 1. */
static int drop_line_y[64], drop_lines;   /* where they were drawn */

static int draw_drops(struct ui *ui, const struct layout *L, int y,
                      int64_t row, bool last)
{
	uint32_t lo = 0, hi = UINT32_MAX;
	if (!ui->m.drops.count || y >= L->y_body + L->body_rows ||
	    drop_lines == 64)
		return 0;
	uint32_t here = tl_segstore_get(&ui->m.segs,
	                                ui_ladder_seg_at(ui, row))->frame;
	if (last)
		lo = here;
	else
		hi = here;
	if (!last && row > 0)
		lo = tl_segstore_get(&ui->m.segs,
		                     ui_ladder_seg_at(ui, row - 1))->frame;
	uint64_t n = tl_model_drops_between(&ui->m, lo, hi);
	if (!n)
		return 0;
	char what[96], line[160];
	tl_drop_text(n, what, sizeof what);
	snprintf(line, sizeof line, "%s%s %s %s%s", ui->gl->hbar,
	         ui->gl->hbar, what, ui->gl->hbar, ui->gl->hbar);
	move(y, 0);
	clrtoeol();
	ui_put(ui, y, L->x_body, ui->cols - L->x_body, line, R_LOST, true);
	drop_line_y[drop_lines++] = y;
	return 1;
}

/* The screen line y without the marker lines drawn above it, for the
 * mouse: which row was clicked. */
static int y_without_drops(int y)
{
	int above = 0;
	for (int i = 0; i < drop_lines; i++)
		above += drop_line_y[i] < y;
	return y - above;
}

/* ---- the frame the cursor's ACK acknowledges ------------------------------ */

/* The kept segment the cursor's ACK acknowledges (tcp.analysis.acks_frame),
 * or UINT32_MAX. */
static uint32_t acked_by_cursor(const struct ui *ui)
{
	uint32_t j;
	int64_t rtt;
	if (!ui_ladder_count(ui) ||
	    !tl_seg_acked(&ui->m, ui_ladder_seg_at(ui, ui->ladder.cur), &j,
	                  &rtt))
		return UINT32_MAX;
	return j;
}

/* Marks that row: its frame number stands out, an arrowhead after it. */
static void draw_acked_mark(struct ui *ui, const struct layout *L, int y,
                            const struct tl_seg *seg)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%*u", L->frame_w, seg->frame);
	ui_put(ui, y, L->x_frame, L->frame_w, buf, R_GRAPH_ACK, true);
	ui_put(ui, y, L->x_frame + L->frame_w, 1,
	       ui->utf8 ? "\u25c0" : "<", R_GRAPH_ACK, true);
}

/* ---- header, info, title ----------------------------------------------------- */

static int header_lines(const struct ui *ui, const struct layout *L,
                        struct ui_line lines[2])
{
	const struct tl_ladder *ld = &ui->ladder.ld;
	int next_free[2] = { 0, 0 }, rows = 1;
	ui_line_clear(&lines[0], L->virt_w);
	ui_line_clear(&lines[1], L->virt_w);
	for (uint32_t n = 0; n < visible_nodes(ui, L); n++) {
		const char *name = ld->nodes[n].name;
		int len = ui_text_width(name);
		int x = tl_ladder_anchor(&L->geo, n) - len / 2;
		if (n == 0)
			x = 0;
		if (x + len > L->virt_w)
			x = L->virt_w - len;
		if (x < 0)
			x = 0;
		int line = x >= next_free[0] ? 0 : 1;
		if (line == 1 && x < next_free[1])
			x = next_free[1];
		if (line == 1)
			rows = 2;
		ui_line_text(&lines[line], x, name, L->virt_w - x, R_HEADER);
		next_free[line] = x + len + 2;
	}
	return rows;
}

static void draw_header(struct ui *ui, const struct layout *L,
                        struct ui_line lines[2])
{
	int y = 1;
	for (int r = 0; r < L->header_rows; r++) {
		for (int x = 0; x < lines[r].width; x++)
			lines[r].c[x].bold = 1;
		ui_line_draw(ui, &lines[r], y + r, ui->ladder.hoff,
		             ui->ladder.hoff + L->body_w, L->x_body, false);
	}
	if (L->multi)
		ui_put(ui, y, L->x_stream, L->stream_w, "st", R_HEADER, true);
	char buf[32];
	snprintf(buf, sizeof buf, "%*s", L->frame_w, "#");
	ui_put(ui, y, L->x_frame, L->frame_w, buf, R_HEADER, true);
	const char *tn = ui->time_format == TL_TIME_DELTA ? "delta"
	               : ui->time_format == TL_TIME_ABSOLUTE ? "time of day"
	                                                    : "time";
	/* Fewer decimals than the capture has: the header says so (the
	 * footer gives the cursor row's time whole). */
	char th[48];
	snprintf(th, sizeof th, "%s%s", tn,
	         L->decimals < 6 ? ui->gl->ellipsis : "");
	ui_put(ui, y, L->x_time, L->time_w, th, R_HEADER, true);
	if (L->an_w)
		ui_put(ui, y, L->x_an, L->an_w, "analysis", R_HEADER, true);
	if (ui->ladder.hoff > 0)
		ui_put(ui, y, L->x_body - 2, 1, "<", R_HINT, false);
	if (ui->ladder.hoff < L->virt_w - L->body_w)
		ui_put(ui, y, L->x_body + L->body_w, 1, ">", R_HINT, false);
}

/* Columns off the screen (many hosts, a live capture): which are shown,
 * how to reach the others, and how to show fewer. */
static bool columns_hint(const struct ui *ui, const struct layout *L,
                         char *buf, size_t size)
{
	uint32_t nodes = ui->ladder.ld.node_count, first = UINT32_MAX, last = 0;
	if (L->virt_w <= L->body_w || nodes < 3)
		return false;
	for (uint32_t i = 0; i < nodes; i++) {
		int x = tl_ladder_anchor(&L->geo, i) - ui->ladder.hoff;
		if (x < 0 || x >= L->body_w)
			continue;
		if (first == UINT32_MAX)
			first = i;
		last = i;
	}
	if (first == UINT32_MAX)
		return false;
	snprintf(buf, size, "columns %u-%u of %u: h l scroll  H one host or "
	         "port  ? keys", first + 1, last + 1, nodes);
	return true;
}

/* Word-wraps text into at most rows lines starting at y. */
static void wrap_text(struct ui *ui, int y, int x, int rows, int width,
                      const char *text, int role)
{
	const char *p = text;
	for (int r = 0; r < rows && *p; r++) {
		int len = (int)strlen(p);
		if (len <= width) {
			ui_put(ui, y + r, x, width, p, role, false);
			return;
		}
		int cut = width;
		if (r == rows - 1) {
			ui_put(ui, y + r, x, width, p, role, false);
			return;
		}
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = width;
		char line[1024];
		snprintf(line, sizeof line, "%.*s", cut, p);
		ui_put(ui, y + r, x, width, line, role, false);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* With the oldest row on screen: did rows of this selection go before
 * it (a memory bound)? A connection outlives its rows, so a ladder that
 * starts after a handshake must say so: some wanted connection began
 * before the oldest row, or (every stream) whole connections went. Under
 * a row filter the first row says nothing of this. */
static bool earlier_rows_gone(const struct ui *ui)
{
	const struct ui_ladder_state *l = &ui->ladder;
	if (!ui->m.evicted.segments || l->top != 0 || !ui_ladder_count(ui) ||
	    l->filter != UI_FILTER_ALL)
		return false;
	if (l->all_streams && ui->m.evicted.connections)
		return true;
	uint32_t oldest = tl_segstore_get(&ui->m.segs,
	                                  ui_ladder_seg_at(ui, 0))->frame;
	const struct tl_tracker *tr = &ui->m.tracker;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *c = tl_tracker_stream(tr, s);
		if (c && wanted(ui, s) && c->first_frame < oldest)
			return true;
	}
	return false;
}

static void draw_gone_note(struct ui *ui, const struct layout *L)
{
	static const char note[] =
		" earlier rows of this selection were let go (memory limit) ";
	int w = ui_text_width(note);
	int x = ui->cols - w - 2;
	if (x < 0)
		x = 0;
	ui_put(ui, L->y_sep, x, ui->cols - x, note, R_HINT, true);
}

static void draw_info(struct ui *ui, const struct layout *L)
{
	struct ui_ladder_state *l = &ui->ladder;
	uint32_t n = ui_ladder_count(ui);
	ui_set_role(ui, R_HINT, false);
	for (int x = 0; x < ui->cols; x++)
		mvaddstr(L->y_sep, x, ui->gl->hbar);
	attrset(A_NORMAL);
	if (earlier_rows_gone(ui))
		draw_gone_note(ui, L);
	if (!n)
		return;
	uint32_t idx = ui_ladder_seg_at(ui, l->cur);
	if (l->split) {
		ui_detail_build(ui, idx);
		ui_detail_draw_area(ui, L->y_info, L->y_info + L->info_rows,
		                    &l->detail_scroll, l->focus_detail);
		if (l->focus_detail)
			ui_put(ui, L->y_sep, 2, 20, " details (Tab) ",
			       R_HEADER, true);
		return;
	}
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	const struct tl_seg_note *note = tl_segstore_note(&ui->m.segs, idx);
	const struct tl_conn *conn = conn_of(ui, seg);
	unsigned d = tl_seg_dir(seg);
	char src[80], dst[80], flags[64], label[512], line[1024], an[512];
	tl_format_endpoint(conn->ip_version, conn->addr[d], conn->port[d],
	                   src, sizeof src);
	tl_format_endpoint(conn->ip_version, conn->addr[!d], conn->port[!d],
	                   dst, sizeof dst);
	tl_label_flags(tl_seg_flags(seg), flags, sizeof flags);
	size_t ln = tl_label_segment(seg, conn, TL_LABEL_ALL & ~TL_LABEL_SYNOPTS,
	                             ui->absolute_seq, label, sizeof label);
	tl_label_sack(tl_segstore_sack(&ui->m.segs, idx), seg, conn,
	              ui->absolute_seq, label, sizeof label, ln);
	const char *nums = label + strlen(flags);
	snprintf(line, sizeof line, "frame %u  stream %u  %s %s %s  %s%s",
	         seg->frame, seg->stream, src, ui->gl->arrow, dst, flags, nums);
	tl_label_analysis(seg, note, !ui->utf8, an, sizeof an);
	int an_w = ui_text_width(an);
	if (*an && ui_text_width(line) + 2 + an_w > ui->cols - 2) {
		/* Short of room the analysis words come before the
		 * addresses (the column headers name them). */
		snprintf(line, sizeof line, "frame %u  ", seg->frame);
		int w = ui_put(ui, L->y_info, 1, ui->cols - 2, line, R_NORMAL,
		           true);
		mvhline(L->y_info, 1 + w, ' ', ui->cols - 2 - w);
		w += ui_put(ui, L->y_info, 1 + w, ui->cols - 2 - w, an,
		            ui_analysis_role(seg->analysis), false);
		snprintf(line, sizeof line, "  %s%s", flags, nums);
		if (w + 4 < ui->cols - 2)
			ui_put(ui, L->y_info, 1 + w, ui->cols - 2 - w, line,
			       R_NORMAL, true);
	} else {
		int w = ui_put(ui, L->y_info, 1, ui->cols - 2, line, R_NORMAL,
		               true);
		if (*an && w + 3 < ui->cols - 2)
			ui_put(ui, L->y_info, 1 + w + 2, ui->cols - w - 4, an,
			       ui_analysis_role(seg->analysis), false);
	}
	char why[1024];
	tl_explain_segment(&ui->m.segs, idx, conn, why, sizeof why);
	if (!*why) {
		char t[48];
		ui_format_time(ui, tl_seg_time_us(seg), 0, false, 6, t,
		               sizeof t);
		snprintf(why, sizeof why, "%s s  %u bytes of payload  "
		         "window %u  Enter or d: details", t, seg->len,
		         seg->win);
		wrap_text(ui, L->y_info + 1, 1, L->info_rows - 1, ui->cols - 2,
		          why, R_HINT);
		return;
	}
	wrap_text(ui, L->y_info + 1, 1, L->info_rows - 1, ui->cols - 2, why,
	          ui_analysis_role(seg->analysis));
}

/* After a row filter, the title's count says of how many (those of the
 * shown streams), then the filter in force. */
static int filter_title(const struct ui *ui, char *buf, size_t size)
{
	const struct ui_ladder_state *l = &ui->ladder;
	char all[32];
	ui_format_count(l->rows.in_streams, all, sizeof all);
	if (l->filter == UI_FILTER_DISPLAY)
		return snprintf(buf, size, " of %s segments  filter%s: %s",
		                all, l->dfilter_from_cmdline ? " (-Y)" : "",
		                l->dfilter_text);
	return snprintf(buf, size, " of %s segments  filter: %s", all,
	                filter_names[l->filter]);
}

static void draw_title(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	char mid[512], what[96], segs[32];
	uint32_t total = ui->m.tracker.stream_count;
	if (l->all_streams)
		snprintf(what, sizeof what, total == 1 ? "stream 0/1"
		         : "all %u streams", total);
	else if (l->pick.kind != UI_PICK_NONE) {
		char name[64];
		ui_pick_name(&l->pick, name, sizeof name);
		snprintf(what, sizeof what, "%s (%u connection%s)", name,
		         l->want_count, l->want_count == 1 ? "" : "s");
	} else if (l->want_count == 1)
		snprintf(what, sizeof what, "stream %u/%u", l->first_want,
		         total);
	else
		snprintf(what, sizeof what, "%u streams of %u", l->want_count,
		         total);
	ui_format_count(ui_ladder_count(ui), segs, sizeof segs);
	const char *base = strrchr(ui->input_name, '/');
	base = base ? base + 1 : ui->input_name;
	int n = snprintf(mid, sizeof mid, "%s  %s  %s", base, what, segs);
	/* What hides rows first; the modes after (narrow: only a mode
	 * that is not the default, the time column's header names its
	 * own). */
	if (l->filter != UI_FILTER_ALL)
		n += filter_title(ui, mid + n, sizeof mid - (size_t)n);
	else
		n += snprintf(mid + n, sizeof mid - (size_t)n, " segments");
	if (n > 0 && (size_t)n < sizeof mid && ui->cols >= 100)
		snprintf(mid + n, sizeof mid - (size_t)n, "  seq: %s  time: %s",
		         ui->absolute_seq ? "absolute" : "relative",
		         ui_time_name(ui->time_format));
	else if (n > 0 && (size_t)n < sizeof mid && ui->absolute_seq)
		snprintf(mid + n, sizeof mid - (size_t)n, "  seq: absolute");
	ui_draw_title(ui, mid, l->opened_from_list ? "? help  q back  Q quit"
	                                           : "? help  q quit");
}

/* Following a capture with more columns than fit (many hosts), a new
 * row's arrow is brought on the screen: without this the rows of a new
 * connection arrive blank. Only when the followed row changes, so h and
 * l still scroll between arrivals. */
static void follow_columns(struct ui *ui, const struct layout *L)
{
	static uint32_t last_seg = UINT32_MAX;
	struct ui_ladder_state *l = &ui->ladder;
	if (!l->follow || !ui->arriving || L->virt_w <= L->body_w ||
	    !ui_ladder_count(ui))
		return;
	uint32_t idx = ui_ladder_seg_at(ui, l->cur), a, b;
	if (idx == last_seg)
		return;
	last_seg = idx;
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	if (!tl_ladder_arrow(&l->ld, seg, &a, &b))
		return;
	int x0 = tl_ladder_anchor(&L->geo, a < b ? a : b) - 1;
	int x1 = tl_ladder_anchor(&L->geo, a < b ? b : a) + 2;
	if (x0 >= l->hoff && x1 <= l->hoff + L->body_w)
		return;
	l->hoff = x1 - x0 > L->body_w || x0 < l->hoff ? x0 : x1 - L->body_w;
	if (l->hoff > L->virt_w - L->body_w)
		l->hoff = L->virt_w - L->body_w;
	if (l->hoff < 0)
		l->hoff = 0;
}

static void ladder_draw(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	static struct ui_line head[2];
	struct layout L;
	layout(ui, &L, 1);
	clamp_top(ui, &L);
	measure_needs(ui, l->top, visible_segments(ui, &L));
	layout(ui, &L, 1);
	int hr = header_lines(ui, &L, head);
	if (hr != 1)
		layout(ui, &L, hr);
	clamp_top(ui, &L);
	follow_columns(ui, &L);
	draw_title(ui);
	draw_header(ui, &L, head);
	uint32_t n = ui_ladder_count(ui);
	int vis = visible_segments(ui, &L);
	shown_top = l->top;
	shown_count = l->top + vis < (int64_t)n ? vis : (int64_t)n - l->top;
	int y = L.y_body;
	drop_lines = 0;
	uint32_t acked = acked_by_cursor(ui);
	for (int i = 0; i < vis && l->top + i < (int64_t)n; i++) {
		int64_t row = l->top + i;
		/* A marker never pushes the cursor's row off the screen. */
		if (l->cur < row || y + 1 + (l->cur - row + 1) * per_row(ui)
		                    <= L.y_body + L.body_rows)
			y += draw_drops(ui, &L, y, row, false);
		if (y + per_row(ui) > L.y_body + L.body_rows)
			break;
		draw_segment(ui, &L, y, row, row == l->cur);
		if (ui_ladder_seg_at(ui, row) == acked)
			draw_acked_mark(ui, &L, y,
			                tl_segstore_get(&ui->m.segs, acked));
		y += per_row(ui);
		if (row + 1 == (int64_t)n)
			y += draw_drops(ui, &L, y, row, true);
	}
	if (!n) {
		/* An open connection outlives its rows under a memory
		 * bound: its rows went, not its segments. */
		const char *why = l->filter != UI_FILTER_ALL && ui->input_done
			? "No segment passes the filter (f changes it)."
			: ui->m.evicted.segments
			? "The rows of this selection were let go (memory "
			  "limit); newer ones show here."
			: ui->input_done ? "No TCP segments in this capture."
			: "Waiting for TCP segments...";
		ui_put(ui, L.y_body + 1, L.x_body, ui->cols - L.x_body, why,
		       R_HINT, false);
	}
	draw_info(ui, &L);
	char cols_hint[160];
	if (columns_hint(ui, &L, cols_hint, sizeof cols_hint)) {
		ui_draw_status(ui, cols_hint);
		return;
	}
	ui_draw_status(ui, ui->cols >= 110
		? "Enter details  d pane  / search  a/A next problem  f filter"
		  "  t time  r seq  v rows  w save  c connections"
		: "Enter details  / search  a next problem  f filter  ? keys");
}

/* ---- keys ------------------------------------------------------------------- */

static void move_cursor(struct ui *ui, int64_t to)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui);
	if (to >= n)
		to = n - 1;
	if (to < 0)
		to = 0;
	l->cur = to;
	l->follow = ui->arriving && (ui->live || !ui->input_done) &&
	            n && to == n - 1;
	l->detail_scroll = 0;
}

static int page(const struct ui *ui)
{
	struct layout L;
	layout((struct ui *)ui, &L, 1);
	int v = visible_segments(ui, &L) - 1;
	return v < 1 ? 1 : v;
}

/* Matches everything the row shows: label, analysis words, application
 * label or head-of-line note, either end's address:port. */
static bool seg_matches(const struct ui *ui, uint32_t idx,
                        const struct tl_match_query *q)
{
	const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, idx);
	const struct tl_seg_note *note = seg->analysis
		? tl_segstore_note(&ui->m.segs, idx) : NULL;
	if (tl_match_row(seg, note, conn_of(ui, seg), ui->m.app,
	                 ui->absolute_seq, q))
		return true;
	/* The SACK blocks the label shows ("SACK 29-59"). */
	const struct tl_seg_sack *sk = tl_segstore_sack(&ui->m.segs, idx);
	if (!sk)
		return false;
	char buf[256];
	tl_label_sack(sk, seg, conn_of(ui, seg), ui->absolute_seq, buf,
	              sizeof buf, 0);
	return strcasestr(buf, q->text) != NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void search(struct ui *ui, int dir)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui);
	if (!l->search[0]) {
		ui_message(ui, false, "No search yet: press / first");
		return;
	}
	if (!n)
		return;
	if (all_digits(l->search)) {
		uint32_t frame = (uint32_t)strtoul(l->search, NULL, 10), idx;
		bool exact = ui_seg_by_frame(ui, frame, &idx);
		int64_t row = row_of_seg(ui, idx);
		move_cursor(ui, row);
		uint32_t got = tl_segstore_get(&ui->m.segs,
		                               ui_ladder_seg_at(ui, row))->frame;
		if (!exact || got != frame)
			ui_message(ui, false, "Frame %u is not a row here; "
			           "showing frame %u", frame, got);
		return;
	}
	struct tl_match_query q;
	tl_match_compile(&q, l->search);
	for (int64_t i = 1; i <= n; i++) {
		int64_t row = ((l->cur + dir * i) % n + n) % n;
		if (seg_matches(ui, ui_ladder_seg_at(ui, row), &q)) {
			bool wrapped = dir > 0 ? row <= l->cur : row >= l->cur;
			move_cursor(ui, row);
			if (wrapped)
				ui_message(ui, false, "Search wrapped");
			return;
		}
	}
	ui_message(ui, true, "Not found: %s", l->search);
}

static void search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !*text)
		return;
	snprintf(ui->ladder.search, sizeof ui->ladder.search, "%s", text);
	search(ui, 1);
}

static void next_annotated(struct ui *ui, int dir)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui);
	for (int64_t row = l->cur + dir; row >= 0 && row < n; row += dir) {
		const struct tl_seg *seg = tl_segstore_get(
			&ui->m.segs, ui_ladder_seg_at(ui, row));
		if (annotated(ui, seg)) {
			move_cursor(ui, row);
			return;
		}
	}
	ui_message(ui, false, "No %s annotated segment",
	           dir > 0 ? "later" : "earlier");
}

/* ---- the row filter (f, -Y) ----------------------------------------- */

/* The presets by the words the prompt takes for them; Tab cycles them. */
static const struct {
	const char *word;
	enum ui_filter f;
} presets[] = {
	{ "", UI_FILTER_ALL },
	{ "annotated", UI_FILTER_ANNOTATED },
	{ "c2s", UI_FILTER_DIR0 },
	{ "s2c", UI_FILTER_DIR1 },
	{ "all", UI_FILTER_ALL },
};
#define TAB_PRESETS 4           /* the last word is only typed */

/* What the prompt shows for the filter in force. */
static const char *filter_word(const struct ui_ladder_state *l)
{
	if (l->filter == UI_FILTER_DISPLAY)
		return l->dfilter_text;
	for (size_t i = 0; i < TAB_PRESETS; i++)
		if (presets[i].f == l->filter)
			return presets[i].word;
	return "";
}

/* Takes df and fm (NULL for a preset); the cursor stays on its segment,
 * or the next one that passes. */
static void set_filter(struct ui *ui, enum ui_filter f, struct tl_dfilter *df,
                       struct ui_fmatch *fm, const char *text)
{
	struct ui_ladder_state *l = &ui->ladder;
	uint32_t keep = ui_ladder_count(ui)
		? ui_ladder_seg_at(ui, l->cur) : UINT32_MAX;
	ui_fmatch_release(l->fm);
	l->fm = fm;
	tl_dfilter_free(l->dfilter);
	l->dfilter = df;
	snprintf(l->dfilter_text, sizeof l->dfilter_text, "%s",
	         df ? text : "");
	l->dfilter_from_cmdline = false;
	l->filter = f;
	rebuild(ui, keep);
	if (f == UI_FILTER_ALL)
		ui_message(ui, false, "Rows: all");
	else
		ui_message(ui, false, "Rows: %s: %u pass",
		           df ? text : filter_names[f], ui_ladder_count(ui));
}

static void filter_tab(struct ui *ui)
{
	struct ui_prompt *p = &ui->prompt;
	size_t next = 1;        /* from typed text: the first preset */
	for (size_t i = 0; i < TAB_PRESETS; i++)
		if (!strcmp(p->text, presets[i].word))
			next = (i + 1) % TAB_PRESETS;
	snprintf(p->text, sizeof p->text, "%s", presets[next].word);
	p->len = strlen(p->text);
}

/* A preset word, or a display filter; one that does not compile keeps
 * the prompt open with the error under it and the rows as they were. */
static void filter_done(struct ui *ui, const char *answer, bool ok)
{
	if (!ok)
		return;
	const char *text = answer;
	while (*text == ' ')
		text++;
	size_t len = strlen(text);
	while (len && text[len - 1] == ' ')
		len--;
	char t[sizeof ui->ladder.dfilter_text];
	snprintf(t, sizeof t, "%.*s", (int)len, text);
	for (size_t i = 0; i < sizeof presets / sizeof *presets; i++) {
		if (!strcasecmp(t, presets[i].word)) {
			set_filter(ui, presets[i].f, NULL, NULL, NULL);
			return;
		}
	}
	char err[256];
	size_t pos = 0, elen = 0;
	struct tl_dfilter *df = tl_dfilter_compile(t, err, sizeof err, &pos,
	                                           &elen);
	if (!df) {
		ui_prompt_refuse(ui, err, pos + (size_t)(text - answer), elen);
		return;
	}
	/* A field the records lack: the frames answer, read again. */
	struct ui_fmatch *fm;
	if (!ui_fmatch_prepare(ui, df, t, &fm, err, sizeof err)) {
		tl_dfilter_free(df);
		ui_prompt_refuse(ui, err, (size_t)(text - answer), len);
		return;
	}
	set_filter(ui, UI_FILTER_DISPLAY, df, fm, t);
}

static void filter_prompt(struct ui *ui)
{
	ui_prompt_start(ui, "Filter rows (Tab: presets): ",
	                filter_word(&ui->ladder), false, filter_done);
	ui->prompt.tab = filter_tab;
}

void ui_ladder_cmdline_filter(struct ui *ui, const char *text)
{
	struct ui_ladder_state *l = &ui->ladder;
	char err[256];
	size_t pos, len;
	struct tl_dfilter *df = tl_dfilter_compile(text, err, sizeof err,
	                                           &pos, &len);
	if (!df)
		return;         /* options.c refused it already */
	/* Before the first frame: a matcher, if one is needed, is fed
	 * every frame as it comes. */
	struct ui_fmatch *fm = NULL;
	ui_fmatch_prepare(ui, df, text, &fm, err, sizeof err);
	ui_fmatch_release(l->fm);
	l->fm = fm;
	tl_dfilter_free(l->dfilter);
	l->dfilter = df;
	snprintf(l->dfilter_text, sizeof l->dfilter_text, "%s", text);
	l->dfilter_from_cmdline = true;
	l->filter = UI_FILTER_DISPLAY;
	/* The list: a connection passes when one of its segments does. */
	struct ui_list_state *s = &ui->list;
	tl_dfilter_free(s->dfilter);
	s->dfilter = tl_dfilter_compile(text, err, sizeof err, &pos, &len);
	ui_fmatch_release(s->fm);
	s->fm = NULL;
	if (s->dfilter)
		ui_fmatch_prepare(ui, s->dfilter, text, &s->fm, err,
		                  sizeof err);
	snprintf(s->filter, sizeof s->filter, "%s", text);
}

void ui_ladder_free(struct ui *ui)
{
	tl_dfilter_free(ui->ladder.dfilter);
	ui->ladder.dfilter = NULL;
	ui_fmatch_release(ui->ladder.fm);
	ui->ladder.fm = NULL;
}

/* Under a row filter the frames of the rows shown, as Wireshark's
 * "export displayed packets". */
static void save_shown(struct ui *ui)
{
	struct ui_ladder_state *l = &ui->ladder;
	ui_save_start(ui, l->want, l->want_cap, l->all_streams);
	if (l->filter != UI_FILTER_ALL)
		ui_save_only_rows(ui, passes, ui_ladder_count(ui));
}

/* ---- export (e, E) and the graph's link ------------------------------ */

void ui_ladder_visible(const struct ui *ui, int64_t *top, int64_t *count)
{
	(void)ui;
	*top = shown_top;
	*count = shown_count;
}

void ui_ladder_select_seg(struct ui *ui, uint32_t seg)
{
	if (!ui_ladder_count(ui))
		return;
	int64_t row = row_of_seg(ui, seg);
	if (row > 0 && ui_ladder_seg_at(ui, row) > seg)
		row--;
	move_cursor(ui, row);
}

/* e: the rows on screen; E: every row shown (up to --rows). */
static void export_rows(struct ui *ui, bool all)
{
	int64_t n = ui_ladder_count(ui);
	int64_t top = all ? 0 : shown_top;
	int64_t count = all ? n : shown_count;
	if (top + count > n)
		count = n - top;
	if (count <= 0) {
		ui_message(ui, true, "Nothing to export");
		return;
	}
	uint64_t total = (uint64_t)count;
	uint32_t limit = ui->opt->rows ? ui->opt->rows : 1000;
	if (count > limit)
		count = limit;
	uint32_t *rows = tl_xmalloc((size_t)count * sizeof *rows);
	for (int64_t i = 0; i < count; i++)
		rows[i] = ui_ladder_seg_at(ui, top + i);
	ui_export_rows(ui, rows, (uint32_t)count, all ? 0 : (uint64_t)top,
	               all ? total : (uint64_t)count,
	               all ? "rows shown" : "rows on screen");
	free(rows);
}

/* h/l: the ladder when it is wider than the screen, then the analysis
 * column's text when some of it is cut. */
static void scroll_sideways(struct ui *ui, int dir)
{
	struct ui_ladder_state *l = &ui->ladder;
	struct layout L;
	layout(ui, &L, 1);
	int body_max = L.virt_w - L.body_w;
	if (dir > 0) {
		if (l->hoff < body_max)
			l->hoff += SCROLL_STEP;
		else if (L.an_w && l->an_off + L.an_w <= l->an_need)
			l->an_off += AN_SCROLL_STEP;
		else
			ui_message(ui, false, "Nothing more to the right");
	} else {
		if (l->an_off > 0)
			l->an_off -= AN_SCROLL_STEP;
		else if (l->hoff > 0)
			l->hoff -= SCROLL_STEP;
	}
	if (l->an_off < 0)
		l->an_off = 0;
}

static enum ui_key_result detail_pane_key(struct ui *ui, int ch)
{
	struct ui_ladder_state *l = &ui->ladder;
	switch (ch) {
	case KEY_UP: case 'k': l->detail_scroll--; break;
	case KEY_DOWN: case 'j': l->detail_scroll++; break;
	case KEY_PPAGE: l->detail_scroll -= 10; break;
	case KEY_NPAGE: case ' ': l->detail_scroll += 10; break;
	case KEY_HOME: case 'g': l->detail_scroll = 0; break;
	case KEY_END: case 'G': l->detail_scroll = INT_MAX / 2; break;
	default: return UI_KEY_UNHANDLED;
	}
	if (l->detail_scroll < 0)
		l->detail_scroll = 0;
	return UI_KEY_HANDLED;
}

static enum ui_key_result ladder_key(struct ui *ui, int ch)
{
	struct ui_ladder_state *l = &ui->ladder;
	int64_t n = ui_ladder_count(ui);
	if (l->split && l->focus_detail && detail_pane_key(ui, ch) ==
	                                           UI_KEY_HANDLED)
		return UI_KEY_HANDLED;
	switch (ch) {
	case KEY_UP: case 'k': move_cursor(ui, l->cur - 1); break;
	case KEY_DOWN: case 'j': move_cursor(ui, l->cur + 1); break;
	case KEY_PPAGE: case 2: move_cursor(ui, l->cur - page(ui)); break;
	case KEY_NPAGE: case 6: move_cursor(ui, l->cur + page(ui)); break;
	case KEY_HOME: case 'g': move_cursor(ui, 0); break;
	case 's': case 'b':
		/* The graphs of the selected segment's connection
		 * (view_graph.c): time-sequence, bytes in flight. */
		if (n)
			ui_graph_open(ui, ch == 's' ? 0 : 1,
			              ui_ladder_seg_at(ui, l->cur));
		break;
	case 'e': case 'E': export_rows(ui, ch == 'E'); break;
	case 'p':       /* follow the stream (view_follow.c) */
		if (n) {
			const struct tl_seg *s = tl_segstore_get(&ui->m.segs,
				ui_ladder_seg_at(ui, l->cur));
			ui_follow_open(ui, s->stream, s->frame, UI_VIEW_LADDER);
		}
		break;
	case KEY_END: case 'G':
		move_cursor(ui, n - 1);
		if (ui->arriving)
			l->follow = true;
		break;
	case 'F':
		if (ui->arriving) {
			l->follow = true;
			if (ui->paused && ui->replay)
				ui_replay_pause(ui);    /* its clock restarts */
			ui->paused = false;
			move_cursor(ui, n - 1);
			l->follow = true;
		}
		break;
	case KEY_LEFT: case 'h': scroll_sideways(ui, -1); break;
	case KEY_RIGHT: case 'l': scroll_sideways(ui, 1); break;
	case '\n': case '\r': case KEY_ENTER:
		if (n) {
			ui->detail.back = UI_VIEW_LADDER;
			ui_set_view(ui, UI_VIEW_DETAIL);
		}
		break;
	case 'd':
		l->split = !l->split;
		l->focus_detail = false;
		l->detail_scroll = 0;
		break;
	case '\t':
		if (l->split)
			l->focus_detail = !l->focus_detail;
		else
			ui_message(ui, false, "Tab switches panes: open the "
			           "details pane with d");
		break;
	case '/':
		ui_prompt_start(ui, "Search (frame number or text): ", "",
		                false, search_done);
		break;
	case 'n': search(ui, 1); break;
	case 'N': search(ui, -1); break;
	case 'a': next_annotated(ui, 1); break;
	case 'A': next_annotated(ui, -1); break;
	case 'f': filter_prompt(ui); break;
	case 't':
		ui->time_format = (enum tl_time_format)((ui->time_format + 1) %
		                                        3);
		ui_message(ui, false, "Time: %s",
		           ui_time_name(ui->time_format));
		break;
	case 'r':
		ui->absolute_seq = !ui->absolute_seq;
		l->need_nodes = UINT32_MAX;
		ui_message(ui, false, "Sequence numbers: %s",
		           ui->absolute_seq ? "absolute" : "relative");
		break;
	case 'v': l->two_rows = !l->two_rows; l->top = -1; break;
	case 'w': save_shown(ui); break;
	case 'H': ui_hosts_open(ui); break;
	case 'c':
		ui_set_view(ui, UI_VIEW_LIST);
		l->opened_from_list = true;
		break;
	case '+': case '=': case '-':
		if (ui->replay && !ui->input_done) {
			ui_replay_speed(ui, ch == '-' ? 0.5 : 2.0);
			ui_message(ui, false, "Replay at %gx the capture's pace "
			           "(+ faster, - slower; 1/64x to 1024x)",
			           ui->opt->replay_speed);
		}
		break;
	case ' ':
		if (ui->live) {
			ui->paused = !ui->paused;
			ui_message(ui, false, ui->paused
			           ? "Drawing paused (capture goes on): Space "
			             "resumes" : "Drawing resumed");
		} else if (ui->replay && !ui->input_done) {
			ui_replay_pause(ui);
			ui_message(ui, false, ui->paused
			           ? "Replay paused: Space resumes"
			           : "Replay resumed");
		}
		break;
	default:
		return UI_KEY_UNHANDLED;
	}
	return UI_KEY_HANDLED;
}

static void ladder_mouse(struct ui *ui, int y, int x, int wheel)
{
	struct ui_ladder_state *l = &ui->ladder;
	(void)x;
	if (wheel) {
		struct layout L;
		layout(ui, &L, 1);
		int64_t n = ui_ladder_count(ui);
		int vis = visible_segments(ui, &L);
		l->top += wheel * 3;
		if (l->top > n - vis)
			l->top = n - vis;
		if (l->top < 0)
			l->top = 0;
		if (l->cur < l->top)
			l->cur = l->top;
		if (l->cur >= l->top + vis)
			l->cur = l->top + vis - 1;
		l->follow = false;
		return;
	}
	struct layout L;
	static struct ui_line head[2];
	layout(ui, &L, 1);
	int hr = header_lines(ui, &L, head);
	if (hr != 1)
		layout(ui, &L, hr);
	if (y >= L.y_body && y < L.y_body + L.body_rows) {
		int64_t row = l->top + (y_without_drops(y) - L.y_body) /
		                       per_row(ui);
		if (row < (int64_t)ui_ladder_count(ui))
			move_cursor(ui, row);
		l->focus_detail = false;
	} else if (l->split && y > L.y_sep) {
		l->focus_detail = true;
	}
}

static void ladder_enter(struct ui *ui)
{
	if (ui->ladder.top < 0)
		ui->ladder.top = -1;
}

const struct ui_view ui_view_ladder = {
	.name = "ladder",
	.enter = ladder_enter,
	.draw = ladder_draw,
	.key = ladder_key,
	.mouse = ladder_mouse,
};

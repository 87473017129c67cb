/* The connections list: one row per TCP connection with its counts, the
 * first screen when a capture holds more than one. Space selects, Enter
 * opens the ladder of the selection. */
#include "config.h"

#include "ui.h"

#include "tl_match.h"
#include "tl_dfilter.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl_label.h"

#define REBUILD_MS 300

enum sort_key {
	SORT_STREAM, SORT_PACKETS, SORT_BYTES, SORT_PROBLEMS, SORT_DURATION,
	SORT_IRTT, SORT_COUNT,
};
static const char *const sort_names[SORT_COUNT] = {
	"stream", "packets", "bytes", "problems", "duration", "iRTT",
};

enum col {
	COL_SEL, COL_STREAM, COL_CLIENT, COL_SERVER, COL_STATE, COL_PKTS,
	COL_BYTES, COL_RTX, COL_DUP, COL_OOO, COL_ZW, COL_DUR, COL_IRTT,
	COL_OPTS, COL_COUNT,
};

struct col_def {
	const char *title;
	int width;              /* 0: computed */
	bool right;
};
static const struct col_def cols_def[COL_COUNT] = {
	[COL_SEL] = { "", 3, false },
	[COL_STREAM] = { "st", 0, true },
	[COL_CLIENT] = { "client", 0, false },
	[COL_SERVER] = { "server", 0, false },
	[COL_STATE] = { "state", 11, false },
	[COL_PKTS] = { "pkts c/s", 10, true },
	[COL_BYTES] = { "bytes c/s", 11, true },
	[COL_RTX] = { "rtx", 4, true },
	[COL_DUP] = { "dup", 4, true },
	[COL_OOO] = { "ooo", 4, true },
	[COL_ZW] = { "zw", 3, true },
	[COL_DUR] = { "dur", 8, true },
	[COL_IRTT] = { "iRTT", 8, true },
	[COL_OPTS] = { "opts c/s", 9, false },
};
/* Which columns go first when the screen is narrow. */
static const enum col importance[COL_COUNT] = {
	COL_SEL, COL_STREAM, COL_CLIENT, COL_SERVER, COL_PKTS, COL_BYTES,
	COL_RTX, COL_DUP, COL_STATE, COL_OOO, COL_ZW, COL_DUR, COL_IRTT,
	COL_OPTS,
};

static const struct ui *sort_ui;

static uint64_t problems(const struct tl_conn *c)
{
	return (uint64_t)c->counts[7] + c->counts[1] + c->counts[6] +
	       c->counts[12];
}

static int64_t sort_value(const struct tl_conn *c, int key)
{
	switch (key) {
	case SORT_PACKETS:
		return (int64_t)(c->dir[0].segments + c->dir[1].segments);
	case SORT_BYTES: return (int64_t)(c->dir[0].bytes + c->dir[1].bytes);
	case SORT_PROBLEMS: return (int64_t)problems(c);
	case SORT_DURATION: return c->last_time - c->first_time;
	case SORT_IRTT: return c->irtt_set ? c->irtt : -1;
	default: return -(int64_t)c->stream;
	}
}

static int compare(const void *a, const void *b)
{
	const struct ui *ui = sort_ui;
	uint32_t sa = *(const uint32_t *)a, sb = *(const uint32_t *)b;
	const struct tl_conn *ca = ui->m.tracker.streams[sa];
	const struct tl_conn *cb = ui->m.tracker.streams[sb];
	int64_t va = sort_value(ca, ui->list.sort_key);
	int64_t vb = sort_value(cb, ui->list.sort_key);
	int r = va > vb ? -1 : va < vb ? 1 : (sa < sb ? -1 : sa > sb);
	return ui->list.sort_reverse ? -r : r;
}

static void endpoints(const struct tl_conn *c, char a[80], char b[80])
{
	tl_format_endpoint(c->ip_version, c->addr[0], c->port[0], a, 80);
	tl_format_endpoint(c->ip_version, c->addr[1], c->port[1], b, 80);
}

/* Marks the streams with a segment that passes the display filter: the
 * segments read since the last rebuild (a stream once marked stays so),
 * all of them after a new filter or a renumbering (matched_scanned 0). */
static void mark_matching_streams(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	const struct tl_tracker *tr = &ui->m.tracker;
	if (s->matched_cap < tr->stream_count) {
		uint32_t old = s->matched_cap;
		s->matched_cap = tr->stream_count + 256;
		s->matched = tl_xrealloc(s->matched, s->matched_cap, 1);
		memset(s->matched + old, 0, s->matched_cap - old);
	}
	if (!s->matched_scanned)
		memset(s->matched, 0, s->matched_cap);
	for (uint32_t i = s->matched_scanned; i < ui->m.segs.count; i++) {
		const struct tl_seg *seg = tl_segstore_get(&ui->m.segs, i);
		if (seg->stream < s->matched_cap && !s->matched[seg->stream] &&
		    (s->fm ? ui_fmatch_passes(s->fm, seg->frame)
		           : tl_dfilter_match_seg(s->dfilter, &ui->m, i)))
			s->matched[seg->stream] = 1;
	}
	s->matched_scanned = ui->m.segs.count;
}

static bool matches_filter(const struct ui *ui, const struct tl_conn *c)
{
	const char *f = ui->list.filter;
	if (!*f)
		return true;
	if (ui->list.dfilter)
		return c->stream < ui->list.matched_cap &&
		       ui->list.matched[c->stream];
	return tl_match_conn(c, f);
}

static void rebuild(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	const struct tl_tracker *tr = &ui->m.tracker;
	uint32_t keep = s->order_count && s->cur < s->order_count
		? s->order[s->cur] : UINT32_MAX;
	if (tr->stream_count > s->order_cap) {
		s->order_cap = tr->stream_count + 256;
		s->order = tl_xrealloc(s->order, s->order_cap,
		                       sizeof *s->order);
	}
	s->order_count = 0;
	char why[768];
	enum ui_fm_check fc = !s->dfilter || !s->filter[0] ? UI_FM_KEEP
		: ui_fmatch_check(ui, s->dfilter, s->filter, &s->fm, why,
		                  sizeof why);
	if (fc == UI_FM_RESCAN)
		s->matched_scanned = 0;         /* the frames answer now */
	if (fc == UI_FM_DROP) {
		/* Every connection, said, rather than a list silently
		 * wrong. */
		tl_dfilter_free(s->dfilter);
		s->dfilter = NULL;
		ui_fmatch_release(s->fm);
		s->fm = NULL;
		s->filter[0] = '\0';
		ui_message(ui, true, "Connections: all: %s", why);
	}
	if (s->dfilter && s->filter[0])
		mark_matching_streams(ui);
	for (uint32_t i = 0; i < tr->stream_count; i++) {
		if (!tr->streams[i]) {
			/* let go by a memory limit */
			if (i < s->selected_cap && s->selected[i]) {
				s->selected[i] = false;
				s->selected_count--;
			}
			continue;
		}
		if (matches_filter(ui, tr->streams[i]))
			s->order[s->order_count++] = i;
	}
	sort_ui = ui;
	qsort(s->order, s->order_count, sizeof *s->order, compare);
	s->built_streams = tr->stream_count;
	s->built_at_ms = ui_now_ms();
	s->dirty = false;
	if (keep != UINT32_MAX)
		for (uint32_t i = 0; i < s->order_count; i++)
			if (s->order[i] == keep)
				s->cur = i;
	if (s->cur >= s->order_count)
		s->cur = s->order_count ? s->order_count - 1 : 0;
}

void ui_list_renumbered(struct ui *ui)
{
	ui->list.matched_scanned = 0;
	rebuild(ui);
}

void ui_list_mark_dirty(struct ui *ui)
{
	ui->list.dirty = true;
}

static void ensure_selected(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	uint32_t n = ui->m.tracker.stream_count;
	if (n > s->selected_cap) {
		uint32_t cap = n + 256;
		s->selected = tl_xrealloc(s->selected, cap, sizeof *s->selected);
		memset(s->selected + s->selected_cap, 0,
		       (cap - s->selected_cap) * sizeof *s->selected);
		s->selected_cap = cap;
	}
}

/* ---- drawing ------------------------------------------------------------- */

static void syn_opts_short(const struct tl_syn_options *o, char *buf,
                           size_t size)
{
	if (!o->seen) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%s%s%s%s",
	         o->present & TL_OPT_MSS ? "M" : "-",
	         o->present & TL_OPT_SACK_PERM ? "S" : "-",
	         o->present & TL_OPT_WSCALE ? "W" : "-",
	         o->present & TL_OPT_TIMESTAMP ? "T" : "-");
}

static size_t syn_opts_long(const struct tl_syn_options *o, char *buf,
                            size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if (!o->seen)
		return tl_bappend(buf, size, 0, "no SYN seen");
	if (o->present & TL_OPT_MSS)
		n = tl_bappend(buf, size, n, "MSS=%u ", o->mss);
	if (o->present & TL_OPT_SACK_PERM)
		n = tl_bappend(buf, size, n, "SACK_PERM ");
	if (o->present & TL_OPT_WSCALE)
		n = tl_bappend(buf, size, n, "WS=%u ",
		               1u << (o->wscale > 14 ? 14 : o->wscale));
	if (o->present & TL_OPT_TIMESTAMP)
		n = tl_bappend(buf, size, n, "TS ");
	if (!n)
		n = tl_bappend(buf, size, n, "none");
	while (n && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return n;
}

static void cell_text(const struct ui *ui, const struct tl_conn *c, int col,
                      char *buf, size_t size, int *role)
{
	char a[80], b[80];
	*role = R_NORMAL;
	switch (col) {
	case COL_SEL:
		snprintf(buf, size, "%s", ui->list.selected &&
		         c->stream < ui->list.selected_cap &&
		         ui->list.selected[c->stream] ? "[x]" : "[ ]");
		break;
	case COL_STREAM: snprintf(buf, size, "%u", c->stream); break;
	case COL_CLIENT: endpoints(c, a, b); snprintf(buf, size, "%s", a); break;
	case COL_SERVER: endpoints(c, a, b); snprintf(buf, size, "%s", b); break;
	case COL_STATE:
		snprintf(buf, size, "%s", tl_conn_state_name(c->state));
		if (c->state == TL_STATE_RESET)
			*role = R_RTX;
		break;
	case COL_PKTS:
		snprintf(buf, size, "%llu/%llu",
		         (unsigned long long)c->dir[0].segments,
		         (unsigned long long)c->dir[1].segments);
		break;
	case COL_BYTES:
		ui_format_bytes(c->dir[0].bytes, a, sizeof a);
		ui_format_bytes(c->dir[1].bytes, b, sizeof b);
		tl_bappend(buf, size, 0, "%s/%s", a, b);
		break;
	case COL_RTX: case COL_DUP: case COL_OOO: case COL_ZW: {
		static const int bit[] = { 7, 1, 6, 12 };
		static const int roles[] = { R_RTX, R_DUPACK, R_OOO, R_WINDOW };
		int i = col - COL_RTX;
		uint32_t v = c->counts[bit[i]];
		snprintf(buf, size, "%u", v);
		*role = v ? roles[i] : R_HINT;
		break;
	}
	case COL_DUR:
		ui_format_duration(c->last_time - c->first_time, buf, size);
		break;
	case COL_IRTT:
		if (c->irtt_set)
			ui_format_duration(c->irtt, buf, size);
		else
			snprintf(buf, size, "-");
		break;
	case COL_OPTS:
		syn_opts_short(&c->dir[0].syn, a, sizeof a);
		syn_opts_short(&c->dir[1].syn, b, sizeof b);
		tl_bappend(buf, size, 0, "%s/%s", a, b);
		break;
	default:
		buf[0] = '\0';
	}
}

struct list_layout {
	int width[COL_COUNT];
	int x[COL_COUNT];
	bool shown[COL_COUNT];
	bool more_left, more_right;     /* columns scrolled off, hidden */
	int y_body, body_rows, y_sep, y_info, info_rows;
};

/* The selection box and the stream number stay; the others scroll. */
#define FIXED_COLS 2

static void list_layout(struct ui *ui, struct list_layout *L)
{
	struct ui_list_state *s = &ui->list;
	memset(L, 0, sizeof *L);
	int ep = 15;
	uint32_t last = ui->m.tracker.stream_count;
	int st = 2;
	for (uint32_t v = last; v >= 10; v /= 10)
		st++;
	for (int c = 0; c < COL_COUNT; c++)
		L->width[c] = cols_def[c].width;
	/* Endpoints and counts as wide as the widest visible value. */
	for (int64_t i = s->top; i < (int64_t)s->order_count &&
	                         i < s->top + ui->rows; i++) {
		const struct tl_conn *c = ui->m.tracker.streams[s->order[i]];
		char a[80], b[80], buf[128];
		int role;
		endpoints(c, a, b);
		int w = ui_text_width(a) > ui_text_width(b) ? ui_text_width(a)
		                                            : ui_text_width(b);
		if (w > ep)
			ep = w;
		static const int grow[] = { COL_PKTS, COL_BYTES, COL_RTX,
			COL_DUP, COL_OOO, COL_ZW };
		for (size_t k = 0; k < sizeof grow / sizeof grow[0]; k++) {
			cell_text(ui, c, grow[k], buf, sizeof buf, &role);
			if ((int)strlen(buf) > L->width[grow[k]] - 1)
				L->width[grow[k]] = (int)strlen(buf) + 1;
		}
	}
	if (ep > 40)
		ep = 40;
	L->width[COL_STREAM] = st;
	L->width[COL_CLIENT] = L->width[COL_SERVER] = ep;
	/* Columns in order of importance while they fit; Right skips the
	 * first s->hcol of those that scroll, so every one can be reached,
	 * and the header's ends say which side has more (the last cell is
	 * always free for that mark). */
	int used = 1;
	int skip = s->hcol;
	for (int i = 0; i < COL_COUNT; i++) {
		int c = importance[i];
		if (i >= FIXED_COLS && skip > 0) {
			skip--;
			L->more_left = true;
			continue;
		}
		if (used + L->width[c] + 1 <= ui->cols) {
			L->shown[c] = true;
			used += L->width[c] + 1;
		} else {
			L->more_right = true;
		}
	}
	int x = 1;
	for (int c = 0; c < COL_COUNT; c++) {
		if (!L->shown[c])
			continue;
		L->x[c] = x;
		x += L->width[c] + 1;
	}
	L->y_body = 2;
	/* The selected connection's lines: a third row on a narrow screen
	 * so they wrap whole rather than cut. */
	L->info_rows = ui->cols < 110 && ui->rows >= 20 ? 3 : 2;
	L->y_sep = ui->rows - 2 - L->info_rows;
	L->y_info = L->y_sep + 1;
	L->body_rows = L->y_sep - L->y_body;
	if (L->body_rows < 1)
		L->body_rows = 1;
}

static void put_cell(struct ui *ui, const struct list_layout *L, int y,
                     int c, const char *text, int role, bool bold)
{
	int w = L->width[c];
	char buf[128];
	if (cols_def[c].right)
		snprintf(buf, sizeof buf, "%*s", w, text);
	else
		snprintf(buf, sizeof buf, "%s", text);
	ui_put(ui, y, L->x[c], w, buf, role, bold);   /* marks a cut */
}

static void draw_info(struct ui *ui, const struct list_layout *L)
{
	struct ui_list_state *s = &ui->list;
	ui_set_role(ui, R_HINT, false);
	for (int x = 0; x < ui->cols; x++)
		mvaddstr(L->y_sep, x, ui->gl->hbar);
	attrset(A_NORMAL);
	if (!s->order_count)
		return;
	const struct tl_conn *c = ui->m.tracker.streams[s->order[s->cur]];
	char a[80], b[80], oa[128], ob[128], line[640], t[32], d[32];
	endpoints(c, a, b);
	syn_opts_long(&c->dir[0].syn, oa, sizeof oa);
	syn_opts_long(&c->dir[1].syn, ob, sizeof ob);
	ui_format_duration(c->last_time - c->first_time, d, sizeof d);
	int n = snprintf(line, sizeof line, "stream %u  %s %s %s  %s  frames "
	                 "%u-%u  %s", c->stream, a, ui->gl->arrow, b,
	                 tl_conn_state_name(c->state), c->first_frame,
	                 c->last_frame, d);
	int w = ui->cols - 2;
	/* The first line bold when it fits; else both words-wrapped
	 * together over the rows there are. */
	int used = 1;
	if (ui_text_width(line) <= w)
		ui_put(ui, L->y_info, 1, w, line, R_NORMAL, true);
	else
		used = 0;
	if (c->irtt_set)
		ui_format_duration(c->irtt, t, sizeof t);
	if (n < 0 || (size_t)n >= sizeof line)
		n = 0;
	char *rest = used ? line : line + n;
	size_t room = used ? sizeof line : sizeof line - (size_t)n;
	snprintf(rest, room, "%sclient offered %s; server offered %s%s%s",
	         used ? "" : "  ", oa, ob, c->irtt_set ? "; iRTT " : "",
	         c->irtt_set ? t : "");
	ui_put_wrap(ui, L->y_info + used, 1, L->info_rows - used, w, line,
	            R_NORMAL, false);
}

static void list_draw(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	const struct tl_tracker *tr = &ui->m.tracker;
	if (s->dirty && (tr->stream_count != s->built_streams ||
	                 ui_now_ms() - s->built_at_ms >= REBUILD_MS ||
	                 ui->input_done))
		rebuild(ui);
	ensure_selected(ui);
	struct list_layout L;
	list_layout(ui, &L);
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + L.body_rows)
		s->top = s->cur - L.body_rows + 1;
	if (s->top < 0)
		s->top = 0;
	list_layout(ui, &L);

	char mid[512], segs[32];
	ui_format_count(ui->m.segs.count, segs, sizeof segs);
	const char *base = strrchr(ui->input_name, '/');
	base = base ? base + 1 : ui->input_name;
	int n = snprintf(mid, sizeof mid, "%s  %u connection%s", base,
	                 tr->tracked, tr->tracked == 1 ? "" : "s");
	if (tr->stream_count > tr->tracked)     /* a memory limit at work */
		n += snprintf(mid + n, sizeof mid - (size_t)n, " (%u let go)",
		              tr->stream_count - tr->tracked);
	n += snprintf(mid + n, sizeof mid - (size_t)n, "  %s segments", segs);
	if (s->selected_count)
		n += snprintf(mid + n, sizeof mid - (size_t)n, "  %u selected",
		              s->selected_count);
	/* The filter before the sort: what is hidden matters more. */
	if (s->filter[0])
		n += snprintf(mid + n, sizeof mid - (size_t)n, "  filter%s: %s",
		              s->dfilter && ui->opt->display_filter &&
		              !strcmp(s->filter, ui->opt->display_filter)
		              ? " (-Y)" : "", s->filter);
	snprintf(mid + n, sizeof mid - (size_t)n, "  sort: %s%s",
	         sort_names[s->sort_key], s->sort_reverse ? " (reversed)" : "");
	ui_draw_title(ui, mid, "? help  q quit");

	for (int c = 0; c < COL_COUNT; c++)
		if (L.shown[c])
			put_cell(ui, &L, 1, c, cols_def[c].title, R_HEADER, true);
	if (L.more_left)
		ui_put(ui, 1, 0, 1, "<", R_HINT, false);
	if (L.more_right)
		ui_put(ui, 1, ui->cols - 1, 1, ">", R_HINT, false);
	for (int i = 0; i < L.body_rows; i++) {
		int64_t row = s->top + i;
		if (row >= (int64_t)s->order_count)
			break;
		int y = L.y_body + i;
		bool sel = row == s->cur;
		if (sel) {
			attrset(A_REVERSE);
			mvhline(y, 0, ' ', ui->cols);
			attrset(A_NORMAL);
		}
		ui_draw_reverse(sel);
		const struct tl_conn *c = tr->streams[s->order[row]];
		for (int col = 0; col < COL_COUNT; col++) {
			if (!L.shown[col])
				continue;
			char buf[128];
			int role;
			cell_text(ui, c, col, buf, sizeof buf, &role);
			put_cell(ui, &L, y, col, buf,
			         role == R_NORMAL ? R_NORMAL : role,
			         col == COL_STREAM);
		}
		ui_draw_reverse(false);
	}
	if (!s->order_count)
		ui_put(ui, L.y_body + 1, 2, ui->cols - 4, s->filter[0]
		       ? "No connection matches the filter (f changes it)."
		       : ui->input_done ? "No TCP connections in this capture."
		                        : "Waiting for TCP connections...",
		       R_HINT, false);
	draw_info(ui, &L);
	ui_draw_status(ui, ui->cols >= 100
		? "Enter open  Space select  a all  f filter  / search  s sort"
		  "  S reverse  w save pcap  ? help"
		: L.more_left || L.more_right
		? "Enter open  Space select  f filter  / search  h/l more"
		  "  ? help"
		: "Enter open  Space select  f filter  / search  s sort  ? help");
}

/* ---- keys ------------------------------------------------------------------ */

static void open_selection(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	if (!s->order_count)
		return;
	ensure_selected(ui);
	if (s->selected_count) {
		ui_ladder_show_streams(ui, s->selected, s->selected_cap);
	} else {
		uint32_t st = s->order[s->cur];
		bool *want = tl_xcalloc(st + 1, sizeof *want);
		want[st] = true;
		ui_ladder_show_streams(ui, want, st + 1);
		free(want);
	}
	ui->ladder.opened_from_list = true;
	ui->ladder.follow = false;
	ui_set_view(ui, UI_VIEW_LADDER);
}

static void filter_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok)
		return;
	/* Wireshark's language when the text is a display filter with a
	 * comparison or a field (not a bare address or port to search):
	 * a dotted name, or a slice or comparison (frame[0:2] == 00:00). */
	struct tl_dfilter *df = NULL;
	if (text[0] && strpbrk(text, ".=<>[(") &&
	    !strchr("0123456789:", text[0])) {
		char err[256];
		size_t pos = 0, len = 0;
		df = tl_dfilter_compile(text, err, sizeof err, &pos, &len);
		/* A comparison that does not parse is a mistake, not a
		 * search: the prompt stays, the error under it, the
		 * connections shown as they were. */
		if (!df && strpbrk(text, "=<>!&|~{")) {
			ui_prompt_refuse(ui, err, pos, len);
			return;
		}
	}
	/* A field the records lack: the frames answer, read again. */
	struct ui_fmatch *fm = NULL;
	char err[512];
	if (df && !ui_fmatch_prepare(ui, df, text, &fm, err, sizeof err)) {
		tl_dfilter_free(df);
		ui_prompt_refuse(ui, err, 0, strlen(text));
		return;
	}
	snprintf(ui->list.filter, sizeof ui->list.filter, "%s", text);
	tl_dfilter_free(ui->list.dfilter);
	ui->list.dfilter = df;
	ui_fmatch_release(ui->list.fm);
	ui->list.fm = fm;
	ui->list.matched_scanned = 0;
	ui->list.cur = 0;
	rebuild(ui);
}

/* / n N: the next row whose shown text holds the words (endpoints,
 * state, stream number), as in every view; f filters. */
static char list_search[128];

static bool row_has(const struct ui *ui, const struct tl_conn *c,
                    const char *want)
{
	char a[80], b[80], row[256];
	endpoints(c, a, b);
	snprintf(row, sizeof row, "%u %s %s %s", c->stream, a, b,
	         tl_conn_state_name(c->state));
	(void)ui;
	size_t n = strlen(want);
	for (const char *p = row; *p; p++)
		if (strncasecmp(p, want, n) == 0)
			return true;
	return false;
}

static void search_rows(struct ui *ui, int dir)
{
	struct ui_list_state *s = &ui->list;
	if (!list_search[0]) {
		ui_message(ui, false, "No search yet: / asks for one");
		return;
	}
	int64_t n = s->order_count;
	for (int64_t k = 1; k <= n; k++) {
		int64_t i = ((s->cur + dir * k) % n + n) % n;
		if (row_has(ui, ui->m.tracker.streams[s->order[i]],
		            list_search)) {
			if ((dir > 0 && i <= s->cur) || (dir < 0 && i >= s->cur))
				ui_message(ui, false, "Search wrapped");
			s->cur = i;
			return;
		}
	}
	ui_message(ui, true, "Not found: %s", list_search);
}

static void search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !text[0])
		return;
	snprintf(list_search, sizeof list_search, "%s", text);
	struct ui_list_state *s = &ui->list;
	if (s->order_count && row_has(ui, ui->m.tracker.streams[s->order[s->cur]],
	                              list_search))
		return;
	search_rows(ui, 1);
}

static void toggle(struct ui *ui, uint32_t stream)
{
	struct ui_list_state *s = &ui->list;
	ensure_selected(ui);
	s->selected[stream] = !s->selected[stream];
	if (s->selected[stream])
		s->selected_count++;
	else
		s->selected_count--;
}

static void save_selection(struct ui *ui)
{
	struct ui_list_state *s = &ui->list;
	if (!s->order_count)
		return;
	ensure_selected(ui);
	if (s->selected_count) {
		ui_save_start(ui, s->selected, s->selected_cap, false);
		return;
	}
	uint32_t st = s->order[s->cur];
	bool *want = tl_xcalloc(st + 1, sizeof *want);
	want[st] = true;
	ui_save_start(ui, want, st + 1, false);
	free(want);
}

static enum ui_key_result list_key(struct ui *ui, int ch)
{
	struct ui_list_state *s = &ui->list;
	struct list_layout L;
	list_layout(ui, &L);
	int64_t n = s->order_count, page = L.body_rows - 1;
	if (page < 1)
		page = 1;
	switch (ch) {
	case KEY_UP: case 'k': s->cur--; break;
	case KEY_DOWN: case 'j': s->cur++; break;
	case KEY_PPAGE: case 2: s->cur -= page; break;
	case KEY_NPAGE: case 6: s->cur += page; break;
	case KEY_HOME: case 'g': s->cur = 0; break;
	case 'p':       /* follow the stream (view_follow.c) */
		if (n && s->cur >= 0 && s->cur < n)
			ui_follow_open(ui, s->order[s->cur], 0, UI_VIEW_LIST);
		break;
	case KEY_END: case 'G': s->cur = n - 1; break;
	case KEY_RIGHT: case 'l':
		if (L.more_right)
			s->hcol++;
		break;
	case KEY_LEFT: case 'h':
		if (s->hcol > 0)
			s->hcol--;
		break;
	case ' ':
		if (n) {
			toggle(ui, s->order[s->cur]);
			s->cur++;
		}
		break;
	case 'a': {
		ensure_selected(ui);
		bool all = true;
		for (int64_t i = 0; i < n; i++)
			all = all && s->selected[s->order[i]];
		for (int64_t i = 0; i < n; i++)
			if (s->selected[s->order[i]] == all)
				toggle(ui, s->order[i]);
		break;
	}
	case '\n': case '\r': case KEY_ENTER: open_selection(ui); break;
	case 'f':
		ui_prompt_start(ui, "Filter connections (address, port, "
		                "state; empty: all): ", s->filter, false,
		                filter_done);
		break;
	case '/':
		ui_prompt_start(ui, "Search connections: ", list_search, false,
		                search_done);
		break;
	case 'n': if (n) search_rows(ui, 1); break;
	case 'N': if (n) search_rows(ui, -1); break;
	case 's':
		s->sort_key = (s->sort_key + 1) % SORT_COUNT;
		rebuild(ui);
		ui_message(ui, false, "Sorted by %s", sort_names[s->sort_key]);
		break;
	case 'S':
		s->sort_reverse = !s->sort_reverse;
		rebuild(ui);
		break;
	case 'w': save_selection(ui); break;
	case 'H': ui_hosts_open(ui); break;
	case 'c': break;
	default:
		return UI_KEY_UNHANDLED;
	}
	if (s->cur >= n)
		s->cur = n - 1;
	if (s->cur < 0)
		s->cur = 0;
	return UI_KEY_HANDLED;
}

static void list_mouse(struct ui *ui, int y, int x, int wheel)
{
	struct ui_list_state *s = &ui->list;
	struct list_layout L;
	list_layout(ui, &L);
	int64_t n = s->order_count;
	if (wheel) {
		s->top += wheel * 3;
		if (s->top > n - L.body_rows)
			s->top = n - L.body_rows;
		if (s->top < 0)
			s->top = 0;
		if (s->cur < s->top)
			s->cur = s->top;
		if (s->cur >= s->top + L.body_rows)
			s->cur = s->top + L.body_rows - 1;
		return;
	}
	if (y >= L.y_body && y < L.y_body + L.body_rows &&
	    s->top + (y - L.y_body) < n) {
		s->cur = s->top + (y - L.y_body);
		if (x >= L.x[COL_SEL] && x < L.x[COL_SEL] + 3)
			toggle(ui, s->order[s->cur]);
	}
}

static void list_enter(struct ui *ui)
{
	ui->list.dirty = true;
	ui->list.built_at_ms = 0;
}

const struct ui_view ui_view_list = {
	.name = "connections",
	.enter = list_enter,
	.draw = list_draw,
	.key = list_key,
	.mouse = list_mouse,
};

/* Drawing helpers shared by the views: themes and colours, a line of cells
 * built off screen then blitted, the title and status bars, number
 * formats. */
#include "config.h"

#include "ui.h"

#include "tl_annot.h"
#include "tl_theme.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static attr_t role_attr[R_ROLE_COUNT];
static attr_t extra_attr;       /* A_REVERSE while drawing the selection */

void ui_draw_reverse(bool on)
{
	extra_attr = on ? A_REVERSE : 0;
}

/* The background every pair is drawn on: the theme's own (256 colours),
 * or the terminal's (-1). */
static short pair_bg = -1;

static void pair(struct ui *ui, int role, short fg, short fg256, attr_t extra)
{
	(void)ui;
	short f = COLORS >= 256 && fg256 >= 0 ? fg256 : fg;
	init_pair((short)(role + 1), f, pair_bg);
	role_attr[role] = COLOR_PAIR(role + 1) | extra;
}

void ui_colors_init(struct ui *ui)
{
	const struct tl_theme_colors *th = tl_theme_colors(ui->opt->theme);
	bool projector = th->bold;
	attr_t strong = projector ? A_BOLD : 0;
	for (int i = 0; i < R_ROLE_COUNT; i++)
		role_attr[i] = strong;
	role_attr[R_TITLE] = A_REVERSE | strong;
	role_attr[R_HEADER] = A_BOLD;
	role_attr[R_HINT] = projector ? A_NORMAL : A_DIM;
	role_attr[R_CHANGE] = projector ? A_NORMAL : A_DIM;
	ui->color = false;
	if (ui->opt->no_color || !has_colors()) {
		/* Attributes alone still tell the kinds apart a little. */
		role_attr[R_ERROR] = A_BOLD;
		role_attr[R_RTX] = A_BOLD;
		role_attr[R_DUPACK] = A_BOLD;
		role_attr[R_OOO] = A_BOLD | A_UNDERLINE;
		role_attr[R_LOST] = A_UNDERLINE;
		role_attr[R_WINDOW] = A_BOLD;
		return;
	}
	start_color();
	if (use_default_colors() == ERR)
		assume_default_colors(COLOR_WHITE, COLOR_BLACK);
	ui->color = true;
	/* With 256 colours the theme paints its background (the contrast
	 * of its colours was measured against it: tl_theme.h); with 8 the
	 * terminal's stays. */
	pair_bg = COLORS >= 256 ? th->background : -1;
	if (pair_bg >= 0) {
		pair(ui, R_NORMAL, COLOR_WHITE, th->text, strong);
		bkgd(' ' | COLOR_PAIR(R_NORMAL + 1));
	}
	pair(ui, R_ERROR, COLOR_RED, th->error, A_BOLD);
	/* The graph's ACK line is green, as in tcptrace; data keeps the
	 * default colour. */
	pair(ui, R_GRAPH_ACK, COLOR_GREEN, th->graph_ack, strong);
	attr_t kind_attr = projector ? A_BOLD : 0;
	pair(ui, R_RTX, COLOR_RED, th->kind[TL_ANNOT_RTX], kind_attr);
	pair(ui, R_DUPACK, COLOR_YELLOW, th->kind[TL_ANNOT_DUPACK], kind_attr);
	pair(ui, R_OOO, COLOR_MAGENTA, th->kind[TL_ANNOT_OOO], kind_attr);
	pair(ui, R_LOST, COLOR_CYAN, th->kind[TL_ANNOT_LOST], kind_attr);
	pair(ui, R_WINDOW, COLOR_BLUE, th->kind[TL_ANNOT_WINDOW], kind_attr);
	pair(ui, R_OTHER, COLOR_GREEN, th->kind[TL_ANNOT_OTHER], kind_attr);
	if (pair_bg >= 0) {
		/* Window changes: measured grey, not A_DIM (whose result
		 * the terminal decides). */
		pair(ui, R_CHANGE, COLOR_WHITE, th->kind[TL_ANNOT_CHANGE],
		     kind_attr);
	}
	static const short s8[6] = { COLOR_CYAN, COLOR_GREEN, COLOR_BLUE,
		COLOR_MAGENTA, COLOR_YELLOW, COLOR_WHITE };
	for (int i = 0; i < 6; i++)
		pair(ui, R_STREAM0 + i, s8[i], th->stream[i], kind_attr);
}

void ui_set_role(const struct ui *ui, int role, bool bold)
{
	(void)ui;
	attr_t a = role >= 0 && role < R_ROLE_COUNT ? role_attr[role] : 0;
	attrset(a | extra_attr | (bold ? A_BOLD : 0));
}

int ui_analysis_role(unsigned an)
{
	/* The classification itself is model-side (tl_annot.h), shared with
	 * the SVG and HTML pictures. */
	static const int roles[TL_ANNOT_KIND_COUNT] = {
		[TL_ANNOT_NONE] = R_NORMAL, [TL_ANNOT_RTX] = R_RTX,
		[TL_ANNOT_DUPACK] = R_DUPACK, [TL_ANNOT_OOO] = R_OOO,
		[TL_ANNOT_LOST] = R_LOST, [TL_ANNOT_WINDOW] = R_WINDOW,
		[TL_ANNOT_OTHER] = R_OTHER, [TL_ANNOT_CHANGE] = R_CHANGE,
	};
	return roles[tl_annot_kind(an)];
}

int ui_stream_role(uint32_t stream)
{
	return R_STREAM0 + (int)(stream % 6);
}

/* ---- lines of cells ---------------------------------------------------- */

void ui_line_clear(struct ui_line *l, int width)
{
	if (width > UI_MAX_COLS)
		width = UI_MAX_COLS;
	if (width < 0)
		width = 0;
	l->width = width;
	for (int i = 0; i < width; i++) {
		l->c[i].g[0] = ' ';
		l->c[i].g[1] = '\0';
		l->c[i].role = R_NORMAL;
		l->c[i].bold = 0;
	}
}

void ui_line_put(struct ui_line *l, int x, const char *glyph, int role)
{
	if (x < 0 || x >= l->width)
		return;
	size_t n = strlen(glyph);
	if (n > 4)
		n = 4;
	memcpy(l->c[x].g, glyph, n);
	l->c[x].g[n] = '\0';
	l->c[x].role = (uint8_t)role;
}

void ui_line_fill(struct ui_line *l, int x0, int x1, int role)
{
	for (int x = x0 < 0 ? 0 : x0; x < x1 && x < l->width; x++)
		l->c[x].role = (uint8_t)role;
}

static size_t utf8_seq_len(unsigned char b)
{
	if (b >= 0xf0) return 4;
	if (b >= 0xe0) return 3;
	if (b >= 0xc0) return 2;
	return 1;
}

/* Lays text over the line from x, at most max cells; returns cells used. */
int ui_line_text(struct ui_line *l, int x, const char *s, int max, int role)
{
	int used = 0;
	while (*s && used < max) {
		size_t n = utf8_seq_len((unsigned char)*s);
		if (strnlen(s, n) < n)
			break;
		int cx = x + used;
		if (cx >= 0 && cx < l->width) {
			memcpy(l->c[cx].g, s, n);
			l->c[cx].g[n] = '\0';
			l->c[cx].role = (uint8_t)role;
		}
		s += n;
		used++;
	}
	return used;
}

int ui_text_width(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

void ui_line_draw(const struct ui *ui, const struct ui_line *l, int y,
                  int from, int to, int screen_x, bool reverse)
{
	char buf[UI_MAX_COLS * 4 + 1];
	if (to > l->width)
		to = l->width;
	int x = from < 0 ? 0 : from;
	while (x < to) {
		int role = l->c[x].role, bold = l->c[x].bold;
		size_t len = 0;
		int start = x;
		while (x < to && l->c[x].role == role && l->c[x].bold == bold) {
			size_t n = strlen(l->c[x].g);
			memcpy(buf + len, l->c[x].g, n);
			len += n;
			x++;
		}
		buf[len] = '\0';
		ui_set_role(ui, role, bold);
		if (reverse)
			attron(A_REVERSE);
		mvaddstr(y, screen_x + start - from, buf);
	}
	attrset(extra_attr);
}

/* Whether anything but blanks is left of s. */
static bool has_ink(const char *s)
{
	for (; *s; s++)
		if (*s != ' ')
			return true;
	return false;
}

/* Prints s clipped to maxw cells; returns the cells printed. Text that
 * does not fit never goes silently: its last cell becomes an ellipsis
 * (blanks cut off do not count), for every title, status, list cell and
 * help line alike. */
int ui_put(const struct ui *ui, int y, int x, int maxw, const char *s,
           int role, bool bold)
{
	char buf[4096];
	size_t len = 0, last = 0;
	int cells = 0;
	if (x < 0 || maxw <= 0 || x >= ui->cols)
		return 0;
	if (x + maxw > ui->cols)
		maxw = ui->cols - x;
	while (*s && cells < maxw && len + 5 < sizeof buf) {
		size_t n = utf8_seq_len((unsigned char)*s);
		if (strnlen(s, n) < n)
			break;
		last = len;
		memcpy(buf + len, s, n);
		len += n;
		s += n;
		cells++;
	}
	if (cells && has_ink(s)) {
		const char *e = ui->gl->ellipsis;
		size_t n = strlen(e);
		if (last + n < sizeof buf) {
			memcpy(buf + last, e, n);
			len = last + n;
		}
	}
	buf[len] = '\0';
	ui_set_role(ui, role, bold);
	mvaddstr(y, x, buf);
	attrset(extra_attr);
	return cells;
}

/* Word-wraps s over at most rows lines from y; the last line marks what
 * still does not fit. Returns the lines used. */
int ui_put_wrap(const struct ui *ui, int y, int x, int rows, int width,
                const char *s, int role, bool bold)
{
	int r = 0;
	while (r < rows && *s) {
		int cells = ui_text_width(s);
		if (cells <= width || r == rows - 1) {
			ui_put(ui, y + r, x, width, s, role, bold);
			return r + 1;
		}
		/* The byte after width cells, then back to a blank. */
		size_t end = 0;
		for (int c = 0; c < width && s[end]; c++) {
			end++;          /* never past the end, whatever bytes */
			while (((unsigned char)s[end] & 0xc0) == 0x80)
				end++;
		}
		size_t cut = end;
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0)
			cut = end;
		char line[4096];
		snprintf(line, sizeof line, "%.*s", (int)cut, s);
		ui_put(ui, y + r, x, width, line, role, bold);
		s += cut;
		while (*s == ' ')
			s++;
		r++;
	}
	return r;
}

void ui_fill_row(const struct ui *ui, int y, int role)
{
	ui_set_role(ui, role, false);
	move(y, 0);
	for (int x = 0; x < ui->cols; x++)
		addch(' ');
	attrset(A_NORMAL);
}

void ui_draw_title(struct ui *ui, const char *middle, const char *right)
{
	char left[1024];
	snprintf(left, sizeof left, " tcpladder  %s", middle);
	ui_fill_row(ui, 0, R_TITLE);
	int rw = ui_text_width(right);
	int room = ui->cols - rw - 2;
	if (room < ui_text_width(left) + 2)
		rw = 0;             /* the right part goes first when tight */
	ui_put(ui, 0, 0, rw ? room : ui->cols, left, R_TITLE, false);
	if (rw)
		ui_put(ui, 0, ui->cols - rw - 1, rw, right, R_TITLE, false);
}

/* In the binary units --max-memory takes: "512M", "5.9G". */
static void format_size(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	double d = (double)v / 1024;
	int u = 0;
	while (d >= 1023.95 && u < 3) {
		d /= 1024;
		u++;
	}
	snprintf(buf, size, d < 9.95 && d != (double)(uint64_t)d ? "%.1f%c"
	                                                         : "%.0f%c",
	         d, units[u]);
}

/* Never silent about rows a memory limit let go. */
static void evicted_text(const struct ui *ui, char *buf, size_t size)
{
	const struct tl_model_evicted *e = &ui->m.evicted;
	buf[0] = '\0';
	if (!e->segments && !e->connections)
		return;
	char rows[32], limit[32], small[160];
	ui_format_count(e->segments, rows, sizeof rows);
	tl_model_too_small_text(&ui->m, small, sizeof small);
	if (*small) {
		/* The bound does not fit the open connections: say so, and
		 * what would. */
		snprintf(buf, size, "  let go %s: %s", rows, small);
		return;
	}
	if (e->by_count)
		ui_format_count(ui->opt->max_segments, limit, sizeof limit);
	else
		format_size(ui->opt->max_memory, limit, sizeof limit);
	snprintf(buf, size, "  let go %s (limit %s%s)", rows, limit,
	         e->by_count ? " rows" : "");
}

static void progress_text(struct ui *ui, char *buf, size_t size)
{
	char frames[32], segs[32], evicted[224];
	evicted_text(ui, evicted, sizeof evicted);
	ui_format_count(ui->m.frames, frames, sizeof frames);
	ui_format_count(ui->m.segs.count, segs, sizeof segs);
	if (ui->live) {
		uint64_t recv = 0, drop = 0;
		char d[32];
		bool have = tl_capture_stats(ui->cap, &recv, &drop);
		ui_format_count(drop, d, sizeof d);
		/* Stopped for good, or waiting for the interface: the first
		 * word says so, whatever message is on the left. */
		bool on = !ui->input_done;
		snprintf(buf, size, "%s %s%s  captured %s  shown %s  kernel "
		         "drops %s%s%s%s ", ui->input_error ? "STOPPED"
		         : on ? "LIVE" : "ENDED", ui->opt->cap.device,
		         on && tl_capture_link_down(ui->cap)
		                 ? " (link down, waiting)" : "",
		         frames, segs, have ? d : "?", evicted,
		         on && ui->paused ? "  paused (Space)" : "",
		         on && !ui->paused && ui->view == UI_VIEW_LADDER
		                 ? ui->ladder.follow ? "  following"
		                                     : "  F: follow" : "");
	} else if (ui->input_error) {
		snprintf(buf, size, "read error after frame %s ", frames);
	} else if (!ui->input_done && ui->replay && !ui->opt->step) {
		snprintf(buf, size, "%s %gx  %s frames%s ",
		         ui->paused ? "replay paused" : "replaying",
		         ui->opt->replay_speed, frames, evicted);
	} else if (!ui->input_done) {
		snprintf(buf, size, "%s %s frames%s ",
		         ui->replay ? ui->step_wait ? "step: n/Space"
		                                    : "replaying" : "reading",
		         frames, evicted);
	} else {
		snprintf(buf, size, "%s frames%s ", frames, evicted);
	}
}

void ui_draw_status(struct ui *ui, const char *hints)
{
	int y = ui->rows - 1;
	move(y, 0);
	clrtoeol();
	if (ui->prompt.active) {
		ui_draw_prompt(ui);
		return;
	}
	char right[256];
	progress_text(ui, right, sizeof right);
	int rw = ui_text_width(right);
	/* Live counts and rows let go matter more than key hints: they may
	 * take the line (cut at its end), or half of it next to a message;
	 * a file's progress only half. */
	bool vital = ui->live || ui->m.evicted.segments;
	int most = vital && !ui->msg[0] ? ui->cols - 2 : ui->cols / 2;
	if (rw > most)
		rw = vital ? most : 0;
	int room = ui->cols - rw - 3;
	if (ui->msg[0] && ui_text_width(ui->msg) > room - 1 &&
	    ui->rows > 6) {
		/* A message never goes cut: it takes the line above too
		 * (the view's footer), and the whole width of both. */
		int w = room - 1;
		if (ui_text_width(ui->msg) > 2 * w - 8) {
			w = ui->cols - 2;      /* the counts give way */
			rw = 0;
		}
		move(y - 1, 0);
		clrtoeol();
		ui_put_wrap(ui, y - 1, 1, 2, w, ui->msg,
		            ui->msg_error ? R_ERROR : R_NORMAL, !ui->msg_error);
	} else if (ui->msg[0]) {
		ui_put(ui, y, 1, room - 1, ui->msg,
		       ui->msg_error ? R_ERROR : R_NORMAL, !ui->msg_error);
	} else {
		ui_put(ui, y, 1, room - 1, hints, R_HINT, false);
	}
	if (rw)
		ui_put(ui, y, ui->cols - rw, rw, right,
		       ui->input_error || (ui->live && !ui->input_done &&
		                           tl_capture_link_down(ui->cap))
		               ? R_ERROR : R_HINT, false);
}

/* Under a refused answer: a caret line at the offending token (as -Y
 * points at it), then the message. skip: bytes of the text scrolled off
 * on the left, x: where the shown text starts. */
static void draw_prompt_error(struct ui *ui, int y, int x, size_t skip,
                              int lines)
{
	const struct ui_prompt *p = &ui->prompt;
	char head[sizeof p->text];
	size_t pos = p->err_pos > skip ? p->err_pos - skip : 0;
	snprintf(head, sizeof head, "%.*s", (int)pos, p->text + skip);
	int cx = x + ui_text_width(head);
	if (cx > ui->cols - 2)
		cx = ui->cols - 2;
	char marks[sizeof p->text];
	size_t n = p->err_len ? p->err_len : 1;
	if (n > sizeof marks - 1)
		n = sizeof marks - 1;
	memset(marks, '~', n);
	marks[0] = '^';
	marks[n] = '\0';
	for (int i = 1; i <= 1 + lines; i++) {
		move(y + i, 0);
		clrtoeol();
	}
	ui_put(ui, y + 1, cx, ui->cols - 1 - cx, marks, R_ERROR, true);
	ui_put_wrap(ui, y + 2, 1, lines, ui->cols - 2, p->err, R_ERROR, false);
}

/* The lines a refused answer's message takes: what it needs, wrapped at
 * words, up to four and leaving the view three. */
static int prompt_error_lines(const struct ui *ui)
{
	int w = ui->cols - 2 > 10 ? ui->cols - 2 : 10;
	int n = (ui_text_width(ui->prompt.err) + w - 1) / w;
	n += n > 1;     /* room for the words wrapping leaves */
	int most = ui->rows - 6 < 4 ? ui->rows - 6 : 4;
	if (n > most)
		n = most;
	return n < 1 ? 1 : n;
}

void ui_draw_prompt(struct ui *ui)
{
	bool refused = ui->prompt.err[0] && ui->rows >= 6;
	int lines = refused ? prompt_error_lines(ui) : 0;
	int y = ui->rows - (refused ? 2 + lines : 1);
	move(y, 0);
	clrtoeol();
	int lw = ui_put(ui, y, 1, ui->cols - 2, ui->prompt.label, R_HEADER,
	                true);
	int x = 1 + lw;
	int room = ui->cols - x - 2;
	const char *t = ui->prompt.text;
	int tw = ui_text_width(t);
	while (tw > room && *t) {      /* show the end of a long answer */
		t++;
		while ((*t & 0xc0) == 0x80)
			t++;
		tw--;
	}
	ui_put(ui, y, x, room, t, R_NORMAL, false);
	if (!ui->prompt.yes_no) {
		attron(A_REVERSE);
		mvaddch(y, x + tw, ' ');
		attroff(A_REVERSE);
	}
	if (refused)
		draw_prompt_error(ui, y, x, (size_t)(t - ui->prompt.text),
		                  lines);
}

/* ---- number formats --------------------------------------------------- */

void ui_format_count(uint64_t v, char *buf, size_t size)
{
	char digits[24];
	size_t n = tl_utoa(v, digits), len = 0;
	for (size_t i = 0; i < n && len + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[len++] = ',';
		buf[len++] = digits[i];
	}
	buf[len] = '\0';
}

void ui_format_bytes(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "kMGTP";
	if (v < 1000) {
		snprintf(buf, size, "%u", (unsigned)v);
		return;
	}
	double d = (double)v;
	int u = -1;
	while (d >= 999.95 && u < 4) {
		d /= 1000;
		u++;
	}
	snprintf(buf, size, d < 9.95 ? "%.1f%c" : "%.0f%c", d, units[u]);
}

void ui_format_duration(tl_nsec ns, char *buf, size_t size)
{
	double s = (double)ns / 1e9;
	if (ns < 0)
		snprintf(buf, size, "-");
	else if (s < 0.001)
		snprintf(buf, size, "%.0fus", s * 1e6);
	else if (s < 1)
		snprintf(buf, size, "%.2fms", s * 1e3);
	else if (s < 600)
		snprintf(buf, size, "%.2fs", s);
	else
		snprintf(buf, size, "%.0fm", s / 60);
}

const char *ui_time_name(enum tl_time_format f)
{
	switch (f) {
	case TL_TIME_DELTA: return "delta";
	case TL_TIME_ABSOLUTE: return "time of day";
	default: return "since start";
	}
}

/* decimals: 6 (full) or fewer on narrow screens. */
void ui_format_time(const struct ui *ui, int64_t us, int64_t prev_us,
                    bool have_prev, int decimals, char *buf, size_t size)
{
	char tmp[40];
	size_t n;
	int64_t div = 1;
	for (int i = decimals; i < 6; i++)
		div *= 10;
	switch (ui->time_format) {
	case TL_TIME_DELTA: {
		int64_t d = have_prev ? us - prev_us : 0;
		tmp[0] = '+';
		n = 1 + tl_format_us(d, tmp + 1);
		tmp[n - (size_t)(6 - decimals)] = '\0';
		break;
	}
	case TL_TIME_ABSOLUTE: {
		int64_t abs_us = tl_nsec_to_us(ui->m.start_time) + us;
		time_t secs = (time_t)(abs_us / 1000000);
		struct tm tm;
		localtime_r(&secs, &tm);
		snprintf(tmp, sizeof tmp, "%02d:%02d:%02d.%0*ld", tm.tm_hour,
		         tm.tm_min, tm.tm_sec, decimals,
		         (long)((abs_us % 1000000) / div));
		break;
	}
	default:
		n = tl_format_us(us, tmp);
		tmp[n - (size_t)(6 - decimals)] = '\0';
		break;
	}
	snprintf(buf, size, "%s", tmp);
}

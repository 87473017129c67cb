/* Help: every key, per view. */
#include "config.h"

#include "ui.h"

#include "tl_keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define HELP_LINES ((int)tl_key_help_lines)

static int help_scroll;

static int role_of(char c)
{
	switch (c) {
	case 'r': return R_RTX;
	case 'd': return R_DUPACK;
	case 'o': return R_OOO;
	case 'l': return R_LOST;
	case 'w': return R_WINDOW;
	case 'e': return R_OTHER;
	case 'c': return R_CHANGE;
	/* The phase band's letters (view_ladder.c). */
	case 'S': return R_GRAPH_ACK;
	case 'A': return R_LOST;
	case 'R': return R_DUPACK;
	case 'T': return R_RTX;
	default: return R_NORMAL;
	}
}

/* The help's lines as drawn: a key line longer than the screen goes on
 * under its description column (never cut), so scrolling reaches every
 * word. Each entry is a source line and the byte where it resumes. */
#define DESC_COL 19
struct help_row {
	int line;
	int off;
};
static struct help_row rows_drawn[512];   /* the table, wrapped */
static int rows_count;
static int want_line = -1;      /* a section to open at, once wrapped */

static int cells_to_bytes(const char *s, int cells)
{
	int b = 0;
	for (int c = 0; c < cells && s[b]; c++) {
		b++;
		while (((unsigned char)s[b] & 0xc0) == 0x80)
			b++;
	}
	return b;
}

static void wrap_help(int width)
{
	rows_count = 0;
	for (int i = 0; i < HELP_LINES; i++) {
		const char *s = tl_key_help[i];
		int off = 0, indent = 0;
		for (;;) {
			int room = width - indent;
			const char *p = s + off;
			rows_drawn[rows_count].line = i;
			rows_drawn[rows_count].off = off;
			rows_count++;
			if (ui_text_width(p) <= room ||
			    rows_count == (int)(sizeof rows_drawn /
			                        sizeof rows_drawn[0]) ||
			    room < 10)
				break;
			int end = cells_to_bytes(p, room), cut = end;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut <= 0)
				cut = end;
			while (p[cut] == ' ')
				cut++;
			off += cut;
			indent = DESC_COL;
		}
		if (rows_count == (int)(sizeof rows_drawn /
		                        sizeof rows_drawn[0]))
			break;
	}
}

static void help_draw(struct ui *ui)
{
	ui_draw_title(ui, "keys", "q back  Q quit");
	int rows = ui->rows - 2;
	wrap_help(ui->cols - 2);
	if (want_line >= 0) {
		for (int i = 0; i < rows_count; i++)
			if (rows_drawn[i].line == want_line &&
			    rows_drawn[i].off == 0) {
				help_scroll = i;
				break;
			}
		want_line = -1;
	}
	if (help_scroll > rows_count - rows)
		help_scroll = rows_count - rows;
	if (help_scroll < 0)
		help_scroll = 0;
	for (int i = 0; i < rows && help_scroll + i < rows_count; i++) {
		const struct help_row *hr = &rows_drawn[help_scroll + i];
		const char *s = tl_key_help[hr->line];
		int y = 1 + i;
		if (hr->off) {
			/* The rest of a long line: whole words, so the cut
			 * falls where the next line takes over. */
			const char *p = s + hr->off;
			int n = i + 1 < rows && help_scroll + i + 1 < rows_count
			        && rows_drawn[help_scroll + i + 1].line ==
			           hr->line
			        ? rows_drawn[help_scroll + i + 1].off - hr->off
			        : (int)strlen(p);
			char part[512];
			snprintf(part, sizeof part, "%.*s", n, p);
			ui_put(ui, y, 1 + DESC_COL, ui->cols - 2 - DESC_COL,
			       part, R_NORMAL, false);
		} else if (s[0] == '#') {
			ui_put(ui, y, 1, ui->cols - 2, s + 1, R_HEADER, true);
		} else if (s[0] == ' ' && s[2] == '@') {
			ui_put(ui, y, 3, ui->cols - 4, s + 4, role_of(s[3]),
			       false);
		} else {
			int n = help_scroll + i + 1 < rows_count &&
			        rows_drawn[help_scroll + i + 1].line == hr->line
			        ? rows_drawn[help_scroll + i + 1].off
			        : (int)strlen(s);
			char part[512];
			snprintf(part, sizeof part, "%.*s", n, s);
			ui_put(ui, y, 1, ui->cols - 2, part, R_NORMAL, false);
		}
	}
	char more[64];
	snprintf(more, sizeof more, "%d-%d of %d  Up/Down scroll  / search  "
	         "q back",
	         help_scroll + 1, help_scroll + rows < rows_count
	                          ? help_scroll + rows : rows_count, rows_count);
	ui_draw_status(ui, more);
}

/* / n N: the help's own lines, as in every view. */
static char help_search[128];

static void search_help(struct ui *ui, int dir)
{
	if (!help_search[0]) {
		ui_message(ui, false, "No search yet: / asks for one");
		return;
	}
	wrap_help(ui->cols - 2);
	size_t n = strlen(help_search);
	for (int i = help_scroll + dir; i >= 0 && i < rows_count; i += dir) {
		const char *p = tl_key_help[rows_drawn[i].line] +
		                rows_drawn[i].off;
		int len = i + 1 < rows_count &&
		          rows_drawn[i + 1].line == rows_drawn[i].line
		          ? rows_drawn[i + 1].off - rows_drawn[i].off
		          : (int)strlen(p);
		for (int k = 0; k + (int)n <= len; k++) {
			if (strncasecmp(p + k, help_search, n) == 0) {
				help_scroll = i;
				return;
			}
		}
	}
	ui_message(ui, true, "Not found %s: %s", dir > 0 ? "below" : "above",
	           help_search);
}

static void help_search_done(struct ui *ui, const char *text, bool ok)
{
	if (!ok || !text[0])
		return;
	snprintf(help_search, sizeof help_search, "%s", text);
	help_scroll--;
	search_help(ui, 1);
	if (help_scroll < 0)
		help_scroll = 0;
}

static enum ui_key_result help_key(struct ui *ui, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': help_scroll--; break;
	case KEY_DOWN: case 'j': help_scroll++; break;
	case KEY_PPAGE: help_scroll -= ui->rows - 3; break;
	case KEY_NPAGE: case ' ': help_scroll += ui->rows - 3; break;
	case KEY_HOME: case 'g': help_scroll = 0; break;
	case KEY_END: case 'G': help_scroll = 512; break;
	case '/':
		ui_prompt_start(ui, "Search the help: ", help_search, false,
		                help_search_done);
		break;
	case 'n': search_help(ui, 1); break;
	case 'N': search_help(ui, -1); break;
	case '?': case KEY_F(1): case '\n': case '\r':
		ui_set_view(ui, ui->help_back);
		break;
	default:
		return UI_KEY_UNHANDLED;
	}
	return UI_KEY_HANDLED;
}

static void help_mouse(struct ui *ui, int y, int x, int wheel)
{
	(void)ui;
	(void)y;
	(void)x;
	help_scroll += wheel * 3;
}

/* Help opens at the section of the view it was asked from. */
static void help_enter(struct ui *ui)
{
	static const char *const section[UI_VIEW_COUNT] = {
		[UI_VIEW_LIST] = "#Connections list",
		[UI_VIEW_LADDER] = "#Ladder",
		[UI_VIEW_DETAIL] = "#Segment details",
		[UI_VIEW_GRAPH] = "#Graphs",
		[UI_VIEW_FOLLOW] = "#Follow stream",
		[UI_VIEW_HOSTS] = "#Hosts and ports",
	};
	const char *want = ui->help_back < UI_VIEW_COUNT
	                   ? section[ui->help_back] : NULL;
	help_scroll = 0;
	want_line = -1;
	for (int i = 0; want && i < HELP_LINES; i++) {
		if (strncmp(tl_key_help[i], want, strlen(want)) == 0) {
			want_line = i;      /* found in the wrapped rows */
			break;
		}
	}
}

const struct ui_view ui_view_help = {
	.name = "help",
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.mouse = help_mouse,
};

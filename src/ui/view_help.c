/* Help: every key, per view. */
#include "config.h"

#include "ui.h"

#include "tl_keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

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

static void help_draw(struct ui *ui)
{
	ui_draw_title(ui, "keys", "q back  Q quit");
	int rows = ui->rows - 2;
	if (help_scroll > HELP_LINES - rows)
		help_scroll = HELP_LINES - rows;
	if (help_scroll < 0)
		help_scroll = 0;
	for (int i = 0; i < rows && help_scroll + i < HELP_LINES; i++) {
		const char *s = tl_key_help[help_scroll + i];
		int y = 1 + i;
		if (s[0] == '#')
			ui_put(ui, y, 1, ui->cols - 2, s + 1, R_HEADER, true);
		else if (s[0] == ' ' && s[2] == '@')
			ui_put(ui, y, 3, ui->cols - 4, s + 4, role_of(s[3]),
			       false);
		else
			ui_put(ui, y, 1, ui->cols - 2, s, R_NORMAL, false);
	}
	char more[64];
	snprintf(more, sizeof more, "Up/Down scroll (%d-%d of %d lines)  q back",
	         help_scroll + 1, help_scroll + rows < HELP_LINES
	                          ? help_scroll + rows : HELP_LINES, HELP_LINES);
	ui_draw_status(ui, more);
}

static enum ui_key_result help_key(struct ui *ui, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': help_scroll--; break;
	case KEY_DOWN: case 'j': help_scroll++; break;
	case KEY_PPAGE: help_scroll -= ui->rows - 3; break;
	case KEY_NPAGE: case ' ': help_scroll += ui->rows - 3; break;
	case KEY_HOME: case 'g': help_scroll = 0; break;
	case KEY_END: case 'G': help_scroll = HELP_LINES; break;
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
	};
	const char *want = ui->help_back < UI_VIEW_COUNT
	                   ? section[ui->help_back] : NULL;
	help_scroll = 0;
	for (int i = 0; want && i < HELP_LINES; i++) {
		if (strncmp(tl_key_help[i], want, strlen(want)) == 0) {
			help_scroll = i;
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

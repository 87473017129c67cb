/* Help: every key, per view. */
#include "config.h"

#include "ui.h"

#include <curses.h>
#include <stdio.h>

static const char *const help_text[] = {
	"#Everywhere",
	"  ?  F1            this help (q or Esc leaves it)",
	"  q  Esc           back: details > ladder > connections; quits on the first screen",
	"  Q                quit at once (so do Ctrl-C, SIGTERM and SIGHUP)",
	"  Ctrl-L           redraw the screen",
	"  mouse            wheel scrolls, a click selects a row",
	"",
	"#Connections list",
	"  Up Down j k      move",
	"  PgUp PgDn        a page up or down (also Ctrl-B, Ctrl-F)",
	"  Home End g G     first, last connection",
	"  Space            select or unselect the connection (several may be selected)",
	"  a                select every connection shown (again: unselect all)",
	"  Enter            open the ladder of the selection (or of this connection)",
	"  /                filter by text: address, port, state or stream number",
	"  s  S             sort by stream, packets, bytes, problems, duration, iRTT;",
	"                   S reverses the order",
	"  w                save the selected connections to a pcap file",
	"",
	"#Ladder",
	"  Up Down j k      previous, next segment",
	"  PgUp PgDn        a page up or down (also Ctrl-B, Ctrl-F)",
	"  Home End         first, last segment; End also resumes following (live)",
	"  g  G             time-sequence graph, bytes in flight of this connection",
	"  e  E             export the rows on screen (E: every row shown) as SVG,",
	"                   named after the capture (never over an existing file)",
	"  Left Right h l   scroll sideways when the columns do not fit",
	"  Enter            segment details, full screen",
	"  d                details pane below the ladder (toggle)",
	"  Tab              switch between the ladder and the details pane",
	"  /                search: a frame number, or text in labels and annotations",
	"  n  N             next, previous match",
	"  a  A             next, previous annotated segment (retransmission, dup ACK...)",
	"  f                rows: all, annotated only, client to server, server to client",
	"  t                time: since start, delta from the row above, time of day",
	"  r                relative or absolute sequence numbers",
	"  v                one or two rows per segment (label above the arrow)",
	"  w                save the connections shown to a pcap file",
	"  c                the connections list",
	"  F                follow new segments again (live capture, replay)",
	"  Space            pause drawing, not capturing (live capture, replay);",
	"                   with --step: next segment (so does n)",
	"",
	"#Graphs (g, G)",
	"  + -  0           zoom in, out (around the cursor); fit the whole connection",
	"  arrows h j k l   pan",
	"  , .  [ ]         previous, next segment (the ladder follows)",
	"  a  A             next, previous annotated segment",
	"  PgUp PgDn Home End  20 segments back, on; first, last",
	"  g  G             time-sequence graph; bytes in flight and receive window",
	"  x                the other direction's data",
	"  e                export the graph as shown to NAME.streamN.tsg.svg",
	"  Enter            segment details;  q Esc  back to the ladder",
	"  dots: data (bars), ACK line (green), window (dim); annotations in their",
	"  colours; no SACK blocks (segments do not keep them)",
	"",
	"#Segment details",
	"  Up Down j k      scroll (PgUp PgDn Home End g G too)",
	"  n  p             next, previous segment (also Right, Left)",
	"  r                relative or absolute sequence numbers",
	"  Enter q Esc      back to the ladder",
	"",
	"#Prompts (search, filter, file name)",
	"  Enter            accept      Esc  cancel      Backspace  erase      Ctrl-U  clear",
	"",
	"#Colours in the ladder",
	"  @rRetransmission, fast or spurious retransmission",
	"  @dDuplicate ACK",
	"  @oOut-of-order",
	"  @lPrevious segment not captured, ACKed unseen segment",
	"  @wZero window, window full, zero-window probe",
	"  @eKeep-alive, window update, reused ports",
	"  @cwindow changes (dim)",
};

#define HELP_LINES ((int)(sizeof help_text / sizeof help_text[0]))

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
		const char *s = help_text[help_scroll + i];
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

static void help_enter(struct ui *ui)
{
	(void)ui;
	help_scroll = 0;
}

const struct ui_view ui_view_help = {
	.name = "help",
	.enter = help_enter,
	.draw = help_draw,
	.key = help_key,
	.mouse = help_mouse,
};

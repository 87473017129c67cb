/* Every key of the full-screen view, once: the help screen and --help both
 * print this table. Lines starting with '#' are headings; "  @x" lines name
 * the colour of annotation kind x (the help screen draws them in it); the
 * phase band's (S A R T) also print as plain text. */
#include "config.h"

#include "tl_keys.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *const tl_key_help[] = {
	"#Everywhere (the same keys in every view)",
	"  ?  F1            this help, at the section of the view it is asked from",
	"  g  Home          first (row, segment, line);  G  End  last",
	"  /  n  N          search; next, previous match",
	"  f                filter what the view shows",
	"  q  Esc           back: details > ladder > connections; quits on the first screen",
	"  Q                quit (so do Ctrl-C, SIGTERM and SIGHUP); live, q Esc Q ask",
	"                   first: y quits, n stays, w saves (no -w)",
	"  Ctrl-L           redraw the screen",
	"  mouse            wheel scrolls, a click selects a row",
	"",
	"#Connections list",
	"  Up Down j k      move",
	"  PgUp PgDn        a page up or down (also Ctrl-B, Ctrl-F)",
	"  Home End g G     first, last connection",
	"  Left Right h l   scroll the columns that do not fit (< > in the header)",
	"  Space            select or unselect the connection (several may be selected)",
	"  a                select every connection shown (again: unselect all)",
	"  Enter            open the ladder of the selection (or of this connection)",
	"  /  n  N          search: the next connection whose address, port, state",
	"                   or stream number holds the text; next, previous match",
	"  f                filter: a display filter (tcp.port == 80) keeps the",
	"                   connections with a segment it selects; other words must",
	"                   each match a whole address, port, address:port, state",
	"                   or stream number (3 is not 13)",
	"  s  S             sort by stream, packets, bytes, problems, duration, iRTT;",
	"                   S reverses the order",
	"  w                save the selected connections to a pcap file",
	"  p                follow this connection's stream (its payload)",
	"  H                hosts and server ports: show one on the ladder",
	"",
	"#Ladder",
	"  Up Down j k      previous, next segment",
	"  PgUp PgDn        a page up or down (also Ctrl-B, Ctrl-F)",
	"  Home End g G     first, last segment; End and G also resume following",
	"                   (live)",
	"  s  b             time-sequence graph, bytes in flight of this connection",
	"  e  E             export the rows on screen (E: every row shown) as SVG,",
	"                   named after the capture (never over an existing file)",
	"  Left Right h l   scroll sideways: the columns when they do not fit, then",
	"                   the analysis column when its text is cut (...)",
	"  Enter            segment details, full screen",
	"  d                details pane below the ladder (toggle)",
	"  Tab              switch between the ladder and the details pane",
	"  /                search: a frame number, or text in labels, analysis words,",
	"                   application labels, head-of-line notes, address:port",
	"  n  N             next, previous match",
	"  a  A             next, previous annotated segment (retransmission, dup ACK,",
	"                   head-of-line note...)",
	"  f                filter rows: a display filter as for -Y (such as",
	"                   tcp.analysis.retransmission), or annotated, c2s, s2c",
	"                   (Tab cycles them); empty: every row. A field the rows",
	"                   do not keep (ip.ttl, tcp.options...) is read from the",
	"                   frames: the file again (Esc stops), or a pipe's recent",
	"                   frames while none is gone",
	"  t                time: since start, delta from the row above, time of day",
	"  r                relative or absolute sequence numbers",
	"  v                one or two rows per segment (label above the arrow)",
	"  w                save the connections shown to a pcap file (under a",
	"                   row filter, the frames of the rows shown)",
	"  c                the connections list",
	"  H                hosts and server ports seen so far: one limits the",
	"                   ladder to its connections, later ones included",
	"  p                follow the stream: the payload of this connection,",
	"                   the cursor on this segment's bytes",
	"  F                follow new segments again (live capture, replay)",
	"  Space            pause drawing, not capturing (live capture); pause the",
	"                   replay and its clock (--replay);",
	"                   with --step: next segment (so does n)",
	"  +  -             replay faster, slower (x2, /2; Up PgUp Home go back",
	"                   through what was drawn while it goes on)",
	"",
	"#Phase band (left edge of the ladder: the data sender's congestion state)",
	"  @SS  slow start: cwnd below ssthresh, one more segment per segment ACKed",
	"  @AA  congestion avoidance: about one more segment per round trip",
	"  @RR  fast recovery: a loss found by duplicate ACKs or SACK",
	"  @TT  timeout: the retransmission timer fired, cwnd back to 1",
	"  a coloured gutter (with --no-color: the letter where a phase starts, a",
	"  bar while it lasts); the sender model (--cc); Enter says why it changed",
	"",
	"#Graphs (s, b)",
	"  + -  0           zoom in, out (around the cursor); fit the whole connection",
	"  arrows h j k l   pan",
	"  , .  [ ]         previous, next segment (the ladder follows)",
	"  a  A             next, previous annotated segment",
	"  /  n  N          search: a frame number, or text of a label or its",
	"                   analysis words; next, previous match",
	"  PgUp PgDn        20 segments back, on",
	"  Home End g G     first, last segment",
	"  s  b             time-sequence graph; bytes in flight and receive window",
	"  x                the other direction's data",
	"  e                export the graph as shown to NAME.streamN.tsg.svg",
	"  Enter            segment details;  q Esc  back to the ladder",
	"  dots: data (bars), ACK line (green), window (dim); annotations in their",
	"  colours; SACK blocks: a purple mark at the ACK's time over the bytes it",
	"  holds (! with --ascii)",
	"",
	"#Follow stream (p)",
	"  Up Down j k      move (PgUp PgDn Home End g G too); End follows new data",
	"  m                ASCII, hex dump (as tshark -z follow,tcp,hex), raw hex",
	"  h                HTTP/2: the bytes or the frames (type, stream, length,",
	"                   flags, decoded headers), each on its segment's frame",
	"  f  d             both directions, node 0 only, node 1 only",
	"  /  n  N          search the text shown; next, previous match",
	"  Enter            this chunk's first frame on the ladder (moving here",
	"                   moves the ladder's cursor too)",
	"  w                save the payload shown (no gaps) to a new file",
	"  q Esc            back; node 0 (→) sent first, node 1 (←) answered",
	"",
	"#Hosts and ports (H)",
	"  Up Down j k      move (PgUp PgDn Home End g G too); busiest first",
	"  Enter            the ladder of this host's or port's connections, those",
	"                   still to come included (a live capture); the first",
	"                   line shows every connection again",
	"  /  n  N          search the names (host 192.0.2.7, port 443)",
	"  H                every connection again;  q Esc  back",
	"",
	"#Segment details",
	"  Up Down j k      scroll (PgUp PgDn Home End g G too)",
	"  Right Left . ,   next, previous segment (also ] [)",
	"  /  n  N          search the lines of the details; next, previous match",
	"  p                follow the stream from this segment",
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

const unsigned tl_key_help_lines = sizeof tl_key_help / sizeof tl_key_help[0];

void tl_key_help_print(FILE *out)
{
	bool samples = false;
	for (unsigned i = 0; i < tl_key_help_lines; i++) {
		const char *s = tl_key_help[i];
		if (strncmp(s, "#Colours", 8) == 0)
			samples = true;
		else if (s[0] == '#')
			samples = false;
		if (s[0] == ' ' && s[1] == ' ' && s[2] == '@') {
			/* A colour sample means nothing in plain text; the
			 * phase band's letters still do. */
			if (!samples)
				fprintf(out, "  %s\n", s + 4);
			continue;
		}
		if (samples)
			continue;   /* the samples' heading goes too */
		if (s[0] == '#')
			fprintf(out, "%s:\n", s + 1);
		else
			fprintf(out, "%s\n", s);
	}
}

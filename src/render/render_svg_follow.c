/* -T svg: under the ladder, the payload of the selected connection (the
 * first one, or those -S picks, as -T html), reassembled as tshark -z
 * follow does it (follow.c): node 0 and node 1 in two colours, each
 * chunk's frame beside its first line, gaps marked with their size.
 *
 * SVG does not wrap text: each screen line is a <text> of its own, cut at
 * the picture's width. Every byte is made XML-safe here: printable ASCII
 * as itself (& < > " escaped), LF ends a line, CR is not shown, anything
 * else is a dot, as tshark's ascii mode shows it. */
#include "config.h"

#include "render_svg_follow.h"

#include <string.h>

#include "tl_follow.h"

#define FOLLOW_PX 17            /* text size */
#define LINE_H 22
#define CHAR_W 0.61             /* a monospace glyph's advance, in em */
#define X_FRAME 84              /* frame numbers end here */
#define X_TEXT 100
#define HEAD_H 84               /* the heading and its line of names */
#define NODE0 "#a40000"
#define NODE1 "#00439c"
#define GAP "#b35900"
#define QUIET "#555555"

static unsigned columns(double width)
{
	double c = (width - X_TEXT - 24) / (FOLLOW_PX * CHAR_W);
	return c < 40 ? 40 : (unsigned)c;
}

static void esc_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		switch (ch) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			fputc(ch >= 0x20 && ch < 0x7f ? ch : '.', f);
		}
	}
}

/* One line: bytes p[0..n) (no LF in them). */
static void put_line(FILE *f, double y, const uint8_t *p, uint32_t n,
                     const char *color, uint32_t frame)
{
	if (frame)
		fprintf(f, "<text x=\"%d\" y=\"%.0f\" text-anchor=\"end\" "
		        "fill=\"%s\">%u</text>", X_FRAME, y, QUIET, frame);
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" fill=\"%s\">", X_TEXT, y, color);
	char buf[512];
	size_t k = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (p[i] == '\r')
			continue;
		buf[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
		if (k == sizeof buf - 1) {
			buf[k] = '\0';
			esc_text(f, buf);
			k = 0;
		}
	}
	if (k) {
		buf[k] = '\0';
		esc_text(f, buf);
	}
	fputs("</text>\n", f);
}

/* Walks the lines of one follow: counts them, and writes them when f is
 * not NULL (at most TL_SVG_FOLLOW_LINES; the count is of all). */
static uint64_t walk(FILE *f, const struct tl_follow *fl, double top,
                     unsigned cols)
{
	uint64_t lines = 0;
	double y = top;
	for (uint32_t i = 0; i < fl->count; i++) {
		const struct tl_follow_chunk *c = &fl->chunks[i];
		const char *color = c->node ? NODE1 : NODE0;
		if (c->gap) {
			if (f && lines < TL_SVG_FOLLOW_LINES) {
				char text[80];
				int n = snprintf(text, sizeof text, "[%u bytes "
				                 "missing in capture file]",
				                 c->missing);
				fprintf(f, "<text x=\"%d\" y=\"%.0f\" "
				        "text-anchor=\"end\" fill=\"%s\">%u"
				        "</text><text x=\"%d\" y=\"%.0f\" "
				        "fill=\"%s\" font-weight=\"bold\">",
				        X_FRAME, y, QUIET, c->frame, X_TEXT, y,
				        GAP);
				fwrite(text, 1, n > 0 ? (size_t)n : 0, f);
				fputs("</text>\n", f);
				y += LINE_H;
			}
			lines++;
			continue;
		}
		const uint8_t *p = fl->data + c->off;
		uint32_t start = 0;
		bool first = true;
		while (start < c->len) {
			uint32_t k = start, cells = 0;
			while (k < c->len && p[k] != '\n' && cells < cols) {
				if (p[k] != '\r')
					cells++;
				k++;
			}
			if (f && lines < TL_SVG_FOLLOW_LINES) {
				put_line(f, y, p + start, k - start, color,
				         first ? c->frame : 0);
				y += LINE_H;
			}
			lines++;
			first = false;
			start = k < c->len && p[k] == '\n' ? k + 1 : k;
		}
	}
	return lines;
}

static double section_height(const struct tl_follow *fl, unsigned cols)
{
	uint64_t lines = walk(NULL, fl, 0, cols);
	uint64_t shown = lines < TL_SVG_FOLLOW_LINES ? lines
	                                             : TL_SVG_FOLLOW_LINES;
	/* heading, the lines, "N more lines" or "(no payload)", a margin */
	return HEAD_H + (double)shown * LINE_H +
	       (lines > shown || !lines ? LINE_H : 0) + 24;
}

double tl_svg_follow_height(const struct tl_picture_src *src, double width)
{
	double h = 0;
	for (uint32_t i = 0; i < src->follow_count; i++)
		if (src->follows[i])
			h += section_height(src->follows[i], columns(width));
	return h;
}

void tl_svg_follow(FILE *f, const struct tl_picture_src *src, double top,
                   double width)
{
	unsigned cols = columns(width);
	double y = top;
	for (uint32_t i = 0; i < src->follow_count; i++) {
		const struct tl_follow *fl = src->follows[i];
		if (!fl)
			continue;
		double h = section_height(fl, cols);
		char name[2][80], text[512];
		tl_follow_node_name(fl, 0, name[0], sizeof name[0]);
		tl_follow_node_name(fl, 1, name[1], sizeof name[1]);
		fprintf(f, "<g class=\"follow\" data-stream=\"%u\">\n"
		        "<line x1=\"24\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" "
		        "stroke=\"#9e9e9e\"/>\n<text x=\"24\" y=\"%.0f\" "
		        "font-size=\"22\" font-weight=\"bold\" "
		        "fill=\"#000000\">Stream %u: the payload</text>\n",
		        src->follow_streams[i], y + 8, width - 24, y + 8, y + 40,
		        src->follow_streams[i]);
		fprintf(f, "<text x=\"24\" y=\"%.0f\" font-size=\"17\" "
		        "xml:space=\"preserve\">", y + 68);
		for (unsigned n = 0; n < 2; n++) {
			snprintf(text, sizeof text, " %s %llu bytes  ", name[n],
			         (unsigned long long)fl->bytes_per_node[n]);
			fprintf(f, "<tspan fill=\"%s\">%s", n ? NODE1 : NODE0,
			        n ? "\u2190" : "\u2192");
			esc_text(f, text);
			fputs("</tspan>", f);
		}
		fprintf(f, "<tspan fill=\"%s\">reassembled as tshark "
		        "-z follow does it%s</tspan></text>\n", QUIET,
		        fl->full ? " (cut short: too large for the picture)"
		                 : "");
		fprintf(f, "<g font-size=\"%d\" xml:space=\"preserve\" "
		        "style=\"white-space: pre\">\n", FOLLOW_PX);
		uint64_t lines = walk(f, fl, y + HEAD_H + 14, cols);
		double y_end = y + HEAD_H + 14 +
		               (double)(lines < TL_SVG_FOLLOW_LINES
		                        ? lines : TL_SVG_FOLLOW_LINES) * LINE_H;
		if (!lines)
			fprintf(f, "<text x=\"%d\" y=\"%.0f\" fill=\"%s\">(no "
			        "payload)</text>\n", X_TEXT, y_end, QUIET);
		else if (lines > TL_SVG_FOLLOW_LINES)
			fprintf(f, "<text x=\"%d\" y=\"%.0f\" fill=\"%s\">"
			        "\u2026 %llu more lines: -z follow,tcp,ascii,%u "
			        "or -T html shows them all</text>\n", X_TEXT,
			        y_end, QUIET, (unsigned long long)
			        (lines - TL_SVG_FOLLOW_LINES),
			        src->follow_streams[i]);
		fputs("</g>\n</g>\n", f);
		y += h;
	}
}

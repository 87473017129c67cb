/* Pictures for slides and pages: the ladder and the time-sequence graphs
 * as standalone SVG, and one self-contained HTML page (the picture, the
 * segment table, a summary per connection, details on hover). No curses;
 * the full-screen view exports through the same functions.
 *
 * Memory: a picture holds at most its rows (--rows, default 1000, at most
 * 20000). -T svg/html streams the capture once, keeps only the segments of
 * the page asked for (--page) and counts the rest. */
#ifndef TL_PICTURE_H
#define TL_PICTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tl_capture.h"
#include "tl_follow.h"
#include "tl_model.h"
#include "tl_options.h"
#include "tl_tsg.h"

#define TL_PICTURE_DEFAULT_ROWS 1000u
#define TL_PICTURE_MAX_ROWS 20000u

struct tl_picture_src {
	const struct tl_model *m;       /* tracker and time origin */
	const struct tl_segstore *segs; /* what rows index */
	const uint32_t *rows;           /* NULL: every segment of segs */
	uint32_t row_count;
	uint64_t first_row;             /* 0-based number of the first row */
	uint64_t total_rows;            /* rows in the whole selection */
	const char *title;              /* the capture's name */
	const char *more_hint;          /* footer when rows were left out */
	bool absolute_seq;
	enum tl_time_format time_format;
	bool by_host;
	/* -T html: the payload of these connections (follow.c), shown as
	 * text after the tables; NULL entries are skipped. */
	const struct tl_follow *const *follows;
	const uint32_t *follow_streams;
	uint32_t follow_count;
};

/* Each returns 0, or -1 if writing failed (errno set). */
int tl_svg_ladder(FILE *f, const struct tl_picture_src *src);
/* One panel per connection in the rows (at most 8), or only stream when
 * it is not UINT32_MAX; dir < 0 picks the direction that sent more;
 * view NULL fits the whole connection. */
int tl_svg_graph(FILE *f, const struct tl_picture_src *src,
                 enum tl_graph_kind kind, uint32_t stream, int dir,
                 const struct tl_tsg_view *view);
/* graph: 0 the ladder, else enum tl_graph_kind + 1. */
int tl_html_page(FILE *f, const struct tl_picture_src *src, int graph);

/* -T svg and -T html: reads the capture, writes the picture to standard
 * output; returns the exit status. */
int tl_picture_run(struct tl_options *opt, struct tl_capture *cap,
                   volatile sig_atomic_t *stop);

#endif

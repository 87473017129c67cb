/* Layout of a ladder row, shared by the full-screen view, -T text and the
 * pictures: how a width is split between the arrows and the analysis
 * column, and which parts of a segment's label go first when it does not
 * fit on its arrow. Pure arithmetic on cells; nothing here draws. */
#ifndef TL_LAYOUT_H
#define TL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

struct tl_app;

/* The shortest arrow between two neighbour columns: room for a pure ACK's
 * "ACK Ack=1234567" on it ("├── " + label + " ─▶┤"). */
#define TL_LAYOUT_MIN_GAP 22
/* Cells an arrow adds to its label: "├── " before, " ─▶┤" after. */
#define TL_LAYOUT_ARROW_CELLS 8
/* An analysis column narrower than this is not worth showing. */
#define TL_LAYOUT_MIN_ANALYSIS 14
/* Cells between the ladder and the analysis column. */
#define TL_LAYOUT_AN_SEP 3

struct tl_layout_want {
	int width;              /* cells for the ladder and the analysis */
	uint32_t columns;       /* ladder columns (endpoints) */
	int label_need;         /* widest whole label (cells); 0 = unknown */
	int label_min;          /* widest shortest label (the last try of
	                         * tl_layout_label_tries); 0 = unknown */
	int an_need;            /* widest analysis text (cells) */
};

struct tl_layout_split {
	int body_w;             /* ladder cells on screen */
	int virt_w;             /* laid-out ladder (> body_w: scroll sideways) */
	int gap;                /* cells between neighbour columns */
	int an_x;               /* analysis column, from the ladder's left */
	int an_w;               /* 0: no analysis column */
};

/* Who gets the width, in this order: every arrow its short minimum, room
 * for the shortest label of its rows (past that the ladder scrolls
 * sideways); then the analysis column what its
 * words need; then the arrows up to their whole labels; what is left
 * widens the analysis column. */
void tl_layout_split(const struct tl_layout_want *w,
                     struct tl_layout_split *s);

/* The label parts a segment shows, longest first: tries[0] is every part,
 * each next one drops one more. Pure ACKs (no payload, no SYN) drop Len=0,
 * then Seq=, then Win=, and keep Ack= last (the number the lab asks
 * about); data drops Win=, then Ack=, and keeps Seq= and Len=; SYNs drop
 * TSval, Win=, Ack=, Seq= and keep MSS, SACK_PERM and WS longest. Returns
 * the number of tries (at most TL_LAYOUT_MAX_TRIES). */
#define TL_LAYOUT_MAX_TRIES 6
size_t tl_layout_label_tries(const struct tl_seg *seg,
                             unsigned tries[TL_LAYOUT_MAX_TRIES]);

/* The longest label in that order that fits in room cells. Returns its
 * width, or -1 when even the shortest does not fit (buf then holds the
 * shortest, for the caller to cut with its ellipsis). */
int tl_layout_label(const struct tl_seg *seg, const struct tl_conn *conn,
                    int absolute, int room, char *buf, size_t size);

/* The same with the segment's SACK blocks (sack may be NULL): they go
 * after Len=0, Seq= and Win=, and before Ack= ("ACK Ack=1 SACK 11-21"). */
int tl_layout_label_sack(const struct tl_seg *seg, const struct tl_conn *conn,
                         const struct tl_seg_sack *sack, int absolute,
                         int room, char *buf, size_t size);
/* The same, but the blocks never go: -1 when even the shortest label
 * with them does not fit (buf then holds it). -T text wraps that label
 * onto more lines rather than lose a block. */
int tl_layout_label_sack_kept(const struct tl_seg *seg,
                              const struct tl_conn *conn,
                              const struct tl_seg_sack *sack, int absolute,
                              int room, char *buf, size_t size);
/* The whole label with its SACK blocks (the width it would like). */
size_t tl_layout_label_full(const struct tl_seg *seg,
                            const struct tl_conn *conn,
                            const struct tl_seg_sack *sack, int absolute,
                            char *buf, size_t size);

/* The analysis column's text: Wireshark's words, window changes, then the
 * application label ("» GET /files/1KB", head-of-line notes). Returns its
 * length in bytes. note and app may be NULL. */
size_t tl_layout_notes(const struct tl_seg *seg,
                       const struct tl_seg_note *note,
                       const struct tl_app *app, bool ascii, char *buf,
                       size_t size);

/* Cells of UTF-8 text (one per code point: the labels have no wide
 * characters). */
int tl_layout_cells(const char *s);
/* Bytes of the first `cells` cells of s. */
size_t tl_layout_prefix_bytes(const char *s, int cells);

/* Where to break text of `cells` cells into lines of `width`: the byte
 * length of the first line, at a space when there is one (the rest starts
 * after it). Returns strlen(s) when all of it fits. */
size_t tl_layout_wrap(const char *s, int width);

#endif

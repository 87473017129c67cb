/* Kinds of annotation, for colouring: which of the analysis bits of a
 * segment decides its colour, and the colours themselves. The full-screen
 * view maps a kind to a curses role; the SVG and HTML pictures use the same
 * colours as the 256-colour terminal theme. No curses here. */
#ifndef TL_ANNOT_H
#define TL_ANNOT_H

#include <stdbool.h>

enum tl_annot_kind {
	TL_ANNOT_NONE,
	TL_ANNOT_RTX,           /* retransmissions (plain, fast, spurious) */
	TL_ANNOT_DUPACK,
	TL_ANNOT_OOO,
	TL_ANNOT_LOST,          /* previous segment not captured, ACKed unseen */
	TL_ANNOT_WINDOW,        /* zero window, window full, probes */
	TL_ANNOT_OTHER,         /* keep-alive, window update, reused ports */
	TL_ANNOT_CHANGE,        /* window changes only */
	TL_ANNOT_KIND_COUNT,
};

/* The kind that colours a segment with these TL_AN_* bits (most
 * significant first, as the UI has always done). */
enum tl_annot_kind tl_annot_kind(unsigned analysis);

/* "#d70000": the kind's colour in the default 256-colour theme (xterm
 * palette value), for pictures on a white background. */
const char *tl_annot_color(enum tl_annot_kind kind);
/* The text colour that reads on a badge filled with tl_annot_color(). */
const char *tl_annot_ink(enum tl_annot_kind kind);
/* "retransmission", "dup-ack", ...: CSS class names and legend words. */
const char *tl_annot_name(enum tl_annot_kind kind);

#endif

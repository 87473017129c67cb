/* Colour themes of the full-screen view, as xterm-256 palette indices, and
 * the WCAG contrast arithmetic that checks them: every annotation colour
 * reads at least 4.5:1 against its theme's background. No curses here. */
#ifndef TL_THEME_H
#define TL_THEME_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_annot.h"
#include "tl_options.h"

#define TL_THEME_COUNT 3
#define TL_THEME_MIN_CONTRAST 4.5

struct tl_theme_colors {
	const char *name;
	short background;       /* painted by the view (256 colours) */
	short text;             /* plain text on it */
	short kind[TL_ANNOT_KIND_COUNT];       /* TL_ANNOT_NONE unused */
	short stream[6];        /* per-stream colours in multi-stream ladders */
	short error;
	short graph_ack;
	bool bold;              /* everything bold (projector) */
};

const struct tl_theme_colors *tl_theme_colors(enum tl_theme theme);
/* The palette's sRGB value of an xterm-256 index (16-255; 0-15 as xterm's
 * defaults). */
void tl_xterm_rgb(int index, uint8_t rgb[3]);
/* WCAG 2 contrast ratio of two colours, 1 to 21. */
double tl_contrast(const uint8_t a[3], const uint8_t b[3]);

#endif

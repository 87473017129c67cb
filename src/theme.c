/* Theme colours, chosen by measuring: tests/unit/test_theme computes the
 * contrast of each against its background from this table. */
#include "config.h"

#include "tl_theme.h"


static const struct tl_theme_colors themes[TL_THEME_COUNT] = {
	[TL_THEME_DEFAULT] = {
		.name = "dark", .background = 16, .text = 252,
		.kind = {
			[TL_ANNOT_RTX] = 196,   /* red */
			[TL_ANNOT_DUPACK] = 178,        /* yellow */
			[TL_ANNOT_OOO] = 170,   /* magenta */
			[TL_ANNOT_LOST] = 208,  /* orange */
			[TL_ANNOT_WINDOW] = 33, /* blue */
			[TL_ANNOT_OTHER] = 71,  /* green */
			[TL_ANNOT_CHANGE] = 244,        /* grey */
		},
		.stream = { 37, 71, 69, 133, 136, 245 },
		.error = 196, .graph_ack = 34,
	},
	[TL_THEME_LIGHT] = {
		.name = "light", .background = 231, .text = 16,
		.kind = {
			[TL_ANNOT_RTX] = 160,
			[TL_ANNOT_DUPACK] = 58, /* olive: yellow does not
			                         * read on white */
			[TL_ANNOT_OOO] = 127,
			[TL_ANNOT_LOST] = 130,
			[TL_ANNOT_WINDOW] = 25,
			[TL_ANNOT_OTHER] = 28,
			[TL_ANNOT_CHANGE] = 242,
		},
		.stream = { 23, 28, 25, 90, 94, 240 },
		.error = 160, .graph_ack = 28,
	},
	[TL_THEME_PROJECTOR] = {
		.name = "projector", .background = 16, .text = 231,
		.kind = {
			[TL_ANNOT_RTX] = 196,
			[TL_ANNOT_DUPACK] = 226,
			[TL_ANNOT_OOO] = 201,
			[TL_ANNOT_LOST] = 208,
			[TL_ANNOT_WINDOW] = 39,
			[TL_ANNOT_OTHER] = 46,
			[TL_ANNOT_CHANGE] = 250,
		},
		.stream = { 51, 46, 39, 207, 220, 15 },
		.error = 196, .graph_ack = 46, .bold = true,
	},
};

const struct tl_theme_colors *tl_theme_colors(enum tl_theme theme)
{
	return (unsigned)theme < TL_THEME_COUNT ? &themes[theme]
	                                        : &themes[TL_THEME_DEFAULT];
}

void tl_xterm_rgb(int index, uint8_t rgb[3])
{
	static const uint8_t basic[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const uint8_t level[6] = { 0, 95, 135, 175, 215, 255 };
	if (index < 0 || index > 255)
		index = 0;
	if (index < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = basic[index][i];
	} else if (index >= 232) {
		rgb[0] = rgb[1] = rgb[2] = (uint8_t)(8 + 10 * (index - 232));
	} else {
		int i = index - 16;
		rgb[0] = level[i / 36];
		rgb[1] = level[(i / 6) % 6];
		rgb[2] = level[i % 6];
	}
}

/* x^2.4 for x in (0, 1]: x^2 times the fifth root of x^2 (Newton), so
 * the model needs no libm. */
static double pow24(double x)
{
	double r = x * x, y = 1.0;
	for (int i = 0; i < 60; i++)
		y = (4.0 * y + r / (y * y * y * y)) / 5.0;
	return r * y;
}

static double linear(uint8_t v)
{
	double c = v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow24((c + 0.055) / 1.055);
}

static double luminance(const uint8_t c[3])
{
	return 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) +
	       0.0722 * linear(c[2]);
}

double tl_contrast(const uint8_t a[3], const uint8_t b[3])
{
	double la = luminance(a), lb = luminance(b);
	double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
	return (hi + 0.05) / (lo + 0.05);
}

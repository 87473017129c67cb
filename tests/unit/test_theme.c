/* Themes measured: every annotation colour of every theme (and the plain
 * text and per-stream colours) has a WCAG contrast of at least 4.5:1
 * against the background the theme paints, computed from the table. */
#include "config.h"

#include <stdio.h>

#include "tl_theme.h"

#include "check.h"

static double ratio(short fg, short bg)
{
	uint8_t a[3], b[3];
	tl_xterm_rgb(fg, a);
	tl_xterm_rgb(bg, b);
	return tl_contrast(a, b);
}

static void test_arithmetic(void)
{
	uint8_t k[3] = { 0, 0, 0 }, w[3] = { 255, 255, 255 };
	double r = tl_contrast(k, w);
	CHECK_MSG(r > 20.99 && r < 21.01, "black on white %.3f", r);
	CHECK(tl_contrast(w, w) < 1.0001);
	uint8_t c[3];
	tl_xterm_rgb(196, c);
	CHECK(c[0] == 255 && c[1] == 0 && c[2] == 0);
	tl_xterm_rgb(244, c);
	CHECK(c[0] == 128 && c[1] == 128 && c[2] == 128);
	/* The numbers: the old default dup-ACK yellow... */
	CHECK_MSG(ratio(160, 16) < 4.5, "old red 160 on black %.2f",
	          ratio(160, 16));
	/* ...and the projector's yellow on white, 1.07:1. */
	CHECK_MSG(ratio(226, 231) < 1.1, "yellow on white %.2f",
	          ratio(226, 231));
}

static void test_every_theme(void)
{
	for (int t = 0; t < TL_THEME_COUNT; t++) {
		const struct tl_theme_colors *th =
			tl_theme_colors((enum tl_theme)t);
		short bg = th->background;
		double r = ratio(th->text, bg);
		CHECK_MSG(r >= TL_THEME_MIN_CONTRAST, "%s text %.2f", th->name,
		          r);
		for (int k = TL_ANNOT_NONE + 1; k < TL_ANNOT_KIND_COUNT; k++) {
			r = ratio(th->kind[k], bg);
			printf("# %-9s %-15s %3d on %3d  %5.2f:1\n", th->name,
			       tl_annot_name((enum tl_annot_kind)k),
			       th->kind[k], bg, r);
			CHECK_MSG(r >= TL_THEME_MIN_CONTRAST,
			          "%s %s %d on %d: %.2f:1", th->name,
			          tl_annot_name((enum tl_annot_kind)k),
			          th->kind[k], bg, r);
		}
		for (int i = 0; i < 6; i++) {
			r = ratio(th->stream[i], bg);
			CHECK_MSG(r >= TL_THEME_MIN_CONTRAST,
			          "%s stream colour %d: %.2f:1", th->name, i, r);
		}
		r = ratio(th->error, bg);
		CHECK_MSG(r >= TL_THEME_MIN_CONTRAST, "%s error %.2f",
		          th->name, r);
	}
}

static const struct check_test tests[] = {
	CHECK_TEST(test_arithmetic),
	CHECK_TEST(test_every_theme),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

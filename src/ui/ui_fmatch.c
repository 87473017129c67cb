/* The view's display filter read from the frames themselves, for the
 * fields its 32-byte records do not keep (tl_dfilter_record_answers): a
 * model of its own runs over the same frames as the batch path does (-Y
 * with -T fields), and remembers which frames passed. Frames already
 * shown are read again from the file (ui_reread) or, for a live capture or
 * a pipe, from the ring of recent frames while it still holds every one;
 * the frames that come next are fed to it as they arrive (feed_frame). */
#include "config.h"

#include "ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_app.h"
#include "tl_dfilter.h"

struct ui_fmatch {
	unsigned refs;          /* the ladder and the list may share one */
	char *text;
	struct tl_dfilter *df;  /* its own: a sharer may outlive the first */
	struct tl_model m;
	uint8_t *bits;          /* bit n: frame n passed */
	uint32_t bits_cap;      /* bytes */
	uint32_t fed;           /* frames fed: the next is fed + 1 */
	uint32_t forgets_done;  /* of the view model's forgets */
	bool lost;              /* a frame went by unfed: answers stop */
};

/* Draws the progress at most this often, after the pass took this long. */
#define PROGRESS_AFTER_MS 150
#define PROGRESS_EVERY_MS 100

static struct ui_fmatch *fmatch_new(const struct ui *ui,
                                    const struct tl_dfilter *df,
                                    const char *text)
{
	struct ui_fmatch *fm = tl_xcalloc(1, sizeof *fm);
	fm->refs = 1;
	fm->lost = true;        /* until its filter compiles, below */
	fm->text = tl_xstrdup(text);
	char err[256];
	fm->df = tl_dfilter_compile(text, err, sizeof err, NULL, NULL);
	(void)df;       /* compiled from the same text: the same filter */
	/* As the batch path sets its model up for -Y (without the bound
	 * on connections the view does not set either, and letting go what
	 * the view lets go, forget_as_view: the same streams). */
	tl_model_init(&fm->m, false);
	if (!fm->df)
		return fm;      /* text cut short: answers nothing */
	fm->lost = false;
	if (tl_dfilter_wants_http(fm->df)) {
		tl_model_enable_app(&fm->m);
		tl_app_want_http(fm->m.app);
	}
	if (tl_dfilter_wants_sender(fm->df))
		tl_model_enable_sender(&fm->m, ui->opt->cc);
	if (tl_dfilter_wants_bif(fm->df))
		tl_tracker_want_bif(&fm->m.tracker);
	return fm;
}

void ui_fmatch_release(struct ui_fmatch *fm)
{
	if (!fm || --fm->refs)
		return;
	tl_model_free(&fm->m);
	if (fm->df)
		tl_dfilter_free(fm->df);
	free(fm->bits);
	free(fm->text);
	free(fm);
}

static void set_bit(struct ui_fmatch *fm, uint32_t frame)
{
	uint32_t byte = frame / 8;
	if (byte >= fm->bits_cap) {
		uint32_t cap = byte + byte / 2 + 4096;
		if (cap < byte)
			cap = UINT32_MAX;
		fm->bits = tl_xrealloc(fm->bits, cap, 1);
		memset(fm->bits + fm->bits_cap, 0, cap - fm->bits_cap);
		fm->bits_cap = cap;
	}
	fm->bits[byte] |= (uint8_t)(1u << (frame % 8));
}

/* The connections the view let go while it read frames up to fm->fed:
 * let go here at the same point, the streams stay the view's. */
static void forget_as_view(struct ui_fmatch *fm, const struct tl_model *view)
{
	while (fm->forgets_done < view->forget_count &&
	       view->forgets[fm->forgets_done].frame <= fm->fed)
		tl_model_forget_stream(&fm->m,
		                       view->forgets[fm->forgets_done++].stream);
}

/* One frame, the next one: what -Y would say of it. */
static void feed_one(struct ui_fmatch *fm, const struct tl_frame *f,
                     const struct tl_model *view)
{
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	if (tl_model_frames_done(&fm->m, 0))
		return;
	bool got = tl_model_frame(&fm->m, f->dlt, f->data, f->caplen, f->ts,
	                          &seg, &note, &has_note);
	fm->fed = fm->m.frames;
	if (got) {
		struct tl_fctx c = { .m = &fm->m, .data = f->data,
		                     .caplen = f->caplen, .len = f->len,
		                     .frame = seg.frame, .ts = f->ts };
		if (tl_dfilter_match(fm->df, &c))
			set_bit(fm, seg.frame);
	}
	forget_as_view(fm, view);
}

void ui_fmatch_feed(struct ui *ui, const struct tl_frame *f)
{
	struct ui_fmatch *fms[2] = { ui->ladder.fm, ui->list.fm };
	for (int i = 0; i < 2; i++) {
		struct ui_fmatch *fm = fms[i];
		if (!fm || (i == 1 && fm == fms[0]) || fm->lost)
			continue;
		if (fm->fed + 1 != ui->m.frames)
			fm->lost = true;        /* never: fed as they come */
		else
			feed_one(fm, f, &ui->m);
	}
}

bool ui_fmatch_passes(const struct ui_fmatch *fm, uint32_t frame)
{
	uint32_t byte = frame / 8;
	return byte < fm->bits_cap && (fm->bits[byte] >> (frame % 8)) & 1u;
}

/* The line under everything while a pass takes long: how far it is. */
static void progress(const struct ui *ui, const struct ui_fmatch *fm,
                     uint32_t frame, uint32_t last)
{
	char line[256], at[32], of[32];
	ui_format_count(frame, at, sizeof at);
	ui_format_count(last, of, sizeof of);
	/* What to do first, the filter last: a narrow screen cuts it. */
	snprintf(line, sizeof line, " Esc stops. Reading frame %s of %s "
	         "(%u%%) again for the filter %s", at, of,
	         (unsigned)((uint64_t)frame * 100 / (last ? last : 1)),
	         fm->text);
	int y = LINES - 1;
	move(y, 0);
	clrtoeol();
	ui_put(ui, y, 0, COLS, line, R_NORMAL, true);
	refresh();
}

/* Esc among the keys typed meanwhile (the others are dropped: the pass
 * is what the user is waiting for). */
static bool esc_typed(void)
{
	int ch;
	bool esc = false;
	while ((ch = getch()) != ERR)
		if (ch == 27)
			esc = true;
	return esc;
}

/* Feeds the frames the view read before the filter came, from the file
 * or the ring. False with err when they cannot be read or Esc stopped. */
static bool catch_up(struct ui *ui, struct ui_fmatch *fm, const char *field,
                     const char *why, char *err, size_t errsize)
{
	uint32_t last = ui->m.frames;
	if (!last)
		return true;
	if (!ui->rr) {
		/* The ring: only while it still holds every frame whole. */
		struct tl_frame f;
		bool cut = false;
		uint32_t oldest = tl_ring_oldest(&ui->ring);
		for (uint32_t k = 1; k <= last && ui->ring_on && oldest == 1 &&
		     !cut; k++) {
			if (!tl_ring_get(&ui->ring, k, &f, &cut) || cut)
				break;
			feed_one(fm, &f, &ui->m);
		}
		if (fm->fed == last)
			return true;
		snprintf(err, errsize, "%s %s; of this %s the view keeps only "
		         "recent frames (%s), so frames before the filter "
		         "cannot be read again: give the filter with -Y when "
		         "starting, or save with -w and open the file", field,
		         why, ui->live ? "live capture" : "pipe",
		         oldest > 1 ? "the first are gone"
		                    : "some were cut short");
		return false;
	}
	int64_t t0 = ui_now_ms(), shown = 0;
	char why_read[512];
	struct tl_frame f;
	for (uint32_t k = fm->fed + 1; k <= last; k++) {
		if (!ui_reread_frame(ui->rr, k, &f, why_read,
		                     sizeof why_read)) {
			snprintf(err, errsize, "%s %s, and reading the frames "
			         "again failed: %s", field, why, why_read);
			return false;
		}
		feed_one(fm, &f, &ui->m);
		if ((k & 1023) == 0) {
			int64_t now = ui_now_ms();
			if (now - t0 < PROGRESS_AFTER_MS ||
			    now - shown < PROGRESS_EVERY_MS)
				continue;
			shown = now;
			progress(ui, fm, k, last);
			if (esc_typed()) {
				char at[32], of[32];
				ui_format_count(k, at, sizeof at);
				ui_format_count(last, of, sizeof of);
				snprintf(err, errsize, "Esc: stopped at frame "
				         "%s of %s; %s %s, so the filter reads "
				         "every frame again (the rows are as "
				         "they were)", at, of, field, why);
				return false;
			}
		}
	}
	return true;
}

bool ui_fmatch_prepare(struct ui *ui, const struct tl_dfilter *df,
                       const char *text, struct ui_fmatch **out, char *err,
                       size_t errsize)
{
	*out = NULL;
	const char *field = NULL, *why = NULL;
	bool answered = tl_dfilter_record_answers(df, &ui->m, &field, &why);
	/* While frames still come, one may bring what the records lack
	 * (a tunnel, nanoseconds): then only the frames answer. A file
	 * can be read again then (ui_fmatch_check); a live capture or a
	 * pipe only while the ring holds it all: a matcher now, if it
	 * still does, fed from then on. */
	bool may_change = !ui->input_done && !ui->rr &&
	                  tl_dfilter_record_gaps(df);
	if (answered && !may_change)
		return true;
	/* The other view's, when it is the same filter. */
	struct ui_fmatch *have[2] = { ui->ladder.fm, ui->list.fm };
	for (int i = 0; i < 2; i++)
		if (have[i] && !have[i]->lost && !strcmp(have[i]->text, text) &&
		    have[i]->fed == ui->m.frames) {
			have[i]->refs++;
			*out = have[i];
			return true;
		}
	struct ui_fmatch *fm = fmatch_new(ui, df, text);
	if (fm->lost) {
		snprintf(err, errsize, "the filter is too long to read the "
		         "frames with");
		ui_fmatch_release(fm);
		return false;
	}
	if (!field)
		tl_dfilter_gap_named(df, ~0u, &field, &why);
	if (!catch_up(ui, fm, field, why, err, errsize)) {
		ui_fmatch_release(fm);
		/* Answered now, the rest to come: the records do, and
		 * ui_fmatch_check says when they no longer can. */
		return answered;
	}
	*out = fm;
	return true;
}

enum ui_fm_check ui_fmatch_check(struct ui *ui, const struct tl_dfilter *df,
                                 const char *text, struct ui_fmatch **fm,
                                 char *err, size_t errsize)
{
	if (*fm) {
		if (!(*fm)->lost)
			return UI_FM_KEEP;
		snprintf(err, errsize, "a frame went by that the filter did "
		         "not read: it no longer applies");
		return UI_FM_DROP;
	}
	const char *field, *why;
	if (tl_dfilter_record_answers(df, &ui->m, &field, &why))
		return UI_FM_KEEP;
	/* Frames came that the records cannot answer for: the frames
	 * must, read again, or the filter goes (never rows wrong). */
	struct ui_fmatch *n = fmatch_new(ui, df, text);
	char e[512];
	if (n->lost)
		snprintf(e, sizeof e, "%s %s", field, why);
	if (n->lost || !catch_up(ui, n, field, why, e, sizeof e)) {
		ui_fmatch_release(n);
		snprintf(err, errsize, "%s: the filter no longer applies", e);
		return UI_FM_DROP;
	}
	*fm = n;
	return UI_FM_RESCAN;
}

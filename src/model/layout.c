/* Layout of a ladder row: who gets the width, and which label parts go
 * first. The view, -T text and the pictures draw what this decides. */
#include "config.h"

#include "tl_layout.h"

#include <string.h>

#include "tl_app.h"
#include "tl_label.h"

/* Whole labels seldom pass this ("PSH, ACK Seq=1234567 Ack=1234567
 * Win=65535 Len=1448"); without a measure the arrows stop growing here. */
#define DEFAULT_LABEL 52

void tl_layout_split(const struct tl_layout_want *w, struct tl_layout_split *s)
{
	int W = w->width > 1 ? w->width : 1;
	int gaps = w->columns > 1 ? (int)w->columns - 1 : 1;
	int label = w->label_need > 0 ? w->label_need : DEFAULT_LABEL;
	int full_gap = label + TL_LAYOUT_ARROW_CELLS;
	if (full_gap < TL_LAYOUT_MIN_GAP)
		full_gap = TL_LAYOUT_MIN_GAP;
	/* Multiplications stay small: columns are bounded by the caller's
	 * screen, and a gap count past this scrolls anyway. */
	if (gaps > 4096)
		gaps = 4096;
	int min_gap = w->label_min + TL_LAYOUT_ARROW_CELLS;
	if (min_gap < TL_LAYOUT_MIN_GAP)
		min_gap = TL_LAYOUT_MIN_GAP;
	if (full_gap < min_gap)
		full_gap = min_gap;
	int min_body = gaps * min_gap + 2;
	int full_body = gaps * full_gap + 2;
	int an_need = w->an_need > 0 ? w->an_need : 0;
	int an_min = an_need < TL_LAYOUT_MIN_ANALYSIS ? an_need
	                                              : TL_LAYOUT_MIN_ANALYSIS;
	memset(s, 0, sizeof *s);
	int an_part = an_min ? TL_LAYOUT_AN_SEP + an_min : 0;
	if (min_body + an_part > W) {
		/* The shortest labels do not all fit: arrows shorter than
		 * that (labels cut, marked) while they stay TL_LAYOUT_MIN_GAP
		 * long, so every column stays on screen; past that the
		 * ladder scrolls sideways, and the analysis keeps up to a
		 * third of the width. */
		int third = an_need < W / 3 ? an_need : W / 3;
		if (third < an_min)
			third = an_min;
		int part = third ? TL_LAYOUT_AN_SEP + third : 0;
		int g = (W - part - 2) / gaps;
		if (g < TL_LAYOUT_MIN_GAP && part != an_part) {
			part = an_part;
			g = (W - part - 2) / gaps;
		}
		if (g >= TL_LAYOUT_MIN_GAP) {
			s->body_w = gaps * g + 2;
			s->virt_w = s->body_w;
			s->an_w = part ? W - s->body_w - TL_LAYOUT_AN_SEP : 0;
			goto done;
		}
		min_body = gaps * TL_LAYOUT_MIN_GAP + 2;
		int an = an_need < W / 3 ? an_need : W / 3;
		if (an < TL_LAYOUT_MIN_ANALYSIS)
			an = 0;
		s->an_w = an;
		s->body_w = W - (an ? an + TL_LAYOUT_AN_SEP : 0);
		s->virt_w = min_body > s->body_w ? min_body : s->body_w;
	} else {
		int an = W - min_body - TL_LAYOUT_AN_SEP;
		if (an > an_need)
			an = an_need;
		int body = W - (an ? an + TL_LAYOUT_AN_SEP : 0);
		if (body > full_body) {
			/* The arrows have their whole labels: the rest
			 * widens the analysis column. */
			body = full_body;
			an = W - body - TL_LAYOUT_AN_SEP;
		}
		if (an < TL_LAYOUT_MIN_ANALYSIS) {
			an = 0;
			body = W;
		}
		s->an_w = an;
		s->body_w = body;
		s->virt_w = body;
	}
done:
	if (s->body_w < 1)
		s->body_w = 1;
	s->gap = (s->virt_w - 2) / gaps;
	if (s->gap < 1)
		s->gap = 1;
	s->an_x = s->an_w ? s->body_w + TL_LAYOUT_AN_SEP : s->body_w;
}

size_t tl_layout_label_tries(const struct tl_seg *seg,
                             unsigned tries[TL_LAYOUT_MAX_TRIES])
{
	static const unsigned ack[] = {
		TL_LABEL_ALL,
		TL_LABEL_SEQ | TL_LABEL_ACK | TL_LABEL_WIN,
		TL_LABEL_ACK | TL_LABEL_WIN,
		TL_LABEL_ACK,
	};
	static const unsigned data[] = {
		TL_LABEL_ALL,
		TL_LABEL_SEQ | TL_LABEL_ACK | TL_LABEL_LEN,
		TL_LABEL_SEQ | TL_LABEL_LEN,
	};
	/* A SYN-ACK's Ack=1 is what the lab asks about: Len=0 goes before
	 * it; the options (SACK_PERM) stay longest. */
	static const unsigned syn[] = {
		TL_LABEL_ALL,
		TL_LABEL_ALL & ~TL_LABEL_TSVAL,
		TL_LABEL_ALL & ~(TL_LABEL_TSVAL | TL_LABEL_WIN),
		TL_LABEL_ALL & ~(TL_LABEL_TSVAL | TL_LABEL_WIN | TL_LABEL_LEN),
		TL_LABEL_ALL & ~(TL_LABEL_TSVAL | TL_LABEL_WIN | TL_LABEL_LEN |
		                 TL_LABEL_ACK),
		TL_LABEL_SYNOPTS,
	};

	unsigned flags = tl_seg_flags(seg);
	const unsigned *t = data;
	size_t n = sizeof data / sizeof data[0];
	if (flags & TL_TH_SYN) {
		t = syn;
		n = sizeof syn / sizeof syn[0];
	} else if (seg->len == 0 && (flags & TL_TH_ACK) &&
	           !(flags & TL_TH_RST)) {
		t = ack;
		n = sizeof ack / sizeof ack[0];
	}
	memcpy(tries, t, n * sizeof *t);
	return n;
}

int tl_layout_label(const struct tl_seg *seg, const struct tl_conn *conn,
                    int absolute, int room, char *buf, size_t size)
{
	unsigned tries[TL_LAYOUT_MAX_TRIES];
	size_t n = tl_layout_label_tries(seg, tries);
	for (size_t i = 0; i < n; i++) {
		tl_label_segment(seg, conn, tries[i], absolute, buf, size);
		int w = tl_layout_cells(buf);
		if (w <= room)
			return w;
	}
	return -1;
}

size_t tl_layout_label_full(const struct tl_seg *seg,
                            const struct tl_conn *conn,
                            const struct tl_seg_sack *sack, int absolute,
                            char *buf, size_t size)
{
	size_t n = tl_label_segment(seg, conn, TL_LABEL_ALL, absolute, buf,
	                            size);
	return tl_label_sack(sack, seg, conn, absolute, buf, size, n);
}

/* Each try with the blocks first; unless keep, the blocks go once every
 * part but the last (Ack= of a pure ACK) has gone. */
static int label_sack(const struct tl_seg *seg, const struct tl_conn *conn,
                      const struct tl_seg_sack *sack, int absolute, int room,
                      bool keep, char *buf, size_t size)
{
	unsigned tries[TL_LAYOUT_MAX_TRIES];
	size_t n = tl_layout_label_tries(seg, tries);
	for (size_t i = 0; i <= n; i++) {
		if (i == n && keep)
			break;
		unsigned parts = tries[i < n ? i : n - 1];
		size_t len = tl_label_segment(seg, conn, parts, absolute, buf,
		                              size);
		if (i < n)
			tl_label_sack(sack, seg, conn, absolute, buf, size, len);
		int w = tl_layout_cells(buf);
		if (w <= room)
			return w;
	}
	return -1;
}

int tl_layout_label_sack(const struct tl_seg *seg, const struct tl_conn *conn,
                         const struct tl_seg_sack *sack, int absolute,
                         int room, char *buf, size_t size)
{
	if (!sack || !sack->count)
		return tl_layout_label(seg, conn, absolute, room, buf, size);
	return label_sack(seg, conn, sack, absolute, room, false, buf, size);
}

int tl_layout_label_sack_kept(const struct tl_seg *seg,
                              const struct tl_conn *conn,
                              const struct tl_seg_sack *sack, int absolute,
                              int room, char *buf, size_t size)
{
	if (!sack || !sack->count)
		return tl_layout_label(seg, conn, absolute, room, buf, size);
	return label_sack(seg, conn, sack, absolute, room, true, buf, size);
}

size_t tl_layout_notes(const struct tl_seg *seg,
                       const struct tl_seg_note *note,
                       const struct tl_app *app, bool ascii, char *buf,
                       size_t size)
{
	size_t n = 0;
	if (!size)
		return 0;
	buf[0] = '\0';
	if (seg->analysis)
		n = tl_label_analysis(seg, note, ascii, buf, size);
	if (n >= size)
		n = size - 1;
	size_t app_len = 0;
	const char *a = app ? tl_app_label(app, seg->frame, &app_len) : NULL;
	if (a)
		n = tl_bappend(buf, size, n, "%s%s %.*s", n ? "  " : "",
		               ascii ? ">>" : "\u00bb", (int)app_len, a);
	return n;
}

int tl_layout_cells(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

size_t tl_layout_prefix_bytes(const char *s, int cells)
{
	size_t i = 0;
	int n = 0;
	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (n == cells)
				break;
			n++;
		}
		i++;
	}
	return i;
}

size_t tl_layout_wrap(const char *s, int width)
{
	if (width < 1)
		width = 1;
	size_t all = strlen(s);
	if (tl_layout_cells(s) <= width)
		return all;
	size_t cut = tl_layout_prefix_bytes(s, width);
	/* Break between two annotations ("] [", "]  »", two spaces) when
	 * one ends on this line, so "[TCP Previous segment not captured]"
	 * stays whole; else at the last space; else mid-word. */
	size_t item = 0, space = 0;
	for (size_t i = 1; i <= cut && i < all; i++) {
		if (s[i] != ' ')
			continue;
		space = i;
		if (s[i - 1] != ' ' && (s[i - 1] == ']' || s[i + 1] == ' '))
			item = i;
	}
	if (item)
		return item;
	return space ? space : cut;
}

/* Time-sequence graphs: the series (data segments, the ACK line, the
 * receive-window line, bytes in flight) and a braille dot raster. */
#include "config.h"

#include "tl_tsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_annot.h"
#include "tl_util.h"

/* ---- series ------------------------------------------------------------- */

static void *grow(void *p, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return p;
	uint32_t c = *cap ? *cap : 256;
	while (c < need)
		c *= 2;
	*cap = c;
	return tl_xrealloc(p, c, size);
}

/* Relative sequence numbers are 32 bits: unwrap them against the highest
 * seen so far, so a transfer past 4 GiB keeps climbing. */
static int64_t unwrap(int64_t *ref, uint32_t v)
{
	if (*ref < 0) {         /* the first value is taken as it is */
		*ref = v;
		return v;
	}
	int32_t d = (int32_t)(v - (uint32_t)*ref);
	int64_t u = *ref + d;
	if (u > *ref)
		*ref = u;
	return u;
}

/* Colours that mean something in a graph: a window change is not one. */
static uint8_t graph_kind(unsigned analysis)
{
	enum tl_annot_kind k = tl_annot_kind(analysis);
	return (uint8_t)(k == TL_ANNOT_CHANGE ? TL_ANNOT_NONE : k);
}

void tl_tsg_free(struct tl_tsg *g)
{
	free(g->data);
	free(g->acks);
	free(g->sacks);
	free(g->flight);
	free(g->cwnd);
	free(g->ssthresh);
	free(g->segs);
	memset(g, 0, sizeof *g);
}

/* The data sender's cwnd and ssthresh after each of its segments and each
 * ACK it took, from the sender model's values kept with the segments. */
static void sender_lines(struct tl_tsg *g, const struct tl_segstore *st)
{
	if (!st->cc_chunk_count)
		return;
	uint32_t ccap = 0, scap = 0;
	for (uint32_t i = 0; i < g->seg_count; i++) {
		const struct tl_seg *s = tl_segstore_get(st, g->segs[i]);
		unsigned flags = tl_seg_flags(s);
		bool sends = s->len || (flags & (TL_TH_SYN | TL_TH_FIN));
		/* A data segment carries its sender's state, a pure ACK the
		 * state of the sender it acknowledges. */
		if ((tl_seg_dir(s) == g->dir) != sends)
			continue;
		struct tl_sender_vals v;
		tl_segstore_sender(st, g->segs[i], &v);
		if (!v.valid || !v.mss)
			continue;
		int64_t t = tl_seg_time_us(s);
		struct tl_tsg_pt c = { t, (int64_t)tl_sender_cwnd_bytes(&v),
		                       g->flight[i].kind };
		g->cwnd = grow(g->cwnd, &ccap, g->cwnd_count + 1,
		               sizeof *g->cwnd);
		g->cwnd[g->cwnd_count++] = c;
		if (c.y > g->flight_max)
			g->flight_max = c.y;
		if (v.ssthresh >= TL_SSTHRESH_INFINITE)
			continue;
		struct tl_tsg_pt p = { t, (int64_t)v.ssthresh * v.mss, 0 };
		g->ssthresh = grow(g->ssthresh, &scap, g->ssthresh_count + 1,
		                   sizeof *g->ssthresh);
		g->ssthresh[g->ssthresh_count++] = p;
		if (p.y > g->flight_max)
			g->flight_max = p.y;
	}
}

/* The SACK blocks of the ACK just added, unwrapped against its own ACK
 * number (so a hostile edge cannot move the unwrapping of the data);
 * empty or inverted blocks are no bytes and are left out. */
static void add_sacks(struct tl_tsg *g, uint32_t *cap,
                      const struct tl_seg_sack *sk, const struct tl_seg *s,
                      const struct tl_tsg_ack *a)
{
	uint32_t n = sk->count < TL_SEG_SACK_MAX ? sk->count : TL_SEG_SACK_MAX;
	for (uint32_t i = 0; i < n; i++) {
		int64_t le = a->ack + (int32_t)(sk->edge[i][0] - s->ack);
		int64_t re = a->ack + (int32_t)(sk->edge[i][1] - s->ack);
		if (re <= le)
			continue;
		g->sacks = grow(g->sacks, cap, g->sack_count + 1,
		                sizeof *g->sacks);
		g->sacks[g->sack_count++] = (struct tl_tsg_sack){
			.t_us = a->t_us, .le = le, .re = re, .seg = a->seg,
		};
	}
}

bool tl_tsg_build(struct tl_tsg *g, const struct tl_segstore *st,
                  const uint32_t *idx, uint32_t n, uint32_t stream, int dir)
{
	memset(g, 0, sizeof *g);
	g->stream = stream;
	if (!idx)
		n = st->count;
	uint32_t cap = 0, dcap = 0, acap = 0, scap = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = idx ? idx[i] : i;
		const struct tl_seg *s = tl_segstore_get(st, k);
		if (s->stream != stream)
			continue;
		g->segs = grow(g->segs, &cap, g->seg_count + 1, sizeof *g->segs);
		g->segs[g->seg_count++] = k;
		g->bytes[tl_seg_dir(s)] += s->len;
	}
	if (!g->seg_count)
		return false;
	g->dir = dir < 0 ? (g->bytes[1] > g->bytes[0] ? 1u : 0u)
	                 : (unsigned)dir & 1u;
	g->flight = tl_xmalloc(g->seg_count * sizeof *g->flight);
	g->flight_count = g->seg_count;

	int64_t ref = -1, hi = 0, base = 0, last_ack = 0, rwnd = 0;
	bool have_hi = false, have_ack = false;
	g->t_min = INT64_MAX;
	g->t_max = INT64_MIN;
	g->y_min = INT64_MAX;
	g->y_max = INT64_MIN;
	for (uint32_t i = 0; i < g->seg_count; i++) {
		uint32_t k = g->segs[i];
		const struct tl_seg *s = tl_segstore_get(st, k);
		int64_t t = tl_seg_time_us(s);
		unsigned flags = tl_seg_flags(s);
		uint8_t kind = graph_kind(s->analysis);
		if (t < g->t_min)
			g->t_min = t;
		if (t > g->t_max)
			g->t_max = t;
		if (tl_seg_dir(s) == g->dir) {
			int64_t len = s->len + !!(flags & TL_TH_SYN) +
			              !!(flags & TL_TH_FIN);
			if (len > 0) {
				int64_t seq = unwrap(&ref, s->seq);
				struct tl_tsg_data d = {
					.t_us = t, .seq = seq, .end = seq + len,
					.gap_from = have_hi && seq > hi ? hi : seq,
					.seg = k, .kind = kind,
				};
				unwrap(&ref, (uint32_t)(seq + len));
				g->data = grow(g->data, &dcap, g->data_count + 1,
				               sizeof *g->data);
				g->data[g->data_count++] = d;
				if (!have_hi) {
					base = seq;
					hi = d.end;
					have_hi = true;
				} else if (d.end > hi) {
					hi = d.end;
				}
				if (seq < g->y_min) g->y_min = seq;
				if (d.end > g->y_max) g->y_max = d.end;
				if (kind == TL_ANNOT_RTX) g->rtx++;
				if (kind == TL_ANNOT_OOO) g->ooo++;
				if (kind == TL_ANNOT_LOST) g->lost++;
			}
		} else if (flags & TL_TH_ACK) {
			int64_t ack = unwrap(&ref, s->ack);
			struct tl_tsg_ack a = {
				.t_us = t, .ack = ack,
				.wnd_edge = ack + (int64_t)s->win,
				.seg = k, .kind = kind,
			};
			g->acks = grow(g->acks, &acap, g->ack_count + 1,
			               sizeof *g->acks);
			g->acks[g->ack_count++] = a;
			const struct tl_seg_sack *sk = tl_segstore_sack(st, k);
			if (sk)
				add_sacks(g, &scap, sk, s, &a);
			if (!have_ack || ack > last_ack)
				last_ack = ack;
			have_ack = true;
			rwnd = s->win;
			if (ack < g->y_min) g->y_min = ack;
			if (ack > g->y_max) g->y_max = ack;
			if (a.wnd_edge > g->win_max) g->win_max = a.wnd_edge;
			if (kind == TL_ANNOT_DUPACK) g->dupack++;
		}
		int64_t from = have_ack ? last_ack : base;
		int64_t fl = have_hi && hi > from ? hi - from : 0;
		g->flight[i] = (struct tl_tsg_flight){
			.t_us = t, .in_flight = fl, .rwnd = rwnd, .seg = k,
			.kind = kind,
		};
		if (fl > g->flight_max) g->flight_max = fl;
		if (rwnd > g->flight_max) g->flight_max = rwnd;
	}
	sender_lines(g, st);
	if (g->y_min > g->y_max) {
		g->y_min = 0;
		g->y_max = 1;
	}
	return true;
}

uint32_t tl_tsg_seg_pos(const struct tl_tsg *g, uint32_t seg)
{
	uint32_t lo = 0, hi = g->seg_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->segs[mid] <= seg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

bool tl_tsg_locate(const struct tl_tsg *g, enum tl_graph_kind kind,
                   const struct tl_segstore *st, uint32_t seg, int64_t *t_us,
                   int64_t *y)
{
	uint32_t pos = tl_tsg_seg_pos(g, seg);
	if (!g->seg_count || g->segs[pos] != seg)
		return false;
	const struct tl_tsg_flight *f = &g->flight[pos];
	*t_us = f->t_us;
	if (kind == TL_GRAPH_FLIGHT) {
		*y = f->in_flight;
		return true;
	}
	/* Data and ACKs are in segment order too: binary search each. */
	uint32_t lo = 0, hi = g->data_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->data[mid].seg < seg) lo = mid + 1; else hi = mid;
	}
	if (lo < g->data_count && g->data[lo].seg == seg) {
		*y = g->data[lo].seq;
		return true;
	}
	lo = 0;
	hi = g->ack_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (g->acks[mid].seg < seg) lo = mid + 1; else hi = mid;
	}
	if (lo < g->ack_count && g->acks[lo].seg == seg) {
		*y = g->acks[lo].ack;
		return true;
	}
	/* A segment with no place of its own (a pure ACK of the sender):
	 * on the time axis, at the sender's sequence number. */
	const struct tl_seg *s = tl_segstore_get(st, seg);
	*y = tl_seg_dir(s) == g->dir ? (int64_t)s->seq : (int64_t)s->ack;
	return true;
}

void tl_tsg_fit(const struct tl_tsg *g, enum tl_graph_kind kind,
                struct tl_tsg_view *v)
{
	int64_t span = g->t_max - g->t_min;
	if (span < 10)
		span = 10;
	v->t0 = g->t_min - span / 40;
	v->t1 = g->t_max + span / 40;
	if (kind == TL_GRAPH_FLIGHT) {
		int64_t top = g->flight_max > 0 ? g->flight_max : 1;
		v->y0 = 0;
		v->y1 = top + top / 20 + 1;
	} else {
		/* The window line is shown when it is near the data (a
		 * sender limited by it); a 64 KB window over a 60-byte
		 * exchange would squash the data into one line. */
		int64_t r = g->y_max - g->y_min;
		if (r < 1)
			r = 1;
		int64_t top = g->y_max;
		if (g->win_max > top)
			top = g->win_max < g->y_max + r / 2 ? g->win_max
			                                     : g->y_max + r / 2;
		r = top - g->y_min;
		if (r < 1)
			r = 1;
		v->y0 = g->y_min - r / 40;
		v->y1 = top + r / 40 + 1;
	}
}

/* ---- ticks and labels --------------------------------------------------- */

int64_t tl_tsg_tick(int64_t range, int ticks)
{
	if (ticks < 1)
		ticks = 1;
	int64_t raw = range / ticks;
	if (raw < 1)
		return 1;
	int64_t p = 1;
	while (p <= raw / 10)
		p *= 10;
	/* raw / p is in [1, 10) */
	int64_t m10 = raw * 10 / p;
	int64_t step = m10 < 15 ? 1 : m10 < 35 ? 2 : m10 < 75 ? 5 : 10;
	return step * p;
}

static size_t format_scaled(int64_t v, int64_t step, int64_t unit,
                            const char *name, char *buf, size_t size)
{
	int decimals = 0;
	int64_t q = unit;
	while (decimals < 6 && step % q != 0) {
		decimals++;
		q /= 10;
		if (q == 0)
			break;
	}
	int n = snprintf(buf, size, "%.*f %s", decimals, (double)v / unit,
	                 name);
	return n < 0 ? 0 : (size_t)n;
}

size_t tl_tsg_format_time(int64_t us, int64_t step, char *buf, size_t size)
{
	/* The unit follows the size of the value, the decimals the step:
	 * "3.5 ms" rather than "3500 us". */
	int64_t mag = llabs(us) > step ? llabs(us) : step;
	if (mag >= 1000000)
		return format_scaled(us, step, 1000000, "s", buf, size);
	if (mag >= 1000)
		return format_scaled(us, step, 1000, "ms", buf, size);
	return format_scaled(us, step, 1, "us", buf, size);
}

size_t tl_tsg_format_bytes(int64_t bytes, int64_t step, char *buf,
                           size_t size)
{
	int64_t mag = llabs(bytes) > step ? llabs(bytes) : step;
	if (mag >= 1000000)
		return format_scaled(bytes, step, 1000000, "MB", buf, size);
	if (mag >= 1000)
		return format_scaled(bytes, step, 1000, "KB", buf, size);
	return format_scaled(bytes, step, 1, "B", buf, size);
}

/* ---- raster ------------------------------------------------------------- */

void tl_plot_init(struct tl_plot *p, int cols, int rows)
{
	if (cols < 1) cols = 1;
	if (rows < 1) rows = 1;
	p->cols = cols;
	p->rows = rows;
	p->w = cols * 2;
	p->h = rows * 4;
	p->dot = tl_xcalloc((size_t)p->w * (size_t)p->h, 1);
}

void tl_plot_free(struct tl_plot *p)
{
	free(p->dot);
	p->dot = NULL;
}

static int priority(uint8_t v)
{
	return v ? ((v & 15) ? 16 : 0) + (v >> 4) : -1;
}

static void dot(struct tl_plot *p, int64_t x, int64_t y, unsigned series,
                unsigned kind)
{
	if (x < 0 || y < 0 || x >= p->w || y >= p->h)
		return;
	uint8_t v = (uint8_t)(series << 4 | (kind & 15));
	uint8_t *d = &p->dot[(size_t)y * (size_t)p->w + (size_t)x];
	if (priority(v) > priority(*d))
		*d = v;
}

static void hline(struct tl_plot *p, int64_t x0, int64_t x1, int64_t y,
                  unsigned series, unsigned kind)
{
	if (x0 > x1) { int64_t t = x0; x0 = x1; x1 = t; }
	if (y < 0 || y >= p->h || x1 < 0 || x0 >= p->w)
		return;
	if (x0 < 0) x0 = 0;
	if (x1 >= p->w) x1 = p->w - 1;
	for (int64_t x = x0; x <= x1; x++)
		dot(p, x, y, series, kind);
}

static void vline(struct tl_plot *p, int64_t x, int64_t y0, int64_t y1,
                  unsigned series, unsigned kind, bool dotted)
{
	if (y0 > y1) { int64_t t = y0; y0 = y1; y1 = t; }
	if (x < 0 || x >= p->w || y1 < 0 || y0 >= p->h)
		return;
	if (y0 < 0) y0 = 0;
	if (y1 >= p->h) y1 = p->h - 1;
	for (int64_t y = y0; y <= y1; y++)
		if (!dotted || (y & 1) == 0)
			dot(p, x, y, series, kind);
}

static int64_t clamp_coord(double v)
{
	if (v > 1e12) return INT64_C(1000000000000);
	if (v < -1e12) return -INT64_C(1000000000000);
	return (int64_t)(v >= 0 ? v + 0.5 : v - 0.5);
}

void tl_plot_map(const struct tl_plot *p, const struct tl_tsg_view *v,
                 int64_t t_us, int64_t y, int64_t *x, int64_t *dy)
{
	double tr = (double)(v->t1 - v->t0), yr = (double)(v->y1 - v->y0);
	if (tr <= 0) tr = 1;
	if (yr <= 0) yr = 1;
	*x = clamp_coord((double)(t_us - v->t0) * (p->w - 1) / tr);
	*dy = (p->h - 1) - clamp_coord((double)(y - v->y0) * (p->h - 1) / yr);
}

/* A step line through (t[i], y[i]): flat until the next point, then up or
 * down. Each point's own dot carries its kind. */
struct step_pt { int64_t t, y; uint8_t kind; };

static void steps(struct tl_plot *p, const struct tl_tsg_view *v,
                  const void *base, size_t stride, size_t t_off,
                  size_t y_off, size_t kind_off, uint32_t n, int64_t t_end,
                  unsigned series)
{
	int64_t px = 0, py = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;
		int64_t t, y, x, dy;
		memcpy(&t, e + t_off, sizeof t);
		memcpy(&y, e + y_off, sizeof y);
		tl_plot_map(p, v, t, y, &x, &dy);
		if (i > 0) {
			hline(p, px, x, py, series, 0);
			vline(p, x, py, dy, series, 0, false);
		}
		px = x;
		py = dy;
	}
	if (n) {
		int64_t x, dy;
		tl_plot_map(p, v, t_end, 0, &x, &dy);
		hline(p, px, x, py, series, 0);
	}
	/* The points themselves last, so their colour wins. */
	for (uint32_t i = 0; i < n; i++) {
		const char *e = (const char *)base + i * stride;
		int64_t t, y, x, dy;
		memcpy(&t, e + t_off, sizeof t);
		memcpy(&y, e + y_off, sizeof y);
		tl_plot_map(p, v, t, y, &x, &dy);
		dot(p, x, dy, series, (uint8_t)e[kind_off]);
	}
}

void tl_tsg_plot(const struct tl_tsg *g, enum tl_graph_kind kind,
                 const struct tl_tsg_view *v, struct tl_plot *p)
{
	memset(p->dot, 0, (size_t)p->w * (size_t)p->h);
	if (kind == TL_GRAPH_FLIGHT) {
		steps(p, v, g->flight, sizeof *g->flight,
		      offsetof(struct tl_tsg_flight, t_us),
		      offsetof(struct tl_tsg_flight, rwnd),
		      offsetof(struct tl_tsg_flight, kind), g->flight_count,
		      g->t_max, TL_PLOT_RWND);
		steps(p, v, g->flight, sizeof *g->flight,
		      offsetof(struct tl_tsg_flight, t_us),
		      offsetof(struct tl_tsg_flight, in_flight),
		      offsetof(struct tl_tsg_flight, kind), g->flight_count,
		      g->t_max, TL_PLOT_FLIGHT);
		steps(p, v, g->ssthresh, sizeof *g->ssthresh,
		      offsetof(struct tl_tsg_pt, t_us),
		      offsetof(struct tl_tsg_pt, y),
		      offsetof(struct tl_tsg_pt, kind), g->ssthresh_count,
		      g->t_max, TL_PLOT_SSTHRESH);
		steps(p, v, g->cwnd, sizeof *g->cwnd,
		      offsetof(struct tl_tsg_pt, t_us),
		      offsetof(struct tl_tsg_pt, y),
		      offsetof(struct tl_tsg_pt, kind), g->cwnd_count,
		      g->t_max, TL_PLOT_CWND);
		return;
	}
	steps(p, v, g->acks, sizeof *g->acks,
	      offsetof(struct tl_tsg_ack, t_us),
	      offsetof(struct tl_tsg_ack, wnd_edge),
	      offsetof(struct tl_tsg_ack, kind), g->ack_count, g->t_max,
	      TL_PLOT_WIN);
	steps(p, v, g->acks, sizeof *g->acks,
	      offsetof(struct tl_tsg_ack, t_us),
	      offsetof(struct tl_tsg_ack, ack),
	      offsetof(struct tl_tsg_ack, kind), g->ack_count, g->t_max,
	      TL_PLOT_ACK);
	for (uint32_t i = 0; i < g->sack_count; i++) {
		const struct tl_tsg_sack *k = &g->sacks[i];
		int64_t x, y0, y1;
		tl_plot_map(p, v, k->t_us, k->le, &x, &y0);
		tl_plot_map(p, v, k->t_us, k->re, &x, &y1);
		vline(p, x, y0, y1 < y0 ? y1 + 1 : y1, TL_PLOT_SACK, 0, false);
	}
	for (uint32_t i = 0; i < g->data_count; i++) {
		const struct tl_tsg_data *d = &g->data[i];
		int64_t x, y0, y1, yg;
		tl_plot_map(p, v, d->t_us, d->seq, &x, &y0);
		tl_plot_map(p, v, d->t_us, d->end, &x, &y1);
		if (d->gap_from < d->seq) {
			tl_plot_map(p, v, d->t_us, d->gap_from, &x, &yg);
			vline(p, x, yg, y0, TL_PLOT_GAP, TL_ANNOT_LOST, true);
		}
		/* At least one dot tall; the top dot is the next segment's. */
		vline(p, x, y0, y1 < y0 ? y1 + 1 : y1, TL_PLOT_DATA, d->kind,
		      false);
	}
}

size_t tl_plot_cell(const struct tl_plot *p, int cx, int cy, bool ascii,
                    char out[8], unsigned *series, unsigned *kind)
{
	static const uint8_t bit[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 },
	};
	unsigned bits = 0;
	uint8_t best = 0;
	for (int dy = 0; dy < 4; dy++) {
		for (int dx = 0; dx < 2; dx++) {
			int x = cx * 2 + dx, y = cy * 4 + dy;
			if (x >= p->w || y >= p->h)
				continue;
			uint8_t v = p->dot[(size_t)y * (size_t)p->w + (size_t)x];
			if (!v)
				continue;
			bits |= bit[dy][dx];
			if (priority(v) > priority(best))
				best = v;
		}
	}
	*series = best >> 4;
	*kind = best & 15;
	if (!bits) {
		out[0] = ' ';
		out[1] = '\0';
		return 1;
	}
	if (ascii) {
		char c;
		switch (*series) {
		case TL_PLOT_DATA: c = '|'; break;
		case TL_PLOT_GAP: c = ':'; break;
		case TL_PLOT_SACK: c = '!'; break;
		case TL_PLOT_CWND: c = '='; break;
		case TL_PLOT_SSTHRESH: c = '~'; break;
		case TL_PLOT_ACK: c = (bits & 0xc0) && !(bits & 0x09) ? '_'
		                      : bits & 0x09 ? '\'' : '-'; break;
		default: c = '.'; break;
		}
		out[0] = c;
		out[1] = '\0';
		return 1;
	}
	unsigned cp = 0x2800 + bits;
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	out[3] = '\0';
	return 3;
}

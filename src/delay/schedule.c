/* The delay helper's schedule: a ring of held packets in arrival order. */
#include "config.h"

#include "schedule.h"

#include <stdlib.h>
#include <string.h>

/* splitmix64: small, seeded, the same draws on every machine. */
static uint64_t next_rand(struct dl_sched *s)
{
	uint64_t z = (s->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n) without modulo bias worth mentioning for n < 2^32. */
static uint64_t rand_below(struct dl_sched *s, uint64_t n)
{
	return n ? (uint64_t)(((unsigned __int128)next_rand(s) * n) >> 64) : 0;
}

bool dl_init(struct dl_sched *s, const struct dl_params *p, uint32_t cap)
{
	memset(s, 0, sizeof *s);
	s->p = *p;
	s->rng = p->seed;
	uint32_t c = 16;
	while (c < cap && c < (1u << 24))
		c <<= 1;
	s->ring = calloc(c, sizeof *s->ring);
	if (!s->ring)
		return false;
	s->cap = c;
	s->st.hold_min_ns = UINT64_MAX;
	return true;
}

void dl_free(struct dl_sched *s)
{
	free(s->ring);
	s->ring = NULL;
	s->cap = s->count = 0;
}

static uint64_t draw_delay(struct dl_sched *s)
{
	uint64_t d = s->p.delay_ns, j = s->p.jitter_ns;
	if (j == 0)
		return d;
	uint64_t r = rand_below(s, 2 * j + 1);   /* 0 .. 2j */
	/* d - j + r, never below zero */
	return r >= j ? d + (r - j) : (d > j - r ? d - (j - r) : 0);
}

enum dl_verdict dl_arrive(struct dl_sched *s, uint32_t id, uint64_t now_ns)
{
	s->st.packets++;
	if (s->p.reorder_ppm && rand_below(s, 1000000) < s->p.reorder_ppm) {
		s->st.reordered++;
		return DL_NOW;
	}
	if (s->p.delay_ns == 0 && s->p.jitter_ns == 0)
		return DL_NOW;
	if (s->count == s->cap) {
		s->st.overflow++;
		return DL_NOW;
	}
	uint64_t release = now_ns + draw_delay(s);
	/* Jitter never reorders: a packet waits for the one before it. */
	if (release < s->last_release_ns)
		release = s->last_release_ns;
	s->last_release_ns = release;
	struct dl_held *h = &s->ring[(s->head + s->count) & (s->cap - 1)];
	h->id = id;
	h->arrival_ns = now_ns;
	h->release_ns = release;
	s->count++;
	if (s->count > s->st.max_held)
		s->st.max_held = s->count;
	return DL_HELD;
}

bool dl_next_due(const struct dl_sched *s, uint64_t *when_ns)
{
	if (s->count == 0)
		return false;
	*when_ns = s->ring[s->head].release_ns;
	return true;
}

bool dl_pop(struct dl_sched *s, uint64_t now_ns, bool flush, uint32_t *id)
{
	if (s->count == 0)
		return false;
	const struct dl_held *h = &s->ring[s->head];
	if (h->release_ns > now_ns && !flush)
		return false;
	*id = h->id;
	if (h->release_ns > now_ns) {
		s->st.flushed++;
	} else {
		uint64_t hold = now_ns - h->arrival_ns;
		uint64_t late = now_ns - h->release_ns;
		s->st.delayed++;
		if (hold < s->st.hold_min_ns)
			s->st.hold_min_ns = hold;
		if (hold > s->st.hold_max_ns)
			s->st.hold_max_ns = hold;
		s->st.hold_sum_ns += hold;
		if (late > s->st.late_max_ns)
			s->st.late_max_ns = late;
		s->st.late_sum_ns += late;
	}
	s->head = (s->head + 1) & (s->cap - 1);
	s->count--;
	return true;
}

/* A decimal number with at most 9 digits after the point, times scale. */
static bool parse_fixed(const char *t, const char **end, uint64_t scale,
                        uint64_t limit, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, div = 1;
	const char *p = t;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++) {
		whole = whole * 10 + (uint64_t)(*p - '0');
		if (whole > limit)
			return false;
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		for (; *p >= '0' && *p <= '9'; p++) {
			if (div >= 1000000000ULL)
				return false;
			frac = frac * 10 + (uint64_t)(*p - '0');
			div *= 10;
		}
	}
	if (whole * scale + frac * scale / div > limit * scale)
		return false;
	*out = whole * scale + frac * scale / div;
	*end = p;
	return true;
}

bool dl_parse_duration(const char *text, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t scale; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000ULL },
	};
	const char *end;
	if (!text)
		return false;
	if (strcmp(text, "0") == 0) {
		*ns = 0;
		return true;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		uint64_t v;
		size_t n = strlen(text), u = strlen(units[i].unit);
		if (n <= u || strcmp(text + n - u, units[i].unit) != 0)
			continue;
		/* "ms" also ends in "s": the number must stop right at the unit */
		if (!parse_fixed(text, &end, units[i].scale,
		                 3600ULL * 1000000000ULL / units[i].scale, &v) ||
		    end != text + n - u)
			continue;
		*ns = v;
		return true;
	}
	return false;
}

bool dl_parse_percent(const char *text, uint32_t *ppm)
{
	const char *end;
	uint64_t v;
	if (!text)
		return false;
	if (!parse_fixed(text, &end, 10000, 100, &v))
		return false;
	if (!(end[0] == '%' && end[1] == '\0') &&
	    !(end[0] == '\0' && v == 0))
		return false;
	*ppm = (uint32_t)v;
	return true;
}

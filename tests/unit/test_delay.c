/* The delay helper's schedule (src/delay/schedule.c): every packet comes out
 * exactly once, on time, in order unless --reorder drew it; the jitter's
 * range; the reorder rate; the parsers. */
#include "config.h"

#include "check.h"
#include "schedule.h"

#include <stdlib.h>

#define MS 1000000ULL

static struct dl_sched make(uint64_t delay, uint64_t jitter, uint32_t ppm,
                            uint32_t cap)
{
	struct dl_params p = { delay, jitter, ppm, 42 };
	struct dl_sched s;
	CHECK(dl_init(&s, &p, cap));
	return s;
}

/* Feeds n packets, one every gap ns, releasing what is due as a clock
 * ticking in 0.1 ms steps would; out[i] is the order packet ids came out,
 * at[id] when. Returns how many came out. */
static uint32_t simulate(struct dl_sched *s, uint32_t n, uint64_t gap,
                         uint32_t *out, uint64_t *at)
{
	uint32_t sent = 0, got = 0, id;
	uint64_t t = 0, next_in = 0;
	while (got < n) {
		while (sent < n && next_in <= t) {
			if (dl_arrive(s, sent, t) == DL_NOW) {
				out[got++] = sent;
				at[sent] = t;
			}
			sent++;
			next_in += gap;
		}
		while (dl_pop(s, t, false, &id)) {
			out[got++] = id;
			at[id] = t;
		}
		t += MS / 10;
		if (t > 1000000 * MS)
			break;
	}
	return got;
}

static void test_constant_delay(void)
{
	enum { N = 1000 };
	static uint32_t out[N];
	static uint64_t at[N];
	struct dl_sched s = make(20 * MS, 0, 0, 256);
	CHECK_UINT(simulate(&s, N, MS / 5, out, at), N);
	for (uint32_t i = 0; i < N; i++) {
		CHECK_UINT(out[i], i);                   /* in order */
		uint64_t in = (uint64_t)i * (MS / 5);
		CHECK_MSG(at[i] >= in + 20 * MS && at[i] < in + 20 * MS + MS / 10,
		          "packet %u out at %llu, in at %llu", i,
		          (unsigned long long)at[i], (unsigned long long)in);
	}
	CHECK_UINT(s.st.packets, N);
	CHECK_UINT(s.st.delayed, N);
	CHECK_UINT(s.st.reordered + s.st.overflow + s.st.flushed, 0);
	/* 20 ms at one packet per 0.2 ms: about 100 held at once */
	CHECK(s.st.max_held >= 100 && s.st.max_held <= 102);
	CHECK(s.st.hold_min_ns >= 20 * MS && s.st.hold_max_ns < 20 * MS + MS / 10);
	CHECK_UINT(s.count, 0);
	dl_free(&s);
}

static void test_jitter_keeps_order(void)
{
	enum { N = 5000 };
	static uint32_t out[N];
	static uint64_t at[N];
	struct dl_sched s = make(20 * MS, 5 * MS, 0, N);
	CHECK_UINT(simulate(&s, N, MS, out, at), N);
	uint64_t lo = UINT64_MAX, hi = 0;
	for (uint32_t i = 0; i < N; i++) {
		CHECK_UINT(out[i], i);
		uint64_t hold = at[i] - (uint64_t)i * MS;
		if (hold < lo)
			lo = hold;
		if (hold > hi)
			hi = hold;
	}
	/* 15 to 25 ms (plus the clock's step), and both ends are reached */
	CHECK_MSG(lo >= 15 * MS && lo < 16 * MS, "shortest hold %llu",
	          (unsigned long long)lo);
	CHECK_MSG(hi > 24 * MS && hi <= 25 * MS + MS / 10, "longest hold %llu",
	          (unsigned long long)hi);
	dl_free(&s);
}

static void test_reorder_rate(void)
{
	enum { N = 100000 };
	static uint32_t out[N];
	static uint64_t at[N];
	struct dl_sched s = make(10 * MS, 0, 10000, N);   /* 1% */
	CHECK_UINT(simulate(&s, N, MS / 10, out, at), N);
	/* every id exactly once */
	static unsigned char seen[N];
	for (uint32_t i = 0; i < N; i++) {
		CHECK(out[i] < N && !seen[out[i]]);
		if (out[i] < N)
			seen[out[i]] = 1;
	}
	/* 1% +- 0.15% of 100000 (binomial sd 31) */
	CHECK_MSG(s.st.reordered > 850 && s.st.reordered < 1150, "reordered %llu",
	          (unsigned long long)s.st.reordered);
	CHECK_UINT(s.st.reordered + s.st.delayed, N);
	/* a reordered packet overtakes the ones held: it comes out before
	 * packets that came in before it */
	uint32_t overtakes = 0;
	for (uint32_t i = 1; i < N; i++)
		if (out[i] < out[i - 1])
			overtakes++;
	CHECK(overtakes >= s.st.reordered / 2);
	dl_free(&s);
}

static void test_overflow_and_flush(void)
{
	struct dl_sched s = make(50 * MS, 0, 0, 16);
	uint32_t id, n_now = 0;
	for (uint32_t i = 0; i < 20; i++)
		if (dl_arrive(&s, i, 0) == DL_NOW)
			n_now++;
	CHECK_UINT(n_now, 4);               /* a full queue lets go at once */
	CHECK_UINT(s.st.overflow, 4);
	uint64_t due;
	CHECK(dl_next_due(&s, &due) && due == 50 * MS);
	CHECK(!dl_pop(&s, 49 * MS, false, &id));
	uint32_t n = 0;
	while (dl_pop(&s, 1 * MS, true, &id))
		CHECK_UINT(id, n++);
	CHECK_UINT(n, 16);
	CHECK_UINT(s.st.flushed, 16);
	CHECK(!dl_next_due(&s, &due));
	dl_free(&s);
	/* no delay: nothing held */
	s = make(0, 0, 0, 16);
	CHECK(dl_arrive(&s, 1, 5) == DL_NOW);
	CHECK_UINT(s.count, 0);
	dl_free(&s);
}

static void test_ring_wraps(void)
{
	/* ids near 2^32 and many passes round a small ring */
	struct dl_sched s = make(1 * MS, 0, 0, 16);
	uint32_t id, expect = 0xfffffff0u;
	uint64_t t = 0;
	for (uint32_t i = 0; i < 1000; i++) {
		CHECK(dl_arrive(&s, 0xfffffff0u + i, t) == DL_HELD);
		t += MS / 8;
		while (dl_pop(&s, t, false, &id))
			CHECK_UINT(id, expect++);
	}
	while (dl_pop(&s, t + 10 * MS, false, &id))
		CHECK_UINT(id, expect++);
	CHECK_UINT(expect, 0xfffffff0u + 1000u);
	dl_free(&s);
}

static void test_parse(void)
{
	uint64_t ns = 7;
	uint32_t ppm = 7;
	CHECK(dl_parse_duration("20ms", &ns) && ns == 20 * MS);
	CHECK(dl_parse_duration("1.5ms", &ns) && ns == 1500000);
	CHECK(dl_parse_duration("500us", &ns) && ns == 500000);
	CHECK(dl_parse_duration("2s", &ns) && ns == 2000000000ULL);
	CHECK(dl_parse_duration("0.25s", &ns) && ns == 250000000ULL);
	CHECK(dl_parse_duration("100ns", &ns) && ns == 100);
	CHECK(dl_parse_duration("0", &ns) && ns == 0);
	CHECK(dl_parse_duration("3600s", &ns));
	CHECK(!dl_parse_duration("3601s", &ns));
	CHECK(!dl_parse_duration("99999999999999999999ms", &ns));
	CHECK(!dl_parse_duration("20", &ns));
	CHECK(!dl_parse_duration("ms", &ns));
	CHECK(!dl_parse_duration("-5ms", &ns));
	CHECK(!dl_parse_duration("5 ms", &ns));
	CHECK(!dl_parse_duration("5.ms", &ns));
	CHECK(!dl_parse_duration("5mss", &ns));
	CHECK(!dl_parse_duration("", &ns));
	CHECK(dl_parse_percent("1%", &ppm) && ppm == 10000);
	CHECK(dl_parse_percent("0.5%", &ppm) && ppm == 5000);
	CHECK(dl_parse_percent("100%", &ppm) && ppm == 1000000);
	CHECK(dl_parse_percent("0", &ppm) && ppm == 0);
	CHECK(!dl_parse_percent("101%", &ppm));
	CHECK(!dl_parse_percent("1", &ppm));
	CHECK(!dl_parse_percent("x%", &ppm));
	CHECK(!dl_parse_percent("1%%", &ppm));
}

static const struct check_test tests[] = {
	CHECK_TEST(test_constant_delay),
	CHECK_TEST(test_jitter_keeps_order),
	CHECK_TEST(test_reorder_rate),
	CHECK_TEST(test_overflow_and_flush),
	CHECK_TEST(test_ring_wraps),
	CHECK_TEST(test_parse),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

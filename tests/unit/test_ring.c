/* The ring of recent frames (src/capture/frame_ring.c): lookup by frame
 * number, wrap-around, frames larger than what is kept, the index bound,
 * and a long random run checked byte for byte against what was put. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "tl_ring.h"

/* Frame k's bytes: a pattern that tells frames and offsets apart. */
static uint8_t byte_of(uint32_t frame, uint32_t i)
{
	return (uint8_t)(frame * 31u + i * 7u + (i >> 8));
}

static void put(struct tl_ring *r, uint32_t frame, uint32_t caplen)
{
	static uint8_t buf[70000];
	for (uint32_t i = 0; i < caplen && i < sizeof buf; i++)
		buf[i] = byte_of(frame, i);
	struct tl_frame f = { .data = buf, .caplen = caplen,
	                      .len = caplen + 4, .ts = (tl_nsec)frame * 1000,
	                      .dlt = 1 };
	tl_ring_put(r, frame, &f);
}

/* Frame is kept whole (up to keep) with its own bytes. */
static bool intact(const struct tl_ring *r, uint32_t frame, uint32_t caplen)
{
	struct tl_frame f;
	bool cut = false;
	if (!tl_ring_get(r, frame, &f, &cut))
		return false;
	uint32_t want = caplen < r->keep ? caplen : r->keep;
	if (f.caplen != want || f.len != caplen + 4 || f.dlt != 1 ||
	    f.ts != (tl_nsec)frame * 1000 || cut != (want < caplen))
		return false;
	for (uint32_t i = 0; i < want; i++)
		if (f.data[i] != byte_of(frame, i))
			return false;
	return true;
}

static void test_lookup(void)
{
	struct tl_ring r;
	tl_ring_init(&r, 64 * 1024, 2048);
	CHECK_UINT(tl_ring_oldest(&r), 0);
	struct tl_frame f;
	CHECK(!tl_ring_get(&r, 1, &f, NULL));
	/* Frame numbers with gaps (frames that were not TCP). */
	put(&r, 3, 60);
	put(&r, 4, 1514);
	put(&r, 9, 0);
	put(&r, 10, 74);
	CHECK(intact(&r, 3, 60));
	CHECK(intact(&r, 4, 1514));
	CHECK(intact(&r, 9, 0));
	CHECK(intact(&r, 10, 74));
	CHECK(!tl_ring_get(&r, 5, &f, NULL));
	CHECK(!tl_ring_get(&r, 2, &f, NULL));
	CHECK(!tl_ring_get(&r, 11, &f, NULL));
	CHECK_UINT(tl_ring_oldest(&r), 3);
	/* An older or repeated number is ignored. */
	put(&r, 10, 99);
	put(&r, 7, 99);
	CHECK_UINT(r.count, 4);
	CHECK(intact(&r, 10, 74));
	tl_ring_free(&r);
}

static void test_oversize(void)
{
	struct tl_ring r;
	tl_ring_init(&r, 64 * 1024, 1000);
	put(&r, 1, 65535);      /* a TSO frame */
	put(&r, 2, 1000);
	put(&r, 3, 1001);
	CHECK(intact(&r, 1, 65535));
	CHECK(intact(&r, 2, 1000));
	CHECK(intact(&r, 3, 1001));
	struct tl_frame f;
	bool cut = false;
	CHECK(tl_ring_get(&r, 1, &f, &cut) && cut && f.caplen == 1000);
	CHECK(tl_ring_get(&r, 2, &f, &cut) && !cut);
	tl_ring_free(&r);
	/* keep larger than the ring: cut to the data's size. */
	tl_ring_init(&r, 4096, 1u << 20);
	CHECK(r.keep <= r.data_cap);
	put(&r, 1, 65535);
	CHECK(intact(&r, 1, 65535));
	put(&r, 2, 65535);
	CHECK(!tl_ring_get(&r, 1, &f, NULL));
	CHECK(intact(&r, 2, 65535));
	tl_ring_free(&r);
}

static void test_wrap(void)
{
	struct tl_ring r;
	tl_ring_init(&r, 20 * 1024, 1514);
	uint32_t n = 0;
	for (uint32_t k = 1; k <= 200; k++)
		put(&r, k, 1514);
	/* Only the newest fit, all of them intact, in one run. */
	for (uint32_t k = 1; k <= 200; k++)
		if (intact(&r, k, 1514))
			n++;
	CHECK_UINT(n, r.count);
	CHECK(r.count >= r.data_cap / 1514 - 1 && r.count <= r.data_cap / 1514);
	CHECK_UINT(tl_ring_oldest(&r), 200 - r.count + 1);
	CHECK(intact(&r, 200, 1514));
	CHECK_UINT(r.dropped, 200 - r.count);
	tl_ring_free(&r);
}

static void test_index_bound(void)
{
	struct tl_ring r;
	tl_ring_init(&r, 16 * 1024, 1514);
	/* Tiny frames: the index, not the data, is the limit. */
	for (uint32_t k = 1; k <= 10000; k++)
		put(&r, k, 1);
	CHECK_UINT(r.count, r.e_cap);
	CHECK_UINT(tl_ring_oldest(&r), 10000 - r.e_cap + 1);
	CHECK(intact(&r, 10000, 1));
	CHECK((uint64_t)r.data_cap + (uint64_t)r.e_cap * TL_RING_ENTRY_BYTES
	      <= 16 * 1024);
	CHECK(sizeof(struct tl_ring_entry) <= TL_RING_ENTRY_BYTES);
	tl_ring_free(&r);
}

static void test_random(void)
{
	static uint32_t caplen[120001];
	struct tl_ring r;
	tl_ring_init(&r, 256 * 1024, 9000);
	srand(12);
	uint32_t frame = 0, bad = 0;
	for (int i = 0; i < 60000; i++) {
		frame += 1 + (rand() % 5 == 0);
		uint32_t len = (uint32_t)(rand() % 3 ? rand() % 1600
		                                     : rand() % 70000);
		if (frame >= sizeof caplen / sizeof caplen[0])
			break;
		caplen[frame] = len;
		put(&r, frame, len);
		if (i % 997)
			continue;
		/* Everything from the oldest on is there and intact; the
		 * newest always is. */
		uint32_t oldest = tl_ring_oldest(&r), kept = 0;
		for (uint32_t k = oldest; k <= frame; k++) {
			struct tl_frame f;
			if (!tl_ring_get(&r, k, &f, NULL))
				continue;
			kept++;
			if (!intact(&r, k, caplen[k]))
				bad++;
		}
		if (kept != r.count || !intact(&r, frame, len))
			bad++;
	}
	CHECK_UINT(bad, 0);
	CHECK(r.dropped > 0);
	tl_ring_free(&r);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_lookup),
	CHECK_TEST(test_oversize),
	CHECK_TEST(test_wrap),
	CHECK_TEST(test_index_bound),
	CHECK_TEST(test_random),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

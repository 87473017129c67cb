/* The read-ahead queue (src/capture/frame_queue.c): every frame arrives in
 * order with its own bytes and header, across block boundaries and for
 * frames bigger than a block; the end and an error come after the last
 * frame; stopping early, even while the thread waits for room, is clean. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "frame_queue.h"

struct source {
	uint32_t frames;        /* how many to hand out */
	uint32_t next;
	enum tl_next end;       /* after the last one */
	uint8_t *buf;
	uint32_t (*size_of)(uint32_t frame);
};

static uint8_t byte_of(uint32_t frame, uint32_t i)
{
	return (uint8_t)(frame * 131u + i * 7u + (i >> 9));
}

static uint32_t small_sizes(uint32_t frame)
{
	return (frame * 2654435761u >> 20) % 1600;     /* 0 included */
}

/* A few frames bigger than a block (512 KiB) among small ones. */
static uint32_t some_huge(uint32_t frame)
{
	return frame % 97 == 5 ? (700u << 10) + frame : small_sizes(frame);
}

static enum tl_next give(void *ctx, struct tl_frame *f, uint32_t *ifindex,
                         char *err, size_t errsize)
{
	struct source *s = ctx;
	if (s->next == s->frames) {
		snprintf(err, errsize, "bad record after frame %u", s->next);
		return s->end;
	}
	uint32_t n = s->next++, len = s->size_of(n);
	for (uint32_t i = 0; i < len; i++)
		s->buf[i] = byte_of(n, i);
	*f = (struct tl_frame){ .data = s->buf, .caplen = len,
	                        .len = len + n % 3, .ts = (tl_nsec)n * 1000 - 7,
	                        .dlt = (int)(n % 5) };
	*ifindex = n % 4;
	return TL_NEXT_FRAME;
}

/* Takes every frame and checks it; returns how many came. */
static uint32_t drain(struct tl_fqueue *q, const struct source *s,
                      enum tl_next *end)
{
	uint32_t k = 0;
	struct tl_frame f;
	uint32_t ifindex;
	while ((*end = tl_fq_next(q, &f, &ifindex)) == TL_NEXT_FRAME) {
		uint32_t len = s->size_of(k);
		bool ok = f.caplen == len && f.len == len + k % 3 &&
		          f.ts == (tl_nsec)k * 1000 - 7 &&
		          f.dlt == (int)(k % 5) && ifindex == k % 4;
		for (uint32_t i = 0; ok && i < len; i++)
			ok = f.data[i] == byte_of(k, i);
		CHECK_MSG(ok, "frame %u differs", k);
		if (!ok)
			break;
		k++;
	}
	return k;
}

static void run(uint32_t frames, uint32_t (*size_of)(uint32_t),
                enum tl_next end)
{
	struct source s = { .frames = frames, .end = end,
	                    .buf = malloc(1u << 21), .size_of = size_of };
	struct tl_fqueue *q = tl_fq_start(give, &s);
	CHECK(q != NULL);
	if (!q) {
		free(s.buf);
		return;
	}
	enum tl_next got;
	CHECK_UINT(drain(q, &s, &got), frames);
	CHECK_UINT(got, end);
	/* Asked again, it says the same. */
	struct tl_frame f;
	uint32_t ifindex;
	CHECK_UINT(tl_fq_next(q, &f, &ifindex), end);
	if (end == TL_NEXT_ERROR) {
		char want[64];
		snprintf(want, sizeof want, "bad record after frame %u",
		         frames);
		CHECK_STR(tl_fq_error(q), want);
	}
	tl_fq_stop(q);
	free(s.buf);
}

static void test_many_small(void) { run(200000, small_sizes, TL_NEXT_END); }
static void test_empty(void) { run(0, small_sizes, TL_NEXT_END); }
static void test_huge(void) { run(1000, some_huge, TL_NEXT_END); }
static void test_error(void) { run(5000, small_sizes, TL_NEXT_ERROR); }
static void test_error_first(void) { run(0, small_sizes, TL_NEXT_ERROR); }

/* The caller stops after a few frames: the thread, whether it is reading
 * or waiting for room, ends and nothing leaks (ASan's pass checks that). */
static void test_stop_early(void)
{
	for (uint32_t take = 0; take < 2000; take += 333) {
		struct source s = { .frames = 100000, .end = TL_NEXT_END,
		                    .buf = malloc(1u << 21),
		                    .size_of = small_sizes };
		struct tl_fqueue *q = tl_fq_start(give, &s);
		CHECK(q != NULL);
		struct tl_frame f;
		uint32_t ifindex;
		for (uint32_t k = 0; q && k < take; k++)
			CHECK_UINT(tl_fq_next(q, &f, &ifindex), TL_NEXT_FRAME);
		tl_fq_stop(q);
		CHECK(s.next < s.frames);       /* read ahead, not to the end */
		free(s.buf);
	}
}

static const struct check_test tests[] = {
	CHECK_TEST(test_many_small), CHECK_TEST(test_empty),
	CHECK_TEST(test_huge), CHECK_TEST(test_error),
	CHECK_TEST(test_error_first), CHECK_TEST(test_stop_early),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

/* The read-ahead queue (src/capture/frame_queue.c): every frame arrives in
 * order with its own bytes and header, across block boundaries and for
 * frames bigger than a block; the end and an error come after the last
 * frame; stopping early, even while the thread waits for room, is clean;
 * a source that would wait hands over what it read (a pipe's pause), the
 * caller's wait is bounded, and stopping wakes a waiting source. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

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

static enum tl_next give(void *ctx, struct tl_fq_frame *out, char *err,
                         size_t errsize)
{
	struct tl_frame *f = &out->frame;
	uint32_t *ifindex = &out->ifindex;
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
	out->sec = -(int64_t)n;
	out->frac = (int64_t)n * 3;
	return TL_NEXT_FRAME;
}

/* Takes every frame and checks it; returns how many came. */
static uint32_t drain(struct tl_fqueue *q, const struct source *s,
                      enum tl_next *end)
{
	uint32_t k = 0;
	const struct tl_fq_frame *ff;
	while ((*end = tl_fq_next(q, &ff, -1)) == TL_NEXT_FRAME) {
		const struct tl_frame *f = &ff->frame;
		uint32_t len = s->size_of(k);
		bool ok = f->caplen == len && f->len == len + k % 3 &&
		          f->ts == (tl_nsec)k * 1000 - 7 &&
		          f->dlt == (int)(k % 5) && ff->ifindex == k % 4 &&
		          ff->sec == -(int64_t)k && ff->frac == (int64_t)k * 3;
		for (uint32_t i = 0; ok && i < len; i++)
			ok = f->data[i] == byte_of(k, i);
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
	struct tl_fqueue *q = tl_fq_start(give, NULL, &s);
	CHECK(q != NULL);
	if (!q) {
		free(s.buf);
		return;
	}
	enum tl_next got;
	CHECK_UINT(drain(q, &s, &got), frames);
	CHECK_UINT(got, end);
	/* Asked again, it says the same. */
	const struct tl_fq_frame *f;
	CHECK_UINT(tl_fq_next(q, &f, 0), end);
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
		struct tl_fqueue *q = tl_fq_start(give, NULL, &s);
		CHECK(q != NULL);
		const struct tl_fq_frame *f;
		for (uint32_t k = 0; q && k < take; k++)
			CHECK_UINT(tl_fq_next(q, &f, -1), TL_NEXT_FRAME);
		tl_fq_stop(q);
		CHECK(s.next < s.frames);       /* read ahead, not to the end */
		free(s.buf);
	}
}

/* A writer that pauses: after each burst the source says it would wait
 * (tl_fq_idle_here) and then waits, up to 5 s, until the caller has taken
 * the whole burst. Without the hand-over the caller would only time out. */
struct pausing {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint32_t made, taken, bursts;
	bool stuck;             /* the caller never got a burst */
	bool woken;             /* wake() was called */
	uint8_t byte;
};

#define BURST 10u

static bool wait_until(struct pausing *p, bool (*cond)(struct pausing *))
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&p->lock);
	bool ok = true;
	while (ok && !cond(p))
		ok = pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0;
	ok = cond(p);
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static bool burst_taken(struct pausing *p) { return p->taken == p->made; }
static bool was_woken(struct pausing *p) { return p->woken; }

static enum tl_next pause_give(void *ctx, struct tl_fq_frame *out, char *err,
                               size_t errsize)
{
	struct pausing *p = ctx;
	(void)err;
	(void)errsize;
	if (p->made && p->made % BURST == 0) {
		tl_fq_idle_here();
		if (!wait_until(p, burst_taken))
			p->stuck = true;
		if (p->made / BURST == p->bursts)
			return TL_NEXT_END;
	}
	pthread_mutex_lock(&p->lock);
	uint32_t n = p->made++;
	pthread_mutex_unlock(&p->lock);
	*out = (struct tl_fq_frame){
		.frame = { .data = &p->byte, .caplen = 1, .len = 1,
		           .ts = (tl_nsec)n },
	};
	return TL_NEXT_FRAME;
}

static void test_pause_hands_over(void)
{
	struct pausing p = { .bursts = 5 };
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	struct tl_fqueue *q = tl_fq_start(pause_give, NULL, &p);
	CHECK(q != NULL);
	const struct tl_fq_frame *f;
	enum tl_next next;
	uint32_t got = 0, timeouts = 0;
	while (q && (next = tl_fq_next(q, &f, 20)) != TL_NEXT_END) {
		if (next == TL_NEXT_TIMEOUT) {
			CHECK(timeouts++ < 250);   /* 5 s: the source gave up */
			if (timeouts > 250)
				break;
			continue;
		}
		CHECK_UINT(f->frame.ts, got);
		got++;
		pthread_mutex_lock(&p.lock);
		p.taken = got;
		pthread_cond_broadcast(&p.cond);
		pthread_mutex_unlock(&p.lock);
	}
	CHECK_UINT(got, p.bursts * BURST);
	CHECK(!p.stuck);
	tl_fq_stop(q);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
}

/* A source waiting for a writer that never writes: the caller's wait ends
 * after wait_ms, and stopping wakes the source (a pipe's stop byte). */
static enum tl_next stuck_give(void *ctx, struct tl_fq_frame *out, char *err,
                               size_t errsize)
{
	struct pausing *p = ctx;
	(void)out;
	wait_until(p, was_woken);
	snprintf(err, errsize, "read cancelled");
	return TL_NEXT_ERROR;
}

static void wake(void *ctx)
{
	struct pausing *p = ctx;
	pthread_mutex_lock(&p->lock);
	p->woken = true;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void test_timeout_and_wake(void)
{
	struct pausing p = { 0 };
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	struct tl_fqueue *q = tl_fq_start(stuck_give, wake, &p);
	CHECK(q != NULL);
	const struct tl_fq_frame *f;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_UINT(tl_fq_next(q, &f, 30), TL_NEXT_TIMEOUT);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	int64_t ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	             (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK_MSG(ms >= 29, "returned after %lld ms", (long long)ms);
	CHECK(!p.woken);
	tl_fq_stop(q);          /* returns only once the source was woken */
	CHECK(p.woken);
	pthread_cond_destroy(&p.cond);
	pthread_mutex_destroy(&p.lock);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_pause_hands_over), CHECK_TEST(test_timeout_and_wake),
	CHECK_TEST(test_many_small), CHECK_TEST(test_empty),
	CHECK_TEST(test_huge), CHECK_TEST(test_error),
	CHECK_TEST(test_error_first), CHECK_TEST(test_stop_early),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

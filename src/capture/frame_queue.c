/* The read-ahead thread and its blocks (frame_queue.h). Each block holds
 * frames end to end, a record before each one's bytes. The thread fills
 * the block after the last published one and publishes it when the next
 * frame does not fit, when its source would wait (tl_fq_idle) or at the
 * end; the caller reads the oldest published block without the lock and
 * gives it back when it asks for the frame after its last. BLOCKS blocks
 * bound what is read ahead. */
#include "config.h"

#include "frame_queue.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl_util.h"

#define BLOCKS 4
#define BLOCK_BYTES (512u << 10)

struct fq_record {
	tl_nsec ts;
	int64_t sec, frac;
	uint32_t caplen, len;
	int32_t dlt;
	uint32_t ifindex;
};

#define ALIGN8(n) (((size_t)(n) + 7u) & ~(size_t)7u)
#define RECORD_BYTES(caplen) (sizeof(struct fq_record) + ALIGN8(caplen))

struct fq_block {
	uint8_t *buf;
	size_t size, used;
};

/* The caller and the thread each write their own fields on every frame:
 * kept on cache lines of their own, or each write would pull the line
 * from the other core (that doubled the CPU time of -T tsv). */
#define CACHE_LINE 64

struct tl_fqueue {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct fq_block block[BLOCKS];
	unsigned head;          /* the oldest published block */
	unsigned published;     /* blocks the caller has not given back */
	bool done;              /* the thread published its last block */
	bool quit;              /* asked to stop */
	enum tl_next end;       /* TL_NEXT_END or TL_NEXT_ERROR, once done */
	char err[512];
	tl_fq_source source;
	tl_fq_wake wake;
	void *ctx;
	/* The caller's: its place in the block at head, where that block's
	 * frames end (read once, under the lock), and its frame. */
	struct {
		_Alignas(CACHE_LINE) bool reading;
		const uint8_t *buf;
		size_t at, end;
		struct tl_fq_frame taken;
	} rd;
	/* The thread's. */
	struct {
		_Alignas(CACHE_LINE) bool filling;  /* block[fill] is its */
		unsigned fill;
		struct tl_fq_frame pending;     /* read, not yet in a block */
		bool has_pending;
	} wr;
};

/* An empty block takes any frame: it grows for one bigger than itself,
 * and a grown block shrinks back when it is reused. */
static void block_reset(struct fq_block *b, uint32_t first_caplen)
{
	size_t want = RECORD_BYTES(first_caplen);
	size_t size = want > BLOCK_BYTES ? want : BLOCK_BYTES;
	if (!b->buf || b->size != size) {
		free(b->buf);
		b->buf = tl_xmalloc(size);
		b->size = size;
	}
	b->used = 0;
}

static bool block_fits(const struct fq_block *b, uint32_t caplen)
{
	return b->used + RECORD_BYTES(caplen) <= b->size;
}

static void block_add(struct fq_block *b, const struct tl_fq_frame *f)
{
	struct fq_record r = {
		.ts = f->frame.ts, .sec = f->sec, .frac = f->frac,
		.caplen = f->frame.caplen, .len = f->frame.len,
		.dlt = f->frame.dlt, .ifindex = f->ifindex,
	};
	memcpy(b->buf + b->used, &r, sizeof r);
	if (r.caplen)
		memcpy(b->buf + b->used + sizeof r, f->frame.data, r.caplen);
	b->used += RECORD_BYTES(r.caplen);
}

/* Waits for a free block and makes it the one filled; false if asked to
 * stop. */
static bool take_block(struct tl_fqueue *q, uint32_t first_caplen)
{
	pthread_mutex_lock(&q->lock);
	while (q->published == BLOCKS && !q->quit)
		pthread_cond_wait(&q->room, &q->lock);
	bool quit = q->quit;
	/* head + published stays the same while the caller gives blocks
	 * back: this is the block after the last published one. */
	q->wr.fill = (q->head + q->published) % BLOCKS;
	pthread_mutex_unlock(&q->lock);
	if (quit)
		return false;
	block_reset(&q->block[q->wr.fill], first_caplen);
	q->wr.filling = true;
	return true;
}

static void publish(struct tl_fqueue *q)
{
	pthread_mutex_lock(&q->lock);
	q->published++;
	q->wr.filling = false;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
}

static void finish(struct tl_fqueue *q, enum tl_next end)
{
	pthread_mutex_lock(&q->lock);
	if (q->wr.filling)
		q->published++;
	q->wr.filling = false;
	q->done = true;
	q->end = end;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->lock);
}

/* The queue whose thread this is, if any: sources reach tl_fq_idle_here()
 * through libpcap and stdio, which carry no pointer of ours. */
static _Thread_local struct tl_fqueue *this_thread_queue;

void tl_fq_idle_here(void)
{
	struct tl_fqueue *q = this_thread_queue;
	if (q && q->wr.filling && q->block[q->wr.fill].used)
		publish(q);
}

static void *read_ahead(void *arg)
{
	struct tl_fqueue *q = arg;
	char err[sizeof q->err];
	this_thread_queue = q;
	for (;;) {
		if (!q->wr.has_pending) {
			enum tl_next n = q->source(q->ctx, &q->wr.pending, err,
			                           sizeof err);
			if (n != TL_NEXT_FRAME) {
				if (n == TL_NEXT_ERROR)
					snprintf(q->err, sizeof q->err, "%s",
					         err);
				finish(q, n == TL_NEXT_ERROR ? n
				                             : TL_NEXT_END);
				return NULL;
			}
			q->wr.has_pending = true;
		}
		if (!q->wr.filling && !take_block(q, q->wr.pending.frame.caplen))
			return NULL;
		struct fq_block *b = &q->block[q->wr.fill];
		if (!block_fits(b, q->wr.pending.frame.caplen)) {
			publish(q);
			continue;
		}
		block_add(b, &q->wr.pending);
		q->wr.has_pending = false;
	}
}

struct tl_fqueue *tl_fq_start(tl_fq_source source, tl_fq_wake wake,
                              void *ctx)
{
	/* Aligned as its cache lines are (sizeof is a multiple of it). */
	struct tl_fqueue *q = aligned_alloc(_Alignof(struct tl_fqueue),
	                                    sizeof *q);
	if (!q)
		return NULL;    /* read in place */
	memset(q, 0, sizeof *q);
	q->source = source;
	q->wake = wake;
	q->ctx = ctx;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, &ca);
	pthread_cond_init(&q->room, NULL);
	pthread_condattr_destroy(&ca);
	/* Signals stay with the caller's threads: none cuts a read short. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&q->thread, NULL, read_ahead, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return q;
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->lock);
	free(q);
	return NULL;
}

/* Waits on more until the thread publishes or ends, at most wait_ms if
 * that is not negative. Under the lock. */
static void wait_more(struct tl_fqueue *q, int wait_ms)
{
	if (wait_ms < 0) {
		while (!q->published && !q->done)
			pthread_cond_wait(&q->more, &q->lock);
		return;
	}
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += wait_ms / 1000;
	until.tv_nsec += (long)(wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!q->published && !q->done)
		if (pthread_cond_timedwait(&q->more, &q->lock, &until) ==
		    ETIMEDOUT)
			break;
}

/* Gives back the block the caller has read, if any, and waits for the
 * next one: TL_NEXT_FRAME when there is one to read. */
static enum tl_next next_block(struct tl_fqueue *q, int wait_ms)
{
	pthread_mutex_lock(&q->lock);
	if (q->rd.reading) {
		q->head = (q->head + 1) % BLOCKS;
		q->published--;
		q->rd.reading = false;
		pthread_cond_signal(&q->room);
	}
	wait_more(q, wait_ms);
	enum tl_next next = q->published ? TL_NEXT_FRAME
	                  : q->done ? q->end : TL_NEXT_TIMEOUT;
	q->rd.reading = q->published > 0;
	q->rd.buf = q->block[q->head].buf;
	q->rd.end = q->rd.reading ? q->block[q->head].used : 0;
	pthread_mutex_unlock(&q->lock);
	q->rd.at = 0;
	return next;
}

enum tl_next tl_fq_next(struct tl_fqueue *q, const struct tl_fq_frame **f,
                        int wait_ms)
{
	while (q->rd.at >= q->rd.end) {
		enum tl_next next = next_block(q, wait_ms);
		if (next != TL_NEXT_FRAME)
			return next;
	}
	const uint8_t *at = q->rd.buf + q->rd.at;
	struct fq_record r;
	memcpy(&r, at, sizeof r);
	q->rd.taken = (struct tl_fq_frame){
		.frame = { .data = at + sizeof r, .caplen = r.caplen,
		           .len = r.len, .ts = r.ts, .dlt = r.dlt },
		.ifindex = r.ifindex, .sec = r.sec, .frac = r.frac,
	};
	q->rd.at += RECORD_BYTES(r.caplen);
	*f = &q->rd.taken;
	return TL_NEXT_FRAME;
}

const char *tl_fq_error(const struct tl_fqueue *q)
{
	return q->err;
}

void tl_fq_stop(struct tl_fqueue *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->lock);
	q->quit = true;
	pthread_cond_signal(&q->room);
	pthread_mutex_unlock(&q->lock);
	if (q->wake)
		q->wake(q->ctx);
	pthread_join(q->thread, NULL);
	for (unsigned i = 0; i < BLOCKS; i++)
		free(q->block[i].buf);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

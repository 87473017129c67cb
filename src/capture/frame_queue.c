/* The read-ahead thread and its blocks (frame_queue.h). Each block holds
 * frames end to end, a record header before each one's bytes. The thread
 * fills the block after the last published one and publishes it when the
 * next frame does not fit; the caller reads the oldest published block
 * without the lock and gives it back when it asks for the frame after its
 * last. BLOCKS blocks bound what is read ahead. */
#include "config.h"

#include "frame_queue.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_util.h"

#define BLOCKS 4
#define BLOCK_BYTES (512u << 10)

struct fq_record {
	tl_nsec ts;
	uint32_t caplen, len;
	int32_t dlt;
	uint32_t ifindex;
};

#define ALIGN8(n) (((n) + 7u) & ~(size_t)7u)
#define RECORD_BYTES(caplen) (sizeof(struct fq_record) + ALIGN8(caplen))

struct fq_block {
	uint8_t *buf;
	size_t size, used;
};

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
	/* The caller's: its place in the block at head. */
	bool reading;
	size_t at;
	/* The thread's. */
	tl_fq_source source;
	void *ctx;
	struct tl_frame pending;        /* read, not yet in a block */
	uint32_t pending_ifindex;
	bool has_pending;
};

static bool block_fits(const struct fq_block *b, uint32_t caplen)
{
	return b->used + RECORD_BYTES(caplen) <= b->size;
}

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

static void block_add(struct fq_block *b, const struct tl_frame *f,
                      uint32_t ifindex)
{
	struct fq_record r = { .ts = f->ts, .caplen = f->caplen,
	                       .len = f->len, .dlt = f->dlt,
	                       .ifindex = ifindex };
	memcpy(b->buf + b->used, &r, sizeof r);
	if (f->caplen)
		memcpy(b->buf + b->used + sizeof r, f->data, f->caplen);
	b->used += RECORD_BYTES(f->caplen);
}

/* Fills b until the next frame does not fit or the input ends; that frame
 * stays pending for the next block. TL_NEXT_FRAME while there is more. */
static enum tl_next fill_block(struct tl_fqueue *q, struct fq_block *b)
{
	char err[sizeof q->err];
	for (;;) {
		if (!q->has_pending) {
			enum tl_next n = q->source(q->ctx, &q->pending,
			                           &q->pending_ifindex, err,
			                           sizeof err);
			if (n != TL_NEXT_FRAME) {
				if (n == TL_NEXT_ERROR)
					snprintf(q->err, sizeof q->err, "%s",
					         err);
				return n == TL_NEXT_ERROR ? n : TL_NEXT_END;
			}
			q->has_pending = true;
		}
		if (!block_fits(b, q->pending.caplen))
			return TL_NEXT_FRAME;
		block_add(b, &q->pending, q->pending_ifindex);
		q->has_pending = false;
	}
}

static void *read_ahead(void *arg)
{
	struct tl_fqueue *q = arg;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (q->published == BLOCKS && !q->quit)
			pthread_cond_wait(&q->room, &q->lock);
		bool quit = q->quit;
		struct fq_block *b = &q->block[(q->head + q->published) %
		                               BLOCKS];
		pthread_mutex_unlock(&q->lock);
		if (quit)
			return NULL;
		/* The caller never looks at a block it was not given. */
		block_reset(b, q->has_pending ? q->pending.caplen : 0);
		enum tl_next n = fill_block(q, b);
		pthread_mutex_lock(&q->lock);
		q->published++;
		if (n != TL_NEXT_FRAME) {
			q->done = true;
			q->end = n;
		}
		pthread_cond_signal(&q->more);
		pthread_mutex_unlock(&q->lock);
		if (n != TL_NEXT_FRAME)
			return NULL;
	}
}

struct tl_fqueue *tl_fq_start(tl_fq_source source, void *ctx)
{
	struct tl_fqueue *q = tl_xcalloc(1, sizeof *q);
	q->source = source;
	q->ctx = ctx;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->more, NULL);
	pthread_cond_init(&q->room, NULL);
	/* Signals stay with the caller's threads. */
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

/* Gives back the block the caller has read, if any, and waits for the
 * next one. False when the thread has published all it will. */
static bool next_block(struct tl_fqueue *q)
{
	pthread_mutex_lock(&q->lock);
	if (q->reading) {
		q->head = (q->head + 1) % BLOCKS;
		q->published--;
		q->reading = false;
		pthread_cond_signal(&q->room);
	}
	while (!q->published && !q->done)
		pthread_cond_wait(&q->more, &q->lock);
	q->reading = q->published > 0;
	pthread_mutex_unlock(&q->lock);
	q->at = 0;
	return q->reading;
}

enum tl_next tl_fq_next(struct tl_fqueue *q, struct tl_frame *frame,
                        uint32_t *ifindex)
{
	while (!q->reading || q->at >= q->block[q->head].used) {
		if (!next_block(q))
			return q->end;  /* done: written before it was set */
	}
	const struct fq_block *b = &q->block[q->head];
	struct fq_record r;
	memcpy(&r, b->buf + q->at, sizeof r);
	frame->data = b->buf + q->at + sizeof r;
	frame->caplen = r.caplen;
	frame->len = r.len;
	frame->ts = r.ts;
	frame->dlt = r.dlt;
	*ifindex = r.ifindex;
	q->at += RECORD_BYTES(r.caplen);
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
	/* A block being filled is at most BLOCK_BYTES of reading away. */
	pthread_join(q->thread, NULL);
	for (unsigned i = 0; i < BLOCKS; i++)
		free(q->block[i].buf);
	pthread_cond_destroy(&q->more);
	pthread_cond_destroy(&q->room);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* Bounds on what an interactive view keeps. A live capture can run for
 * days: past either bound, whole closed connections go first (oldest
 * activity first), then the oldest rows of what is left. Going back down
 * to three quarters of the bound makes each (linear) compaction pay for
 * many segments. */
#include "config.h"

#include "tl_model.h"

#include "tl_app.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES ((uint64_t)TL_SEG_CHUNK * sizeof(struct tl_seg))

static uint64_t segstore_bytes(const struct tl_segstore *st)
{
	return (uint64_t)st->chunk_count * CHUNK_BYTES +
	       (uint64_t)st->chunk_cap * sizeof *st->chunks +
	       (uint64_t)st->note_chunk_count * TL_NOTE_CHUNK *
	               sizeof(struct tl_seg_note) +
	       (uint64_t)st->note_chunk_cap * sizeof *st->note_chunks +
	       (uint64_t)st->cc_chunk_count * TL_SEG_CHUNK *
	               sizeof(struct tl_seg_cc) +
	       (uint64_t)st->cc_chunk_cap * sizeof *st->cc_chunks;
}

uint64_t tl_model_bytes(const struct tl_model *m)
{
	return segstore_bytes(&m->segs) + tl_tracker_bytes(&m->tracker) +
	       tl_app_bytes(m->app) + tl_sender_bytes(m->sender);
}

void tl_model_set_limits(struct tl_model *m, uint32_t max_segments,
                         uint64_t max_bytes)
{
	m->limits.max_segments = max_segments;
	m->limits.max_bytes = max_bytes;
}

bool tl_model_over_limits(const struct tl_model *m)
{
	const struct tl_model_limits *l = &m->limits;
	return (l->max_segments && m->segs.count > l->max_segments) ||
	       (l->max_bytes && tl_model_bytes(m) > l->max_bytes);
}

/* What to let go: whole streams, and every row before a frame. */
struct plan {
	uint8_t *victim;        /* per stream */
	uint32_t cutoff;        /* rows of earlier frames go */
	uint64_t rows, bytes;   /* still to free */
};

struct candidate {
	uint32_t last_frame, stream;
};

static int by_last_frame(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	return (x->last_frame > y->last_frame) - (x->last_frame < y->last_frame);
}

static bool finished(const struct tl_conn *c)
{
	return c->state == TL_STATE_CLOSED || c->state == TL_STATE_RESET ||
	       !c->in_hash;
}

static bool plan_done(const struct plan *p)
{
	return !p->rows && !p->bytes;
}

static void plan_free_rows(struct plan *p, uint64_t rows, uint64_t bytes)
{
	p->rows = p->rows > rows ? p->rows - rows : 0;
	p->bytes = p->bytes > bytes ? p->bytes - bytes : 0;
}

/* Phase one: closed connections, the one that ended first goes first. */
static void plan_closed(const struct tl_model *m, struct plan *p,
                        const uint32_t *rows, uint64_t row_cost)
{
	const struct tl_tracker *tr = &m->tracker;
	struct candidate *c = tl_xcalloc((size_t)tr->stream_count + 1,
	                                 sizeof *c);
	uint32_t n = 0;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *conn = tr->streams[s];
		if (conn && finished(conn))
			c[n++] = (struct candidate){ conn->last_frame, s };
	}
	qsort(c, n, sizeof *c, by_last_frame);
	for (uint32_t i = 0; i < n && !plan_done(p); i++) {
		uint32_t s = c[i].stream;
		p->victim[s] = 1;
		plan_free_rows(p, rows[s],
		               rows[s] * row_cost + sizeof(struct tl_conn));
	}
	free(c);
}

/* Phase two: the oldest rows of the connections left, whatever their
 * state; a connection idle since before the cutoff goes whole. */
static void plan_cutoff(const struct tl_model *m, struct plan *p,
                        uint64_t row_cost)
{
	const struct tl_segstore *st = &m->segs;
	uint32_t i = 0;
	for (; i < st->count && !plan_done(p); i++) {
		const struct tl_seg *seg = tl_segstore_get(st, i);
		if (!p->victim[seg->stream])
			plan_free_rows(p, 1, row_cost);
	}
	/* The newest row always stays: it is what the view is following. */
	if (i >= st->count)
		i = st->count - 1;
	p->cutoff = tl_segstore_get(st, i)->frame;
}

static bool keep_seg(const struct plan *p, const struct tl_seg *seg)
{
	return !p->victim[seg->stream] && seg->frame >= p->cutoff;
}

/* Moves the kept rows (and their notes) down, in order; frees the chunks
 * left empty. */
static void compact(struct tl_segstore *st, const struct plan *p)
{
	uint32_t kept = 0, note = 0, kept_notes = 0;
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *seg = tl_segstore_get(st, i);
		bool has_note = note < st->note_count &&
		                tl_segstore_note_at(st, note)->seg_index == i;
		if (keep_seg(p, seg)) {
			if (has_note) {
				struct tl_seg_note *to =
					tl_segstore_note_at(st, kept_notes++);
				*to = *tl_segstore_note_at(st, note);
				to->seg_index = kept;
			}
			if (kept != i)
				st->chunks[kept >> TL_SEG_CHUNK_BITS]
				          [kept & (TL_SEG_CHUNK - 1)] = *seg;
			if (kept != i && i >> TL_SEG_CHUNK_BITS <
			                 st->cc_chunk_count)
				*tl_segstore_cc_at(st, kept) =
					*tl_segstore_cc_at(st, i);
			kept++;
		}
		if (has_note)
			note++;
	}
	st->count = kept;
	st->note_count = kept_notes;
	uint32_t chunks = (kept + TL_SEG_CHUNK - 1) >> TL_SEG_CHUNK_BITS;
	while (st->chunk_count > chunks)
		free(st->chunks[--st->chunk_count]);
	while (st->cc_chunk_count > chunks)
		free(st->cc_chunks[--st->cc_chunk_count]);
	chunks = (kept_notes + TL_NOTE_CHUNK - 1) >> TL_NOTE_CHUNK_BITS;
	while (st->note_chunk_count > chunks)
		free(st->note_chunks[--st->note_chunk_count]);
}

/* Labels are asked about in increasing frame order, so one cursor walks
 * the compacted store once. */
struct label_walk {
	const struct tl_segstore *st;
	uint32_t pos;
};

static bool label_kept(void *ctx, uint32_t frame)
{
	struct label_walk *w = ctx;
	while (w->pos < w->st->count &&
	       tl_segstore_get(w->st, w->pos)->frame < frame)
		w->pos++;
	return w->pos < w->st->count &&
	       tl_segstore_get(w->st, w->pos)->frame == frame;
}

static void forget_streams(struct tl_model *m, const struct plan *p)
{
	struct tl_tracker *tr = &m->tracker;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *c = tr->streams[s];
		if (!c || (!p->victim[s] && c->last_frame >= p->cutoff))
			continue;
		tl_tracker_forget(tr, s);
		tl_app_forget(m->app, s);
		tl_sender_forget(m->sender, s);
		m->evicted.connections++;
	}
}

static void plan_init(const struct tl_model *m, struct plan *p)
{
	const struct tl_model_limits *l = &m->limits;
	uint32_t seg_goal = l->max_segments - l->max_segments / 4;
	uint64_t byte_goal = l->max_bytes - l->max_bytes / 4;
	uint64_t bytes = tl_model_bytes(m);
	p->rows = l->max_segments && m->segs.count > seg_goal
	          ? m->segs.count - seg_goal : 0;
	p->bytes = l->max_bytes && bytes > byte_goal ? bytes - byte_goal : 0;
	p->cutoff = 0;
	p->victim = tl_xcalloc((size_t)m->tracker.stream_count + 1, 1);
}

void tl_model_evict(struct tl_model *m)
{
	struct tl_segstore *st = &m->segs;
	if (!st->count)
		return;
	struct plan p;
	plan_init(m, &p);
	m->evicted.by_count = p.rows > 0;
	/* A row costs its record, its share of notes and labels. */
	uint64_t row_cost = (segstore_bytes(st) + tl_app_bytes(m->app)) /
	                    st->count;
	uint32_t *rows = tl_xcalloc((size_t)m->tracker.stream_count + 1,
	                            sizeof *rows);
	for (uint32_t i = 0; i < st->count; i++)
		rows[tl_segstore_get(st, i)->stream]++;
	plan_closed(m, &p, rows, row_cost);
	free(rows);
	if (!plan_done(&p))
		plan_cutoff(m, &p, row_cost);
	uint32_t before = st->count;
	compact(st, &p);
	struct label_walk walk = { st, 0 };
	tl_app_keep_labels(m->app, label_kept, &walk);
	forget_streams(m, &p);
	free(p.victim);
	m->evicted.segments += before - st->count;
	m->evicted.rounds++;
}

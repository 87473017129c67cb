/* Bounds on what an interactive view keeps. A live capture can run for
 * days: past either bound, whole closed connections go first (oldest
 * activity first), then the oldest rows of what is left. Going back down
 * to three quarters of the bound makes each (linear) compaction pay for
 * many segments.
 *
 * An open connection's state is not let go, only its rows: forgetting it
 * gave its next segment a new stream number without its SYN, and the new
 * stream was soon forgotten in turn (issue 11: "525620 let go" for a file
 * of 20,000 connections under 64M).
 * When the open connections alone take more than three quarters of
 * --max-memory, the rows keep a quarter of it on top, so each compaction
 * still pays for many rows, and the view says the bound is too small.
 * Only past twice the bound (a SYN flood or a scan in a capture that runs
 * for days) do the open connections idle longest go, back down to the
 * bound, so that memory stays bounded whatever comes. */
#include "config.h"

#include "tl_model.h"

#include "tl_app.h"

#include <stdio.h>
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
	       (uint64_t)st->cc_chunk_cap * sizeof *st->cc_chunks +
	       (uint64_t)st->sack_chunk_count * TL_NOTE_CHUNK *
	               sizeof(struct tl_seg_sack) +
	       (uint64_t)st->sack_chunk_cap * sizeof *st->sack_chunks +
	       (uint64_t)st->proto_run_cap * sizeof *st->proto_runs;
}

uint64_t tl_model_bytes(const struct tl_model *m)
{
	return segstore_bytes(&m->segs) + tl_tracker_bytes(&m->tracker) +
	       tl_app_bytes(m->app) + tl_sender_bytes(m->sender) +
	       (uint64_t)m->forget_cap * sizeof *m->forgets;
}

/* What letting rows go cannot free while the connections are open. */
static uint64_t held_bytes(const struct tl_model *m)
{
	return tl_tracker_bytes(&m->tracker) + tl_app_conn_bytes(m->app) +
	       tl_sender_bytes(m->sender);
}

/* The bytes rows (records, notes, labels) may take: what the bound leaves
 * beside the connections, and never less than a quarter of it. */
static uint64_t row_room(const struct tl_model *m, uint64_t held)
{
	uint64_t max = m->limits.max_bytes, least = max / 4;
	return held + least <= max ? max - held : least;
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
	if (l->max_segments && m->segs.count > l->max_segments)
		return true;
	if (!l->max_bytes)
		return false;
	uint64_t all = tl_model_bytes(m);
	if (all <= l->max_bytes || all < l->recheck_bytes)
		return false;
	uint64_t held = held_bytes(m);
	return all - held > row_room(m, held) || held > 2 * l->max_bytes;
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

/* A connection that just closed still gets the ACK of the last FIN, or a
 * RST answering a late segment: forgotten at once, those made new streams
 * (219 of 12,605 in a generated capture under 16M). It goes whole once
 * quiet for four round trips (10 ms at least, 1 s when the handshake was
 * not seen); a replaced one (a new SYN on its 4-tuple) gets nothing more. */
static bool goes_whole(const struct tl_conn *c, tl_nsec now)
{
	if (!c->in_hash)
		return true;
	if (!finished(c))
		return false;
	tl_nsec linger = c->irtt_set ? 4 * c->irtt : TL_NSEC_PER_SEC;
	if (linger < TL_NSEC_PER_SEC / 100)
		linger = TL_NSEC_PER_SEC / 100;
	return now - c->last_time >= linger;
}

/* The capture time of the newest row. */
static tl_nsec newest_time(const struct tl_model *m)
{
	const struct tl_segstore *st = &m->segs;
	return m->start_time +
	       tl_seg_time_us(tl_segstore_get(st, st->count - 1)) * 1000;
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
                        const uint32_t *rows, uint64_t row_cost,
                        tl_nsec now)
{
	const struct tl_tracker *tr = &m->tracker;
	struct candidate *c = tl_xcalloc((size_t)tr->stream_count + 1,
	                                 sizeof *c);
	uint32_t n = 0;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *conn = tr->streams[s];
		if (conn && goes_whole(conn, now))
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

static uint64_t conn_bytes(const struct tl_conn *c)
{
	return sizeof *c + ((uint64_t)c->dir[0].unacked_cap +
	                    c->dir[1].unacked_cap) * sizeof *c->dir[0].unacked;
}

/* Last resort, past twice --max-memory: the open connections idle
 * longest go, with their rows, until the connections fit in the bound
 * again. */
static uint32_t plan_open(const struct tl_model *m, struct plan *p)
{
	const struct tl_tracker *tr = &m->tracker;
	uint64_t max = m->limits.max_bytes, held = held_bytes(m);
	if (!max || held <= 2 * max)
		return 0;
	uint64_t excess = held - max;
	struct candidate *c = tl_xcalloc((size_t)tr->stream_count + 1,
	                                 sizeof *c);
	uint32_t n = 0, gone = 0;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *conn = tr->streams[s];
		if (conn && !finished(conn) && !p->victim[s])
			c[n++] = (struct candidate){ conn->last_frame, s };
	}
	qsort(c, n, sizeof *c, by_last_frame);
	for (uint32_t i = 0; i < n && excess; i++) {
		uint64_t b = conn_bytes(tr->streams[c[i].stream]);
		p->victim[c[i].stream] = 2;
		excess = excess > b ? excess - b : 0;
		gone++;
	}
	free(c);
	return gone;
}

static bool keep_seg(const struct plan *p, const struct tl_seg *seg)
{
	return !p->victim[seg->stream] && seg->frame >= p->cutoff;
}

/* Moves the kept rows (and their notes) down, in order; frees the chunks
 * left empty. */
static void compact(struct tl_segstore *st, const struct plan *p)
{
	uint32_t kept = 0, note = 0, kept_notes = 0, sack = 0, kept_sacks = 0;
	uint32_t run = 0, kept_runs = 0;
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *seg = tl_segstore_get(st, i);
		/* The protocol runs: written at or before the one read. */
		while (run + 1 < st->proto_run_count &&
		       st->proto_runs[run + 1].seg_index <= i)
			run++;
		if (run < st->proto_run_count && keep_seg(p, seg) &&
		    (!kept_runs || st->proto_runs[kept_runs - 1].protos !=
		                   st->proto_runs[run].protos))
			st->proto_runs[kept_runs++] = (struct tl_seg_protos){
				kept, st->proto_runs[run].protos };
		bool has_note = note < st->note_count &&
		                tl_segstore_note_at(st, note)->seg_index == i;
		bool has_sack = sack < st->sack_count &&
		                tl_segstore_sack_at(st, sack)->seg_index == i;
		if (keep_seg(p, seg) && has_sack) {
			struct tl_seg_sack *to =
				tl_segstore_sack_at(st, kept_sacks++);
			*to = *tl_segstore_sack_at(st, sack);
			to->seg_index = kept;
		}
		if (has_sack)
			sack++;
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
	st->proto_run_count = kept_runs;
	uint32_t chunks = (kept + TL_SEG_CHUNK - 1) >> TL_SEG_CHUNK_BITS;
	while (st->chunk_count > chunks)
		free(st->chunks[--st->chunk_count]);
	while (st->cc_chunk_count > chunks)
		free(st->cc_chunks[--st->cc_chunk_count]);
	chunks = (kept_notes + TL_NOTE_CHUNK - 1) >> TL_NOTE_CHUNK_BITS;
	while (st->note_chunk_count > chunks)
		free(st->note_chunks[--st->note_chunk_count]);
	st->sack_count = kept_sacks;
	chunks = (kept_sacks + TL_NOTE_CHUNK - 1) >> TL_NOTE_CHUNK_BITS;
	while (st->sack_chunk_count > chunks)
		free(st->sack_chunks[--st->sack_chunk_count]);
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

void tl_model_forget_stream(struct tl_model *m, uint32_t stream)
{
	tl_tracker_forget(&m->tracker, stream);
	tl_app_forget(m->app, stream);
	tl_sender_forget(m->sender, stream);
}

/* Closed connections whose rows all went are forgotten once quiet; open
 * ones stay, rows or not, unless plan_open chose them. Returns how many
 * connections are still open. */
static uint32_t forget_streams(struct tl_model *m, const struct plan *p,
                               tl_nsec now)
{
	struct tl_tracker *tr = &m->tracker;
	uint32_t open = 0;
	for (uint32_t s = 0; s < tr->stream_count; s++) {
		const struct tl_conn *c = tr->streams[s];
		if (!c)
			continue;
		bool chosen = p->victim[s] == 2;        /* by plan_open */
		if (!finished(c) && !chosen)
			open++;
		if (!chosen && (!goes_whole(c, now) ||
		                (!p->victim[s] && c->last_frame >= p->cutoff)))
			continue;
		tl_model_forget_stream(m, s);
		m->forgets = tl_xgrow(m->forgets, &m->forget_cap,
		                      (uint64_t)m->forget_count + 1, 64,
		                      sizeof *m->forgets);
		m->forgets[m->forget_count++] =
			(struct tl_model_forget){ m->frames, s };
		m->evicted.connections++;
	}
	return open;
}

static void plan_init(const struct tl_model *m, struct plan *p)
{
	const struct tl_model_limits *l = &m->limits;
	uint32_t seg_goal = l->max_segments - l->max_segments / 4;
	p->rows = l->max_segments && m->segs.count > seg_goal
	          ? m->segs.count - seg_goal : 0;
	p->bytes = 0;
	if (l->max_bytes) {
		uint64_t held = held_bytes(m), room = row_room(m, held);
		uint64_t rows = tl_model_bytes(m) - held;
		uint64_t goal = room - room / 4;
		p->bytes = rows > goal ? rows - goal : 0;
	}
	p->cutoff = 0;
	p->victim = tl_xcalloc((size_t)m->tracker.stream_count + 1, 1);
}

/* 1, 2 or 5 times a power of ten, at least v. */
static uint64_t round_nice(uint64_t v)
{
	for (uint64_t p = 1; p <= UINT64_MAX / 10; p *= 10)
		for (int k = 0; k < 3; k++) {
			uint64_t n = p * (uint64_t[]){ 1, 2, 5 }[k];
			if (n >= v)
				return n;
		}
	return v;
}

/* After a round: is the bound too small for the open connections, and
 * what would do? For bytes, room for the connections twice over (they
 * grow, and rows need room too), in MiB, a power of two; for rows, four
 * per open connection. */
static void judge_bound(struct tl_model *m, uint32_t open)
{
	const struct tl_model_limits *l = &m->limits;
	struct tl_model_evicted *e = &m->evicted;
	uint64_t held = held_bytes(m);
	bool bytes = l->max_bytes && held > l->max_bytes - l->max_bytes / 4;
	bool rows = l->max_segments && open > l->max_segments -
	                                       l->max_segments / 4;
	if (!bytes && !rows)
		return;         /* once too small, the message stays */
	e->too_small = true;
	e->too_small_by_count = !bytes;
	e->open_conns = open;
	if (bytes) {
		uint64_t want = 1u << 20;
		while (want < 2 * held && want < (UINT64_C(1) << 62))
			want *= 2;
		while (want < 2 * l->max_bytes && want < (UINT64_C(1) << 62))
			want *= 2;
		e->suggest = want;
	} else {
		e->suggest = round_nice(4 * (uint64_t)open);
	}
}

static void format_mib(uint64_t v, char *buf, size_t size)
{
	if (v >= (UINT64_C(1) << 30) && !(v & ((UINT64_C(1) << 30) - 1)))
		snprintf(buf, size, "%lluG", (unsigned long long)(v >> 30));
	else
		snprintf(buf, size, "%lluM",
		         (unsigned long long)((v + (1u << 20) - 1) >> 20));
}

void tl_model_too_small_text(const struct tl_model *m, char *buf,
                             size_t size)
{
	const struct tl_model_evicted *e = &m->evicted;
	buf[0] = '\0';
	if (!e->too_small)
		return;
	char bound[32], want[32];
	if (e->too_small_by_count) {
		snprintf(bound, sizeof bound, "%u", m->limits.max_segments);
		snprintf(want, sizeof want, "%llu",
		         (unsigned long long)e->suggest);
	} else {
		format_mib(m->limits.max_bytes, bound, sizeof bound);
		format_mib(e->suggest, want, sizeof want);
	}
	snprintf(buf, size, "--max-%s %s is too small for %u open "
	         "connection%s: try %s", e->too_small_by_count ? "segments"
	                                                       : "memory",
	         bound, e->open_conns, e->open_conns == 1 ? "" : "s", want);
}

void tl_model_evict(struct tl_model *m)
{
	struct tl_segstore *st = &m->segs;
	if (!st->count)
		return;
	/* Taken before the compaction, which may leave no row at all. */
	tl_nsec now = newest_time(m);
	struct plan p;
	plan_init(m, &p);
	m->evicted.by_count = p.rows > 0;
	/* A row costs its record, its share of notes and labels. */
	uint64_t row_cost = (segstore_bytes(st) + tl_app_bytes(m->app) -
	                     tl_app_conn_bytes(m->app)) / st->count;
	uint32_t *rows = tl_xcalloc((size_t)m->tracker.stream_count + 1,
	                            sizeof *rows);
	for (uint32_t i = 0; i < st->count; i++)
		rows[tl_segstore_get(st, i)->stream]++;
	plan_closed(m, &p, rows, row_cost, now);
	free(rows);
	if (!plan_done(&p))
		plan_cutoff(m, &p, row_cost);
	uint32_t open_gone = plan_open(m, &p);
	m->evicted.open_connections += open_gone;
	uint32_t before = st->count;
	compact(st, &p);
	struct label_walk walk = { st, 0 };
	tl_app_keep_labels(m->app, label_kept, &walk);
	uint32_t open = forget_streams(m, &p, now);
	judge_bound(m, open);
	free(p.victim);
	/* A sixteenth of the bound: sixteen rounds at most per bound's worth
	 * of growth, however much of it the connections hold. */
	if (m->limits.max_bytes)
		m->limits.recheck_bytes = tl_model_bytes(m) +
		                          m->limits.max_bytes / 16;
	m->evicted.segments += before - st->count;
	m->evicted.rounds++;
}

/* Head-of-line blocking is seen two ways. When the capture itself has a
 * hole (a segment it missed, or one that came out of order), the bytes
 * beyond it wait here and the segment that fills the hole releases them.
 * When the capture has every segment but the receiver lost one (the lab
 * drops packets after the capture point), the receiver's cumulative ACK
 * stalls at the hole and then jumps past the retransmission: the bytes it
 * accepts at once were held back, and the spans say whose they were. */
#include "config.h"

#include "app_int.h"

#include <stdlib.h>
#include <string.h>

void app_hol_note(struct feed *f, uint32_t id)
{
	struct hol *h = f->hol;
	if (!h || id == 0)
		return;
	for (uint32_t i = 0; i < h->n; i++)
		if (h->ids[i] == id)
			return;
	if (h->n < sizeof h->ids / sizeof h->ids[0])
		h->ids[h->n++] = id;
	else
		h->more = true;
}

/* Records that n bytes at p belong to exchange id. */
void app_span_note(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                   uint32_t n, uint32_t id)
{
	if (!n || !f->p_base || !id)
		return;
	if (!d->spans) {
		d->spans = tl_xmalloc(SPANS * sizeof *d->spans);
		f->a->conn_state_bytes += SPANS * sizeof *d->spans;
	}
	uint32_t start = f->seq_base + (uint32_t)(p - f->p_base);
	if (d->span_count) {
		struct span *last =
			&d->spans[(d->span_head + d->span_count - 1) % SPANS];
		if (last->id == id && last->end == start) {
			last->end = start + n;
			return;
		}
	}
	if (d->span_count == SPANS) {
		d->span_head = (d->span_head + 1) % SPANS;
		d->span_count--;
	}
	struct span *sp = &d->spans[(d->span_head + d->span_count) % SPANS];
	sp->start = start;
	sp->end = start + n;
	sp->id = id;
	d->span_count++;
}

/* Keeps bytes beyond a hole; false when the gap is too large to wait. */
bool app_hold(struct tl_app *a, struct tl_app_dir *d, uint32_t seq,
              const uint8_t *p, uint32_t n, uint32_t frame)
{
	uint32_t gap = seq - d->next;
	if (gap > TL_APP_WINDOW || d->held + n > TL_APP_WINDOW ||
	    d->nchunks >= TL_APP_MAX_CHUNKS ||
	    a->buffered + n > TL_APP_BUFFERED_MAX)
		return false;
	uint32_t pos = d->nchunks;
	while (pos > 0 && seq_lt(seq, d->chunks[pos - 1].seq))
		pos--;
	/* The same bytes again (a retransmission of held data). */
	if (pos > 0 && d->chunks[pos - 1].seq == seq &&
	    d->chunks[pos - 1].len >= n)
		return true;
	d->chunks = tl_xgrow(d->chunks, &d->chunk_cap,
	                     (uint64_t)d->nchunks + 1, 16, sizeof *d->chunks);
	memmove(&d->chunks[pos + 1], &d->chunks[pos],
	        (d->nchunks - pos) * sizeof *d->chunks);
	struct chunk *ch = &d->chunks[pos];
	ch->seq = seq;
	ch->len = n;
	ch->frame = frame;
	ch->data = tl_xmalloc(n);
	memcpy(ch->data, p, n);
	d->nchunks++;
	d->held += n;
	a->buffered += n;
	return true;
}

static void id_list(struct tl_app_conn *c, const uint32_t *ids, uint32_t n,
                    bool more, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < n; i++) {
		struct tl_app_stream *s = app_stream_by_id(c, ids[i], false);
		if (s)
			s->held++;
		len = tl_bappend(buf, size, len, " %s%u",
		                 c->proto == TL_APP_HTTP2 ? "s" : "#", ids[i]);
	}
	if (more)
		tl_bappend(buf, size, len, " ...");
}

/* Feeds held chunks that the hole-filler made contiguous. */
void app_release(struct feed *own, struct tl_app_dir *d)
{
	struct tl_app *a = own->a;
	struct hol hol = { .n = 0 };
	uint32_t segs = 0, first = 0;
	uint64_t bytes = 0;
	while (d->nchunks && seq_le(d->chunks[0].seq, d->next) && !d->dead) {
		struct chunk ch = d->chunks[0];
		d->nchunks--;
		memmove(&d->chunks[0], &d->chunks[1],
		        d->nchunks * sizeof *d->chunks);
		d->held -= ch.len;
		a->buffered -= ch.len;
		uint32_t end = ch.seq + ch.len;
		if (seq_lt(d->next, end)) {
			uint32_t skip = d->next - ch.seq;
			struct feed f;
			app_feed_init(&f, a, own->c, own->dir, own->frame,
			              own->us);
			f.hol = &hol;
			f.p_base = ch.data + skip;
			f.seq_base = d->next;
			app_feed_bytes(&f, d, ch.data + skip, ch.len - skip);
			d->next = end;
			if (f.len || !d->dead)
				app_lab_add(&f, "(held until frame %u)",
				            own->frame);
			app_label_commit(a, ch.frame, f.lab, f.len, true);
			if (!segs)
				first = ch.frame;
			segs++;
			bytes += ch.len - skip;
		}
		free(ch.data);
	}
	if (!segs)
		return;
	struct tl_app_conn *c = own->c;
	c->holes_filled++;
	c->held_bytes += bytes;
	char ids[96];
	id_list(c, hol.ids, hol.n, hol.more, ids, sizeof ids);
	if (segs == 1)
		app_lab_add(own, "fills a hole: releases frame %u (%llu B) "
		            "held back%s%s", first, (unsigned long long)bytes,
		            hol.n ? ", head-of-line blocked" : "", ids);
	else
		app_lab_add(own, "fills a hole: releases %u held segments from "
		            "frame %u (%llu B)%s%s", segs, first,
		            (unsigned long long)bytes,
		            hol.n ? ", head-of-line blocked" : "", ids);
}

/* An ACK from the receiver of d: when it jumps past a retransmission the
 * receiver had been waiting for, the bytes it now accepts at once were
 * held back behind that hole (head-of-line blocking), even though the
 * capture, taken before the receiver dropped the original, has no hole. */
void app_ack_seen(struct feed *f, struct tl_app_dir *d, uint32_t ack)
{
	if (d->ack_set && !seq_lt(d->acked, ack))
		return;
	if (d->ack_set && d->rx_frame && seq_le(d->acked, d->rx_start) &&
	    seq_lt(d->rx_end, ack) && seq_le(ack, d->next)) {
		struct tl_app_conn *c = f->c;
		uint32_t from = d->rx_end, held = ack - from;
		uint32_t ids[8] = { 0 }, nids = 0;
		bool more = false;
		for (uint32_t i = 0; i < d->span_count; i++) {
			const struct span *sp =
				&d->spans[(d->span_head + i) % SPANS];
			if (!seq_lt(sp->start, ack) || !seq_lt(from, sp->end))
				continue;
			bool dup = false;
			for (uint32_t k = 0; k < nids; k++)
				dup |= ids[k] == sp->id;
			if (dup)
				continue;
			if (nids < 8)
				ids[nids++] = sp->id;
			else
				more = true;
		}
		char list[96];
		id_list(c, ids, nids, more, list, sizeof list);
		c->holes_filled++;
		c->held_bytes += held;
		app_lab_add(f, "%u B released at once: held back behind the "
		            "retransmission in frame %u%s%s", held, d->rx_frame,
		            nids ? ", head-of-line blocked" : "", list);
	}
	if (d->rx_frame && seq_le(d->rx_end, ack))
		d->rx_frame = 0;
	d->acked = ack;
	d->ack_set = true;
}

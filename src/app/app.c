/* Application labels (see tl_app.h): the connection table, and the
 * dispatch of a segment: in order bytes go to the parser the connection's
 * first bytes chose, bytes beyond a hole wait (hol.c). Every parser reads
 * its input through bounded buffers, so truncated or hostile streams end
 * in a "labels stop here" label, never an out-of-bounds read. The files
 * of src/app/ are listed in app_int.h. */
#include "config.h"

#include "app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A connection we do not read: shared, never freed. */
static struct tl_app_conn none_conn = { .proto = TL_APP_NONE };

const char *tl_app_proto_name(enum tl_app_proto p)
{
	switch (p) {
	case TL_APP_ECHO: return "echo";
	case TL_APP_DISCARD: return "discard";
	case TL_APP_DAYTIME: return "daytime";
	case TL_APP_HTTP1: return "HTTP/1.1";
	case TL_APP_HTTP2: return "HTTP/2";
	case TL_APP_NONE: return "-";
	default: return "?";
	}
}

struct tl_app *tl_app_new(void)
{
	return tl_xcalloc(1, sizeof(struct tl_app));
}

static void dir_free_chunks(struct tl_app *a, struct tl_app_dir *d)
{
	for (uint32_t i = 0; i < d->nchunks; i++)
		free(d->chunks[i].data);
	a->buffered -= d->held;
	d->held = 0;
	d->nchunks = 0;
}

static void dir_free(struct tl_app *a, struct tl_app_dir *d)
{
	if (!d)
		return;
	dir_free_chunks(a, d);
	a->conn_state_bytes -= sizeof *d + d->buf_cap + d->hf_cap +
	                       (d->spans ? SPANS * sizeof *d->spans : 0);
	free(d->spans);
	free(d->chunks);
	free(d->buf);
	free(d->hf);
	free(d);
}

static void conn_free(struct tl_app *a, struct tl_app_conn *c)
{
	if (!c || c == &none_conn)
		return;
	dir_free(a, c->dir[0]);
	dir_free(a, c->dir[1]);
	app_hpack_free(c);
	a->conn_state_bytes -= sizeof *c +
	                       (uint64_t)c->stream_cap * sizeof *c->streams;
	free(c->streams);
	free(c);
}

void tl_app_free(struct tl_app *a)
{
	if (!a)
		return;
	for (uint32_t i = 0; i < a->conn_cap; i++)
		conn_free(a, a->conns[i]);
	free(a->conns);
	free(a->labels);
	free(a->arena);
	free(a->http_text);
	free(a);
}

const struct tl_app_conn *tl_app_conn(const struct tl_app *a, uint32_t stream)
{
	if (!a || stream >= a->conn_cap || a->conns[stream] == &none_conn)
		return NULL;
	return a->conns[stream];
}

static struct tl_app_conn *conn_get(struct tl_app *a, uint32_t stream)
{
	if (stream >= a->conn_cap) {
		uint32_t old = a->conn_cap;
		a->conns = tl_xgrow(a->conns, &a->conn_cap, (uint64_t)stream + 1,
		                    64, sizeof *a->conns);
		memset(a->conns + old, 0,
		       (a->conn_cap - old) * sizeof *a->conns);
	}
	if (!a->conns[stream]) {
		struct tl_app_conn *c = tl_xcalloc(1, sizeof *c);
		c->dir[0] = tl_xcalloc(1, sizeof *c->dir[0]);
		c->dir[1] = tl_xcalloc(1, sizeof *c->dir[1]);
		a->conn_state_bytes += sizeof *c + 2 * sizeof *c->dir[0];
		c->state_bytes = &a->conn_state_bytes;
		a->conns[stream] = c;
	}
	return a->conns[stream];
}

void tl_app_forget(struct tl_app *a, uint32_t stream)
{
	if (!a || stream >= a->conn_cap || !a->conns[stream])
		return;
	if (a->conns[stream] != &none_conn)
		conn_free(a, a->conns[stream]);
	a->conns[stream] = NULL;
}

static void conn_not_read(struct tl_app *a, uint32_t stream)
{
	conn_free(a, a->conns[stream]);
	a->conns[stream] = &none_conn;
}

void app_dir_dead(struct feed *f, struct tl_app_dir *d, const char *why)
{
	if (d->dead)
		return;
	d->dead = true;
	dir_free_chunks(f->a, d);
	f->a->conn_state_bytes -= d->buf_cap;
	free(d->buf);
	d->buf = NULL;
	d->buf_len = d->buf_cap = 0;
	app_lab_add(f, "(%s; labels stop here)", why);
}

/* Collects bytes into d->buf up to max; beyond, buf_over is set. */
void app_buf_put(struct tl_app *a, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n, uint32_t max)
{
	if (d->buf_over || !n)
		return;
	if ((uint64_t)d->buf_len + n > max) {
		d->buf_over = true;
		return;
	}
	uint32_t had = d->buf_cap;
	d->buf = tl_xgrow(d->buf, &d->buf_cap, (uint64_t)d->buf_len + n, 256,
	                  1);
	a->conn_state_bytes += d->buf_cap - had;
	memcpy(d->buf + d->buf_len, p, n);
	d->buf_len += n;
}

void app_buf_reset(struct tl_app_dir *d)
{
	d->buf_len = 0;
	d->buf_over = false;
}

/* Decides what the connection speaks from its first bytes in order. */
static void classify(struct tl_app_conn *c, unsigned dir, const uint8_t *p,
                     uint32_t n)
{
	uint32_t m = n < H2_PREFACE_LEN ? n : H2_PREFACE_LEN;
	if (m >= 4 && !memcmp(p, app_h2_preface, m)) {
		app_h2_begin(c, dir);
	} else if (app_is_method(p, n)) {
		c->proto = TL_APP_HTTP1;
		c->client_dir = (uint8_t)dir;
		c->dir[dir]->client = true;
	} else if (n >= 8 && !memcmp(p, "HTTP/1.", 7)) {
		c->proto = TL_APP_HTTP1;
		c->client_dir = (uint8_t)!dir;
		c->dir[!dir]->client = true;
	} else if (n >= 9 && p[3] == H2_SETTINGS && !(p[4] & ~1u) &&
	           !(tl_get_be32(p + 5) & 0x7fffffffu) &&
	           (((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) % 6)
	                   == 0) {
		/* A server's SETTINGS before we saw the client's preface. */
		app_h2_begin(c, !dir);
	} else {
		c->proto = TL_APP_NONE;
	}
}

void app_feed_bytes(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                    uint32_t n)
{
	if (d->dead || !n)
		return;
	if (d->is_h2)
		app_h2_feed(f, d, p, n);
	else
		app_h1_feed(f, d, p, n);
}

void app_feed_init(struct feed *f, struct tl_app *a, struct tl_app_conn *c,
                   unsigned dir, uint32_t frame, int64_t us)
{
	f->a = a;
	f->c = c;
	f->dir = dir;
	f->frame = frame;
	f->us = us;
	f->hol = NULL;
	f->p_base = NULL;
	f->seq_base = 0;
	f->len = 0;
	f->full = false;
	f->prio_end = 0;
	f->lab[0] = '\0';
}


/* The reader of a connection, made at its first payload; NULL when the
 * connection is not read (or has carried no payload yet). */
static struct tl_app_conn *conn_for(struct tl_app *a,
                                    const struct tl_conn *conn,
                                    const struct tl_seg *seg)
{
	uint32_t stream = conn->stream;
	if (stream < a->conn_cap && a->conns[stream]) {
		struct tl_app_conn *c = a->conns[stream];
		return c == &none_conn ? NULL : c;
	}
	if (!seg->len)
		return NULL;
	struct tl_app_conn *c = conn_get(a, stream);
	/* Text protocols need no reassembly: each segment's bytes are shown
	 * as they are. */
	enum tl_app_proto p = app_port_proto(conn);
	if (p != TL_APP_UNKNOWN) {
		c->proto = p;
		dir_free(a, c->dir[0]);
		dir_free(a, c->dir[1]);
		c->dir[0] = c->dir[1] = NULL;
	}
	return c;
}

static bool is_http(const struct tl_app_conn *c)
{
	return c->proto == TL_APP_HTTP1 || c->proto == TL_APP_HTTP2;
}

static bool is_text(const struct tl_app_conn *c)
{
	return c->proto == TL_APP_ECHO || c->proto == TL_APP_DISCARD ||
	       c->proto == TL_APP_DAYTIME;
}

/* A segment starting at or before the next byte in order. False when its
 * bytes showed the connection is not one we read. */
static bool in_order(struct tl_app *a, struct feed *own, struct tl_app_dir *d,
                     uint32_t stream, uint32_t seq, const uint8_t *payload,
                     uint32_t n)
{
	uint32_t skip = d->next - seq;
	if (skip >= n) {
		/* Only bytes we had: a retransmission. If the receiver lost
		 * the original, its next ACK shows what waited behind it. */
		d->rx_start = seq;
		d->rx_end = seq + n;
		d->rx_frame = own->frame;
		return true;
	}
	struct tl_app_conn *c = own->c;
	const uint8_t *p = payload + skip;
	uint32_t m = n - skip;
	if (c->proto == TL_APP_UNKNOWN) {
		classify(c, own->dir, p, m);
		if (c->proto == TL_APP_NONE) {
			conn_not_read(a, stream);
			return false;
		}
	}
	own->p_base = p;
	own->seq_base = d->next;
	app_feed_bytes(own, d, p, m);
	d->next = seq + n;
	if (d->nchunks && !d->dead)
		app_release(own, d);
	if (c->unacked)
		app_streams_end_seq(c, own->dir, d->next);
	return true;
}

/* The payload of a segment for d's parser: fed, held beyond a hole, or the
 * end of d's labels. False when the connection is not one we read. */
static bool feed_segment(struct tl_app *a, struct feed *own,
                         struct tl_app_dir *d, const struct tl_conn *conn,
                         const struct tl_seg *seg, const uint8_t *payload,
                         uint32_t caplen)
{
	/* Data on a SYN (TCP Fast Open) starts after it. */
	uint32_t seq = seg->seq + ((tl_seg_flags(seg) & TL_TH_SYN) ? 1u : 0u);
	uint32_t n = seg->len;
	if (!d->started) {
		d->started = true;
		/* With the SYN seen, relative byte 1 is the first. */
		d->next = conn->dir[own->dir].syn.seen ? 1u : seq;
	}
	if (caplen < n) {
		/* Cut by the snap length: nothing to read. */
		if (own->c->proto == TL_APP_UNKNOWN) {
			conn_not_read(a, conn->stream);
			return false;
		}
		app_dir_dead(own, d, "payload not captured");
	} else if (seq_le(seq, d->next)) {
		return in_order(a, own, d, conn->stream, seq, payload, n);
	} else if (!app_hold(a, d, seq, payload, n, seg->frame)) {
		char why[80];
		snprintf(why, sizeof why, "gap of %u bytes: stopped following",
		         seq - d->next);
		app_dir_dead(own, d, why);
	}
	return true;
}

void tl_app_segment(struct tl_app *a, const struct tl_conn *conn,
                    const struct tl_seg *seg, const uint8_t *payload,
                    uint32_t caplen)
{
	a->late_count = 0;
	app_hf_reset(a);
	if (!conn)
		return;
	unsigned flags = tl_seg_flags(seg), dir = tl_seg_dir(seg);
	if (flags & TL_TH_RST)
		return;
	struct tl_app_conn *c = conn_for(a, conn, seg);
	if (!c)
		return;
	struct feed own;
	app_feed_init(&own, a, c, dir, seg->frame, tl_seg_time_us(seg));
	if (is_http(c) && (flags & TL_TH_ACK)) {
		if (c->unacked)
			app_streams_acked(c, dir, seg->ack, seg->frame,
			                  tl_seg_time_us(seg));
		if (c->dir[!dir])
			app_ack_seen(&own, c->dir[!dir], seg->ack);
	}
	if (seg->len && is_text(c)) {
		app_text_label(a, seg, payload, caplen);
		return;
	}
	struct tl_app_dir *d = c->dir[dir];
	if (seg->len && d && !d->dead &&
	    !feed_segment(a, &own, d, conn, seg, payload, caplen))
		return;
	/* A response without a length ends with its sender's FIN. */
	if ((flags & TL_TH_FIN) && d && !d->dead && !d->is_h2 &&
	    d->h1 == H1_UNTIL_CLOSE && !d->hf_closed) {
		d->hf_closed = true;    /* a FIN sent again ends nothing */
		app_hf_done(&own, d);
	}
	app_label_commit(a, seg->frame, own.lab, own.len, false);
}

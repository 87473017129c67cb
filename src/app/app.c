/* Application labels: reassembly per direction and the HTTP/1.x, HTTP/2
 * and text parsers (see tl_app.h). Every parser reads its input through
 * bounded buffers, so truncated or hostile streams end in a "labels stop
 * here" label, never an out-of-bounds read.
 *
 * Head-of-line blocking is seen two ways. When the capture itself has a
 * hole (a segment it missed, or one that came out of order), the bytes
 * beyond it wait here and the segment that fills the hole releases them.
 * When the capture has every segment but the receiver lost one (the lab
 * drops packets after the capture point), the receiver's cumulative ACK
 * stalls at the hole and then jumps past the retransmission: the bytes it
 * accepts at once were held back, and the spans below say whose they
 * were. */
#include "config.h"

#include "tl_app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_NGHTTP2
#include <nghttp2/nghttp2.h>
#endif

#include "tl_decode.h"

#define LINE_MAX_BYTES 8192u
#define SMALL_FRAME_KEEP 64u
#define MAX_LATE 64u
#define SPANS 64u

static const char h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
#define H2_PREFACE_LEN 24u

enum { H2_DATA, H2_HEADERS, H2_PRIORITY, H2_RST_STREAM, H2_SETTINGS,
       H2_PUSH_PROMISE, H2_PING, H2_GOAWAY, H2_WINDOW_UPDATE,
       H2_CONTINUATION };
enum { H2F_END_STREAM = 0x1, H2F_ACK = 0x1, H2F_END_HEADERS = 0x4,
       H2F_PADDED = 0x8, H2F_PRIORITY = 0x20 };

enum h1_state {
	H1_LINE, H1_HEADERS, H1_BODY, H1_CHUNK_SIZE, H1_CHUNK_DATA,
	H1_CHUNK_CRLF, H1_TRAILERS, H1_UNTIL_CLOSE,
};
enum h2_state { H2S_PREFACE, H2S_HEADER, H2S_PAYLOAD };

struct chunk {
	uint32_t seq, len;
	uint32_t frame;
	uint8_t *data;
};

/* Which exchange recent bytes of a direction belonged to. */
struct span {
	uint32_t start, end, id;
};

struct tl_app_dir {
	bool started, dead, is_h2, client;
	uint32_t next;              /* relative seq of the next byte in order */
	struct chunk *chunks;       /* beyond a hole, sorted by seq */
	uint32_t nchunks, chunk_cap;
	uint32_t held;              /* bytes in chunks */
	/* The receiver's view: its cumulative ACK, and the last segment of
	 * ours that only repeated bytes (a retransmission). */
	bool ack_set;
	uint32_t acked;
	uint32_t rx_start, rx_end, rx_frame;
	struct span spans[SPANS];
	uint32_t span_head, span_count;
	/* line, header section or frame payload being collected */
	uint8_t *buf;
	uint32_t buf_len, buf_cap;
	bool buf_over;              /* more than we keep */
	/* HTTP/1.x */
	uint8_t h1;
	uint64_t remaining;
	uint32_t msg;               /* stream index of the current message */
	bool have_msg;
	int64_t content_length;     /* -1: none */
	bool chunked, upgrade_h2c;
	/* HTTP/2 */
	uint8_t h2;
	uint32_t preface_len;
	uint8_t fhdr[9];
	uint8_t fhdr_len;
	uint32_t flen, fleft, fsid;
	uint8_t ftype, fflags;
	uint8_t pad;                /* DATA padding, from the first byte */
	bool in_block;              /* HEADERS without END_HEADERS seen */
	uint32_t block_sid;
	uint8_t block_type;
	bool block_over;
	bool hpack_broken;
};

/* Streams whose bytes came out of a hole being filled. */
struct hol {
	uint32_t ids[8];
	uint32_t n;
	bool more;
};

/* Where the parsers write: the label of the segment whose bytes they read,
 * and the segment that delivered them (for stream times). */
struct feed {
	struct tl_app *a;
	struct tl_app_conn *c;
	unsigned dir;
	uint32_t frame;             /* delivering segment */
	int64_t us;
	struct hol *hol;            /* non-NULL while feeding held bytes */
	const uint8_t *p_base;      /* bytes being fed start at seq_base */
	uint32_t seq_base;
	char lab[TL_APP_LABEL_MAX + 1];
	size_t len;
	bool full;
	size_t prio_end;            /* where the last PRIORITY item ends */
};

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

static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static bool seq_le(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }

/* ---- labels -------------------------------------------------------------- */

static void lab_add(struct feed *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void lab_add(struct feed *f, const char *fmt, ...)
{
	char item[TL_APP_LABEL_MAX + 1];
	va_list ap;
	if (f->full)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(item, sizeof item, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t ilen = strlen(item);
	size_t need = (f->len ? 2 : 0) + ilen;
	if (f->len + need > TL_APP_LABEL_MAX - 4) {
		size_t room = TL_APP_LABEL_MAX - 4 - f->len;
		if (f->len && room > 2) {
			memcpy(f->lab + f->len, ", ", 2);
			f->len += 2;
			room -= 2;
		}
		if (room > ilen)
			room = ilen;
		memcpy(f->lab + f->len, item, room);
		f->len += room;
		memcpy(f->lab + f->len, "...", 3);
		f->len += 3;
		f->full = true;
	} else {
		if (f->len) {
			memcpy(f->lab + f->len, ", ", 2);
			f->len += 2;
		}
		memcpy(f->lab + f->len, item, ilen);
		f->len += ilen;
	}
	f->lab[f->len] = '\0';
}

/* Adds to the last item, after a space. */
static void lab_join(struct feed *f, const char *text)
{
	if (f->full)
		return;
	size_t n = strlen(text);
	if (f->len + n + 1 > TL_APP_LABEL_MAX - 4) {
		lab_add(f, "%s", text);     /* cut, with "..." */
		return;
	}
	if (f->len)
		f->lab[f->len++] = ' ';
	memcpy(f->lab + f->len, text, n);
	f->len += n;
	f->lab[f->len] = '\0';
}

/* Copies a string, cut to fit. */
static void str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Printable ASCII only (decoded header values and payloads may hold
 * anything), at most max_out characters, "..." when cut. */
static size_t safe_text(char *out, size_t size, const uint8_t *p, size_t n,
                        size_t max_out)
{
	size_t o = 0;
	if (size < 8) {
		if (size)
			out[0] = '\0';
		return 0;
	}
	if (max_out + 1 > size)
		max_out = size - 1;
	if (max_out < 4)
		max_out = 4;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = p[i];
		char one[2] = { 0, 0 };
		const char *esc = one;
		if (ch == '\r') esc = "\\r";
		else if (ch == '\n') esc = "\\n";
		else if (ch == '\t') esc = "\\t";
		else if (ch == '"') esc = "\\\"";
		else if (ch == '\\') esc = "\\\\";
		else one[0] = ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
		size_t el = strlen(esc);
		size_t limit = i + 1 == n ? max_out : max_out - 3;
		if (o + el > limit) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, esc, el);
		o += el;
	}
	out[o] = '\0';
	return o;
}

static uint32_t label_find(const struct tl_app *a, uint32_t frame)
{
	uint32_t lo = 0, hi = a->label_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a->labels[mid].frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void label_commit(struct tl_app *a, uint32_t frame,
                         const char *text, size_t len, bool late)
{
	if (!len)
		return;
	if (len > TL_APP_LABEL_MAX)
		len = TL_APP_LABEL_MAX;
	if ((uint64_t)a->arena_len + len > TL_APP_ARENA_MAX) {
		a->labels_dropped++;
		return;
	}
	uint32_t pos = label_find(a, frame);
	if (pos < a->label_count && a->labels[pos].frame == frame) {
		a->labels_dropped++;    /* one label per segment */
		return;
	}
	a->arena = tl_xgrow(a->arena, &a->arena_cap,
	                    (uint64_t)a->arena_len + len, 4096, 1);
	a->labels = tl_xgrow(a->labels, &a->label_cap,
	                     (uint64_t)a->label_count + 1, 256,
	                     sizeof *a->labels);
	if (pos < a->label_count)
		memmove(&a->labels[pos + 1], &a->labels[pos],
		        (a->label_count - pos) * sizeof *a->labels);
	a->labels[pos].frame = frame;
	a->labels[pos].off = a->arena_len;
	a->labels[pos].len = (uint16_t)len;
	a->label_count++;
	memcpy(a->arena + a->arena_len, text, len);
	a->arena_len += (uint32_t)len;
	if (late && a->late_count < MAX_LATE)
		a->late[a->late_count++] = frame;
}

const char *tl_app_label(const struct tl_app *a, uint32_t frame, size_t *len)
{
	if (!a)
		return NULL;
	uint32_t pos = label_find(a, frame);
	if (pos >= a->label_count || a->labels[pos].frame != frame)
		return NULL;
	*len = a->labels[pos].len;
	return a->arena + a->labels[pos].off;
}

void tl_app_keep_labels(struct tl_app *a,
                        bool (*keep)(void *ctx, uint32_t frame), void *ctx)
{
	if (!a)
		return;
	/* Late labels sit out of arena order, so the kept text goes to a
	 * new arena rather than being moved down in place. */
	char *arena = a->arena_len ? tl_xmalloc(a->arena_len) : NULL;
	uint32_t kept = 0, used = 0;
	for (uint32_t i = 0; i < a->label_count; i++) {
		struct tl_app_label l = a->labels[i];
		if (!keep(ctx, l.frame))
			continue;
		memcpy(arena + used, a->arena + l.off, l.len);
		l.off = used;
		used += l.len;
		a->labels[kept++] = l;
	}
	free(a->arena);
	a->arena = arena;
	a->arena_cap = a->arena_len ? a->arena_len : 0;
	a->arena_len = used;
	a->label_count = kept;
	a->late_count = 0;
	if (a->label_cap > 256 && kept < a->label_cap / 4) {
		a->label_cap = kept * 2 > 256 ? kept * 2 : 256;
		a->labels = tl_xrealloc(a->labels, a->label_cap,
		                        sizeof *a->labels);
	}
}

uint64_t tl_app_bytes(const struct tl_app *a)
{
	if (!a)
		return 0;
	return (uint64_t)a->label_cap * sizeof *a->labels + a->arena_cap +
	       a->buffered + (uint64_t)a->conn_cap * sizeof *a->conns;
}

uint64_t tl_app_conn_bytes(const struct tl_app *a)
{
	if (!a)
		return 0;
	return a->buffered + (uint64_t)a->conn_cap * sizeof *a->conns;
}

void tl_app_clear_labels(struct tl_app *a)
{
	a->label_count = 0;
	a->arena_len = 0;
}

/* ---- connections and streams --------------------------------------------- */

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
	free(d->chunks);
	free(d->buf);
	free(d);
}

static void hpack_free(struct tl_app_conn *c)
{
	for (int i = 0; i < 2; i++) {
#ifdef HAVE_NGHTTP2
		if (c->hpack[i])
			nghttp2_hd_inflate_del(c->hpack[i]);
#endif
		c->hpack[i] = NULL;
	}
}

static void conn_free(struct tl_app *a, struct tl_app_conn *c)
{
	if (!c || c == &none_conn)
		return;
	dir_free(a, c->dir[0]);
	dir_free(a, c->dir[1]);
	hpack_free(c);
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

static struct tl_app_stream *stream_add(struct tl_app_conn *c, uint32_t id)
{
	if (c->stream_count >= TL_APP_MAX_STREAMS) {
		c->streams_dropped++;
		return NULL;
	}
	c->streams = tl_xgrow(c->streams, &c->stream_cap,
	                      (uint64_t)c->stream_count + 1, 8,
	                      sizeof *c->streams);
	struct tl_app_stream *s = &c->streams[c->stream_count++];
	memset(s, 0, sizeof *s);
	s->id = id;
	return s;
}

/* The exchange with this id (HTTP/2 stream id, HTTP/1 request number),
 * created when create is set. */
static struct tl_app_stream *stream_by_id(struct tl_app_conn *c, uint32_t id,
                                          bool create)
{
	if (id == 0)
		return NULL;
	if (c->h2_last_lookup < c->stream_count &&
	    c->streams[c->h2_last_lookup].id == id)
		return &c->streams[c->h2_last_lookup];
	for (uint32_t i = c->stream_count; i-- > 0;)
		if (c->streams[i].id == id) {
			c->h2_last_lookup = i;
			return &c->streams[i];
		}
	if (!create)
		return NULL;
	struct tl_app_stream *s = stream_add(c, id);
	if (s)
		c->h2_last_lookup = c->stream_count - 1;
	return s;
}

static void hol_note(struct feed *f, uint32_t id)
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
static void span_note(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                      uint32_t n, uint32_t id)
{
	if (!n || !f->p_base || !id)
		return;
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

static void dir_dead(struct feed *f, struct tl_app_dir *d, const char *why)
{
	if (d->dead)
		return;
	d->dead = true;
	dir_free_chunks(f->a, d);
	free(d->buf);
	d->buf = NULL;
	d->buf_len = d->buf_cap = 0;
	lab_add(f, "(%s; labels stop here)", why);
}

/* Collects bytes into d->buf up to max; beyond, buf_over is set. */
static void buf_put(struct tl_app_dir *d, const uint8_t *p, uint32_t n,
                    uint32_t max)
{
	if (d->buf_over || !n)
		return;
	if ((uint64_t)d->buf_len + n > max) {
		d->buf_over = true;
		return;
	}
	d->buf = tl_xgrow(d->buf, &d->buf_cap, (uint64_t)d->buf_len + n, 256,
	                  1);
	memcpy(d->buf + d->buf_len, p, n);
	d->buf_len += n;
}

static void buf_reset(struct tl_app_dir *d)
{
	d->buf_len = 0;
	d->buf_over = false;
}

static void stream_started(struct feed *f, struct tl_app_stream *s,
                           uint16_t status)
{
	if (!s || s->started)
		return;
	s->started = true;
	s->status = status;
	s->start_frame = f->frame;
	s->start_us = f->us;
}

static void stream_ended(struct feed *f, struct tl_app_stream *s)
{
	if (!s || s->ended)
		return;
	s->ended = true;
	s->end_frame = f->frame;
	s->end_us = f->us;
	s->end_dir = (uint8_t)f->dir;
	f->c->unacked++;        /* its end sequence comes after the feed */
}

/* The streams that ended in this segment's bytes end at d->next (the
 * in-order end of what was delivered); an ACK from the other side that
 * covers it finishes them. Only ended, unACKed streams are looked at. */
static void streams_end_seq(struct tl_app_conn *c, unsigned dir,
                            uint32_t next)
{
	for (uint32_t i = c->stream_count; i-- > 0 && c->unacked;) {
		struct tl_app_stream *s = &c->streams[i];
		if (s->ended && !s->acked && !s->end_seq_set &&
		    s->end_dir == dir) {
			s->end_seq = next;
			s->end_seq_set = true;
		}
	}
}

static void streams_acked(struct tl_app_conn *c, unsigned dir, uint32_t ack,
                          uint32_t frame, int64_t us)
{
	uint32_t left = c->unacked;
	for (uint32_t i = 0; i < c->stream_count && left; i++) {
		struct tl_app_stream *s = &c->streams[i];
		if (!s->ended || s->acked)
			continue;
		left--;
		if (s->end_seq_set && s->end_dir != dir &&
		    seq_le(s->end_seq, ack)) {
			s->acked = true;
			s->ack_frame = frame;
			s->ack_us = us;
			c->unacked--;
		}
	}
}

/* ---- HTTP/2 -------------------------------------------------------------- */

static const char *h2_type_name(unsigned t)
{
	static const char *const names[] = {
		"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS",
		"PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE",
		"CONTINUATION",
	};
	return t < sizeof names / sizeof names[0] ? names[t] : NULL;
}

static const char *h2_error_name(uint32_t e)
{
	static const char *const names[] = {
		"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR",
		"FLOW_CONTROL_ERROR", "SETTINGS_TIMEOUT", "STREAM_CLOSED",
		"FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
		"COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM",
		"INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED",
	};
	return e < sizeof names / sizeof names[0] ? names[e] : "error";
}

static void h2_flags_text(unsigned type, unsigned flags, char *buf,
                          size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	if ((type == H2_SETTINGS || type == H2_PING) && (flags & H2F_ACK))
		n = tl_bappend(buf, size, n, " ACK");
	if ((type == H2_DATA || type == H2_HEADERS) &&
	    (flags & H2F_END_STREAM))
		n = tl_bappend(buf, size, n, " END_STREAM");
	if ((type == H2_HEADERS || type == H2_PUSH_PROMISE ||
	     type == H2_CONTINUATION) && (flags & H2F_END_HEADERS))
		n = tl_bappend(buf, size, n, " END_HEADERS");
	if ((type == H2_DATA || type == H2_HEADERS ||
	     type == H2_PUSH_PROMISE) && (flags & H2F_PADDED))
		n = tl_bappend(buf, size, n, " PADDED");
	if (type == H2_HEADERS && (flags & H2F_PRIORITY))
		tl_bappend(buf, size, n, " PRIORITY");
}

void tl_app_h2_frame_name(unsigned type, unsigned flags, uint32_t sid,
                          uint32_t len, char *buf, size_t size)
{
	const char *name = h2_type_name(type);
	char fl[64];
	h2_flags_text(type, flags, fl, sizeof fl);
	if (name)
		snprintf(buf, size, "%s[%u] len=%u%s", name, sid, len, fl);
	else
		snprintf(buf, size, "type 0x%02x[%u] len=%u", type, sid, len);
}

static void h2_frame_name(const struct tl_app_dir *d, char *buf, size_t size)
{
	tl_app_h2_frame_name(d->ftype, d->fflags, d->fsid, d->flen, buf, size);
}

#ifdef HAVE_NGHTTP2
static nghttp2_hd_inflater *hpack_of(struct tl_app_conn *c, unsigned dir)
{
	if (!c->hpack[dir]) {
		nghttp2_hd_inflater *in = NULL;
		if (nghttp2_hd_inflate_new(&in) != 0)
			return NULL;
		c->hpack[dir] = in;
	}
	return c->hpack[dir];
}
#endif

/* Decodes a complete header block: ":method GET :path /x" into text, and
 * the request and status. False when HPACK failed (or is not built in). */
static bool h2_decode_block(struct feed *f, const uint8_t *block,
                            uint32_t len, char *text, size_t size,
                            char *request, size_t req_size,
                            uint16_t *status)
{
	text[0] = '\0';
	request[0] = '\0';
	*status = 0;
#ifdef HAVE_NGHTTP2
	nghttp2_hd_inflater *in = hpack_of(f->c, f->dir);
	if (!in)
		return false;
	char method[24] = "", path[80] = "";
	size_t n = 0;
	for (;;) {
		nghttp2_nv nv;
		int iflags = 0;
		ssize_t rv = nghttp2_hd_inflate_hd2(in, &nv, &iflags, block,
		                                    len, 1);
		if (rv < 0)
			return false;
		if (rv > 0) {   /* an empty block may come with a NULL pointer */
			block += rv;
			len -= (uint32_t)rv;
		}
		if (iflags & NGHTTP2_HD_INFLATE_EMIT) {
			char val[96];
			safe_text(val, sizeof val, nv.value, nv.valuelen, 80);
			if (nv.namelen == 7 && !memcmp(nv.name, ":method", 7)) {
				str_copy(method, sizeof method, val);
				n = tl_bappend(text, size, n, "%s:method %s",
				               n ? " " : "", val);
			} else if (nv.namelen == 5 &&
			           !memcmp(nv.name, ":path", 5)) {
				str_copy(path, sizeof path, val);
				n = tl_bappend(text, size, n, "%s:path %s",
				               n ? " " : "", val);
			} else if (nv.namelen == 7 &&
			           !memcmp(nv.name, ":status", 7)) {
				unsigned v = 0;
				for (size_t i = 0; i < nv.valuelen && i < 3; i++)
					if (nv.value[i] >= '0' &&
					    nv.value[i] <= '9')
						v = v * 10 + (nv.value[i] - '0');
				*status = (uint16_t)v;
				n = tl_bappend(text, size, n, "%s:status %s",
				               n ? " " : "", val);
			}
		}
		if (iflags & NGHTTP2_HD_INFLATE_FINAL) {
			nghttp2_hd_inflate_end_headers(in);
			break;
		}
		if (!(iflags & NGHTTP2_HD_INFLATE_EMIT) && len == 0)
			break;
	}
	if (*method)
		tl_bappend(request, req_size, 0, "%s %s", method, path);
	return true;
#else
	(void)f;
	(void)block;
	(void)len;
	(void)size;
	(void)req_size;
	return false;
#endif
}

/* A complete header block (HEADERS + CONTINUATIONs) is in d->buf. */
static void h2_header_block_done(struct feed *f, struct tl_app_dir *d,
                                 bool end_stream)
{
	struct tl_app_conn *c = f->c;
	char text[200], request[96];
	uint16_t status = 0;
	d->in_block = false;
	request[0] = '\0';
	if (d->block_over) {
		/* A block we did not keep desynchronises the HPACK table. */
		d->hpack_broken = true;
		lab_add(f, "(header block over %u bytes: not decoded)",
		        TL_APP_HEADER_MAX);
	} else if (!d->hpack_broken) {
		if (!h2_decode_block(f, d->buf, d->buf_len, text, sizeof text,
		                     request, sizeof request, &status)) {
#ifdef HAVE_NGHTTP2
			d->hpack_broken = true;
			lab_add(f, "(HPACK error: headers no longer decoded)");
#endif
		} else if (text[0]) {
			lab_join(f, text);
		}
	}
	buf_reset(d);
	if (d->block_type != H2_HEADERS)
		return;
	struct tl_app_stream *s = stream_by_id(c, d->block_sid, true);
	if (d->client) {
		if (s && !s->req_frame) {
			str_copy(s->request, sizeof s->request,
			         request[0] ? request : "(request)");
			s->req_frame = f->frame;
			s->req_us = f->us;
		}
	} else {
		if (status >= 200 || status == 0)
			stream_started(f, s, status);
		if (end_stream)
			stream_ended(f, s);
	}
}

static void h2_frame_done(struct feed *f, struct tl_app_dir *d)
{
	struct tl_app_conn *c = f->c;
	char name[96];
	const uint8_t *p = d->buf;
	uint32_t kept = d->buf_over ? 0 : d->buf_len;
	h2_frame_name(d, name, sizeof name);
	switch (d->ftype) {
	case H2_DATA:
		if (!d->client) {
			struct tl_app_stream *s = stream_by_id(c, d->fsid,
			                                       false);
			if (s && (d->fflags & H2F_PADDED)) {
				uint32_t padding = d->pad + 1u;
				s->bytes -= s->bytes >= padding ? padding
				                                : s->bytes;
			}
			if (s && (d->fflags & H2F_END_STREAM))
				stream_ended(f, s);
		}
		buf_reset(d);
		return;   /* labelled at its header */
	case H2_HEADERS:
	case H2_PUSH_PROMISE: {
		lab_add(f, "%s", name);
		/* Keep only the header block fragment. */
		uint32_t skip = 0, trail = 0;
		if (d->fflags & H2F_PADDED) {
			trail = kept ? p[0] : 0;
			skip = 1;
		}
		if (d->ftype == H2_HEADERS && (d->fflags & H2F_PRIORITY))
			skip += 5;
		if (d->ftype == H2_PUSH_PROMISE)
			skip += 4;
		if (!d->buf_over && (uint64_t)skip + trail > kept) {
			lab_add(f, "(padding longer than the frame)");
			d->hpack_broken = true;
			buf_reset(d);
			return;
		}
		if (!d->buf_over && d->buf) {
			memmove(d->buf, d->buf + skip, kept - skip - trail);
			d->buf_len = kept - skip - trail;
		}
		d->block_over = d->buf_over;
		d->block_sid = d->fsid;
		d->block_type = d->ftype;
		if (d->fflags & H2F_END_HEADERS) {
			h2_header_block_done(f, d,
			                     d->fflags & H2F_END_STREAM);
		} else {
			d->in_block = true;
			d->buf_over = false;
		}
		return;
	}
	case H2_CONTINUATION:
		lab_add(f, "%s", name);
		if (d->buf_over)
			d->block_over = true;
		if (d->fflags & H2F_END_HEADERS)
			h2_header_block_done(f, d, false);
		return;
	case H2_SETTINGS: {
		static const char *const sn[] = {
			NULL, "HEADER_TABLE_SIZE", "ENABLE_PUSH",
			"MAX_CONCURRENT_STREAMS", "INITIAL_WINDOW_SIZE",
			"MAX_FRAME_SIZE", "MAX_HEADER_LIST_SIZE", NULL,
			"ENABLE_CONNECT_PROTOCOL", "NO_RFC7540_PRIORITIES",
		};
		char params[200];
		size_t n = 0;
		params[0] = '\0';
		for (uint32_t i = 0; i + 6 <= kept; i += 6) {
			unsigned id = tl_get_be16(p + i);
			uint32_t v = tl_get_be32(p + i + 2);
			if (id < sizeof sn / sizeof sn[0] && sn[id])
				n = tl_bappend(params, sizeof params, n, " %s=%u",
				               sn[id], v);
			else
				n = tl_bappend(params, sizeof params, n,
				               " 0x%x=%u", id, v);
#ifdef HAVE_NGHTTP2
			/* The table size a receiver allows bounds what we
			 * decode in the direction towards it. */
			if (id == 1 && !(d->fflags & H2F_ACK)) {
				nghttp2_hd_inflater *in = hpack_of(c, !f->dir);
				if (in && nghttp2_hd_inflate_change_table_size(
				              in, v) != 0)
					c->dir[!f->dir]->hpack_broken = true;
			}
#endif
		}
		lab_add(f, "%s%s", name, params);
		break;
	}
	case H2_WINDOW_UPDATE:
		if (kept >= 4)
			lab_add(f, "WINDOW_UPDATE[%u] +%u", d->fsid,
			        tl_get_be32(p) & 0x7fffffffu);
		else
			lab_add(f, "%s", name);
		break;
	case H2_RST_STREAM: {
		uint32_t code = kept >= 4 ? tl_get_be32(p) : 0;
		lab_add(f, "RST_STREAM[%u] %s", d->fsid, h2_error_name(code));
		struct tl_app_stream *s = stream_by_id(c, d->fsid, false);
		if (s) {
			s->reset = true;
			stream_ended(f, s);
		}
		break;
	}
	case H2_PRIORITY:
		/* Clients send them in runs: "PRIORITY[3,5,7]". */
		if (f->prio_end && f->prio_end == f->len && !f->full &&
		    f->len + 16 < TL_APP_LABEL_MAX - 4) {
			int w = snprintf(f->lab + f->len - 1, 16, ",%u]",
			                 d->fsid);
			if (w > 0)
				f->len = f->len - 1 + (size_t)w;
		} else {
			lab_add(f, "PRIORITY[%u]", d->fsid);
		}
		f->prio_end = f->len;
		break;
	case H2_GOAWAY:
		if (kept >= 8)
			lab_add(f, "GOAWAY[%u] last=%u %s", d->fsid,
			        tl_get_be32(p) & 0x7fffffffu,
			        h2_error_name(tl_get_be32(p + 4)));
		else
			lab_add(f, "%s", name);
		break;
	default:
		lab_add(f, "%s", name);
		break;
	}
	buf_reset(d);
}

static void h2_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                    uint32_t n)
{
	while (n > 0 && !d->dead) {
		switch (d->h2) {
		case H2S_PREFACE: {
			uint32_t take = H2_PREFACE_LEN - d->preface_len;
			if (take > n)
				take = n;
			if (memcmp(p, h2_preface + d->preface_len, take) != 0) {
				dir_dead(f, d, "not an HTTP/2 preface");
				return;
			}
			d->preface_len += take;
			p += take;
			n -= take;
			if (d->preface_len == H2_PREFACE_LEN) {
				lab_add(f, "PREFACE");
				d->h2 = H2S_HEADER;
			}
			break;
		}
		case H2S_HEADER: {
			uint32_t take = 9u - d->fhdr_len;
			if (take > n)
				take = n;
			memcpy(d->fhdr + d->fhdr_len, p, take);
			d->fhdr_len = (uint8_t)(d->fhdr_len + take);
			p += take;
			n -= take;
			if (d->fhdr_len < 9)
				break;
			d->fhdr_len = 0;
			d->flen = ((uint32_t)d->fhdr[0] << 16) |
			          ((uint32_t)d->fhdr[1] << 8) | d->fhdr[2];
			d->ftype = d->fhdr[3];
			d->fflags = d->fhdr[4];
			d->fsid = tl_get_be32(d->fhdr + 5) & 0x7fffffffu;
			d->fleft = d->flen;
			d->pad = 0;
			if (d->in_block && d->ftype != H2_CONTINUATION) {
				/* A peer that breaks the rules: drop the
				 * block, and HPACK with it. */
				d->in_block = false;
				d->hpack_broken = true;
			}
			if (!d->in_block)
				buf_reset(d);
			if (d->ftype == H2_DATA) {
				char name[96];
				h2_frame_name(d, name, sizeof name);
				lab_add(f, "%s", name);
				hol_note(f, d->fsid);
			} else if (d->ftype == H2_HEADERS ||
			           d->ftype == H2_CONTINUATION) {
				hol_note(f, d->fsid);
			}
			if (d->flen == 0)
				h2_frame_done(f, d);
			else
				d->h2 = H2S_PAYLOAD;
			break;
		}
		case H2S_PAYLOAD: {
			uint32_t take = d->fleft < n ? d->fleft : n;
			bool first = d->fleft == d->flen;
			if (f->len == 0 && !first) {
				const char *tn = h2_type_name(d->ftype);
				lab_add(f, "%s[%u] cont.", tn ? tn : "frame",
				        d->fsid);
			}
			switch (d->ftype) {
			case H2_DATA:
				if (first && (d->fflags & H2F_PADDED))
					d->pad = p[0];
				if (!d->client) {
					struct tl_app_stream *s = stream_by_id(
						f->c, d->fsid, false);
					if (s)
						s->bytes += take;
				}
				hol_note(f, d->fsid);
				span_note(f, d, p, take, d->fsid);
				break;
			case H2_HEADERS:
			case H2_PUSH_PROMISE:
			case H2_CONTINUATION:
				buf_put(d, p, take, TL_APP_HEADER_MAX);
				hol_note(f, d->fsid);
				span_note(f, d, p, take, d->fsid);
				break;
			default:
				/* only the first bytes matter */
				if (d->buf_len < SMALL_FRAME_KEEP) {
					uint32_t room = SMALL_FRAME_KEEP -
					                d->buf_len;
					buf_put(d, p, take < room ? take : room,
					        SMALL_FRAME_KEEP);
				}
				break;
			}
			p += take;
			n -= take;
			d->fleft -= take;
			if (d->fleft == 0) {
				d->h2 = H2S_HEADER;
				h2_frame_done(f, d);
			}
			break;
		}
		}
	}
}

static void h2_begin(struct tl_app_conn *c, unsigned client_dir)
{
	struct tl_app_dir *cd = c->dir[client_dir], *sd = c->dir[!client_dir];
	c->proto = TL_APP_HTTP2;
	c->client_dir = (uint8_t)client_dir;
	cd->client = true;
	sd->client = false;
	cd->is_h2 = sd->is_h2 = true;
	cd->h2 = H2S_PREFACE;
	sd->h2 = H2S_HEADER;
}

/* ---- HTTP/1.x ------------------------------------------------------------ */

static bool ieq_prefix(const char *line, size_t len, const char *word)
{
	size_t w = strlen(word);
	if (len < w)
		return false;
	for (size_t i = 0; i < w; i++) {
		char a = line[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != word[i])
			return false;
	}
	return true;
}

static bool icontains(const char *s, size_t len, const char *word)
{
	size_t w = strlen(word);
	for (size_t i = 0; i + w <= len; i++)
		if (ieq_prefix(s + i, len - i, word))
			return true;
	return false;
}

static const char *const methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
	"CONNECT", "TRACE",
};

static bool is_method(const uint8_t *p, uint32_t n)
{
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t m = strlen(methods[i]);
		if (n > m && !memcmp(p, methods[i], m) && p[m] == ' ')
			return true;
	}
	return false;
}

static struct tl_app_stream *h1_msg(struct feed *f, struct tl_app_dir *d)
{
	if (!d->have_msg || d->msg >= f->c->stream_count)
		return NULL;
	return &f->c->streams[d->msg];
}

static void h1_message_done(struct feed *f, struct tl_app_dir *d)
{
	if (!d->client) {
		stream_ended(f, h1_msg(f, d));
		f->c->h1_next_response++;
	}
	d->have_msg = false;
	d->h1 = H1_LINE;
}

static const char *h1_req_text(struct feed *f, struct tl_app_dir *d)
{
	struct tl_app_stream *s = h1_msg(f, d);
	return s && s->request[0] ? s->request : "request";
}

/* A start line, without its CR LF. */
static void h1_start_line(struct feed *f, struct tl_app_dir *d,
                          const char *line, size_t len)
{
	struct tl_app_conn *c = f->c;
	char text[120];
	d->content_length = -1;
	d->chunked = false;
	d->upgrade_h2c = false;
	if (d->client) {
		const char *sp = memchr(line, ' ', len);
		if (!sp || !is_method((const uint8_t *)line, (uint32_t)len)) {
			dir_dead(f, d, "not an HTTP request line");
			return;
		}
		size_t mlen = (size_t)(sp - line);
		const char *target = sp + 1;
		const char *sp2 = memchr(target, ' ', len - mlen - 1);
		size_t tlen = sp2 ? (size_t)(sp2 - target) : len - mlen - 1;
		char t[90];
		safe_text(t, sizeof t, (const uint8_t *)target, tlen, 80);
		snprintf(text, sizeof text, "%.*s %s", (int)mlen, line, t);
		lab_add(f, "%s", text);
		struct tl_app_stream *s = stream_add(c, c->stream_count + 1);
		d->have_msg = s != NULL;
		if (s) {
			d->msg = c->stream_count - 1;
			str_copy(s->request, sizeof s->request, text);
			s->req_frame = f->frame;
			s->req_us = f->us;
		}
		d->h1 = H1_HEADERS;
		return;
	}
	if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ' ||
	    line[9] < '0' || line[9] > '9' || line[10] < '0' ||
	    line[10] > '9' || line[11] < '0' || line[11] > '9') {
		dir_dead(f, d, "not an HTTP status line");
		return;
	}
	unsigned status = (unsigned)((line[9] - '0') * 100 +
	                             (line[10] - '0') * 10 + (line[11] - '0'));
	char t[100];
	safe_text(t, sizeof t, (const uint8_t *)line + 9, len - 9, 60);
	d->have_msg = c->h1_next_response < c->stream_count;
	d->msg = c->h1_next_response;
	struct tl_app_stream *s = h1_msg(f, d);
	if (s)
		lab_add(f, "%s (%s)", t, s->request);
	else
		lab_add(f, "%s", t);
	if (status >= 200)
		stream_started(f, s, (uint16_t)status);
	if (s)
		s->status = (uint16_t)status;
	d->h1 = H1_HEADERS;
}

static void h1_header_line(struct tl_app_dir *d, const char *line,
                           size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return;
	size_t nlen = (size_t)(colon - line);
	const char *v = colon + 1;
	size_t vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	if (nlen == 14 && ieq_prefix(line, nlen, "content-length")) {
		int64_t cl = 0;
		size_t i = 0;
		for (; i < vlen && i < 18 && v[i] >= '0' && v[i] <= '9'; i++)
			cl = cl * 10 + (v[i] - '0');
		d->content_length = i ? cl : -1;
	} else if (nlen == 17 && ieq_prefix(line, nlen, "transfer-encoding")) {
		d->chunked = icontains(v, vlen, "chunked");
	} else if (nlen == 7 && ieq_prefix(line, nlen, "upgrade")) {
		d->upgrade_h2c = icontains(v, vlen, "h2c");
	}
}

/* The blank line after the headers: where the body goes. */
static void h1_headers_done(struct feed *f, struct tl_app_dir *d)
{
	struct tl_app_conn *c = f->c;
	struct tl_app_stream *s = h1_msg(f, d);
	if (d->client) {
		if (d->chunked) {
			d->h1 = H1_CHUNK_SIZE;
		} else if (d->content_length > 0) {
			d->remaining = (uint64_t)d->content_length;
			d->h1 = H1_BODY;
		} else {
			h1_message_done(f, d);
		}
		return;
	}
	unsigned status = s ? s->status : 0;
	if (status == 101 && d->upgrade_h2c) {
		/* h2c: the server speaks HTTP/2 from the next byte; the
		 * request it answered is stream 1. */
		if (s) {
			s->id = 1;
			s->status = 0;
		}
		c->upgraded = true;
		c->proto = TL_APP_HTTP2;
		d->is_h2 = true;
		d->h2 = H2S_HEADER;
		d->have_msg = false;
		c->h1_next_response++;
		return;
	}
	if (status >= 100 && status < 200) {
		d->h1 = H1_LINE;        /* the final response follows */
		return;
	}
	bool no_body = status == 204 || status == 304 ||
	               (s && !strncmp(s->request, "HEAD ", 5));
	if (no_body) {
		h1_message_done(f, d);
	} else if (d->chunked) {
		d->h1 = H1_CHUNK_SIZE;
	} else if (d->content_length >= 0) {
		d->remaining = (uint64_t)d->content_length;
		if (d->remaining)
			d->h1 = H1_BODY;
		else
			h1_message_done(f, d);
	} else {
		d->h1 = H1_UNTIL_CLOSE;
	}
}

static void h1_line(struct feed *f, struct tl_app_dir *d, const char *line,
                    size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	switch (d->h1) {
	case H1_LINE:
		if (len)
			h1_start_line(f, d, line, len);
		break;
	case H1_HEADERS:
		if (len)
			h1_header_line(d, line, len);
		else
			h1_headers_done(f, d);
		break;
	case H1_CHUNK_SIZE: {
		uint64_t size = 0;
		size_t i = 0;
		for (; i < len && i < 15; i++) {
			char ch = line[i];
			unsigned v;
			if (ch >= '0' && ch <= '9')
				v = (unsigned)(ch - '0');
			else if (ch >= 'a' && ch <= 'f')
				v = (unsigned)(ch - 'a' + 10);
			else if (ch >= 'A' && ch <= 'F')
				v = (unsigned)(ch - 'A' + 10);
			else
				break;
			size = size * 16 + v;
		}
		if (i == 0) {
			dir_dead(f, d, "bad chunk size");
			return;
		}
		if (size == 0) {
			d->h1 = H1_TRAILERS;
		} else {
			d->remaining = size;
			d->h1 = H1_CHUNK_DATA;
		}
		break;
	}
	case H1_CHUNK_CRLF:
		d->h1 = H1_CHUNK_SIZE;
		break;
	case H1_TRAILERS:
		if (!len)
			h1_message_done(f, d);
		break;
	}
}

static void h1_body_bytes(struct feed *f, struct tl_app_dir *d,
                          const uint8_t *p, uint32_t n)
{
	if (f->len == 0)
		lab_add(f, "body of %s", h1_req_text(f, d));
	if (!d->client) {
		struct tl_app_stream *s = h1_msg(f, d);
		if (s) {
			s->bytes += n;
			hol_note(f, s->id);
			span_note(f, d, p, n, s->id);
		}
	}
}

static void h1_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                    uint32_t n)
{
	while (n > 0 && !d->dead) {
		if (d->is_h2) {
			h2_feed(f, d, p, n);
			return;
		}
		switch (d->h1) {
		case H1_BODY:
		case H1_CHUNK_DATA: {
			uint32_t take = d->remaining < n ? (uint32_t)d->remaining
			                                 : n;
			h1_body_bytes(f, d, p, take);
			d->remaining -= take;
			p += take;
			n -= take;
			if (d->remaining == 0) {
				if (d->h1 == H1_BODY)
					h1_message_done(f, d);
				else
					d->h1 = H1_CHUNK_CRLF;
			}
			break;
		}
		case H1_UNTIL_CLOSE:
			h1_body_bytes(f, d, p, n);
			return;
		case H1_LINE:
			/* After an h2c upgrade the client sends the HTTP/2
			 * preface where its next request would be. */
			if (d->client && d->buf_len == 0 &&
			    f->c->proto == TL_APP_HTTP2 &&
			    !memcmp(p, h2_preface, n < 4 ? n : 4)) {
				d->is_h2 = true;
				d->h2 = H2S_PREFACE;
				d->preface_len = 0;
				break;
			}
			/* fall through */
		default: {
			const uint8_t *nl = memchr(p, '\n', n);
			uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n;
			buf_put(d, p, take, LINE_MAX_BYTES);
			p += take;
			n -= take;
			if (d->buf_over) {
				dir_dead(f, d, "HTTP line too long");
				return;
			}
			if (nl) {
				h1_line(f, d, (const char *)d->buf,
				        d->buf_len - 1);
				buf_reset(d);
			}
			break;
		}
		}
	}
}

/* ---- dispatch and reassembly ---------------------------------------------- */

/* Decides what the connection speaks from its first bytes in order. */
static void classify(struct tl_app_conn *c, unsigned dir, const uint8_t *p,
                     uint32_t n)
{
	uint32_t m = n < H2_PREFACE_LEN ? n : H2_PREFACE_LEN;
	if (m >= 4 && !memcmp(p, h2_preface, m)) {
		h2_begin(c, dir);
	} else if (is_method(p, n)) {
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
		h2_begin(c, !dir);
	} else {
		c->proto = TL_APP_NONE;
	}
}

static void feed_bytes(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                       uint32_t n)
{
	if (d->dead || !n)
		return;
	if (d->is_h2)
		h2_feed(f, d, p, n);
	else
		h1_feed(f, d, p, n);
}

static void feed_init(struct feed *f, struct tl_app *a, struct tl_app_conn *c,
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

/* Keeps bytes beyond a hole; false when the gap is too large to wait. */
static bool hold(struct tl_app *a, struct tl_app_dir *d, uint32_t seq,
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
		struct tl_app_stream *s = stream_by_id(c, ids[i], false);
		if (s)
			s->held++;
		len = tl_bappend(buf, size, len, " %s%u",
		                 c->proto == TL_APP_HTTP2 ? "s" : "#", ids[i]);
	}
	if (more)
		tl_bappend(buf, size, len, " ...");
}

/* Feeds held chunks that the hole-filler made contiguous. */
static void release(struct feed *own, struct tl_app_dir *d)
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
			feed_init(&f, a, own->c, own->dir, own->frame,
			          own->us);
			f.hol = &hol;
			f.p_base = ch.data + skip;
			f.seq_base = d->next;
			feed_bytes(&f, d, ch.data + skip, ch.len - skip);
			d->next = end;
			if (f.len || !d->dead)
				lab_add(&f, "(held until frame %u)",
				        own->frame);
			label_commit(a, ch.frame, f.lab, f.len, true);
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
		lab_add(own, "fills a hole: releases frame %u (%llu B) held "
		        "back%s%s", first, (unsigned long long)bytes,
		        hol.n ? ", head-of-line blocked" : "", ids);
	else
		lab_add(own, "fills a hole: releases %u held segments from "
		        "frame %u (%llu B)%s%s", segs, first,
		        (unsigned long long)bytes,
		        hol.n ? ", head-of-line blocked" : "", ids);
}

/* An ACK from the receiver of d: when it jumps past a retransmission the
 * receiver had been waiting for, the bytes it now accepts at once were
 * held back behind that hole (head-of-line blocking), even though the
 * capture, taken before the receiver dropped the original, has no hole. */
static void ack_seen(struct feed *f, struct tl_app_dir *d, uint32_t ack)
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
		lab_add(f, "%u B released at once: held back behind the "
		        "retransmission in frame %u%s%s", held, d->rx_frame,
		        nids ? ", head-of-line blocked" : "", list);
	}
	if (d->rx_frame && seq_le(d->rx_end, ack))
		d->rx_frame = 0;
	d->acked = ack;
	d->ack_set = true;
}

static enum tl_app_proto port_proto(const struct tl_conn *conn)
{
	for (int i = 1; i >= 0; i--) {
		switch (conn->port[i]) {
		case 7: return TL_APP_ECHO;
		case 9: return TL_APP_DISCARD;
		case 13: return TL_APP_DAYTIME;
		}
	}
	return TL_APP_UNKNOWN;
}

void tl_app_segment(struct tl_app *a, const struct tl_conn *conn,
                    const struct tl_seg *seg, const uint8_t *payload,
                    uint32_t caplen)
{
	a->late_count = 0;
	if (!conn)
		return;
	uint32_t stream = conn->stream;
	unsigned flags = tl_seg_flags(seg), dir = tl_seg_dir(seg);
	if (flags & TL_TH_RST)
		return;
	struct feed own;
	struct tl_app_conn *c;
	if (stream < a->conn_cap && a->conns[stream]) {
		c = a->conns[stream];
		if (c == &none_conn)
			return;
	} else {
		if (!seg->len)
			return;
		c = conn_get(a, stream);
		/* Text protocols need no reassembly: each segment's bytes
		 * are shown as they are. */
		enum tl_app_proto p = port_proto(conn);
		if (p != TL_APP_UNKNOWN) {
			c->proto = p;
			dir_free(a, c->dir[0]);
			dir_free(a, c->dir[1]);
			c->dir[0] = c->dir[1] = NULL;
		}
	}
	feed_init(&own, a, c, dir, seg->frame, tl_seg_time_us(seg));
	if ((c->proto == TL_APP_HTTP1 || c->proto == TL_APP_HTTP2) &&
	    (flags & TL_TH_ACK) && c->unacked)
		streams_acked(c, dir, seg->ack, seg->frame,
		              tl_seg_time_us(seg));
	if ((c->proto == TL_APP_HTTP1 || c->proto == TL_APP_HTTP2) &&
	    (flags & TL_TH_ACK) && c->dir[!dir])
		ack_seen(&own, c->dir[!dir], seg->ack);
	if (!seg->len) {
		label_commit(a, seg->frame, own.lab, own.len, false);
		return;
	}
	if (c->proto == TL_APP_ECHO || c->proto == TL_APP_DISCARD ||
	    c->proto == TL_APP_DAYTIME) {
		char text[96], lab[104];
		uint32_t n = caplen < seg->len ? caplen : seg->len;
		safe_text(text, sizeof text, payload, n < 200 ? n : 200, 60);
		snprintf(lab, sizeof lab, "\"%s\"%s", text,
		         n < seg->len ? " (cut)" : "");
		label_commit(a, seg->frame, lab, strlen(lab),
		             false);
		return;
	}
	struct tl_app_dir *d = c->dir[dir];
	if (!d || d->dead) {
		label_commit(a, seg->frame, own.lab, own.len, false);
		return;
	}
	/* Data on a SYN (TCP Fast Open) starts after it. */
	uint32_t seq = seg->seq + ((flags & TL_TH_SYN) ? 1u : 0u);
	uint32_t n = seg->len;
	if (!d->started) {
		d->started = true;
		/* With the SYN seen, relative byte 1 is the first. */
		d->next = conn->dir[dir].syn.seen ? 1u : seq;
	}
	if (caplen < n) {
		/* Cut by the snap length: nothing to read. */
		if (c->proto == TL_APP_UNKNOWN) {
			conn_not_read(a, stream);
			return;
		}
		dir_dead(&own, d, "payload not captured");
	} else if (seq_le(seq, d->next)) {
		uint32_t skip = d->next - seq;
		if (skip >= n) {
			/* Only bytes we had: a retransmission. If the
			 * receiver lost the original, its next ACK shows
			 * what waited behind it. */
			d->rx_start = seq;
			d->rx_end = seq + n;
			d->rx_frame = seg->frame;
		} else {
			const uint8_t *p = payload + skip;
			uint32_t m = n - skip;
			if (c->proto == TL_APP_UNKNOWN) {
				classify(c, dir, p, m);
				if (c->proto == TL_APP_NONE) {
					conn_not_read(a, stream);
					return;
				}
			}
			own.p_base = p;
			own.seq_base = d->next;
			feed_bytes(&own, d, p, m);
			d->next = seq + n;
			if (d->nchunks && !d->dead)
				release(&own, d);
			if (c->unacked)
				streams_end_seq(c, dir, d->next);
		}
	} else if (!hold(a, d, seq, payload, n, seg->frame)) {
		char why[80];
		snprintf(why, sizeof why, "gap of %u bytes: stopped following",
		         seq - d->next);
		dir_dead(&own, d, why);
	}
	label_commit(a, seg->frame, own.lab, own.len, false);
}

/* ---- summaries ----------------------------------------------------------- */

size_t tl_app_conn_summary(const struct tl_app_conn *c, char *buf,
                           size_t size)
{
	size_t n = 0;
	if (!size)
		return 0;
	buf[0] = '\0';
	if (!c)
		return 0;
	n = tl_bappend(buf, size, n, "%s%s", tl_app_proto_name(c->proto),
	               c->upgraded ? " (h2c upgrade)" : "");
	if (c->proto == TL_APP_HTTP1 || c->proto == TL_APP_HTTP2) {
		uint32_t total = c->stream_count + c->streams_dropped;
		n = tl_bappend(buf, size, n, ", %u %s", total,
		               c->proto == TL_APP_HTTP2
		                       ? (total == 1 ? "stream" : "streams")
		                       : (total == 1 ? "request" : "requests"));
	}
	if (c->holes_filled)
		n = tl_bappend(buf, size, n, ", %u head-of-line event%s (%llu "
		               "bytes held back behind retransmissions)",
		               c->holes_filled, c->holes_filled == 1 ? "" : "s",
		               (unsigned long long)c->held_bytes);
	return n;
}

static void fmt_time(int64_t us, char *out)
{
	out[tl_format_us(us, out)] = '\0';
}

size_t tl_app_stream_line(const struct tl_app_conn *c,
                          const struct tl_app_stream *s, char *buf,
                          size_t size)
{
	char req[32] = "-", start[32] = "-", end[32] = "-", fin[48] = "-";
	(void)c;
	if (s->req_frame)
		fmt_time(s->req_us, req);
	if (s->started)
		fmt_time(s->start_us, start);
	if (s->ended)
		fmt_time(s->end_us, end);
	/* Finished when the last byte was acknowledged (what a client's
	 * timer sees); the time it was first sent is a column of its own. */
	if (s->acked) {
		char t[32];
		fmt_time(s->ack_us, t);
		snprintf(fin, sizeof fin, "%s (frame %u)", t, s->ack_frame);
	} else if (s->ended) {
		snprintf(fin, sizeof fin, "- (no ACK seen)");
	}
	size_t n = tl_bappend(buf, size, 0, "[%u] %-20s %3u  request %s "
	                      "(frame %u)  start %s  last byte sent %s "
	                      "(frame %u)  finish %s  %llu B", s->id,
	                      s->request[0] ? s->request : "?", s->status,
	                      req, s->req_frame, start, end, s->end_frame,
	                      fin, (unsigned long long)s->bytes);
	if (s->reset)
		n = tl_bappend(buf, size, n, "  reset");
	else if (!s->ended)
		n = tl_bappend(buf, size, n, "  unfinished");
	if (s->held)
		n = tl_bappend(buf, size, n, "  held back %ux", s->held);
	return n;
}

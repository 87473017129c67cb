/* HTTP/2 frames, one label item each, and header blocks decoded with
 * libnghttp2's HPACK inflater (one per direction, since each side's table
 * is its own). Without libnghttp2 the frames are still named. */
#include "config.h"

#include "app_int.h"

#include <stdio.h>
#include <string.h>

#ifdef HAVE_NGHTTP2
#include <nghttp2/nghttp2.h>
#endif

const char app_h2_preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

void app_hpack_free(struct tl_app_conn *c)
{
	for (int i = 0; i < 2; i++) {
#ifdef HAVE_NGHTTP2
		if (c->hpack[i])
			nghttp2_hd_inflate_del(c->hpack[i]);
#endif
		c->hpack[i] = NULL;
	}
}

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
			app_safe_text(val, sizeof val, nv.value, nv.valuelen,
			              80);
			if (nv.namelen == 7 && !memcmp(nv.name, ":method", 7)) {
				app_str_copy(method, sizeof method, val);
				n = tl_bappend(text, size, n, "%s:method %s",
				               n ? " " : "", val);
			} else if (nv.namelen == 5 &&
			           !memcmp(nv.name, ":path", 5)) {
				app_str_copy(path, sizeof path, val);
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
		app_lab_add(f, "(header block over %u bytes: not decoded)",
		            TL_APP_HEADER_MAX);
	} else if (!d->hpack_broken) {
		if (!h2_decode_block(f, d->buf, d->buf_len, text, sizeof text,
		                     request, sizeof request, &status)) {
#ifdef HAVE_NGHTTP2
			d->hpack_broken = true;
			app_lab_add(f, "(HPACK error: headers no longer "
			            "decoded)");
#endif
		} else if (text[0]) {
			app_lab_join(f, text);
		}
	}
	app_buf_reset(d);
	if (d->block_type != H2_HEADERS)
		return;
	struct tl_app_stream *s = app_stream_by_id(c, d->block_sid, true);
	if (d->client) {
		if (s && !s->req_frame) {
			app_str_copy(s->request, sizeof s->request,
			             request[0] ? request : "(request)");
			s->req_frame = f->frame;
			s->req_us = f->us;
		}
	} else {
		if (status >= 200 || status == 0)
			app_stream_started(f, s, status);
		if (end_stream)
			app_stream_ended(f, s);
	}
}

/* A DATA frame is labelled at its header; at its end, the padding is
 * taken off the stream's bytes and END_STREAM ends the stream. */
static void h2_data_done(struct feed *f, struct tl_app_dir *d)
{
	if (d->client)
		return;
	struct tl_app_stream *s = app_stream_by_id(f->c, d->fsid, false);
	if (s && (d->fflags & H2F_PADDED)) {
		uint32_t padding = d->pad + 1u;
		s->bytes -= s->bytes >= padding ? padding : s->bytes;
	}
	if (s && (d->fflags & H2F_END_STREAM))
		app_stream_ended(f, s);
}

/* HEADERS or PUSH_PROMISE: only the header block fragment is kept (no
 * padding, priority or promised id), and decoded once END_HEADERS says the
 * block is whole. */
static void h2_headers_done(struct feed *f, struct tl_app_dir *d,
                            const char *name)
{
	const uint8_t *p = d->buf;
	uint32_t kept = d->buf_over ? 0 : d->buf_len;
	app_lab_add(f, "%s", name);
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
		app_lab_add(f, "(padding longer than the frame)");
		d->hpack_broken = true;
		app_buf_reset(d);
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
		h2_header_block_done(f, d, d->fflags & H2F_END_STREAM);
	} else {
		d->in_block = true;
		d->buf_over = false;
	}
}

/* SETTINGS, each parameter by name; a new header table size bounds what
 * we decode in the direction towards the side that sent it. */
static void h2_settings_done(struct feed *f, struct tl_app_dir *d,
                             const char *name)
{
	static const char *const sn[] = {
		NULL, "HEADER_TABLE_SIZE", "ENABLE_PUSH",
		"MAX_CONCURRENT_STREAMS", "INITIAL_WINDOW_SIZE",
		"MAX_FRAME_SIZE", "MAX_HEADER_LIST_SIZE", NULL,
		"ENABLE_CONNECT_PROTOCOL", "NO_RFC7540_PRIORITIES",
	};
	const uint8_t *p = d->buf;
	uint32_t kept = d->buf_over ? 0 : d->buf_len;
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
			n = tl_bappend(params, sizeof params, n, " 0x%x=%u",
			               id, v);
#ifdef HAVE_NGHTTP2
		if (id == 1 && !(d->fflags & H2F_ACK)) {
			struct tl_app_conn *c = f->c;
			nghttp2_hd_inflater *in = hpack_of(c, !f->dir);
			if (in &&
			    nghttp2_hd_inflate_change_table_size(in, v) != 0)
				c->dir[!f->dir]->hpack_broken = true;
		}
#endif
	}
	app_lab_add(f, "%s%s", name, params);
}

/* Clients send PRIORITY frames in runs: "PRIORITY[3,5,7]". */
static void h2_priority_done(struct feed *f, const struct tl_app_dir *d)
{
	if (f->prio_end && f->prio_end == f->len && !f->full &&
	    f->len + 16 < TL_APP_LABEL_MAX - 4) {
		int w = snprintf(f->lab + f->len - 1, 16, ",%u]", d->fsid);
		if (w > 0)
			f->len = f->len - 1 + (size_t)w;
	} else {
		app_lab_add(f, "PRIORITY[%u]", d->fsid);
	}
	f->prio_end = f->len;
}

static void h2_rst_stream_done(struct feed *f, const struct tl_app_dir *d,
                               uint32_t kept)
{
	uint32_t code = kept >= 4 ? tl_get_be32(d->buf) : 0;
	app_lab_add(f, "RST_STREAM[%u] %s", d->fsid, h2_error_name(code));
	struct tl_app_stream *s = app_stream_by_id(f->c, d->fsid, false);
	if (s) {
		s->reset = true;
		app_stream_ended(f, s);
	}
}

/* A frame's payload is complete (what was kept of it is in d->buf). */
static void h2_frame_done(struct feed *f, struct tl_app_dir *d)
{
	char name[96];
	const uint8_t *p = d->buf;
	uint32_t kept = d->buf_over ? 0 : d->buf_len;
	h2_frame_name(d, name, sizeof name);
	switch (d->ftype) {
	case H2_DATA:
		h2_data_done(f, d);
		break;
	case H2_HEADERS:
	case H2_PUSH_PROMISE:
		h2_headers_done(f, d, name);
		return;         /* the block may go on in CONTINUATIONs */
	case H2_CONTINUATION:
		app_lab_add(f, "%s", name);
		if (d->buf_over)
			d->block_over = true;
		if (d->fflags & H2F_END_HEADERS)
			h2_header_block_done(f, d, false);
		return;
	case H2_SETTINGS:
		h2_settings_done(f, d, name);
		break;
	case H2_WINDOW_UPDATE:
		if (kept >= 4)
			app_lab_add(f, "WINDOW_UPDATE[%u] +%u", d->fsid,
			            tl_get_be32(p) & 0x7fffffffu);
		else
			app_lab_add(f, "%s", name);
		break;
	case H2_RST_STREAM:
		h2_rst_stream_done(f, d, kept);
		break;
	case H2_PRIORITY:
		h2_priority_done(f, d);
		break;
	case H2_GOAWAY:
		if (kept >= 8)
			app_lab_add(f, "GOAWAY[%u] last=%u %s", d->fsid,
			            tl_get_be32(p) & 0x7fffffffu,
			            h2_error_name(tl_get_be32(p + 4)));
		else
			app_lab_add(f, "%s", name);
		break;
	default:
		app_lab_add(f, "%s", name);
		break;
	}
	app_buf_reset(d);
}

/* Up to 24 bytes of the client's preface; returns how many were used, or
 * 0 (and the direction dead) when they are not the preface. */
static uint32_t h2_preface_bytes(struct feed *f, struct tl_app_dir *d,
                                 const uint8_t *p, uint32_t n)
{
	uint32_t take = H2_PREFACE_LEN - d->preface_len;
	if (take > n)
		take = n;
	if (memcmp(p, app_h2_preface + d->preface_len, take) != 0) {
		app_dir_dead(f, d, "not an HTTP/2 preface");
		return 0;
	}
	d->preface_len += take;
	if (d->preface_len == H2_PREFACE_LEN) {
		app_lab_add(f, "PREFACE");
		d->h2 = H2S_HEADER;
	}
	return take;
}

/* The 9-byte frame header is complete in d->fhdr. */
static void h2_header_done(struct feed *f, struct tl_app_dir *d)
{
	d->fhdr_len = 0;
	d->flen = ((uint32_t)d->fhdr[0] << 16) |
	          ((uint32_t)d->fhdr[1] << 8) | d->fhdr[2];
	d->ftype = d->fhdr[3];
	d->fflags = d->fhdr[4];
	d->fsid = tl_get_be32(d->fhdr + 5) & 0x7fffffffu;
	d->fleft = d->flen;
	d->pad = 0;
	if (d->in_block && d->ftype != H2_CONTINUATION) {
		/* A peer that breaks the rules: drop the block, and HPACK
		 * with it. */
		d->in_block = false;
		d->hpack_broken = true;
	}
	if (!d->in_block)
		app_buf_reset(d);
	if (d->ftype == H2_DATA) {
		char name[96];
		h2_frame_name(d, name, sizeof name);
		app_lab_add(f, "%s", name);
		app_hol_note(f, d->fsid);
	} else if (d->ftype == H2_HEADERS || d->ftype == H2_CONTINUATION) {
		app_hol_note(f, d->fsid);
	}
	if (d->flen == 0)
		h2_frame_done(f, d);
	else
		d->h2 = H2S_PAYLOAD;
}

/* Bytes of a frame header; returns how many were used. */
static uint32_t h2_header_bytes(struct feed *f, struct tl_app_dir *d,
                                const uint8_t *p, uint32_t n)
{
	uint32_t take = 9u - d->fhdr_len;
	if (take > n)
		take = n;
	memcpy(d->fhdr + d->fhdr_len, p, take);
	d->fhdr_len = (uint8_t)(d->fhdr_len + take);
	if (d->fhdr_len == 9)
		h2_header_done(f, d);
	return take;
}

/* take bytes of the current frame's payload: DATA is counted, header
 * blocks are kept for HPACK, other frames only by their first bytes. */
static void h2_payload_bytes(struct feed *f, struct tl_app_dir *d,
                             const uint8_t *p, uint32_t take, bool first)
{
	switch (d->ftype) {
	case H2_DATA:
		if (first && (d->fflags & H2F_PADDED))
			d->pad = p[0];
		if (!d->client) {
			struct tl_app_stream *s =
				app_stream_by_id(f->c, d->fsid, false);
			if (s)
				s->bytes += take;
		}
		app_hol_note(f, d->fsid);
		app_span_note(f, d, p, take, d->fsid);
		break;
	case H2_HEADERS:
	case H2_PUSH_PROMISE:
	case H2_CONTINUATION:
		app_buf_put(f->a, d, p, take, TL_APP_HEADER_MAX);
		app_hol_note(f, d->fsid);
		app_span_note(f, d, p, take, d->fsid);
		break;
	default:
		/* only the first bytes matter */
		if (d->buf_len < SMALL_FRAME_KEEP) {
			uint32_t room = SMALL_FRAME_KEEP - d->buf_len;
			app_buf_put(f->a, d, p, take < room ? take : room,
			            SMALL_FRAME_KEEP);
		}
		break;
	}
}

/* Bytes of a frame's payload; returns how many were used. */
static uint32_t h2_payload(struct feed *f, struct tl_app_dir *d,
                           const uint8_t *p, uint32_t n)
{
	uint32_t take = d->fleft < n ? d->fleft : n;
	bool first = d->fleft == d->flen;
	if (f->len == 0 && !first) {
		const char *tn = h2_type_name(d->ftype);
		app_lab_add(f, "%s[%u] cont.", tn ? tn : "frame", d->fsid);
	}
	h2_payload_bytes(f, d, p, take, first);
	d->fleft -= take;
	if (d->fleft == 0) {
		d->h2 = H2S_HEADER;
		h2_frame_done(f, d);
	}
	return take;
}

void app_h2_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n)
{
	while (n > 0 && !d->dead) {
		uint32_t used;
		switch (d->h2) {
		case H2S_PREFACE:
			used = h2_preface_bytes(f, d, p, n);
			break;
		case H2S_HEADER:
			used = h2_header_bytes(f, d, p, n);
			break;
		default:
			used = h2_payload(f, d, p, n);
			break;
		}
		if (!used)
			return;
		p += used;
		n -= used;
	}
}

void app_h2_begin(struct tl_app_conn *c, unsigned client_dir)
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

/* HTTP/1.x: start lines, the headers that say where a message ends
 * (Content-Length, chunked, Upgrade: h2c), bodies. A line longer than
 * LINE_MAX_BYTES ends the labels of its direction. */
#include "config.h"

#include "app_int.h"

#include <stdio.h>
#include <string.h>

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

bool app_is_method(const uint8_t *p, uint32_t n)
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
	app_hf_done(f, d);
	if (!d->client) {
		app_stream_ended(f, h1_msg(f, d));
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
		if (!sp ||
		    !app_is_method((const uint8_t *)line, (uint32_t)len)) {
			app_dir_dead(f, d, "not an HTTP request line");
			return;
		}
		size_t mlen = (size_t)(sp - line);
		const char *target = sp + 1;
		const char *sp2 = memchr(target, ' ', len - mlen - 1);
		size_t tlen = sp2 ? (size_t)(sp2 - target) : len - mlen - 1;
		app_hf_str(f, d, TL_APP_HTTP_METHOD, line, mlen);
		app_hf_str(f, d, TL_APP_HTTP_URI, target, tlen);
		if (sp2)
			app_hf_str(f, d, TL_APP_HTTP_REQ_VERSION, sp2 + 1,
			           (size_t)(line + len - sp2 - 1));
		char t[90];
		app_safe_text(t, sizeof t, (const uint8_t *)target, tlen, 80);
		snprintf(text, sizeof text, "%.*s %s", (int)mlen, line, t);
		app_lab_add(f, "%s", text);
		struct tl_app_stream *s =
			app_stream_add(c, c->stream_count + 1);
		d->have_msg = s != NULL;
		if (s) {
			d->msg = c->stream_count - 1;
			app_str_copy(s->request, sizeof s->request, text);
			s->req_frame = f->frame;
			s->req_us = f->us;
		}
		d->h1 = H1_HEADERS;
		return;
	}
	if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ' ||
	    line[9] < '0' || line[9] > '9' || line[10] < '0' ||
	    line[10] > '9' || line[11] < '0' || line[11] > '9') {
		app_dir_dead(f, d, "not an HTTP status line");
		return;
	}
	unsigned status = (unsigned)((line[9] - '0') * 100 +
	                             (line[10] - '0') * 10 + (line[11] - '0'));
	d->hf_code = (uint16_t)status;
	app_hf_str(f, d, TL_APP_HTTP_RESP_VERSION, line, 8);
	if (len > 12 && line[12] == ' ')
		app_hf_str(f, d, TL_APP_HTTP_PHRASE, line + 13, len - 13);
	char t[100];
	app_safe_text(t, sizeof t, (const uint8_t *)line + 9, len - 9, 60);
	d->have_msg = c->h1_next_response < c->stream_count;
	d->msg = c->h1_next_response;
	struct tl_app_stream *s = h1_msg(f, d);
	if (s)
		app_lab_add(f, "%s (%s)", t, s->request);
	else
		app_lab_add(f, "%s", t);
	if (status >= 200)
		app_stream_started(f, s, (uint16_t)status);
	if (s)
		s->status = (uint16_t)status;
	d->h1 = H1_HEADERS;
}

/* The headers tshark gives a field of their own (http.host ...). */
static void h1_header_fact(struct feed *f, struct tl_app_dir *d,
                           const char *name, size_t nlen, const char *v,
                           size_t vlen)
{
	static const struct { const char *name; unsigned which; } hdr[] = {
		{ "host", TL_APP_HTTP_HOST },
		{ "user-agent", TL_APP_HTTP_USER_AGENT },
		{ "server", TL_APP_HTTP_SERVER },
		{ "content-type", TL_APP_HTTP_CONTENT_TYPE },
		{ "location", TL_APP_HTTP_LOCATION },
		{ "referer", TL_APP_HTTP_REFERER },
		{ "connection", TL_APP_HTTP_CONNECTION },
	};
	if (!f->a->want_http)
		return;
	for (size_t i = 0; i < sizeof hdr / sizeof *hdr; i++)
		if (nlen == strlen(hdr[i].name) &&
		    ieq_prefix(name, nlen, hdr[i].name))
			app_hf_str(f, d, hdr[i].which, v, vlen);
}

static void h1_header_line(struct feed *f, struct tl_app_dir *d,
                           const char *line, size_t len)
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
	} else {
		h1_header_fact(f, d, line, nlen, v, vlen);
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
		app_hf_done(f, d);
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
		app_hf_done(f, d);      /* a message of its own */
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
	app_hf_line(f, d, line, len);
	if (len && line[len - 1] == '\r')
		len--;
	switch (d->h1) {
	case H1_LINE:
		if (len)
			h1_start_line(f, d, line, len);
		break;
	case H1_HEADERS:
		if (len)
			h1_header_line(f, d, line, len);
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
			app_dir_dead(f, d, "bad chunk size");
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
		app_lab_add(f, "body of %s", h1_req_text(f, d));
	if (!d->client) {
		struct tl_app_stream *s = h1_msg(f, d);
		if (s) {
			s->bytes += n;
			app_hol_note(f, s->id);
			app_span_note(f, d, p, n, s->id);
		}
	}
}

void app_h1_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n)
{
	while (n > 0 && !d->dead) {
		if (d->is_h2) {
			app_h2_feed(f, d, p, n);
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
			    !memcmp(p, app_h2_preface, n < 4 ? n : 4)) {
				d->is_h2 = true;
				d->h2 = H2S_PREFACE;
				d->preface_len = 0;
				break;
			}
			/* fall through */
		default: {
			const uint8_t *nl = memchr(p, '\n', n);
			uint32_t take = nl ? (uint32_t)(nl - p) + 1 : n;
			app_buf_put(f->a, d, p, take, LINE_MAX_BYTES);
			p += take;
			n -= take;
			if (d->buf_over) {
				app_dir_dead(f, d, "HTTP line too long");
				return;
			}
			if (nl) {
				h1_line(f, d, (const char *)d->buf,
				        d->buf_len - 1);
				app_buf_reset(d);
			}
			break;
		}
		}
	}
}

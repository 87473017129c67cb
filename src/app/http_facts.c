/* What tshark's http.* fields show of HTTP/1.x messages (tl_app.h,
 * struct tl_app_http): http1.c hands over each line of a message's header
 * block and where its strings are; when the message ends, its facts go to
 * the segment whose bytes ended it, which is where tshark, reassembling
 * headers and body, shows the message (docs/analysis.md, "HTTP"). Kept
 * only when a field asks (tl_app_want_http): the labels do not need it. */
#include "config.h"

#include "app_int.h"

#include <string.h>

void tl_app_want_http(struct tl_app *a)
{
	a->want_http = true;
}

void app_hf_reset(struct tl_app *a)
{
	a->http_count = 0;
	a->http_text_len = 0;
}

/* Keeps a line of the header block (len bytes, its CR included; the LF
 * is added back); a start line begins a new message. */
void app_hf_line(struct feed *f, struct tl_app_dir *d, const char *line,
                 size_t len)
{
	if (!f->a->want_http || (d->h1 != H1_LINE && d->h1 != H1_HEADERS))
		return;
	if (d->h1 == H1_LINE) {
		if (len == 0 || (len == 1 && line[0] == '\r'))
			return;     /* blank lines before a message */
		d->hf_len = 0;
		d->hf_over = false;
		d->hf_set = 0;
		d->hf_code = 0;
	}
	d->hf_line_at = d->hf_len;
	if (d->hf_over || (uint64_t)d->hf_len + len + 1 > TL_APP_HTTP_HEAD_MAX) {
		d->hf_over = true;
		return;
	}
	uint32_t had = d->hf_cap;
	d->hf = tl_xgrow(d->hf, &d->hf_cap, (uint64_t)d->hf_len + len + 1, 512,
	                 1);
	f->a->conn_state_bytes += d->hf_cap - had;
	memcpy(d->hf + d->hf_len, line, len);
	d->hf[d->hf_len + len] = '\n';
	d->hf_len += (uint32_t)len + 1;
}

/* One of the message's strings: s points into the line just kept (the
 * direction's line buffer). The first of each kind counts. */
void app_hf_str(struct feed *f, struct tl_app_dir *d, unsigned which,
                const char *s, size_t len)
{
	if (!f->a->want_http || d->hf_over || which >= TL_APP_HTTP_STRS ||
	    (d->hf_set >> which) & 1u || !d->buf)
		return;
	size_t at = (size_t)(s - (const char *)d->buf);
	if (at > d->buf_len || len > d->buf_len - at)
		return;
	d->hf_at[which] = d->hf_line_at + (uint32_t)at;
	d->hf_n[which] = (uint32_t)len;
	d->hf_set |= (uint16_t)(1u << which);
}

/* The message ends in this segment: its facts are the segment's. */
void app_hf_done(struct feed *f, struct tl_app_dir *d)
{
	struct tl_app *a = f->a;
	if (!a->want_http || a->http_count >= TL_APP_HTTP_MAX)
		return;
	uint32_t base = a->http_text_len, n = d->hf_over ? 0 : d->hf_len;
	a->http_text = tl_xgrow(a->http_text, &a->http_text_cap,
	                        (uint64_t)base + n + 1, 1024, 1);
	if (n)
		memcpy(a->http_text + base, d->hf, n);
	a->http_text_len = base + n;
	struct tl_app_http *h = &a->http[a->http_count++];
	memset(h, 0, sizeof *h);
	h->request = d->client;
	h->code = d->hf_code;
	h->content_length = d->content_length;
	h->head_at = base;
	h->head_len = n;
	h->set = d->hf_over ? 0 : d->hf_set;
	for (unsigned i = 0; i < TL_APP_HTTP_STRS; i++) {
		h->at[i] = base + d->hf_at[i];
		h->len[i] = d->hf_n[i];
	}
}

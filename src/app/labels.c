/* Label text for one segment (items joined by ", ", cut with "..."), the
 * printable form of hostile bytes, and the store of labels by frame. */
#include "config.h"

#include "app_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void app_lab_add(struct feed *f, const char *fmt, ...)
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
void app_lab_join(struct feed *f, const char *text)
{
	if (f->full)
		return;
	size_t n = strlen(text);
	if (f->len + n + 1 > TL_APP_LABEL_MAX - 4) {
		app_lab_add(f, "%s", text);     /* cut, with "..." */
		return;
	}
	if (f->len)
		f->lab[f->len++] = ' ';
	memcpy(f->lab + f->len, text, n);
	f->len += n;
	f->lab[f->len] = '\0';
}

/* Copies a string, cut to fit. */
void app_str_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (!size)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Printable ASCII only (decoded header values and payloads may app_hold
 * anything), at most max_out characters, "..." when cut. */
size_t app_safe_text(char *out, size_t size, const uint8_t *p, size_t n,
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

void app_label_commit(struct tl_app *a, uint32_t frame,
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
	       a->http_text_cap + tl_app_conn_bytes(a);
}

uint64_t tl_app_conn_bytes(const struct tl_app *a)
{
	if (!a)
		return 0;
	return a->buffered + a->conn_state_bytes +
	       (uint64_t)a->conn_cap * sizeof *a->conns;
}

void tl_app_clear_labels(struct tl_app *a)
{
	a->label_count = 0;
	a->arena_len = 0;
}


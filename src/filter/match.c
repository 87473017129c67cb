/* Searches and filters: what a typed query matches. */
#include "config.h"

#include "tl_match.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tl_app.h"
#include "tl_label.h"
#include "tl_layout.h"
#include "tl_track.h"

static bool word_is_field(const struct tl_conn *c, const char *w)
{
	char buf[96];
	snprintf(buf, sizeof buf, "%u", c->stream);
	if (strcmp(w, buf) == 0)
		return true;
	if (strcasecmp(w, tl_conn_state_name(c->state)) == 0)
		return true;
	for (int e = 0; e < 2; e++) {
		snprintf(buf, sizeof buf, "%u", c->port[e]);
		if (strcmp(w, buf) == 0)
			return true;
		tl_format_addr(c->ip_version, c->addr[e], buf, sizeof buf);
		if (strcasecmp(w, buf) == 0)
			return true;
		tl_format_endpoint(c->ip_version, c->addr[e], c->port[e], buf,
		                   sizeof buf);
		if (strcasecmp(w, buf) == 0)
			return true;
	}
	return false;
}

bool tl_match_conn(const struct tl_conn *c, const char *query)
{
	char w[96];
	const char *p = query;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (!n)
			break;
		snprintf(w, sizeof w, "%.*s", (int)(n < sizeof w - 1 ? n
		                                     : sizeof w - 1), p);
		if (!word_is_field(c, w))
			return false;
		p += n;
	}
	return true;
}

bool tl_match_hol(const struct tl_app *app, uint32_t frame)
{
	size_t len = 0;
	const char *a = app ? tl_app_label(app, frame, &len) : NULL;
	if (!a)
		return false;
	char buf[TL_APP_LABEL_MAX + 1];
	snprintf(buf, sizeof buf, "%.*s", (int)len, a);
	return strstr(buf, "held back") || strstr(buf, "fills a hole") ||
	       strstr(buf, "head-of-line");
}

bool tl_match_annotated(const struct tl_seg *seg, const struct tl_app *app)
{
	return (seg->analysis & TL_AN_WIRESHARK_MASK) != 0 ||
	       tl_match_hol(app, seg->frame);
}

/* Every character a segment label can hold (flag names, Seq= Ack= Win=
 * Len=, SYN options, digits), and an address:port: a query with any
 * other character cannot be in them, so no label is formatted for it. */
static bool only_from(const char *q, const char *alphabet)
{
	for (; *q; q++) {
		char c = (char)tolower((unsigned char)*q);
		if (!strchr(alphabet, c))
			return false;
	}
	return true;
}

#define LABEL_CHARS "0123456789 =,_<>finsyrtphackugewqlvmdo"
#define ENDPOINT_CHARS "0123456789abcdef.:[]"

void tl_match_compile(struct tl_match_query *q, const char *text)
{
	q->text = text;
	q->in_label = only_from(text, LABEL_CHARS);
	q->in_endpoint = only_from(text, ENDPOINT_CHARS);
}

bool tl_match_row(const struct tl_seg *seg, const struct tl_seg_note *note,
                  const struct tl_conn *c, const struct tl_app *app,
                  int absolute, const struct tl_match_query *q)
{
	const char *query = q->text;
	char buf[2048];
	size_t n;
	if (q->in_label) {
		tl_label_segment(seg, c, TL_LABEL_ALL, absolute, buf,
		                 sizeof buf);
		if (strcasestr(buf, query))
			return true;
	}
	if (!seg->analysis && !(app && tl_app_label(app, seg->frame, &n)))
		goto endpoints;
	/* Both spellings of the arrows in window changes. */
	n = tl_layout_notes(seg, note, app, false, buf, sizeof buf);
	if (n && strcasestr(buf, query))
		return true;
	n = tl_layout_notes(seg, note, app, true, buf, sizeof buf);
	if (n && strcasestr(buf, query))
		return true;
endpoints:
	if (c && q->in_endpoint) {
		for (int e = 0; e < 2; e++) {
			tl_format_endpoint(c->ip_version, c->addr[e],
			                   c->port[e], buf, sizeof buf);
			if (strcasestr(buf, query))
				return true;
		}
	}
	return false;
}

/* Exchanges on a connection (an HTTP/2 stream, an HTTP/1 request and its
 * response): when each was asked, started, ended and was acknowledged, and
 * the lines the details pane and -z summaries print from them. */
#include "config.h"

#include "app_int.h"

#include <stdio.h>
#include <string.h>

struct tl_app_stream *app_stream_add(struct tl_app_conn *c, uint32_t id)
{
	if (c->stream_count >= TL_APP_MAX_STREAMS) {
		c->streams_dropped++;
		return NULL;
	}
	uint32_t had = c->stream_cap;
	c->streams = tl_xgrow(c->streams, &c->stream_cap,
	                      (uint64_t)c->stream_count + 1, 1,
	                      sizeof *c->streams);
	if (c->state_bytes)
		*c->state_bytes += (uint64_t)(c->stream_cap - had) *
		                   sizeof *c->streams;
	struct tl_app_stream *s = &c->streams[c->stream_count++];
	memset(s, 0, sizeof *s);
	s->id = id;
	return s;
}

/* The exchange with this id (HTTP/2 stream id, HTTP/1 request number),
 * created when create is set. */
struct tl_app_stream *app_stream_by_id(struct tl_app_conn *c, uint32_t id,
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
	struct tl_app_stream *s = app_stream_add(c, id);
	if (s)
		c->h2_last_lookup = c->stream_count - 1;
	return s;
}

void app_stream_started(struct feed *f, struct tl_app_stream *s,
                        uint16_t status)
{
	if (!s || s->started)
		return;
	s->started = true;
	s->status = status;
	s->start_frame = f->frame;
	s->start_us = f->us;
}

void app_stream_ended(struct feed *f, struct tl_app_stream *s)
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
void app_streams_end_seq(struct tl_app_conn *c, unsigned dir,
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

void app_streams_acked(struct tl_app_conn *c, unsigned dir, uint32_t ack,
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

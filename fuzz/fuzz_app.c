/* libFuzzer target: application labels (tl_app.h). One connection between
 * a client and a server on a port the input picks (HTTP on 80/8080, echo,
 * discard, daytime, or another), handshake included; then segments whose
 * payloads come from the input, in order by default, with holes,
 * retransmissions and overlaps on request, through tl_model_frame with
 * labels on, so the stream rebuilding and every parser (HTTP/1.x, HTTP/2
 * frames and HPACK, the simple services) see them as in a capture. Then
 * every label, connection summary and exchange line is read back and the
 * rows are drawn. The http.* fields' facts are kept and read back after
 * every segment.
 *
 * Byte 0: the server port (index); byte 1: output settings. Records:
 *   [0] bit 0 direction (server to client), bit 1 FIN, bit 2 RST,
 *       bit 3 skip the next 1..256 bytes first (a hole, filled later by a
 *       record with bit 4), bit 4 go back to the oldest hole (retransmit),
 *       bit 5 resend the previous payload again (duplicate), bits 6-7
 *       how many bytes a skip or an overlap moves (with [1])
 *   [1] amount   [2..3] payload length, little endian (capped)   payload */
#include "config.h"

#include <stdlib.h>

#include "tl_app.h"
#include "tl_decode.h"

#include "fuzz_common.h"
#include "../tests/unit/frame_builder.h"

/* Every string of the messages the last segment completed lies inside
 * the facts' text (a bad offset is read past it and caught). */
static void http_facts_read(const struct tl_app *a)
{
	volatile uint8_t sink = 0;
	for (uint32_t i = 0; i < a->http_count; i++) {
		const struct tl_app_http *h = &a->http[i];
		if (h->head_at + h->head_len > a->http_text_len)
			abort();
		for (unsigned k = 0; k < TL_APP_HTTP_STRS; k++) {
			if (!((h->set >> k) & 1u))
				continue;
			if (h->at[k] + h->len[k] > a->http_text_len)
				abort();
			for (uint32_t j = 0; j < h->len[k]; j++)
				sink ^= a->http_text[h->at[k] + j];
		}
	}
	(void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEGMENTS 2048
#define MAX_PAYLOAD 4096

struct side {
	uint32_t isn, next;     /* next new byte to send */
	uint32_t hole;          /* oldest byte skipped, if have_hole */
	bool have_hole;
};

static uint32_t build(uint8_t *f, int dir, uint16_t sport, uint16_t dport,
                      uint32_t seq, uint32_t ack, uint8_t flags,
                      const uint8_t *payload, uint32_t len)
{
	struct fb_tcp t = {
		.src = dir ? FB_HOST_B : FB_HOST_A,
		.dst = dir ? FB_HOST_A : FB_HOST_B,
		.sport = sport, .dport = dport, .seq = seq, .ack = ack,
		.flags = flags, .win = 0xffff, .payload = payload, .len = len,
	};
	return fb_ipv4_tcp(f, 40 + MAX_PAYLOAD, &t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ports[] = { 80, 8080, 7, 9, 13, 443, 5000, 80 };
	if (size < 2)
		return 0;
	uint16_t server = ports[data[0] & 7];
	struct tl_options opt;
	fuzz_options(&opt, data[1]);
	static struct tl_model m;
	tl_model_init(&m, true);
	tl_model_enable_app(&m);
	tl_app_want_http(m.app);        /* the http.* fields' facts too */
	static uint8_t frame[40 + MAX_PAYLOAD];
	struct side s[2] = { { 1000, 1001, 0, false }, { 9000, 9001, 0, false } };
	uint16_t port[2] = { 40000, server };
	tl_nsec ts = INT64_C(1700000000) * TL_NSEC_PER_SEC;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	uint32_t n;
	/* The handshake. */
	n = build(frame, 0, port[0], port[1], 1000, 0, TL_TH_SYN, NULL, 0);
	tl_model_frame(&m, DLT_RAW, frame, n, ts, &seg, &note, &has_note);
	n = build(frame, 1, port[1], port[0], 9000, 1001,
	          TL_TH_SYN | TL_TH_ACK, NULL, 0);
	tl_model_frame(&m, DLT_RAW, frame, n, ts += 1000000, &seg, &note,
	               &has_note);
	n = build(frame, 0, port[0], port[1], 1001, 9001, TL_TH_ACK, NULL, 0);
	tl_model_frame(&m, DLT_RAW, frame, n, ts += 1000000, &seg, &note,
	               &has_note);
	size_t pos = 2;
	const uint8_t *prev = NULL;
	uint32_t prev_len = 0, prev_seq = 0;
	int prev_dir = 0;
	for (unsigned k = 0; k < MAX_SEGMENTS && size - pos >= 4; k++) {
		const uint8_t *r = data + pos;
		int dir = r[0] & 1;
		uint32_t move = (uint32_t)r[1] + 1 + ((r[0] >> 6) << 8);
		uint32_t len = (uint32_t)(r[2] | (r[3] << 8)) % (MAX_PAYLOAD + 1);
		pos += 4;
		if (len > size - pos)
			len = (uint32_t)(size - pos);
		const uint8_t *payload = data + pos;
		pos += len;
		struct side *me = &s[dir], *peer = &s[!dir];
		uint32_t seq;
		if ((r[0] & 0x20) && prev && prev_dir == dir) {
			seq = prev_seq;             /* the same bytes again */
			payload = prev;
			len = prev_len;
		} else if ((r[0] & 0x10) && me->have_hole) {
			seq = me->hole;             /* fill the oldest hole */
			me->have_hole = false;
		} else {
			if ((r[0] & 0x08) && !me->have_hole) {
				me->hole = me->next;    /* leave a hole */
				me->have_hole = true;
				me->next += move;
			}
			seq = me->next;
			me->next += len;
		}
		uint8_t flags = TL_TH_ACK | (len ? TL_TH_PSH : 0);
		if (r[0] & 0x02)
			flags |= TL_TH_FIN;
		if (r[0] & 0x04)
			flags = TL_TH_RST | TL_TH_ACK;
		uint32_t ack = peer->have_hole ? peer->hole : peer->next;
		n = build(frame, dir, port[dir], port[!dir], seq, ack, flags,
		          payload, len);
		/* An exact-size copy: a read past the frame is caught. */
		uint8_t *exact = malloc(n);
		memcpy(exact, frame, n);
		tl_model_frame(&m, DLT_RAW, exact, n, ts += 100000, &seg,
		               &note, &has_note);
		free(exact);
		http_facts_read(m.app);
		if (flags & TL_TH_FIN)
			me->next++;
		prev = payload;
		prev_len = len;
		prev_seq = seq;
		prev_dir = dir;
	}
	/* Everything the views ask of the labels. */
	char buf[512];
	size_t len;
	for (uint32_t i = 0; i < m.segs.count; i++) {
		const struct tl_seg *sg = tl_segstore_get(&m.segs, i);
		const char *l = tl_app_label(m.app, sg->frame, &len);
		if (l && (len == 0 || len > TL_APP_LABEL_MAX ||
		          memchr(l, 0, len) != NULL))
			abort();    /* labels are short ASCII text */
	}
	for (uint32_t st = 0; st < m.tracker.stream_count; st++) {
		const struct tl_app_conn *c = tl_app_conn(m.app, st);
		if (!c)
			continue;
		(void)tl_app_proto_name(c->proto);
		tl_app_conn_summary(c, buf, sizeof buf);
		tl_app_conn_summary(c, buf, 12);
		for (uint32_t x = 0; x < c->stream_count; x++) {
			tl_app_stream_line(c, &c->streams[x], buf, sizeof buf);
			tl_app_stream_line(c, &c->streams[x], buf, 20);
		}
	}
	fuzz_render_all(&m, &opt);
	tl_model_free(&m);
	return 0;
}

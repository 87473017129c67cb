/* Application labels: the HTTP/1.x, HTTP/2 (HPACK through libnghttp2) and
 * text parsers on hand-built byte streams, reassembly around holes, the
 * receiver's head-of-line blocking seen in its ACKs, and truncated and
 * hostile input (every split point, every prefix, random bytes, absurd
 * lengths). Payloads are copied to exact-size heap blocks so that a
 * sanitizer build catches any read past them. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "tl_app.h"
#include "tl_decode.h"

struct rig {
	struct tl_app *a;
	struct tl_conn conn;
	uint32_t frame;         /* frames are 1-based; index = frame - 1 */
	uint32_t seq[2];        /* next relative seq per direction */
};

static void rig_init(struct rig *r, uint16_t client_port, uint16_t port)
{
	memset(r, 0, sizeof *r);
	r->a = tl_app_new();
	r->conn.stream = 0;
	r->conn.ip_version = 4;
	r->conn.port[0] = client_port;
	r->conn.port[1] = port;
	r->conn.dir[0].syn.seen = true;
	r->conn.dir[1].syn.seen = true;
	r->seq[0] = r->seq[1] = 1;
}

static void rig_free(struct rig *r)
{
	tl_app_free(r->a);
}

/* One segment from dir with seq and ack; caplen may be below len. */
static uint32_t seg_at(struct rig *r, unsigned dir, uint32_t seq,
                       uint32_t ack, unsigned flags, const void *data,
                       uint32_t len, uint32_t caplen)
{
	struct tl_seg s;
	memset(&s, 0, sizeof s);
	r->frame++;
	tl_seg_pack(&s, (int64_t)r->frame * 1000, flags, dir);
	s.frame = r->frame;
	s.seq = seq;
	s.ack = ack;
	s.len = (uint16_t)len;
	uint8_t *copy = caplen ? malloc(caplen) : NULL;
	if (caplen)
		memcpy(copy, data, caplen);
	tl_app_segment(r->a, &r->conn, &s, copy, caplen);
	free(copy);
	return r->frame;
}

/* In order: the next bytes of dir. */
static uint32_t send_bytes(struct rig *r, unsigned dir, const void *data,
                           uint32_t len)
{
	uint32_t f = seg_at(r, dir, r->seq[dir], r->seq[!dir],
	                    TL_TH_ACK | TL_TH_PSH, data, len, len);
	r->seq[dir] += len;
	return f;
}

static uint32_t send_str(struct rig *r, unsigned dir, const char *s)
{
	return send_bytes(r, dir, s, (uint32_t)strlen(s));
}

/* The label of a frame, "" when none. */
static const char *label(struct rig *r, uint32_t frame)
{
	static char buf[TL_APP_LABEL_MAX + 1];
	size_t len;
	const char *l = tl_app_label(r->a, frame, &len);
	if (!l)
		return "";
	memcpy(buf, l, len);
	buf[len] = '\0';
	return buf;
}

#define CHECK_HAS(hay, needle) \
	CHECK_MSG(strstr((hay), (needle)) != NULL, \
	          "\"%s\" does not contain \"%s\"", (hay), (needle))

static const struct tl_app_conn *conn0(struct rig *r)
{
	return tl_app_conn(r->a, 0);
}

/* ---- HTTP/1.1 ------------------------------------------------------------ */

static void test_http1_exchange(void)
{
	struct rig r;
	rig_init(&r, 41000, 8080);
	uint32_t f1 = send_str(&r, 0, "GET /files/1KB HTTP/1.1\r\nHost: "
	                       "192.0.2.2:8080\r\nAccept: */*\r\n\r\n");
	uint32_t f2 = send_str(&r, 1, "HTTP/1.1 200 OK\r\nContent-Length: "
	                       "10\r\nContent-Type: text/plain\r\n\r\n0123");
	uint32_t f3 = send_str(&r, 1, "456789");
	CHECK_STR(label(&r, f1), "GET /files/1KB");
	CHECK_STR(label(&r, f2), "200 OK (GET /files/1KB)");
	CHECK_STR(label(&r, f3), "body of GET /files/1KB");
	/* keep-alive: a second exchange, chunked, split everywhere */
	uint32_t f4 = send_str(&r, 0, "HEAD /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1"
	                       "\r\n\r\n");
	CHECK_STR(label(&r, f4), "HEAD /a, GET /b");
	uint32_t f5 = send_str(&r, 1, "HTTP/1.1 200 OK\r\nContent-Length: 99"
	                       "\r\n\r\nHTTP/1.1 404 Not Found\r\nTransfer-"
	                       "Encoding: chunked\r\n\r\n4\r\nabcd\r\n");
	CHECK_STR(label(&r, f5), "200 OK (HEAD /a), 404 Not Found (GET /b)");
	uint32_t f6 = send_str(&r, 1, "3;x=y\r\nefg\r\n0\r\n\r\n");
	CHECK_STR(label(&r, f6), "body of GET /b");
	const struct tl_app_conn *c = conn0(&r);
	CHECK(c != NULL);
	if (c) {
		CHECK_UINT(c->proto, TL_APP_HTTP1);
		CHECK_UINT(c->stream_count, 3);
		CHECK_UINT(c->streams[0].bytes, 10);
		CHECK(c->streams[0].ended);
		CHECK_UINT(c->streams[0].end_frame, f3);
		CHECK_UINT(c->streams[1].status, 200);
		CHECK(c->streams[1].ended);    /* HEAD: no body */
		CHECK_UINT(c->streams[2].status, 404);
		CHECK_UINT(c->streams[2].bytes, 7);
		CHECK(c->streams[2].ended);
		char sum[256];
		tl_app_conn_summary(c, sum, sizeof sum);
		CHECK_STR(sum, "HTTP/1.1, 3 requests");
	}
	rig_free(&r);
}

static void test_http1_split_lines(void)
{
	struct rig r;
	rig_init(&r, 41000, 80);
	uint32_t f1 = send_str(&r, 0, "GET /spl");
	uint32_t f2 = send_str(&r, 0, "it HTTP/1.1\r");
	uint32_t f3 = send_str(&r, 0, "\n\r\n");
	CHECK_STR(label(&r, f1), "");
	CHECK_STR(label(&r, f2), "");
	CHECK_STR(label(&r, f3), "GET /split");
	/* HTTP/1.0 style: no length, the body runs to the close */
	uint32_t f4 = send_str(&r, 1, "HTTP/1.0 200 OK\r\n\r\nabc");
	uint32_t f5 = send_str(&r, 1, "def");
	CHECK_STR(label(&r, f4), "200 OK (GET /split)");
	CHECK_STR(label(&r, f5), "body of GET /split");
	CHECK_UINT(conn0(&r)->streams[0].bytes, 6);
	rig_free(&r);
}

/* Every buffer a connection holds counts in tl_app_bytes (the view's
 * --max-memory), HTTP header blocks included, and forgetting it gives all
 * of it back. */
static void test_conn_bytes_counted(void)
{
	struct rig r;
	rig_init(&r, 41000, 80);
	tl_app_want_http(r.a);
	char big[3000];
	memset(big, 'a', sizeof big);
	memcpy(big, "X-Long: ", 8);
	send_str(&r, 0, "GET /a HTTP/1.1\r\nHost: h\r\n");
	/* What stays once it is forgotten: the table of connections. */
	uint64_t empty = (uint64_t)r.a->conn_cap * sizeof *r.a->conns;
	uint64_t one = tl_app_conn_bytes(r.a);
	CHECK(one > empty + 2 * 256);   /* two header lines' buffers */
	send_bytes(&r, 0, big, sizeof big);    /* a header line unfinished */
	uint64_t grown = tl_app_conn_bytes(r.a);
	CHECK_MSG(grown >= one + sizeof big, "%llu bytes after a %zu-byte line, "
	          "%llu before", (unsigned long long)grown, sizeof big,
	          (unsigned long long)one);
	tl_app_forget(r.a, 0);
	CHECK_UINT(tl_app_conn_bytes(r.a), empty);
	rig_free(&r);
}

static void test_not_http(void)
{
	struct rig r;
	rig_init(&r, 41000, 25);
	send_str(&r, 1, "220 mail.example ESMTP\r\n");
	uint32_t f = send_str(&r, 0, "EHLO client\r\n");
	CHECK_STR(label(&r, f), "");
	CHECK(conn0(&r) == NULL);
	rig_free(&r);
}

/* ---- echo, discard, daytime ----------------------------------------------- */

static void test_text_protocols(void)
{
	struct rig r;
	rig_init(&r, 41000, 9);
	uint32_t f = send_str(&r, 0, "Hello, \"discard\"\r\n\x01\xff");
	CHECK_STR(label(&r, f), "\"Hello, \\\"discard\\\"\\r\\n..\"");
	char longer[300];
	memset(longer, 'x', sizeof longer);
	f = send_bytes(&r, 0, longer, sizeof longer);
	CHECK_UINT(strlen(label(&r, f)), 62);       /* 60 and the quotes */
	CHECK_HAS(label(&r, f), "...\"");
	/* the same bytes again (a retransmission) are labelled too */
	f = seg_at(&r, 0, 1, 1, TL_TH_ACK, "Hello", 5, 5);
	CHECK_STR(label(&r, f), "\"Hello\"");
	/* cut by the snap length */
	f = seg_at(&r, 0, r.seq[0], 1, TL_TH_ACK, "abc", 10, 3);
	CHECK_STR(label(&r, f), "\"abc\" (cut)");
	rig_free(&r);

	rig_init(&r, 13, 41000);      /* daytime, server on side 0 */
	f = send_str(&r, 0, "Friday, November 27, 2026 03:30:09-UTC\r\n");
	CHECK_STR(label(&r, f),
	          "\"Friday, November 27, 2026 03:30:09-UTC\\r\\n\"");
	CHECK_UINT(conn0(&r)->proto, TL_APP_DAYTIME);
	rig_free(&r);
}

/* ---- HTTP/2 -------------------------------------------------------------- */

static const char preface[] = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/* Appends a frame header and payload to buf at *n. */
static void frame(uint8_t *buf, size_t *n, uint32_t len, uint8_t type,
                  uint8_t flags, uint32_t sid, const void *payload)
{
	uint8_t *p = buf + *n;
	p[0] = (uint8_t)(len >> 16);
	p[1] = (uint8_t)(len >> 8);
	p[2] = (uint8_t)len;
	p[3] = type;
	p[4] = flags;
	p[5] = (uint8_t)(sid >> 24);
	p[6] = (uint8_t)(sid >> 16);
	p[7] = (uint8_t)(sid >> 8);
	p[8] = (uint8_t)sid;
	if (len && payload)
		memcpy(p + 9, payload, len);
	else if (len)
		memset(p + 9, 'd', len);
	*n += 9 + len;
}

/* :method GET, :scheme http, literal :path (static name 4). */
static size_t req_block(uint8_t *out, const char *path)
{
	size_t n = 0, len = strlen(path);
	out[n++] = 0x82;
	out[n++] = 0x86;
	out[n++] = 0x04;
	out[n++] = (uint8_t)len;
	memcpy(out + n, path, len);
	return n + len;
}

/* A client stream: preface, SETTINGS, HEADERS for two paths. */
static size_t h2_client(uint8_t *buf)
{
	size_t n = 0;
	uint8_t blk[64], settings[6] = { 0, 3, 0, 0, 0, 100 };
	memcpy(buf, preface, 24);
	n = 24;
	frame(buf, &n, 6, 4, 0, 0, settings);
	size_t b = req_block(blk, "/files/1KB");
	frame(buf, &n, (uint32_t)b, 1, 0x5, 1, blk);
	b = req_block(blk, "/files/1000KB");
	frame(buf, &n, (uint32_t)b, 1, 0x5, 3, blk);
	return n;
}

/* The server: SETTINGS, HEADERS :status 200 on 3 then 1, DATA. */
static size_t h2_server(uint8_t *buf)
{
	size_t n = 0;
	uint8_t st200 = 0x88, wu[4] = { 0, 0, 0x10, 0 };
	frame(buf, &n, 0, 4, 0, 0, NULL);
	frame(buf, &n, 0, 4, 1, 0, NULL);
	frame(buf, &n, 1, 1, 0x4, 3, &st200);
	frame(buf, &n, 1, 1, 0x4, 1, &st200);
	frame(buf, &n, 30, 0, 0, 3, NULL);
	frame(buf, &n, 10, 0, 1, 1, NULL);
	frame(buf, &n, 20, 0, 1, 3, NULL);
	frame(buf, &n, 4, 8, 0, 0, wu);
	return n;
}

static void test_h2_prior_knowledge(void)
{
	struct rig r;
	uint8_t c[512], s[512];
	size_t cn = h2_client(c), sn = h2_server(s);
	rig_init(&r, 41000, 8080);
	uint32_t f1 = send_bytes(&r, 0, c, (uint32_t)cn);
	uint32_t f2 = send_bytes(&r, 1, s, 50);          /* mid DATA[3] */
	uint32_t f3 = send_bytes(&r, 1, s + 50, (uint32_t)sn - 50);
	const char *l1 = label(&r, f1);
	CHECK_HAS(l1, "PREFACE, SETTINGS[0] len=6 MAX_CONCURRENT_STREAMS=100");
#ifdef HAVE_NGHTTP2
	CHECK_HAS(l1, "HEADERS[1] len=14 END_STREAM END_HEADERS :method GET "
	          ":path /files/1KB");
	CHECK_HAS(l1, ":path /files/1000KB");
	CHECK_HAS(label(&r, f2), "HEADERS[3] len=1 END_HEADERS :status 200");
#endif
	CHECK_HAS(label(&r, f2), "SETTINGS[0] len=0 ACK");
	CHECK_HAS(label(&r, f2), "DATA[3] len=30");
	const char *l3 = label(&r, f3);
	CHECK_HAS(l3, "DATA[3] cont.");
	CHECK_HAS(l3, "DATA[1] len=10 END_STREAM");
	CHECK_HAS(l3, "WINDOW_UPDATE[0] +4096");
	const struct tl_app_conn *cc = conn0(&r);
	CHECK(cc && cc->proto == TL_APP_HTTP2);
	if (cc) {
		CHECK_UINT(cc->stream_count, 2);
		const struct tl_app_stream *s1 = &cc->streams[0];
		const struct tl_app_stream *s3 = &cc->streams[1];
		CHECK_UINT(s1->id, 1);
		CHECK_UINT(s3->id, 3);
		CHECK_UINT(s1->bytes, 10);
		CHECK_UINT(s3->bytes, 50);
		CHECK(s1->ended && s3->ended);
		CHECK_UINT(s1->end_frame, f3);
		CHECK_UINT(s3->start_frame, f2);
#ifdef HAVE_NGHTTP2
		CHECK_STR(s1->request, "GET /files/1KB");
		CHECK_UINT(s1->status, 200);
		char line[512];
		tl_app_stream_line(cc, s3, line, sizeof line);
		CHECK_HAS(line, "[3] GET /files/1000KB");
		CHECK_HAS(line, "50 B");
#endif
	}
	rig_free(&r);
}

/* The capture has a hole: bytes beyond it wait, the filler releases them. */
static void test_h2_capture_hole(void)
{
	struct rig r;
	uint8_t c[512], s[512];
	size_t cn = h2_client(c), sn = h2_server(s);
	rig_init(&r, 41000, 8080);
	send_bytes(&r, 0, c, (uint32_t)cn);
	uint32_t base = r.seq[1];
	uint32_t a = 30, b = 60;                         /* split points */
	seg_at(&r, 1, base, r.seq[0], TL_TH_ACK, s, a, a);
	uint32_t f3 = seg_at(&r, 1, base + b, r.seq[0], TL_TH_ACK, s + b,
	                     (uint32_t)sn - b, (uint32_t)sn - b);
	CHECK_STR(label(&r, f3), "");                    /* held */
	CHECK(r.a->buffered > 0);
	uint32_t f2 = seg_at(&r, 1, base + a, r.seq[0], TL_TH_ACK, s + a,
	                     b - a, b - a);
	CHECK_HAS(label(&r, f2), "fills a hole: releases frame");
	CHECK_HAS(label(&r, f2), "head-of-line blocked");
	CHECK_UINT(r.a->late_count, 1);
	CHECK_UINT(r.a->late[0], f3);
	CHECK_HAS(label(&r, f3), "(held until frame");
	CHECK_UINT(r.a->buffered, 0);
	const struct tl_app_conn *cc = conn0(&r);
	CHECK_UINT(cc->holes_filled, 1);
	CHECK(cc->streams[0].ended && cc->streams[1].ended);
	/* a retransmission of what was already delivered changes nothing */
	uint32_t f4 = seg_at(&r, 1, base, r.seq[0], TL_TH_ACK, s, a, a);
	CHECK_STR(label(&r, f4), "");
	rig_free(&r);
}

/* The capture has everything; the receiver lost a segment: its ACK stalls,
 * then jumps past the retransmission. */
static void test_receiver_hol(void)
{
	struct rig r;
	uint8_t c[512], s[512];
	size_t cn = h2_client(c), sn = h2_server(s);
	rig_init(&r, 41000, 8080);
	uint32_t cend = 1 + (uint32_t)cn;
	send_bytes(&r, 0, c, (uint32_t)cn);
	uint32_t a = 60;
	uint32_t f1 = seg_at(&r, 1, 1, cend, TL_TH_ACK, s, a, a);
	seg_at(&r, 1, 1 + a, cend, TL_TH_ACK, s + a, (uint32_t)sn - a,
	       (uint32_t)sn - a);
	seg_at(&r, 0, cend, 1, TL_TH_ACK, NULL, 0, 0);   /* dup ACK */
	uint32_t rx = seg_at(&r, 1, 1, cend, TL_TH_ACK, s, a, a);
	uint32_t jump = seg_at(&r, 0, cend, 1 + (uint32_t)sn, TL_TH_ACK,
	                       NULL, 0, 0);
	(void)f1;
	char want[64];
	snprintf(want, sizeof want, "retransmission in frame %u", rx);
	CHECK_HAS(label(&r, jump), want);
	CHECK_HAS(label(&r, jump), "released at once");
	CHECK_HAS(label(&r, jump), "head-of-line blocked s3 s1");
	CHECK_UINT(conn0(&r)->holes_filled, 1);
	CHECK_UINT(conn0(&r)->streams[0].held, 1);
	rig_free(&r);
}

static void test_h2c_upgrade(void)
{
	struct rig r;
	rig_init(&r, 41000, 8080);
	uint32_t f1 = send_str(&r, 0, "GET /files/5KB HTTP/1.1\r\nHost: x\r\n"
	                       "Connection: Upgrade, HTTP2-Settings\r\n"
	                       "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQ\r\n"
	                       "\r\n");
	uint8_t s[256];
	const char *sw = "HTTP/1.1 101 Switching Protocols\r\nConnection: "
	                 "Upgrade\r\nUpgrade: h2c\r\n\r\n";
	size_t n = strlen(sw);
	uint8_t st200 = 0x88;
	memcpy(s, sw, n);
	frame(s, &n, 0, 4, 0, 0, NULL);
	frame(s, &n, 1, 1, 0x4, 1, &st200);
	frame(s, &n, 5, 0, 1, 1, "hello");
	uint32_t f2 = send_bytes(&r, 1, s, (uint32_t)n);
	uint8_t c[64];
	size_t cn = 24;
	memcpy(c, preface, 24);
	frame(c, &cn, 0, 4, 1, 0, NULL);
	uint32_t f3 = send_bytes(&r, 0, c, (uint32_t)cn);
	CHECK_STR(label(&r, f1), "GET /files/5KB");
	CHECK_HAS(label(&r, f2), "101 Switching Protocols (GET /files/5KB), "
	          "SETTINGS[0] len=0");
	CHECK_HAS(label(&r, f2), "DATA[1] len=5 END_STREAM");
	CHECK_STR(label(&r, f3), "PREFACE, SETTINGS[0] len=0 ACK");
	const struct tl_app_conn *cc = conn0(&r);
	CHECK_UINT(cc->proto, TL_APP_HTTP2);
	CHECK(cc->upgraded);
	CHECK_UINT(cc->stream_count, 1);
	CHECK_UINT(cc->streams[0].id, 1);
	CHECK_UINT(cc->streams[0].bytes, 5);
	CHECK(cc->streams[0].ended);
#ifdef HAVE_NGHTTP2
	CHECK_UINT(cc->streams[0].status, 200);
#endif
	rig_free(&r);
}

/* ---- truncated and hostile input ------------------------------------------ */

/* Every stream split at every point, and cut at every length: no crash,
 * no read past the segment (under ASan), never more than one label per
 * segment. */
static void test_every_split(void)
{
	uint8_t c[512], s[512];
	size_t cn = h2_client(c), sn = h2_server(s);
	const char *h1 = "GET /x HTTP/1.1\r\n\r\n";
	const char *h1r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
	                  "\r\n5\r\nhello\r\n0\r\n\r\n";
	for (int kind = 0; kind < 2; kind++) {
		const uint8_t *cb = kind ? (const uint8_t *)h1 : c;
		const uint8_t *sb = kind ? (const uint8_t *)h1r : s;
		uint32_t cl = kind ? (uint32_t)strlen(h1) : (uint32_t)cn;
		uint32_t sl = kind ? (uint32_t)strlen(h1r) : (uint32_t)sn;
		for (uint32_t cut = 1; cut < sl; cut++) {
			struct rig r;
			rig_init(&r, 41000, 8080);
			send_bytes(&r, 0, cb, cl);
			send_bytes(&r, 1, sb, cut);
			send_bytes(&r, 1, sb + cut, sl - cut);
			const struct tl_app_conn *cc = conn0(&r);
			CHECK_MSG(cc && cc->stream_count >= 1 &&
			          cc->streams[0].ended,
			          "kind %d split at %u", kind, cut);
			rig_free(&r);
			/* the same prefix alone, then cut by the snap length */
			rig_init(&r, 41000, 8080);
			send_bytes(&r, 0, cb, cl);
			send_bytes(&r, 1, sb, cut);
			uint32_t f = seg_at(&r, 1, r.seq[1], 1, TL_TH_ACK,
			                    sb + cut, sl - cut, (sl - cut) / 2);
			CHECK_HAS(label(&r, f), "payload not captured");
			rig_free(&r);
		}
	}
}

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

static void test_random_bytes(void)
{
	uint32_t x = 42;
	for (int round = 0; round < 300; round++) {
		struct rig r;
		rig_init(&r, 41000, 8080);
		uint8_t buf[1500];
		/* Start like HTTP so the parsers engage, then noise. */
		int mode = round % 3;
		size_t n = 0;
		if (mode == 0) {
			memcpy(buf, preface, 24);
			n = 24;
		} else if (mode == 1) {
			memcpy(buf, "GET / HTTP/1.1\r\n", 16);
			n = 16;
		}
		send_bytes(&r, 0, buf, (uint32_t)n ? (uint32_t)n : 1);
		for (int k = 0; k < 20; k++) {
			uint32_t len = 1 + lcg(&x) % sizeof buf;
			for (uint32_t i = 0; i < len; i++)
				buf[i] = (uint8_t)lcg(&x);
			unsigned dir = lcg(&x) & 1;
			if (lcg(&x) % 5 == 0) {
				/* out of order, or a gap */
				seg_at(&r, dir, r.seq[dir] + lcg(&x) % 5000,
				       1, TL_TH_ACK, buf, len, len);
			} else {
				send_bytes(&r, dir, buf, len);
			}
			seg_at(&r, !dir, r.seq[!dir], r.seq[dir] - lcg(&x) % 3000,
			       TL_TH_ACK, NULL, 0, 0);
		}
		rig_free(&r);
	}
	CHECK(1);
}

static void test_hostile_frames(void)
{
	struct rig r;
	uint8_t buf[4096];
	size_t n = 0;
	/* a 16 MB DATA frame, HEADERS whose padding is longer than the
	 * frame, a CONTINUATION out of nowhere, a bad HPACK block */
	rig_init(&r, 41000, 8080);
	memcpy(buf, preface, 24);
	n = 24;
	uint8_t pad[3] = { 200, 0x82, 0x84 };
	frame(buf, &n, 3, 1, 0x8 | 0x4, 1, pad);
	frame(buf, &n, 2, 9, 0x4, 1, "\xff\xff");
	uint8_t bad[4] = { 0xff, 0xff, 0xff, 0xff };
	frame(buf, &n, 4, 1, 0x4, 3, bad);
	uint8_t huge[9] = { 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 5 };
	memcpy(buf + n, huge, 9);
	n += 9;
	uint32_t f = send_bytes(&r, 0, buf, (uint32_t)n);
	const char *l = label(&r, f);
	CHECK_HAS(l, "(padding longer than the frame)");
	CHECK_HAS(l, "DATA[5] len=16777215");
	for (int i = 0; i < 10; i++) {
		memset(buf, 'z', sizeof buf);
		send_bytes(&r, 0, buf, sizeof buf);
	}
	rig_free(&r);

	/* an HTTP line longer than we keep */
	rig_init(&r, 41000, 80);
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "GET /", 5);
	uint32_t last = 0;
	for (int i = 0; i < 3; i++)
		last = send_bytes(&r, 0, buf, sizeof buf);
	CHECK_HAS(label(&r, last), "HTTP line too long; labels stop here");
	rig_free(&r);

	/* a gap larger than the window: stop following, free the bytes */
	rig_init(&r, 41000, 80);
	send_str(&r, 0, "GET / HTTP/1.1\r\n");
	f = seg_at(&r, 0, r.seq[0] + 100, 1, TL_TH_ACK, "x", 1, 1);
	CHECK_STR(label(&r, f), "");
	f = seg_at(&r, 0, r.seq[0] + TL_APP_WINDOW + 10, 1, TL_TH_ACK, "x", 1,
	           1);
	CHECK_HAS(label(&r, f), "stopped following");
	CHECK_UINT(r.a->buffered, 0);
	rig_free(&r);

	/* more streams than we keep */
	rig_init(&r, 41000, 8080);
	send_bytes(&r, 0, preface, 24);
	for (uint32_t sid = 1; sid < 2 * TL_APP_MAX_STREAMS + 10; sid += 2) {
		n = 0;
		frame(buf, &n, 0, 1, 0x5, sid, NULL);
		send_bytes(&r, 1, buf, (uint32_t)n);
	}
	CHECK_UINT(conn0(&r)->stream_count, TL_APP_MAX_STREAMS);
	CHECK_UINT(conn0(&r)->streams_dropped, 5);
	rig_free(&r);

	/* a huge Content-Length and chunk sizes */
	rig_init(&r, 41000, 80);
	send_str(&r, 0, "GET / HTTP/1.1\r\n\r\n");
	send_str(&r, 1, "HTTP/1.1 200 OK\r\nContent-Length: "
	         "99999999999999999999999\r\n\r\nabc");
	send_str(&r, 1, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	         "fffffffffffffffffff\r\nabc");
	CHECK(conn0(&r) != NULL);
	rig_free(&r);
}

static void test_labels_table(void)
{
	struct tl_app *a = tl_app_new();
	struct rig r;
	rig_init(&r, 41000, 9);
	tl_app_free(r.a);
	r.a = a;
	/* labels added out of order stay sorted; lookups by frame */
	r.frame = 10;
	seg_at(&r, 0, 1, 1, TL_TH_ACK, "b", 1, 1);
	r.frame = 4;
	seg_at(&r, 0, 1, 1, TL_TH_ACK, "a", 1, 1);
	CHECK_UINT(a->label_count, 2);
	CHECK_UINT(a->labels[0].frame, 5);
	size_t len;
	const char *l = tl_app_label(a, 11, &len);
	CHECK(l && len == 3 && !memcmp(l, "\"b\"", 3));
	CHECK(tl_app_label(a, 7, &len) == NULL);
	tl_app_clear_labels(a);
	CHECK(tl_app_label(a, 4, &len) == NULL);
	rig_free(&r);
	CHECK(tl_app_label(NULL, 0, &len) == NULL);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_conn_bytes_counted),
	CHECK_TEST(test_http1_exchange),
	CHECK_TEST(test_http1_split_lines),
	CHECK_TEST(test_not_http),
	CHECK_TEST(test_text_protocols),
	CHECK_TEST(test_h2_prior_knowledge),
	CHECK_TEST(test_h2_capture_hole),
	CHECK_TEST(test_receiver_hol),
	CHECK_TEST(test_h2c_upgrade),
	CHECK_TEST(test_every_split),
	CHECK_TEST(test_random_bytes),
	CHECK_TEST(test_hostile_frames),
	CHECK_TEST(test_labels_table),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

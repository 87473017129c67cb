/* The follow reassembly (src/model/follow.c): each rule of tl_follow.h on a
 * hand-made segment sequence, the memory bound, the -z parser, and the
 * hex dump line as tshark prints it. tests/follow.sh compares whole
 * captures with tshark. */
#include "config.h"

#include <stdlib.h>

#include "check.h"
#include "tl_decode.h"
#include "tl_follow.h"

static const uint8_t A[4] = { 192, 0, 2, 1 }, B[4] = { 192, 0, 2, 2 };

/* A segment from the client (dir 0) or the server (dir 1). */
static void seg(struct tl_follow *f, int dir, uint32_t frame, uint16_t flags,
                uint32_t seq, uint32_t ack, const char *data, uint32_t len)
{
	struct tl_follow_seg s = {
		.frame = frame, .ip_version = 4,
		.src = dir ? B : A, .dst = dir ? A : B,
		.sport = dir ? 80 : 40000, .dport = dir ? 40000 : 80,
		.flags = flags, .seq = seq, .ack = ack, .seglen = len,
		.payload = (const uint8_t *)data, .caplen = len,
	};
	tl_follow_add(f, &s);
}

/* The node's bytes, chunks joined, gaps as "<N>". */
static const char *joined(const struct tl_follow *f, unsigned node)
{
	static char buf[4096];
	size_t n = 0;
	for (uint32_t i = 0; i < f->count; i++) {
		const struct tl_follow_chunk *c = &f->chunks[i];
		if (c->node != node)
			continue;
		if (c->gap)
			n += (size_t)snprintf(buf + n, sizeof buf - n, "<%u>",
			                      c->missing);
		else
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%.*s",
			                      (int)c->len,
			                      (const char *)f->data + c->off);
	}
	buf[n] = '\0';
	return buf;
}

static void handshake(struct tl_follow *f)
{
	seg(f, 0, 1, TL_TH_SYN, 0, 0, "", 0);
	seg(f, 1, 2, TL_TH_SYN | TL_TH_ACK, 0, 1, "", 0);
	seg(f, 0, 3, TL_TH_ACK, 1, 1, "", 0);
}

static void test_in_order_and_retransmission(void)
{
	struct tl_follow f;
	tl_follow_init(&f, 0);
	handshake(&f);
	seg(&f, 0, 4, TL_TH_ACK, 1, 1, "hello", 5);
	seg(&f, 0, 5, TL_TH_ACK, 1, 1, "hello world", 11);  /* more data */
	seg(&f, 0, 6, TL_TH_ACK, 1, 1, "hello", 5);         /* nothing new */
	CHECK_STR(joined(&f, 0), "hello world");
	CHECK_UINT(f.count, 2);
	CHECK_UINT(f.chunks[1].frame, 5);
	CHECK_UINT(f.chunks[1].seq, 6);
	tl_follow_free(&f);
}

static void test_out_of_order(void)
{
	struct tl_follow f;
	tl_follow_init(&f, 0);
	handshake(&f);
	seg(&f, 0, 4, TL_TH_ACK, 6, 1, "world", 5);
	CHECK_UINT(f.count, 0);         /* waits for bytes 1..5 */
	seg(&f, 0, 5, TL_TH_ACK, 1, 1, "hello", 5);
	CHECK_STR(joined(&f, 0), "helloworld");
	CHECK_UINT(f.chunks[0].frame, 5);
	CHECK_UINT(f.chunks[1].frame, 4);
	tl_follow_free(&f);
}

static void test_gap_acknowledged(void)
{
	struct tl_follow f;
	tl_follow_init(&f, 0);
	handshake(&f);
	seg(&f, 0, 4, TL_TH_ACK, 11, 1, "late", 4);
	seg(&f, 1, 5, TL_TH_ACK, 1, 5, "", 0);  /* ACK below it: no gap */
	CHECK_UINT(f.count, 0);
	seg(&f, 1, 6, TL_TH_ACK, 1, 15, "", 0); /* beyond: bytes were lost */
	CHECK_STR(joined(&f, 0), "<10>late");
	CHECK_UINT(f.chunks[0].frame, 6);
	/* tshark's text and a NUL, so the output agrees byte for byte. */
	CHECK_UINT(f.chunks[0].len, sizeof "[10 bytes missing in capture file]");
	CHECK(!memcmp(f.data + f.chunks[0].off,
	              "[10 bytes missing in capture file]", 35));
	tl_follow_free(&f);
}

static void test_keepalive_and_probe(void)
{
	struct tl_follow f;
	tl_follow_init(&f, 0);
	handshake(&f);
	seg(&f, 0, 4, TL_TH_ACK, 1, 1, "abc", 3);
	seg(&f, 0, 5, TL_TH_ACK, 3, 1, "c", 1);        /* keep-alive */
	seg(&f, 0, 6, TL_TH_ACK, 4, 1, "d", 1);        /* window probe */
	seg(&f, 0, 7, TL_TH_ACK, 4, 1, "def", 3);      /* and the rest */
	CHECK_STR(joined(&f, 0), "abcdef");
	CHECK_UINT(f.count, 3);
	tl_follow_free(&f);
}

static void test_wrap_and_syn_data(void)
{
	struct tl_follow f;
	tl_follow_init(&f, 0);
	/* Relative numbers wrap too when the ISN sits near the top (they do
	 * not, but absolute ones fed here must behave the same). */
	seg(&f, 0, 1, TL_TH_SYN, 0xfffffffd, 0, "ab", 2); /* SYN with data */
	seg(&f, 0, 2, TL_TH_ACK, 0x00000000, 0, "cd", 2);
	seg(&f, 0, 3, TL_TH_ACK, 0xffffffff, 0, "bcde", 4);
	CHECK_STR(joined(&f, 0), "abcde");
	tl_follow_free(&f);
}

static void test_nodes(void)
{
	struct tl_follow f;
	char name[80];
	tl_follow_init(&f, 0);
	tl_follow_node_name(&f, 0, name, sizeof name);
	CHECK_STR(name, ":0");
	seg(&f, 1, 1, TL_TH_ACK, 1, 1, "daytime\r\n", 9);  /* server first */
	tl_follow_node_name(&f, 0, name, sizeof name);
	CHECK_STR(name, "192.0.2.2:80");
	CHECK_UINT(f.chunks[0].node, 0);
	tl_follow_free(&f);
}

static void test_bounded(void)
{
	struct tl_follow f;
	static char big[60000];
	tl_follow_init(&f, 100000);
	handshake(&f);
	for (uint32_t i = 0; i < 10; i++)
		seg(&f, 0, 4 + i, TL_TH_ACK, 1 + i * 60000, 1, big, 60000);
	CHECK(f.full);
	CHECK(tl_follow_bytes(&f) <= 100000);
	CHECK(f.count < 10);
	tl_follow_free(&f);
}

static void test_spec(void)
{
	struct tl_follow_spec s;
	char err[256];
	CHECK(tl_follow_spec_parse(&s, "follow,tcp,raw,12", err, sizeof err));
	CHECK(!s.by_address && s.stream == 12 && s.mode == TL_FOLLOW_RAW);
	CHECK(tl_follow_spec_parse(&s, "follow,tcp,hex,[2001:db8::1]:80,"
	                           "[2001:db8::2]:443", err, sizeof err));
	CHECK(s.by_address && s.ip_version == 6 && s.port[1] == 443);
	CHECK(tl_follow_spec_parse(&s, "follow,tcp,ascii,192.0.2.1:1,"
	                           "192.0.2.2:2", err, sizeof err));
	CHECK(s.ip_version == 4 && s.port[0] == 1);
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw", err, sizeof err));
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw,", err, sizeof err));
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw,-1", err, sizeof err));
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw,1,2", err, sizeof err));
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw,192.0.2.1:70000,"
	                            "192.0.2.2:1", err, sizeof err));
	CHECK(!tl_follow_spec_parse(&s, "follow,tcp,raw,[::1:80,[::2]:1",
	                            err, sizeof err));
}

static void test_hex_line(void)
{
	char out[96], want[96];
	/* The ASCII starts at column 60 whatever the bytes on the line. */
	size_t n = tl_follow_hex_line(0x1a0, (const uint8_t *)"Hello, d\x01",
	                              9, out);
	snprintf(want, sizeof want, "%-60s%s",
	         "000001A0  48 65 6c 6c 6f 2c 20 64  01", "Hello, d .");
	CHECK_STR(out, want);
	CHECK_UINT(n, strlen(out));
	/* Eight bytes: the space after the eighth is dropped. */
	tl_follow_hex_line(0, (const uint8_t *)"abcdefgh", 8, out);
	snprintf(want, sizeof want, "%-60s%s",
	         "00000000  61 62 63 64 65 66 67 68", "abcdefgh");
	CHECK_STR(out, want);
	/* Sixteen. */
	tl_follow_hex_line(0, (const uint8_t *)"0123456789abcdef", 16, out);
	CHECK_STR(out, "00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 "
	               "64 65 66  01234567 89abcdef");
}

/* ---- HTTP/2 frames (the follow view's frame view) ---------------------- */

#define PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

/* A frame header: length, type, flags, stream id. */
static void h2hdr(char *out, uint32_t len, unsigned type, unsigned flags,
                  uint32_t sid)
{
	out[0] = (char)(len >> 16);
	out[1] = (char)(len >> 8);
	out[2] = (char)len;
	out[3] = (char)type;
	out[4] = (char)flags;
	out[5] = (char)(sid >> 24);
	out[6] = (char)(sid >> 16);
	out[7] = (char)(sid >> 8);
	out[8] = (char)sid;
}

static void test_h2_prior_knowledge(void)
{
	struct tl_follow f;
	struct tl_follow_h2 h;
	char c[64], s[64];
	tl_follow_init(&f, 0);
	tl_follow_h2_init(&h, 0);
	handshake(&f);
	/* Preface and SETTINGS, the SETTINGS header cut after 4 bytes. */
	memcpy(c, PREFACE, 24);
	h2hdr(c + 24, 0, 4, 0, 0);
	seg(&f, 0, 4, TL_TH_ACK, 1, 1, c, 28);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 1);
	CHECK_UINT(h.frames[0].kind, TL_H2_PREFACE);
	CHECK_UINT(h.frames[0].frame, 4);
	seg(&f, 0, 5, TL_TH_ACK, 29, 1, c + 28, 5);
	/* The server: two SETTINGS in one segment, the second an ACK. */
	h2hdr(s, 6, 4, 0, 0);
	memcpy(s + 9, "\0\3\0\0\0\x64", 6);
	h2hdr(s + 15, 0, 4, 1, 0);
	seg(&f, 1, 6, TL_TH_ACK, 1, 34, s, 24);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 4);
	CHECK_UINT(h.frames[1].kind, TL_H2_FRAME);
	CHECK_UINT(h.frames[1].type, 4);
	CHECK_UINT(h.frames[1].frame, 5);      /* its header completed there */
	CHECK_UINT(h.frames[1].end_frame, 5);
	CHECK_UINT(h.frames[2].node, 1);
	CHECK_UINT(h.frames[2].len, 6);
	CHECK_UINT(h.frames[2].nth, 0);
	CHECK_UINT(h.frames[3].flags, 1);
	CHECK_UINT(h.frames[3].nth, 1);        /* the second SETTINGS[0] */
	/* DATA of 1000 bytes over three segments: one record, ended by the
	 * last. */
	static char d[1009];
	h2hdr(d, 1000, 0, 1, 1);
	seg(&f, 1, 7, TL_TH_ACK, 25, 34, d, 400);
	seg(&f, 1, 8, TL_TH_ACK, 425, 34, d + 400, 400);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 5);
	CHECK_UINT(h.frames[4].end_frame, 0);  /* not complete yet */
	seg(&f, 1, 9, TL_TH_ACK, 825, 34, d + 800, 209);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 5);
	CHECK_UINT(h.frames[4].sid, 1);
	CHECK_UINT(h.frames[4].len, 1000);
	CHECK_UINT(h.frames[4].frame, 7);
	CHECK_UINT(h.frames[4].end_frame, 9);
	tl_follow_h2_free(&h);
	tl_follow_free(&f);
}

static void test_h2_upgrade_and_gap(void)
{
	struct tl_follow f;
	struct tl_follow_h2 h;
	char c[160], s[160];
	tl_follow_init(&f, 0);
	tl_follow_h2_init(&h, 0);
	handshake(&f);
	static const char req[] = "GET / HTTP/1.1\r\nUpgrade: h2c\r\n\r\n";
	static const char ans[] = "HTTP/1.1 101 Switching Protocols\r\n"
	                          "Upgrade: h2c\r\n\r\n";
	size_t rl = sizeof req - 1, al = sizeof ans - 1;
	memcpy(c, req, rl);
	seg(&f, 0, 4, TL_TH_ACK, 1, 1, c, (uint32_t)rl);
	memcpy(s, ans, al);
	h2hdr(s + al, 0, 4, 0, 0);
	seg(&f, 1, 5, TL_TH_ACK, 1, (uint32_t)rl + 1, s, (uint32_t)al + 9);
	memcpy(c, PREFACE, 24);
	h2hdr(c + 24, 0, 4, 0, 0);
	seg(&f, 0, 6, TL_TH_ACK, (uint32_t)rl + 1, (uint32_t)al + 10, c, 33);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 5);
	CHECK_UINT(h.frames[0].kind, TL_H2_HTTP1);      /* the GET */
	CHECK_UINT(h.frames[0].frame, 4);
	CHECK_UINT(h.frames[1].kind, TL_H2_HTTP1);      /* the 101 */
	CHECK_UINT(h.frames[1].node, 1);
	CHECK_UINT(h.frames[2].node, 1);       /* after the 101's head */
	CHECK_UINT(h.frames[2].kind, TL_H2_FRAME);
	CHECK_UINT(h.frames[3].kind, TL_H2_PREFACE);    /* after the GET */
	CHECK_UINT(h.frames[3].frame, 6);
	CHECK_UINT(h.frames[4].kind, TL_H2_FRAME);
	/* Bytes of the server lost (acknowledged, not captured): framing
	 * stops there, said once. */
	uint32_t next = (uint32_t)al + 10;
	h2hdr(s, 0, 4, 1, 0);
	seg(&f, 1, 7, TL_TH_ACK, next + 9, (uint32_t)rl + 34, s, 9);
	seg(&f, 0, 8, TL_TH_ACK, (uint32_t)rl + 34, next + 18, "", 0);
	seg(&f, 1, 9, TL_TH_ACK, next + 18, (uint32_t)rl + 34, s, 9);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 6);
	CHECK_UINT(h.frames[5].kind, TL_H2_LOST);
	CHECK_UINT(h.frames[5].node, 1);
	/* The client still reads. */
	h2hdr(c, 0, 4, 1, 0);
	seg(&f, 0, 10, TL_TH_ACK, (uint32_t)rl + 34, next + 27, c, 9);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 7);
	CHECK_UINT(h.frames[6].node, 0);
	CHECK_UINT(h.frames[6].flags, 1);
	tl_follow_h2_free(&h);
	tl_follow_free(&f);
}

static void test_h2_bounded(void)
{
	struct tl_follow f;
	struct tl_follow_h2 h;
	static char c[24 + 9 * 100];
	tl_follow_init(&f, 0);
	tl_follow_h2_init(&h, 10);
	handshake(&f);
	memcpy(c, PREFACE, 24);
	for (unsigned i = 0; i < 100; i++)
		h2hdr(c + 24 + 9 * i, 0, 6, 0, 0);      /* empty PINGs */
	seg(&f, 0, 4, TL_TH_ACK, 1, 1, c, sizeof c);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 10);
	CHECK_UINT(h.frames[9].kind, TL_H2_FULL);
	CHECK_UINT(h.frames[8].kind, TL_H2_FRAME);
	seg(&f, 1, 5, TL_TH_ACK, 1, 1 + sizeof c, c + 24, 9);
	tl_follow_h2_update(&h, &f);
	CHECK_UINT(h.count, 10);                /* nothing after the end */
	tl_follow_h2_free(&h);
	tl_follow_free(&f);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_in_order_and_retransmission),
	CHECK_TEST(test_out_of_order),
	CHECK_TEST(test_gap_acknowledged),
	CHECK_TEST(test_keepalive_and_probe),
	CHECK_TEST(test_wrap_and_syn_data),
	CHECK_TEST(test_nodes),
	CHECK_TEST(test_bounded),
	CHECK_TEST(test_spec),
	CHECK_TEST(test_hex_line),
	CHECK_TEST(test_h2_prior_knowledge),
	CHECK_TEST(test_h2_upgrade_and_gap),
	CHECK_TEST(test_h2_bounded),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

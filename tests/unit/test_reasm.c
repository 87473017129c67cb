/* IP fragment reassembly (reassemble.c): order, overlaps, lengths, and the
 * bound on what is held; CAPWAP's own fragments, decoded and joined. */
#include "config.h"

#include <string.h>

#include "check.h"
#include "tl_reasm.h"

/* A frame holding a 20-byte IPv4 header and then the piece's bytes. */
static uint8_t frame[20 + 2048];

static void piece(struct tl_packet *p, uint32_t id, uint32_t off,
                  uint32_t len, bool more, uint8_t fill)
{
	memset(p, 0, sizeof *p);
	p->ip_version = 4;
	p->src[0] = 192;
	p->dst[0] = 198;
	p->frag.proto = 6;
	p->frag.id = id;
	p->frag.offset = off;
	p->frag.more = more;
	p->frag.hdr_off = 0;
	p->frag.hdr_len = 20;
	p->frag.data_off = 20;
	p->frag.data_len = p->frag.data_wire = len;
	memset(frame, 0, 20);
	frame[0] = 0x45;
	frame[6] = 0x20;        /* MF: cleared in the whole datagram */
	frame[9] = 6;
	memset(frame + 20, fill, len);
}

static void test_in_any_order(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	/* last, first, middle: whole on the middle one */
	piece(&p, 7, 16, 8, false, 'c');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 7, 0, 8, true, 'a');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(tl_reasm_unfinished(r), 2);
	piece(&p, 7, 8, 8, true, 'b');
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(len, 20 + 24);
	CHECK_UINT((out[2] << 8) | out[3], 44);     /* total length */
	CHECK_UINT(out[6] | out[7], 0);              /* no fragment fields */
	CHECK(!memcmp(out + 20, "aaaaaaaabbbbbbbbcccccccc", 24));
	CHECK_UINT(tl_reasm_unfinished(r), 0);
	/* another datagram (other id) is separate */
	piece(&p, 8, 0, 8, true, 'x');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(tl_reasm_unfinished(r), 1);
	tl_reasm_free(r);
}

static void test_gap_and_overlap(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	piece(&p, 1, 0, 16, true, 'a');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 1, 32, 8, false, 'c');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));   /* 16..32 missing */
	piece(&p, 1, 8, 24, true, 'b');                    /* overlaps */
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(len, 20 + 40);
	tl_reasm_free(r);
}

static void test_damage_and_bounds(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	/* a piece ending past 65535 bytes can never fit: counted */
	piece(&p, 2, 65528, 16, false, 'z');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(tl_reasm_unfinished(r), 1);
	CHECK_UINT(tl_reasm_counts(r).damaged, 1);
	/* more unfinished datagrams than the bound: the oldest go, and
	 * their pieces stay counted */
	for (uint32_t id = 100; id < 100 + TL_REASM_MAX_DATAGRAMS + 10; id++) {
		piece(&p, id, 0, 8, true, 'q');
		CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	}
	CHECK_UINT(tl_reasm_unfinished(r), 1 + TL_REASM_MAX_DATAGRAMS + 10);
	/* the newest are still there and complete */
	piece(&p, 100 + TL_REASM_MAX_DATAGRAMS + 9, 8, 8, false, 'r');
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(tl_reasm_unfinished(r), 1 + TL_REASM_MAX_DATAGRAMS + 9);
	struct tl_reasm_counts n = tl_reasm_counts(r);
	CHECK_UINT(n.evicted, 10);
	CHECK_UINT(n.held, TL_REASM_MAX_DATAGRAMS - 1);
	CHECK_UINT(n.damaged + n.cut, 1);
	tl_reasm_free(r);
}

/* More datagrams in flight than the bound (every first piece, then every
 * last one): the oldest are given up, and their later pieces counted with
 * them rather than pushing out the rest, which all complete; a first
 * piece starts a given-up datagram again. */
static void test_past_the_bound(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len, whole = 0;
	const uint32_t many = TL_REASM_MAX_DATAGRAMS + 100;
	for (uint32_t id = 0; id < many; id++) {
		piece(&p, id, 0, 8, true, 'f');
		CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	}
	for (uint32_t id = 0; id < many; id++) {
		piece(&p, id, 8, 8, false, 'l');
		if (tl_reasm_add(r, &p, frame, &out, &len))
			whole++;
	}
	CHECK_UINT(whole, TL_REASM_MAX_DATAGRAMS);
	struct tl_reasm_counts n = tl_reasm_counts(r);
	CHECK_UINT(n.evicted, 2 * 100);
	CHECK_UINT(n.held, 0);
	/* datagram 5 was given up: sent again, first piece first */
	piece(&p, 5, 0, 8, true, 'g');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 5, 8, 8, false, 'h');
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK(!memcmp(out + 20, "gggggggghhhhhhhh", 16));
	tl_reasm_free(r);
}

/* Overlapping pieces with different bytes: each byte is the one of the
 * piece that starts first, of two starting together the one that came
 * first (as tshark joins them); a hole inside an 8-byte unit is a hole. */
static void test_overlap_precedence(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	piece(&p, 4, 0, 16, true, 'a');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 4, 0, 16, true, 'b');                 /* came second */
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 4, 8, 16, true, 'c');                 /* starts later */
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 4, 24, 8, false, 'd');
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(len, 20 + 32);
	CHECK(!memcmp(out + 20, "aaaaaaaaaaaaaaaaccccccccdddddddd", 32));
	/* a later piece that starts first wins over an earlier one */
	piece(&p, 5, 8, 8, false, 'y');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 5, 0, 12, true, 'x');
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK(!memcmp(out + 20, "xxxxxxxxxxxxyyyy", 16));
	/* bytes 5..8 missing: not whole, though every 8-byte unit has some */
	piece(&p, 6, 0, 5, true, 'h');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 6, 8, 8, false, 'i');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 6, 0, 8, true, 'j');                  /* fills them */
	CHECK(tl_reasm_add(r, &p, frame, &out, &len));
	CHECK(!memcmp(out + 20, "hhhhhjjjiiiiiiii", 16));
	tl_reasm_free(r);
}

/* A datagram of 65528 payload bytes is more than an IPv4 total length
 * can say with its header: tshark reads it whole, and so must the
 * decoder (a zero length: the rest of the data). */
static void test_past_65535(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out = NULL;
	uint32_t len = 0, off = 0;
	bool done = false;
	while (off < 65528) {
		uint32_t n = 65528 - off < 2048 ? 65528 - off : 2048;
		piece(&p, 9, off, n, off + n < 65528, 'q');
		if (off == 0)
			frame[20 + 12] = 0x50;  /* a TCP header: 20 bytes */
		done = tl_reasm_add(r, &p, frame, &out, &len);
		off += n;
	}
	CHECK(done);
	CHECK_UINT(len, 20 + 65528);
	CHECK_UINT(out[2] | out[3], 0);
	struct tl_packet q;
	CHECK_INT(tl_decode_ip(out, len, 0, &q), TL_DECODE_TCP);
	CHECK_UINT(q.seglen, 65508);
	tl_reasm_free(r);
}

/* A piece the snap length cut is never added (tshark adds none): its
 * datagram never completes, and the piece is counted as cut. */
static void test_cut_piece(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	piece(&p, 3, 0, 16, true, 'a');
	p.frag.data_len = 10;
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 3, 16, 8, false, 'b');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	struct tl_reasm_counts n = tl_reasm_counts(r);
	CHECK_UINT(n.cut, 1);
	CHECK_UINT(n.held, 1);
	CHECK_UINT(tl_reasm_unfinished(r), 2);
	tl_reasm_free(r);
}

/* Thousands of datagrams in flight (every first piece, then every last
 * one) all complete, as in tshark: the bound evicts none of them, and
 * the first comes back whole even with the table at its fullest. */
static void test_many_in_flight(void)
{
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len, whole = 0;
	const uint32_t many = TL_REASM_MAX_DATAGRAMS;
	for (uint32_t id = 0; id < many; id++) {
		piece(&p, id, 0, 8, true, 'f');
		CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	}
	CHECK_UINT(tl_reasm_counts(r).held, many);
	for (uint32_t id = 0; id < many; id++) {
		piece(&p, id, 8, 8, false, 'l');
		if (tl_reasm_add(r, &p, frame, &out, &len) && len == 36 &&
		    out[20] == 'f' && out[28] == 'l')
			whole++;
	}
	CHECK_UINT(whole, many);
	CHECK_UINT(tl_reasm_unfinished(r), 0);
	/* the same id from another source is another datagram */
	piece(&p, 5, 0, 8, true, 'x');
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	piece(&p, 5, 8, 8, false, 'y');
	p.src[0] = 10;
	CHECK(!tl_reasm_add(r, &p, frame, &out, &len));
	CHECK_UINT(tl_reasm_counts(r).held, 2);
	tl_reasm_free(r);
}
/* The inner frame a CAPWAP packet carries: Ethernet, IPv4, a TCP SYN. */
static uint32_t inner_frame(uint8_t *b)
{
	memset(b, 0, 54);
	b[12] = 0x08;                   /* IPv4 */
	b[14] = 0x45;
	b[14 + 3] = 40;                 /* total length */
	b[14 + 8] = 64;
	b[14 + 9] = 6;
	b[14 + 12] = 192, b[14 + 15] = 1;
	b[14 + 16] = 192, b[14 + 19] = 2;
	b[34] = 0x9c, b[35] = 0x40;     /* 40000 -> 80 */
	b[37] = 80;
	b[34 + 12] = 0x50;
	b[34 + 13] = 0x02;              /* SYN */
	b[34 + 14] = 0x03, b[34 + 15] = 0xe8;
	return 54;
}

/* Ethernet, IPv4, UDP to 5247 and a CAPWAP data header with F set (L on
 * the last piece), then len bytes of the payload from off. */
static uint32_t capwap_frame(uint8_t *b, const uint8_t *payload,
                             uint32_t off, uint32_t len, bool last)
{
	uint32_t n = 14 + 20 + 8 + 8 + len;
	memset(b, 0, 50);
	b[12] = 0x08;
	b[14] = 0x45;
	b[14 + 2] = (uint8_t)((n - 14) >> 8), b[14 + 3] = (uint8_t)(n - 14);
	b[14 + 8] = 64;
	b[14 + 9] = 17;
	b[14 + 12] = 198, b[14 + 15] = 1;
	b[14 + 16] = 198, b[14 + 19] = 2;
	b[34] = 0xc3, b[35] = 0x50;     /* 50000 -> 5247 */
	b[36] = 0x14, b[37] = 0x7f;
	b[38] = (uint8_t)((n - 34) >> 8), b[39] = (uint8_t)(n - 34);
	/* HLEN 2, WBID 1, F (and L) */
	b[42] = 0, b[43] = 0x10, b[44] = 0x02, b[45] = last ? 0xc0 : 0x80;
	b[46] = 0x01, b[47] = 0x23;     /* fragment ID */
	b[48] = (uint8_t)((off / 8) >> 5), b[49] = (uint8_t)((off / 8) << 3);
	memcpy(b + 50, payload + off, len);
	return n;
}

static void test_capwap(void)
{
	uint8_t payload[54], f[128];
	uint32_t plen = inner_frame(payload);
	struct tl_reasm *r = tl_reasm_new();
	struct tl_packet p;
	const uint8_t *out;
	uint32_t len;
	/* the last piece first, then the first: whole on the second */
	uint32_t n = capwap_frame(f, payload, 32, plen - 32, true);
	CHECK_INT(tl_decode_frame(1, f, n, &p), TL_DECODE_TUNNEL_FRAGMENT);
	CHECK_UINT(p.frag.id, 0x123);
	CHECK_UINT(p.frag.offset, 32);
	CHECK(!p.frag.more);
	CHECK_UINT(p.frag.data_wire, plen - 32);
	CHECK_UINT(p.frag.binding, 0);
	CHECK(!tl_reasm_add(r, &p, f, &out, &len));
	n = capwap_frame(f, payload, 0, 32, false);
	CHECK_INT(tl_decode_frame(1, f, n, &p), TL_DECODE_TUNNEL_FRAGMENT);
	CHECK(p.frag.more);
	CHECK(tl_reasm_add(r, &p, f, &out, &len));
	CHECK_UINT(len, plen);
	CHECK(!memcmp(out, payload, plen));
	CHECK_INT(tl_decode_capwap_payload(out, len, 0, &p), TL_DECODE_TCP);
	CHECK_UINT(p.sport, 40000);
	CHECK_UINT(p.flags, TL_TH_SYN);
	/* a UDP length too short for a UDP header and CAPWAP's: damage */
	n = capwap_frame(f, payload, 0, 32, false);
	f[38] = 0, f[39] = 4;
	CHECK_INT(tl_decode_frame(1, f, n, &p), TL_DECODE_MALFORMED);
	/* the first piece never comes: counted */
	n = capwap_frame(f, payload, 32, plen - 32, true);
	CHECK_INT(tl_decode_frame(1, f, n, &p), TL_DECODE_TUNNEL_FRAGMENT);
	CHECK(!tl_reasm_add(r, &p, f, &out, &len));
	CHECK_UINT(tl_reasm_unfinished(r), 1);
	tl_reasm_free(r);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_in_any_order),
	CHECK_TEST(test_gap_and_overlap),
	CHECK_TEST(test_damage_and_bounds),
	CHECK_TEST(test_past_the_bound),
	CHECK_TEST(test_overlap_precedence),
	CHECK_TEST(test_past_65535),
	CHECK_TEST(test_cut_piece),
	CHECK_TEST(test_many_in_flight),
	CHECK_TEST(test_capwap),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

/* IP fragment reassembly (reassemble.c): order, overlaps, lengths, and the
 * bound on what is held. */
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
	tl_reasm_free(r);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_in_any_order),
	CHECK_TEST(test_gap_and_overlap),
	CHECK_TEST(test_damage_and_bounds),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

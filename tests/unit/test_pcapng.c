/* The pcapng reader's positions (tl_pcapng_tell/seek), which the view uses
 * to read frames again: a file of three sections, each with interfaces of
 * other link types, read once to note every packet's position, then read
 * again from positions taken in every order (back across sections too);
 * each packet must come back with its own link type and bytes. */
#include "config.h"

#include "check.h"
#include "capture_pcapng.h"

#include <stdlib.h>

#define SECTIONS 3
#define PER_SECTION 300         /* past the view's 256-frame checkpoints */
#define PACKETS (SECTIONS * PER_SECTION)

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

static void put16(FILE *f, uint16_t v)
{
	fwrite(&v, 2, 1, f);
}

static void shb(FILE *f)
{
	put32(f, 0x0A0D0D0Au);
	put32(f, 28);
	put32(f, 0x1A2B3C4Du);
	put16(f, 1);
	put16(f, 0);
	put32(f, 0xffffffffu);
	put32(f, 0xffffffffu);
	put32(f, 28);
}

static void idb(FILE *f, uint16_t linktype)
{
	put32(f, 1);
	put32(f, 20);
	put16(f, linktype);
	put16(f, 0);
	put32(f, 65535);
	put32(f, 20);
}

/* Packet k: 8 bytes, the first four its number (the rest padding). */
static void epb(FILE *f, uint32_t ifid, uint32_t k)
{
	put32(f, 6);
	put32(f, 32 + 8);
	put32(f, ifid);
	put32(f, 0);
	put32(f, k * 1000);
	put32(f, 8);
	put32(f, 8);
	put32(f, k);
	put32(f, 0);
	put32(f, 32 + 8);
}

/* Section s has s + 1 interfaces; interface j is of link type
 * linktypes[(s + j) % 3] (Ethernet, raw IP, Linux cooked), so the same
 * interface number means another link type in each section. The second
 * and later interfaces are described between packets. */
static const uint16_t linktypes[] = { 1, 101, 113 };
static const int dlt_of[] = { 1, 12, 113 };    /* DLT_RAW is 12 here */

static FILE *make_file(int *dlts)
{
	FILE *f = tmpfile();
	if (!f)
		return NULL;
	uint32_t k = 0;
	for (int s = 0; s < SECTIONS; s++) {
		shb(f);
		idb(f, linktypes[s % 3]);
		for (int i = 0; i < PER_SECTION; i++, k++) {
			if (i == 10 && s >= 1)
				idb(f, linktypes[(s + 1) % 3]);
			if (i == 20 && s >= 2)
				idb(f, linktypes[(s + 2) % 3]);
			unsigned ifs = (unsigned)(s == 0 ? 1 : i < 10 ? 1
			                : i < 20 ? 2 : s + 1);
			uint32_t ifid = k % ifs;
			epb(f, ifid, k);
			dlts[k] = dlt_of[(s + (int)ifid) % 3];
		}
	}
	rewind(f);
	return f;
}

static void test_seek_everywhere(void)
{
	static int dlts[PACKETS];
	static struct tl_pcapng_pos pos[PACKETS];
	FILE *f = make_file(dlts);
	CHECK_MSG(f != NULL, "no temporary file");
	if (!f)
		return;
	char err[256];
	struct tl_pcapng *ng = tl_pcapng_open(f, "test", err, sizeof err);
	CHECK_MSG(ng != NULL, "open: %s", err);
	if (!ng)
		return;
	struct tl_frame fr;
	uint32_t ifindex;
	for (uint32_t k = 0; k < PACKETS; k++) {
		CHECK_MSG(tl_pcapng_tell(ng, &pos[k]), "tell before %u", k);
		CHECK_MSG(tl_pcapng_next(ng, &fr, &ifindex) == TL_NEXT_FRAME,
		          "packet %u: %s", k, tl_pcapng_error(ng));
		uint32_t got;
		memcpy(&got, fr.data, 4);
		CHECK_UINT(got, k);
		CHECK_UINT((unsigned)fr.dlt, (unsigned)dlts[k]);
	}
	CHECK_MSG(tl_pcapng_next(ng, &fr, &ifindex) == TL_NEXT_END, "end");
	/* Every order: back to the start, forward, back across sections. */
	srand(14);
	for (int t = 0; t < 2000; t++) {
		uint32_t k = t < PACKETS ? (uint32_t)(PACKETS - 1 - t)
		                         : (uint32_t)rand() % PACKETS;
		if (!tl_pcapng_seek(ng, &pos[k])) {
			CHECK_MSG(false, "seek to %u: %s", k,
			          tl_pcapng_error(ng));
			break;
		}
		CHECK_MSG(tl_pcapng_next(ng, &fr, &ifindex) == TL_NEXT_FRAME,
		          "packet %u again: %s", k, tl_pcapng_error(ng));
		uint32_t got;
		memcpy(&got, fr.data, 4);
		if (got != k || fr.dlt != dlts[k]) {
			CHECK_MSG(false, "seek to %u gave packet %u of link "
			          "type %d (want %d)", k, got, fr.dlt, dlts[k]);
			break;
		}
	}
	tl_pcapng_close(ng);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_seek_everywhere),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

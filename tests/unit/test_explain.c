/* Every explanation is true of its capture: for every segment of every
 * capture in tests/data (and $SHARED_CAPTURES when present) that Wireshark
 * calls a retransmission, fast or spurious retransmission or out-of-order,
 * the "why" states the rule, and its claim about the bytes (never sent
 * before; or sent before in frame F, so long ago) is checked against the
 * segments themselves by a plain forward scan. */
#include "config.h"

#include <glob.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_explain.h"
#include "tl_model.h"
#include "tl_track.h"

#include "check.h"

#define FAMILY (TL_AN_RETRANSMISSION | TL_AN_FAST_RETRANSMISSION | \
                TL_AN_SPURIOUS_RETRANSMISSION | TL_AN_OUT_OF_ORDER)

static unsigned files_read, claims_checked;

static bool overlaps(const struct tl_seg *a, const struct tl_seg *b)
{
	uint32_t n = tl_explain_space(a), m = tl_explain_space(b);
	if (!n || !m)
		return false;
	return (uint32_t)(a->seq - b->seq) < m ||
	       (uint32_t)(b->seq - a->seq) < n;
}

/* The last earlier segment of the same stream and direction that shares a
 * byte, found the slow way; UINT32_MAX: none. */
static uint32_t earlier_copy(const struct tl_segstore *st, uint32_t idx)
{
	const struct tl_seg *seg = tl_segstore_get(st, idx);
	uint32_t found = UINT32_MAX;
	for (uint32_t i = 0; i < idx; i++) {
		const struct tl_seg *s = tl_segstore_get(st, i);
		if (s->stream == seg->stream && tl_seg_dir(s) == tl_seg_dir(seg)
		    && overlaps(s, seg))
			found = i;
	}
	return found;
}

static void check_capture(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p)
		return;         /* not a capture (README, lists) */
	files_read++;
	struct tl_model m;
	tl_model_init(&m, true);
	struct pcap_pkthdr *h;
	const u_char *data;
	int dlt = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		/* Hostile files hold absurd times: wrap, never overflow. */
		tl_nsec ts = (tl_nsec)((uint64_t)h->ts.tv_sec * 1000000000u +
		                       (uint64_t)h->ts.tv_usec);
		tl_model_frame(&m, dlt, data, h->caplen, ts, &seg, &note,
		               &has_note);
	}
	pcap_close(p);
	const struct tl_segstore *st = &m.segs;
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *seg = tl_segstore_get(st, i);
		if (!(seg->analysis & FAMILY))
			continue;
		const struct tl_conn *c = tl_tracker_stream(&m.tracker,
		                                            seg->stream);
		char why[4096];
		tl_explain_segment(st, i, c, why, sizeof why);
		claims_checked++;
		CHECK_MSG(strncmp(why, "Wireshark calls a segment ", 26) == 0,
		          "%s frame %u: no rule first: %s", path, seg->frame,
		          why);
		uint32_t copy = earlier_copy(st, i);
		if (!tl_explain_space(seg)) {
			CHECK_MSG(strstr(why, "carries no bytes") != NULL,
			          "%s frame %u: %s", path, seg->frame, why);
			continue;
		}
		if (copy == UINT32_MAX) {
			CHECK_MSG(strstr(why, "were never sent before") != NULL,
			          "%s frame %u: says sent before, but no "
			          "earlier segment holds these bytes: %s",
			          path, seg->frame, why);
			continue;
		}
		const struct tl_seg *s = tl_segstore_get(st, copy);
		char want[96];
		snprintf(want, sizeof want, "were sent before, in frame %u, "
		         "%.3f ms earlier", s->frame,
		         (double)(tl_seg_time_us(seg) - tl_seg_time_us(s)) / 1e3);
		CHECK_MSG(strstr(why, want) != NULL,
		          "%s frame %u: want \"%s\" in: %s", path, seg->frame,
		          want, why);
		CHECK_MSG(strstr(why, "never sent") == NULL,
		          "%s frame %u: says never sent: %s", path, seg->frame,
		          why);
	}
	tl_model_free(&m);
}

static void check_glob(const char *pattern)
{
	glob_t g;
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++)
		check_capture(g.gl_pathv[i]);
	globfree(&g);
}

static void test_every_capture(void)
{
	const char *top = getenv("srcdir");
	const char *shared = getenv("SHARED_CAPTURES");
	char pat[4096];
	static const char *const here[] = {
		"tests/data/*.pcap*", "tests/data/synth/*.pcap",
		"tests/data/ppa/*.pcapng", "tests/hostile/*.pcap*",
	};
	for (size_t i = 0; i < sizeof here / sizeof here[0]; i++) {
		snprintf(pat, sizeof pat, "%s/%s", top ? top : ".", here[i]);
		check_glob(pat);
	}
	if (shared) {
		snprintf(pat, sizeof pat, "%s/*.pcap*", shared);
		check_glob(pat);
		snprintf(pat, sizeof pat, "%s/*/*.pcap*", shared);
		check_glob(pat);
		snprintf(pat, sizeof pat, "%s/*/*.cap", shared);
		check_glob(pat);
	}
	printf("# %u captures, %u explanations checked\n", files_read,
	       claims_checked);
	CHECK(files_read >= 20);
	CHECK(claims_checked > 0);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_every_capture),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

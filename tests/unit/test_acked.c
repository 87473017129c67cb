/* tl_seg_acked: what the view finds walking back from a kept ACK is what
 * the tracker said as the segment went by (tcp.analysis.acks_frame and
 * ack_rtt), on every segment of the project's captures. */
#include "config.h"

#include "check.h"

#include <pcap/pcap.h>
#include <stdlib.h>

#include "tl_fields.h"
#include "tl_model.h"

static const char *const captures[] = {
	"lab-handshake.pcap", "lab-ooo.pcap", "lab-zerowin.pcap",
	"lab-discard.pcap", "v4-upload-loss.pcap", "v4-upload-caploss.pcap",
	"v4-zero-window.pcap", "v6-download-loss.pcapng",
	"v6-reuse-sll2.pcap", "v4-keepalive-sll.pcap", "vlan-8021q.pcap",
	"basic-bigendian.pcap",
};

struct said {
	uint32_t acks_frame;
	int64_t rtt_us;
};

static void one_capture(const char *name)
{
	const char *dir = getenv("srcdir");
	char path[4096], err[PCAP_ERRBUF_SIZE];
	snprintf(path, sizeof path, "%s/tests/data/%s", dir ? dir : ".",
	         name);
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	CHECK_MSG(p != NULL, "%s: %s", path, err);
	if (!p)
		return;
	struct tl_model m;
	tl_model_init(&m, true);
	struct said *said = NULL;
	uint32_t cap = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		tl_nsec ts = (tl_nsec)h->ts.tv_sec * TL_NSEC_PER_SEC +
		             h->ts.tv_usec;
		if (!tl_model_frame(&m, pcap_datalink(p), data, h->caplen, ts,
		                    &seg, &note, &has_note))
			continue;
		uint32_t i = m.segs.count - 1;
		said = tl_xgrow(said, &cap, (uint64_t)i + 1, 1024,
		                sizeof *said);
		said[i].acks_frame = m.info.acks_frame;
		said[i].rtt_us = tl_nsec_to_us(m.info.ack_rtt);
	}
	pcap_close(p);
	uint32_t acks = 0, wrong = 0;
	for (uint32_t i = 0; i < m.segs.count; i++) {
		uint32_t j = 0;
		int64_t us = 0;
		bool got = tl_seg_acked(&m, i, &j, &us);
		uint32_t frame = got ? tl_segstore_get(&m.segs, j)->frame : 0;
		acks += said[i].acks_frame != 0;
		/* Times are kept in microseconds: a rounding apart. */
		int64_t diff = us - said[i].rtt_us;
		if (frame != said[i].acks_frame || diff < -1 || diff > 1) {
			if (!wrong++)
				CHECK_MSG(false, "%s: frame %u acks %u (tracker %u)"
				          " rtt %lld us (tracker %lld)", name,
				          tl_segstore_get(&m.segs, i)->frame,
				          frame, said[i].acks_frame,
				          (long long)us,
				          (long long)said[i].rtt_us);
		}
	}
	printf("# %s: %u segments, %u ACKs credit a frame, %u differ\n",
	       name, m.segs.count, acks, wrong);
	free(said);
	tl_model_free(&m);
}

static void test_acked_as_tracked(void)
{
	for (size_t i = 0; i < CHECK_COUNT(captures); i++)
		one_capture(captures[i]);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_acked_as_tracked),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

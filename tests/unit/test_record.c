/* The view's fast path: where tl_dfilter_record_answers says the retained
 * records answer a filter, tl_dfilter_match_seg selects on every kept
 * segment what tl_dfilter_match selects on its frame (the batch path, -Y),
 * on the project's captures; and a filter naming what the records lack is
 * never said to be answered. */
#include "config.h"

#include "check.h"

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "tl_dfilter.h"
#include "tl_fields.h"
#include "tl_model.h"

/* Filters on what the records keep (some answered only without tunnels,
 * nanoseconds, reserved bits), and on what they never keep. */
static const char *const filters[] = {
	"frame.number > 5", "tcp.stream == 0", "tcp.len > 0",
	"tcp.seq == 1", "tcp.ack == 1", "tcp.ack == 0", "tcp.ack > 1000",
	"tcp.nxtseq > 100", "tcp.window_size < 1000",
	"tcp.srcport == 80 or tcp.dstport == 443", "tcp.port in {80, 443}",
	"tcp.flags.syn == 1 and tcp.flags.ack == 0", "tcp.flags.fin",
	"tcp.flags.push == 1", "tcp.flags.reset == 1", "tcp.flags.ece == 1",
	"tcp.flags.cwr == 1", "tcp.flags.ae == 1", "tcp.flags.urg == 1",
	"tcp.analysis.flags", "tcp.analysis.retransmission",
	"tcp.analysis.duplicate_ack", "tcp.analysis.duplicate_ack_num > 1",
	"tcp.analysis.duplicate_ack_frame", "tcp.analysis.out_of_order",
	"tcp.analysis.lost_segment", "tcp.analysis.window_update",
	"tcp.analysis.zero_window", "tcp.analysis.keep_alive",
	"frame.time_relative > 1", "tcp.analysis.ack_rtt > 0.01",
	"tcp.analysis.acks_frame", "tcp.analysis.rto",
	"tcp.analysis.rto_frame", "tcp.flags == 0x012", "tcp.flags.res == 1",
	"tcp.flags & 0x0e00", "ip.src == 192.0.2.1", "ip.addr == 10.0.0.0/8",
	"ipv6.addr", "ip", "ipv6", "not ip.dst == 192.0.2.2",
	"ip.ttl == 64", "ip.id", "ipv6.hlim < 64", "tcp.options.mss_val",
	"tcp.option_kind == 8", "tcp.checksum", "tcp.payload",
	"tcp.options.nop", "tcp.options.eol", "ip.dsfield", "eth.addr",
	"ipv6.tclass", "ip.flags", "frame.time",
	"tcp.payload contains \"GET\"", "frame[0:2]", "tcp[13] & 0x02",
	"ip[8] == 64", "frame.len > 100", "tcp.hdr_len > 20",
	"tcp.analysis.bytes_in_flight > 1000", "tcp.analysis.initial_rtt",
	"tcp.analysis", "tcp.flags.str contains \"S\"", "len(tcp) > 20",
	"tcp.seq_raw > 0", "tcp.window_size_value > 100",
};

struct run {
	struct tl_model batch, view;
	struct tl_dfilter *df[CHECK_COUNT(filters)];
	uint8_t *said[CHECK_COUNT(filters)];    /* per kept segment */
	uint32_t cap[CHECK_COUNT(filters)];
};

static void feed(struct run *r, int dlt, const struct pcap_pkthdr *h,
                 const uint8_t *data, tl_nsec ts)
{
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	bool got = tl_model_frame(&r->batch, dlt, data, h->caplen, ts, &seg,
	                          &note, &has_note);
	uint32_t before = r->view.segs.count;
	tl_model_frame(&r->view, dlt, data, h->caplen, ts, &seg, &note,
	               &has_note);
	CHECK(got == (r->view.segs.count != before));
	if (!got || r->view.segs.count == before)
		return;
	struct tl_fctx c = { .m = &r->batch, .data = data,
	                     .caplen = h->caplen, .len = h->len,
	                     .frame = seg.frame, .ts = ts };
	for (size_t i = 0; i < CHECK_COUNT(filters); i++) {
		r->said[i] = tl_xgrow(r->said[i], &r->cap[i],
		                      (uint64_t)before + 1, 1024, 1);
		r->said[i][before] = tl_dfilter_match(r->df[i], &c);
	}
}

static void one_capture(const char *path, unsigned *answered,
                        unsigned *refused)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p)
		return;         /* one libpcap cannot read: not this test's */
	static struct run r;
	memset(&r, 0, sizeof r);
	tl_model_init(&r.batch, false);
	tl_model_init(&r.view, true);
	tl_tracker_want_bif(&r.batch.tracker);
	for (size_t i = 0; i < CHECK_COUNT(filters); i++) {
		r.df[i] = tl_dfilter_compile(filters[i], err, sizeof err, NULL,
		                             NULL);
		CHECK_MSG(r.df[i] != NULL, "%s: %s", filters[i], err);
		if (!r.df[i])
			return;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	while (pcap_next_ex(p, &h, &data) == 1)
		feed(&r, pcap_datalink(p), h, data,
		     (tl_nsec)h->ts.tv_sec * TL_NSEC_PER_SEC + h->ts.tv_usec);
	pcap_close(p);
	for (size_t i = 0; i < CHECK_COUNT(filters); i++) {
		const char *field = NULL, *why = NULL;
		if (!tl_dfilter_record_answers(r.df[i], &r.view, &field,
		                               &why)) {
			CHECK_MSG(field && why, "%s", filters[i]);
			(*refused)++;
			continue;
		}
		(*answered)++;
		for (uint32_t j = 0; j < r.view.segs.count; j++) {
			bool got = tl_dfilter_match_seg(r.df[i], &r.view, j);
			if (got != (r.said[i][j] != 0)) {
				CHECK_MSG(false, "%s: %s: frame %u: view %d, "
				          "frame %d", path, filters[i],
				          tl_segstore_get(&r.view.segs, j)->frame,
				          got, !got);
				break;
			}
		}
	}
	for (size_t i = 0; i < CHECK_COUNT(filters); i++) {
		tl_dfilter_free(r.df[i]);
		free(r.said[i]);
	}
	tl_model_free(&r.batch);
	tl_model_free(&r.view);
}

static void each_in(const char *dir, unsigned *answered, unsigned *refused)
{
	DIR *d = opendir(dir);
	CHECK_MSG(d != NULL, "%s", dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || (strcmp(e->d_name + n - 5, ".pcap") &&
		              (n < 7 || strcmp(e->d_name + n - 7, ".pcapng"))))
			continue;
		char path[4096 + 256];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		one_capture(path, answered, refused);
	}
	closedir(d);
}

static void test_record_answers_as_frames(void)
{
	const char *top = getenv("srcdir");
	char dir[4096];
	unsigned answered = 0, refused = 0;
	static const char *const dirs[] = { "", "/encap", "/app", "/ppa",
	                                    "/random", "/synth" };
	for (size_t i = 0; i < CHECK_COUNT(dirs); i++) {
		snprintf(dir, sizeof dir, "%s/tests/data%s", top ? top : ".",
		         dirs[i]);
		each_in(dir, &answered, &refused);
	}
	printf("# %u (capture, filter) pairs on the records, %u from the "
	       "frames\n", answered, refused);
	CHECK(answered > 100 && refused > 100);
}

/* What the records never keep is never said to be answered; the rest is
 * until the capture shows what the records lack. */
static void test_needs_frames(void)
{
	static const struct { const char *f; const char *field; } bytes[] = {
		{ "ip.ttl == 64", "ip.ttl" }, { "ip.id", "ip.id" },
		{ "ipv6.hlim", "ipv6.hlim" },
		{ "tcp.options.mss_val == 1460", "tcp.options.mss_val" },
		{ "tcp.option_kind == 8", "tcp.option_kind" },
		{ "tcp.checksum == 0", "tcp.checksum" },
		{ "tcp.payload contains \"GET\"", "tcp.payload" },
		{ "frame[0:2] == 00:01", "frame" }, { "ip[8] == 64", "ip" },
		{ "tcp.len > 0 and tcp[12] > 0x50", "tcp" },
		{ "http.request", "http.request" },
		{ "tcp.analysis.bytes_in_flight", "tcp.analysis.bytes_in_flight" },
		{ "tcp.flags.syn or tcp.options.sack_perm",
		  "tcp.options.sack_perm" },
		{ "tcp.options.nop", "tcp.options.nop" },
	};
	char err[256];
	for (size_t i = 0; i < CHECK_COUNT(bytes); i++) {
		struct tl_dfilter *df = tl_dfilter_compile(bytes[i].f, err,
		                                           sizeof err, NULL,
		                                           NULL);
		CHECK_MSG(df != NULL, "%s: %s", bytes[i].f, err);
		if (!df)
			continue;
		const char *field = NULL, *why = NULL;
		CHECK_MSG(!tl_dfilter_record_answers(df, NULL, &field, &why),
		          "%s", bytes[i].f);
		CHECK_MSG(field && !strcmp(field, bytes[i].field),
		          "%s: %s", bytes[i].f, field ? field : "(none)");
		tl_dfilter_free(df);
	}
	static const char *const kept[] = {
		"tcp.flags.syn == 1 and tcp.flags.ack == 0",
		"tcp.analysis.retransmission", "ip.addr == 192.0.2.1",
		"tcp.stream in {0, 3} and tcp.len > 0", "tcp.flags == 0x002",
		"frame.time_relative > 1", "tcp.analysis.acks_frame",
		"eth.src",      /* the protocols of each row are kept */
	};
	for (size_t i = 0; i < CHECK_COUNT(kept); i++) {
		struct tl_dfilter *df = tl_dfilter_compile(kept[i], err,
		                                           sizeof err, NULL,
		                                           NULL);
		CHECK_MSG(df != NULL, "%s: %s", kept[i], err);
		if (df)
			CHECK_MSG(tl_dfilter_record_answers(df, NULL, NULL,
			                                    NULL), "%s", kept[i]);
		tl_dfilter_free(df);
	}
	/* Once a frame had two IP headers, addresses come from frames. */
	struct tl_model m;
	tl_model_init(&m, true);
	m.record_gaps |= TL_REC_LAYERS;
	struct tl_dfilter *df = tl_dfilter_compile("ip.src == 192.0.2.1 or "
	                                           "tcp.flags == 0x012", err,
	                                           sizeof err, NULL, NULL);
	const char *field = NULL;
	CHECK(df && !tl_dfilter_record_answers(df, &m, &field, NULL) &&
	      field && !strcmp(field, "ip.src"));
	m.record_gaps = TL_REC_RESERVED;
	CHECK(df && !tl_dfilter_record_answers(df, &m, &field, NULL) &&
	      !strcmp(field, "tcp.flags"));
	m.record_gaps = TL_REC_NSEC;
	CHECK(df && tl_dfilter_record_answers(df, &m, NULL, NULL));
	tl_dfilter_free(df);
	tl_model_free(&m);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_needs_frames),
	CHECK_TEST(test_record_answers_as_frames),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

/* Shared by the fuzz targets: the link types tcpladder reads, and a sink
 * that runs every retained segment through the plain-text renderers and
 * the label functions, writing to /dev/null. */
#ifndef TL_FUZZ_COMMON_H
#define TL_FUZZ_COMMON_H

#include <fcntl.h>
#include <pcap/dlt.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "tl_label.h"
#include "tl_model.h"
#include "tl_options.h"
#include "tl_render.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

/* New link types go at the end: a seed's first byte keeps its meaning. */
static const int fuzz_dlts[] = {
	DLT_EN10MB, DLT_NULL, DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6,
	DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_IEEE802_11, DLT_IEEE802_11_RADIO,
	DLT_PPP, DLT_PPP_SERIAL, DLT_PPP_ETHER, DLT_C_HDLC, 239 /* NFLOG */,
	242 /* IPOIB */, DLT_ARCNET, DLT_ARCNET_LINUX, DLT_FDDI, DLT_IEEE802,
	219 /* MPLS */, 240 /* NETANALYZER */,
	241 /* NETANALYZER_TRANSPARENT */, 226 /* IPNET */, DLT_PPI,
	117 /* PFLOG */, 258 /* PKTAP */, 109 /* ENC */, DLT_ATM_RFC1483,
};
#define FUZZ_DLT_COUNT (sizeof fuzz_dlts / sizeof fuzz_dlts[0])
/* Rows drawn as text: slow under the sanitizers, and by then every column
 * and mode of the text ladder has been reached. */
#define FUZZ_TEXT_ROWS 128

static inline int fuzz_devnull(void)
{
	static int fd = -1;
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	return fd;
}

/* Output settings drawn from one byte, so the fuzzer explores them too. */
static inline void fuzz_options(struct tl_options *opt, uint8_t b)
{
	memset(opt, 0, sizeof *opt);
	opt->by_host = b & 1;
	opt->absolute_seq = (b >> 1) & 1;
	opt->ascii = (b >> 2) & 1;
	opt->time_format = (enum tl_time_format)(((b >> 3) & 3) % 3);
	static const int widths[] = { 40, 80, 120, 300 };
	opt->width = widths[(b >> 5) & 3];
	opt->stream_count = (b >> 7) & 1;   /* 1: single-stream layout */
}

/* The plain-text front ends as run_batch drives them, writing to
 * /dev/null, plus the label functions the views call. */
struct fuzz_sink {
	const struct tl_options *opt;
	struct tl_out out;
	struct tl_tsv tsv;
	struct tl_text_ladder text;
	uint32_t rows;
};

static inline void fuzz_sink_init(struct fuzz_sink *k,
                                  const struct tl_options *opt)
{
	k->opt = opt;
	k->rows = 0;
	tl_out_init(&k->out, fuzz_devnull(), false);
	tl_tsv_init(&k->tsv);
	tl_text_init(&k->text, opt, opt->width, !opt->ascii);
	tl_tsv_header(&k->out);
}

static inline void fuzz_sink_row(struct fuzz_sink *k, const struct tl_model *m,
                                 const struct tl_seg *seg,
                                 const struct tl_seg_note *note)
{
	char buf[1024];
	const struct tl_conn *conn = tl_tracker_stream(&m->tracker, seg->stream);
	tl_tsv_row(&k->tsv, &k->out, m, seg);
	if (k->rows++ >= FUZZ_TEXT_ROWS || !conn)
		return;     /* the ladder's state is made by then */
	tl_text_row(&k->text, &k->out, m, seg, note);
	tl_label_segment(seg, conn, TL_LABEL_ALL, k->opt->absolute_seq, buf,
	                 sizeof buf);
	tl_label_segment(seg, conn, TL_LABEL_SEQ | TL_LABEL_LEN, 1, buf, 24);
	tl_label_analysis(seg, note, k->opt->ascii, buf, sizeof buf);
	tl_label_analysis(seg, note, 0, buf, 16);
	tl_explain_analysis(seg, note, conn, buf, sizeof buf);
	tl_explain_analysis(seg, note, conn, buf, 32);
}

static inline void fuzz_sink_finish(struct fuzz_sink *k,
                                    const struct tl_model *m)
{
	char buf[128];
	/* Per-connection summaries, as the connections list shows them. */
	for (uint32_t s = 0; s < m->tracker.stream_count; s++) {
		const struct tl_conn *c = tl_tracker_stream(&m->tracker, s);
		if (!c)
			continue;   /* evicted */
		tl_format_endpoint(c->ip_version, c->addr[0], c->port[0], buf,
		                   sizeof buf);
		tl_format_endpoint(c->ip_version, c->addr[1], -1, buf, 8);
		(void)tl_conn_state_name(c->state);
	}
	tl_out_flush(&k->out);
	tl_text_free(&k->text);
	tl_tsv_free(&k->tsv);
}

/* Every retained segment, after the whole input (the views' way). */
static inline void fuzz_render_all(const struct tl_model *m,
                                   const struct tl_options *opt)
{
	static struct fuzz_sink k;
	fuzz_sink_init(&k, opt);
	for (uint32_t i = 0; i < m->segs.count; i++)
		fuzz_sink_row(&k, m, tl_segstore_get(&m->segs, i),
		              tl_segstore_note(&m->segs, i));
	fuzz_sink_finish(&k, m);
}

#endif

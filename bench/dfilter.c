/* Display-filter speed in the view: the connection list's f and the
 * ladder's row filter walk every kept segment through
 * tl_dfilter_match_seg (view_conn_list.c, view_ladder.c). Feeds N
 * frames (default 10M) of 1000 connections through the model as the view
 * keeps them, then times a pass of each filter over every segment, best
 * of three. Goal (issue 13): under 0.5 s for 10M segments.
 *
 *   bench/dfilter [N]          (links libtl.a: make bench builds it) */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl_dfilter.h"
#include "tl_model.h"

#include "../tests/unit/frame_builder.h"

#define CONNS 1000
#define FRAME_MAX 2048

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* An IPv4/TCP frame (DLT_RAW) of connection port, one direction (the
 * payload is whatever the buffer holds). */
static uint32_t build(uint8_t *f, unsigned dir, uint16_t port, uint32_t seq,
                      uint32_t ack, uint8_t flags, uint32_t len)
{
	struct fb_tcp t = {
		.src = dir ? 0xc0000202u : 0xc0000201u,
		.dst = dir ? 0xc0000201u : 0xc0000202u,
		.sport = dir ? 5001 : port, .dport = dir ? port : 5001,
		.seq = seq, .ack = ack, .flags = flags, .win = 0xff00,
		.len = len,
	};
	return fb_ipv4_tcp(f, FRAME_MAX, &t);
}

/* Each connection: a handshake, then data one way and ACKs back, with a
 * retransmission now and then (analysis flags to find). */
static void feed(struct tl_model *m, uint32_t n)
{
	static uint8_t f[FRAME_MAX];
	uint32_t seq[CONNS][2];
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	tl_nsec ts = INT64_C(1700000000) * 1000000000;
	for (uint32_t c = 0; c < CONNS; c++) {
		uint16_t port = (uint16_t)(20000 + c);
		uint32_t len = build(f, 0, port, 1000, 0, 0x02, 0);
		tl_model_frame(m, DLT_RAW, f, len, ts += 1000, &seg, &note,
		               &has_note);
		len = build(f, 1, port, 5000, 1001, 0x12, 0);
		tl_model_frame(m, DLT_RAW, f, len, ts += 1000, &seg, &note,
		               &has_note);
		seq[c][0] = 1001;
		seq[c][1] = 5001;
	}
	for (uint32_t i = 2 * CONNS; i < n; i++) {
		uint32_t c = (i / 2) % CONNS;
		uint16_t port = (uint16_t)(20000 + c);
		uint32_t len;
		if (i % 2 == 0) {
			uint32_t s = seq[c][0];
			if (i % 1000 == 0)
				s -= 100;       /* a retransmission */
			else
				seq[c][0] += 100;
			len = build(f, 0, port, s, seq[c][1], 0x18, 100);
		} else {
			len = build(f, 1, port, seq[c][1], seq[c][0], 0x10, 0);
		}
		tl_model_frame(m, DLT_RAW, f, len, ts += 1000, &seg, &note,
		               &has_note);
	}
}

static void run(const struct tl_model *m, const char *text)
{
	char err[256];
	struct tl_dfilter *df = tl_dfilter_compile(text, err, sizeof err,
	                                           NULL, NULL);
	if (!df) {
		fprintf(stderr, "dfilter: %s: %s\n", text, err);
		exit(1);
	}
	/* The view runs these on its rows only when the rows answer them
	 * (else it reads the frames): the rows must. */
	const char *field = NULL, *why = NULL;
	if (!tl_dfilter_record_answers(df, m, &field, &why)) {
		fprintf(stderr, "dfilter: %s: the view would read the frames: "
		        "%s %s\n", text, field, why);
		exit(1);
	}
	/* CPU time too: on a shared machine the wall time also counts the
	 * others' turns. */
	double best = 1e9, best_cpu = 1e9;
	uint32_t hits = 0;
	for (int r = 0; r < 3; r++) {
		double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		hits = 0;
		for (uint32_t i = 0; i < m->segs.count; i++)
			hits += tl_dfilter_match_seg(df, m, i);
		double t = now() - t0;
		double c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
		if (t < best)
			best = t;
		if (c < best_cpu)
			best_cpu = c;
	}
	printf("%-54s %8u matches  %.3f s  (%.1f ns/segment, cpu %.3f s)\n",
	       text, hits, best, best * 1e9 / m->segs.count, best_cpu);
	tl_dfilter_free(df);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10)
	                      : 10000000u;
	if (n < 4 * CONNS)
		n = 4 * CONNS;
	struct tl_model m;
	tl_model_init(&m, true);
	double t0 = now();
	feed(&m, n);
	printf("%u segments of %u connections kept (fed in %.2f s)\n",
	       m.segs.count, CONNS, now() - t0);
	run(&m, "tcp.analysis.flags");
	run(&m, "tcp.analysis.retransmission");
	run(&m, "tcp.flags.syn == 1 and tcp.flags.ack == 0");
	run(&m, "tcp.port == 20500 && tcp.len > 0");
	run(&m, "ip.addr == 10.0.0.0/24 and not tcp.port in {1..1024}");
	run(&m, "tcp.window_size > 1000 || tcp.stream == 999");
	tl_model_free(&m);
	return 0;
}

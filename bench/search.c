/* Search speed: a search with no match walks every row of the view. Builds
 * N segments (default 10M) over 1000 connections in a segment store, as
 * the full-screen view holds them, then times tl_match_row over all of them
 * for a text query that matches nothing and for one made of label
 * characters (which formats every label). Prints seconds per search.
 *
 *   bench/search [N]          (links libtl.a: make bench builds it) */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl_match.h"
#include "tl_model.h"
#include "tl_track.h"

#define CONNS 1000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double time_search(const struct tl_segstore *st,
                          const struct tl_conn *conns, const char *q,
                          uint32_t *hits)
{
	double t0 = now();
	uint32_t h = 0;
	struct tl_match_query mq;
	tl_match_compile(&mq, q);
	for (uint32_t i = 0; i < st->count; i++) {
		const struct tl_seg *s = tl_segstore_get(st, i);
		const struct tl_seg_note *note = s->analysis
			? tl_segstore_note(st, i) : NULL;
		if (tl_match_row(s, note, &conns[s->stream], NULL, 0, &mq))
			h++;
	}
	*hits = h;
	return now() - t0;
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10000000;
	static struct tl_conn conns[CONNS];
	for (uint32_t c = 0; c < CONNS; c++) {
		conns[c].stream = c;
		conns[c].ip_version = 4;
		inet_pton(AF_INET, "192.0.2.1", conns[c].addr[0]);
		inet_pton(AF_INET, "192.0.2.2", conns[c].addr[1]);
		conns[c].port[0] = (uint16_t)(40000 + c);
		conns[c].port[1] = 80;
	}
	struct tl_segstore st;
	tl_segstore_init(&st);
	for (uint32_t i = 0; i < n; i++) {
		struct tl_seg s;
		memset(&s, 0, sizeof s);
		unsigned dir = i & 1;
		tl_seg_pack(&s, (int64_t)i * 10, dir ? TL_TH_ACK
		            : TL_TH_ACK | TL_TH_PSH, dir);
		s.stream = i % CONNS;
		s.frame = i + 1;
		s.seq = dir ? 1 : 1 + (i / CONNS) * 1448;
		s.ack = dir ? 1 + (i / CONNS) * 1448 : 1;
		s.len = dir ? 0 : 1448;
		s.win = 64240;
		tl_segstore_append(&st, &s, NULL);
	}
	uint32_t hits;
	double best_text = 1e9, best_label = 1e9;
	for (int r = 0; r < 3; r++) {
		double t = time_search(&st, conns, "no such text", &hits);
		if (t < best_text)
			best_text = t;
	}
	printf("search_text\t%u\t%.3f\t%u\n", n, best_text, hits);
	double t = time_search(&st, conns, "Win=99999", &hits);
	if (t < best_label)
		best_label = t;
	printf("search_label\t%u\t%.3f\t%u\n", n, best_label, hits);
	tl_segstore_free(&st);
	return 0;
}

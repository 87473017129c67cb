/* Unit tests for the ladder layout (src/model/ladder.c), the words on it
 * (src/model/label.c) and the time formatting every view uses (src/util.c). */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "tl_ladder.h"
#include "tl_label.h"
#include "tl_model.h"
#include "tl_track.h"
#include "tl_util.h"

#include "check.h"

/* ---- helpers ------------------------------------------------------------ */

static struct tl_conn make_conn(uint32_t stream, const char *a0, int p0,
                                const char *a1, int p1)
{
	struct tl_conn c;
	memset(&c, 0, sizeof c);
	c.stream = stream;
	bool v6 = strchr(a0, ':') != NULL;
	c.ip_version = v6 ? 6 : 4;
	int af = v6 ? AF_INET6 : AF_INET;
	CHECK(inet_pton(af, a0, c.addr[0]) == 1);
	CHECK(inet_pton(af, a1, c.addr[1]) == 1);
	c.port[0] = (uint16_t)p0;
	c.port[1] = (uint16_t)p1;
	return c;
}

static struct tl_seg make_seg(uint32_t stream, unsigned dir, unsigned flags)
{
	struct tl_seg s;
	memset(&s, 0, sizeof s);
	tl_seg_pack(&s, 0, flags, dir);
	s.stream = stream;
	return s;
}

#define CHECK_NODE(ld, i, want) do { \
	CHECK_MSG((i) < (ld)->node_count, "node %u missing", (unsigned)(i)); \
	if ((i) < (ld)->node_count) \
		CHECK_STR((ld)->nodes[i].name, (want)); \
} while (0)

/* ---- ladder: node order ------------------------------------------------- */

static void test_ladder_first_appearance(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	CHECK_UINT(ld.node_count, 0);
	struct tl_conn c0 = make_conn(0, "192.0.2.1", 40000, "192.0.2.2", 80);
	struct tl_conn c1 = make_conn(1, "192.0.2.3", 5000, "192.0.2.2", 80);
	struct tl_conn c2 = make_conn(2, "192.0.2.2", 80, "192.0.2.1", 40001);
	CHECK(tl_ladder_add_conn(&ld, &c0));
	CHECK_UINT(ld.node_count, 2);
	CHECK_NODE(&ld, 0, "192.0.2.1:40000");
	CHECK_NODE(&ld, 1, "192.0.2.2:80");
	/* idempotent */
	CHECK(!tl_ladder_add_conn(&ld, &c0));
	CHECK_UINT(ld.node_count, 2);
	/* a new client, the same server column */
	CHECK(tl_ladder_add_conn(&ld, &c1));
	CHECK_UINT(ld.node_count, 3);
	CHECK_NODE(&ld, 2, "192.0.2.3:5000");
	CHECK_UINT(ld.stream_nodes[1][0], 2);
	CHECK_UINT(ld.stream_nodes[1][1], 1);
	/* endpoint 0 (here the server) before endpoint 1 */
	CHECK(tl_ladder_add_conn(&ld, &c2));
	CHECK_UINT(ld.node_count, 4);
	CHECK_NODE(&ld, 3, "192.0.2.1:40001");
	CHECK_UINT(ld.stream_nodes[2][0], 1);
	CHECK_UINT(ld.stream_nodes[2][1], 3);
	/* a stream whose columns all exist makes none */
	struct tl_conn c3 = make_conn(3, "192.0.2.2", 80, "192.0.2.3", 5000);
	CHECK(!tl_ladder_add_conn(&ld, &c3));
	CHECK(tl_ladder_has_stream(&ld, 3));
	CHECK_UINT(ld.node_count, 4);
	tl_ladder_free(&ld);
}

static void test_ladder_server_first(void)
{
	/* A capture whose first segment comes from the server: its column
	 * is the first one. */
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	struct tl_conn c = make_conn(0, "198.51.100.9", 443, "10.1.2.3", 51000);
	CHECK(tl_ladder_add_conn(&ld, &c));
	CHECK_NODE(&ld, 0, "198.51.100.9:443");
	CHECK_NODE(&ld, 1, "10.1.2.3:51000");
	tl_ladder_free(&ld);
}

static void test_ladder_by_host(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, true);
	struct tl_conn c0 = make_conn(0, "10.0.0.1", 40000, "10.0.0.2", 80);
	struct tl_conn c1 = make_conn(1, "10.0.0.1", 40001, "10.0.0.2", 80);
	struct tl_conn c2 = make_conn(2, "10.0.0.3", 3333, "10.0.0.1", 22);
	CHECK(tl_ladder_add_conn(&ld, &c0));
	CHECK(!tl_ladder_add_conn(&ld, &c1));   /* same two hosts */
	CHECK_UINT(ld.node_count, 2);
	CHECK(tl_ladder_add_conn(&ld, &c2));
	/* Wireshark's three-host example: 10.0.0.1, 10.0.0.2, 10.0.0.3 */
	CHECK_UINT(ld.node_count, 3);
	CHECK_NODE(&ld, 0, "10.0.0.1");
	CHECK_NODE(&ld, 1, "10.0.0.2");
	CHECK_NODE(&ld, 2, "10.0.0.3");
	CHECK_INT(ld.nodes[0].port, -1);
	CHECK_UINT(ld.stream_nodes[1][0], 0);
	CHECK_UINT(ld.stream_nodes[1][1], 1);
	CHECK_UINT(ld.stream_nodes[2][0], 2);
	CHECK_UINT(ld.stream_nodes[2][1], 0);
	/* a 10.0.0.3 -> 10.0.0.1 arrow spans two columns, leftwards */
	struct tl_seg seg = make_seg(2, 0, TL_TH_SYN);
	uint32_t from = 99, to = 99;
	CHECK(tl_ladder_arrow(&ld, &seg, &from, &to));
	CHECK_UINT(from, 2);
	CHECK_UINT(to, 0);
	tl_ladder_free(&ld);
}

static void test_ladder_ipv6_names(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	struct tl_conn c = make_conn(0, "2001:db8::1", 40000, "2001:db8::2", 80);
	CHECK(tl_ladder_add_conn(&ld, &c));
	CHECK_NODE(&ld, 0, "[2001:db8::1]:40000");
	CHECK_NODE(&ld, 1, "[2001:db8::2]:80");
	/* IPv4 and IPv6 whose first bytes match are different columns */
	struct tl_conn v4 = make_conn(1, "32.1.13.184", 40000, "192.0.2.2", 80);
	CHECK(tl_ladder_add_conn(&ld, &v4));
	CHECK_UINT(ld.node_count, 4);
	CHECK_NODE(&ld, 2, "32.1.13.184:40000");
	/* the longest IPv6 text still fits the name */
	struct tl_conn big = make_conn(2, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
	                               65535, "::1", 1);
	CHECK(tl_ladder_add_conn(&ld, &big));
	CHECK_NODE(&ld, 4, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe]:65535");
	CHECK_NODE(&ld, 5, "[::1]:1");
	tl_ladder_free(&ld);

	/* by host: plain addresses, RFC 5952 */
	tl_ladder_init(&ld, true);
	struct tl_conn h = make_conn(0, "2001:0db8:0000:0000:0000:0000:0000:0001",
	                             1, "::ffff:192.0.2.1", 2);
	CHECK(tl_ladder_add_conn(&ld, &h));
	CHECK_NODE(&ld, 0, "2001:db8::1");
	CHECK_NODE(&ld, 1, "::ffff:192.0.2.1");
	tl_ladder_free(&ld);
}

/* ---- ladder: many columns (the endpoint hash) -------------------------- */

struct ref_ladder {
	uint32_t count;
	struct tl_ladder_node nodes[4096];
};

/* What the columns were before the hash: a search in order. */
static uint32_t ref_node(struct ref_ladder *r, unsigned v, const uint8_t *a,
                         int port)
{
	size_t alen = v == 6 ? 16 : 4;
	for (uint32_t i = 0; i < r->count; i++)
		if (r->nodes[i].ip_version == v && r->nodes[i].port == port &&
		    !memcmp(r->nodes[i].addr, a, alen))
			return i;
	struct tl_ladder_node *n = &r->nodes[r->count];
	memset(n, 0, sizeof *n);
	n->ip_version = (uint8_t)v;
	memcpy(n->addr, a, alen);
	n->port = port;
	return r->count++;
}

/* A pool of endpoints that look alike: IPv4 and IPv6 addresses sharing
 * their first bytes, one address on many ports, ports 0 and 65535. */
static void pool_endpoint(uint32_t k, uint8_t *v, uint8_t addr[16],
                          uint16_t *port)
{
	memset(addr, 0, 16);
	*v = k % 3 == 0 ? 6 : 4;
	addr[0] = 192; addr[1] = 0; addr[2] = 2;
	addr[3] = (uint8_t)(k % 7);
	if (*v == 6)
		addr[15] = (uint8_t)(k % 5);
	uint16_t ports[] = { 0, 80, 443, 65535, 1024, 1025 };
	*port = k % 11 < 6 ? ports[k % 11] : (uint16_t)(40000 + k % 97);
}

static uint64_t lcg(uint64_t *x)
{
	*x = *x * 6364136223846793005u + 1442695040888963407u;
	return *x >> 33;
}

static void check_same_columns(bool by_host, uint32_t conns, uint64_t seed)
{
	static struct ref_ladder ref;
	struct tl_ladder ld;
	tl_ladder_init(&ld, by_host);
	ld.seed = (uint32_t)seed * 0x9e3779b9u;  /* columns never depend on it */
	for (int round = 0; round < 2; round++) {
		/* The second round after a clear, as the view rebuilds. */
		if (round)
			tl_ladder_clear(&ld);
		ref.count = 0;
		uint32_t bad = 0;
		for (uint32_t s = 0; s < conns; s++) {
			uint8_t v0, v1;
			struct tl_conn c;
			memset(&c, 0, sizeof c);
			c.stream = s;
			uint32_t k0 = (uint32_t)lcg(&seed) % 3000;
			uint32_t k1 = (uint32_t)lcg(&seed) % 3000;
			pool_endpoint(k0, &v0, c.addr[0], &c.port[0]);
			pool_endpoint(k1, &v1, c.addr[1], &c.port[1]);
			c.ip_version = v0;
			if (round && s % 2)
				continue;       /* another selection */
			uint32_t before = ref.count;
			uint32_t want[2];
			for (int e = 0; e < 2; e++)
				want[e] = ref_node(&ref, v0, c.addr[e],
				                   by_host ? -1 : c.port[e]);
			bool added = tl_ladder_add_conn(&ld, &c);
			if (added != (ref.count != before) ||
			    ld.stream_nodes[s][0] != want[0] ||
			    ld.stream_nodes[s][1] != want[1])
				bad++;
		}
		CHECK_MSG(bad == 0, "%u connections got other columns", bad);
		CHECK_UINT(ld.node_count, ref.count);
		for (uint32_t i = 0; i < ref.count && i < ld.node_count; i++) {
			const struct tl_ladder_node *a = &ld.nodes[i];
			const struct tl_ladder_node *b = &ref.nodes[i];
			CHECK(a->ip_version == b->ip_version &&
			      a->port == b->port &&
			      !memcmp(a->addr, b->addr, 16));
		}
	}
	tl_ladder_free(&ld);
}

static void test_ladder_many_columns_same_order(void)
{
	check_same_columns(false, 40000, 1);
	check_same_columns(true, 40000, 2);
	check_same_columns(false, 20000, 0);
	check_same_columns(false, 20000, 0xdeadbeef);
}

/* Select-all on a big capture: one column per client port. */
static void test_ladder_100k_connections(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	const uint32_t n = 100000;
	uint32_t bad = 0;
	for (uint32_t s = 0; s < n; s++) {
		char client[32], server[32];
		snprintf(client, sizeof client, "10.%u.%u.%u", s >> 16 & 255,
		         s >> 8 & 255, s & 255);
		snprintf(server, sizeof server, "198.51.100.%u", 1 + s % 16);
		struct tl_conn c = make_conn(s, client, 1024 + (int)(s % 60000),
		                             server, 80);
		bool added = tl_ladder_add_conn(&ld, &c);
		/* Client s and server s get columns while s < 16, then only
		 * clients. */
		uint32_t want0 = s < 16 ? 2 * s : 16 + s;
		uint32_t want1 = s < 16 ? 2 * s + 1 : 2 * (s % 16) + 1;
		if (!added || ld.stream_nodes[s][0] != want0 ||
		    ld.stream_nodes[s][1] != want1)
			bad++;
	}
	CHECK_MSG(bad == 0, "%u connections got other columns", bad);
	CHECK_UINT(ld.node_count, n + 16);
	CHECK_NODE(&ld, 0, "10.0.0.0:1024");
	CHECK_NODE(&ld, 1, "198.51.100.1:80");
	CHECK_NODE(&ld, n + 15, "10.1.134.159:41023");
	/* Again under other stream numbers: every endpoint is found. */
	for (uint32_t s = 0; s < n; s++) {
		struct tl_conn c;
		memset(&c, 0, sizeof c);
		c.stream = n + s;
		c.ip_version = 4;
		uint32_t node = s < 16 ? 2 * s : 16 + s;
		memcpy(c.addr[0], ld.nodes[node].addr, 16);
		c.port[0] = (uint16_t)ld.nodes[node].port;
		memcpy(c.addr[1], ld.nodes[1].addr, 16);
		c.port[1] = 80;
		if (tl_ladder_add_conn(&ld, &c) ||
		    ld.stream_nodes[n + s][0] != node ||
		    ld.stream_nodes[n + s][1] != 1)
			bad++;
	}
	CHECK_MSG(bad == 0, "%u endpoints were added twice", bad);
	CHECK_UINT(ld.node_count, n + 16);
	tl_ladder_free(&ld);
}

static void test_ladder_arrows(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	struct tl_conn c0 = make_conn(0, "192.0.2.1", 1, "192.0.2.2", 2);
	struct tl_conn c1 = make_conn(1, "192.0.2.3", 3, "192.0.2.1", 1);
	tl_ladder_add_conn(&ld, &c0);
	tl_ladder_add_conn(&ld, &c1);
	uint32_t from, to;
	struct tl_seg s = make_seg(0, 0, TL_TH_ACK);
	CHECK(tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK_UINT(from, 0);
	CHECK_UINT(to, 1);
	s = make_seg(0, 1, TL_TH_ACK);
	CHECK(tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK_UINT(from, 1);
	CHECK_UINT(to, 0);
	s = make_seg(1, 0, TL_TH_SYN);
	CHECK(tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK_UINT(from, 2);
	CHECK_UINT(to, 0);
	s = make_seg(1, 1, TL_TH_SYN | TL_TH_ACK);
	CHECK(tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK_UINT(from, 0);
	CHECK_UINT(to, 2);
	/* streams not in the ladder */
	s = make_seg(2, 0, TL_TH_ACK);
	CHECK(!tl_ladder_arrow(&ld, &s, &from, &to));
	s = make_seg(100000, 0, TL_TH_ACK);
	CHECK(!tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK(!tl_ladder_has_stream(&ld, 100000));
	/* a stream far beyond the first allocation */
	struct tl_conn far = make_conn(1000, "192.0.2.9", 9, "192.0.2.2", 2);
	CHECK(tl_ladder_add_conn(&ld, &far));
	CHECK(tl_ladder_has_stream(&ld, 1000));
	CHECK(!tl_ladder_has_stream(&ld, 999));
	s = make_seg(1000, 1, TL_TH_ACK);
	CHECK(tl_ladder_arrow(&ld, &s, &from, &to));
	CHECK_UINT(from, 1);
	CHECK_UINT(to, 3);
	/* clear forgets columns and streams; the same conns come back in
	 * the new order of appearance */
	tl_ladder_clear(&ld);
	CHECK_UINT(ld.node_count, 0);
	CHECK(!tl_ladder_has_stream(&ld, 0));
	CHECK(tl_ladder_add_conn(&ld, &c1));
	CHECK_NODE(&ld, 0, "192.0.2.3:3");
	CHECK_NODE(&ld, 1, "192.0.2.1:1");
	tl_ladder_free(&ld);
}

static void test_ladder_geometry(void)
{
	struct tl_ladder ld;
	tl_ladder_init(&ld, false);
	struct tl_ladder_geometry g;
	/* no column yet: laid out as two */
	tl_ladder_geometry(&ld, 0, 80, &g);
	CHECK_INT(g.left, 0);
	CHECK_INT(g.width, 80);
	CHECK_INT(g.column_gap, 78);
	struct tl_conn c0 = make_conn(0, "192.0.2.1", 1, "192.0.2.2", 2);
	struct tl_conn c1 = make_conn(1, "192.0.2.3", 3, "192.0.2.4", 4);
	tl_ladder_add_conn(&ld, &c0);
	tl_ladder_geometry(&ld, 10, 80, &g);
	CHECK_INT(g.column_gap, 78);
	CHECK_INT(tl_ladder_anchor(&g, 0), g.first_anchor);
	CHECK_INT(tl_ladder_anchor(&g, 1), g.first_anchor + 78);
	tl_ladder_add_conn(&ld, &c1);
	for (int width = 8; width <= 300; width++) {
		tl_ladder_geometry(&ld, 7, width, &g);
		int prev = -1;
		for (uint32_t n = 0; n < ld.node_count; n++) {
			int x = tl_ladder_anchor(&g, n);
			/* inside the body, strictly increasing, evenly spaced,
			 * and room right of the last anchor for an arrow head */
			CHECK_MSG(x >= 7 && x <= 7 + width - 2,
			          "width %d: anchor %u at %d", width, n, x);
			CHECK_MSG(x > prev, "width %d: anchors not increasing",
			          width);
			if (n)
				CHECK_INT(x - prev, g.column_gap);
			prev = x;
		}
		/* the space is used: the last anchor is within one gap of
		 * the right edge */
		CHECK_MSG(7 + width - 2 - prev < (int)ld.node_count,
		          "width %d: last anchor %d leaves too much room", width,
		          prev);
	}
	/* too narrow for the columns: still one cell apart, never zero */
	tl_ladder_geometry(&ld, 0, 2, &g);
	CHECK_INT(g.column_gap, 1);
	/* the explicit-count form agrees */
	struct tl_ladder_geometry g2;
	tl_ladder_geometry(&ld, 3, 100, &g);
	tl_ladder_geometry_n(4, 3, 100, &g2);
	CHECK_INT(g.first_anchor, g2.first_anchor);
	CHECK_INT(g.column_gap, g2.column_gap);
	tl_ladder_geometry_n(0, 3, 100, &g2);
	tl_ladder_geometry_n(2, 3, 100, &g);
	CHECK_INT(g.column_gap, g2.column_gap);
	tl_ladder_free(&ld);
}

/* ---- labels: flags ----------------------------------------------------- */

static void test_label_flags(void)
{
	char b[128];
	CHECK_UINT(tl_label_flags(0, b, sizeof b), strlen("<None>"));
	CHECK_STR(b, "<None>");
	tl_label_flags(TL_TH_SYN, b, sizeof b);
	CHECK_STR(b, "SYN");
	tl_label_flags(TL_TH_SYN | TL_TH_ACK, b, sizeof b);
	CHECK_STR(b, "SYN, ACK");
	tl_label_flags(TL_TH_FIN | TL_TH_PSH | TL_TH_ACK, b, sizeof b);
	CHECK_STR(b, "FIN, PSH, ACK");
	size_t n = tl_label_flags(0xff, b, sizeof b);
	CHECK_STR(b, "FIN, SYN, RST, PSH, ACK, URG, ECE, CWR");
	CHECK_UINT(n, strlen(b));
	/* The ninth bit: tshark 4.0.17's flow graph prints "ACK, AE" for it
	 * (tcp-analysis.md §8 calls it NS); it must not vanish. */
	tl_label_flags(TL_TH_NS | TL_TH_ACK, b, sizeof b);
	CHECK_MSG(strcmp(b, "ACK, AE") == 0 || strcmp(b, "ACK, NS") == 0,
	          "flags 0x110: got \"%s\", want \"ACK, AE\" (tshark) or "
	          "\"ACK, NS\" (tcp-analysis.md §8)", b);
	/* a short buffer truncates and terminates */
	memset(b, 'x', sizeof b);
	n = tl_label_flags(TL_TH_SYN | TL_TH_ACK, b, 6);
	CHECK_UINT(n, strlen(b));
	CHECK(n < 6);
	CHECK_MSG(strncmp(b, "SYN, ACK", n) == 0, "got \"%s\"", b);
}

static void test_label_flags_tsv(void)
{
	char b[128];
	CHECK_UINT(tl_label_flags_tsv(0, b, sizeof b), 1);
	CHECK_STR(b, "-");
	tl_label_flags_tsv(TL_TH_SYN | TL_TH_ACK, b, sizeof b);
	CHECK_STR(b, "SYN|ACK");
	tl_label_flags_tsv(TL_TH_FIN | TL_TH_PSH | TL_TH_ACK, b, sizeof b);
	CHECK_STR(b, "FIN|PSH|ACK");
	tl_label_flags_tsv(0xff, b, sizeof b);
	CHECK_STR(b, "FIN|SYN|RST|PSH|ACK|URG|ECE|CWR");
	/* segment-table.md: NS is not a column flag */
	tl_label_flags_tsv(TL_TH_NS | TL_TH_ACK, b, sizeof b);
	CHECK_STR(b, "ACK");
	tl_label_flags_tsv(TL_TH_NS, b, sizeof b);
	CHECK_STR(b, "-");
	tl_label_flags_tsv(TL_TH_RST, b, sizeof b);
	CHECK_STR(b, "RST");
}

/* ---- labels: segments ----------------------------------------------------- */

struct convo {
	struct tl_tracker tr;
	uint32_t frame;
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	struct tl_seg_info info;
};

static void feed(struct convo *cv, int dir, unsigned flags, uint32_t seq,
                 uint32_t ack, uint16_t win, uint32_t len,
                 const struct tl_tcp_options *opt)
{
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	p.ip_version = 4;
	uint8_t a[4] = { 192, 0, 2, 1 }, b[4] = { 192, 0, 2, 2 };
	memcpy(p.src, dir ? b : a, 4);
	memcpy(p.dst, dir ? a : b, 4);
	p.sport = dir ? 80 : 40000;
	p.dport = dir ? 40000 : 80;
	p.seq = seq;
	p.ack = ack;
	p.flags = (uint16_t)flags;
	p.window = win;
	p.seglen = len;
	p.ip_payload_len = 20 + len;
	p.tcp_header_len = 20;
	if (opt)
		p.opt = *opt;
	cv->frame++;
	tl_tracker_segment(&cv->tr, &p, cv->frame,
	                   INT64_C(1000000000) + cv->frame * 1000000, &cv->info);
	tl_seg_from_info(&cv->seg, &cv->note, &cv->has_note, &p, &cv->info,
	                 cv->frame, cv->frame * 1000);
}

static void test_label_segment(void)
{
	struct convo cv;
	memset(&cv, 0, sizeof cv);
	tl_tracker_init(&cv.tr);
	struct tl_tcp_options syn = {
		.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_WSCALE,
		.mss = 1460, .wscale = 7,
	};
	char b[256];
	feed(&cv, 0, TL_TH_SYN, 1000, 0, 64240, 0, &syn);
	struct tl_conn *c = cv.info.conn;
	tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 0, b, sizeof b);
	CHECK_STR(b, "SYN Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128");
	syn.present |= TL_OPT_TIMESTAMP;
	syn.tsval = 4242;
	feed(&cv, 1, TL_TH_SYN | TL_TH_ACK, 9000, 1001, 65160, 0, &syn);
	size_t n = tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 0, b, sizeof b);
	CHECK_STR(b, "SYN, ACK Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 "
	             "SACK_PERM TSval=4242 WS=128");
	CHECK_UINT(n, strlen(b));
	/* absolute numbers add each direction's base back */
	tl_label_segment(&cv.seg, c, TL_LABEL_SEQ | TL_LABEL_ACK, 1, b,
	                 sizeof b);
	CHECK_STR(b, "SYN, ACK Seq=9000 Ack=1001");
	/* parts */
	tl_label_segment(&cv.seg, c, TL_LABEL_SEQ | TL_LABEL_ACK, 0, b,
	                 sizeof b);
	CHECK_STR(b, "SYN, ACK Seq=0 Ack=1");
	tl_label_segment(&cv.seg, c, 0, 0, b, sizeof b);
	CHECK_STR(b, "SYN, ACK");
	tl_label_segment(&cv.seg, c, TL_LABEL_ALL & ~TL_LABEL_SYNOPTS, 0, b,
	                 sizeof b);
	CHECK_STR(b, "SYN, ACK Seq=0 Ack=1 Win=65160 Len=0");
	/* no conn: no options, no absolute numbers */
	tl_label_segment(&cv.seg, NULL, TL_LABEL_ALL, 1, b, sizeof b);
	CHECK_STR(b, "SYN, ACK Seq=0 Ack=1 Win=65160 Len=0");
	/* data: the window is scaled, no options */
	feed(&cv, 0, TL_TH_ACK, 1001, 9001, 502, 0, NULL);
	feed(&cv, 0, TL_TH_PSH | TL_TH_ACK, 1001, 9001, 502, 100, NULL);
	tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 0, b, sizeof b);
	CHECK_STR(b, "PSH, ACK Seq=1 Ack=1 Win=64256 Len=100");
	tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 1, b, sizeof b);
	CHECK_STR(b, "PSH, ACK Seq=1001 Ack=9001 Win=64256 Len=100");
	/* a segment without ACK shows no Ack= */
	feed(&cv, 0, TL_TH_RST, 1101, 0, 0, 0, NULL);
	tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 0, b, sizeof b);
	CHECK_STR(b, "RST Seq=101 Win=0 Len=0");
	/* a short buffer is never overrun */
	memset(b, 'x', sizeof b);
	n = tl_label_segment(&cv.seg, c, TL_LABEL_ALL, 0, b, 10);
	CHECK_UINT(n, strlen(b));
	CHECK(n < 10);
	tl_tracker_free(&cv.tr);
}

/* ---- labels: analysis ------------------------------------------------------- */

static const char *analysis(unsigned an, uint32_t ref, uint32_t num,
                            uint32_t prev_win, uint32_t win, int ascii,
                            bool with_note)
{
	static char b[512];
	struct tl_seg s = make_seg(0, 0, TL_TH_ACK);
	s.analysis = (uint16_t)an;
	s.win = win;
	struct tl_seg_note note = { .ref_frame = ref, .dupack_num = num,
	                            .prev_window = prev_win };
	size_t n = tl_label_analysis(&s, with_note ? &note : NULL, ascii, b,
	                             sizeof b);
	CHECK_UINT(n, strlen(b));
	return b;
}

static void test_label_analysis_each(void)
{
	CHECK_STR(analysis(0, 0, 0, 0, 0, 1, true), "");
	CHECK_STR(analysis(TL_AN_DUPLICATE_ACK, 5, 2, 0, 0, 1, true),
	          "[TCP Dup ACK 5#2]");
	CHECK_STR(analysis(TL_AN_RETRANSMISSION, 4, 0, 0, 0, 1, true),
	          "[TCP Retransmission]");
	CHECK_STR(analysis(TL_AN_SPURIOUS_RETRANSMISSION | TL_AN_RETRANSMISSION,
	                   4, 0, 0, 0, 1, true),
	          "[TCP Spurious Retransmission]");
	CHECK_STR(analysis(TL_AN_FAST_RETRANSMISSION | TL_AN_RETRANSMISSION,
	                   4, 0, 0, 0, 1, true),
	          "[TCP Fast Retransmission]");
	CHECK_STR(analysis(TL_AN_OUT_OF_ORDER, 0, 0, 0, 0, 1, true),
	          "[TCP Out-Of-Order]");
	CHECK_STR(analysis(TL_AN_REUSED_PORTS, 0, 0, 0, 0, 1, true),
	          "[TCP Port numbers reused]");
	CHECK_STR(analysis(TL_AN_LOST_SEGMENT, 0, 0, 0, 0, 1, true),
	          "[TCP Previous segment not captured]");
	CHECK_STR(analysis(TL_AN_ACK_LOST_SEGMENT, 0, 0, 0, 0, 1, true),
	          "[TCP ACKed unseen segment]");
	CHECK_STR(analysis(TL_AN_WINDOW_UPDATE, 0, 0, 0, 0, 1, true),
	          "[TCP Window Update]");
	CHECK_STR(analysis(TL_AN_WINDOW_FULL, 0, 0, 0, 0, 1, true),
	          "[TCP Window Full]");
	CHECK_STR(analysis(TL_AN_KEEP_ALIVE, 0, 0, 0, 0, 1, true),
	          "[TCP Keep-Alive]");
	CHECK_STR(analysis(TL_AN_KEEP_ALIVE_ACK, 0, 0, 0, 0, 1, true),
	          "[TCP Keep-Alive ACK]");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW_PROBE, 0, 0, 0, 0, 1, true),
	          "[TCP ZeroWindowProbe]");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW, 0, 0, 0, 0, 1, true),
	          "[TCP ZeroWindow]");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW_PROBE_ACK, 0, 0, 0, 0, 1, true),
	          "[TCP ZeroWindowProbeAck]");
}

static void test_label_analysis_order(void)
{
	/* tcp-analysis.md §7: labels are prepended in the order reused,
	 * retransmission kinds, lost, ack-lost, window update, window full,
	 * keep-alive, keep-alive ACK, dup ACK, ZWP, ZW, ZWP-ACK, so Info
	 * reads them backwards. */
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW_PROBE_ACK | TL_AN_ZERO_WINDOW, 0,
	                   0, 0, 0, 1, true),
	          "[TCP ZeroWindowProbeAck] [TCP ZeroWindow]");
	CHECK_STR(analysis(TL_AN_LOST_SEGMENT | TL_AN_REUSED_PORTS, 0, 0, 0, 0,
	                   1, true),
	          "[TCP Previous segment not captured] [TCP Port numbers "
	          "reused]");
	CHECK_STR(analysis(TL_AN_DUPLICATE_ACK | TL_AN_ACK_LOST_SEGMENT, 7, 1,
	                   0, 0, 1, true),
	          "[TCP Dup ACK 7#1] [TCP ACKed unseen segment]");
	CHECK_STR(analysis(TL_AN_RETRANSMISSION | TL_AN_LOST_SEGMENT |
	                   TL_AN_REUSED_PORTS, 0, 0, 0, 0, 1, true),
	          "[TCP Previous segment not captured] [TCP Retransmission] "
	          "[TCP Port numbers reused]");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW | TL_AN_LOST_SEGMENT, 0, 0, 0, 0,
	                   1, true),
	          "[TCP ZeroWindow] [TCP Previous segment not captured]");
	CHECK_STR(analysis(TL_AN_WINDOW_FULL | TL_AN_WINDOW_UPDATE |
	                   TL_AN_ACK_LOST_SEGMENT, 0, 0, 0, 0, 1, true),
	          "[TCP Window Full] [TCP Window Update] [TCP ACKed unseen "
	          "segment]");
	CHECK_STR(analysis(TL_AN_KEEP_ALIVE_ACK | TL_AN_WINDOW_FULL, 0, 0, 0, 0,
	                   1, true),
	          "[TCP Keep-Alive ACK] [TCP Window Full]");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW_PROBE | TL_AN_DUPLICATE_ACK, 2, 1,
	                   0, 0, 1, true),
	          "[TCP ZeroWindowProbe] [TCP Dup ACK 2#1]");
	/* every pair follows the §7 order */
	static const uint16_t applied[] = {
		TL_AN_REUSED_PORTS, TL_AN_RETRANSMISSION, TL_AN_LOST_SEGMENT,
		TL_AN_ACK_LOST_SEGMENT, TL_AN_WINDOW_UPDATE, TL_AN_WINDOW_FULL,
		TL_AN_KEEP_ALIVE, TL_AN_KEEP_ALIVE_ACK, TL_AN_DUPLICATE_ACK,
		TL_AN_ZERO_WINDOW_PROBE, TL_AN_ZERO_WINDOW,
		TL_AN_ZERO_WINDOW_PROBE_ACK,
	};
	char first[128], second[128], want[300];
	for (size_t i = 0; i < 12; i++) {
		for (size_t j = i + 1; j < 12; j++) {
			strcpy(first, analysis(applied[j], 3, 1, 0, 0, 1, true));
			strcpy(second, analysis(applied[i], 3, 1, 0, 0, 1, true));
			snprintf(want, sizeof want, "%s %s", first, second);
			CHECK_STR(analysis(applied[i] | applied[j], 3, 1, 0, 0,
			                   1, true), want);
		}
	}
}

static void test_label_window_change(void)
{
	CHECK_STR(analysis(TL_AN_WINDOW_CHANGE, 0, 0, 64240, 501, 1, true),
	          "win 64240->501");
	CHECK_STR(analysis(TL_AN_WINDOW_CHANGE, 0, 0, 64240, 501, 0, true),
	          "win 64240\u2192501");
	CHECK_STR(analysis(TL_AN_WINDOW_UPDATE | TL_AN_WINDOW_CHANGE, 0, 0,
	                   1000, 2000, 1, true),
	          "[TCP Window Update] win 1000->2000");
	CHECK_STR(analysis(TL_AN_ZERO_WINDOW | TL_AN_WINDOW_CHANGE, 0, 0,
	                   8192, 0, 1, true),
	          "[TCP ZeroWindow] win 8192->0");
	/* without the note there is nothing to say */
	CHECK_STR(analysis(TL_AN_WINDOW_CHANGE, 0, 0, 1, 2, 1, false), "");
	/* a short buffer is never overrun */
	struct tl_seg s = make_seg(0, 0, TL_TH_ACK);
	s.analysis = TL_AN_ZERO_WINDOW_PROBE_ACK | TL_AN_ZERO_WINDOW |
	             TL_AN_WINDOW_CHANGE;
	struct tl_seg_note note = { .prev_window = 123456 };
	char b[16];
	memset(b, 'x', sizeof b);
	size_t n = tl_label_analysis(&s, &note, 0, b, 12);
	CHECK(n < 12);
	CHECK_UINT(n, strlen(b));
	CHECK(b[12] == 'x');
}

static void test_label_from_tracker(void)
{
	/* End to end: tracker verdicts through tl_seg_from_info. */
	struct convo cv;
	memset(&cv, 0, sizeof cv);
	tl_tracker_init(&cv.tr);
	char b[256];
	feed(&cv, 0, TL_TH_SYN, 100, 0, 1000, 0, NULL);
	feed(&cv, 1, TL_TH_SYN | TL_TH_ACK, 500, 101, 1000, 0, NULL);
	feed(&cv, 0, TL_TH_ACK, 101, 501, 1000, 0, NULL);
	feed(&cv, 0, TL_TH_ACK, 101, 501, 1000, 100, NULL);        /* 4 */
	feed(&cv, 1, TL_TH_ACK, 501, 201, 1000, 0, NULL);          /* 5 */
	feed(&cv, 1, TL_TH_ACK, 501, 201, 1000, 0, NULL);
	CHECK(cv.has_note);
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP Dup ACK 5#1]");
	feed(&cv, 1, TL_TH_ACK, 501, 201, 1000, 0, NULL);
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP Dup ACK 5#2]");
	feed(&cv, 0, TL_TH_ACK, 101, 501, 1000, 100, NULL);         /* 8 */
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP Spurious Retransmission]");
	feed(&cv, 1, TL_TH_ACK, 501, 201, 0, 0, NULL);
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP ZeroWindow] win 1000->0");
	feed(&cv, 0, TL_TH_ACK, 201, 501, 1000, 1, NULL);
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP ZeroWindowProbe]");
	feed(&cv, 1, TL_TH_ACK, 501, 201, 0, 0, NULL);
	tl_label_analysis(&cv.seg, &cv.note, 1, b, sizeof b);
	CHECK_STR(b, "[TCP ZeroWindowProbeAck] [TCP ZeroWindow]");
	tl_tracker_free(&cv.tr);
}

/* ---- endpoints ---------------------------------------------------------------- */

/* Both ends of a connection, the sender of a direction first. */
static void test_format_endpoints(void)
{
	static struct tl_conn c;
	char from[64], to[64];
	c.ip_version = 4;
	c.addr[0][0] = 192; c.addr[0][2] = 2; c.addr[0][3] = 1;
	c.addr[1][0] = 192; c.addr[1][2] = 2; c.addr[1][3] = 2;
	c.port[0] = 40000;
	c.port[1] = 80;
	tl_format_endpoints(&c, 0, from, to, sizeof from);
	CHECK_STR(from, "192.0.2.1:40000");
	CHECK_STR(to, "192.0.2.2:80");
	tl_format_endpoints(&c, 1, from, to, sizeof from);
	CHECK_STR(from, "192.0.2.2:80");
	CHECK_STR(to, "192.0.2.1:40000");
	tl_format_endpoints(NULL, 0, from, to, sizeof from);
	CHECK_STR(from, "?");
	CHECK_STR(to, "?");
	/* cut to the buffer, never past it */
	char small[8];
	tl_format_endpoints(&c, 0, small, to, sizeof small);
	CHECK(strlen(small) < sizeof small);
}

static void test_format_endpoint(void)
{
	char b[64];
	uint8_t v4[16] = { 192, 0, 2, 1 };
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	v6[15] = 1;
	CHECK_UINT(tl_format_endpoint(4, v4, 40000, b, sizeof b),
	           strlen("192.0.2.1:40000"));
	CHECK_STR(b, "192.0.2.1:40000");
	tl_format_endpoint(4, v4, -1, b, sizeof b);
	CHECK_STR(b, "192.0.2.1");
	tl_format_endpoint(6, v6, 80, b, sizeof b);
	CHECK_STR(b, "[2001:db8::1]:80");
	tl_format_endpoint(6, v6, -1, b, sizeof b);
	CHECK_STR(b, "2001:db8::1");
	tl_format_endpoint(4, v4, 0, b, sizeof b);
	CHECK_STR(b, "192.0.2.1:0");
	tl_format_addr(6, v6, b, sizeof b);
	CHECK_STR(b, "2001:db8::1");
	memset(b, 'x', sizeof b);
	size_t n = tl_format_endpoint(6, v6, 80, b, 8);
	CHECK(n < 8);
	CHECK_UINT(n, strlen(b));
}

/* ---- time --------------------------------------------------------------------- */

static const char *fmt_us(int64_t us)
{
	static char b[40];
	memset(b, '#', sizeof b);
	size_t n = tl_format_us(us, b);
	CHECK_MSG(n < 28, "tl_format_us(%lld) wrote %zu bytes", (long long)us,
	          n);
	b[n < 39 ? n : 39] = '\0';
	return b;
}

static void test_format_us(void)
{
	CHECK_STR(fmt_us(0), "0.000000");
	CHECK_STR(fmt_us(1), "0.000001");
	CHECK_STR(fmt_us(999999), "0.999999");
	CHECK_STR(fmt_us(1000000), "1.000000");
	CHECK_STR(fmt_us(1234567), "1.234567");
	CHECK_STR(fmt_us(12345678), "12.345678");
	CHECK_STR(fmt_us(INT64_C(86400000000)), "86400.000000");
	CHECK_STR(fmt_us(-1), "-0.000001");
	CHECK_STR(fmt_us(-999999), "-0.999999");
	CHECK_STR(fmt_us(-1000000), "-1.000000");
	CHECK_STR(fmt_us(-1500000), "-1.500000");
	CHECK_STR(fmt_us(INT64_MAX), "9223372036854.775807");
	CHECK_STR(fmt_us(INT64_MIN), "-9223372036854.775808");
	/* lengths */
	char b[32];
	CHECK_UINT(tl_format_us(12345678, b), 9);
	CHECK_UINT(tl_format_us(-1, b), 9);
}

static void test_nsec_to_us(void)
{
	/* floor((ns + 500) / 1000): round half up, towards +inf, also for
	 * times before the origin (tests/tshark-table.py does the same). */
	static const struct { int64_t ns, us; } cases[] = {
		{ 0, 0 }, { 1, 0 }, { 499, 0 }, { 500, 1 }, { 999, 1 },
		{ 1000, 1 }, { 1499, 1 }, { 1500, 2 }, { 1501, 2 },
		{ 1234567890, 1234568 }, { 1234567499, 1234567 },
		{ -1, 0 }, { -499, 0 }, { -500, 0 }, { -501, -1 },
		{ -1000, -1 }, { -1499, -1 }, { -1500, -1 }, { -1501, -2 },
		{ -1234567890, -1234568 },
		{ INT64_C(9223372036854775000), INT64_C(9223372036854775) },
		{ INT64_C(-9223372036854775000), INT64_C(-9223372036854775) },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		CHECK_MSG(tl_nsec_to_us(cases[i].ns) == cases[i].us,
		          "tl_nsec_to_us(%lld) = %lld, want %lld",
		          (long long)cases[i].ns,
		          (long long)tl_nsec_to_us(cases[i].ns),
		          (long long)cases[i].us);
	/* never "-0.000000" */
	CHECK_STR(fmt_us(tl_nsec_to_us(-400)), "0.000000");
	CHECK_STR(fmt_us(tl_nsec_to_us(-1500)), "-0.000001");
	/* the extremes do not overflow */
	(void)tl_nsec_to_us(INT64_MAX);
	(void)tl_nsec_to_us(INT64_MIN);
}

static void test_seg_pack(void)
{
	/* 54-bit signed time, 9 flag bits (NS kept), 1 direction bit. */
	static const int64_t times[] = { 0, 1, -1, 123456789,
	                                 (INT64_C(1) << 47) + 5,
	                                 INT64_C(1700000000) * 1000000,
	                                 (INT64_C(1) << 53) - 1,
	                                 -(INT64_C(1) << 53) };
	for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
		for (unsigned dir = 0; dir < 2; dir++) {
			struct tl_seg s;
			memset(&s, 0, sizeof s);
			tl_seg_pack(&s, times[i], 0x1ff, dir);
			CHECK_INT(tl_seg_time_us(&s), times[i]);
			CHECK_UINT(tl_seg_flags(&s), 0x1ff);
			CHECK_UINT(tl_seg_dir(&s), dir);
			tl_seg_pack(&s, times[i], TL_TH_SYN | TL_TH_ACK, dir);
			CHECK_UINT(tl_seg_flags(&s), TL_TH_SYN | TL_TH_ACK);
			CHECK_UINT(tl_seg_dir(&s), dir);
		}
	}
	/* Beyond 285 years from the first packet the time saturates. */
	struct tl_seg far;
	tl_seg_pack(&far, INT64_C(1) << 60, TL_TH_ACK, 1);
	CHECK_INT(tl_seg_time_us(&far), (INT64_C(1) << 53) - 1);
	CHECK_UINT(tl_seg_flags(&far), TL_TH_ACK);
	tl_seg_pack(&far, -(INT64_C(1) << 60), TL_TH_ACK, 0);
	CHECK_INT(tl_seg_time_us(&far), -(INT64_C(1) << 53));
	CHECK_UINT(tl_seg_dir(&far), 0);
	CHECK_UINT(sizeof(struct tl_seg), 32);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_ladder_first_appearance),
	CHECK_TEST(test_ladder_server_first),
	CHECK_TEST(test_ladder_by_host),
	CHECK_TEST(test_ladder_ipv6_names),
	CHECK_TEST(test_ladder_arrows),
	CHECK_TEST(test_ladder_many_columns_same_order),
	CHECK_TEST(test_ladder_100k_connections),
	CHECK_TEST(test_ladder_geometry),
	CHECK_TEST(test_label_flags),
	CHECK_TEST(test_label_flags_tsv),
	CHECK_TEST(test_label_segment),
	CHECK_TEST(test_label_analysis_each),
	CHECK_TEST(test_label_analysis_order),
	CHECK_TEST(test_label_window_change),
	CHECK_TEST(test_label_from_tracker),
	CHECK_TEST(test_format_endpoint),
	CHECK_TEST(test_format_endpoints),
	CHECK_TEST(test_format_us),
	CHECK_TEST(test_nsec_to_us),
	CHECK_TEST(test_seg_pack),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

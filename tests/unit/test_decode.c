/* Unit tests for the link, IP and TCP decoders (src/decode_*.c).
 *
 * Every frame is built byte by byte here, then handed to the decoder in a
 * heap buffer of exactly caplen bytes, so a read past caplen is an ASan
 * error in the sanitizer build (configure --enable-sanitizers). */
#include "config.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tl_decode.h"

#include "check.h"

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

/* ---- frame builder --------------------------------------------------- */

struct frame {
	uint8_t b[16384];
	uint32_t n;
};

static void put8(struct frame *f, unsigned v)
{
	f->b[f->n++] = (uint8_t)v;
}
static void put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}
static void put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}
static void putn(struct frame *f, const void *p, uint32_t n)
{
	memcpy(f->b + f->n, p, n);
	f->n += n;
}
static void putfill(struct frame *f, unsigned v, uint32_t n)
{
	memset(f->b + f->n, (int)v, n);
	f->n += n;
}

static const uint8_t V4_SRC[4] = { 192, 0, 2, 1 };
static const uint8_t V4_DST[4] = { 198, 51, 100, 7 };
static const uint8_t V6_SRC[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0x01 };
static const uint8_t V6_DST[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 0x02 };

static void ethernet(struct frame *f, unsigned type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	putn(f, mac, 12);
	put16(f, type);
}

static void vlan_tag(struct frame *f, unsigned vid, unsigned next_type)
{
	put16(f, vid & 0xfff);
	put16(f, next_type);
}

/* Linux cooked v1: packet type, ARPHRD, address length, 8-byte address,
 * protocol. */
static void sll1(struct frame *f, unsigned proto)
{
	put16(f, 0);            /* to us */
	put16(f, 1);            /* ARPHRD_ETHER */
	put16(f, 6);
	putfill(f, 0xaa, 8);
	put16(f, proto);
}

/* Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD, packet
 * type, address length, 8-byte address. */
static void sll2(struct frame *f, unsigned proto)
{
	put16(f, proto);
	put16(f, 0);
	put32(f, 3);
	put16(f, 1);
	put8(f, 4);             /* outgoing */
	put8(f, 6);
	putfill(f, 0xbb, 8);
}

struct tcp_spec {
	uint16_t sport, dport;
	uint32_t seq, ack;
	unsigned flags;         /* TL_TH_*, NS included */
	uint16_t window, checksum, urgent;
	const uint8_t *opts;    /* padded to a multiple of 4 by the caller */
	uint32_t optlen;
	uint32_t paylen;
	int doff_override;      /* >0: write this data offset instead */
};

static const struct tcp_spec TCP_DEFAULT = {
	.sport = 40000, .dport = 80, .seq = 0x01020304, .ack = 0xa0b0c0d0,
	.flags = TL_TH_PSH | TL_TH_ACK, .window = 64240, .checksum = 0xbeef,
	.urgent = 0, .paylen = 12,
};

static uint32_t tcp_size(const struct tcp_spec *t)
{
	return 20 + t->optlen + t->paylen;
}

static void tcp(struct frame *f, const struct tcp_spec *t)
{
	unsigned doff = t->doff_override > 0 ? (unsigned)t->doff_override
	                                     : (20 + t->optlen) / 4;
	put16(f, t->sport);
	put16(f, t->dport);
	put32(f, t->seq);
	put32(f, t->ack);
	put8(f, (doff << 4) | ((t->flags >> 8) & 1));
	put8(f, t->flags & 0xff);
	put16(f, t->window);
	put16(f, t->checksum);
	put16(f, t->urgent);
	if (t->optlen)
		putn(f, t->opts, t->optlen);
	for (uint32_t i = 0; i < t->paylen; i++)
		put8(f, 'a' + i % 26);
}

struct ip4_spec {
	uint32_t optlen;        /* bytes of IP options, multiple of 4 */
	int ihl_override;       /* >0: write this IHL */
	int total_override;     /* >=0 when set_total: write this total */
	bool set_total;
	unsigned frag;          /* flags + offset field */
	unsigned proto;
	uint8_t ttl;
};

static void ipv4(struct frame *f, const struct ip4_spec *s, uint32_t paylen)
{
	uint32_t hlen = 20 + s->optlen;
	unsigned ihl = s->ihl_override > 0 ? (unsigned)s->ihl_override
	                                   : hlen / 4;
	put8(f, 0x40 | (ihl & 0x0f));
	put8(f, 0);
	put16(f, s->set_total ? (unsigned)s->total_override : hlen + paylen);
	put16(f, 0x1234);
	put16(f, s->frag);
	put8(f, s->ttl ? s->ttl : 64);
	put8(f, s->proto ? s->proto : 6);
	put16(f, 0);
	putn(f, V4_SRC, 4);
	putn(f, V4_DST, 4);
	for (uint32_t i = 0; i < s->optlen; i++)
		put8(f, i == 0 ? 0x01 : (i == s->optlen - 1 ? 0x00 : 0x01));
}

static void ipv6(struct frame *f, unsigned next, uint32_t paylen,
                 uint8_t hlim)
{
	put32(f, 0x60000000u);
	put16(f, paylen);
	put8(f, next);
	put8(f, hlim);
	putn(f, V6_SRC, 16);
	putn(f, V6_DST, 16);
}

/* A generic extension header of 8*(hdrlen8+1) bytes. */
static void ext_header(struct frame *f, unsigned next, unsigned hdrlen8)
{
	put8(f, next);
	put8(f, hdrlen8);
	putfill(f, 0, 6 + hdrlen8 * 8);
}

static void frag_header(struct frame *f, unsigned next, unsigned offset8,
                        bool more)
{
	put8(f, next);
	put8(f, 0);
	put16(f, (offset8 << 3) | (more ? 1 : 0));
	put32(f, 0xcafe);
}

/* Decodes from a heap copy of exactly caplen bytes. */
static enum tl_decode_result decode(int dlt, const uint8_t *data,
                                    uint32_t caplen, struct tl_packet *pkt)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);
	CHECK(copy != NULL);
	if (caplen)
		memcpy(copy, data, caplen);
	memset(pkt, 0xa5, sizeof *pkt);
	enum tl_decode_result r = tl_decode_frame(dlt, copy, caplen, pkt);
	free(copy);
	return r;
}

static const char *result_name(enum tl_decode_result r)
{
	switch (r) {
	case TL_DECODE_TCP: return "TCP";
	case TL_DECODE_NOT_TCP: return "NOT_TCP";
	case TL_DECODE_TCP_CUT: return "TCP_CUT";
	case TL_DECODE_FRAGMENT: return "FRAGMENT";
	case TL_DECODE_TRUNCATED: return "TRUNCATED";
	case TL_DECODE_MALFORMED: return "MALFORMED";
	case TL_DECODE_UNSUPPORTED: return "UNSUPPORTED";
	case TL_DECODE_TOO_DEEP: return "TOO_DEEP";
	case TL_DECODE_TUNNEL_FRAGMENT: return "TUNNEL_FRAGMENT";
	case TL_DECODE_TUNNEL: return "TUNNEL";
	case TL_DECODE_ENCRYPTED: return "ENCRYPTED";
	case TL_DECODE_ICMP_TCP: return "ICMP_TCP";
	}
	return "?";
}

#define CHECK_RESULT(got, want) do { \
	enum tl_decode_result check_r_ = (got), check_e_ = (want); \
	if (check_r_ != check_e_) \
		check_fail(__FILE__, __LINE__, "%s: got %s, want %s", #got, \
		           result_name(check_r_), result_name(check_e_)); \
} while (0)

/* The fields every TCP decode must agree on with the spec it was built
 * from; link_len is where the outermost IP header starts. */
static void check_tcp_fields(const struct tl_packet *p,
                             const struct tcp_spec *t, uint32_t tcp_off)
{
	CHECK_UINT(p->tcp_offset, tcp_off);
	CHECK_UINT(p->sport, t->sport);
	CHECK_UINT(p->dport, t->dport);
	CHECK_UINT(p->seq, t->seq);
	CHECK_UINT(p->ack, t->ack);
	CHECK_UINT(p->flags, t->flags);
	CHECK_UINT(p->window, t->window);
	CHECK_UINT(p->checksum, t->checksum);
	CHECK_UINT(p->urgent, t->urgent);
	CHECK_UINT(p->tcp_header_len, 20 + t->optlen);
	CHECK_UINT(p->seglen, t->paylen);
	CHECK_UINT(p->payload_offset, tcp_off + 20 + t->optlen);
}

static void check_v4_addrs(const struct tl_packet *p)
{
	static const uint8_t zero[12];
	CHECK_UINT(p->ip_version, 4);
	CHECK(memcmp(p->src, V4_SRC, 4) == 0);
	CHECK(memcmp(p->dst, V4_DST, 4) == 0);
	/* IPv4 uses the first 4 bytes; the rest is cleared. */
	CHECK(memcmp(p->src + 4, zero, 12) == 0);
	CHECK(memcmp(p->dst + 4, zero, 12) == 0);
}

static void check_v6_addrs(const struct tl_packet *p)
{
	CHECK_UINT(p->ip_version, 6);
	CHECK(memcmp(p->src, V6_SRC, 16) == 0);
	CHECK(memcmp(p->dst, V6_DST, 16) == 0);
}

/* Ethernet + IPv4 + TCP (the workhorse frame). */
static void build_eth_v4(struct frame *f, const struct ip4_spec *ip,
                         const struct tcp_spec *t)
{
	f->n = 0;
	ethernet(f, 0x0800);
	ipv4(f, ip, tcp_size(t));
	tcp(f, t);
}

/* ---- link layers ------------------------------------------------------ */

/* Ethernet, MPLS (one label, bottom), then a pseudowire: a control word
 * when cw is set, then an Ethernet frame from mac (12 bytes) carrying
 * IPv4 and TCP. */
static void build_mpls_pw(struct frame *f, const uint8_t *mac, bool cw,
                          const struct tcp_spec *t)
{
	struct ip4_spec ip = { 0 };
	f->n = 0;
	ethernet(f, 0x8847);
	put32(f, (200u << 12) | 0x100 | 64);
	if (cw)
		put32(f, 0x00000001);
	putn(f, mac, 12);
	put16(f, 0x0800);
	ipv4(f, &ip, tcp_size(t));
	tcp(f, t);
}

/* tshark 4.0's guess after the labels when the first nibble is 0: plain
 * Ethernet if both addresses' OUIs are registered (its manuf file), else
 * a control word first. */
static void test_mpls_pseudowire(void)
{
	char path[] = "/tmp/tl-manuf-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *m = fdopen(fd, "w");
	CHECK(m != NULL);
	if (!m)
		return;
	fputs("# comment\n00:00:00\tXerox\n00-1B-21\tIntel\n"
	      "00:1B:22:30:00:00/28\tPart\n", m);
	fclose(m);
	tl_decode_oui_file(path);
	static const uint8_t intel[12] = { 0, 0x1b, 0x21, 0, 0, 2,
	                                   0, 0x1b, 0x21, 0, 0, 1 };
	static const uint8_t local[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
	static const uint8_t part[12] = { 0, 0x1b, 0x22, 0, 0, 2,
	                                  0, 0x1b, 0x21, 0, 0, 1 };
	struct frame f;
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	/* registered addresses, no control word */
	build_mpls_pw(&f, intel, false, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 14 + 4 + 14);
	check_tcp_fields(&p, &t, 14 + 4 + 14 + 20);
	/* a control word before them: 00:00:00 is registered, but the
	 * "source" read from bytes 6..8 (21:00:00) is not: a control word */
	build_mpls_pw(&f, intel, true, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 14 + 4 + 4 + 14);
	/* unregistered (locally administered) addresses without a control
	 * word: taken for one, so the frame is misread, as in tshark */
	build_mpls_pw(&f, local, false, &t);
	CHECK(decode(DLT_EN10MB, f.b, f.n, &p) != TL_DECODE_TCP);
	/* a /28 block names part of an OUI, not the OUI */
	build_mpls_pw(&f, part, false, &t);
	CHECK(decode(DLT_EN10MB, f.b, f.n, &p) != TL_DECODE_TCP);
	/* without the file: universally administered counts as registered */
	tl_decode_oui_file(NULL);
	build_mpls_pw(&f, part, false, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	static const uint8_t odd[12] = { 0, 0x1b, 0x02, 0, 0, 2,
	                                 0, 0x1b, 0x21, 0, 0, 1 };
	build_mpls_pw(&f, odd, true, &t);       /* bytes 6..8: 02:00:00 */
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 14 + 4 + 4 + 14);
	build_mpls_pw(&f, local, false, &t);
	CHECK(decode(DLT_EN10MB, f.b, f.n, &p) != TL_DECODE_TCP);
	/* cut inside the addresses */
	build_mpls_pw(&f, intel, false, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 14 + 4 + 8, &p),
	             TL_DECODE_TRUNCATED);
	/* other nibbles: 1 (an associated channel), 5: no TCP */
	build_mpls_pw(&f, local, false, &t);
	f.b[18] = 0x12;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	f.b[18] = 0x52;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	unlink(path);
}

static void test_ethernet_ipv4(void)
{
	struct frame f;
	struct ip4_spec ip = { .ttl = 57 };
	struct tcp_spec t = TCP_DEFAULT;
	build_eth_v4(&f, &ip, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ttl, 57);
	CHECK_UINT(p.ip_offset, 14);
	CHECK_UINT(p.ip_header_len, 20);
	CHECK_UINT(p.ip_payload_len, 20 + 12);
	check_tcp_fields(&p, &t, 34);
	CHECK_UINT(p.payload_caplen, 12);
	CHECK_UINT(p.opt.present, 0);
	CHECK_UINT(p.opt.sack_count, 0);
	CHECK_UINT(p.opt.unknown_count, 0);
}

static void test_ethernet_vlan(void)
{
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	ethernet(&f, 0x8100);
	vlan_tag(&f, 100, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 18);
	check_tcp_fields(&p, &t, 38);
}

static void test_ethernet_qinq(void)
{
	/* 802.1ad outer tag, 802.1Q inner tag, IPv6 inside. */
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	ethernet(&f, 0x88a8);
	vlan_tag(&f, 10, 0x8100);
	vlan_tag(&f, 20, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 33);
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ttl, 33);
	CHECK_UINT(p.ip_offset, 22);
	CHECK_UINT(p.ip_header_len, 40);
	CHECK_UINT(p.ip_payload_len, tcp_size(&t));
	check_tcp_fields(&p, &t, 62);

	/* The pre-standard 0x9100 outer tag too. */
	f.n = 0;
	ethernet(&f, 0x9100);
	vlan_tag(&f, 10, 0x8100);
	vlan_tag(&f, 20, 0x0800);
	struct ip4_spec ip = { 0 };
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 22);
	check_tcp_fields(&p, &t, 42);
}

static void test_ethernet_too_many_tags(void)
{
	/* A tag chain longer than tshark reads (20) ends, whatever it
	 * says, and is counted as too deep. */
	struct frame f = { .n = 0 };
	ethernet(&f, 0x8100);
	for (int i = 0; i < 40; i++)
		vlan_tag(&f, (unsigned)i, 0x8100);
	putfill(&f, 0x45, 60);
	struct tl_packet p;
	enum tl_decode_result r = decode(DLT_EN10MB, f.b, f.n, &p);
	CHECK_MSG(r == TL_DECODE_TOO_DEEP, "40 VLAN tags: got %s",
	          result_name(r));
}

static void test_ethernet_not_tcp(void)
{
	struct frame f = { .n = 0 };
	struct tl_packet p;
	/* ARP */
	ethernet(&f, 0x0806);
	putfill(&f, 0, 28);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	/* IPv4 carrying UDP */
	f.n = 0;
	ethernet(&f, 0x0800);
	struct ip4_spec ip = { .proto = 17 };
	ipv4(&f, &ip, 16);
	putfill(&f, 0, 16);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	/* IPv6 carrying ICMPv6 */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 58, 8, 64);
	putfill(&f, 0, 8);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	/* Ethertype says IPv4 but the version nibble says 5 */
	f.n = 0;
	ethernet(&f, 0x0800);
	putfill(&f, 0x55, 40);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
}

static void test_ethernet_llc_snap(void)
{
	/* 802.3 length field + LLC/SNAP carrying IPv4. */
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	ethernet(&f, 8 + 20 + tcp_size(&t));
	put8(&f, 0xaa);
	put8(&f, 0xaa);
	put8(&f, 0x03);
	put8(&f, 0);
	put8(&f, 0);
	put8(&f, 0);
	put16(&f, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 22);
	check_tcp_fields(&p, &t, 42);
}

static void test_linux_sll(void)
{
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	sll1(&f, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_LINUX_SLL, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 16);
	check_tcp_fields(&p, &t, 36);

	f.n = 0;
	sll1(&f, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_LINUX_SLL, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ip_offset, 16);
	check_tcp_fields(&p, &t, 56);

	/* Cooked capture of a VLAN-tagged frame. */
	f.n = 0;
	sll1(&f, 0x8100);
	vlan_tag(&f, 5, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_LINUX_SLL, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 20);

	/* Not IP (ARP). */
	f.n = 0;
	sll1(&f, 0x0806);
	putfill(&f, 0, 28);
	CHECK_RESULT(decode(DLT_LINUX_SLL, f.b, f.n, &p), TL_DECODE_NOT_TCP);
}

static void test_linux_sll2(void)
{
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	sll2(&f, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_LINUX_SLL2, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 20);
	check_tcp_fields(&p, &t, 40);

	f.n = 0;
	sll2(&f, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_LINUX_SLL2, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ip_offset, 20);
	check_tcp_fields(&p, &t, 60);

	/* v1 and v2 must not be confused: the same bytes read as v1 see
	 * protocol 0x0000 at offset 14. */
	CHECK(decode(DLT_LINUX_SLL, f.b, f.n, &p) != TL_DECODE_TCP);
}

static void test_raw_ip(void)
{
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	static const int v4_dlts[] = { DLT_RAW, DLT_IPV4 };
	for (size_t i = 0; i < 2; i++) {
		CHECK_RESULT(decode(v4_dlts[i], f.b, f.n, &p), TL_DECODE_TCP);
		check_v4_addrs(&p);
		CHECK_UINT(p.ip_offset, 0);
		check_tcp_fields(&p, &t, 20);
	}

	f.n = 0;
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	static const int v6_dlts[] = { DLT_RAW, DLT_IPV6 };
	for (size_t i = 0; i < 2; i++) {
		CHECK_RESULT(decode(v6_dlts[i], f.b, f.n, &p), TL_DECODE_TCP);
		check_v6_addrs(&p);
		CHECK_UINT(p.ip_offset, 0);
		check_tcp_fields(&p, &t, 40);
	}

	/* Raw IP whose first nibble is neither 4 nor 6. */
	f.n = 0;
	putfill(&f, 0x00, 40);
	CHECK_RESULT(decode(DLT_RAW, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	CHECK_RESULT(decode(DLT_RAW, f.b, 0, &p), TL_DECODE_TRUNCATED);
}

/* BSD loopback: 4-byte family, host order (DLT_NULL, either byte order
 * depending on the capturing machine) or network order (DLT_LOOP). */
static void loop_header(struct frame *f, uint32_t family, bool big_endian)
{
	if (big_endian) {
		put32(f, family);
	} else {
		put8(f, family);
		put8(f, family >> 8);
		put8(f, family >> 16);
		put8(f, family >> 24);
	}
}

static void test_null_loop(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	struct tl_packet p;
	struct frame f;
	for (int be = 0; be < 2; be++) {
		f.n = 0;
		loop_header(&f, 2, be);
		ipv4(&f, &ip, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_NULL, f.b, f.n, &p), TL_DECODE_TCP);
		check_v4_addrs(&p);
		CHECK_UINT(p.ip_offset, 4);
		check_tcp_fields(&p, &t, 24);
		/* IPv6's family differs by OS: Linux 10, BSDs 24, FreeBSD 28,
		 * Darwin 30. */
		static const uint32_t v6fam[] = { 10, 24, 28, 30 };
		for (size_t i = 0; i < 4; i++) {
			f.n = 0;
			loop_header(&f, v6fam[i], be);
			ipv6(&f, 6, tcp_size(&t), 64);
			tcp(&f, &t);
			CHECK_RESULT(decode(DLT_NULL, f.b, f.n, &p),
			             TL_DECODE_TCP);
			check_v6_addrs(&p);
			check_tcp_fields(&p, &t, 44);
		}
		/* Unknown family (IPX 23 is not IP) */
		f.n = 0;
		loop_header(&f, 23, be);
		ipv4(&f, &ip, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_NULL, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	}
	/* DLT_LOOP: network byte order. */
	f.n = 0;
	loop_header(&f, 2, true);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_LOOP, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	check_tcp_fields(&p, &t, 24);
	f.n = 0;
	loop_header(&f, 24, true);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_LOOP, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_RESULT(decode(DLT_LOOP, f.b, 3, &p), TL_DECODE_TRUNCATED);
}

static void test_unsupported_link(void)
{
	static const uint8_t junk[64] = { 0x45 };
	struct tl_packet p;
	static const int bad[] = { 147 /* USER0 */, 195 /* 802.15.4 */,
	                           9999, 65536, -2 };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_RESULT(decode(bad[i], junk, sizeof junk, &p),
		             TL_DECODE_UNSUPPORTED);
		CHECK(!tl_decode_link_supported(bad[i]));
	}
	static const int good[] = { DLT_EN10MB, DLT_NULL, DLT_LOOP, DLT_RAW,
	                            DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL,
	                            DLT_LINUX_SLL2, DLT_IEEE802_11,
	                            DLT_IEEE802_11_RADIO };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CHECK_MSG(tl_decode_link_supported(good[i]),
		          "link type %d should be supported", good[i]);
}

/* ---- IPv4 ------------------------------------------------------------- */

static void test_ipv4_options(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	for (uint32_t optlen = 4; optlen <= 40; optlen += 4) {
		struct frame f;
		struct ip4_spec ip = { .optlen = optlen };
		build_eth_v4(&f, &ip, &t);
		struct tl_packet p;
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
		CHECK_UINT(p.ip_header_len, 20 + optlen);
		CHECK_UINT(p.ip_payload_len, tcp_size(&t));
		check_v4_addrs(&p);
		check_tcp_fields(&p, &t, 34 + optlen);
	}
}

static void test_ipv4_fragments(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	/* First fragment (MF set, offset 0): the TCP header is there, but
	 * it is not a whole segment (Wireshark analyses the reassembled
	 * datagram; we do not reassemble), so it is FRAGMENT, not TCP. */
	struct ip4_spec first = { .frag = 0x2000 };
	build_eth_v4(&f, &first, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	struct ip4_spec first_df = { .frag = 0x6000 };
	build_eth_v4(&f, &first_df, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	/* DF alone is not a fragment. */
	struct ip4_spec df = { .frag = 0x4000 };
	build_eth_v4(&f, &df, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	/* A later fragment of a TCP datagram is a FRAGMENT too (to be
	 * reassembled, never read as a header); with or without MF. */
	struct ip4_spec later = { .frag = 0x2000 | 185 };
	build_eth_v4(&f, &later, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	struct ip4_spec last = { .frag = 1 };
	build_eth_v4(&f, &last, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	/* A later fragment shorter than a TCP header is a FRAGMENT, not
	 * TRUNCATED or MALFORMED. */
	f.n = 0;
	ethernet(&f, 0x0800);
	struct ip4_spec tiny = { .frag = 3 };
	ipv4(&f, &tiny, 8);
	putfill(&f, 0, 8);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	/* Where the piece goes in its datagram. */
	build_eth_v4(&f, &later, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	CHECK_UINT(p.frag.offset, 185u * 8);
	CHECK(p.frag.more);
	CHECK_UINT(p.frag.proto, 6);
	CHECK_UINT(p.frag.data_off, 14u + 20);
	CHECK_UINT(p.frag.data_len, f.n - 14u - 20);
	/* Fragments of a datagram that cannot carry TCP (OSPF) are not
	 * ours; UDP's are (a tunnel may be in it), and ICMP's (an error
	 * may quote a TCP header: tshark files it under the connection). */
	struct ip4_spec ospf = { .frag = 0x2000, .proto = 89 };
	build_eth_v4(&f, &ospf, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	struct ip4_spec icmp = { .frag = 0x2000, .proto = 1 };
	build_eth_v4(&f, &icmp, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	struct ip4_spec udp = { .frag = 0x2000, .proto = 17 };
	build_eth_v4(&f, &udp, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
}

static void test_ipv4_lying_lengths(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	/* IHL < 5 */
	for (int ihl = 0; ihl < 5; ihl++) {
		struct ip4_spec ip = { .ihl_override = ihl ? ihl : 16 };
		build_eth_v4(&f, &ip, &t);
		if (!ihl)
			f.b[14] = 0x40;
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p),
		             TL_DECODE_MALFORMED);
	}
	/* total length < header length (but not 0, which means TSO) */
	for (int total = 1; total < 20; total++) {
		struct ip4_spec ip = { .set_total = true,
		                       .total_override = total };
		build_eth_v4(&f, &ip, &t);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p),
		             TL_DECODE_MALFORMED);
	}
	struct ip4_spec ipo = { .optlen = 8, .set_total = true,
	                        .total_override = 24 };
	build_eth_v4(&f, &ipo, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* total length leaves less than a TCP header for TCP */
	struct ip4_spec short_total = { .set_total = true,
	                                .total_override = 20 + 12 };
	build_eth_v4(&f, &short_total, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* TCP data offset < 5 */
	for (int doff = 1; doff < 5; doff++) {
		struct tcp_spec bad = TCP_DEFAULT;
		bad.doff_override = doff;
		struct ip4_spec ip = { 0 };
		build_eth_v4(&f, &ip, &bad);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p),
		             TL_DECODE_MALFORMED);
	}
	{
		struct tcp_spec bad = TCP_DEFAULT;
		struct ip4_spec ip = { 0 };
		build_eth_v4(&f, &ip, &bad);
		f.b[34 + 12] = 0x00;  /* data offset 0 */
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p),
		             TL_DECODE_MALFORMED);
	}
	/* TCP data offset past the IP payload (the frame has the bytes) */
	{
		struct tcp_spec bad = TCP_DEFAULT;
		bad.paylen = 40;
		bad.doff_override = 15;     /* 60-byte header */
		/* the IP payload is 56 bytes, the frame has all 60 */
		struct ip4_spec ip = { .set_total = true,
		                       .total_override = 20 + 56 };
		build_eth_v4(&f, &ip, &bad);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p),
		             TL_DECODE_MALFORMED);
	}
	/* TCP data offset exactly the IP payload: header only, seglen 0. */
	{
		struct tcp_spec ok = TCP_DEFAULT;
		ok.paylen = 0;
		struct ip4_spec ip = { 0 };
		build_eth_v4(&f, &ip, &ok);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
		CHECK_UINT(p.seglen, 0);
		CHECK_UINT(p.payload_caplen, 0);
	}
}

static void test_ipv4_total_zero_tso(void)
{
	/* Total length 0 (TSO on the capturing host): the frame decides. */
	struct tcp_spec t = TCP_DEFAULT;
	t.paylen = 1000;
	struct ip4_spec ip = { .set_total = true, .total_override = 0 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_payload_len, 1020);
	CHECK_UINT(p.seglen, 1000);
	CHECK_UINT(p.payload_caplen, 1000);
}

static void test_truncated_payload_keeps_seglen(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	t.paylen = 1400;
	struct ip4_spec ip = { 0 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	struct tl_packet p;
	/* snaplen 96: 14 + 20 + 20 headers, 42 payload bytes captured */
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 96, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, 1400);
	CHECK_UINT(p.ip_payload_len, 1420);
	CHECK_UINT(p.payload_offset, 54);
	CHECK_UINT(p.payload_caplen, 42);
	/* Header only captured */
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 54, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, 1400);
	CHECK_UINT(p.payload_caplen, 0);
	/* IPv6 too */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 100, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, 1400);
	CHECK_UINT(p.payload_caplen, 100 - 74);
}

static void test_ethernet_padding(void)
{
	/* A 54-byte pure ACK padded to the 60-byte Ethernet minimum: the
	 * padding is not payload. */
	struct tcp_spec t = TCP_DEFAULT;
	t.paylen = 0;
	t.flags = TL_TH_ACK;
	struct ip4_spec ip = { 0 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	putfill(&f, 0, 6);
	CHECK_UINT(f.n, 60);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, 0);
	CHECK_UINT(p.payload_caplen, 0);
	/* With 2 bytes of payload, 4 of padding. */
	t.paylen = 2;
	build_eth_v4(&f, &ip, &t);
	putfill(&f, 0, 4);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, 2);
	CHECK_UINT(p.payload_caplen, 2);
}

/* ---- IPv6 ------------------------------------------------------------- */

static void test_ipv6_extension_headers(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct frame f = { .n = 0 };
	/* hop-by-hop (8) -> routing (24) -> fragment (8, first) ->
	 * destination options (16) -> TCP */
	uint32_t ext = 8 + 24 + 8 + 16;
	ethernet(&f, 0x86dd);
	ipv6(&f, 0, ext + tcp_size(&t), 64);
	ext_header(&f, 43, 0);
	ext_header(&f, 44, 2);
	frag_header(&f, 60, 0, false);   /* atomic fragment */
	ext_header(&f, 6, 1);
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ip_offset, 14);
	CHECK_UINT(p.ip_header_len, 40 + ext);
	CHECK_UINT(p.ip_payload_len, tcp_size(&t));
	check_tcp_fields(&p, &t, 14 + 40 + ext);
	CHECK_UINT(p.payload_caplen, t.paylen);

	/* Authentication header: length in 4-byte units minus 2. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 51, 24 + tcp_size(&t), 64);
	put8(&f, 6);
	put8(&f, 4);            /* (4 + 2) * 4 = 24 bytes */
	putfill(&f, 0, 22);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_header_len, 64);
	check_tcp_fields(&p, &t, 14 + 64);
}

static void test_ipv6_later_fragment(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct frame f = { .n = 0 };
	ethernet(&f, 0x86dd);
	ipv6(&f, 44, 8 + tcp_size(&t), 64);
	frag_header(&f, 6, 100, true);
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	/* First fragment (offset 0, M set): not a whole segment. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 0, 8 + 8 + tcp_size(&t), 64);
	ext_header(&f, 44, 0);
	frag_header(&f, 6, 0, true);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_FRAGMENT);
	/* Atomic fragment (offset 0, M clear) still carries TCP. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 44, 8 + tcp_size(&t), 64);
	frag_header(&f, 6, 0, false);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_tcp_fields(&p, &t, 14 + 48);
}

static void test_ipv6_lying_lengths(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	/* The chain runs past the payload length. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 0, 16, 64);        /* says 16 bytes of payload */
	ext_header(&f, 60, 0);
	ext_header(&f, 6, 3);       /* 32 bytes: ends at 40 > 16 */
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* Chain ends inside the payload but leaves no room for TCP. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 60, 8 + 10, 64);
	ext_header(&f, 6, 0);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* A very long chain (200 destination options headers, all captured
	 * and within the payload length) is read, as tshark reads it. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 60, 200 * 8 + tcp_size(&t), 64);
	for (int i = 0; i < 200; i++)
		ext_header(&f, i == 199 ? 6 : 60, 0);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_header_len, 40u + 200 * 8);
	/* A chain of maximum-size headers: 255 -> 2048 bytes each. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 0, 100, 64);
	ext_header(&f, 0, 255);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* TCP data offset beyond the IPv6 payload. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	struct tcp_spec bad = TCP_DEFAULT;
	bad.doff_override = 10;     /* 40 bytes */
	bad.paylen = 20;
	ipv6(&f, 6, 32, 64);
	tcp(&f, &bad);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
}

static void test_ipv6_payload_zero(void)
{
	/* Payload length 0 (jumbogram or TSO): the frame decides. */
	struct tcp_spec t = TCP_DEFAULT;
	struct frame f = { .n = 0 };
	ethernet(&f, 0x86dd);
	ipv6(&f, 6, 0, 64);
	tcp(&f, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_payload_len, tcp_size(&t));
	CHECK_UINT(p.seglen, t.paylen);
}

/* ---- IP in IP --------------------------------------------------------- */

static const uint8_t OUTER4_SRC[4] = { 203, 0, 113, 1 };

static void test_ip_in_ip(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	/* IPv4 in IPv4 (protocol 4): the inner addresses are reported. */
	f.n = 0;
	ethernet(&f, 0x0800);
	struct ip4_spec outer = { .proto = 4, .ttl = 10 };
	struct ip4_spec inner = { .ttl = 20 };
	ipv4(&f, &outer, 20 + tcp_size(&t));
	memcpy(f.b + 14 + 12, OUTER4_SRC, 4);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ttl, 20);
	CHECK_UINT(p.ip_offset, 34);
	CHECK_UINT(p.ip_header_len, 20);
	CHECK_UINT(p.ip_payload_len, tcp_size(&t));
	check_tcp_fields(&p, &t, 54);

	/* IPv6 in IPv4 (protocol 41, 6in4). */
	f.n = 0;
	ethernet(&f, 0x0800);
	struct ip4_spec six = { .proto = 41 };
	ipv4(&f, &six, 40 + tcp_size(&t));
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ip_offset, 34);
	check_tcp_fields(&p, &t, 74);

	/* IPv4 in IPv6 (next header 4). */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 4, 20 + tcp_size(&t), 64);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 54);
	check_tcp_fields(&p, &t, 74);

	/* IPv6 in IPv6 after a destination options header. */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 60, 8 + 40 + tcp_size(&t), 64);
	ext_header(&f, 41, 0);
	ipv6(&f, 6, tcp_size(&t), 7);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ttl, 7);
	CHECK_UINT(p.ip_offset, 14 + 48);
	check_tcp_fields(&p, &t, 14 + 88);

	/* The inner header of a tunnel is not IP at all. */
	f.n = 0;
	ethernet(&f, 0x0800);
	ipv4(&f, &outer, 40);
	putfill(&f, 0x00, 40);
	enum tl_decode_result r = decode(DLT_EN10MB, f.b, f.n, &p);
	CHECK_MSG(r == TL_DECODE_MALFORMED || r == TL_DECODE_NOT_TCP,
	          "tunnel of garbage: got %s", result_name(r));
}

static enum tl_decode_result nested_ipip(int layers, struct tl_packet *p)
{
	static struct frame f;
	struct tcp_spec t = TCP_DEFAULT;
	f.n = 0;
	ethernet(&f, 0x0800);
	for (int i = 0; i < layers - 1; i++) {
		struct ip4_spec ip = { .proto = 4 };
		ipv4(&f, &ip, (uint32_t)(layers - 2 - i) * 20 + 20 +
		     tcp_size(&t));
	}
	struct ip4_spec last = { 0 };
	ipv4(&f, &last, tcp_size(&t));
	tcp(&f, &t);
	return decode(DLT_EN10MB, f.b, f.n, p);
}

static void test_ip_in_ip_depth(void)
{
	/* tshark reads IP in IP hundreds deep (it stops at 500 layers):
	 * 60 and 400 are read, 600 is counted as too deep, without
	 * recursion trouble. */
	struct tl_packet p;
	CHECK_RESULT(nested_ipip(60, &p), TL_DECODE_TCP);
	CHECK_UINT(p.encap_count, 59u);
	/* Every outer header is kept for the fields (ip.src has one
	 * occurrence each), 20 bytes apart after the Ethernet header. */
	CHECK_UINT(p.outer_ip_count, 59u);
	CHECK_UINT(p.outer_ip[0], 14u);
	CHECK_UINT(p.outer_ip[58], 14u + 58u * 20u);
	CHECK_UINT(p.ip_offset, 14u + 59u * 20u);
	CHECK_RESULT(nested_ipip(2, &p), TL_DECODE_TCP);
	CHECK_UINT(p.outer_ip_count, 1u);
	CHECK_RESULT(nested_ipip(1, &p), TL_DECODE_TCP);
	CHECK_UINT(p.outer_ip_count, 0u);
	CHECK_RESULT(nested_ipip(400, &p), TL_DECODE_TCP);
	CHECK_UINT(p.outer_ip_count, (unsigned)TL_MAX_OUTER_IP);
	CHECK_UINT(p.outer_ip[TL_MAX_OUTER_IP - 1],
	           14u + (TL_MAX_OUTER_IP - 1u) * 20u);
	CHECK_RESULT(nested_ipip(600, &p), TL_DECODE_TOO_DEEP);
}

/* CAPWAP data on UDP 5247: header word (HLEN 2 words, binding 802.11,
 * T and F as given), then an Ethernet frame or a native 802.11 one. */
static enum tl_decode_result capwap_frame(bool native, bool fragment,
                                          unsigned preamble,
                                          struct tl_packet *p)
{
	static struct frame f;
	struct tcp_spec t = TCP_DEFAULT;
	uint32_t inner = 20 + tcp_size(&t);
	uint32_t l2 = native ? 24 + 8 : 14;
	f.n = 0;
	ethernet(&f, 0x0800);
	struct ip4_spec outer = { .proto = 17 };
	ipv4(&f, &outer, 8 + 8 + l2 + inner);
	put16(&f, 50000);
	put16(&f, 5247);
	put16(&f, 8 + 8 + l2 + inner);
	put16(&f, 0);
	put32(&f, (uint32_t)preamble << 24 | 2u << 19 | 1u << 9 |
	      (native ? 0x100u : 0) | (fragment ? 0x80u : 0));
	put32(&f, 0);
	if (native) {
		put8(&f, 0x01);         /* frame control, swapped: to DS */
		put8(&f, 0x08);         /* data */
		putfill(&f, 0, 22);
		static const uint8_t snap[8] = { 0xaa, 0xaa, 3, 0, 0, 0, 8, 0 };
		putn(&f, snap, 8);
	} else {
		ethernet(&f, 0x0800);
	}
	struct ip4_spec in = { 0 };
	ipv4(&f, &in, tcp_size(&t));
	tcp(&f, &t);
	return decode(DLT_EN10MB, f.b, f.n, p);
}

static void test_capwap(void)
{
	struct tl_packet p;
	CHECK_RESULT(capwap_frame(false, false, 0, &p), TL_DECODE_TCP);
	CHECK_UINT(p.outer_ip_count, 1u);
	CHECK_RESULT(capwap_frame(true, false, 0, &p), TL_DECODE_TCP);
	/* A fragment is counted, not read; DTLS (preamble type 1) is
	 * encrypted. */
	CHECK_RESULT(capwap_frame(false, true, 0, &p),
	             TL_DECODE_TUNNEL_FRAGMENT);
	CHECK_RESULT(capwap_frame(false, false, 1, &p), TL_DECODE_NOT_TCP);
}

/* ---- TCP options ------------------------------------------------------ */

static void opts(const uint8_t *o, uint32_t n, struct tl_tcp_options *out)
{
	/* Exact-size heap copy so ASan sees any over-read. */
	uint8_t *copy = malloc(n ? n : 1);
	if (n)
		memcpy(copy, o, n);
	memset(out, 0x5a, sizeof *out);
	tl_decode_tcp_options(copy, n, out);
	free(copy);
}

static void test_tcp_options_each(void)
{
	struct tl_tcp_options o;
	static const uint8_t mss[] = { 2, 4, 0x05, 0xb4 };
	opts(mss, sizeof mss, &o);
	CHECK_UINT(o.present, TL_OPT_MSS);
	CHECK_UINT(o.mss, 1460);
	CHECK_UINT(o.sack_count, 0);
	CHECK_UINT(o.unknown_count, 0);

	static const uint8_t ws[] = { 3, 3, 7 };
	opts(ws, sizeof ws, &o);
	CHECK_UINT(o.present, TL_OPT_WSCALE);
	CHECK_UINT(o.wscale, 7);
	/* A shift above 14 is kept as sent; capping is the tracker's job. */
	static const uint8_t ws15[] = { 3, 3, 15 };
	opts(ws15, sizeof ws15, &o);
	CHECK_UINT(o.present, TL_OPT_WSCALE);
	CHECK_UINT(o.wscale, 15);

	static const uint8_t sackp[] = { 4, 2 };
	opts(sackp, sizeof sackp, &o);
	CHECK_UINT(o.present, TL_OPT_SACK_PERM);

	static const uint8_t ts[] = { 8, 10, 0, 0, 0x12, 0x34,
	                              0xff, 0xff, 0xff, 0xfe };
	opts(ts, sizeof ts, &o);
	CHECK_UINT(o.present, TL_OPT_TIMESTAMP);
	CHECK_UINT(o.tsval, 0x1234);
	CHECK_UINT(o.tsecr, 0xfffffffe);

	static const uint8_t nops[] = { 1, 1, 1, 1 };
	opts(nops, sizeof nops, &o);
	CHECK_UINT(o.present, 0);
	CHECK_UINT(o.unknown_count, 0);

	/* Empty option space */
	opts(nops, 0, &o);
	CHECK_UINT(o.present, 0);
}

static void test_tcp_options_sack_blocks(void)
{
	for (unsigned blocks = 1; blocks <= 4; blocks++) {
		uint8_t b[40];
		uint32_t n = 0;
		b[n++] = 1;
		b[n++] = 1;
		b[n++] = 5;
		b[n++] = (uint8_t)(2 + 8 * blocks);
		for (unsigned i = 0; i < blocks; i++) {
			uint32_t l = 0xfffffff0u + i * 0x1000, r = l + 100;
			for (int k = 3; k >= 0; k--)
				b[n++] = (uint8_t)(l >> (8 * k));
			for (int k = 3; k >= 0; k--)
				b[n++] = (uint8_t)(r >> (8 * k));
		}
		struct tl_tcp_options o;
		opts(b, n, &o);
		CHECK_UINT(o.present, TL_OPT_SACK);
		CHECK_UINT(o.sack_count, blocks);
		for (unsigned i = 0; i < blocks; i++) {
			CHECK_UINT(o.sack[i][0], 0xfffffff0u + i * 0x1000);
			CHECK_UINT(o.sack[i][1],
			           (uint32_t)(0xfffffff0u + i * 0x1000 + 100));
		}
	}
	/* A SACK option whose length is not 2 + 8k is not believed. */
	static const uint8_t odd[] = { 5, 6, 0, 0, 0, 1 };
	struct tl_tcp_options o;
	opts(odd, sizeof odd, &o);
	CHECK(!(o.present & TL_OPT_SACK));
	CHECK_UINT(o.sack_count, 0);
	CHECK(o.present & TL_OPT_UNKNOWN);
	CHECK_UINT(o.unknown_count, 1);
	CHECK_UINT(o.unknown[0], 5);
}

static void test_tcp_options_all_together(void)
{
	/* A typical Linux SYN plus a SACK: 40 bytes, every option kind. */
	static const uint8_t o40[] = {
		2, 4, 0x05, 0xb4,                   /* MSS 1460 */
		4, 2,                               /* SACK_PERM */
		8, 10, 0, 0, 0, 1, 0, 0, 0, 2,      /* TS 1 2 */
		1,                                  /* NOP */
		3, 3, 7,                            /* WS 7 */
		5, 10, 0, 0, 0, 10, 0, 0, 0, 20,    /* SACK 10-20 */
		30, 4, 0, 0,                        /* MPTCP: unknown, marked */
		0, 0, 0, 0, 0, 0,                   /* EOL + pad */
	};
	CHECK_UINT(sizeof o40, 40);
	struct tl_tcp_options o;
	opts(o40, sizeof o40, &o);
	CHECK_UINT(o.present, TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_TIMESTAMP |
	                      TL_OPT_WSCALE | TL_OPT_SACK | TL_OPT_UNKNOWN |
	                      TL_OPT_MPTCP);
	CHECK_UINT(o.mss, 1460);
	CHECK_UINT(o.wscale, 7);
	CHECK_UINT(o.tsval, 1);
	CHECK_UINT(o.tsecr, 2);
	CHECK_UINT(o.sack_count, 1);
	CHECK_UINT(o.sack[0][0], 10);
	CHECK_UINT(o.sack[0][1], 20);
	CHECK_UINT(o.unknown_count, 1);
	CHECK_UINT(o.unknown[0], 30);

	/* The same through a whole frame. */
	struct tcp_spec t = TCP_DEFAULT;
	t.flags = TL_TH_SYN;
	t.opts = o40;
	t.optlen = sizeof o40;
	t.paylen = 0;
	struct ip4_spec ip = { 0 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_tcp_fields(&p, &t, 34);
	CHECK_UINT(p.opt.present, o.present);
	CHECK_UINT(p.opt.mss, 1460);
	CHECK_UINT(p.opt.wscale, 7);
}

static void test_tcp_options_eol_stops(void)
{
	/* Anything after EOL is padding, even if it looks like an option. */
	static const uint8_t b[] = { 2, 4, 1, 0, 0, 3, 3, 9 };
	struct tl_tcp_options o;
	opts(b, sizeof b, &o);
	CHECK_UINT(o.present, TL_OPT_MSS);
	CHECK_UINT(o.mss, 256);
	CHECK_UINT(o.wscale, 0);
	/* EOL first: nothing at all, not even malformed garbage after it. */
	static const uint8_t eol[] = { 0, 0xff, 0xff, 0xff };
	opts(eol, sizeof eol, &o);
	CHECK_UINT(o.present, 0);
}

static void test_tcp_options_unknown_kinds(void)
{
	/* Unknown kinds are recorded by number, in order, up to the cap. */
	static const uint8_t b[] = { 34, 2, 254, 4, 0xf9, 0x89, 19, 18,
	                             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                             0, 0, 0, 0, 6, 2, 7, 2, 9, 2, 10, 2,
	                             11, 2, 1, 1 };
	struct tl_tcp_options o;
	opts(b, sizeof b, &o);
	CHECK_UINT(o.present, TL_OPT_UNKNOWN);
	CHECK_UINT(o.unknown_count, TL_MAX_UNKNOWN_OPTS);
	static const uint8_t want[] = { 34, 254, 19, 6, 7, 9 };
	for (unsigned i = 0; i < TL_MAX_UNKNOWN_OPTS; i++)
		CHECK_UINT(o.unknown[i], want[i]);
	/* Known kinds with the wrong length are shown by number too. */
	static const uint8_t wrong[] = { 2, 3, 5, 3, 4, 0, 0, 4, 3, 0, 8, 9,
	                                 0, 0, 0, 0, 0, 0, 0, 1 };
	opts(wrong, sizeof wrong, &o);
	CHECK_UINT(o.present, TL_OPT_UNKNOWN);
	CHECK_UINT(o.unknown_count, 4);
	CHECK_UINT(o.unknown[0], 2);
	CHECK_UINT(o.unknown[1], 3);
	CHECK_UINT(o.unknown[2], 4);
	CHECK_UINT(o.unknown[3], 8);
}

static void test_tcp_options_malformed(void)
{
	struct tl_tcp_options o;
	/* length 0 and length 1: would loop forever if believed */
	static const uint8_t len0[] = { 2, 0, 5, 0xb4 };
	opts(len0, sizeof len0, &o);
	CHECK(o.present & TL_OPT_MALFORMED);
	CHECK(!(o.present & TL_OPT_MSS));
	static const uint8_t len1[] = { 99, 1, 1, 1 };
	opts(len1, sizeof len1, &o);
	CHECK(o.present & TL_OPT_MALFORMED);
	/* overlong: runs past the option space */
	static const uint8_t longer[] = { 1, 1, 8, 10, 0, 0, 0, 1 };
	opts(longer, sizeof longer, &o);
	CHECK(o.present & TL_OPT_MALFORMED);
	CHECK(!(o.present & TL_OPT_TIMESTAMP));
	static const uint8_t huge[] = { 3, 255, 7, 0 };
	opts(huge, sizeof huge, &o);
	CHECK(o.present & TL_OPT_MALFORMED);
	CHECK(!(o.present & TL_OPT_WSCALE));
	/* kind byte with no room for a length byte */
	static const uint8_t kind_only[] = { 1, 1, 1, 2 };
	opts(kind_only, sizeof kind_only, &o);
	CHECK(o.present & TL_OPT_MALFORMED);
	/* options decoded before the bad one are kept */
	static const uint8_t good_then_bad[] = { 2, 4, 0x05, 0xb4, 3, 0, 0, 0 };
	opts(good_then_bad, sizeof good_then_bad, &o);
	CHECK_UINT(o.present, TL_OPT_MSS | TL_OPT_MALFORMED);
	CHECK_UINT(o.mss, 1460);

	/* Through a frame: a malformed option still gives a TCP decode. */
	struct tcp_spec t = TCP_DEFAULT;
	t.opts = huge;
	t.optlen = sizeof huge;
	struct ip4_spec ip = { 0 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	struct tl_packet p;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_tcp_fields(&p, &t, 34);
	CHECK(p.opt.present & TL_OPT_MALFORMED);
}

static void test_tcp_options_exhaustive_small(void)
{
	/* Every 3-byte option space: no crash, no over-read, and the
	 * invariants hold. */
	uint8_t b[3];
	for (unsigned x = 0; x < (1u << 24); x += 7) {
		b[0] = (uint8_t)(x >> 16);
		b[1] = (uint8_t)(x >> 8);
		b[2] = (uint8_t)x;
		struct tl_tcp_options o;
		tl_decode_tcp_options(b, 3, &o);
		if (o.sack_count > TL_MAX_SACK_BLOCKS ||
		    o.unknown_count > TL_MAX_UNKNOWN_OPTS) {
			CHECK_MSG(0, "options %02x %02x %02x: counts %u %u",
			          b[0], b[1], b[2], o.sack_count,
			          o.unknown_count);
			return;
		}
	}
}

static void test_tcp_flags(void)
{
	static const unsigned cases[] = {
		TL_TH_SYN, TL_TH_SYN | TL_TH_ACK, TL_TH_FIN | TL_TH_PSH | TL_TH_ACK,
		TL_TH_RST, TL_TH_URG | TL_TH_ACK, TL_TH_ECE | TL_TH_CWR | TL_TH_SYN,
		TL_TH_NS | TL_TH_ACK, 0x1ff, 0,
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tcp_spec t = TCP_DEFAULT;
		t.flags = cases[i];
		struct ip4_spec ip = { 0 };
		struct frame f;
		build_eth_v4(&f, &ip, &t);
		/* The 3 reserved bits next to NS must not leak into flags. */
		f.b[34 + 12] |= 0x0e;
		struct tl_packet p;
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
		CHECK_UINT(p.flags, cases[i]);
	}
}

static void test_layer_entry_points(void)
{
	/* tl_decode_ip at an offset, tl_decode_tcp after it. */
	struct frame f = { .n = 0 };
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	putfill(&f, 0xee, 7);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	CHECK_RESULT(tl_decode_ip(f.b, f.n, 7, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 7);
	check_tcp_fields(&p, &t, 27);
	CHECK_RESULT(tl_decode_ip(f.b, f.n, f.n, &p), TL_DECODE_TRUNCATED);
	memset(&p, 0, sizeof p);
	p.ip_payload_len = tcp_size(&t);
	CHECK_RESULT(tl_decode_tcp(f.b, f.n, 27, &p), TL_DECODE_TCP);
	CHECK_UINT(p.seglen, t.paylen);
	/* 15 bytes: not even the window is there */
	CHECK_RESULT(tl_decode_tcp(f.b, f.n, f.n - 15, &p),
	             TL_DECODE_TRUNCATED);
	/* 16 bytes of a 20-byte header: analysable, but cut */
	CHECK_RESULT(tl_decode_tcp(f.b, 27 + 16, 27, &p), TL_DECODE_TCP_CUT);
	CHECK_UINT(p.window, t.window);
	CHECK_RESULT(tl_decode_tcp(f.b, f.n, f.n + 5, &p),
	             TL_DECODE_TRUNCATED);
}

/* ---- truncation at every offset --------------------------------------- */

static bool opt_subset(const struct tl_tcp_options *cut,
                       const struct tl_tcp_options *full)
{
	unsigned extra = cut->present & ~full->present & ~TL_OPT_MALFORMED;
	if (extra)
		return false;
	if ((cut->present & TL_OPT_MSS) && cut->mss != full->mss)
		return false;
	if ((cut->present & TL_OPT_WSCALE) && cut->wscale != full->wscale)
		return false;
	if ((cut->present & TL_OPT_TIMESTAMP) &&
	    (cut->tsval != full->tsval || cut->tsecr != full->tsecr))
		return false;
	if (cut->sack_count > full->sack_count)
		return false;
	for (unsigned i = 0; i < cut->sack_count; i++)
		if (cut->sack[i][0] != full->sack[i][0] ||
		    cut->sack[i][1] != full->sack[i][1])
			return false;
	return true;
}

/* Cuts f at every length 0..n-1. Each cut runs on an exact-size heap copy,
 * so ASan proves no read goes past caplen. Expected:
 *  - before ports, numbers, flags and window (16 bytes of TCP) are all
 *    there: TRUNCATED;
 *  - from there until the end of the TCP header (options included):
 *    TCP_CUT, with those fields as in the full decode, payload_offset at
 *    caplen and nothing captured of the payload;
 *  - from the end of the header on: TCP, every header field as in the full
 *    decode, the true seglen, payload_caplen what was captured. */
static void truncate_everywhere(int dlt, const struct frame *f,
                                const char *what)
{
	struct tl_packet full;
	CHECK_RESULT(decode(dlt, f->b, f->n, &full), TL_DECODE_TCP);
	uint32_t fixed_end = full.tcp_offset + 16;
	uint32_t hdr_end = full.tcp_offset + full.tcp_header_len;
	for (uint32_t c = 0; c < f->n; c++) {
		struct tl_packet p;
		enum tl_decode_result r = decode(dlt, f->b, c, &p);
		enum tl_decode_result want = c < fixed_end ? TL_DECODE_TRUNCATED
		                           : c < hdr_end ? TL_DECODE_TCP_CUT
		                           : TL_DECODE_TCP;
		CHECK_MSG(r == want, "%s cut at %u: got %s, want %s", what, c,
		          result_name(r), result_name(want));
		if (r != want || r == TL_DECODE_TRUNCATED)
			continue;
		bool same = p.ip_version == full.ip_version &&
		            memcmp(p.src, full.src, 16) == 0 &&
		            memcmp(p.dst, full.dst, 16) == 0 &&
		            p.ip_offset == full.ip_offset &&
		            p.ip_header_len == full.ip_header_len &&
		            p.ip_payload_len == full.ip_payload_len &&
		            p.tcp_offset == full.tcp_offset &&
		            p.sport == full.sport && p.dport == full.dport &&
		            p.seq == full.seq && p.ack == full.ack &&
		            p.flags == full.flags && p.window == full.window &&
		            p.tcp_header_len == full.tcp_header_len &&
		            p.seglen == full.seglen;
		CHECK_MSG(same, "%s cut at %u: header fields differ from the "
		          "full decode", what, c);
		CHECK_MSG(opt_subset(&p.opt, &full.opt),
		          "%s cut at %u: options not a prefix of the full "
		          "decode (present 0x%x vs 0x%x)", what, c,
		          p.opt.present, full.opt.present);
		if (r == TL_DECODE_TCP_CUT) {
			CHECK_MSG(p.payload_caplen == 0 && p.payload_offset <= c,
			          "%s cut at %u: payload %u+%u", what, c,
			          p.payload_offset, p.payload_caplen);
			if (c >= full.tcp_offset + 20)
				CHECK_MSG(p.checksum == full.checksum &&
				          p.urgent == full.urgent,
				          "%s cut at %u: checksum/urgent", what,
				          c);
			continue;
		}
		CHECK_MSG(p.payload_offset == full.payload_offset &&
		          p.checksum == full.checksum &&
		          p.urgent == full.urgent,
		          "%s cut at %u: payload_offset/checksum/urgent", what,
		          c);
		uint32_t want_cap = c - p.payload_offset;
		if (want_cap > p.seglen)
			want_cap = p.seglen;
		CHECK_MSG(p.payload_caplen == want_cap,
		          "%s cut at %u: payload_caplen %u, want %u", what, c,
		          p.payload_caplen, want_cap);
		CHECK_MSG(p.opt.present == full.opt.present,
		          "%s cut at %u: options differ", what, c);
	}
}

static const uint8_t SYN_OPTS[] = {
	2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
};
static const uint8_t SACK_OPTS[] = {
	1, 1, 5, 18, 0, 0, 0, 10, 0, 0, 0, 20, 0, 0, 0, 30, 0, 0, 0, 40,
};

static void test_truncation_ethernet_ipv4(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	t.opts = SYN_OPTS;
	t.optlen = sizeof SYN_OPTS;
	t.paylen = 30;
	struct ip4_spec ip = { .optlen = 8 };
	struct frame f;
	build_eth_v4(&f, &ip, &t);
	truncate_everywhere(DLT_EN10MB, &f, "eth/ipv4+opts/tcp+opts");
}

static void test_truncation_vlan_ipv6_ext(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	t.opts = SACK_OPTS;
	t.optlen = sizeof SACK_OPTS;
	t.paylen = 20;
	struct frame f = { .n = 0 };
	ethernet(&f, 0x88a8);
	vlan_tag(&f, 1, 0x8100);
	vlan_tag(&f, 2, 0x86dd);
	ipv6(&f, 0, 8 + 24 + 8 + 16 + tcp_size(&t), 64);
	ext_header(&f, 43, 0);
	ext_header(&f, 44, 2);
	frag_header(&f, 60, 0, false);
	ext_header(&f, 6, 1);
	tcp(&f, &t);
	truncate_everywhere(DLT_EN10MB, &f, "qinq/ipv6+ext/tcp+sack");
}

static void test_truncation_other_links(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	t.opts = SYN_OPTS;
	t.optlen = sizeof SYN_OPTS;
	struct ip4_spec ip = { 0 };
	struct frame f = { .n = 0 };
	sll1(&f, 0x0800);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	truncate_everywhere(DLT_LINUX_SLL, &f, "sll");
	f.n = 0;
	sll2(&f, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	truncate_everywhere(DLT_LINUX_SLL2, &f, "sll2");
	f.n = 0;
	loop_header(&f, 2, false);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	truncate_everywhere(DLT_NULL, &f, "null");
	f.n = 0;
	loop_header(&f, 30, true);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	truncate_everywhere(DLT_LOOP, &f, "loop");
	f.n = 0;
	ipv6(&f, 4, 20 + tcp_size(&t), 64);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	truncate_everywhere(DLT_RAW, &f, "raw 4in6");
}

static void gre_header(struct frame *f, unsigned bits, unsigned type)
{
	put16(f, bits);
	put16(f, type);
	if (bits & 0x8000)
		put32(f, 0xc5c50000);   /* checksum + reserved */
	if (bits & 0x2000)
		put32(f, 42);           /* key */
	if (bits & 0x1000)
		put32(f, 7);            /* sequence */
}

static void test_gre(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	struct ip4_spec outer = { .proto = 47 };
	struct ip4_spec inner = { 0 };
	/* Plain GRE, then with checksum, key and sequence number. */
	static const unsigned bits[] = { 0, 0x8000, 0x2000, 0x1000, 0xb000 };
	static const uint32_t glen[] = { 4, 8, 8, 8, 16 };
	for (size_t i = 0; i < 5; i++) {
		f.n = 0;
		ethernet(&f, 0x0800);
		ipv4(&f, &outer, glen[i] + 20 + tcp_size(&t));
		memcpy(f.b + 14 + 12, OUTER4_SRC, 4);
		gre_header(&f, bits[i], 0x0800);
		ipv4(&f, &inner, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
		check_v4_addrs(&p);
		CHECK_UINT(p.ip_offset, 34 + glen[i]);
		check_tcp_fields(&p, &t, 54 + glen[i]);
	}
	/* IPv6 over GRE over IPv6 */
	f.n = 0;
	ethernet(&f, 0x86dd);
	ipv6(&f, 47, 4 + 40 + tcp_size(&t), 64);
	gre_header(&f, 0, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 9);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ttl, 9);
	CHECK_UINT(p.ip_offset, 14 + 44);
	check_tcp_fields(&p, &t, 14 + 84);
	/* Ethernet over GRE (0x6558) and PPTP's enhanced GRE (version 1)
	 * are not followed. */
	f.n = 0;
	ethernet(&f, 0x0800);
	ipv4(&f, &outer, 4 + 20 + tcp_size(&t));
	gre_header(&f, 0, 0x6558);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	f.n = 0;
	ethernet(&f, 0x0800);
	ipv4(&f, &outer, 4 + 20 + tcp_size(&t));
	gre_header(&f, 0x0001, 0x0800);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	/* GRE with every optional word, cut everywhere. */
	f.n = 0;
	ethernet(&f, 0x0800);
	ipv4(&f, &outer, 16 + 20 + tcp_size(&t));
	gre_header(&f, 0xb000, 0x0800);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	truncate_everywhere(DLT_EN10MB, &f, "gre");
}

/* 802.11 data frame header: frame control, duration, 3 or 4 addresses,
 * sequence control, then QoS / HT control as the frame control says. */
static void wlan_header(struct frame *f, unsigned fc0, unsigned fc1)
{
	put8(f, fc0);
	put8(f, fc1);
	put16(f, 0);
	putfill(f, 0x11, 18);   /* addr1..3 */
	put16(f, 0x10);         /* sequence control */
	if ((fc1 & 3) == 3)
		putfill(f, 0x44, 6);
	if (fc0 & 0x80) {
		put16(f, 0);
		if (fc1 & 0x80)
			put32(f, 0);
	}
}

static void llc_snap(struct frame *f, unsigned type)
{
	put8(f, 0xaa);
	put8(f, 0xaa);
	put8(f, 0x03);
	put8(f, 0);
	put8(f, 0);
	put8(f, 0);
	put16(f, type);
}

/* 802.1ah PBB, NSH and MACsec (decode_shim.c): read down to the TCP
 * inside, and their own lengths checked. */
static void test_shims(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	struct ip4_spec inner = { 0 };
	/* PBB: I-tag, customer addresses, C-VLAN, IPv4 */
	f.n = 0;
	ethernet(&f, 0x88e7);
	put32(&f, 0x00012345);
	ethernet(&f, 0x8100);
	vlan_tag(&f, 100, 0x0800);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 14 + 4 + 14 + 4);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 14 + 3, &p),
	             TL_DECODE_TRUNCATED);
	/* NSH, MD type 1 (length 6 words) and 2 (no metadata), IPv4 */
	static const unsigned lengths[] = { 6, 2 };
	for (size_t k = 0; k < 2; k++) {
		unsigned words = lengths[k];
		f.n = 0;
		ethernet(&f, 0x894f);
		put16(&f, (63u << 6) | words);
		put8(&f, words == 6 ? 1 : 2);
		put8(&f, 1);
		put32(&f, (42u << 8) | 255);
		putfill(&f, 0, (words - 2) * 4);
		ipv4(&f, &inner, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
		check_v4_addrs(&p);
		CHECK_UINT(p.ip_offset, 14 + words * 4);
	}
	/* a length shorter than NSH's own 8 bytes; next protocol unknown;
	 * cut before the service path */
	f.b[14 + 1] = 1;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	f.b[14 + 1] = 2;
	f.b[14 + 3] = 0x77;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 14 + 7, &p),
	             TL_DECODE_TRUNCATED);
	/* NSH in NSH, nested past tshark's depth: counted, not recursed */
	f.n = 0;
	ethernet(&f, 0x894f);
	for (unsigned i = 0; i < 600; i++) {
		put16(&f, (63u << 6) | 2);
		put8(&f, 2);
		put8(&f, 4);
		put32(&f, (42u << 8) | 255);
	}
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TOO_DEEP);
	/* MACsec, integrity only: SecTAG with SCI, ethertype, IPv4, ICV */
	f.n = 0;
	ethernet(&f, 0x88e5);
	put8(&f, 0x21);
	put8(&f, 0);
	put32(&f, 7);
	putfill(&f, 2, 8);
	put16(&f, 0x0800);
	ipv4(&f, &inner, tcp_size(&t));
	tcp(&f, &t);
	putfill(&f, 0xee, 16);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 14 + 14 + 2);
	CHECK_UINT(p.seglen, t.paylen);
	/* a short length that ends the data inside the IP header */
	f.b[14 + 1] = 10;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_TRUNCATED);
	f.b[14 + 1] = 1;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_MALFORMED);
	/* encrypted (E and C): counted; version 1: not read */
	f.b[14 + 1] = 0;
	f.b[14] = 0x2d;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_ENCRYPTED);
	f.b[14] = 0xa1;
	CHECK_RESULT(decode(DLT_EN10MB, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	CHECK_RESULT(decode(DLT_EN10MB, f.b, 14 + 5, &p),
	             TL_DECODE_TRUNCATED);
}

/* pf's log, Apple's PKTAP, OpenBSD's enc(4) (decode_meta.c) and ATM
 * with LLC/SNAP: the packet after their header, their lengths checked. */
static void test_meta_links(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct tl_packet p;
	struct frame f;
	struct ip4_spec ip = { 0 };
	/* pflog: length 61, padded to 64, AF_INET */
	f.n = 0;
	put8(&f, 61);
	put8(&f, 2);
	putfill(&f, 0, 62);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(117, f.b, f.n, &p), TL_DECODE_TCP);
	check_v4_addrs(&p);
	CHECK_UINT(p.ip_offset, 64);
	f.b[1] = 17;                    /* a family that is not IP */
	CHECK_RESULT(decode(117, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	f.b[0] = 20;                    /* shorter than any pf header */
	CHECK_RESULT(decode(117, f.b, f.n, &p), TL_DECODE_MALFORMED);
	CHECK_RESULT(decode(117, f.b, 1, &p), TL_DECODE_TRUNCATED);
	/* PKTAP: 108-byte header, then BSD loopback (AF 2, host order) */
	f.n = 0;
	put32(&f, 0x6c000000);          /* 108, little-endian */
	put32(&f, 0x01000000);          /* a packet */
	put32(&f, 0);                   /* DLT_NULL */
	putfill(&f, 0, 96);
	put32(&f, 0x02000000);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(258, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 112);
	f.b[4] = 2;                     /* a service record */
	CHECK_RESULT(decode(258, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	f.b[4] = 1;
	f.b[0] = 100;                   /* shorter than version 1's header */
	CHECK_RESULT(decode(258, f.b, f.n, &p), TL_DECODE_MALFORMED);
	f.b[0] = 108;
	CHECK_RESULT(decode(258, f.b, 110, &p), TL_DECODE_TRUNCATED);
	CHECK_RESULT(decode(258, f.b, 11, &p), TL_DECODE_TRUNCATED);
	CHECK(tl_decode_link_supported(117) && tl_decode_link_supported(258));
	/* enc(4): the family in either byte order, then IPv4 */
	f.n = 0;
	put32(&f, 2);
	put32(&f, 0x1234);
	put32(&f, 0);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(109, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 12);
	f.b[0] = 2, f.b[3] = 0;
	CHECK_RESULT(decode(109, f.b, f.n, &p), TL_DECODE_TCP);
	f.b[0] = 17;
	CHECK_RESULT(decode(109, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	CHECK_RESULT(decode(109, f.b, 11, &p), TL_DECODE_TRUNCATED);
	/* ATM, LLC/SNAP */
	f.n = 0;
	putn(&f, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
	ipv4(&f, &ip, tcp_size(&t));
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_ATM_RFC1483, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.ip_offset, 8);
}

/* One A-MSDU subframe holding LLC/SNAP, IPv4 and TCP (sport as given),
 * padded to 4 bytes unless last. */
static void amsdu_subframe(struct frame *f, uint16_t sport, bool last)
{
	struct ip4_spec ip = { 0 };
	struct tcp_spec t = TCP_DEFAULT;
	t.sport = sport;
	uint32_t start = f->n;
	putfill(f, 0x22, 12);
	put16(f, 8 + 20 + tcp_size(&t));
	llc_snap(f, 0x0800);
	ipv4(f, &ip, tcp_size(&t));
	tcp(f, &t);
	while (!last && (f->n - start) % 4)
		put8(f, 0);
}

/* QoS data with the A-MSDU present bit: the first subframe with TCP is
 * the frame's segment, and amsdu_next leads to the others. */
static void test_ieee80211_amsdu(void)
{
	struct frame f = { .n = 0 };
	struct tl_packet p;
	wlan_header(&f, 0x88, 0x01);
	f.b[24] = 0x80;                 /* QoS control: A-MSDU present */
	uint32_t first = f.n;
	amsdu_subframe(&f, 1001, false);
	uint32_t second = f.n;
	amsdu_subframe(&f, 1002, false);
	uint32_t third = f.n;
	amsdu_subframe(&f, 1003, true);
	CHECK_UINT((second - first) % 4, 0);
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.sport, 1001);
	CHECK_UINT(p.ip_offset, first + 14 + 8);
	CHECK_UINT(p.amsdu_next, second);
	CHECK_RESULT(tl_decode_amsdu(f.b, f.n, p.amsdu_next, &p),
	             TL_DECODE_TCP);
	CHECK_UINT(p.sport, 1002);
	CHECK_UINT(p.amsdu_next, third);
	CHECK_RESULT(tl_decode_amsdu(f.b, f.n, p.amsdu_next, &p),
	             TL_DECODE_TCP);
	CHECK_UINT(p.sport, 1003);
	CHECK_UINT(p.amsdu_next, 0);
	/* a first subframe without TCP (ARP): the second is the segment */
	f.b[first + 14 + 6] = 0x08, f.b[first + 14 + 7] = 0x06;
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.sport, 1002);
	/* no subframe with TCP: the first one's answer */
	f.b[second + 14 + 6] = 0x08, f.b[second + 14 + 7] = 0x06;
	f.b[third + 14 + 6] = 0x08, f.b[third + 14 + 7] = 0x06;
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p), TL_DECODE_NOT_TCP);
	/* cut inside the first subframe's header; inside the second's */
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, first + 10, &p),
	             TL_DECODE_TRUNCATED);
	f.b[first + 14 + 6] = 0x08, f.b[first + 14 + 7] = 0x00;
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, second + 10, &p),
	             TL_DECODE_TCP);
	CHECK_UINT(p.amsdu_next, second);
	CHECK_RESULT(tl_decode_amsdu(f.b, second + 10, second, &p),
	             TL_DECODE_TRUNCATED);
	/* a length past the frame: the subframe ends with the capture, and
	 * there is no next one */
	f.b[first + 12] = 0xff, f.b[first + 13] = 0xff;
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p), TL_DECODE_TCP);
	CHECK_UINT(p.amsdu_next, 0);
	/* the QoS control cut off */
	CHECK_RESULT(decode(DLT_IEEE802_11, f.b, 25, &p), TL_DECODE_TRUNCATED);
}

static void test_ieee80211(void)
{
	struct tcp_spec t = TCP_DEFAULT;
	struct ip4_spec ip = { 0 };
	struct tl_packet p;
	struct frame f;
	/* data, QoS data, four-address, QoS + HT control */
	static const uint8_t fc[][2] = {
		{ 0x08, 0x01 }, { 0x88, 0x02 }, { 0x08, 0x03 }, { 0x88, 0x83 },
	};
	static const uint32_t hlen[] = { 24, 26, 30, 36 };
	for (size_t i = 0; i < 4; i++) {
		f.n = 0;
		wlan_header(&f, fc[i][0], fc[i][1]);
		CHECK_UINT(f.n, hlen[i]);
		llc_snap(&f, 0x0800);
		ipv4(&f, &ip, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p),
		             TL_DECODE_TCP);
		check_v4_addrs(&p);
		CHECK_UINT(p.ip_offset, hlen[i] + 8);
		check_tcp_fields(&p, &t, hlen[i] + 28);
	}
	/* protected, null data, beacon: nothing to read */
	static const uint8_t none[][2] = {
		{ 0x08, 0x41 }, { 0x48, 0x01 }, { 0xc8, 0x01 }, { 0x80, 0x00 },
	};
	for (size_t i = 0; i < 4; i++) {
		f.n = 0;
		wlan_header(&f, none[i][0], none[i][1]);
		llc_snap(&f, 0x0800);
		ipv4(&f, &ip, tcp_size(&t));
		tcp(&f, &t);
		CHECK_RESULT(decode(DLT_IEEE802_11, f.b, f.n, &p),
		             TL_DECODE_NOT_TCP);
	}
	/* radiotap: little-endian length, then 802.11 */
	f.n = 0;
	put8(&f, 0);
	put8(&f, 0);
	put8(&f, 12);
	put8(&f, 0);
	putfill(&f, 0, 8);
	wlan_header(&f, 0x88, 0x01);
	llc_snap(&f, 0x86dd);
	ipv6(&f, 6, tcp_size(&t), 64);
	tcp(&f, &t);
	CHECK_RESULT(decode(DLT_IEEE802_11_RADIO, f.b, f.n, &p), TL_DECODE_TCP);
	check_v6_addrs(&p);
	CHECK_UINT(p.ip_offset, 12 + 26 + 8);
	truncate_everywhere(DLT_IEEE802_11_RADIO, &f, "radiotap");
	/* a radiotap length shorter than its own header */
	f.b[2] = 4;
	CHECK_RESULT(decode(DLT_IEEE802_11_RADIO, f.b, f.n, &p),
	             TL_DECODE_MALFORMED);
	/* a radiotap length past the capture */
	f.b[2] = 0xff;
	f.b[3] = 0xff;
	CHECK_RESULT(decode(DLT_IEEE802_11_RADIO, f.b, f.n, &p),
	             TL_DECODE_TRUNCATED);
}

/* ---- robustness -------------------------------------------------------- */

static uint32_t rng_state = 0x12345678u;
static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_random_mutations(void)
{
	/* Flip bytes of valid frames: every answer is one of the enum's
	 * values, a TCP answer is self-consistent, and nothing reads past
	 * caplen (ASan). */
	struct tcp_spec t = TCP_DEFAULT;
	t.opts = SYN_OPTS;
	t.optlen = sizeof SYN_OPTS;
	struct frame base = { .n = 0 };
	ethernet(&base, 0x8100);
	vlan_tag(&base, 3, 0x86dd);
	ipv6(&base, 0, 16 + tcp_size(&t), 64);
	ext_header(&base, 60, 0);
	ext_header(&base, 6, 0);
	tcp(&base, &t);
	static const int dlts[] = { DLT_EN10MB, DLT_RAW, DLT_NULL,
	                            DLT_LINUX_SLL, DLT_LINUX_SLL2 };
	for (int iter = 0; iter < 200000; iter++) {
		struct frame f = base;
		int flips = 1 + (int)(rng() % 4);
		for (int k = 0; k < flips; k++)
			f.b[rng() % f.n] = (uint8_t)rng();
		uint32_t caplen = rng() % (f.n + 1);
		int dlt = dlts[rng() % 5];
		struct tl_packet p;
		enum tl_decode_result r = decode(dlt, f.b, caplen, &p);
		if (r > TL_DECODE_UNSUPPORTED) {
			CHECK_MSG(0, "iteration %d: result %d", iter, (int)r);
			return;
		}
		if (r != TL_DECODE_TCP)
			continue;
		if (p.tcp_offset + 20 > caplen ||
		    p.tcp_header_len < 20 ||
		    p.seglen + p.tcp_header_len != p.ip_payload_len ||
		    p.payload_caplen > p.seglen ||
		    (p.payload_caplen &&
		     p.payload_offset + p.payload_caplen > caplen)) {
			CHECK_MSG(0, "iteration %d: inconsistent TCP decode "
			          "(caplen %u tcp_offset %u hlen %u seglen %u "
			          "ip_payload %u payload %u+%u)", iter, caplen,
			          p.tcp_offset, p.tcp_header_len, p.seglen,
			          p.ip_payload_len, p.payload_offset,
			          p.payload_caplen);
			return;
		}
	}
}

/* A header the snap length cut: cut for 4.0 only when its option walk
 * reads past the capture (docs/analysis.md, "Which rows"). */
static void test_options_walk_and_cut(void)
{
	uint8_t h[60] = {
		0x9c, 0x40, 0x00, 0x50, 0, 0, 0x03, 0xe8, 0, 0, 0, 1,
		0xa0, 0x10, 0x10, 0x00, 0, 0, 0, 0,
		/* NOP, kind 99 with length 1: the walk ends here */
		0x01, 0x63, 0x01, 0x00, 0x08, 0x0a, 1, 2, 3, 4,
		5, 6, 7, 8, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	};
	struct tl_packet p;
	memset(&p, 0, sizeof p);
	p.ip_payload_len = 40;
	CHECK_RESULT(tl_decode_tcp(h, 24, 0, &p), TL_DECODE_TCP);
	CHECK(!p.options_cut);
	CHECK_UINT(p.payload_caplen, 0);
	/* a timestamp option cut in the middle: the walk reads the cut */
	h[21] = 0x01;
	h[22] = 0x01;
	h[23] = 0x01;
	memset(&p, 0, sizeof p);
	p.ip_payload_len = 40;
	CHECK_RESULT(tl_decode_tcp(h, 28, 0, &p), TL_DECODE_TCP_CUT);
	CHECK(p.options_cut);
	/* a SACK cut after its first block: that block counts */
	uint8_t s[60] = {
		0x9c, 0x40, 0x00, 0x50, 0, 0, 0x03, 0xe8, 0, 0, 0, 1,
		0xa0, 0x10, 0x10, 0x00, 0, 0, 0, 0,
		0x01, 0x01, 0x05, 0x12, 0, 0, 0, 10, 0, 0, 0, 20,
		0, 0, 0, 30,
	};
	memset(&p, 0, sizeof p);
	p.ip_payload_len = 40;
	CHECK_RESULT(tl_decode_tcp(s, 36, 0, &p), TL_DECODE_TCP_CUT);
	CHECK_UINT(p.opt.sack_count, 1);
	CHECK_UINT(p.opt.sack[0][1], 20);
	/* 16 to 19 bytes of a header without options: still cut */
	memset(&p, 0, sizeof p);
	p.ip_payload_len = 20;
	s[12] = 0x50;
	CHECK_RESULT(tl_decode_tcp(s, 18, 0, &p), TL_DECODE_TCP_CUT);
}

static const struct check_test tests[] = {
	CHECK_TEST(test_ethernet_ipv4),
	CHECK_TEST(test_ethernet_vlan),
	CHECK_TEST(test_ethernet_qinq),
	CHECK_TEST(test_ethernet_too_many_tags),
	CHECK_TEST(test_ethernet_not_tcp),
	CHECK_TEST(test_ethernet_llc_snap),
	CHECK_TEST(test_linux_sll),
	CHECK_TEST(test_linux_sll2),
	CHECK_TEST(test_raw_ip),
	CHECK_TEST(test_null_loop),
	CHECK_TEST(test_unsupported_link),
	CHECK_TEST(test_ipv4_options),
	CHECK_TEST(test_ipv4_fragments),
	CHECK_TEST(test_mpls_pseudowire),
	CHECK_TEST(test_ipv4_lying_lengths),
	CHECK_TEST(test_ipv4_total_zero_tso),
	CHECK_TEST(test_truncated_payload_keeps_seglen),
	CHECK_TEST(test_ethernet_padding),
	CHECK_TEST(test_ipv6_extension_headers),
	CHECK_TEST(test_ipv6_later_fragment),
	CHECK_TEST(test_ipv6_lying_lengths),
	CHECK_TEST(test_ipv6_payload_zero),
	CHECK_TEST(test_ip_in_ip),
	CHECK_TEST(test_ip_in_ip_depth),
	CHECK_TEST(test_capwap),
	CHECK_TEST(test_gre),
	CHECK_TEST(test_shims),
	CHECK_TEST(test_meta_links),
	CHECK_TEST(test_ieee80211),
	CHECK_TEST(test_ieee80211_amsdu),
	CHECK_TEST(test_tcp_options_each),
	CHECK_TEST(test_tcp_options_sack_blocks),
	CHECK_TEST(test_tcp_options_all_together),
	CHECK_TEST(test_tcp_options_eol_stops),
	CHECK_TEST(test_tcp_options_unknown_kinds),
	CHECK_TEST(test_tcp_options_malformed),
	CHECK_TEST(test_tcp_options_exhaustive_small),
	CHECK_TEST(test_tcp_flags),
	CHECK_TEST(test_layer_entry_points),
	CHECK_TEST(test_options_walk_and_cut),
	CHECK_TEST(test_truncation_ethernet_ipv4),
	CHECK_TEST(test_truncation_vlan_ipv6_ext),
	CHECK_TEST(test_truncation_other_links),
	CHECK_TEST(test_random_mutations),
};

int main(void)
{
	return check_run(tests, CHECK_COUNT(tests));
}

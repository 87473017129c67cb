/* Link layers: find where the IP header starts. */
#include "config.h"

#include "decode_int.h"

#include <pcap/dlt.h>
#include <stddef.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOE 0x8864
#define ETHERTYPE_MPLS 0x8847
#define ETHERTYPE_MPLS_MC 0x8848
#define ETHERTYPE_PPP 0x880b
#define ETHERTYPE_TEB 0x6558
#define ETHERTYPE_PBB 0x88e7
#define ETHERTYPE_NSH 0x894f
#define ETHERTYPE_MACSEC 0x88e5
#define ETHERTYPE_ARP 0x0806

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_NFLOG
#define DLT_NFLOG 239
#endif
#ifndef DLT_IPOIB
#define DLT_IPOIB 242
#endif
#ifndef DLT_NETANALYZER
#define DLT_NETANALYZER 240
#endif
#ifndef DLT_NETANALYZER_TRANSPARENT
#define DLT_NETANALYZER_TRANSPARENT 241
#endif
#ifndef DLT_IPNET
#define DLT_IPNET 226
#endif
#ifndef DLT_MPLS
#define DLT_MPLS 219
#endif

enum tl_decode_result tl_dec_ip_nibble(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt,
                                       unsigned depth)
{
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	unsigned version = f[off] >> 4;
	if (version != 4 && version != 6)
		return TL_DECODE_NOT_TCP;
	return tl_dec_ip(f, caplen, off, pkt, depth);
}

/* An Ethernet pseudowire, which tshark 4.0 guesses when the first nibble
 * after the labels is 0: Ethernet right away if both addresses' OUIs are
 * registered, else a 4-byte control word first (RFC 4448). */
static enum tl_decode_result pw_ethernet(const uint8_t *f, uint32_t caplen,
                                         uint32_t off, struct tl_packet *pkt,
                                         unsigned depth)
{
	if (!tl_have(caplen, off, 9))
		return TL_DECODE_TRUNCATED;
	if (!tl_oui_known(f + off) || !tl_oui_known(f + off + 6)) {
		tl_proto_seen(pkt, TL_PROTO_PW_CW);
		off += 4;
	}
	tl_note_encap(pkt, TL_ENCAP_ETHERNET, off);
	return tl_dec_ethernet(f, caplen, off, pkt, depth + 1);
}

/* MPLS carries no payload type: after the bottom label tshark 4.0 guesses
 * from the first nibble, IPv4 (4), IPv6 (6) or an Ethernet pseudowire
 * (0); anything else is no TCP. */
enum tl_decode_result tl_dec_mpls(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth)
{
	tl_note_encap(pkt, TL_ENCAP_MPLS, off);
	for (;;) {
		if (++depth > TL_MAX_NESTING)
			return TL_DECODE_TOO_DEEP;
		if (!tl_have(caplen, off, 4))
			return TL_DECODE_TRUNCATED;
		bool bottom = f[off + 2] & 1;
		off += 4;
		if (bottom)
			break;
	}
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	unsigned nibble = f[off] >> 4;
	if (nibble == 4 || nibble == 6)
		return tl_dec_ip(f, caplen, off, pkt, depth);
	if (nibble == 0)
		return pw_ethernet(f, caplen, off, pkt, depth);
	return TL_DECODE_NOT_TCP;
}

enum tl_decode_result tl_dec_ppp_proto(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt,
                                       unsigned depth)
{
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	unsigned proto;
	/* A protocol field may be compressed to one byte (odd first byte). */
	if (f[off] & 1) {
		proto = f[off];
		off += 1;
	} else {
		if (!tl_have(caplen, off, 2))
			return TL_DECODE_TRUNCATED;
		proto = tl_get_be16(f + off);
		off += 2;
	}
	tl_proto_seen(pkt, TL_PROTO_PPP);
	switch (proto) {
	case 0x0021:
	case 0x0057:
		return tl_dec_ip(f, caplen, off, pkt, depth + 1);
	case 0x0281:
	case 0x0283:
		return tl_dec_mpls(f, caplen, off, pkt, depth + 1);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

enum tl_decode_result tl_dec_ppp(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth)
{
	tl_note_encap(pkt, TL_ENCAP_PPP, off);
	if (tl_have(caplen, off, 2) && f[off] == 0xff && f[off + 1] == 0x03)
		off += 2;
	return tl_dec_ppp_proto(f, caplen, off, pkt, depth);
}

/* PPPoE session: the PPPoE length ends the payload, so Ethernet padding is
 * not taken for TCP data. */
static enum tl_decode_result pppoe(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt,
                                   unsigned depth)
{
	tl_note_encap(pkt, TL_ENCAP_PPPOE, off);
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	if (f[off + 1] != 0x00)         /* session data, not discovery */
		return TL_DECODE_NOT_TCP;
	uint32_t len = tl_get_be16(f + off + 4);
	uint32_t end = off + 6 + len;
	if (end < caplen)
		caplen = end;
	return tl_dec_ppp_proto(f, caplen, off + 6, pkt, depth + 1);
}

enum tl_decode_result tl_dec_ethertype(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, uint16_t type,
                                       struct tl_packet *pkt, unsigned depth)
{
	for (unsigned tags = 0;; tags++) {
		/* tshark reads 20 VLAN tags in a row, no more. */
		if (++depth > TL_MAX_NESTING || tags > TL_MAX_VLAN_TAGS)
			return TL_DECODE_TOO_DEEP;
		switch (type) {
		case ETHERTYPE_IPV4:
		case ETHERTYPE_IPV6:
			return tl_dec_ip_nibble(f, caplen, off, pkt, depth);
		case ETHERTYPE_VLAN:
		case ETHERTYPE_QINQ:
		case ETHERTYPE_QINQ_OLD:
			tl_proto_seen(pkt, type == ETHERTYPE_QINQ
			                   ? TL_PROTO_8021AD : TL_PROTO_VLAN);
			if (!tl_have(caplen, off, 4))
				return TL_DECODE_TRUNCATED;
			type = tl_get_be16(f + off + 2);
			off += 4;
			break;
		case ETHERTYPE_PPPOE:
			return pppoe(f, caplen, off, pkt, depth);
		case ETHERTYPE_MPLS:
		case ETHERTYPE_MPLS_MC:
			return tl_dec_mpls(f, caplen, off, pkt, depth);
		case ETHERTYPE_PPP:
			return tl_dec_ppp(f, caplen, off, pkt, depth);
		case ETHERTYPE_TEB:
			tl_note_encap(pkt, TL_ENCAP_ETHERNET, off);
			return tl_dec_ethernet(f, caplen, off, pkt, depth);
		case ETHERTYPE_PBB:
			return tl_dec_pbb(f, caplen, off, pkt, depth);
		case ETHERTYPE_NSH:
			return tl_dec_nsh(f, caplen, off, pkt, depth);
		case ETHERTYPE_MACSEC:
			return tl_dec_macsec(f, caplen, off, pkt, depth);
		case ETHERTYPE_ARP:     /* an A-MSDU's other subframe */
			tl_proto_seen(pkt, TL_PROTO_ARP);
			return TL_DECODE_NOT_TCP;
		default:
			return TL_DECODE_NOT_TCP;
		}
	}
}

/* LLC/SNAP (aa aa 03, OUI, ethertype) as 802.3, FDDI and Token Ring carry
 * IP. */
static enum tl_decode_result llc_snap(const uint8_t *f, uint32_t caplen,
                                      uint32_t off, struct tl_packet *pkt,
                                      unsigned depth)
{
	tl_proto_seen(pkt, TL_PROTO_LLC);
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	if (f[off] != 0xaa || f[off + 1] != 0xaa || f[off + 2] != 0x03)
		return TL_DECODE_NOT_TCP;
	return tl_dec_ethertype(f, caplen, off + 8, tl_get_be16(f + off + 6),
	                        pkt, depth);
}

enum tl_decode_result tl_dec_ethernet(const uint8_t *f, uint32_t caplen,
                                      uint32_t off, struct tl_packet *pkt,
                                      unsigned depth)
{
	tl_proto_seen(pkt, TL_PROTO_ETH);
	if (!tl_have(caplen, off, 14))
		return TL_DECODE_TRUNCATED;
	uint16_t type = tl_get_be16(f + off + 12);
	if (type >= 1536) {
		return tl_dec_ethertype(f, caplen, off + 14, type, pkt,
		                        depth);
	}
	/* 802.3 length field: only LLC/SNAP can carry an ethertype. */
	return llc_snap(f, caplen, off + 14, pkt, depth);
}

/* An A-MSDU's subframes from off: each a destination, a source, a
 * big-endian length, the MSDU (LLC/SNAP) and padding to 4 bytes but the
 * last. tshark reads every one; the first that carries TCP is the frame's
 * segment, and pkt->amsdu_next says where the next subframe starts (0 if
 * none) for tl_decode_amsdu. Without TCP, the first subframe's result. */
static enum tl_decode_result amsdu(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt,
                                   unsigned depth)
{
	const uint8_t encaps = pkt->encap_count, outer = pkt->outer_ip_count;
	enum tl_decode_result first = TL_DECODE_NOT_TCP;
	pkt->amsdu_next = 0;
	for (unsigned n = 0; off < caplen; n++) {
		if (!tl_have(caplen, off, 14))
			return n ? first : TL_DECODE_TRUNCATED;
		uint32_t len = tl_get_be16(f + off + 12);
		uint32_t end = caplen - (off + 14) > len ? off + 14 + len : caplen;
		pkt->encap_count = encaps;
		pkt->outer_ip_count = outer;
		enum tl_decode_result r = llc_snap(f, end, off + 14, pkt,
		                                   depth + 1);
		/* the next one starts 4-aligned from this one's start */
		uint64_t next = (uint64_t)off + ((14u + len + 3u) & ~3u);
		if (r == TL_DECODE_TCP || r == TL_DECODE_TCP_CUT) {
			if (next < caplen)
				pkt->amsdu_next = (uint32_t)next;
			return r;
		}
		if (!n)
			first = r;
		if (next >= caplen)
			break;
		off = (uint32_t)next;
	}
	return first;
}

enum tl_decode_result tl_decode_amsdu(const uint8_t *f, uint32_t caplen,
                                      uint32_t off, struct tl_packet *pkt)
{
	pkt->encap_count = 0;
	pkt->outer_ip_count = 0;
	pkt->in_error = false;
	pkt->protos = 0;
	return amsdu(f, caplen, off, pkt, 1);
}

/* 802.11 data frames carry IP behind LLC/SNAP; management and control
 * frames, and encrypted payloads, carry nothing we can read. */
enum tl_decode_result tl_dec_80211(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt,
                                   unsigned depth)
{
	return tl_dec_80211_swapped(f, caplen, off, false, pkt, depth);
}

enum tl_decode_result tl_dec_80211_swapped(const uint8_t *f, uint32_t caplen,
                                           uint32_t off, bool swapped,
                                           struct tl_packet *pkt,
                                           unsigned depth)
{
	tl_proto_seen(pkt, TL_PROTO_WLAN);
	if (!tl_have(caplen, off, 24))
		return TL_DECODE_TRUNCATED;
	uint8_t fc0 = f[off + swapped], fc1 = f[off + !swapped];
	if (((fc0 >> 2) & 3) != 2 || (fc0 & 0x40) || (fc1 & 0x40))
		return TL_DECODE_NOT_TCP;   /* not data, null data, protected */
	uint32_t hlen = 24;
	bool amsdu_present = false;
	if ((fc1 & 3) == 3)
		hlen += 6;                  /* four-address frame */
	if (fc0 & 0x80) {
		if (!tl_have(caplen, off + hlen, 2))
			return TL_DECODE_TRUNCATED;
		amsdu_present = f[off + hlen] & 0x80;
		hlen += 2;                  /* QoS control */
		if (fc1 & 0x80)
			hlen += 4;          /* HT control */
	}
	if (off + hlen < off)
		return TL_DECODE_TRUNCATED;
	if (amsdu_present)
		return amsdu(f, caplen, off + hlen, pkt, depth + 1);
	return llc_snap(f, caplen, off + hlen, pkt, depth + 1);
}

static enum tl_decode_result radiotap(const uint8_t *f, uint32_t caplen,
                                      struct tl_packet *pkt)
{
	tl_proto_seen(pkt, TL_PROTO_RADIOTAP);
	tl_proto_seen(pkt, TL_PROTO_WLAN_RADIO);
	if (caplen < 8)
		return TL_DECODE_TRUNCATED;
	uint32_t len = (uint32_t)f[2] | ((uint32_t)f[3] << 8);
	if (len < 8)
		return TL_DECODE_MALFORMED;
	return tl_dec_80211(f, caplen, len, pkt, 1);
}

/* Per-Packet Information: a little-endian length and the link type of
 * what follows (802.11 or Ethernet in practice). */
static enum tl_decode_result ppi(const uint8_t *f, uint32_t caplen,
                                 struct tl_packet *pkt)
{
	tl_proto_seen(pkt, TL_PROTO_PPI);
	if (caplen < 8)
		return TL_DECODE_TRUNCATED;
	uint32_t len = (uint32_t)f[2] | ((uint32_t)f[3] << 8);
	uint32_t dlt = (uint32_t)f[4] | ((uint32_t)f[5] << 8) |
	               ((uint32_t)f[6] << 16) | ((uint32_t)f[7] << 24);
	if (len < 8)
		return TL_DECODE_MALFORMED;
	if (dlt == DLT_IEEE802_11)
		return tl_dec_80211(f, caplen, len, pkt, 1);
	if (dlt == DLT_EN10MB)
		return tl_dec_ethernet(f, caplen, len, pkt, 1);
	return TL_DECODE_NOT_TCP;
}

/* BSD loopback: a 4-byte address family, host order for DLT_NULL and
 * network order for DLT_LOOP; IPv6's value differs between systems. */
static enum tl_decode_result null_loop(const uint8_t *f, uint32_t caplen,
                                       struct tl_packet *pkt)
{
	if (caplen < 4)
		return TL_DECODE_TRUNCATED;
	uint32_t be = tl_get_be32(f);
	uint32_t le = (uint32_t)f[0] | ((uint32_t)f[1] << 8) |
	              ((uint32_t)f[2] << 16) | ((uint32_t)f[3] << 24);
	uint32_t fam = be < 256 ? be : le;
	switch (fam) {
	case 2: case 10: case 24: case 28: case 30:
		return tl_dec_ip_nibble(f, caplen, 4, pkt, 1);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

/* PPP in HDLC-like framing (DLT_PPP_SERIAL) may also be Cisco HDLC. */
static enum tl_decode_result ppp_serial(const uint8_t *f, uint32_t caplen,
                                        struct tl_packet *pkt)
{
	if (caplen < 4)
		return TL_DECODE_TRUNCATED;
	if (f[0] == 0x0f || f[0] == 0x8f) {
		tl_proto_seen(pkt, TL_PROTO_CHDLC);
		return tl_dec_ethertype(f, caplen, 4, tl_get_be16(f + 2), pkt,
		                        1);
	}
	return tl_dec_ppp(f, caplen, 0, pkt, 1);
}

/* Linux NFLOG: a 4-byte header (address family first), then TLVs whose
 * length and type are in host order (little-endian in practice); the
 * payload TLV (type 9) is the IP packet. */
static enum tl_decode_result nflog(const uint8_t *f, uint32_t caplen,
                                   struct tl_packet *pkt)
{
	tl_proto_seen(pkt, TL_PROTO_NFLOG);
	if (caplen < 4)
		return TL_DECODE_TRUNCATED;
	if (f[0] != 2 && f[0] != 10)
		return TL_DECODE_NOT_TCP;
	uint32_t off = 4;
	while (tl_have(caplen, off, 4)) {
		uint32_t len = (uint32_t)f[off] | ((uint32_t)f[off + 1] << 8);
		uint32_t type = ((uint32_t)f[off + 2] |
		                 ((uint32_t)f[off + 3] << 8)) & 0x7fff;
		if (len < 4)
			return TL_DECODE_MALFORMED;
		if (type == 9) {
			uint32_t end = off + len;
			return tl_dec_ip_nibble(f, end < caplen ? end : caplen,
			                        off + 4, pkt, 1);
		}
		off += (len + 3) & ~3u;
	}
	return off < caplen || off == 4 ? TL_DECODE_TRUNCATED
	                                : TL_DECODE_NOT_TCP;
}

/* ARCNET: source, destination, (Linux: a 2-byte offset), protocol; the
 * RFC 1201 protocols add a split flag and a sequence number, and BSD's
 * exception packets (flag 0xff) four more bytes. */
static enum tl_decode_result arcnet(const uint8_t *f, uint32_t caplen,
                                    bool linux_hdr, struct tl_packet *pkt)
{
	uint32_t off = linux_hdr ? 4 : 2;
	tl_proto_seen(pkt, TL_PROTO_ARCNET);
	if (!tl_have(caplen, off, 1))
		return TL_DECODE_TRUNCATED;
	uint8_t proto = f[off++];
	switch (proto) {
	case 0xf0:                      /* IP, RFC 1051 */
		return tl_dec_ip_nibble(f, caplen, off, pkt, 1);
	case 0xd4:                      /* IP, RFC 1201 */
	case 0xc4:                      /* IPv6 */
		if (!tl_have(caplen, off, 1))
			return TL_DECODE_TRUNCATED;
		if (!linux_hdr && f[off] == 0xff)
			off += 4;
		return tl_dec_ip_nibble(f, caplen, off + 3, pkt, 1);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

/* Token Ring: access and frame control, addresses, a source route when
 * the source address's top bit says so, then LLC/SNAP. */
static enum tl_decode_result token_ring(const uint8_t *f, uint32_t caplen,
                                        struct tl_packet *pkt)
{
	tl_proto_seen(pkt, TL_PROTO_TR);
	if (caplen < 14)
		return TL_DECODE_TRUNCATED;
	uint32_t off = 14;
	if (f[8] & 0x80) {
		if (caplen < 15)
			return TL_DECODE_TRUNCATED;
		off += f[14] & 0x1f;
	}
	return llc_snap(f, caplen, off, pkt, 1);
}

bool tl_decode_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB: case DLT_NULL: case DLT_LOOP: case DLT_RAW:
	case DLT_IPV4: case DLT_IPV6: case DLT_LINUX_SLL: case DLT_LINUX_SLL2:
	case DLT_IEEE802_11: case DLT_IEEE802_11_RADIO: case DLT_PPI:
	case DLT_PPP: case DLT_PPP_SERIAL: case DLT_PPP_ETHER:
	case DLT_C_HDLC: case DLT_NFLOG: case DLT_IPOIB:
	case DLT_ARCNET: case DLT_ARCNET_LINUX: case DLT_FDDI:
	case DLT_IEEE802: case DLT_MPLS: case DLT_NETANALYZER:
	case DLT_NETANALYZER_TRANSPARENT: case DLT_IPNET:
	case DLT_PFLOG: case TL_LINKTYPE_PKTAP: case DLT_ENC:
	case DLT_ATM_RFC1483:
		return true;
	default:
		return false;
	}
}

const char *tl_proto_name(unsigned proto)
{
	static const char *const names[TL_PROTO_COUNT] = {
		[TL_PROTO_ETH] = "eth",
		[TL_PROTO_VLAN] = "vlan", [TL_PROTO_8021AD] = "ieee8021ad",
		[TL_PROTO_8021AH] = "ieee8021ah", [TL_PROTO_SLL] = "sll",
		[TL_PROTO_NULL] = "null", [TL_PROTO_LOOP] = "loop",
		[TL_PROTO_RAW] = "raw", [TL_PROTO_PPP] = "ppp",
		[TL_PROTO_PPPOES] = "pppoes", [TL_PROTO_CHDLC] = "chdlc",
		[TL_PROTO_MPLS] = "mpls", [TL_PROTO_PW_CW] = "pwethcw",
		[TL_PROTO_GRE] = "gre", [TL_PROTO_UDP] = "udp",
		[TL_PROTO_VXLAN] = "vxlan", [TL_PROTO_GENEVE] = "geneve",
		[TL_PROTO_GTP] = "gtp", [TL_PROTO_TEREDO] = "teredo",
		[TL_PROTO_AYIYA] = "ayiya", [TL_PROTO_L2TP] = "l2tp",
		[TL_PROTO_LISP_DATA] = "lisp-data",
		[TL_PROTO_ERSPAN] = "erspan", [TL_PROTO_NSH] = "nsh",
		[TL_PROTO_CAPWAP_DATA] = "capwap.data",
		[TL_PROTO_WLAN] = "wlan", [TL_PROTO_LLC] = "llc",
		[TL_PROTO_MACSEC] = "macsec", [TL_PROTO_NFLOG] = "nflog",
		[TL_PROTO_PFLOG] = "pflog", [TL_PROTO_PKTAP] = "pktap",
		[TL_PROTO_ENC] = "enc", [TL_PROTO_IPOIB] = "ipoib",
		[TL_PROTO_ARCNET] = "arcnet", [TL_PROTO_FDDI] = "fddi",
		[TL_PROTO_TR] = "tr", [TL_PROTO_RADIOTAP] = "radiotap",
		[TL_PROTO_WLAN_RADIO] = "wlan_radio", [TL_PROTO_PPI] = "ppi",
		[TL_PROTO_NETANALYZER] = "netanalyzer",
		[TL_PROTO_IPNET] = "ipnet", [TL_PROTO_ARP] = "arp",
		[TL_PROTO_IPV6_HOPOPTS] = "ipv6.hopopts",
		[TL_PROTO_IPV6_ROUTING] = "ipv6.routing",
		[TL_PROTO_IPV6_FRAGHDR] = "ipv6.fraghdr",
		[TL_PROTO_IPV6_DSTOPTS] = "ipv6.dstopts",
		[TL_PROTO_MPTCP] = "mptcp",
	};
	return proto < TL_PROTO_COUNT ? names[proto] : NULL;
}

const char *tl_encap_name(unsigned kind)
{
	static const char *const names[TL_ENCAP_KIND_COUNT] = {
		[TL_ENCAP_IP] = "IP", [TL_ENCAP_GRE] = "GRE",
		[TL_ENCAP_VXLAN] = "VXLAN", [TL_ENCAP_VXLAN_GPE] = "VXLAN-GPE",
		[TL_ENCAP_GENEVE] = "Geneve", [TL_ENCAP_GTPU] = "GTP-U",
		[TL_ENCAP_TEREDO] = "Teredo", [TL_ENCAP_AYIYA] = "AYIYA",
		[TL_ENCAP_L2TP] = "L2TP", [TL_ENCAP_LISP] = "LISP",
		[TL_ENCAP_ERSPAN] = "ERSPAN", [TL_ENCAP_MPLS] = "MPLS",
		[TL_ENCAP_PPP] = "PPP", [TL_ENCAP_PPPOE] = "PPPoE",
		[TL_ENCAP_ETHERNET] = "Ethernet", [TL_ENCAP_UDP] = "UDP",
		[TL_ENCAP_CAPWAP] = "CAPWAP", [TL_ENCAP_PBB] = "PBB",
		[TL_ENCAP_NSH] = "NSH", [TL_ENCAP_MACSEC] = "MACsec",
	};
	return kind < TL_ENCAP_KIND_COUNT ? names[kind] : "?";
}

static enum tl_decode_result by_link(int dlt, const uint8_t *f,
                                     uint32_t caplen, struct tl_packet *pkt)
{
	switch (dlt) {
	case TL_DLT_NONE:
		return TL_DECODE_NOT_TCP;
	case DLT_EN10MB:
		return tl_dec_ethernet(f, caplen, 0, pkt, 0);
	case DLT_NULL:
	case DLT_LOOP:
		tl_proto_seen(pkt, dlt == DLT_NULL ? TL_PROTO_NULL
		                                   : TL_PROTO_LOOP);
		return null_loop(f, caplen, pkt);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		tl_proto_seen(pkt, TL_PROTO_RAW);
		return tl_dec_ip_nibble(f, caplen, 0, pkt, 0);
	case DLT_PFLOG:
		tl_proto_seen(pkt, TL_PROTO_PFLOG);
		return tl_dec_pflog(f, caplen, pkt);
	case TL_LINKTYPE_PKTAP:
		tl_proto_seen(pkt, TL_PROTO_PKTAP);
		return tl_dec_pktap(f, caplen, pkt);
	case DLT_ENC:
		tl_proto_seen(pkt, TL_PROTO_ENC);
		return tl_dec_enc(f, caplen, pkt);
	case DLT_ATM_RFC1483:   /* LLC/SNAP from the first byte */
		return llc_snap(f, caplen, 0, pkt, 1);
	case DLT_LINUX_SLL:
		tl_proto_seen(pkt, TL_PROTO_SLL);
		if (caplen < 16)
			return TL_DECODE_TRUNCATED;
		return tl_dec_ethertype(f, caplen, 16, tl_get_be16(f + 14), pkt,
		                        0);
	case DLT_LINUX_SLL2:
		tl_proto_seen(pkt, TL_PROTO_SLL);
		if (caplen < 20)
			return TL_DECODE_TRUNCATED;
		return tl_dec_ethertype(f, caplen, 20, tl_get_be16(f), pkt, 0);
	case DLT_IEEE802_11:
		return tl_dec_80211(f, caplen, 0, pkt, 0);
	case DLT_IEEE802_11_RADIO:
		return radiotap(f, caplen, pkt);
	case DLT_PPI:
		return ppi(f, caplen, pkt);
	case DLT_PPP:
		return tl_dec_ppp(f, caplen, 0, pkt, 0);
	case DLT_PPP_SERIAL:
		return ppp_serial(f, caplen, pkt);
	case DLT_PPP_ETHER:
		return pppoe(f, caplen, 0, pkt, 0);
	case DLT_C_HDLC:
		tl_proto_seen(pkt, TL_PROTO_CHDLC);
		if (caplen < 4)
			return TL_DECODE_TRUNCATED;
		return tl_dec_ethertype(f, caplen, 4, tl_get_be16(f + 2), pkt,
		                        0);
	case DLT_NFLOG:
		return nflog(f, caplen, pkt);
	case DLT_IPOIB:
		tl_proto_seen(pkt, TL_PROTO_IPOIB);
		/* A 40-byte address header (as Linux writes it), then RFC
		 * 4391's: an ethertype, 2 reserved bytes. */
		if (caplen < 44)
			return TL_DECODE_TRUNCATED;
		if (tl_get_be16(f + 40) != ETHERTYPE_IPV4 &&
		    tl_get_be16(f + 40) != ETHERTYPE_IPV6)
			return TL_DECODE_NOT_TCP;
		return tl_dec_ip_nibble(f, caplen, 44, pkt, 1);
	case DLT_ARCNET:
		return arcnet(f, caplen, false, pkt);
	case DLT_ARCNET_LINUX:
		return arcnet(f, caplen, true, pkt);
	case DLT_FDDI:          /* frame control, two addresses, LLC */
		tl_proto_seen(pkt, TL_PROTO_FDDI);
		return llc_snap(f, caplen, 13, pkt, 1);
	case DLT_IEEE802:
		return token_ring(f, caplen, pkt);
	case DLT_MPLS:
		return tl_dec_mpls(f, caplen, 0, pkt, 0);
	case DLT_NETANALYZER:   /* a 4-byte status header, then Ethernet */
		tl_proto_seen(pkt, TL_PROTO_NETANALYZER);
		return tl_dec_ethernet(f, caplen, 4, pkt, 0);
	case DLT_NETANALYZER_TRANSPARENT:  /* and preamble and SFD */
		tl_proto_seen(pkt, TL_PROTO_NETANALYZER);
		return tl_dec_ethernet(f, caplen, 12, pkt, 0);
	case DLT_IPNET:         /* Solaris: 24 bytes, family at byte 1 */
		tl_proto_seen(pkt, TL_PROTO_IPNET);
		if (caplen < 24)
			return TL_DECODE_TRUNCATED;
		if (f[1] != 2 && f[1] != 26)
			return TL_DECODE_NOT_TCP;
		return tl_dec_ip_nibble(f, caplen, 24, pkt, 1);
	default:
		return TL_DECODE_UNSUPPORTED;
	}
}

enum tl_decode_result tl_decode_frame(int dlt, const uint8_t *f,
                                      uint32_t caplen, struct tl_packet *pkt)
{
	pkt->encap_count = 0;
	pkt->outer_ip_count = 0;
	pkt->in_error = false;
	pkt->amsdu_next = 0;
	pkt->protos = 0;
	return by_link(dlt, f, caplen, pkt);
}

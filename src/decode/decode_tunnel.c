/* Tunnels: GRE with every payload type tshark follows, and the UDP tunnels
 * on the ports tshark gives them by default. Each ends in a decoder of
 * decode_link.c or decode_ip.c, so tunnels nest to any depth up to
 * TL_MAX_NESTING. */
#include "config.h"

#include "decode_int.h"

#define GRE_C 0x8000
#define GRE_R 0x4000
#define GRE_K 0x2000
#define GRE_S 0x1000
#define GRE_A 0x0080            /* version 1 (PPTP): acknowledgment */

#define GRE_IPV4 0x0800
#define GRE_IPV6 0x86dd
#define GRE_TEB 0x6558
#define GRE_ERSPAN_2 0x88be
#define GRE_ERSPAN_3 0x22eb
#define GRE_PPP 0x880b
#define GRE_WCCP 0x883e

/* Routing (RFC 1701): source route entries up to a null one. */
static bool skip_sre(const uint8_t *f, uint32_t caplen, uint32_t *off)
{
	for (;;) {
		if (!tl_have(caplen, *off, 4))
			return false;
		uint16_t af = tl_get_be16(f + *off);
		uint8_t len = f[*off + 3];
		*off += 4u + len;
		if (af == 0 && len == 0)
			return true;
	}
}

/* Payload types that are not a tunnel of packets (keepalives, Cisco
 * discovery, NHRP, ARP): not counted as a tunnel we cannot read. */
static bool gre_not_a_tunnel(uint16_t type)
{
	return type == 0x0000 || type == 0x2000 || type == 0x2001 ||
	       type == 0x0806;
}

static enum tl_decode_result gre_payload(const uint8_t *f, uint32_t caplen,
                                         uint32_t off, uint16_t bits,
                                         uint16_t type, struct tl_packet *pkt,
                                         unsigned depth)
{
	switch (type) {
	case GRE_IPV4:
	case GRE_IPV6:
		return tl_dec_ip(f, caplen, off, pkt, depth);
	case GRE_TEB:
		tl_note_encap(pkt, TL_ENCAP_ETHERNET, off);
		return tl_dec_ethernet(f, caplen, off, pkt, depth);
	case GRE_ERSPAN_2:
		/* Type I has no sequence number and no header of its own. */
		tl_note_encap(pkt, TL_ENCAP_ERSPAN, off);
		if (!(bits & GRE_S))
			return tl_dec_ethernet(f, caplen, off, pkt, depth);
		if (!tl_have(caplen, off, 8))
			return TL_DECODE_TRUNCATED;
		if ((f[off] >> 4) != 1)         /* tshark reads version 1 */
			return TL_DECODE_NOT_TCP;
		return tl_dec_ethernet(f, caplen, off + 8, pkt, depth);
	case GRE_ERSPAN_3:
		/* 12 bytes, and 8 platform-specific ones when the last bit
		 * of the header says so. */
		tl_note_encap(pkt, TL_ENCAP_ERSPAN, off);
		if (!tl_have(caplen, off, 12))
			return TL_DECODE_TRUNCATED;
		if ((f[off] >> 4) != 2)
			return TL_DECODE_NOT_TCP;
		return tl_dec_ethernet(f, caplen,
		                       off + ((f[off + 11] & 1) ? 20 : 12), pkt,
		                       depth);
	case GRE_PPP:
		return tl_dec_ppp(f, caplen, off, pkt, depth);
	case GRE_WCCP:
		/* A 4-byte redirect header, unless IPv4 follows at once. */
		if (off < caplen && (f[off] >> 4) == 4)
			return tl_dec_ip(f, caplen, off, pkt, depth);
		return tl_dec_ip_nibble(f, caplen, off + 4, pkt, depth);
	default:
		break;
	}
	/* Aruba's controllers tunnel 802.11 frames (without FCS). */
	if ((type & 0xfe0f) == 0x8200)
		return tl_dec_80211(f, caplen, off, pkt, depth);
	enum tl_decode_result r = tl_dec_ethertype(f, caplen, off, type, pkt,
	                                           depth);
	if (r == TL_DECODE_NOT_TCP && !gre_not_a_tunnel(type) &&
	    type != 0x8100 && type != 0x88a8 && type != 0x9100 &&
	    type != 0x8847 && type != 0x8848 && type != 0x8864) {
		pkt->tunnel_type = type;
		return TL_DECODE_TUNNEL;
	}
	return r;
}

/* GRE version 0 (RFC 1701/2784/2890) and version 1 (PPTP, RFC 2637). */
enum tl_decode_result tl_dec_gre(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth)
{
	tl_note_encap(pkt, TL_ENCAP_GRE, off);
	if (++depth > TL_MAX_NESTING)
		return TL_DECODE_TOO_DEEP;
	if (!tl_have(caplen, off, 4))
		return TL_DECODE_TRUNCATED;
	uint16_t bits = tl_get_be16(f + off);
	uint16_t type = tl_get_be16(f + off + 2);
	uint32_t at = off + 4;
	switch (bits & 7) {
	case 0:
		if (bits & (GRE_C | GRE_R))
			at += 4;
		if (bits & GRE_K)
			at += 4;
		if (bits & GRE_S)
			at += 4;
		if ((bits & GRE_R) && !skip_sre(f, caplen, &at))
			return TL_DECODE_TRUNCATED;
		break;
	case 1:
		if (type != GRE_PPP)
			return TL_DECODE_NOT_TCP;
		at += 4 + ((bits & GRE_S) ? 4 : 0) + ((bits & GRE_A) ? 4 : 0);
		break;
	default:
		return TL_DECODE_NOT_TCP;
	}
	if (at > caplen)
		return TL_DECODE_TRUNCATED;
	return gre_payload(f, caplen, at, bits, type, pkt, depth);
}

enum {
	PORT_GRE_UDP = 4754, PORT_VXLAN = 4789, PORT_VXLAN_GPE = 4790,
	PORT_GENEVE = 6081, PORT_GTPU = 2152, PORT_TEREDO = 3544,
	PORT_AYIYA = 5072, PORT_L2TP = 1701, PORT_LISP = 4341,
	PORT_MPLS_UDP = 6635, PORT_CAPWAP_DATA = 5247,
};

static bool is_tunnel_port(unsigned port)
{
	switch (port) {
	case PORT_GRE_UDP: case PORT_VXLAN: case PORT_VXLAN_GPE:
	case PORT_GENEVE: case PORT_GTPU: case PORT_TEREDO: case PORT_AYIYA:
	case PORT_L2TP: case PORT_LISP: case PORT_MPLS_UDP:
	case PORT_CAPWAP_DATA:
		return true;
	default:
		return false;
	}
}

static enum tl_decode_result vxlan_gpe(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt,
                                       unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	switch (f[off + 3]) {
	case 1:
	case 2:
		return tl_dec_ip(f, caplen, off + 8, pkt, depth);
	case 3:
		return tl_dec_ethernet(f, caplen, off + 8, pkt, depth);
	case 4:
		return tl_dec_nsh(f, caplen, off + 8, pkt, depth);
	case 5:
		return tl_dec_mpls(f, caplen, off + 8, pkt, depth);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

static enum tl_decode_result geneve(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt,
                                    unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	if (f[off] >> 6)
		return TL_DECODE_NOT_TCP;       /* version 0 only */
	uint32_t hlen = 8 + (uint32_t)(f[off] & 0x3f) * 4;
	uint16_t type = tl_get_be16(f + off + 2);
	if (type == GRE_TEB)
		return tl_dec_ethernet(f, caplen, off + hlen, pkt, depth);
	return tl_dec_ethertype(f, caplen, off + hlen, type, pkt, depth);
}

/* GTPv1-U: a G-PDU (type 255) carries the user's IP packet after the
 * optional sequence/N-PDU/next-extension word and the extension headers. */
static enum tl_decode_result gtpu(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	uint8_t flags = f[off];
	if ((flags >> 5) != 1 || !(flags & 0x10) || f[off + 1] != 0xff)
		return TL_DECODE_NOT_TCP;
	uint32_t at = off + 8;
	if (flags & 0x07) {
		if (!tl_have(caplen, off, 12))
			return TL_DECODE_TRUNCATED;
		uint8_t next = f[off + 11];
		at = off + 12;
		while (next && (flags & 0x04)) {
			if (!tl_have(caplen, at, 1))
				return TL_DECODE_TRUNCATED;
			uint32_t len = (uint32_t)f[at] * 4;
			if (len == 0)
				return TL_DECODE_MALFORMED;
			if (!tl_have(caplen, at, len))
				return TL_DECODE_TRUNCATED;
			next = f[at + len - 1];
			at += len;
		}
	}
	return tl_dec_ip_nibble(f, caplen, at, pkt, depth);
}

/* Teredo: an optional authentication header, an optional origin
 * indication, then IPv6. */
static enum tl_decode_result teredo(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt,
                                    unsigned depth)
{
	if (tl_have(caplen, off, 4) && tl_get_be16(f + off) == 0x0001)
		off += 4u + f[off + 2] + f[off + 3] + 8 + 1;
	if (tl_have(caplen, off, 2) && tl_get_be16(f + off) == 0x0000)
		off += 8;
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	if ((f[off] >> 4) != 6)
		return TL_DECODE_NOT_TCP;
	return tl_dec_ip(f, caplen, off, pkt, depth);
}

/* AYIYA: identity of 2^n bytes and a signature of 4*m, then the packet of
 * the protocol named by the next-header byte, for a forward (opcode 1). */
static enum tl_decode_result ayiya(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt,
                                   unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	uint32_t idlen = 1u << (f[off] >> 4);
	uint32_t siglen = (uint32_t)(f[off + 1] >> 4) * 4;
	unsigned opcode = f[off + 2] & 0x0f, next = f[off + 3];
	if (opcode != 1 || (next != 4 && next != 41))
		return TL_DECODE_NOT_TCP;
	return tl_dec_ip(f, caplen, off + 8 + idlen + siglen, pkt, depth);
}

/* L2TPv2 data messages carry PPP. */
static enum tl_decode_result l2tp(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth)
{
	if (!tl_have(caplen, off, 2))
		return TL_DECODE_TRUNCATED;
	uint16_t bits = tl_get_be16(f + off);
	if ((bits & 0x000f) != 2 || (bits & 0x8000))
		return TL_DECODE_NOT_TCP;       /* not v2, or control */
	uint32_t at = off + 2 + ((bits & 0x4000) ? 2 : 0) + 4 +
	              ((bits & 0x0800) ? 4 : 0);
	if (bits & 0x0200) {
		if (!tl_have(caplen, at, 2))
			return TL_DECODE_TRUNCATED;
		at += 2u + tl_get_be16(f + at);
	}
	return tl_dec_ppp(f, caplen, at, pkt, depth);
}

/* What a CAPWAP payload is: an 802.3 frame (binding 0 here) or a native
 * frame of the wireless binding: 802.11 (binding 1), whose frame-control
 * bytes tshark reads swapped by default. */
static enum tl_decode_result capwap_payload(const uint8_t *f,
                                            uint32_t caplen, uint32_t off,
                                            unsigned binding,
                                            struct tl_packet *pkt,
                                            unsigned depth)
{
	if (binding == 0)
		return tl_dec_ethernet(f, caplen, off, pkt, depth);
	if (binding == 1)
		return tl_dec_80211_swapped(f, caplen, off, true, pkt, depth);
	return TL_DECODE_NOT_TCP;
}

/* A fragment (F set): the fragment ID, the offset in 8-byte units, L set
 * on the last one. tshark puts them back together by default, keyed by
 * the outer addresses and the ID (the model does, see reassemble.c); the
 * packet's length on the wire comes from the UDP header just before. */
static enum tl_decode_result capwap_fragment(const uint8_t *f,
                                             uint32_t caplen, uint32_t off,
                                             uint32_t hlen, unsigned binding,
                                             struct tl_packet *pkt)
{
	uint32_t w = tl_get_be32(f + off);
	uint32_t udp_len = tl_get_be16(f + off - 4);
	if (udp_len < 8 + hlen || !tl_have(caplen, off, hlen))
		return TL_DECODE_MALFORMED;
	pkt->frag.proto = 0;
	pkt->frag.more = !(w & 0x40);
	pkt->frag.id = tl_get_be16(f + off + 4);
	pkt->frag.offset = (uint32_t)(tl_get_be16(f + off + 6) >> 3) * 8;
	pkt->frag.hdr_off = off;
	pkt->frag.hdr_len = 0;          /* the payload alone is joined */
	pkt->frag.data_off = off + hlen;
	pkt->frag.data_wire = udp_len - 8 - hlen;
	pkt->frag.data_len = caplen - (off + hlen);
	if (pkt->frag.data_len > pkt->frag.data_wire)
		pkt->frag.data_len = pkt->frag.data_wire;
	pkt->frag.binding = (uint8_t)binding;
	return TL_DECODE_TUNNEL_FRAGMENT;
}

/* CAPWAP data (RFC 5415): a preamble of version 0 and type 0 (type 1 is
 * DTLS, encrypted), a header of HLEN 4-byte words, then the payload (T
 * clear: 802.3; T set: a frame of the wireless binding WBID). */
static enum tl_decode_result capwap(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt,
                                    unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	uint32_t w = tl_get_be32(f + off);
	uint32_t hlen = ((w >> 19) & 0x1f) * 4;
	unsigned wbid = (w >> 9) & 0x1f;
	bool native = w & 0x100, fragment = w & 0x80;
	if (f[off] != 0)
		return TL_DECODE_NOT_TCP;       /* DTLS: encrypted */
	if (hlen < 8)
		return TL_DECODE_MALFORMED;
	unsigned binding = native ? (wbid ? wbid : 0xff) : 0;
	if (fragment)
		return capwap_fragment(f, caplen, off, hlen, binding, pkt);
	return capwap_payload(f, caplen, off + hlen, binding, pkt, depth);
}

enum tl_decode_result tl_decode_capwap_payload(const uint8_t *payload,
                                               uint32_t len, unsigned binding,
                                               struct tl_packet *pkt)
{
	pkt->outer_ip_count = 0;
	pkt->in_error = false;
	pkt->amsdu_next = 0;
	return capwap_payload(payload, len, 0, binding, pkt,
	                      pkt->encap_count);
}

static enum tl_decode_result udp_tunnel(const uint8_t *f, uint32_t caplen,
                                        uint32_t off, unsigned port,
                                        struct tl_packet *pkt, unsigned depth)
{
	switch (port) {
	case PORT_VXLAN:
		tl_note_encap(pkt, TL_ENCAP_VXLAN, off);
		return tl_dec_ethernet(f, caplen, off + 8, pkt, depth);
	case PORT_VXLAN_GPE:
		tl_note_encap(pkt, TL_ENCAP_VXLAN_GPE, off);
		return vxlan_gpe(f, caplen, off, pkt, depth);
	case PORT_GENEVE:
		tl_note_encap(pkt, TL_ENCAP_GENEVE, off);
		return geneve(f, caplen, off, pkt, depth);
	case PORT_GTPU:
		tl_note_encap(pkt, TL_ENCAP_GTPU, off);
		return gtpu(f, caplen, off, pkt, depth);
	case PORT_TEREDO:
		tl_note_encap(pkt, TL_ENCAP_TEREDO, off);
		return teredo(f, caplen, off, pkt, depth);
	case PORT_AYIYA:
		tl_note_encap(pkt, TL_ENCAP_AYIYA, off);
		return ayiya(f, caplen, off, pkt, depth);
	case PORT_L2TP:
		tl_note_encap(pkt, TL_ENCAP_L2TP, off);
		return l2tp(f, caplen, off, pkt, depth);
	case PORT_LISP:
		tl_note_encap(pkt, TL_ENCAP_LISP, off);
		return tl_dec_ip_nibble(f, caplen, off + 8, pkt, depth);
	case PORT_MPLS_UDP:
		return tl_dec_mpls(f, caplen, off, pkt, depth);
	case PORT_CAPWAP_DATA:
		tl_note_encap(pkt, TL_ENCAP_CAPWAP, off);
		return capwap(f, caplen, off, pkt, depth);
	case PORT_GRE_UDP:
		return tl_dec_gre(f, caplen, off, pkt, depth);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

enum tl_decode_result tl_dec_udp(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, uint32_t ip_payload_len,
                                 struct tl_packet *pkt, unsigned depth)
{
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_NOT_TCP;       /* a cut UDP header: no TCP */
	unsigned sport = tl_get_be16(f + off), dport = tl_get_be16(f + off + 2);
	/* tshark tries the lower port first, then the higher one. */
	unsigned lo = sport < dport ? sport : dport;
	unsigned hi = sport < dport ? dport : sport;
	unsigned port = is_tunnel_port(lo) ? lo : is_tunnel_port(hi) ? hi : 0;
	if (!port)
		return TL_DECODE_NOT_TCP;
	/* The tunnel ends where the UDP datagram does (not the frame's
	 * padding). */
	uint32_t ulen = tl_get_be16(f + off + 4);
	if (ulen >= 8 && ulen <= ip_payload_len && off + ulen < caplen)
		caplen = off + ulen;
	tl_note_encap(pkt, TL_ENCAP_IP, pkt->ip_offset);
	tl_note_encap(pkt, TL_ENCAP_UDP, off);
	if (depth + 2 > TL_MAX_NESTING)     /* UDP and the tunnel's header */
		return TL_DECODE_TOO_DEEP;
	return udp_tunnel(f, caplen, off + 8, port, pkt, depth + 2);
}

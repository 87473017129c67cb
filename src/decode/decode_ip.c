/* IPv4 and IPv6 (with extension headers) down to the TCP header. */
#include "config.h"

#include "decode_int.h"

#include <string.h>

#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58
#define PROTO_IPIP 4
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_IPV6 41
#define PROTO_GRE 47
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_AH 51
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135
#define PROTO_HIP 139
#define PROTO_SHIM6 140
#define PROTO_UDPLITE 136

/* An ICMP or ICMPv6 error quotes the header of the packet it is about:
 * tshark reads a quoted TCP header (once its first 16 bytes are there)
 * and files it in its connection, or opens one for it (a stream number),
 * without analysing it. */
static enum tl_decode_result icmp_error(const uint8_t *f, uint32_t caplen,
                                        uint32_t off, bool v6,
                                        struct tl_packet *pkt, unsigned depth)
{
	if (pkt->in_error || !tl_have(caplen, off, 8))
		return TL_DECODE_NOT_TCP;
	unsigned type = f[off];
	bool error = v6 ? type >= 1 && type <= 4
	                : type == 3 || type == 4 || type == 5 || type == 11 ||
	                  type == 12;
	if (!error)
		return TL_DECODE_NOT_TCP;
	/* The quote ends with the ICMP message, not with the frame's
	 * padding. */
	uint32_t end = pkt->ip_offset + pkt->ip_header_len + pkt->ip_payload_len;
	if (end >= pkt->ip_offset && end < caplen)
		caplen = end;
	pkt->in_error = true;
	enum tl_decode_result r = tl_dec_ip_nibble(f, caplen, off + 8, pkt,
	                                           depth + 1);
	return r == TL_DECODE_TCP || r == TL_DECODE_TCP_CUT
	               ? TL_DECODE_ICMP_TCP : TL_DECODE_NOT_TCP;
}

/* A fragment of a datagram that may carry TCP (directly or in a tunnel)
 * is for the model to reassemble, as tshark does by default; others are
 * not ours. */
static enum tl_decode_result fragment(const uint8_t *f, uint32_t caplen,
                                      uint32_t off, uint32_t len,
                                      unsigned proto, struct tl_packet *pkt)
{
	(void)f;
	if (pkt->in_error)
		return TL_DECODE_NOT_TCP;
	switch (proto) {
	case PROTO_TCP: case PROTO_IPIP: case PROTO_IPV6: case PROTO_GRE:
	case PROTO_UDP:
	case PROTO_ICMP: case PROTO_ICMPV6:     /* errors quoting TCP */
		break;
	default:
		return TL_DECODE_NOT_TCP;
	}
	pkt->frag.proto = (uint8_t)proto;
	pkt->frag.data_off = off;
	pkt->frag.data_wire = len;
	pkt->frag.data_len = off >= caplen ? 0
	                   : caplen - off < len ? caplen - off : len;
	return TL_DECODE_FRAGMENT;
}

/* What follows the IP header: TCP, or a tunnel (the inner header is the
 * one a user cares about, as in Wireshark). */
static enum tl_decode_result transport(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, unsigned proto,
                                       struct tl_packet *pkt, unsigned depth)
{
	if (proto == PROTO_TCP)
		return tl_decode_tcp(f, caplen, off, pkt);
	switch (proto) {
	case PROTO_IPIP:
	case PROTO_IPV6:
		tl_note_encap(pkt, TL_ENCAP_IP, pkt->ip_offset);
		return tl_dec_ip(f, caplen, off, pkt, depth);
	case PROTO_GRE:
		tl_note_encap(pkt, TL_ENCAP_IP, pkt->ip_offset);
		return tl_dec_gre(f, caplen, off, pkt, depth);
	case PROTO_UDP:
		return tl_dec_udp(f, caplen, off, pkt->ip_payload_len, pkt,
		                  depth);
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		return icmp_error(f, caplen, off, proto == PROTO_ICMPV6, pkt,
		                  depth);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

static enum tl_decode_result ipv4(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth)
{
	if (caplen - off < 20)
		return TL_DECODE_TRUNCATED;
	const uint8_t *h = f + off;
	uint32_t hlen = (uint32_t)(h[0] & 0x0f) * 4;
	uint32_t total = tl_get_be16(h + 2);
	if (hlen < 20)
		return TL_DECODE_MALFORMED;
	if (caplen - off < hlen)
		return TL_DECODE_TRUNCATED;
	/* A zero total length is what TSO leaves in captures of outgoing
	 * packets: trust the frame, as Wireshark does. */
	if (total == 0)
		total = caplen - off;
	if (total < hlen)
		return TL_DECODE_MALFORMED;
	/* A fragment is not a whole segment: Wireshark analyses the
	 * reassembled datagram instead. */
	pkt->ip_version = 4;
	pkt->ttl = h[8];
	memset(pkt->src, 0, sizeof pkt->src);
	memset(pkt->dst, 0, sizeof pkt->dst);
	memcpy(pkt->src, h + 12, 4);
	memcpy(pkt->dst, h + 16, 4);
	uint16_t frag = tl_get_be16(h + 6);
	if (frag & 0x3fff) {
		pkt->frag.id = tl_get_be16(h + 4);
		pkt->frag.offset = (uint32_t)(frag & 0x1fff) * 8;
		pkt->frag.more = frag & 0x2000;
		pkt->frag.hdr_off = off;
		pkt->frag.hdr_len = hlen;
		return fragment(f, caplen, off + hlen, total - hlen, h[9], pkt);
	}
	pkt->ip_offset = off;
	pkt->ip_header_len = hlen;
	pkt->ip_payload_len = total - hlen;
	return transport(f, caplen, off + hlen, h[9], pkt, depth);
}

static bool is_extension_header(unsigned nh)
{
	switch (nh) {
	case PROTO_HOPOPTS: case PROTO_ROUTING: case PROTO_FRAGMENT:
	case PROTO_AH: case PROTO_DSTOPTS: case PROTO_MOBILITY:
	case PROTO_HIP: case PROTO_SHIM6:
		return true;
	default:
		return false;
	}
}

/* RFC 2675: a zero payload length and a Jumbo Payload option (type 0xc2)
 * in the hop-by-hop header give the length; 0 if there is none. */
static uint32_t jumbo_length(const uint8_t *f, uint32_t caplen, uint32_t at,
                             uint32_t len)
{
	uint32_t end = at + len, i = at + 2;
	if (end > caplen)
		end = caplen;
	while (i < end) {
		if (f[i] == 0) {        /* Pad1 */
			i++;
			continue;
		}
		if (end - i < 2)
			break;
		if (f[i] == 0xc2 && f[i + 1] == 4 && end - i >= 6)
			return tl_get_be32(f + i + 2);
		i += 2u + f[i + 1];
	}
	return 0;
}

/* The extension headers 4.0 lists as protocols of their own. */
static void ext_protocol(unsigned nh, struct tl_packet *pkt)
{
	switch (nh) {
	case PROTO_HOPOPTS:
		tl_proto_seen(pkt, TL_PROTO_IPV6_HOPOPTS);
		break;
	case PROTO_ROUTING:
		tl_proto_seen(pkt, TL_PROTO_IPV6_ROUTING);
		break;
	case PROTO_FRAGMENT:
		tl_proto_seen(pkt, TL_PROTO_IPV6_FRAGHDR);
		break;
	case PROTO_DSTOPTS:
		tl_proto_seen(pkt, TL_PROTO_IPV6_DSTOPTS);
		break;
	}
}

static enum tl_decode_result ipv6(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth)
{
	if (caplen - off < 40)
		return TL_DECODE_TRUNCATED;
	const uint8_t *h = f + off;
	uint32_t payload = tl_get_be16(h + 4);
	unsigned nh = h[6];
	bool zero_length = payload == 0;
	if (zero_length)    /* TSO or a jumbogram: the frame until we know */
		payload = caplen - off - 40;
	pkt->ip_version = 6;
	pkt->ttl = h[7];
	memcpy(pkt->src, h + 8, 16);
	memcpy(pkt->dst, h + 24, 16);
	pkt->ip_offset = off;
	uint32_t ext = 0;
	/* Each extension header is at least 8 bytes and must fit in the
	 * payload, so any chain ends, however long (tshark reads hundreds). */
	while (is_extension_header(nh)) {
		uint32_t at = off + 40 + ext;
		if (!tl_have(caplen, at, 8))
			return TL_DECODE_TRUNCATED;
		uint32_t len;
		ext_protocol(nh, pkt);
		if (nh == PROTO_FRAGMENT) {
			uint16_t frag = tl_get_be16(f + at + 2);
			if (frag & 0xfff9) {
				if (ext + 8 > payload)
					return TL_DECODE_MALFORMED;
				pkt->frag.id = tl_get_be32(f + at + 4);
				pkt->frag.offset = frag & 0xfff8;
				pkt->frag.more = frag & 1;
				pkt->frag.hdr_off = off;
				pkt->frag.hdr_len = 40;
				return fragment(f, caplen, at + 8,
				                payload - ext - 8, f[at], pkt);
			}
			len = 8;    /* an atomic fragment: a whole datagram */
		} else if (nh == PROTO_AH) {
			len = ((uint32_t)f[at + 1] + 2) * 4;
		} else {
			len = ((uint32_t)f[at + 1] + 1) * 8;
		}
		if (nh == PROTO_HOPOPTS && ext == 0 && zero_length) {
			uint32_t jumbo = jumbo_length(f, caplen, at, len);
			if (jumbo)
				payload = jumbo;
		}
		nh = f[at];
		ext += len;
		if (ext > payload)
			return TL_DECODE_MALFORMED;
	}
	pkt->ip_header_len = 40 + ext;
	pkt->ip_payload_len = payload - ext;
	if (off + 40 + ext > caplen)
		return TL_DECODE_TRUNCATED;
	return transport(f, caplen, off + 40 + ext, nh, pkt, depth);
}

enum tl_decode_result tl_dec_ip(const uint8_t *f, uint32_t caplen,
                                uint32_t off, struct tl_packet *pkt,
                                unsigned depth)
{
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	if (++depth > TL_MAX_NESTING)
		return TL_DECODE_TOO_DEEP;
	switch (f[off] >> 4) {
	case 4:
		return ipv4(f, caplen, off, pkt, depth);
	case 6:
		return ipv6(f, caplen, off, pkt, depth);
	default:        /* a tunnel said IP follows */
		return TL_DECODE_MALFORMED;
	}
}

enum tl_decode_result tl_decode_ip(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt)
{
	pkt->encap_count = 0;
	pkt->outer_ip_count = 0;
	pkt->amsdu_next = 0;
	pkt->protos = 0;
	return tl_dec_ip_nibble(f, caplen, off, pkt, 0);
}

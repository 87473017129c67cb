/* IPv4 and IPv6 (with extension headers) down to the TCP header. */
#include "config.h"

#include "tl_decode.h"

#include <string.h>

#define PROTO_HOPOPTS 0
#define PROTO_IPIP 4
#define PROTO_TCP 6
#define PROTO_IPV6 41
#define PROTO_GRE 47
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_AH 51
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135
#define PROTO_HIP 139
#define PROTO_SHIM6 140
#define MAX_EXT_HEADERS 16
#define MAX_TUNNEL_DEPTH 3

static enum tl_decode_result ip_at_depth(const uint8_t *f, uint32_t caplen,
                                         uint32_t off, struct tl_packet *pkt,
                                         int depth);

/* GRE version 0 (RFC 2784/2890) carrying IP: optional checksum, key and
 * sequence words come before the payload. */
static enum tl_decode_result gre(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 int depth)
{
	if (off > caplen || caplen - off < 4)
		return TL_DECODE_TRUNCATED;
	uint16_t bits = tl_get_be16(f + off);
	uint16_t type = tl_get_be16(f + off + 2);
	if ((bits & 0x7) != 0 || (type != 0x0800 && type != 0x86dd))
		return TL_DECODE_NOT_TCP;
	uint32_t len = 4 + ((bits & 0x8000) ? 4 : 0) + ((bits & 0x2000) ? 4 : 0)
	               + ((bits & 0x1000) ? 4 : 0);
	return ip_at_depth(f, caplen, off + len, pkt, depth + 1);
}

/* What follows the IP header: TCP, or IP in IP (the inner header is the one
 * a user cares about, as in Wireshark). */
static enum tl_decode_result transport(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, unsigned proto,
                                       struct tl_packet *pkt, int depth)
{
	if (proto == PROTO_TCP)
		return tl_decode_tcp(f, caplen, off, pkt);
	if (depth >= MAX_TUNNEL_DEPTH)
		return TL_DECODE_NOT_TCP;
	if (proto == PROTO_IPIP || proto == PROTO_IPV6)
		return ip_at_depth(f, caplen, off, pkt, depth + 1);
	if (proto == PROTO_GRE)
		return gre(f, caplen, off, pkt, depth);
	return TL_DECODE_NOT_TCP;
}

static enum tl_decode_result ipv4(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  int depth)
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
	uint16_t frag = tl_get_be16(h + 6);
	if (frag & 0x1fff)
		return TL_DECODE_NOT_TCP;   /* a later fragment: no TCP header */
	/* A first fragment is not a whole segment: Wireshark analyses the
	 * reassembled datagram instead, and we do not reassemble. */
	if (frag & 0x2000)
		return TL_DECODE_FRAGMENT;
	pkt->ip_version = 4;
	pkt->ttl = h[8];
	memset(pkt->src, 0, sizeof pkt->src);
	memset(pkt->dst, 0, sizeof pkt->dst);
	memcpy(pkt->src, h + 12, 4);
	memcpy(pkt->dst, h + 16, 4);
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

static enum tl_decode_result ipv6(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  int depth)
{
	if (caplen - off < 40)
		return TL_DECODE_TRUNCATED;
	const uint8_t *h = f + off;
	uint32_t payload = tl_get_be16(h + 4);
	unsigned nh = h[6];
	if (payload == 0)   /* jumbogram or TSO: fall back to the frame */
		payload = caplen - off - 40;
	pkt->ip_version = 6;
	pkt->ttl = h[7];
	memcpy(pkt->src, h + 8, 16);
	memcpy(pkt->dst, h + 24, 16);
	pkt->ip_offset = off;
	uint32_t ext = 0;
	/* Each extension header is at least 8 bytes and the count is capped,
	 * so a chain that points at itself still ends. */
	for (int n = 0; is_extension_header(nh); n++) {
		if (n >= MAX_EXT_HEADERS)
			return TL_DECODE_MALFORMED;
		uint32_t at = off + 40 + ext;
		if (at > caplen || caplen - at < 8)
			return TL_DECODE_TRUNCATED;
		uint32_t len;
		if (nh == PROTO_FRAGMENT) {
			uint16_t frag = tl_get_be16(f + at + 2);
			if (frag & 0xfff8)
				return TL_DECODE_NOT_TCP;
			if (frag & 1)
				return TL_DECODE_FRAGMENT;
			len = 8;
		} else if (nh == PROTO_AH) {
			len = ((uint32_t)f[at + 1] + 2) * 4;
		} else {
			len = ((uint32_t)f[at + 1] + 1) * 8;
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

static enum tl_decode_result ip_at_depth(const uint8_t *f, uint32_t caplen,
                                         uint32_t off, struct tl_packet *pkt,
                                         int depth)
{
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	switch (f[off] >> 4) {
	case 4:
		return ipv4(f, caplen, off, pkt, depth);
	case 6:
		return ipv6(f, caplen, off, pkt, depth);
	default:
		return depth ? TL_DECODE_MALFORMED : TL_DECODE_NOT_TCP;
	}
}

enum tl_decode_result tl_decode_ip(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt)
{
	return ip_at_depth(f, caplen, off, pkt, 0);
}

/* Link types whose header is the capturing system's own record before the
 * packet, as tshark 4.0 reads them: OpenBSD's pf log (DLT_PFLOG, also
 * pfSense and FreeBSD), OpenBSD's IPsec interface enc(4) (DLT_ENC) and
 * Apple's PKTAP (macOS `tcpdump -k`, whose files carry link type 258
 * whatever the system's DLT_ number). */
#include "config.h"

#include <pcap/dlt.h>

#include "decode_int.h"

#define LINKTYPE_PKTAP 258
#define LINKTYPE_RAW 101
#define PKTAP_MIN_HEADER 108    /* through the fields of its version 1 */
#define PFLOG_MIN_HEADER 45     /* through the direction byte */

/* An address family of a BSD system: IPv4 everywhere, IPv6 as OpenBSD,
 * FreeBSD and macOS number it (and Linux, in a loopback header). */
static bool bsd_af_ip(uint32_t af)
{
	return af == 2 || af == 10 || af == 24 || af == 28 || af == 30;
}

/* The rule's record: its length (the first byte, word-aligned: the packet
 * starts there), the address family, action, reason, interface, ruleset,
 * rule numbers... then the packet as the interface saw it. */
enum tl_decode_result tl_dec_pflog(const uint8_t *f, uint32_t caplen,
                                   struct tl_packet *pkt)
{
	if (caplen < 2)
		return TL_DECODE_TRUNCATED;
	uint32_t hlen = ((uint32_t)f[0] + 3) & ~3u;
	if (f[0] < PFLOG_MIN_HEADER)
		return TL_DECODE_MALFORMED;
	if (!bsd_af_ip(f[1]))
		return TL_DECODE_NOT_TCP;
	return tl_dec_ip_nibble(f, caplen, hlen, pkt, 1);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	       ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* enc(4): the address family, the SPI and flags (12 bytes, in the
 * byte order of the capturing host: a family fits in the low byte), then
 * the packet as IPsec saw it, in clear. */
enum tl_decode_result tl_dec_enc(const uint8_t *f, uint32_t caplen,
                                 struct tl_packet *pkt)
{
	if (caplen < 12)
		return TL_DECODE_TRUNCATED;
	uint32_t be = tl_get_be32(f);
	if (!bsd_af_ip(be < 256 ? be : get_le32(f)))
		return TL_DECODE_NOT_TCP;
	return tl_dec_ip_nibble(f, caplen, 12, pkt, 1);
}

/* PKTAP: little-endian (macOS runs little-endian) header length, record
 * type (1: a packet), the link type of what follows, the interface name,
 * process details. The interfaces behind it are Ethernet, BSD loopback
 * (a host-order address family) and raw IP (utun, ipsec). */
enum tl_decode_result tl_dec_pktap(const uint8_t *f, uint32_t caplen,
                                   struct tl_packet *pkt)
{
	if (caplen < 12)
		return TL_DECODE_TRUNCATED;
	uint32_t hlen = get_le32(f), type = get_le32(f + 4);
	uint32_t dlt = get_le32(f + 8);
	if (hlen < PKTAP_MIN_HEADER)
		return TL_DECODE_MALFORMED;
	if (type != 1)
		return TL_DECODE_NOT_TCP;       /* a service record */
	switch (dlt) {
	case DLT_EN10MB:
		return tl_dec_ethernet(f, caplen, hlen, pkt, 1);
	case DLT_NULL:
		tl_proto_seen(pkt, TL_PROTO_NULL);
		if (!tl_have(caplen, hlen, 4))
			return TL_DECODE_TRUNCATED;
		if (!bsd_af_ip(get_le32(f + hlen)))
			return TL_DECODE_NOT_TCP;
		return tl_dec_ip_nibble(f, caplen, hlen + 4, pkt, 1);
	case 12:                        /* DLT_RAW on most systems */
	case 14:                        /* and on OpenBSD */
	case LINKTYPE_RAW:
		tl_proto_seen(pkt, TL_PROTO_RAW);
		return tl_dec_ip_nibble(f, caplen, hlen, pkt, 1);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

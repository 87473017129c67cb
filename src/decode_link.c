/* Link layers: find where the IP header starts. */
#include "config.h"

#include "tl_decode.h"

#include <pcap/dlt.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_PPPOE 0x8864
#define ETHERTYPE_MPLS 0x8847
#define MAX_LINK_TAGS 8

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

static enum tl_decode_result by_ip_nibble(const uint8_t *f, uint32_t caplen,
                                          uint32_t off, struct tl_packet *pkt)
{
	if (off >= caplen)
		return TL_DECODE_TRUNCATED;
	unsigned version = f[off] >> 4;
	if (version != 4 && version != 6)
		return TL_DECODE_NOT_TCP;
	return tl_decode_ip(f, caplen, off, pkt);
}

/* MPLS carries no payload type: the bottom label is followed by IP if the
 * first nibble says so. */
static enum tl_decode_result by_mpls(const uint8_t *f, uint32_t caplen,
                                     uint32_t off, struct tl_packet *pkt)
{
	for (int labels = 0; labels < MAX_LINK_TAGS; labels++) {
		if (off > caplen || caplen - off < 4)
			return TL_DECODE_TRUNCATED;
		bool bottom = f[off + 2] & 1;
		off += 4;
		if (bottom)
			return by_ip_nibble(f, caplen, off, pkt);
	}
	return TL_DECODE_NOT_TCP;
}

static enum tl_decode_result by_ethertype(const uint8_t *f, uint32_t caplen,
                                          uint32_t off, uint16_t type,
                                          struct tl_packet *pkt)
{
	for (int tags = 0; tags <= MAX_LINK_TAGS; tags++) {
		switch (type) {
		case ETHERTYPE_IPV4:
		case ETHERTYPE_IPV6:
			return by_ip_nibble(f, caplen, off, pkt);
		case ETHERTYPE_VLAN:
		case ETHERTYPE_QINQ:
		case ETHERTYPE_QINQ_OLD:
			if (off > caplen || caplen - off < 4)
				return TL_DECODE_TRUNCATED;
			type = tl_get_be16(f + off + 2);
			off += 4;
			break;
		case ETHERTYPE_PPPOE: {
			if (off > caplen || caplen - off < 8)
				return TL_DECODE_TRUNCATED;
			uint16_t ppp = tl_get_be16(f + off + 6);
			if (ppp != 0x0021 && ppp != 0x0057)
				return TL_DECODE_NOT_TCP;
			return by_ip_nibble(f, caplen, off + 8, pkt);
		}
		case ETHERTYPE_MPLS:
			return by_mpls(f, caplen, off, pkt);
		default:
			return TL_DECODE_NOT_TCP;
		}
	}
	return TL_DECODE_NOT_TCP;
}

static enum tl_decode_result ethernet(const uint8_t *f, uint32_t caplen,
                                      struct tl_packet *pkt)
{
	if (caplen < 14)
		return TL_DECODE_TRUNCATED;
	uint16_t type = tl_get_be16(f + 12);
	if (type >= 1536)
		return by_ethertype(f, caplen, 14, type, pkt);
	/* 802.3 length field: only LLC/SNAP can carry an ethertype. */
	if (caplen < 22)
		return TL_DECODE_TRUNCATED;
	if (f[14] == 0xaa && f[15] == 0xaa && f[16] == 0x03)
		return by_ethertype(f, caplen, 22, tl_get_be16(f + 20), pkt);
	return TL_DECODE_NOT_TCP;
}

/* 802.11 data frames carry IP behind LLC/SNAP; management and control
 * frames, and encrypted payloads, carry nothing we can read. */
static enum tl_decode_result ieee80211(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt)
{
	if (off > caplen || caplen - off < 24)
		return TL_DECODE_TRUNCATED;
	uint8_t fc0 = f[off], fc1 = f[off + 1];
	if (((fc0 >> 2) & 3) != 2 || (fc0 & 0x40) || (fc1 & 0x40))
		return TL_DECODE_NOT_TCP;   /* not data, null data, protected */
	uint32_t hlen = 24;
	if ((fc1 & 3) == 3)
		hlen += 6;                  /* four-address frame */
	if (fc0 & 0x80) {
		hlen += 2;                  /* QoS control */
		if (fc1 & 0x80)
			hlen += 4;          /* HT control */
	}
	uint32_t llc = off + hlen;
	if (llc > caplen || caplen - llc < 8)
		return TL_DECODE_TRUNCATED;
	if (f[llc] != 0xaa || f[llc + 1] != 0xaa || f[llc + 2] != 0x03)
		return TL_DECODE_NOT_TCP;
	return by_ethertype(f, caplen, llc + 8, tl_get_be16(f + llc + 6), pkt);
}

static enum tl_decode_result radiotap(const uint8_t *f, uint32_t caplen,
                                      struct tl_packet *pkt)
{
	if (caplen < 8)
		return TL_DECODE_TRUNCATED;
	uint32_t len = (uint32_t)f[2] | ((uint32_t)f[3] << 8);
	if (len < 8)
		return TL_DECODE_MALFORMED;
	return ieee80211(f, caplen, len, pkt);
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
		return by_ip_nibble(f, caplen, 4, pkt);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

bool tl_decode_link_supported(int dlt)
{
	switch (dlt) {
	case DLT_EN10MB: case DLT_NULL: case DLT_LOOP: case DLT_RAW:
	case DLT_IPV4: case DLT_IPV6: case DLT_LINUX_SLL: case DLT_LINUX_SLL2:
	case DLT_IEEE802_11: case DLT_IEEE802_11_RADIO:
		return true;
	default:
		return false;
	}
}

enum tl_decode_result tl_decode_frame(int dlt, const uint8_t *f,
                                      uint32_t caplen, struct tl_packet *pkt)
{
	switch (dlt) {
	case DLT_EN10MB:
		return ethernet(f, caplen, pkt);
	case DLT_NULL:
	case DLT_LOOP:
		return null_loop(f, caplen, pkt);
	case DLT_RAW:
	case DLT_IPV4:
	case DLT_IPV6:
		return by_ip_nibble(f, caplen, 0, pkt);
	case DLT_LINUX_SLL:
		if (caplen < 16)
			return TL_DECODE_TRUNCATED;
		return by_ethertype(f, caplen, 16, tl_get_be16(f + 14), pkt);
	case DLT_LINUX_SLL2:
		if (caplen < 20)
			return TL_DECODE_TRUNCATED;
		return by_ethertype(f, caplen, 20, tl_get_be16(f), pkt);
	case DLT_IEEE802_11:
		return ieee80211(f, caplen, 0, pkt);
	case DLT_IEEE802_11_RADIO:
		return radiotap(f, caplen, pkt);
	default:
		return TL_DECODE_UNSUPPORTED;
	}
}

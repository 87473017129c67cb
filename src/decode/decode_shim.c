/* Shim headers between a link and the network layer that tshark 4.0 reads
 * by default: IEEE 802.1ah provider backbone bridging (PBB: an I-tag, then
 * the customer's frame), the network service header (NSH, RFC 8300: a
 * service path and metadata, then the packet of its next protocol) and
 * IEEE 802.1AE MACsec (a SecTAG, the secure data, an ICV). */
#include "config.h"

#include "decode_int.h"

enum { NSH_IPV4 = 1, NSH_IPV6 = 2, NSH_ETHERNET = 3, NSH_NSH = 4,
       NSH_MPLS = 5 };

/* The 4-byte I-tag (priority, drop eligibility, I-SID), then the
 * customer's destination and source addresses and ethertype: an Ethernet
 * header of its own. */
enum tl_decode_result tl_dec_pbb(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth)
{
	if (!tl_have(caplen, off, 4))
		return TL_DECODE_TRUNCATED;
	tl_note_encap(pkt, TL_ENCAP_PBB, off);
	return tl_dec_ethernet(f, caplen, off + 4, pkt, depth);
}

/* Base header (version, O and U bits, TTL, length in 4-byte words, MD
 * type, next protocol), service path header, then context headers: the
 * length says where the packet starts, whatever the MD type. */
enum tl_decode_result tl_dec_nsh(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth)
{
	if (++depth > TL_MAX_NESTING)
		return TL_DECODE_TOO_DEEP;
	if (!tl_have(caplen, off, 8))
		return TL_DECODE_TRUNCATED;
	uint32_t hlen = (uint32_t)(f[off + 1] & 0x3f) * 4;
	if (hlen < 8)
		return TL_DECODE_MALFORMED;
	tl_note_encap(pkt, TL_ENCAP_NSH, off);
	uint32_t at = off + hlen;
	switch (f[off + 3]) {
	case NSH_IPV4:
	case NSH_IPV6:
		return tl_dec_ip(f, caplen, at, pkt, depth);
	case NSH_ETHERNET:
		tl_note_encap(pkt, TL_ENCAP_ETHERNET, at);
		return tl_dec_ethernet(f, caplen, at, pkt, depth);
	case NSH_NSH:
		return tl_dec_nsh(f, caplen, at, pkt, depth);
	case NSH_MPLS:
		return tl_dec_mpls(f, caplen, at, pkt, depth);
	default:
		return TL_DECODE_NOT_TCP;
	}
}

/* MACsec: the SecTAG's TCI and association number (V, ES, SC, SCB, E, C),
 * its short length, the packet number, and the SCI when SC is set; then
 * the secure data (ethertype first) and a 16-byte ICV. A frame whose data
 * is encrypted or changed (E or C set) cannot be read without its key, by
 * tshark either: it is counted. The short length, when not 0, is the
 * secure data's; else the data ends where the ICV begins. */
enum tl_decode_result tl_dec_macsec(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt,
                                    unsigned depth)
{
	enum { MACSEC_V = 0x80, MACSEC_SC = 0x20, MACSEC_E = 0x08,
	       MACSEC_C = 0x04, MACSEC_ICV = 16 };
	if (!tl_have(caplen, off, 6))
		return TL_DECODE_TRUNCATED;
	uint8_t tci = f[off];
	if (tci & MACSEC_V)
		return TL_DECODE_NOT_TCP;       /* version 0 only */
	if (tci & (MACSEC_E | MACSEC_C))
		return TL_DECODE_ENCRYPTED;
	uint32_t at = off + ((tci & MACSEC_SC) ? 14 : 6);
	if (!tl_have(caplen, at, 2))
		return TL_DECODE_TRUNCATED;
	tl_note_encap(pkt, TL_ENCAP_MACSEC, off);
	uint32_t sl = f[off + 1] & 0x3f;
	uint32_t end = sl ? at + sl
	                  : caplen - at >= 2 + MACSEC_ICV ? caplen - MACSEC_ICV
	                                                  : caplen;
	if (end < at + 2)
		return TL_DECODE_MALFORMED;
	if (end < caplen)
		caplen = end;
	return tl_dec_ethertype(f, caplen, at + 2, tl_get_be16(f + at), pkt,
	                        depth);
}

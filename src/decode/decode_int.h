/* Shared by the decoders only: one entry point per layer family.
 *
 * Every layer function takes the frame, its captured length, the offset of
 * its own header, the packet view and the nesting depth (one per layer
 * already read), and returns what the innermost layer found. None reads
 * past caplen; offsets may be anything, including past caplen. */
#ifndef TL_DECODE_INT_H
#define TL_DECODE_INT_H

#include "tl_decode.h"

/* tshark gives up past 500 protocol layers (its tree depth); a packet
 * nested deeper is counted as too deep, not read. Also bounds recursion. */
#define TL_MAX_NESTING 496
#define TL_MAX_VLAN_TAGS 20

/* Whether len bytes from off are captured (off may be past caplen). */
static inline bool tl_have(uint32_t caplen, uint32_t off, uint32_t len)
{
	return off <= caplen && caplen - off >= len;
}

static inline void tl_proto_seen(struct tl_packet *pkt, unsigned proto)
{
	pkt->protos |= UINT64_C(1) << proto;
}

/* Notes an encapsulation on the way to the TCP header (kept for the
 * details pane); the first TL_MAX_ENCAPS are kept. An outer IP header is
 * also kept apart, for the fields. */
static inline void tl_note_encap(struct tl_packet *pkt, uint8_t kind,
                                 uint32_t off)
{
	/* 4.0's protocol for each kind (ip and ipv6 are the fields'). */
	static const int8_t proto[TL_ENCAP_KIND_COUNT] = {
		[TL_ENCAP_IP] = -1, [TL_ENCAP_GRE] = TL_PROTO_GRE,
		[TL_ENCAP_VXLAN] = TL_PROTO_VXLAN,
		[TL_ENCAP_VXLAN_GPE] = TL_PROTO_VXLAN,
		[TL_ENCAP_GENEVE] = TL_PROTO_GENEVE,
		[TL_ENCAP_GTPU] = TL_PROTO_GTP,
		[TL_ENCAP_TEREDO] = TL_PROTO_TEREDO,
		[TL_ENCAP_AYIYA] = TL_PROTO_AYIYA,
		[TL_ENCAP_L2TP] = TL_PROTO_L2TP,
		[TL_ENCAP_LISP] = TL_PROTO_LISP_DATA,
		[TL_ENCAP_ERSPAN] = TL_PROTO_ERSPAN,
		[TL_ENCAP_MPLS] = TL_PROTO_MPLS, [TL_ENCAP_PPP] = TL_PROTO_PPP,
		[TL_ENCAP_PPPOE] = TL_PROTO_PPPOES,
		[TL_ENCAP_ETHERNET] = TL_PROTO_ETH,
		[TL_ENCAP_UDP] = TL_PROTO_UDP,
		[TL_ENCAP_CAPWAP] = TL_PROTO_CAPWAP_DATA,
		[TL_ENCAP_PBB] = TL_PROTO_8021AH, [TL_ENCAP_NSH] = TL_PROTO_NSH,
		[TL_ENCAP_MACSEC] = TL_PROTO_MACSEC,
	};
	if (kind < TL_ENCAP_KIND_COUNT && proto[kind] >= 0)
		tl_proto_seen(pkt, (unsigned)proto[kind]);
	if (kind == TL_ENCAP_IP && pkt->outer_ip_count < TL_MAX_OUTER_IP)
		pkt->outer_ip[pkt->outer_ip_count++] = off;
	if (pkt->encap_count < TL_MAX_ENCAPS) {
		pkt->encap[pkt->encap_count].kind = kind;
		pkt->encap[pkt->encap_count].offset = off;
	}
	if (pkt->encap_count < 255)
		pkt->encap_count++;
}

enum tl_decode_result tl_dec_ip(const uint8_t *f, uint32_t caplen,
                                uint32_t off, struct tl_packet *pkt,
                                unsigned depth);
/* IP whose version is only known from its first nibble (MPLS, PPP, GTP). */
enum tl_decode_result tl_dec_ip_nibble(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt,
                                       unsigned depth);
enum tl_decode_result tl_dec_ethernet(const uint8_t *f, uint32_t caplen,
                                      uint32_t off, struct tl_packet *pkt,
                                      unsigned depth);
enum tl_decode_result tl_dec_ethertype(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, uint16_t type,
                                       struct tl_packet *pkt, unsigned depth);
enum tl_decode_result tl_dec_mpls(const uint8_t *f, uint32_t caplen,
                                  uint32_t off, struct tl_packet *pkt,
                                  unsigned depth);
/* PPP from its protocol field (address and control already skipped). */
enum tl_decode_result tl_dec_ppp_proto(const uint8_t *f, uint32_t caplen,
                                       uint32_t off, struct tl_packet *pkt,
                                       unsigned depth);
/* PPP that may start with the HDLC address and control bytes (ff 03). */
enum tl_decode_result tl_dec_ppp(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth);
enum tl_decode_result tl_dec_80211(const uint8_t *f, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt,
                                   unsigned depth);
/* 802.11 whose two frame-control bytes may come swapped (CAPWAP). */
enum tl_decode_result tl_dec_80211_swapped(const uint8_t *f, uint32_t caplen,
                                           uint32_t off, bool swapped,
                                           struct tl_packet *pkt,
                                           unsigned depth);
enum tl_decode_result tl_dec_gre(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth);
/* decode_shim.c: 802.1ah PBB (from its I-tag), NSH (RFC 8300), MACsec
 * (from its SecTAG). */
enum tl_decode_result tl_dec_macsec(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt,
                                    unsigned depth);
enum tl_decode_result tl_dec_pbb(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth);
enum tl_decode_result tl_dec_nsh(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, struct tl_packet *pkt,
                                 unsigned depth);
/* decode_meta.c: link types that are a capture system's record before
 * the packet (from offset 0). */
enum tl_decode_result tl_dec_pflog(const uint8_t *f, uint32_t caplen,
                                   struct tl_packet *pkt);
enum tl_decode_result tl_dec_pktap(const uint8_t *f, uint32_t caplen,
                                   struct tl_packet *pkt);
enum tl_decode_result tl_dec_enc(const uint8_t *f, uint32_t caplen,
                                 struct tl_packet *pkt);
#define TL_LINKTYPE_PKTAP 258   /* in files, whatever the system's DLT_ */
/* oui.c: whether a MAC address's OUI is registered, as tshark 4.0 knows
 * it (its manuf file); reads 3 bytes. */
bool tl_oui_known(const uint8_t *mac);
/* UDP: the tunnels tshark follows on their default ports. */
enum tl_decode_result tl_dec_udp(const uint8_t *f, uint32_t caplen,
                                 uint32_t off, uint32_t ip_payload_len,
                                 struct tl_packet *pkt, unsigned depth);

#endif

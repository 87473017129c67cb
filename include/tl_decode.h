/* Link, IP and TCP decoding into a flat, bounds-checked packet view. */
#ifndef TL_DECODE_H
#define TL_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum tl_decode_result {
	TL_DECODE_TCP,          /* a TCP header was decoded */
	TL_DECODE_NOT_TCP,      /* well-formed but carries no TCP header */
	TL_DECODE_TCP_CUT,      /* TCP options cut by the snap length: the
	                         * fixed fields are there, so Wireshark still
	                         * analyses it, but it has no row */
	TL_DECODE_TRUNCATED,    /* a header was cut by the snap length */
	TL_DECODE_FRAGMENT,     /* a fragment of a datagram carrying TCP */
	TL_DECODE_MALFORMED,    /* a length or field contradicts itself */
	TL_DECODE_UNSUPPORTED,  /* link type we do not know */
	TL_DECODE_TOO_DEEP,     /* nested deeper than tshark reads */
	TL_DECODE_TUNNEL,       /* a GRE payload type we do not read
	                         * (pkt->tunnel_type says which) */
	TL_DECODE_TUNNEL_FRAGMENT, /* a fragment of a tunnel's own (CAPWAP),
	                         * described by pkt->frag as an IP fragment
	                         * is: put back together by the model */
	TL_DECODE_ENCRYPTED,    /* MACsec whose data is encrypted: nobody
	                         * without the key reads it */
	TL_DECODE_ICMP_TCP,     /* an ICMP/ICMPv6 error quoting a TCP header
	                         * (16 bytes at least): addresses and ports
	                         * are the quoted ones; no segment */
};

/* Encapsulations crossed on the way to the TCP header, outermost first. */
enum tl_encap_kind {
	TL_ENCAP_IP,            /* an outer IPv4/IPv6 header */
	TL_ENCAP_GRE,
	TL_ENCAP_VXLAN,
	TL_ENCAP_VXLAN_GPE,
	TL_ENCAP_GENEVE,
	TL_ENCAP_GTPU,
	TL_ENCAP_TEREDO,
	TL_ENCAP_AYIYA,
	TL_ENCAP_L2TP,
	TL_ENCAP_LISP,
	TL_ENCAP_ERSPAN,
	TL_ENCAP_MPLS,
	TL_ENCAP_PPP,
	TL_ENCAP_PPPOE,
	TL_ENCAP_ETHERNET,      /* an inner Ethernet header */
	TL_ENCAP_UDP,           /* the UDP header of a UDP tunnel */
	TL_ENCAP_CAPWAP,        /* CAPWAP data */
	TL_ENCAP_PBB,           /* an 802.1ah I-tag */
	TL_ENCAP_NSH,           /* a network service header */
	TL_ENCAP_MACSEC,        /* an 802.1AE SecTAG */
	TL_ENCAP_KIND_COUNT
};

/* Protocols tshark 4.0 dissects in a frame (frame.protocols) that the
 * decoder crosses on the way to the TCP header, beside ip, ipv6 and tcp,
 * which the fields tell: one bit each in tl_packet's protos, set as each
 * layer is read, so that "udp" or "vlan" named alone in a filter is
 * present when 4.0 dissected that protocol in the frame. Those 4.0 lists
 * but adds no item for (ethertype, pwethheuristic, pwethnocw,
 * pcap_pktdata: a filter never finds them) have no bit. tl_proto_name
 * gives 4.0's name. */
enum tl_proto {
	TL_PROTO_ETH, TL_PROTO_VLAN, TL_PROTO_8021AD,
	TL_PROTO_8021AH, TL_PROTO_SLL, TL_PROTO_NULL, TL_PROTO_LOOP,
	TL_PROTO_RAW, TL_PROTO_PPP, TL_PROTO_PPPOES, TL_PROTO_CHDLC,
	TL_PROTO_MPLS, TL_PROTO_PW_CW, TL_PROTO_GRE, TL_PROTO_UDP, TL_PROTO_VXLAN,
	TL_PROTO_GENEVE, TL_PROTO_GTP, TL_PROTO_TEREDO, TL_PROTO_AYIYA,
	TL_PROTO_L2TP, TL_PROTO_LISP_DATA, TL_PROTO_ERSPAN, TL_PROTO_NSH,
	TL_PROTO_CAPWAP_DATA, TL_PROTO_WLAN, TL_PROTO_LLC, TL_PROTO_MACSEC,
	TL_PROTO_NFLOG, TL_PROTO_PFLOG, TL_PROTO_PKTAP,
	TL_PROTO_ENC, TL_PROTO_IPOIB, TL_PROTO_ARCNET, TL_PROTO_FDDI,
	TL_PROTO_TR, TL_PROTO_RADIOTAP, TL_PROTO_WLAN_RADIO, TL_PROTO_PPI,
	TL_PROTO_NETANALYZER, TL_PROTO_IPNET, TL_PROTO_ARP,
	TL_PROTO_IPV6_HOPOPTS, TL_PROTO_IPV6_ROUTING, TL_PROTO_IPV6_FRAGHDR,
	TL_PROTO_IPV6_DSTOPTS, TL_PROTO_MPTCP,
	TL_PROTO_COUNT
};

/* 4.0's name of a protocol bit ("udp", "capwap.data"), NULL past the
 * last. */
const char *tl_proto_name(unsigned proto);

#define TL_MAX_ENCAPS 8
/* Outer IP headers kept for the fields (tshark's ip.src has one occurrence
 * per header, outermost first): more than any real tunnel nests. */
#define TL_MAX_OUTER_IP 63

/* TCP flag bits as on the wire (byte 13, plus NS from byte 12). */
enum {
	TL_TH_FIN = 0x01, TL_TH_SYN = 0x02, TL_TH_RST = 0x04, TL_TH_PSH = 0x08,
	TL_TH_ACK = 0x10, TL_TH_URG = 0x20, TL_TH_ECE = 0x40, TL_TH_CWR = 0x80,
	TL_TH_NS = 0x100,
};

enum {
	TL_OPT_MSS = 1u << 0,
	TL_OPT_WSCALE = 1u << 1,
	TL_OPT_SACK_PERM = 1u << 2,
	TL_OPT_SACK = 1u << 3,
	TL_OPT_TIMESTAMP = 1u << 4,
	TL_OPT_UNKNOWN = 1u << 5,
	TL_OPT_MALFORMED = 1u << 6,  /* an option ran past the header */
	TL_OPT_MPTCP = 1u << 7,      /* a multipath TCP option (kind 30) */
};

#define TL_MAX_SACK_BLOCKS 4
#define TL_MAX_UNKNOWN_OPTS 6

struct tl_tcp_options {
	uint8_t present;            /* TL_OPT_* bits */
	uint8_t wscale;             /* shift as sent (may exceed 14) */
	uint8_t sack_count;
	uint8_t unknown_count;
	uint16_t mss;
	uint32_t tsval, tsecr;
	uint32_t sack[TL_MAX_SACK_BLOCKS][2];   /* left, right edges, raw */
	uint8_t unknown[TL_MAX_UNKNOWN_OPTS];   /* kinds we do not decode */
};

struct tl_packet {
	/* network layer */
	uint8_t ip_version;           /* 4 or 6 */
	uint8_t ttl;                  /* or hop limit */
	uint8_t src[16], dst[16];     /* IPv4 uses the first 4 bytes */
	uint32_t ip_offset;           /* of the (innermost) IP header in the frame */
	uint32_t ip_header_len;       /* including IPv6 extension headers */
	uint32_t ip_payload_len;      /* from the IP header, not the capture */
	/* transport layer */
	uint32_t tcp_offset;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t flags;               /* TL_TH_* */
	uint16_t window;              /* raw field */
	uint16_t checksum, urgent;
	uint8_t tcp_header_len;       /* bytes */
	bool options_cut;             /* the snap length cut the options */
	uint32_t seglen;              /* payload bytes according to IP lengths */
	uint32_t payload_offset;
	uint32_t payload_caplen;      /* payload bytes actually captured */
	struct tl_tcp_options opt;
	/* encapsulations (tunnels, label stacks) before the innermost IP
	 * header: the first TL_MAX_ENCAPS of encap_count */
	/* for TL_DECODE_FRAGMENT: which datagram, where this piece goes
	 * (src, dst and ip_version are set too) */
	struct {
		uint8_t proto;            /* of the whole datagram */
		bool more;                /* more fragments follow */
		uint32_t id;
		uint32_t offset;          /* of this piece in the payload */
		uint32_t hdr_off, hdr_len;    /* the IP header (v4) */
		uint32_t data_off, data_len;  /* this piece, as captured */
		uint32_t data_wire;           /* its length on the wire */
		/* for TL_DECODE_TUNNEL_FRAGMENT (CAPWAP): 0 when the
		 * payload is an 802.3 frame, else the wireless binding of
		 * a native frame (1: 802.11) */
		uint8_t binding;
	} frag;
	uint8_t encap_count;
	/* 1 << TL_PROTO_* for each protocol crossed, in every layer 4.0
	 * dissects in the frame (an A-MSDU's other subframes too) */
	uint64_t protos;
	bool in_error;                /* inside an ICMP error's quote */
	uint16_t tunnel_type;         /* for TL_DECODE_TUNNEL */
	struct { uint8_t kind; uint32_t offset; } encap[TL_MAX_ENCAPS];
	/* the IP headers around the innermost one, outermost first: the
	 * first TL_MAX_OUTER_IP (offsets in the frame) */
	uint8_t outer_ip_count;
	uint32_t outer_ip[TL_MAX_OUTER_IP];
	/* An 802.11 A-MSDU holds several MSDUs: the segment is the first
	 * that carries TCP, and this is where the next subframe starts in
	 * the data decoded (0: no more), for tl_decode_amsdu. */
	uint32_t amsdu_next;
};

/* A short name for an encapsulation ("GRE", "VXLAN"...). */
const char *tl_encap_name(unsigned kind);

/* A record that is no packet (a pcapng custom block, which tshark counts
 * as a frame): decodes as NOT_TCP. */
#define TL_DLT_NONE (-1)

/* Decodes one frame of link type dlt. On TL_DECODE_TCP every field of pkt is
 * set; on anything else pkt is unspecified. Never reads past caplen. */
enum tl_decode_result tl_decode_frame(int dlt, const uint8_t *frame,
                                      uint32_t caplen, struct tl_packet *pkt);

/* Whether the link type is one we can decode (checked once at open). */
bool tl_decode_link_supported(int dlt);

/* A CAPWAP payload put back together from its fragments (binding as in
 * pkt->frag.binding): decodes it from offset 0. The encapsulations pkt
 * already lists (the frame's, up to CAPWAP) are kept; its outer IP headers
 * are not (they are the frame's, not in payload). */
enum tl_decode_result tl_decode_capwap_payload(const uint8_t *payload,
                                               uint32_t len, unsigned binding,
                                               struct tl_packet *pkt);

/* The A-MSDU subframes of frame (or of a payload put back together) from
 * off, the next one pkt->amsdu_next named: decodes the first of them that
 * carries TCP, as tl_decode_frame does, and sets pkt->amsdu_next again. */
enum tl_decode_result tl_decode_amsdu(const uint8_t *frame, uint32_t caplen,
                                      uint32_t off, struct tl_packet *pkt);

/* The file of registered OUIs (Wireshark's manuf format) an MPLS
 * pseudowire's guess reads, once, when first needed; NULL for none (an
 * OUI then counts as registered when universally administered). The
 * default is Wireshark's, as tshark reads it. For the tests. */
void tl_decode_oui_file(const char *path);

/* Layer entry points, exposed for the unit tests and the fuzzer. */
enum tl_decode_result tl_decode_ip(const uint8_t *frame, uint32_t caplen,
                                   uint32_t off, struct tl_packet *pkt);
enum tl_decode_result tl_decode_tcp(const uint8_t *frame, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt);
void tl_decode_tcp_options(const uint8_t *opt, uint32_t len,
                           struct tl_tcp_options *out);

static inline uint16_t tl_get_be16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t tl_get_be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

#endif

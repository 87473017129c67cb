/* The TCP header and its options. */
#include "config.h"

#include "decode_int.h"

#include <string.h>

enum {
	OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3,
	OPT_SACK_PERM = 4, OPT_SACK = 5, OPT_TIMESTAMP = 8, OPT_MPTCP = 30,
};

static void add_unknown(struct tl_tcp_options *o, uint8_t kind)
{
	o->present |= TL_OPT_UNKNOWN;
	if (o->unknown_count < TL_MAX_UNKNOWN_OPTS)
		o->unknown[o->unknown_count++] = kind;
}

/* Options with a fixed length are only believed when that length is right;
 * anything else is shown by kind number, as Wireshark flags it. */
static void one_option(const uint8_t *p, uint32_t len, struct tl_tcp_options *o)
{
	switch (p[0]) {
	case OPT_MSS:
		if (len != 4)
			break;
		o->present |= TL_OPT_MSS;
		o->mss = tl_get_be16(p + 2);
		return;
	case OPT_WSCALE:
		if (len != 3)
			break;
		o->present |= TL_OPT_WSCALE;
		o->wscale = p[2];
		return;
	case OPT_SACK_PERM:
		if (len != 2)
			break;
		o->present |= TL_OPT_SACK_PERM;
		return;
	case OPT_SACK:
		if (len < 10 || (len - 2) % 8)
			break;
		o->present |= TL_OPT_SACK;
		for (uint32_t i = 2; i + 8 <= len; i += 8) {
			if (o->sack_count >= TL_MAX_SACK_BLOCKS)
				break;
			o->sack[o->sack_count][0] = tl_get_be32(p + i);
			o->sack[o->sack_count][1] = tl_get_be32(p + i + 4);
			o->sack_count++;
		}
		return;
	case OPT_TIMESTAMP:
		if (len != 10)
			break;
		o->present |= TL_OPT_TIMESTAMP;
		o->tsval = tl_get_be32(p + 2);
		o->tsecr = tl_get_be32(p + 6);
		return;
	default:
		break;
	}
	if (p[0] == OPT_MPTCP)
		o->present |= TL_OPT_MPTCP;
	add_unknown(o, p[0]);
}

/* 4.0 dissects a multipath TCP option (kind 30) as the protocol mptcp
 * (tl_proto). */
static enum tl_decode_result mptcp_seen(struct tl_packet *pkt,
                                        enum tl_decode_result r)
{
	if (pkt->opt.present & TL_OPT_MPTCP)
		tl_proto_seen(pkt, TL_PROTO_MPTCP);
	return r;
}

/* A SACK option the snap length cut: 4.0 reads its blocks one by one
 * until the cut, and the whole ones count (bytes in flight). */
static void cut_sack(const uint8_t *p, uint32_t avail, uint32_t len,
                     struct tl_tcp_options *o)
{
	if (len < 10 || (len - 2) % 8)
		return;
	for (uint32_t i = 2; i + 8 <= avail; i += 8) {
		if (o->sack_count >= TL_MAX_SACK_BLOCKS)
			break;
		o->present |= TL_OPT_SACK;
		o->sack[o->sack_count][0] = tl_get_be32(p + i);
		o->sack[o->sack_count][1] = tl_get_be32(p + i + 4);
		o->sack_count++;
	}
}

/* len: the options' length by the header; cap: how much of it was
 * captured (at most len). An option's length is checked against the
 * header, as 4.0 does; one that runs past the capture ends the list. */
static void decode_options(const uint8_t *p, uint32_t len, uint32_t cap,
                           struct tl_tcp_options *o)
{
	memset(o, 0, sizeof *o);
	uint32_t i = 0;
	while (i < cap) {
		uint8_t kind = p[i];
		if (kind == OPT_EOL)
			return;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (cap - i < 2) {
			if (len - i < 2)
				o->present |= TL_OPT_MALFORMED;
			return;
		}
		if (p[i + 1] < 2 || p[i + 1] > len - i) {
			o->present |= TL_OPT_MALFORMED;
			return;
		}
		if (p[i + 1] > cap - i) {
			if (kind == OPT_SACK)
				cut_sack(p + i, cap - i, p[i + 1], o);
			return;
		}
		one_option(p + i, p[i + 1], o);
		i += p[i + 1];
	}
}

void tl_decode_tcp_options(const uint8_t *p, uint32_t len,
                           struct tl_tcp_options *o)
{
	decode_options(p, len, len, o);
}

/* Whether 4.0, walking options of the header's length over the cap bytes
 * captured, reads past the capture (and stops the segment's dissection
 * there, docs/analysis.md). It lists bytes up to a bad length or a
 * non-zero byte after an EOL and stops without reading further. */
static bool options_reach_cut(const uint8_t *p, uint32_t len, uint32_t cap)
{
	bool eol = false;
	uint32_t i = 0;
	while (i < len) {
		if (i >= cap)
			return true;
		uint8_t kind = p[i];
		if (kind == OPT_EOL) {
			eol = true;
			i++;
			continue;
		}
		if (eol)
			return false;
		if (kind == OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= cap)
			return true;
		if (p[i + 1] < 2 || p[i + 1] > len - i)
			return false;
		if (p[i + 1] > cap - i)
			return true;
		i += p[i + 1];
	}
	return false;
}

enum tl_decode_result tl_decode_tcp(const uint8_t *f, uint32_t caplen,
                                    uint32_t off, struct tl_packet *pkt)
{
	/* Wireshark analyses a segment once ports, numbers, flags and window
	 * (16 bytes) are there, even if the rest of the header is cut. */
	if (off > caplen || caplen - off < 16)
		return TL_DECODE_TRUNCATED;
	const uint8_t *h = f + off;
	uint32_t avail = caplen - off;
	uint32_t hlen = (uint32_t)(h[12] >> 4) * 4;
	if (hlen < 20 || hlen > pkt->ip_payload_len)
		return TL_DECODE_MALFORMED;
	pkt->tcp_offset = off;
	pkt->sport = tl_get_be16(h);
	pkt->dport = tl_get_be16(h + 2);
	pkt->seq = tl_get_be32(h + 4);
	pkt->ack = tl_get_be32(h + 8);
	pkt->flags = (uint16_t)(h[13] | ((h[12] & 1) << 8));
	pkt->window = tl_get_be16(h + 14);
	pkt->checksum = avail >= 18 ? tl_get_be16(h + 16) : 0;
	pkt->urgent = avail >= 20 ? tl_get_be16(h + 18) : 0;
	pkt->tcp_header_len = (uint8_t)hlen;
	pkt->seglen = pkt->ip_payload_len - hlen;
	if (avail >= 20 && avail < hlen &&
	    !options_reach_cut(h + 20, hlen - 20, avail - 20)) {
		/* Cut, but in what 4.0 never reads: a whole segment
		 * without payload bytes. */
		tl_decode_tcp_options(h + 20, avail - 20, &pkt->opt);
		pkt->options_cut = false;
		pkt->payload_offset = caplen;
		pkt->payload_caplen = 0;
		return mptcp_seen(pkt, TL_DECODE_TCP);
	}
	if (avail < hlen) {
		/* Options cut by the snap length are decoded as far as they
		 * go; the window scale may be among those that are left. */
		decode_options(h + 20, hlen - 20, avail > 20 ? avail - 20 : 0,
		               &pkt->opt);
		pkt->options_cut = true;
		pkt->payload_offset = caplen;
		pkt->payload_caplen = 0;
		return mptcp_seen(pkt, TL_DECODE_TCP_CUT);
	}
	pkt->options_cut = false;
	tl_decode_tcp_options(h + 20, hlen - 20, &pkt->opt);
	pkt->payload_offset = off + hlen;
	pkt->payload_caplen = avail > hlen ? avail - hlen : 0;
	if (pkt->payload_caplen > pkt->seglen)
		pkt->payload_caplen = pkt->seglen;   /* Ethernet padding */
	return mptcp_seen(pkt, TL_DECODE_TCP);
}

/* The field table: Wireshark 4.0's names for what tcpladder knows of a
 * TCP segment, their types and how tshark prints them (tl_fields.h). The
 * meaning of the analysis values is in docs/analysis.md. */
#include "config.h"

#include "tl_fields.h"

#include "tl_app.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

enum {
	F_FRAME_NUMBER, F_FRAME_TIME_RELATIVE, F_FRAME_TIME_DELTA,
	F_FRAME_TIME_EPOCH, F_FRAME_LEN, F_FRAME_CAP_LEN,
	F_IP_SRC, F_IP_DST, F_IP_ADDR, F_IP_TTL, F_IP_ID, F_IP_LEN, F_IP_PROTO,
	F_IP_HDR_LEN, F_IP_FLAGS_DF, F_IP_FLAGS_MF,
	F_IPV6_SRC, F_IPV6_DST, F_IPV6_ADDR, F_IPV6_HLIM, F_IPV6_PLEN,
	F_IPV6_FLOW,
	F_TCP_SRCPORT, F_TCP_DSTPORT, F_TCP_PORT, F_TCP_STREAM, F_TCP_LEN,
	F_TCP_SEQ, F_TCP_SEQ_RAW, F_TCP_ACK, F_TCP_ACK_RAW, F_TCP_NXTSEQ,
	F_TCP_HDR_LEN, F_TCP_FLAGS,
	F_FLAG_RES, F_FLAG_AE, F_FLAG_CWR, F_FLAG_ECE, F_FLAG_URG, F_FLAG_ACK,
	F_FLAG_PUSH, F_FLAG_RESET, F_FLAG_SYN, F_FLAG_FIN, F_TCP_FLAGS_STR,
	F_WIN_VALUE, F_WIN_SIZE, F_WIN_SCALEFACTOR, F_CHECKSUM,
	F_CHECKSUM_STATUS, F_URGENT_POINTER, F_OPTION_KIND, F_OPT_MSS_VAL,
	F_OPT_WSCALE_SHIFT, F_OPT_WSCALE_MULT, F_OPT_SACK_PERM, F_OPT_SACK_LE,
	F_OPT_SACK_RE, F_OPT_SACK_COUNT, F_OPT_TSVAL, F_OPT_TSECR,
	F_OPTIONS, F_OPT_MSS, F_OPT_WSCALE, F_OPT_SACK, F_OPT_TS,
	F_TCP_TIME_RELATIVE, F_TCP_TIME_DELTA,
	F_AN_TREE, F_AN_FLAGS, F_AN_ACKS_FRAME, F_AN_ACK_RTT, F_AN_INITIAL_RTT,
	F_AN_BIF, F_AN_PUSH_BYTES, F_AN_DUPACK_NUM, F_AN_DUPACK_FRAME,
	F_AN_RTO, F_AN_RTO_FRAME,
	F_AN_FIRST_FLAG,        /* then one per TL_AN_* bit, in bit order */
	/* The sender model's (tl_sender.h): tcpladder's own names. */
	F_TL_CWND = F_AN_FIRST_FLAG + TL_AN_WIRESHARK_COUNT, F_TL_CWND_BYTES,
	F_TL_SSTHRESH, F_TL_CA_STATE, F_TL_PHASE, F_TL_RTO, F_TL_RTX_CAUSE,
	/* HTTP/1.x, from the application reader (tl_app.h). */
	F_HTTP, F_HTTP_REQUEST, F_HTTP_RESPONSE, F_HTTP_METHOD, F_HTTP_URI,
	F_HTTP_REQ_VERSION, F_HTTP_HOST, F_HTTP_RESP_VERSION, F_HTTP_PHRASE,
	F_HTTP_CODE, F_HTTP_CONTENT_LENGTH, F_HTTP_USER_AGENT, F_HTTP_SERVER,
	F_HTTP_CONTENT_TYPE, F_HTTP_LOCATION, F_HTTP_REFERER, F_HTTP_CONNECTION,
	F_COUNT,
};

#define U(n, id, bits) { n, TL_FT_UINT, TL_BASE_DEC, id, bits }
#define H(n, id, bits, base) { n, TL_FT_UINT, base, id, bits }
#define B(n, id) { n, TL_FT_BOOL, TL_BASE_DEC, id, 1 }
#define T(n, id) { n, TL_FT_TIME, TL_BASE_DEC, id, 64 }
#define FN(n, id) { n, TL_FT_FRAMENUM, TL_BASE_DEC, id, 32 }
#define A4(n, id) { n, TL_FT_IPV4, TL_BASE_DEC, id, 32 }
#define A6(n, id) { n, TL_FT_IPV6, TL_BASE_DEC, id, 128 }
#define N(n, id) { n, TL_FT_NONE, TL_BASE_DEC, id, 0 }
#define S(n, id) { n, TL_FT_STRING, TL_BASE_DEC, id, 0 }

static const struct tl_field table[F_COUNT] = {
	U("frame.number", F_FRAME_NUMBER, 32),
	T("frame.time_relative", F_FRAME_TIME_RELATIVE),
	T("frame.time_delta", F_FRAME_TIME_DELTA),
	T("frame.time_epoch", F_FRAME_TIME_EPOCH),
	U("frame.len", F_FRAME_LEN, 32),
	U("frame.cap_len", F_FRAME_CAP_LEN, 32),
	A4("ip.src", F_IP_SRC), A4("ip.dst", F_IP_DST), A4("ip.addr", F_IP_ADDR),
	U("ip.ttl", F_IP_TTL, 8),
	H("ip.id", F_IP_ID, 16, TL_BASE_HEX4),
	U("ip.len", F_IP_LEN, 16),
	U("ip.proto", F_IP_PROTO, 8),
	U("ip.hdr_len", F_IP_HDR_LEN, 8),
	B("ip.flags.df", F_IP_FLAGS_DF), B("ip.flags.mf", F_IP_FLAGS_MF),
	A6("ipv6.src", F_IPV6_SRC), A6("ipv6.dst", F_IPV6_DST),
	A6("ipv6.addr", F_IPV6_ADDR),
	U("ipv6.hlim", F_IPV6_HLIM, 8),
	U("ipv6.plen", F_IPV6_PLEN, 16),
	H("ipv6.flow", F_IPV6_FLOW, 24, TL_BASE_HEX6),
	U("tcp.srcport", F_TCP_SRCPORT, 16), U("tcp.dstport", F_TCP_DSTPORT, 16),
	U("tcp.port", F_TCP_PORT, 16), U("tcp.stream", F_TCP_STREAM, 32),
	U("tcp.len", F_TCP_LEN, 32), U("tcp.seq", F_TCP_SEQ, 32),
	U("tcp.seq_raw", F_TCP_SEQ_RAW, 32), U("tcp.ack", F_TCP_ACK, 32),
	U("tcp.ack_raw", F_TCP_ACK_RAW, 32), U("tcp.nxtseq", F_TCP_NXTSEQ, 32),
	U("tcp.hdr_len", F_TCP_HDR_LEN, 8),
	H("tcp.flags", F_TCP_FLAGS, 16, TL_BASE_HEX4),
	B("tcp.flags.res", F_FLAG_RES), B("tcp.flags.ae", F_FLAG_AE),
	B("tcp.flags.cwr", F_FLAG_CWR), B("tcp.flags.ece", F_FLAG_ECE),
	B("tcp.flags.urg", F_FLAG_URG), B("tcp.flags.ack", F_FLAG_ACK),
	B("tcp.flags.push", F_FLAG_PUSH), B("tcp.flags.reset", F_FLAG_RESET),
	B("tcp.flags.syn", F_FLAG_SYN), B("tcp.flags.fin", F_FLAG_FIN),
	{ "tcp.flags.str", TL_FT_STRING, TL_BASE_DEC, F_TCP_FLAGS_STR, 0 },
	U("tcp.window_size_value", F_WIN_VALUE, 16),
	U("tcp.window_size", F_WIN_SIZE, 32),
	{ "tcp.window_size_scalefactor", TL_FT_INT, TL_BASE_DEC,
	  F_WIN_SCALEFACTOR, 32 },
	H("tcp.checksum", F_CHECKSUM, 16, TL_BASE_HEX4),
	U("tcp.checksum.status", F_CHECKSUM_STATUS, 8),
	U("tcp.urgent_pointer", F_URGENT_POINTER, 16),
	U("tcp.option_kind", F_OPTION_KIND, 8),
	U("tcp.options.mss_val", F_OPT_MSS_VAL, 16),
	U("tcp.options.wscale.shift", F_OPT_WSCALE_SHIFT, 8),
	U("tcp.options.wscale.multiplier", F_OPT_WSCALE_MULT, 16),
	{ "tcp.options.sack_perm", TL_FT_BYTES, TL_BASE_DEC, F_OPT_SACK_PERM,
	  0 },
	U("tcp.options.sack_le", F_OPT_SACK_LE, 32),
	U("tcp.options.sack_re", F_OPT_SACK_RE, 32),
	U("tcp.options.sack.count", F_OPT_SACK_COUNT, 8),
	U("tcp.options.timestamp.tsval", F_OPT_TSVAL, 32),
	U("tcp.options.timestamp.tsecr", F_OPT_TSECR, 32),
	/* The option list and each option as protocol items: their bytes
	 * (4.0 adds an option's item before it checks its length). */
	{ "tcp.options", TL_FT_BYTES, TL_BASE_DEC, F_OPTIONS, 0 },
	{ "tcp.options.mss", TL_FT_BYTES, TL_BASE_DEC, F_OPT_MSS, 0 },
	{ "tcp.options.wscale", TL_FT_BYTES, TL_BASE_DEC, F_OPT_WSCALE, 0 },
	{ "tcp.options.sack", TL_FT_BYTES, TL_BASE_DEC, F_OPT_SACK, 0 },
	{ "tcp.options.timestamp", TL_FT_BYTES, TL_BASE_DEC, F_OPT_TS, 0 },
	T("tcp.time_relative", F_TCP_TIME_RELATIVE),
	T("tcp.time_delta", F_TCP_TIME_DELTA),
	N("tcp.analysis", F_AN_TREE),
	N("tcp.analysis.flags", F_AN_FLAGS),
	FN("tcp.analysis.acks_frame", F_AN_ACKS_FRAME),
	T("tcp.analysis.ack_rtt", F_AN_ACK_RTT),
	T("tcp.analysis.initial_rtt", F_AN_INITIAL_RTT),
	U("tcp.analysis.bytes_in_flight", F_AN_BIF, 32),
	U("tcp.analysis.push_bytes_sent", F_AN_PUSH_BYTES, 32),
	U("tcp.analysis.duplicate_ack_num", F_AN_DUPACK_NUM, 32),
	FN("tcp.analysis.duplicate_ack_frame", F_AN_DUPACK_FRAME),
	T("tcp.analysis.rto", F_AN_RTO),
	FN("tcp.analysis.rto_frame", F_AN_RTO_FRAME),
	N("tcp.analysis.ack_lost_segment", F_AN_FIRST_FLAG + 0),
	N("tcp.analysis.duplicate_ack", F_AN_FIRST_FLAG + 1),
	N("tcp.analysis.fast_retransmission", F_AN_FIRST_FLAG + 2),
	N("tcp.analysis.keep_alive", F_AN_FIRST_FLAG + 3),
	N("tcp.analysis.keep_alive_ack", F_AN_FIRST_FLAG + 4),
	N("tcp.analysis.lost_segment", F_AN_FIRST_FLAG + 5),
	N("tcp.analysis.out_of_order", F_AN_FIRST_FLAG + 6),
	N("tcp.analysis.retransmission", F_AN_FIRST_FLAG + 7),
	N("tcp.analysis.reused_ports", F_AN_FIRST_FLAG + 8),
	N("tcp.analysis.spurious_retransmission", F_AN_FIRST_FLAG + 9),
	N("tcp.analysis.window_full", F_AN_FIRST_FLAG + 10),
	N("tcp.analysis.window_update", F_AN_FIRST_FLAG + 11),
	N("tcp.analysis.zero_window", F_AN_FIRST_FLAG + 12),
	N("tcp.analysis.zero_window_probe", F_AN_FIRST_FLAG + 13),
	N("tcp.analysis.zero_window_probe_ack", F_AN_FIRST_FLAG + 14),
	U("tcpladder.cwnd", F_TL_CWND, 32),
	U("tcpladder.cwnd_bytes", F_TL_CWND_BYTES, 32),
	U("tcpladder.ssthresh", F_TL_SSTHRESH, 32),
	{ "tcpladder.ca_state", TL_FT_STRING, TL_BASE_DEC, F_TL_CA_STATE, 0 },
	{ "tcpladder.phase", TL_FT_STRING, TL_BASE_DEC, F_TL_PHASE, 0 },
	T("tcpladder.rto", F_TL_RTO),
	{ "tcpladder.rtx_cause", TL_FT_STRING, TL_BASE_DEC, F_TL_RTX_CAUSE, 0 },
	/* The protocol: its bytes to filters, its name to -T fields. */
	{ "http", TL_FT_BYTES, TL_BASE_NAME, F_HTTP, 0 },
	B("http.request", F_HTTP_REQUEST), B("http.response", F_HTTP_RESPONSE),
	S("http.request.method", F_HTTP_METHOD),
	S("http.request.uri", F_HTTP_URI),
	S("http.request.version", F_HTTP_REQ_VERSION),
	S("http.host", F_HTTP_HOST),
	S("http.response.version", F_HTTP_RESP_VERSION),
	S("http.response.phrase", F_HTTP_PHRASE),
	U("http.response.code", F_HTTP_CODE, 16),
	U("http.content_length", F_HTTP_CONTENT_LENGTH, 64),
	S("http.user_agent", F_HTTP_USER_AGENT), S("http.server", F_HTTP_SERVER),
	S("http.content_type", F_HTTP_CONTENT_TYPE),
	S("http.location", F_HTTP_LOCATION), S("http.referer", F_HTTP_REFERER),
	S("http.connection", F_HTTP_CONNECTION),
};

/* Protocols and fields of 4.0 a filter may name that the table does not
 * hold: valid, never present on what tcpladder shows (or, for the
 * protocols, present on every row), with 4.0's types so that a filter
 * comparing them is accepted or refused as tshark does. An Ethernet
 * address is bytes of TL_BASE_ETHER, an absolute time a time of
 * TL_BASE_ABSTIME (the table holds neither). */
#define P(n) { n, TL_FT_BYTES, TL_BASE_NAME, F_COUNT, 0 }
#define E(n, type, base, bits) { n, type, base, F_COUNT, bits }
static const struct tl_field elsewhere[] = {
	P("frame"), P("ip"), P("ipv6"), P("tcp"), P("icmp"), P("icmpv6"),
	P("dns"), P("tls"), P("ssl"), P("data"), P("ethertype"),
	P("pwethheuristic"), P("pwethnocw"), P("pcap_pktdata"),
	P("_ws.expert"),
	P("_ws.malformed"), P("ns"),
	/* Options 4.0 registers "in name only": bytes, not protocols. */
	E("tcp.options.nop", TL_FT_BYTES, TL_BASE_DEC, 0),
	E("tcp.options.eol", TL_FT_BYTES, TL_BASE_DEC, 0),
	E("tcp.payload", TL_FT_BYTES, TL_BASE_DEC, 0),
	E("tcp.segment_data", TL_FT_BYTES, TL_BASE_DEC, 0),
	E("ip.flags", TL_FT_UINT, TL_BASE_DEC, 8),
	E("ip.flags.rb", TL_FT_BOOL, TL_BASE_DEC, 1),
	E("ip.dsfield", TL_FT_UINT, TL_BASE_DEC, 8),
	E("ip.checksum", TL_FT_UINT, TL_BASE_DEC, 16),
	E("ip.frag_offset", TL_FT_UINT, TL_BASE_DEC, 16),
	E("tcp.options.sack.dsack", TL_FT_NONE, TL_BASE_DEC, 0),
	E("tcp.analysis.tfo_syn", TL_FT_NONE, TL_BASE_DEC, 0),
	E("tcp.pdu.size", TL_FT_UINT, TL_BASE_DEC, 32),
	E("eth.src", TL_FT_BYTES, TL_BASE_ETHER, 48),
	E("eth.dst", TL_FT_BYTES, TL_BASE_ETHER, 48),
	E("eth.addr", TL_FT_BYTES, TL_BASE_ETHER, 48),
	E("eth.type", TL_FT_UINT, TL_BASE_DEC, 16),
	E("frame.protocols", TL_FT_STRING, TL_BASE_DEC, 0),
	E("frame.time", TL_FT_TIME, TL_BASE_ABSTIME, 64),
	E("udp.port", TL_FT_UINT, TL_BASE_DEC, 16),
	E("udp.srcport", TL_FT_UINT, TL_BASE_DEC, 16),
	E("udp.dstport", TL_FT_UINT, TL_BASE_DEC, 16),
	E("ipv6.nxt", TL_FT_UINT, TL_BASE_DEC, 8),
	E("ipv6.tclass", TL_FT_UINT, TL_BASE_DEC, 32),
	E("tls.handshake", TL_FT_NONE, TL_BASE_DEC, 0),
	E("dns.qry.name", TL_FT_STRING, TL_BASE_DEC, 0),
};
#undef P
#undef E

const struct tl_field *tl_field_find(const char *name, size_t len)
{
	for (unsigned i = 0; i < F_COUNT; i++)
		if (strlen(table[i].name) == len &&
		    !memcmp(table[i].name, name, len))
			return &table[i];
	return NULL;
}

int tl_proto_find(const char *name, size_t len)
{
	for (unsigned i = 0; i < TL_PROTO_COUNT; i++) {
		const char *n = tl_proto_name(i);
		if (strlen(n) == len && !memcmp(n, name, len))
			return (int)i;
	}
	return -1;
}

bool tl_proto_present(const struct tl_fctx *c, unsigned proto)
{
	uint64_t protos = c->seg ? tl_segstore_protos(&c->m->segs,
	                                              c->seg_index)
	                         : c->m->pkt.protos;
	return (protos >> proto) & 1;
}

const struct tl_field *tl_field_elsewhere(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof elsewhere / sizeof *elsewhere; i++)
		if (strlen(elsewhere[i].name) == len &&
		    !memcmp(elsewhere[i].name, name, len))
			return &elsewhere[i];
	return NULL;
}

bool tl_field_known_elsewhere(const char *name, size_t len)
{
	return tl_field_elsewhere(name, len) || tl_proto_find(name, len) >= 0;
}

bool tl_field_needs_bif(const struct tl_field *f)
{
	return f->id == F_AN_BIF || f->id == F_AN_PUSH_BYTES ||
	       f->id == F_AN_INITIAL_RTT || f->id == F_AN_TREE;
}

bool tl_field_of_conn(const struct tl_field *f)
{
	switch (f->id) {
	case F_IP_SRC: case F_IP_DST: case F_IP_ADDR:
	case F_IPV6_SRC: case F_IPV6_DST: case F_IPV6_ADDR:
	case F_TCP_SRCPORT: case F_TCP_DSTPORT: case F_TCP_PORT:
	case F_TCP_STREAM:
		return true;
	}
	return false;
}

bool tl_field_of_flags(const struct tl_field *f)
{
	return f->id == F_TCP_FLAGS || (f->id >= F_FLAG_RES &&
	                                f->id <= F_FLAG_FIN);
}

unsigned tl_field_record_gaps(const struct tl_field *f)
{
	unsigned id = f->id;
	switch (id) {
	case F_FRAME_NUMBER: case F_TCP_STREAM: case F_TCP_LEN:
	case F_TCP_SEQ: case F_TCP_NXTSEQ: case F_WIN_SIZE:
	case F_TCP_SRCPORT: case F_TCP_DSTPORT: case F_TCP_PORT:
		return 0;
	case F_TCP_ACK:
		return TL_REC_RAWACK;   /* kept relative, shown raw there */
	case F_FRAME_TIME_RELATIVE:
		return TL_REC_NSEC;     /* the record's times are in µs */
	/* A frame's row is its first segment's: the analysis of an
	 * A-MSDU's others is not on it. */
	case F_AN_FLAGS: case F_AN_DUPACK_NUM: case F_AN_DUPACK_FRAME:
		return TL_REC_AMSDU;
	case F_AN_RTO: case F_AN_RTO_FRAME:
		return TL_REC_NSEC | TL_REC_AMSDU;
	/* Found among the kept rows, also from a cut header, whose
	 * analysis tshark does not show. */
	case F_AN_ACKS_FRAME:
		return TL_REC_EVICTED | TL_REC_CUT | TL_REC_AMSDU |
		       TL_REC_RAWACK;
	case F_AN_ACK_RTT:
		return TL_REC_EVICTED | TL_REC_CUT | TL_REC_AMSDU |
		       TL_REC_RAWACK | TL_REC_NSEC;
	case F_IP_SRC: case F_IP_DST: case F_IP_ADDR:
	case F_IPV6_SRC: case F_IPV6_DST: case F_IPV6_ADDR:
		return TL_REC_LAYERS;   /* the connection's, the innermost */
	/* The record keeps nine bits, the decoder's: -Y reads them from
	 * the header, as 0 when less than 20 bytes of it were captured. */
	case F_TCP_FLAGS: case F_FLAG_RES:
		return TL_REC_RESERVED | TL_REC_SHORT;
	}
	if (id > F_FLAG_RES && id <= F_FLAG_FIN)
		return TL_REC_SHORT;
	if (id >= F_AN_FIRST_FLAG && id < F_TL_CWND)
		return TL_REC_AMSDU;    /* the analysis flags */
	if (id >= F_TL_CWND && id < F_HTTP)
		return 0;       /* the sender model's kept values */
	return TL_REC_BYTES;
}

const struct tl_field *tl_field_at(unsigned id)
{
	return id < F_COUNT ? &table[id] : NULL;
}

unsigned tl_field_count(void)
{
	return F_COUNT;
}

/* ---- values ------------------------------------------------------------ */

static unsigned put_u(struct tl_fval *out, uint64_t v)
{
	out->u = v;
	return 1;
}

static unsigned put_t(struct tl_fval *out, tl_nsec t)
{
	out->i = t;
	return 1;
}

static unsigned put_addr(struct tl_fval *out, const uint8_t *a)
{
	memcpy(out->addr, a, 16);
	return 1;
}

/* The bytes the decoded packet's offsets count in: the frame, or the
 * datagram its fragments were put back into (the model says which). */
static const uint8_t *packet_bytes(const struct tl_fctx *c, uint32_t *len)
{
	if (c->m->pkt_data) {
		*len = c->m->pkt_caplen;
		return c->m->pkt_data;
	}
	*len = c->caplen;
	return c->data;
}

/* A fixed IP header of that version at b + at, if captured whole. */
static const uint8_t *hdr_at(const uint8_t *b, uint32_t len, uint32_t at,
                             unsigned version, uint32_t *room)
{
	uint32_t need = version == 4 ? 20 : 40;
	if (at > len || len - at < need || (b[at] >> 4) != version)
		return NULL;
	if (room)
		*room = len - at;
	return b + at;
}

/* The IP headers of that version tshark lists on the segment, outermost
 * first (one occurrence of ip.src each): for a datagram put back
 * together, the frame's headers around the fragment first; then the
 * tunnels' outer headers; then the one around the TCP header (the last,
 * when it is that version). A datagram's first header (offset 0) is shown
 * as the last fragment's own, as tshark does. room (may be NULL) gets the
 * captured bytes from each header on. Returns how many. */
static unsigned ip_headers_room(const struct tl_fctx *c, unsigned version,
                                const uint8_t **out, uint32_t *room,
                                unsigned *inner)
{
	const struct tl_model *m = c->m;
	const struct tl_packet *p = &m->pkt;
	const uint8_t *frame = m->ip_data ? m->ip_data : c->data;
	uint32_t frame_len = m->ip_data ? m->ip_caplen : c->caplen;
	uint32_t len;
	const uint8_t *b = packet_bytes(c, &len);
	bool joined = b != frame;
	unsigned n = 0;
	*inner = UINT32_MAX;    /* the one around the TCP header, if listed */
	for (unsigned i = 0; i < m->frag_outer_count && joined; i++)
		if ((out[n] = hdr_at(frame, frame_len, m->frag_outer[i],
		                     version, room ? room + n : NULL)))
			n++;
	for (unsigned i = 0; i < p->outer_ip_count; i++) {
		uint32_t at = p->outer_ip[i];
		if ((out[n] = joined && at == 0
		              ? hdr_at(frame, frame_len, m->ip_offset, version,
		                       room ? room + n : NULL)
		              : hdr_at(b, len, at, version,
		                       room ? room + n : NULL)))
			n++;
	}
	if (p->ip_version != version)
		return n;
	if ((out[n] = joined && p->ip_offset == 0
	              ? hdr_at(frame, frame_len, m->ip_offset, version,
	                       room ? room + n : NULL)
	              : hdr_at(b, len, p->ip_offset, version,
	                       room ? room + n : NULL)))
		*inner = n++;
	return n;
}

static unsigned ip_headers(const struct tl_fctx *c, unsigned version,
                           const uint8_t **out, unsigned *inner)
{
	return ip_headers_room(c, version, out, NULL, inner);
}

unsigned tl_field_ip_layers(const struct tl_fctx *c, unsigned version,
                            const uint8_t **hdr, uint32_t *hlen,
                            uint32_t *whole)
{
	const uint8_t *h[TL_FIELD_IP_LAYERS_MAX];
	uint32_t room[TL_FIELD_IP_LAYERS_MAX];
	unsigned inner, n = ip_headers_room(c, version, h, room, &inner);
	for (unsigned i = 0; i < n; i++) {
		uint32_t hl = version == 4 ? (h[i][0] & 0x0fu) * 4u : 40u;
		uint32_t all = version == 4 ? tl_get_be16(h[i] + 2)
		                            : 40u + tl_get_be16(h[i] + 4);
		hdr[i] = h[i];
		hlen[i] = hl < room[i] ? hl : room[i];
		whole[i] = all > hlen[i] && all < room[i] ? all : room[i];
	}
	return n;
}

/* Room for every header ip_headers can list. */
#define IP_HEADERS_MAX TL_FIELD_IP_LAYERS_MAX

static const uint8_t *tcp_header(const struct tl_fctx *c)
{
	const struct tl_packet *p = &c->m->pkt;
	uint32_t len;
	const uint8_t *b = packet_bytes(c, &len);
	if (p->tcp_offset > len || len - p->tcp_offset < 20)
		return NULL;
	return b + p->tcp_offset;
}

/* Walks the options as 4.0 lists them (docs/analysis.md, "Options"):
 * every EOL and NOP byte is an option of its own; a length that does not
 * fit ends the walk. Calls back for each well-formed option. */
struct opt_walk {
	unsigned want;          /* field id */
	struct tl_fval *out;
	unsigned n;
	uint32_t sack_base;
};

/* One option's values: len is its length, got what the capture holds of
 * it (less than len where the snap length cut it). */
static void opt_value(struct opt_walk *w, unsigned kind, const uint8_t *o,
                      unsigned len, unsigned got)
{
	struct tl_fval *v = &w->out[w->n];
	if (w->n >= TL_FIELD_MAX_VALUES)
		return;
	switch (w->want) {
	case F_OPT_MSS_VAL:
		if (kind == 2 && len == 4 && got == 4)
			w->n += put_u(v, (uint32_t)(o[2] << 8 | o[3]));
		break;
	case F_OPT_WSCALE_SHIFT:
		if (kind == 3 && len == 3 && got == 3)
			w->n += put_u(v, o[2]);
		break;
	case F_OPT_WSCALE_MULT:
		if (kind == 3 && len == 3 && got == 3)
			w->n += put_u(v, 1u << (o[2] > 14 ? 14 : o[2]));
		break;
	case F_OPT_MSS:
	case F_OPT_WSCALE:
	case F_OPT_SACK_PERM:
	case F_OPT_SACK:
	case F_OPT_TS:
		/* The item is the whole option, added before 4.0 checks
		 * its length: a bad length still shows it. */
		if (kind == (w->want == F_OPT_MSS ? 2u : w->want == F_OPT_WSCALE
		             ? 3u : w->want == F_OPT_SACK_PERM ? 4u
		             : w->want == F_OPT_SACK ? 5u : 8u)) {
			v->bytes = o;
			v->len = got;
			w->n++;
		}
		break;
	case F_OPT_SACK_COUNT:
		if (kind == 5 && got == len)
			w->n += put_u(v, (len - 2) / 8);
		break;
	case F_OPT_SACK_LE:
	case F_OPT_SACK_RE:
		if (kind != 5)
			break;
		/* 4.0 reads edge by edge: a left edge with no room for its
		 * right one is still shown. */
		for (unsigned i = 2; i + 4 <= len; i += 8) {
			if (w->n >= TL_FIELD_MAX_VALUES)
				break;
			unsigned at = i + (w->want == F_OPT_SACK_RE ? 4 : 0);
			if (at + 4 > len || at + 4 > got)
				break;
			w->out[w->n++].u = tl_get_be32(o + at) - w->sack_base;
		}
		break;
	case F_OPT_TSVAL:
	case F_OPT_TSECR:
		if (kind == 8 && len == 10 &&
		    got >= (w->want == F_OPT_TSVAL ? 6u : 10u))
			w->n += put_u(v, tl_get_be32(o + (w->want == F_OPT_TSVAL
			                                  ? 2 : 6)));
		break;
	}
}

static unsigned options(const struct tl_fctx *c, unsigned id,
                        struct tl_fval *out)
{
	const uint8_t *th = tcp_header(c);
	const struct tl_packet *p = &c->m->pkt;
	uint32_t len;
	packet_bytes(c, &len);
	if (!th || p->tcp_header_len <= 20)
		return 0;
	if (id == F_OPTIONS) {
		/* Present whenever the header has options: what of them
		 * was captured (maybe nothing). */
		uint32_t have = len - p->tcp_offset > 20
		                ? len - p->tcp_offset - 20u : 0;
		out->bytes = th + 20;
		out->len = have < p->tcp_header_len - 20u
		           ? have : p->tcp_header_len - 20u;
		return 1;
	}
	if (len - p->tcp_offset <= 20)
		return 0;
	const uint8_t *o = th + 20;
	/* What the capture holds of them: 4.0 lists options up to a cut
	 * (a walk that ends before it shows the segment whole). */
	unsigned left = p->tcp_header_len - 20u, have = left;
	if (len - p->tcp_offset < p->tcp_header_len)
		have = len - p->tcp_offset - 20u;
	const struct tl_conn *conn = c->m->info.conn;
	struct opt_walk w = { .want = id, .out = out,
	                      .sack_base = conn ? conn->dir[!c->m->info.dir].base
	                                        : 0 };
	bool eol = false;
	while (have && w.n < TL_FIELD_MAX_VALUES) {
		unsigned kind = o[0], len = 1;
		/* After an end-of-list only zero padding is listed (each
		 * byte an EOL); the first other byte ends the list, even
		 * one that would read as an option (docs/analysis.md). */
		if (kind == 0)
			eol = true;
		else if (eol)
			break;
		if (kind > 1) {
			if (have < 2 || o[1] < 2 || o[1] > left)
				break;
			len = o[1];
		}
		/* An option the capture cuts is dissected up to the cut,
		 * where 4.0 stops: its kind, the bytes it has, the values
		 * read whole before it. */
		unsigned got = len < have ? len : have;
		if (id == F_OPTION_KIND)
			w.n += put_u(&out[w.n], kind);
		else
			opt_value(&w, kind, o, len, got);
		if (got < len)
			break;
		o += len;
		left -= len;
		have -= len;
	}
	return w.n;
}

static unsigned flags_str(const struct tl_fctx *c, struct tl_fval *out)
{
	/* Twelve bits, high to low; a clear bit is a middle dot (U+00B7). */
	static const char letters[] = "RRRACEUAPRSF";
	static char buf[12 * 2 + 1];
	const uint8_t *th = tcp_header(c);
	unsigned bits = th ? (unsigned)((th[12] & 0x0f) << 8 | th[13]) : 0;
	size_t n = 0;
	for (int i = 0; i < 12; i++) {
		if (bits & (1u << (11 - i))) {
			buf[n++] = letters[i];
		} else {
			buf[n++] = (char)0xc2;
			buf[n++] = (char)0xb7;
		}
	}
	out->bytes = (const uint8_t *)buf;
	out->len = (uint32_t)n;
	return 1;
}

/* One value per header (two for ip.addr and ipv6.addr: source then
 * destination); the header around the TCP header gives the addresses the
 * decoder read. */
static unsigned ip_values(const struct tl_fctx *c, unsigned id,
                          struct tl_fval *out)
{
	const struct tl_packet *p = &c->m->pkt;
	const uint8_t *hdrs[IP_HEADERS_MAX];
	unsigned in_at, count = ip_headers(c, 4, hdrs, &in_at), n = 0;
	for (unsigned k = 0; k < count && n + 2 <= TL_FIELD_MAX_VALUES; k++) {
		const uint8_t *ip = hdrs[k];
		bool inner = k == in_at;
		uint8_t src[16] = { 0 }, dst[16] = { 0 };
		memcpy(src, inner ? p->src : ip + 12, 4);
		memcpy(dst, inner ? p->dst : ip + 16, 4);
		struct tl_fval *v = out + n;
		switch (id) {
		case F_IP_SRC: n += put_addr(v, src); break;
		case F_IP_DST: n += put_addr(v, dst); break;
		case F_IP_ADDR:
			n += put_addr(v, src) + put_addr(v + 1, dst);
			break;
		case F_IP_TTL: n += put_u(v, ip[8]); break;
		case F_IP_ID: n += put_u(v, tl_get_be16(ip + 4)); break;
		case F_IP_LEN: n += put_u(v, tl_get_be16(ip + 2)); break;
		case F_IP_PROTO: n += put_u(v, ip[9]); break;
		case F_IP_HDR_LEN: n += put_u(v, (ip[0] & 0x0fu) * 4u); break;
		case F_IP_FLAGS_DF: n += put_u(v, (ip[6] >> 6) & 1u); break;
		case F_IP_FLAGS_MF: n += put_u(v, (ip[6] >> 5) & 1u); break;
		}
	}
	return n;
}

static unsigned ipv6_values(const struct tl_fctx *c, unsigned id,
                            struct tl_fval *out)
{
	const struct tl_packet *p = &c->m->pkt;
	const uint8_t *hdrs[IP_HEADERS_MAX];
	unsigned in_at, count = ip_headers(c, 6, hdrs, &in_at), n = 0;
	for (unsigned k = 0; k < count && n + 2 <= TL_FIELD_MAX_VALUES; k++) {
		const uint8_t *ip = hdrs[k];
		bool inner = k == in_at;
		const uint8_t *src = inner ? p->src : ip + 8;
		const uint8_t *dst = inner ? p->dst : ip + 24;
		struct tl_fval *v = out + n;
		switch (id) {
		case F_IPV6_SRC: n += put_addr(v, src); break;
		case F_IPV6_DST: n += put_addr(v, dst); break;
		case F_IPV6_ADDR:
			n += put_addr(v, src) + put_addr(v + 1, dst);
			break;
		case F_IPV6_HLIM: n += put_u(v, ip[7]); break;
		case F_IPV6_PLEN: n += put_u(v, tl_get_be16(ip + 4)); break;
		case F_IPV6_FLOW:
			n += put_u(v, tl_get_be32(ip) & 0xfffffu);
			break;
		}
	}
	return n;
}

static unsigned tcp_values(const struct tl_fctx *c, unsigned id,
                           struct tl_fval *out)
{
	const struct tl_packet *p = &c->m->pkt;
	const struct tl_seg_info *in = &c->m->info;
	const uint8_t *th = tcp_header(c);
	unsigned bits = th ? (unsigned)((th[12] & 0x0f) << 8 | th[13]) : 0;
	unsigned sf = p->flags & (TL_TH_SYN | TL_TH_FIN);
	switch (id) {
	case F_TCP_SRCPORT: return put_u(out, p->sport);
	case F_TCP_DSTPORT: return put_u(out, p->dport);
	case F_TCP_PORT: return put_u(out, p->sport) + put_u(out + 1, p->dport);
	case F_TCP_STREAM: return put_u(out, in->conn->stream);
	case F_TCP_LEN: return put_u(out, p->seglen);
	case F_TCP_SEQ: return put_u(out, in->seq_rel);
	case F_TCP_SEQ_RAW: return put_u(out, p->seq);
	case F_TCP_ACK:
		/* Without the ACK flag 4.0 shows the field as it is. */
		return put_u(out, (p->flags & TL_TH_ACK) ? in->ack_rel : p->ack);
	case F_TCP_ACK_RAW: return put_u(out, p->ack);
	case F_TCP_NXTSEQ:
		return put_u(out, (uint32_t)(in->seq_rel + p->seglen +
		                             (sf ? 1u : 0u)));
	case F_TCP_HDR_LEN: return put_u(out, p->tcp_header_len);
	case F_TCP_FLAGS: return put_u(out, bits);
	case F_FLAG_RES: return put_u(out, (bits >> 9) != 0);
	case F_FLAG_AE: return put_u(out, (bits >> 8) & 1u);
	case F_FLAG_CWR: return put_u(out, (bits >> 7) & 1u);
	case F_FLAG_ECE: return put_u(out, (bits >> 6) & 1u);
	case F_FLAG_URG: return put_u(out, (bits >> 5) & 1u);
	case F_FLAG_ACK: return put_u(out, (bits >> 4) & 1u);
	case F_FLAG_PUSH: return put_u(out, (bits >> 3) & 1u);
	case F_FLAG_RESET: return put_u(out, (bits >> 2) & 1u);
	case F_FLAG_SYN: return put_u(out, (bits >> 1) & 1u);
	case F_FLAG_FIN: return put_u(out, bits & 1u);
	case F_TCP_FLAGS_STR: return flags_str(c, out);
	case F_WIN_VALUE: return put_u(out, p->window);
	case F_WIN_SIZE: return put_u(out, in->win_scaled);
	case F_WIN_SCALEFACTOR: {
		/* Not on SYNs; else -1 (unknown), -2 (none) or 2^shift. */
		if (p->flags & TL_TH_SYN)
			return 0;
		/* The shift this window was read with: a window scale
		 * option outside a SYN counts from the next segment. */
		int s = in->win_scale;
		out->i = s < 0 ? s : (int64_t)1 << s;
		return 1;
	}
	case F_CHECKSUM: return put_u(out, p->checksum);
	case F_CHECKSUM_STATUS: return put_u(out, 2);   /* unverified */
	case F_URGENT_POINTER: return put_u(out, p->urgent);
	case F_TCP_TIME_RELATIVE:
		return put_t(out, c->ts - in->conn->first_time);
	case F_TCP_TIME_DELTA: return put_t(out, c->ts - in->prev_time);
	}
	return options(c, id, out);
}

static unsigned analysis_values(const struct tl_fctx *c, unsigned id,
                                struct tl_fval *out)
{
	const struct tl_seg_info *in = &c->m->info;
	unsigned an = in->analysis & TL_AN_WIRESHARK_MASK;
	bool rto = (an & TL_AN_RETRANSMISSION) && in->rto;
	bool dup = (an & TL_AN_DUPLICATE_ACK) && in->dupack_num;
	/* 4.0 adds the duplicate_ack item twice (the flag and the count's
	 * own subtree): tshark prints it as "1,1". */
	if (id == F_AN_FIRST_FLAG + 1 && (an & TL_AN_DUPLICATE_ACK))
		return put_u(out, 1) + put_u(out + 1, 1);
	if (id >= F_AN_FIRST_FLAG)
		return (an >> (id - F_AN_FIRST_FLAG)) & 1u ? put_u(out, 1) : 0;
	/* The analysis subtree exists when there is something in it: the
	 * iRTT is shown only then (docs/analysis.md). */
	bool tree = an || in->acks_frame || in->push_bytes_sent ||
	            in->an_tree;
	switch (id) {
	case F_AN_TREE: return tree ? put_u(out, 1) : 0;
	case F_AN_FLAGS: return an ? put_u(out, 1) : 0;
	case F_AN_ACKS_FRAME:
		return in->acks_frame ? put_u(out, in->acks_frame) : 0;
	case F_AN_ACK_RTT:
		/* 4.0 shows no RTT of exactly zero (docs/analysis.md). */
		return in->acks_frame && in->ack_rtt ? put_t(out, in->ack_rtt)
		                                     : 0;
	case F_AN_INITIAL_RTT:
		return in->conn->irtt && tree ? put_t(out, in->conn->irtt) : 0;
	case F_AN_BIF:
		return in->bytes_in_flight ? put_u(out, in->bytes_in_flight) : 0;
	case F_AN_PUSH_BYTES:
		return in->bytes_in_flight ? put_u(out, in->push_bytes_sent) : 0;
	case F_AN_DUPACK_NUM: return dup ? put_u(out, in->dupack_num) : 0;
	case F_AN_DUPACK_FRAME: return dup ? put_u(out, in->dupack_frame) : 0;
	case F_AN_RTO: return rto ? put_t(out, in->rto) : 0;
	case F_AN_RTO_FRAME: return rto ? put_u(out, in->rto_frame) : 0;
	}
	return 0;
}

static unsigned put_name(struct tl_fval *out, const char *name)
{
	if (!name || !*name)
		return 0;
	out->bytes = (const uint8_t *)name;
	out->len = (uint32_t)strlen(name);
	return 1;
}

/* The sender model's values (tl_sender.h): absent while no data flowed
 * that way, or when the model did not run. */
static unsigned sender_values(const struct tl_sender_vals *v, unsigned id,
                              struct tl_fval *out)
{
	if (!v->valid)
		return 0;
	switch (id) {
	case F_TL_CWND: return put_u(out, v->cwnd);
	case F_TL_CWND_BYTES:     /* unknown until the MSS is */
		return v->mss ? put_u(out, tl_sender_cwnd_bytes(v)) : 0;
	case F_TL_SSTHRESH:
		return v->ssthresh == TL_SSTHRESH_INFINITE
		               ? 0 : put_u(out, v->ssthresh);
	case F_TL_CA_STATE: return put_name(out, tl_ca_state_name(v->ca_state));
	case F_TL_PHASE: return put_name(out, tl_phase_name(v->phase));
	case F_TL_RTO: return put_t(out, (tl_nsec)v->rto_us * 1000);
	case F_TL_RTX_CAUSE:
		return put_name(out, tl_rtx_cause_name(v->rtx_cause));
	}
	return 0;
}

bool tl_field_needs_sender(const struct tl_field *f)
{
	return f->id >= F_TL_CWND && f->id <= F_TL_RTX_CAUSE;
}

bool tl_field_needs_http(const struct tl_field *f)
{
	return f->id >= F_HTTP && f->id <= F_HTTP_CONNECTION;
}

/* The HTTP/1.x messages the segment completes (tl_app_want_http): one
 * value per message that has the field. */
static unsigned http_values(const struct tl_model *m, unsigned id,
                            struct tl_fval *out)
{
	const struct tl_app *a = m->app;
	unsigned n = 0;
	if (!a || !a->want_http)
		return 0;
	for (uint32_t i = 0; i < a->http_count && n < TL_FIELD_MAX_VALUES;
	     i++) {
		const struct tl_app_http *h = &a->http[i];
		struct tl_fval *v = &out[n];
		unsigned str = id == F_HTTP_METHOD ? TL_APP_HTTP_METHOD
		             : id == F_HTTP_URI ? TL_APP_HTTP_URI
		             : id == F_HTTP_REQ_VERSION ? TL_APP_HTTP_REQ_VERSION
		             : id == F_HTTP_HOST ? TL_APP_HTTP_HOST
		             : id == F_HTTP_RESP_VERSION ? TL_APP_HTTP_RESP_VERSION
		             : id == F_HTTP_PHRASE ? TL_APP_HTTP_PHRASE
		             : id >= F_HTTP_USER_AGENT
		             ? TL_APP_HTTP_USER_AGENT + (id - F_HTTP_USER_AGENT)
		             : TL_APP_HTTP_STRS;
		switch (id) {
		case F_HTTP:
			v->bytes = a->http_text + h->head_at;
			v->len = h->head_len;
			n++;
			break;
		case F_HTTP_REQUEST:
			if (h->request)
				n += put_u(v, 1);
			break;
		case F_HTTP_RESPONSE:
			if (!h->request)
				n += put_u(v, 1);
			break;
		case F_HTTP_CODE:
			if (!h->request)
				n += put_u(v, h->code);
			break;
		case F_HTTP_CONTENT_LENGTH:
			if (h->content_length >= 0)
				n += put_u(v, (uint64_t)h->content_length);
			break;
		default:
			if (str < TL_APP_HTTP_STRS && ((h->set >> str) & 1u)) {
				v->bytes = a->http_text + h->at[str];
				v->len = h->len[str];
				n++;
			}
		}
	}
	return n;
}

/* ---- acks_frame for kept segments ---------------------------------------- */

/* Walks at most this many kept segments back from an ACK (all streams
 * interleaved): a view stays responsive on a 10M-segment capture. */
#define ACKED_WALK_MAX (1u << 22)

static bool seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* The tracker keeps each direction's unacknowledged segments and an ACK
 * credits the oldest one ending exactly at its number, then forgets all
 * ending at or below it (track.c, match_ack). Seen from the ACK, going
 * back in time: the credited segment is the oldest of the other
 * direction ending at the ACK number with no ACK of our direction at or
 * past that number in between (that one would have removed it). The
 * record keeps relative numbers, so equality and order are the raw
 * numbers'; a segment without the ACK flag keeps no ACK number (taken
 * as the raw 0 it nearly always is). */
bool tl_seg_acked(const struct tl_model *m, uint32_t index,
                  uint32_t *acked_index, int64_t *rtt_us)
{
	const struct tl_segstore *st = &m->segs;
	if (index >= st->count)
		return false;
	const struct tl_seg *a = tl_segstore_get(st, index);
	if (!(tl_seg_flags(a) & TL_TH_ACK))
		return false;
	const struct tl_conn *c = tl_tracker_stream(&m->tracker, a->stream);
	uint32_t first = c ? c->first_frame : 0;
	unsigned d = tl_seg_dir(a);
	uint32_t want = a->ack, found = UINT32_MAX;
	/* The tracker compares a segment's ACK number even without the
	 * flag; then it is almost always 0, seen relative to the other
	 * direction's base. */
	uint32_t no_ack = c && c->dir[!d].base_set ? 0u - c->dir[!d].base
	                                           : a->ack - 1;
	uint32_t stop = index > ACKED_WALK_MAX ? index - ACKED_WALK_MAX : 0;
	for (uint32_t j = index; j-- > stop;) {
		const struct tl_seg *s = tl_segstore_get(st, j);
		if (s->frame < first)
			break;
		if (s->stream != a->stream)
			continue;
		unsigned fl = tl_seg_flags(s);
		if (tl_seg_dir(s) == d) {
			if (seq_ge((fl & TL_TH_ACK) ? s->ack : no_ack, want))
				break;
			continue;
		}
		bool sf = fl & (TL_TH_SYN | TL_TH_FIN);
		if ((s->len || sf) &&
		    s->seq + s->len + (sf ? 1u : 0u) == want)
			found = j;
	}
	if (found == UINT32_MAX)
		return false;
	*acked_index = found;
	*rtt_us = tl_seg_time_us(a) -
	          tl_seg_time_us(tl_segstore_get(st, found));
	return true;
}

/* The fields a retained record holds by itself: no connection to look
 * up (the view's filters test these on millions of rows). */
static unsigned record_values(const struct tl_fctx *c, unsigned id,
                              struct tl_fval *out, bool *done)
{
	const struct tl_seg *s = c->seg;
	unsigned bits = tl_seg_flags(s);
	unsigned an = s->analysis & TL_AN_WIRESHARK_MASK;
	*done = true;
	if (id >= F_HTTP)
		return 0;       /* the record keeps no bytes (tl_fctx) */
	switch (id) {
	case F_FRAME_NUMBER: return put_u(out, s->frame);
	case F_FRAME_TIME_RELATIVE:
		return put_t(out, tl_seg_time_us(s) * 1000);
	case F_TCP_STREAM: return put_u(out, s->stream);
	case F_TCP_LEN: return put_u(out, s->len);
	case F_TCP_SEQ: return put_u(out, s->seq);
	case F_TCP_ACK: return put_u(out, s->ack);
	case F_TCP_NXTSEQ:
		return put_u(out, (uint32_t)(s->seq + s->len +
		             ((bits & (TL_TH_SYN | TL_TH_FIN)) ? 1u : 0u)));
	case F_TCP_FLAGS: return put_u(out, bits);
	case F_WIN_SIZE: return put_u(out, s->win);
	case F_AN_FLAGS: return an ? put_u(out, 1) : 0;
	}
	if (id >= F_FLAG_RES && id <= F_FLAG_FIN)
		return put_u(out, (bits >> (F_FLAG_FIN - id)) & 1u);
	if (id >= F_AN_FIRST_FLAG && id < F_TL_CWND) {
		if (id == F_AN_FIRST_FLAG + 1 && (an & TL_AN_DUPLICATE_ACK))
			return put_u(out, 1) + put_u(out + 1, 1);
		return (an >> (id - F_AN_FIRST_FLAG)) & 1u ? put_u(out, 1) : 0;
	}
	*done = false;
	return 0;
}

/* A retained segment: what its record and its note keep. */
static unsigned stored_values(const struct tl_fctx *c, unsigned id,
                              struct tl_fval *out)
{
	const struct tl_seg *s = c->seg;
	bool done;
	unsigned k = record_values(c, id, out, &done);
	if (done)
		return k;
	if (id >= F_TL_CWND) {
		struct tl_sender_vals v;
		tl_segstore_sender(&c->m->segs, c->seg_index, &v);
		return sender_values(&v, id, out);
	}
	const struct tl_conn *conn = tl_tracker_stream(&c->m->tracker,
	                                               s->stream);
	unsigned d = tl_seg_dir(s), bits = tl_seg_flags(s);
	unsigned an = s->analysis & TL_AN_WIRESHARK_MASK;
	bool v4 = conn && conn->ip_version == 4, v6 = conn && !v4;
	switch (id) {
	case F_FRAME_NUMBER: return put_u(out, s->frame);
	case F_FRAME_TIME_RELATIVE:
		return put_t(out, tl_seg_time_us(s) * 1000);
	case F_IP_SRC: return v4 ? put_addr(out, conn->addr[d]) : 0;
	case F_IP_DST: return v4 ? put_addr(out, conn->addr[!d]) : 0;
	case F_IP_ADDR:
		return v4 ? put_addr(out, conn->addr[d]) +
		            put_addr(out + 1, conn->addr[!d]) : 0;
	case F_IPV6_SRC: return v6 ? put_addr(out, conn->addr[d]) : 0;
	case F_IPV6_DST: return v6 ? put_addr(out, conn->addr[!d]) : 0;
	case F_IPV6_ADDR:
		return v6 ? put_addr(out, conn->addr[d]) +
		            put_addr(out + 1, conn->addr[!d]) : 0;
	case F_TCP_SRCPORT: return conn ? put_u(out, conn->port[d]) : 0;
	case F_TCP_DSTPORT: return conn ? put_u(out, conn->port[!d]) : 0;
	case F_TCP_PORT:
		return conn ? put_u(out, conn->port[d]) +
		              put_u(out + 1, conn->port[!d]) : 0;
	case F_TCP_STREAM: return put_u(out, s->stream);
	case F_TCP_LEN: return put_u(out, s->len);
	case F_TCP_SEQ: return put_u(out, s->seq);
	case F_TCP_ACK: return put_u(out, s->ack);
	case F_TCP_NXTSEQ:
		return put_u(out, (uint32_t)(s->seq + s->len +
		             ((bits & (TL_TH_SYN | TL_TH_FIN)) ? 1u : 0u)));
	case F_TCP_FLAGS: return put_u(out, bits);
	case F_WIN_SIZE: return put_u(out, s->win);
	case F_AN_ACKS_FRAME:
	case F_AN_ACK_RTT: {
		uint32_t j;
		int64_t us;
		if (!tl_seg_acked(c->m, c->seg_index, &j, &us) ||
		    (id == F_AN_ACK_RTT && us == 0))
			return 0;
		return id == F_AN_ACKS_FRAME
		       ? put_u(out, tl_segstore_get(&c->m->segs, j)->frame)
		       : put_t(out, us * 1000);
	}
	case F_AN_DUPACK_NUM:
	case F_AN_DUPACK_FRAME:
		if (!c->note || !(an & TL_AN_DUPLICATE_ACK))
			return 0;
		return put_u(out, id == F_AN_DUPACK_NUM ? c->note->dupack_num
		                                        : c->note->ref_frame);
	case F_AN_RTO:
	case F_AN_RTO_FRAME:
		if (!c->note || !(an & TL_AN_RETRANSMISSION) ||
		    (an & (TL_AN_FAST_RETRANSMISSION |
		           TL_AN_SPURIOUS_RETRANSMISSION)) || !c->note->rto_us)
			return 0;
		return id == F_AN_RTO
		       ? put_t(out, (tl_nsec)c->note->rto_us * 1000)
		       : put_u(out, c->note->ref_frame);
	}
	if (id >= F_FLAG_RES && id <= F_FLAG_FIN)
		return put_u(out, (bits >> (F_FLAG_FIN - id)) & 1u);
	if (id >= F_AN_FIRST_FLAG || id == F_AN_FLAGS) {
		if (id == F_AN_FLAGS)
			return an ? put_u(out, 1) : 0;
		if (id == F_AN_FIRST_FLAG + 1 && (an & TL_AN_DUPLICATE_ACK))
			return put_u(out, 1) + put_u(out + 1, 1);
		return (an >> (id - F_AN_FIRST_FLAG)) & 1u ? put_u(out, 1) : 0;
	}
	return 0;
}

unsigned tl_field_values(const struct tl_fctx *c, const struct tl_field *f,
                         struct tl_fval *out)
{
	const struct tl_model *m = c->m;
	unsigned id = f->id;
	if (c->seg)
		return stored_values(c, id, out);
	switch (id) {
	case F_FRAME_NUMBER: return put_u(out, c->frame);
	case F_FRAME_TIME_RELATIVE: return put_t(out, c->ts - m->start_time);
	case F_FRAME_TIME_DELTA: return put_t(out, c->ts - m->prev_ts);
	case F_FRAME_TIME_EPOCH: return put_t(out, c->ts);
	case F_FRAME_LEN: return put_u(out, c->len);
	case F_FRAME_CAP_LEN: return put_u(out, c->caplen);
	}
	if (id <= F_IP_FLAGS_MF)
		return ip_values(c, id, out);
	if (id <= F_IPV6_FLOW)
		return ipv6_values(c, id, out);
	if (id < F_AN_TREE)
		return tcp_values(c, id, out);
	if (id >= F_HTTP)
		return http_values(m, id, out);
	if (id >= F_TL_CWND) {
		struct tl_sender_vals v;
		tl_sender_get(m, &v);
		return sender_values(&v, id, out);
	}
	return analysis_values(c, id, out);
}

/* ---- printing ------------------------------------------------------------ */

static size_t format_time(tl_nsec t, char *out)
{
	char *p = out;
	uint64_t a = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
	if (t < 0)
		*p++ = '-';
	p = tl_put_u64(p, a / 1000000000u);
	*p++ = '.';
	uint32_t ns = (uint32_t)(a % 1000000000u);
	for (int i = 8; i >= 0; i--) {
		p[i] = (char)('0' + ns % 10);
		ns /= 10;
	}
	return (size_t)(p + 9 - out);
}

static size_t format_hex(uint64_t v, unsigned digits, char *out)
{
	static const char hex[] = "0123456789abcdef";
	out[0] = '0';
	out[1] = 'x';
	for (unsigned i = 0; i < digits; i++)
		out[2 + digits - 1 - i] = hex[(v >> (4 * i)) & 15];
	return 2 + digits;
}

size_t tl_field_format(const struct tl_field *f, const struct tl_fval *v,
                       char *out, size_t size)
{
	switch (f->type) {
	case TL_FT_NONE:
		out[0] = '1';
		return 1;
	case TL_FT_BOOL:
	case TL_FT_FRAMENUM:
		return (size_t)(tl_put_u64(out, v->u) - out);
	case TL_FT_UINT:
		if (f->base != TL_BASE_DEC)
			return format_hex(v->u, f->base, out);
		return (size_t)(tl_put_u64(out, v->u) - out);
	case TL_FT_INT:
		if (v->i < 0) {
			out[0] = '-';
			return 1 + (size_t)(tl_put_u64(out + 1,
			                               (uint64_t)-v->i) - out - 1);
		}
		return (size_t)(tl_put_u64(out, (uint64_t)v->i) - out);
	case TL_FT_TIME:
		return format_time(v->i, out);
	case TL_FT_IPV4: {
		/* Four numbers: no library call on the hot path. */
		char *p = out;
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = tl_put_u32(p, v->addr[i]);
		}
		return (size_t)(p - out);
	}
	case TL_FT_IPV6:
		if (!inet_ntop(AF_INET6, v->addr, out, (socklen_t)size))
			return 0;
		return strlen(out);
	case TL_FT_BYTES: {
		static const char hex[] = "0123456789abcdef";
		if (f->base == TL_BASE_NAME) {
			size_t n = strlen(f->name);
			memcpy(out, f->name, n < size ? n : size);
			return n < size ? n : size;
		}
		size_t n = 0;
		for (uint32_t i = 0; i < v->len && n + 2 <= size; i++) {
			out[n++] = hex[v->bytes[i] >> 4];
			out[n++] = hex[v->bytes[i] & 15];
		}
		return n;
	}
	case TL_FT_STRING: {
		size_t n = v->len < size ? v->len : size;
		memcpy(out, v->bytes, n);
		return n;
	}
	}
	return 0;
}

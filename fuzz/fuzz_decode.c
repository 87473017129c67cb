/* libFuzzer target: one frame through the link, IP and TCP decoders (and
 * the same bytes as a joined CAPWAP payload). The first byte picks the
 * link type; the rest is the frame. */
#include "config.h"

#include <stdlib.h>

#include "tl_decode.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 0x10000 + 1)
		return 0;
	int dlt = fuzz_dlts[data[0] % FUZZ_DLT_COUNT];
	uint32_t caplen = (uint32_t)size - 1;
	/* A copy of exactly caplen bytes, so any read past it is caught. */
	uint8_t *frame = malloc(caplen ? caplen : 1);
	memcpy(frame, data + 1, caplen);
	struct tl_packet pkt;
	enum tl_decode_result r = tl_decode_frame(dlt, frame, caplen, &pkt);
	if (r == TL_DECODE_TCP || r == TL_DECODE_TCP_CUT) {
		/* What the decoder promises about its view of the frame. */
		if (pkt.tcp_offset > caplen || pkt.tcp_header_len < 20 ||
		    pkt.ip_version != (pkt.ip_version == 4 ? 4 : 6) ||
		    pkt.opt.sack_count > TL_MAX_SACK_BLOCKS ||
		    pkt.opt.unknown_count > TL_MAX_UNKNOWN_OPTS)
			abort();
		if (r == TL_DECODE_TCP) {
			if (pkt.payload_offset > caplen ||
			    pkt.payload_caplen > caplen - pkt.payload_offset ||
			    pkt.payload_caplen > pkt.seglen)
				abort();
			/* A header the snap length (or an encapsulation's
			 * length) cut where 4.0's option walk never reads is a
			 * whole segment, but with no payload bytes: the
			 * options' readers bound themselves by the capture,
			 * never by the header length. */
			if (pkt.tcp_offset + pkt.tcp_header_len > caplen &&
			    pkt.payload_caplen != 0)
				abort();
			/* Touch the payload as the details view's hex dump does. */
			volatile uint8_t sum = 0;
			for (uint32_t i = 0; i < pkt.payload_caplen; i++)
				sum += frame[pkt.payload_offset + i];
			(void)sum;
		}
	}
	/* The model walks an A-MSDU's other subframes: each step forward,
	 * inside the frame. */
	uint32_t next = (r == TL_DECODE_TCP || r == TL_DECODE_TCP_CUT)
	                ? pkt.amsdu_next : 0;
	while (next) {
		if (next >= caplen)
			abort();
		struct tl_packet sub;
		enum tl_decode_result s = tl_decode_amsdu(frame, caplen, next,
		                                          &sub);
		if (s != TL_DECODE_TCP && s != TL_DECODE_TCP_CUT)
			break;
		if (sub.tcp_offset > caplen ||
		    (sub.amsdu_next && sub.amsdu_next <= next))
			abort();
		next = sub.amsdu_next;
	}
	/* A fragment's piece is copied from the frame by the model: it must
	 * lie in the captured bytes (IP fragments and CAPWAP's). */
	if ((r == TL_DECODE_FRAGMENT || r == TL_DECODE_TUNNEL_FRAGMENT) &&
	    (pkt.frag.data_off > caplen ||
	     pkt.frag.data_len > caplen - pkt.frag.data_off ||
	     pkt.frag.data_len > pkt.frag.data_wire ||
	     pkt.frag.hdr_off > caplen ||
	     pkt.frag.hdr_len > caplen - pkt.frag.hdr_off))
		abort();
	/* The same bytes as a CAPWAP payload put back together (802.3, or
	 * 802.11 when the selector's high bit is set). */
	struct tl_packet joined;
	joined.encap_count = 0;
	tl_decode_capwap_payload(frame, caplen, data[0] >> 7, &joined);
	/* Options alone, from any offset, with any length. */
	struct tl_tcp_options o;
	if (caplen)
		tl_decode_tcp_options(frame + 1, caplen - 1 > 40 ? 40 : caplen - 1,
		                      &o);
	free(frame);
	return 0;
}

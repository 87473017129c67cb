/* Explanations checked against the capture: for a retransmission, fast
 * retransmission, spurious retransmission or out-of-order segment, say
 * Wireshark's rule, then whether these bytes were in fact sent before. */
#include "config.h"

#include "tl_explain.h"

#include "tl_label.h"
#include "tl_track.h"

#define RTX_FAMILY (TL_AN_RETRANSMISSION | TL_AN_FAST_RETRANSMISSION | \
                    TL_AN_SPURIOUS_RETRANSMISSION | TL_AN_OUT_OF_ORDER)

uint32_t tl_explain_space(const struct tl_seg *seg)
{
	unsigned f = tl_seg_flags(seg);
	return seg->len + ((f & TL_TH_SYN) ? 1u : 0u) +
	       ((f & TL_TH_FIN) ? 1u : 0u);
}

void tl_explain_sent_before(const struct tl_segstore *st, uint32_t idx,
                            struct tl_sent_before *out)
{
	const struct tl_seg *seg = tl_segstore_get(st, idx);
	uint32_t lo = seg->seq, n = tl_explain_space(seg);
	unsigned dir = tl_seg_dir(seg);
	out->found = false;
	if (!n)
		return;
	uint32_t stop = idx > TL_EXPLAIN_LOOKBACK ? idx - TL_EXPLAIN_LOOKBACK
	                                          : 0;
	for (uint32_t i = idx; i-- > stop;) {
		const struct tl_seg *s = tl_segstore_get(st, i);
		if (s->stream != seg->stream || tl_seg_dir(s) != dir)
			continue;
		uint32_t m = tl_explain_space(s);
		/* Overlap of [s->seq, +m) and [lo, +n), modulo 2^32. */
		if (!m || ((uint32_t)(lo - s->seq) >= m &&
		           (uint32_t)(s->seq - lo) >= n))
			continue;
		out->found = true;
		out->index = i;
		out->frame = s->frame;
		out->ago_us = tl_seg_time_us(seg) - tl_seg_time_us(s);
		out->covers = (uint32_t)(lo - s->seq) < m &&
		              (uint32_t)(lo - s->seq) + n <= m;
		return;
	}
}

static const char *rule_of(unsigned an)
{
	if (an & TL_AN_SPURIOUS_RETRANSMISSION)
		return "Wireshark calls a segment a spurious retransmission "
		       "when the peer has already acknowledged all of its "
		       "bytes.";
	if (an & TL_AN_FAST_RETRANSMISSION)
		return "Wireshark calls a segment a fast retransmission when "
		       "it does not advance the sequence and starts at the "
		       "byte the peer's second or later duplicate ACK asked "
		       "for, less than 20 ms after that ACK.";
	if (an & TL_AN_OUT_OF_ORDER)
		return "Wireshark calls a segment out-of-order when it does "
		       "not advance the sequence (it lies below the highest "
		       "byte already seen) and comes less than the handshake "
		       "round trip (iRTT; 3 ms without one) after that "
		       "highest segment: a rule about timing, not about "
		       "whether the bytes were sent before.";
	return "Wireshark calls a segment a retransmission when it does not "
	       "advance the sequence (it lies below the highest byte already "
	       "seen in this direction) and is not a keep-alive; the rule "
	       "does not look for an earlier copy of the same bytes.";
}

static size_t capture_facts(const struct tl_segstore *st, uint32_t idx,
                            const struct tl_conn *conn, char *buf,
                            size_t size, size_t len)
{
	const struct tl_seg *seg = tl_segstore_get(st, idx);
	uint32_t n = tl_explain_space(seg);
	if (!n)
		return tl_bappend(buf, size, len, " This segment carries no "
		                  "bytes. ");
	uint32_t last = seg->seq + n - 1;
	struct tl_sent_before sb;
	tl_explain_sent_before(st, idx, &sb);
	if (!sb.found)
		return tl_bappend(buf, size, len, " In this capture bytes "
		                  "%u-%u were never sent before: no earlier "
		                  "segment of this direction holds any of "
		                  "them. ", seg->seq, last);
	len = tl_bappend(buf, size, len, " In this capture %s bytes "
	                 "%u-%u were sent before, in frame %u, %.3f ms "
	                 "earlier", sb.covers ? "all of" : "some of",
	                 seg->seq, last, sb.frame, (double)sb.ago_us / 1e3);
	if (conn && conn->irtt_set) {
		double irtt = (double)conn->irtt / 1e6;
		double ago = (double)sb.ago_us / 1e3;
		len = tl_bappend(buf, size, len, " (%s the iRTT of %.3f ms)",
		                 ago < irtt ? "less than" : "more than", irtt);
	}
	return tl_bappend(buf, size, len, ". ");
}

size_t tl_explain_segment(const struct tl_segstore *st, uint32_t idx,
                          const struct tl_conn *conn, char *buf,
                          size_t size)
{
	const struct tl_seg *seg = tl_segstore_get(st, idx);
	const struct tl_seg_note *note = tl_segstore_note(st, idx);
	size_t len = 0;
	if (!size)
		return 0;
	buf[0] = '\0';
	if (seg->analysis & RTX_FAMILY) {
		len = tl_bappend(buf, size, len, "%s",
		                 rule_of(seg->analysis));
		len = capture_facts(st, idx, conn, buf, size, len);
	}
	/* The other sentences (dup ACK, window, lost segment, ...). */
	struct tl_seg rest = *seg;
	rest.analysis = (uint16_t)(rest.analysis & ~RTX_FAMILY);
	if (len < size)
		len += tl_explain_analysis(&rest, note, conn, buf + len,
		                           size - len);
	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
	return len;
}

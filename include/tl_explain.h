/* Explanations that the capture bears out: Wireshark's rule for each
 * retransmission-family label, stated as a rule, then what this capture
 * shows about the same bytes (sent before, in which frame, how long ago
 * against the iRTT; or never). Reads the segment store; no curses. */
#ifndef TL_EXPLAIN_H
#define TL_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

/* How far back the search for an earlier copy goes (segments). */
#define TL_EXPLAIN_LOOKBACK 4000000u

/* Sequence space a segment occupies: its bytes, plus one for SYN or FIN. */
uint32_t tl_explain_space(const struct tl_seg *seg);

/* The latest earlier segment of the same connection and direction whose
 * sequence space overlaps this one's, within TL_EXPLAIN_LOOKBACK. */
struct tl_sent_before {
	bool found;
	uint32_t index;         /* in the store */
	uint32_t frame;
	int64_t ago_us;
	bool covers;            /* it held every byte of this one */
};
void tl_explain_sent_before(const struct tl_segstore *st, uint32_t idx,
                            struct tl_sent_before *out);

/* The whole "why" of segment idx: the retransmission family as rule plus
 * capture facts, then tl_explain_analysis's sentences for the rest. */
size_t tl_explain_segment(const struct tl_segstore *st, uint32_t idx,
                          const struct tl_conn *conn, char *buf,
                          size_t size);

#endif

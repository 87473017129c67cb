/* Words for segments: flags, Seq/Ack/Win/Len, SYN options and Wireshark's
 * annotation labels. Shared by every front end. */
#ifndef TL_LABEL_H
#define TL_LABEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

enum tl_label_parts {
	TL_LABEL_SEQ = 1u << 0,
	TL_LABEL_ACK = 1u << 1,
	TL_LABEL_WIN = 1u << 2,
	TL_LABEL_LEN = 1u << 3,
	TL_LABEL_SYNOPTS = 1u << 4,   /* MSS, SACK_PERM, WS on SYNs */
	TL_LABEL_TSVAL = 1u << 5,     /* with SYNOPTS: the SYN's TSval too */
	TL_LABEL_ALL = 0x3f,
};

/* " SACK 11-21,31-41": a segment's SACK blocks, relative as its Ack= (or
 * absolute), appended at len. Returns the new length. */
size_t tl_label_sack(const struct tl_seg_sack *sack, const struct tl_seg *seg,
                     const struct tl_conn *conn, int absolute, char *buf,
                     size_t size, size_t len);

/* " MSS=1460 SACK_PERM WS=128": a SYN's options alone (no flag words),
 * each after a space; "" when it has none. */
size_t tl_label_synopts(const struct tl_syn_options *o, bool tsval,
                        char *buf, size_t size);

/* "PSH, ACK" (Wireshark's flow graph words; "<None>" when no flag). */
size_t tl_label_flags(unsigned flags, char *buf, size_t size);
/* "SYN|ACK" (the segment table's form; "-" when no flag). */
size_t tl_label_flags_tsv(unsigned flags, char *buf, size_t size);

/* "SYN, ACK Seq=0 Ack=1 Win=64240 Len=0 MSS=1460 SACK_PERM WS=128".
 * absolute adds the direction's base back to seq/ack. */
size_t tl_label_segment(const struct tl_seg *seg, const struct tl_conn *conn,
                        unsigned parts, int absolute, char *buf, size_t size);

/* "[TCP Dup ACK 12#2] [TCP Retransmission] win 64240->501", in Wireshark's
 * order (most significant first). note may be NULL. */
size_t tl_label_analysis(const struct tl_seg *seg,
                         const struct tl_seg_note *note, int ascii,
                         char *buf, size_t size);

/* One sentence that explains the annotation, for the details views. */
size_t tl_explain_analysis(const struct tl_seg *seg,
                           const struct tl_seg_note *note,
                           const struct tl_conn *conn, char *buf, size_t size);

/* "192.0.2.1:40000" or "[2001:db8::1]:80"; port < 0 leaves it out. */
size_t tl_format_endpoint(unsigned ip_version, const uint8_t *addr, int port,
                          char *buf, size_t size);
size_t tl_format_addr(unsigned ip_version, const uint8_t *addr, char *buf,
                      size_t size);
/* Both endpoints of conn, into from and to (size bytes each): the one
 * that sends in direction dir first; "?" each when conn is NULL. */
void tl_format_endpoints(const struct tl_conn *conn, unsigned dir,
                         char *from, char *to, size_t size);

#endif

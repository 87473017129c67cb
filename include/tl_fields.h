/* Wireshark's field names for one TCP segment: one table (fields.c) gives
 * each name its type, how to get its values and how tshark 4.0 prints
 * them. -T fields, -Y and the view's filter all read fields through it.
 * What the analysis values mean: docs/analysis.md. */
#ifndef TL_FIELDS_H
#define TL_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

enum tl_ftype {
	TL_FT_NONE,         /* present or not (tcp.analysis.retransmission) */
	TL_FT_BYTES,        /* a protocol item: its bytes (sack_perm) */
	TL_FT_BOOL,         /* a flag bit: 0 or 1 */
	TL_FT_UINT,
	TL_FT_INT,
	TL_FT_FRAMENUM,
	TL_FT_TIME,         /* relative time, nanoseconds */
	TL_FT_IPV4,
	TL_FT_IPV6,
	TL_FT_STRING,
};

/* How tshark prints an integer: decimal, or 0x and this many digits; a
 * protocol (TL_FT_BYTES with TL_BASE_NAME): its name. The fields 4.0
 * has that the table does not (tl_field_elsewhere) may also be an
 * Ethernet address (TL_FT_BYTES, TL_BASE_ETHER) or an absolute time
 * (TL_FT_TIME, TL_BASE_ABSTIME). */
enum tl_fbase { TL_BASE_DEC, TL_BASE_NAME = 1, TL_BASE_ETHER = 2,
                TL_BASE_ABSTIME = 3, TL_BASE_HEX4 = 4, TL_BASE_HEX6 = 6 };

struct tl_field {
	const char *name;
	uint8_t type;           /* enum tl_ftype */
	uint8_t base;           /* enum tl_fbase */
	uint8_t id;             /* index in the table */
	uint8_t bits;           /* width of an integer (8, 16, 24, 32) */
};

/* One value of a field. Bytes and strings point into the frame or into
 * static storage, valid until the next segment. */
struct tl_fval {
	union {
		uint64_t u;
		int64_t i;          /* TL_FT_INT, TL_FT_TIME */
		uint8_t addr[16];
	};
	const uint8_t *bytes;   /* TL_FT_BYTES, TL_FT_STRING */
	uint32_t len;
};

/* A field's values on one segment: up to this many occurrences (a
 * header's options: 40 bytes, one kind each; ip.addr: two per IP header
 * of a tunnel, TL_MAX_OUTER_IP + 1 of them). */
#define TL_FIELD_MAX_VALUES 128

/* Everything a field reads for one segment: the model's last frame (its
 * decoded packet and analysis) and the frame's bytes. */
struct tl_fctx {
	const struct tl_model *m;
	const uint8_t *data;
	uint32_t caplen, len;   /* captured and original frame length */
	uint32_t frame;
	tl_nsec ts;
	/* Set instead (the view): a retained segment and its note. Only
	 * what the 32-byte record keeps has a value: frame number and time,
	 * addresses and ports, stream, flags, seq, ack, len, window, the
	 * analysis flags, dup-ACK and RTO numbers; other fields are absent. */
	const struct tl_seg *seg;
	const struct tl_seg_note *note;
	uint32_t seg_index;     /* seg's index in the model's store */
};

/* The field of that name, or NULL. */
const struct tl_field *tl_field_find(const char *name, size_t len);
/* Whether name is a protocol or field tshark 4.0 knows that the table
 * does not have (so a filter naming it is valid but matches nothing). */
bool tl_field_known_elsewhere(const char *name, size_t len);
/* Such a field or protocol with 4.0's type (a protocol: TL_FT_BYTES of
 * TL_BASE_NAME), for checking a filter; never has a value. NULL for
 * names not listed (the link and tunnel protocols of tl_proto_find). */
const struct tl_field *tl_field_elsewhere(const char *name, size_t len);
const struct tl_field *tl_field_at(unsigned id);
/* The protocol bit (TL_PROTO_*, tl_decode.h) of a protocol 4.0 lists in
 * frame.protocols named alone, or -1 for none of those. */
int tl_proto_find(const char *name, size_t len);
/* Whether the segment's frame had that protocol: the last frame's
 * decoded packet, or for a retained segment its kept protocols. */
bool tl_proto_present(const struct tl_fctx *c, unsigned proto);
/* Whether the field's value needs the tracker's bytes in flight
 * (tl_tracker_want_bif), which cost a walk per data segment. */
bool tl_field_needs_bif(const struct tl_field *f);
/* Whether, on a retained segment (tl_fctx's seg), the field's values
 * come only from its connection and direction (addresses, ports, the
 * stream): the same on every segment of that direction. */
bool tl_field_of_conn(const struct tl_field *f);
/* Whether, on a retained segment, the field's values come only from the
 * flag bits of its record (tcp.flags and tcp.flags.*, but the string). */
bool tl_field_of_flags(const struct tl_field *f);
unsigned tl_field_count(void);
/* What a retained record (tl_fctx's seg) lacks to give the field the
 * values its frame would (TL_REC_*, tl_model.h): 0 when it always does,
 * TL_REC_BYTES when never, other bits when not once the capture had what
 * they name (tl_model's record_gaps). */
unsigned tl_field_record_gaps(const struct tl_field *f);
/* Whether the field is the sender model's (tcpladder.cwnd ...): the model
 * must run (tl_model_enable_sender) for it to have values. */
bool tl_field_needs_sender(const struct tl_field *f);
/* Whether the field is HTTP's (http, http.request ...): the model must
 * read applications (tl_model_enable_app, tl_app_want_http) for it to
 * have values; on retained segments (the view) it is absent. */
bool tl_field_needs_http(const struct tl_field *f);

/* Fills out (TL_FIELD_MAX_VALUES entries) with the field's values on the
 * segment; returns how many (0: absent). */
unsigned tl_field_values(const struct tl_fctx *c, const struct tl_field *f,
                         struct tl_fval *out);

/* Room for every IP header of one version a segment can carry. */
#define TL_FIELD_IP_LAYERS_MAX (2 * TL_MAX_OUTER_IP + 1)

/* The segment's IP headers of that version (4 or 6), outermost first, as
 * 4.0's ip / ipv6 protocol items: where each starts, its header's length
 * (the fixed IPv6 header, the IPv4 header with its options) and the
 * datagram's (by its length field), both cut where the capture ends.
 * Fills hdr, hlen and whole (TL_FIELD_IP_LAYERS_MAX entries each);
 * returns how many. Needs the packet's bytes (not the view's records). */
unsigned tl_field_ip_layers(const struct tl_fctx *c, unsigned version,
                            const uint8_t **hdr, uint32_t *hlen,
                            uint32_t *whole);

/* For retained segment index of m (the view): the segment it acknowledges
 * as tcp.analysis.acks_frame does (docs/analysis.md) and the time since
 * it, found by walking back through its connection's kept segments.
 * Returns false when it acknowledges none of them. */
bool tl_seg_acked(const struct tl_model *m, uint32_t index,
                  uint32_t *acked_index, int64_t *rtt_us);

/* Writes one value as tshark -T fields does; out needs 64 bytes for
 * anything but bytes and strings (2 per byte, or the string's length). */
size_t tl_field_format(const struct tl_field *f, const struct tl_fval *v,
                       char *out, size_t size);

#endif

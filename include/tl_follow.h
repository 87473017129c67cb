/* Following a TCP stream: the payload of both directions put back in
 * sequence order, as Wireshark 4.0's follow tap does it, and printed as
 * `tshark -z follow,tcp,MODE,N` prints it. No curses.
 *
 * The rules (tshark 4.0, checked against it on every capture we have):
 * node 0 is the sender of the first segment followed. Each direction
 * expects the next byte; a segment that starts there is appended (a chunk
 * of its own, with the bytes captured of it), one that starts before it
 * gives only its new tail (retransmitted bytes once), one that starts
 * after it waits in a list of early segments. After each append the early
 * segments that now fit are appended too. When the other direction
 * acknowledges beyond the lowest early segment, the bytes in between were
 * seen by the receiver but not by the capture: a gap chunk holding the
 * text "[N bytes missing in capture file]" and a NUL takes their place
 * (tshark's bytes, so the output agrees), and the early segment follows.
 * Sequence numbers compare modulo 2^32, so a wrap is no event. */
#ifndef TL_FOLLOW_H
#define TL_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tl_out;

enum tl_follow_mode { TL_FOLLOW_ASCII, TL_FOLLOW_HEX, TL_FOLLOW_RAW };

/* One chunk of the conversation, in the order tshark prints them. */
struct tl_follow_chunk {
	uint32_t frame;         /* the segment that brought the bytes; for
	                         * a gap, the ACK that proved them sent */
	uint32_t seq;           /* relative seq of its first byte */
	uint64_t off;           /* in tl_follow.data */
	uint32_t len;
	uint32_t missing;       /* a gap: bytes missing (0: data) */
	uint8_t node;           /* 0 or 1 */
	bool gap;
};

/* A segment that came early, waiting for the bytes before it. */
struct tl_follow_early {
	uint32_t frame, seq, len;
	uint8_t *data;
};

struct tl_follow {
	bool have_nodes;
	uint8_t ip_version;
	uint8_t addr[2][16];
	uint16_t port[2];
	uint32_t next[2];               /* next byte expected */
	uint64_t written[2];            /* appended in order (not gaps) */
	struct tl_follow_early *early[2];
	uint32_t early_count[2], early_cap[2];
	uint32_t early_low[2];          /* the lowest seq among them */
	struct tl_follow_chunk *chunks;
	uint32_t count, cap;
	uint8_t *data;
	uint64_t data_len, data_cap;
	uint64_t early_bytes;
	uint64_t max_bytes;             /* 0: no bound */
	bool full;                      /* stopped at max_bytes */
	uint64_t bytes_per_node[2];     /* data chunks only */
};

/* What the follow needs of one TCP segment (seq and ack relative, as
 * Wireshark shows tcp.seq and tcp.ack; ack 0 without the ACK flag). */
struct tl_follow_seg {
	uint32_t frame;
	uint8_t ip_version;
	const uint8_t *src, *dst;       /* 4 or 16 bytes */
	uint16_t sport, dport;
	uint16_t flags;                 /* TL_TH_* */
	uint32_t seq, ack;
	uint32_t seglen;                /* payload bytes on the wire */
	const uint8_t *payload;
	uint32_t caplen;                /* of them captured */
};

struct tl_seg;
struct tl_packet;
/* The follow's view of a segment the model just analysed (frame: the
 * captured bytes the packet was decoded from). */
void tl_follow_seg_init(struct tl_follow_seg *fs, const struct tl_seg *seg,
                        const struct tl_packet *pkt, const uint8_t *frame);

void tl_follow_init(struct tl_follow *f, uint64_t max_bytes);
void tl_follow_free(struct tl_follow *f);
void tl_follow_add(struct tl_follow *f, const struct tl_follow_seg *s);
/* Bytes held: chunks, their data, early segments. */
uint64_t tl_follow_bytes(const struct tl_follow *f);

/* "192.0.2.1:41002" or "[2001:db8::1]:80" for node n; out >= 56 bytes.
 * ":0" before any segment, as tshark prints it. */
size_t tl_follow_node_name(const struct tl_follow *f, unsigned n, char *out,
                           size_t size);

/* What to follow: -z follow,tcp,MODE,N or ...,ADDR:PORT,ADDR:PORT. */
struct tl_follow_spec {
	enum tl_follow_mode mode;
	bool by_address;
	uint32_t stream;
	uint8_t ip_version;
	uint8_t addr[2][16];
	uint16_t port[2];
};

/* Parses the argument of -z; false with a reason in err. */
bool tl_follow_spec_parse(struct tl_follow_spec *spec, const char *arg,
                          char *err, size_t errsize);
/* Whether a segment of stream (from src:sport to dst:dport) is followed. */
bool tl_follow_spec_match(const struct tl_follow_spec *spec, uint32_t stream,
                          const struct tl_follow_seg *s);

/* The section tshark prints for spec: blank line, rule, Follow:, Filter:,
 * Node 0:, Node 1:, the chunks (node 1's indented by a tab), rule. */
void tl_follow_print(const struct tl_follow *f,
                     const struct tl_follow_spec *spec, struct tl_out *o);

/* One hex dump line as tshark prints them: "%08X", two spaces, 16 bytes
 * (space after the 8th), two spaces, the ASCII (space after the 8th, a
 * trailing space dropped). n <= 16; out needs 80 bytes; returns length. */
size_t tl_follow_hex_line(uint32_t offset, const uint8_t *p, unsigned n,
                          char *out);

/* ---- HTTP/2 frames in a followed stream ---------------------------------
 * The follow view's frame view: each direction's reassembled bytes read as
 * HTTP/2 framing (the preface, then 9-byte frame headers), from the
 * start for prior knowledge, or after the HTTP/1.1 request and the 101
 * answer of an h2c upgrade. Framing cannot survive a gap: that direction
 * stops there, with a record saying so. */
enum tl_follow_h2_kind {
	TL_H2_PREFACE, TL_H2_FRAME,
	TL_H2_HTTP1,            /* the HTTP/1.1 head before an h2c upgrade */
	TL_H2_LOST,             /* a gap (or no preface): framing ends */
	TL_H2_FULL,             /* max_frames reached: the list ends */
};

struct tl_follow_h2_frame {
	uint32_t chunk;         /* the chunk that completed its header */
	uint32_t frame;         /* that chunk's frame (the ladder's row) */
	uint32_t end_frame;     /* the frame of its last byte; 0: not yet */
	uint32_t len, sid;
	uint8_t type, flags, node, kind;
	uint32_t nth;           /* of the same name in end_frame's segment */
};

struct tl_follow_h2_dir {
	uint8_t state;
	uint8_t hdr[9], hdr_len;
	uint32_t matched;       /* preface bytes, or of "\r\n\r\n" */
	uint32_t left;          /* payload bytes still to come */
	uint32_t cur;           /* the record of the frame being read */
	bool preface_after;     /* an upgrade's client: preface after it */
};

struct tl_follow_h2 {
	struct tl_follow_h2_frame *frames;
	uint32_t count, cap;
	struct tl_follow_h2_dir dir[2];
	uint32_t chunks_done;
	uint32_t max_frames;    /* records kept at most (0: no bound) */
};

void tl_follow_h2_init(struct tl_follow_h2 *h, uint32_t max_frames);
void tl_follow_h2_free(struct tl_follow_h2 *h);
/* Reads the chunks of f that came since the last call. */
void tl_follow_h2_update(struct tl_follow_h2 *h, const struct tl_follow *f);

#endif

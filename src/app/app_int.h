/* What the application-label files of src/app/ share, and nothing the
 * rest of tcpladder sees (that is tl_app.h): the per-direction state, the
 * label being written for one segment, and the helpers every parser uses.
 *
 *   app.c       connections, the dispatch of a segment and the in-order
 *               feed (classifying a connection from its first bytes)
 *   labels.c    the label text and the per-frame label store
 *   streams.c   exchanges (HTTP/2 streams, HTTP/1 requests) and summaries
 *   hol.c       bytes held beyond a hole and head-of-line blocking
 *   http1.c     HTTP/1.x
 *   http2.c     HTTP/2 (HPACK via libnghttp2)
 *   services.c  echo, discard and daytime
 *
 * Shared functions carry an app_ prefix, since libtl.a is one namespace. */
#ifndef TL_APP_INT_H
#define TL_APP_INT_H

#include "tl_app.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_decode.h"

#define LINE_MAX_BYTES 8192u
#define SMALL_FRAME_KEEP 64u
#define MAX_LATE 64u
#define SPANS 64u

/* The client connection preface (RFC 9113 section 3.4). */
extern const char app_h2_preface[];
#define H2_PREFACE_LEN 24u

enum { H2_DATA, H2_HEADERS, H2_PRIORITY, H2_RST_STREAM, H2_SETTINGS,
       H2_PUSH_PROMISE, H2_PING, H2_GOAWAY, H2_WINDOW_UPDATE,
       H2_CONTINUATION };
enum { H2F_END_STREAM = 0x1, H2F_ACK = 0x1, H2F_END_HEADERS = 0x4,
       H2F_PADDED = 0x8, H2F_PRIORITY = 0x20 };

enum h1_state {
	H1_LINE, H1_HEADERS, H1_BODY, H1_CHUNK_SIZE, H1_CHUNK_DATA,
	H1_CHUNK_CRLF, H1_TRAILERS, H1_UNTIL_CLOSE,
};
enum h2_state { H2S_PREFACE, H2S_HEADER, H2S_PAYLOAD };

struct chunk {
	uint32_t seq, len;
	uint32_t frame;
	uint8_t *data;
};

/* Which exchange recent bytes of a direction belonged to. */
struct span {
	uint32_t start, end, id;
};

struct tl_app_dir {
	bool started, dead, is_h2, client;
	uint32_t next;              /* relative seq of the next byte in order */
	struct chunk *chunks;       /* beyond a hole, sorted by seq */
	uint32_t nchunks, chunk_cap;
	uint32_t held;              /* bytes in chunks */
	/* The receiver's view: its cumulative ACK, and the last segment of
	 * ours that only repeated bytes (a retransmission). */
	bool ack_set;
	uint32_t acked;
	uint32_t rx_start, rx_end, rx_frame;
	struct span *spans;         /* SPANS of them, from the first note:
	                             * most connections never need one */
	uint32_t span_head, span_count;
	/* line, header section or frame payload being collected */
	uint8_t *buf;
	uint32_t buf_len, buf_cap;
	bool buf_over;              /* more than we keep */
	/* HTTP/1.x */
	uint8_t h1;
	uint64_t remaining;
	uint32_t msg;               /* stream index of the current message */
	bool have_msg;
	int64_t content_length;     /* -1: none */
	bool chunked, upgrade_h2c;
	/* The message being read, for the http.* fields (want_http): its
	 * header block as received, and where its strings are in it. */
	uint8_t *hf;
	uint32_t hf_len, hf_cap, hf_line_at;
	bool hf_over, hf_closed;
	uint16_t hf_set;
	uint16_t hf_code;
	uint32_t hf_at[TL_APP_HTTP_STRS], hf_n[TL_APP_HTTP_STRS];
	/* HTTP/2 */
	uint8_t h2;
	uint32_t preface_len;
	uint8_t fhdr[9];
	uint8_t fhdr_len;
	uint32_t flen, fleft, fsid;
	uint8_t ftype, fflags;
	uint8_t pad;                /* DATA padding, from the first byte */
	bool in_block;              /* HEADERS without END_HEADERS seen */
	uint32_t block_sid;
	uint8_t block_type;
	bool block_over;
	bool hpack_broken;
};

/* Streams whose bytes came out of a hole being filled. */
struct hol {
	uint32_t ids[8];
	uint32_t n;
	bool more;
};

/* Where the parsers write: the label of the segment whose bytes they read,
 * and the segment that delivered them (for stream times). */
struct feed {
	struct tl_app *a;
	struct tl_app_conn *c;
	unsigned dir;
	uint32_t frame;             /* delivering segment */
	int64_t us;
	struct hol *hol;            /* non-NULL while feeding held bytes */
	const uint8_t *p_base;      /* bytes being fed start at seq_base */
	uint32_t seq_base;
	char lab[TL_APP_LABEL_MAX + 1];
	size_t len;
	bool full;
	size_t prio_end;            /* where the last PRIORITY item ends */
};

static inline bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

/* labels.c */
void app_lab_add(struct feed *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void app_lab_join(struct feed *f, const char *text);
void app_str_copy(char *dst, size_t size, const char *src);
size_t app_safe_text(char *out, size_t size, const uint8_t *p, size_t n,
                     size_t max_out);
void app_label_commit(struct tl_app *a, uint32_t frame, const char *text,
                      size_t len, bool late);

/* app.c */
void app_dir_dead(struct feed *f, struct tl_app_dir *d, const char *why);
void app_buf_put(struct tl_app *a, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n, uint32_t max);
void app_buf_reset(struct tl_app_dir *d);
void app_feed_init(struct feed *f, struct tl_app *a, struct tl_app_conn *c,
                   unsigned dir, uint32_t frame, int64_t us);
void app_feed_bytes(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                    uint32_t n);

/* streams.c */
struct tl_app_stream *app_stream_add(struct tl_app_conn *c, uint32_t id);
struct tl_app_stream *app_stream_by_id(struct tl_app_conn *c, uint32_t id,
                                       bool create);
void app_stream_started(struct feed *f, struct tl_app_stream *s,
                        uint16_t status);
void app_stream_ended(struct feed *f, struct tl_app_stream *s);
void app_streams_end_seq(struct tl_app_conn *c, unsigned dir, uint32_t next);
void app_streams_acked(struct tl_app_conn *c, unsigned dir, uint32_t ack,
                       uint32_t frame, int64_t us);

/* hol.c */
void app_hol_note(struct feed *f, uint32_t id);
void app_span_note(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                   uint32_t n, uint32_t id);
bool app_hold(struct tl_app *a, struct tl_app_dir *d, uint32_t seq,
              const uint8_t *p, uint32_t n, uint32_t frame);
void app_release(struct feed *own, struct tl_app_dir *d);
void app_ack_seen(struct feed *f, struct tl_app_dir *d, uint32_t ack);

/* http1.c */
bool app_is_method(const uint8_t *p, uint32_t n);
void app_h1_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n);

/* http_facts.c */
void app_hf_line(struct feed *f, struct tl_app_dir *d, const char *line,
                 size_t len);
void app_hf_str(struct feed *f, struct tl_app_dir *d, unsigned which,
                const char *s, size_t len);
void app_hf_done(struct feed *f, struct tl_app_dir *d);
void app_hf_reset(struct tl_app *a);

/* http2.c */
void app_h2_begin(struct tl_app_conn *c, unsigned client_dir);
void app_h2_feed(struct feed *f, struct tl_app_dir *d, const uint8_t *p,
                 uint32_t n);
void app_hpack_free(struct tl_app_conn *c);

/* services.c */
enum tl_app_proto app_port_proto(const struct tl_conn *conn);
void app_text_label(struct tl_app *a, const struct tl_seg *seg,
                    const uint8_t *payload, uint32_t caplen);

#endif

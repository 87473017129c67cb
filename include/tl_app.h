/* Application labels: per connection and direction, the in-order byte
 * stream is rebuilt (bounded memory, holes filled by retransmissions) and
 * read by small parsers: HTTP/1.x request and status lines, cleartext
 * HTTP/2 (prior knowledge and h2c upgrade: preface, frames, HPACK-decoded
 * HEADERS), and the text of echo, discard and daytime. Each segment gets a
 * short ASCII label, kept in a side table keyed by segment index (a
 * bounded string arena), and each HTTP connection a table of its
 * exchanges (HTTP/2 streams) with when they started and finished and
 * whether their data was held back behind a retransmission (head-of-line
 * blocking). No curses; only the front ends that show labels turn this
 * on, so the segment table (-T tsv) pays nothing. */
#ifndef TL_APP_H
#define TL_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

enum tl_app_proto {
	TL_APP_UNKNOWN,         /* no payload yet */
	TL_APP_NONE,            /* not a protocol we read */
	TL_APP_ECHO,            /* RFC 862, port 7 */
	TL_APP_DISCARD,         /* RFC 863, port 9 */
	TL_APP_DAYTIME,         /* RFC 867, port 13 */
	TL_APP_HTTP1,
	TL_APP_HTTP2,           /* prior knowledge, or after an h2c upgrade */
};
const char *tl_app_proto_name(enum tl_app_proto p);

/* Limits: bytes a direction may hold beyond a hole (a larger gap and it
 * stops following), chunks held, per label, per HTTP/2 header block,
 * exchanges kept per connection, the label arena, and the bytes held
 * beyond holes in all directions together. */
#define TL_APP_WINDOW (2u << 20)
#define TL_APP_MAX_CHUNKS 2048u
#define TL_APP_LABEL_MAX 320u
#define TL_APP_HEADER_MAX 65536u
#define TL_APP_MAX_STREAMS 1024u
#define TL_APP_ARENA_MAX (64u << 20)
#define TL_APP_BUFFERED_MAX (128u << 20)

/* One request/response exchange: an HTTP/2 stream, or the n-th HTTP/1.x
 * request of a connection (id = 1, 2, ...). Frames and times are of the
 * segment that completed the step (for bytes held back behind a hole in
 * the capture: the one that filled it). Times are microseconds since the
 * first packet, as every view shows them. */
struct tl_app_stream {
	uint32_t id;
	uint16_t status;        /* 0 until the response headers */
	bool started, ended, reset;
	char request[96];       /* "GET /files/1KB" */
	uint32_t req_frame, start_frame, end_frame;
	int64_t req_us, start_us, end_us;
	uint64_t bytes;         /* response body (DATA payload) bytes */
	uint32_t held;          /* times its bytes waited behind a hole */
	/* Finished for the client: the first ACK that covers the segment
	 * that ended the response (end_frame is when its last byte was
	 * first sent, or filled in). end_seq: that segment's end, relative,
	 * in direction end_dir; set once the segment is in. */
	bool end_seq_set, acked;
	uint8_t end_dir;
	uint32_t end_seq, ack_frame;
	int64_t ack_us;
};

struct tl_app_dir;

struct tl_app_conn {
	enum tl_app_proto proto;
	bool upgraded;          /* HTTP/1.1 Upgrade: h2c, then HTTP/2 */
	uint8_t client_dir;     /* the direction that sends requests */
	struct tl_app_stream *streams;
	uint32_t stream_count, stream_cap;
	uint64_t *state_bytes;  /* its tl_app's conn_state_bytes */
	uint32_t streams_dropped;       /* past TL_APP_MAX_STREAMS */
	uint32_t holes_filled;          /* head-of-line events */
	uint64_t held_bytes;
	struct tl_app_dir *dir[2];
	uint32_t h1_next_response;      /* HTTP/1.x: next request answered */
	uint32_t unacked;               /* streams ended, not yet ACKed */
	uint32_t h2_last_lookup;
	void *hpack[2];                 /* nghttp2_hd_inflater per direction */
};

/* A label: ASCII text at arena[off], len bytes, for the segment of frame
 * (one TCP segment per frame, so frames name segments for good, even
 * after a view let older segments go). */
struct tl_app_label {
	uint32_t frame;
	uint32_t off;
	uint16_t len;
};

/* The strings of an HTTP/1.x message tshark's http.* fields show. */
enum {
	TL_APP_HTTP_METHOD, TL_APP_HTTP_URI, TL_APP_HTTP_REQ_VERSION,
	TL_APP_HTTP_HOST, TL_APP_HTTP_RESP_VERSION, TL_APP_HTTP_PHRASE,
	TL_APP_HTTP_USER_AGENT, TL_APP_HTTP_SERVER, TL_APP_HTTP_CONTENT_TYPE,
	TL_APP_HTTP_LOCATION, TL_APP_HTTP_REFERER, TL_APP_HTTP_CONNECTION,
	TL_APP_HTTP_STRS
};

/* An HTTP/1.x message whose last byte the segment just fed delivered
 * (docs/analysis.md, "HTTP"): where tshark shows it. Strings and the
 * header block (start line to blank line, at most TL_APP_HTTP_HEAD_MAX
 * bytes) are in the tl_app's http_text. */
struct tl_app_http {
	bool request;
	uint16_t code;                  /* responses */
	int64_t content_length;         /* -1: no Content-Length */
	uint16_t set;                   /* bit per TL_APP_HTTP_* string */
	uint32_t at[TL_APP_HTTP_STRS], len[TL_APP_HTTP_STRS];
	uint32_t head_at, head_len;
};
#define TL_APP_HTTP_HEAD_MAX 65536u
#define TL_APP_HTTP_MAX 128u

struct tl_app {
	struct tl_app_conn **conns;     /* by stream index; NULL: none yet */
	uint32_t conn_cap;
	struct tl_app_label *labels;    /* sorted by frame */
	uint32_t label_count, label_cap;
	char *arena;
	uint32_t arena_len, arena_cap;
	uint64_t labels_dropped;        /* arena full */
	uint64_t buffered;              /* bytes held beyond holes, all dirs */
	/* The connections' own state: each one and its directions, with
	 * their line and header buffers (tl_app_bytes counts it). */
	uint64_t conn_state_bytes;
	/* Frames of the segments labelled during the last tl_app_segment
	 * call other than its own (data released when a hole was filled). */
	uint32_t late[64];
	uint32_t late_count;
	/* With tl_app_want_http: the messages the last tl_app_segment
	 * call completed, in order (the http.* fields of its frame). */
	bool want_http;
	struct tl_app_http http[TL_APP_HTTP_MAX];
	uint32_t http_count;
	uint8_t *http_text;
	uint32_t http_text_len, http_text_cap;
};

struct tl_app *tl_app_new(void);
void tl_app_free(struct tl_app *a);
/* Keeps, for each segment, the HTTP/1.x messages it completes
 * (tl_app's http[]): only the http.* fields ask. */
void tl_app_want_http(struct tl_app *a);

/* Feeds one segment (after the tracker saw it). payload holds caplen
 * captured bytes of the seg->len on the wire. */
void tl_app_segment(struct tl_app *a, const struct tl_conn *conn,
                    const struct tl_seg *seg, const uint8_t *payload,
                    uint32_t caplen);

/* The label of the segment in frame, or NULL (len set when not NULL). */
const char *tl_app_label(const struct tl_app *a, uint32_t frame,
                         size_t *len);
/* Drops the labels of the frames keep says no to (segments a view let
 * go); keep is asked in increasing frame order. */
void tl_app_keep_labels(struct tl_app *a,
                        bool (*keep)(void *ctx, uint32_t frame), void *ctx);
/* What the labels and the reassembly buffers hold, for memory limits. */
uint64_t tl_app_bytes(const struct tl_app *a);
/* The part of it that stays while connections are open (reassembly
 * buffers, per-connection tables): letting labels go does not free it. */
uint64_t tl_app_conn_bytes(const struct tl_app *a);
/* Frees what is kept for a connection the tracker has forgotten. */
void tl_app_forget(struct tl_app *a, uint32_t stream);
/* Forgets every label (streaming front ends, once a row is printed). */
void tl_app_clear_labels(struct tl_app *a);

const struct tl_app_conn *tl_app_conn(const struct tl_app *a,
                                      uint32_t stream);

/* "HTTP/2, 3 streams, 2 head-of-line events (5792 bytes held back)". */
size_t tl_app_conn_summary(const struct tl_app_conn *c, char *buf,
                           size_t size);
/* One exchange: "[1] GET /files/1KB  200  request 0.001200 (frame 4)
 * start 0.002100  finish 0.003400 (frame 9)  1024 B  held back 2x". */
size_t tl_app_stream_line(const struct tl_app_conn *c,
                          const struct tl_app_stream *s, char *buf,
                          size_t size);

/* An HTTP/2 frame as the labels name it: "HEADERS[1] len=30 END_STREAM
 * END_HEADERS" (the follow view's frame view lists them so). */
void tl_app_h2_frame_name(unsigned type, unsigned flags, uint32_t sid,
                          uint32_t len, char *buf, size_t size);

#endif

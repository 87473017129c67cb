/* The model every front end draws from: compact segment records for the
 * interactive views, and the frame-level bookkeeping around the tracker. */
#ifndef TL_MODEL_H
#define TL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_sender.h"
#include "tl_track.h"

/* One retained segment in 32 bytes. Time is kept in microseconds since the
 * first packet of the capture, which is what every view prints. */
struct tl_seg {
	uint64_t packed;        /* time_us:54 (signed) | tcp flags:9 | dir:1 */
	uint32_t frame;
	uint32_t stream;
	uint32_t seq, ack;      /* relative, as shown */
	uint32_t win;           /* scaled */
	uint16_t len;           /* IP lengths cap TCP payloads below 65536 */
	uint16_t analysis;      /* TL_AN_* */
};

static inline int64_t tl_seg_time_us(const struct tl_seg *s)
{
	return (int64_t)(s->packed << 10) >> 10;
}
static inline unsigned tl_seg_flags(const struct tl_seg *s)
{
	return (unsigned)(s->packed >> 54) & 0x1ffu;
}
static inline unsigned tl_seg_dir(const struct tl_seg *s)
{
	return (unsigned)(s->packed >> 63) & 1u;
}
void tl_seg_pack(struct tl_seg *s, int64_t time_us, unsigned flags,
                 unsigned dir);

/* Details for the segments that carry an annotation, in 16 bytes: what
 * they refer to. A duplicate ACK carries no data and a retransmission
 * does, so the two never need both numbers of the union. */
struct tl_seg_note {
	uint32_t seg_index;
	uint32_t ref_frame;     /* dup-ACK'd frame, or the original of a rexmit */
	union {
		uint32_t dupack_num;
		uint32_t rto_us;    /* since the original; saturates */
	};
	uint32_t prev_window;
};

/* The SACK blocks a segment carries, left and right edges relative to
 * the peer's initial sequence number (Wireshark's SLE, SRE), kept beside
 * the rows for the segments that carry any (a row has no room for them). */
#define TL_SEG_SACK_MAX 4
struct tl_seg_sack {
	uint32_t seg_index;
	uint32_t count;
	uint32_t edge[TL_SEG_SACK_MAX][2];
};

#define TL_SEG_CHUNK_BITS 16
#define TL_SEG_CHUNK (1u << TL_SEG_CHUNK_BITS)
#define TL_NOTE_CHUNK_BITS 12
#define TL_NOTE_CHUNK (1u << TL_NOTE_CHUNK_BITS)

/* Segment and note arrays in fixed chunks: growth never copies nor
 * doubles, and a reader can index any segment below count while the
 * writer appends. Notes are in segment order. */
struct tl_segstore {
	struct tl_seg **chunks;
	uint32_t chunk_count, chunk_cap;
	uint32_t count;
	struct tl_seg_note **note_chunks;
	uint32_t note_chunk_count, note_chunk_cap;
	uint32_t note_count;
	/* The sender model's values, one per segment, in the segments'
	 * chunking; none (NULL) unless the model runs. */
	struct tl_seg_cc **cc_chunks;
	uint32_t cc_chunk_count, cc_chunk_cap;
	/* SACK blocks, in segment order (as the notes). */
	struct tl_seg_sack **sack_chunks;
	uint32_t sack_chunk_count, sack_chunk_cap;
	uint32_t sack_count;
	/* The protocols of each segment's frame (tl_packet's protos), as
	 * runs: from seg_index on, until the next run. A capture's frames
	 * mostly share one stack, so this is one run or a few. */
	struct tl_seg_protos *proto_runs;
	uint32_t proto_run_count, proto_run_cap;
};

struct tl_seg_protos {
	uint32_t seg_index;
	uint64_t protos;
};

void tl_segstore_init(struct tl_segstore *st);
void tl_segstore_free(struct tl_segstore *st);
uint32_t tl_segstore_append(struct tl_segstore *st, const struct tl_seg *seg,
                            const struct tl_seg_note *note_or_null);
static inline const struct tl_seg *tl_segstore_get(const struct tl_segstore *st,
                                                   uint32_t index)
{
	return &st->chunks[index >> TL_SEG_CHUNK_BITS][index & (TL_SEG_CHUNK - 1)];
}
static inline struct tl_seg_note *tl_segstore_note_at(
	const struct tl_segstore *st, uint32_t i)
{
	return &st->note_chunks[i >> TL_NOTE_CHUNK_BITS]
	                       [i & (TL_NOTE_CHUNK - 1)];
}
/* Keeps the sender model's values of segment index (just appended). */
void tl_segstore_set_cc(struct tl_segstore *st, uint32_t index,
                        const struct tl_sender_vals *v);
/* The sender model's values of a kept segment (valid false: none). */
void tl_segstore_sender(const struct tl_segstore *st, uint32_t index,
                        struct tl_sender_vals *v);
static inline struct tl_seg_cc *tl_segstore_cc_at(const struct tl_segstore *st,
                                                  uint32_t index)
{
	return &st->cc_chunks[index >> TL_SEG_CHUNK_BITS]
	                     [index & (TL_SEG_CHUNK - 1)];
}
/* The note of a segment, or NULL. */
const struct tl_seg_note *tl_segstore_note(const struct tl_segstore *st,
                                           uint32_t seg_index);
static inline struct tl_seg_sack *tl_segstore_sack_at(
	const struct tl_segstore *st, uint32_t i)
{
	return &st->sack_chunks[i >> TL_NOTE_CHUNK_BITS]
	                       [i & (TL_NOTE_CHUNK - 1)];
}
/* Keeps the SACK blocks of segment index (the last appended). */
void tl_segstore_add_sack(struct tl_segstore *st, uint32_t index,
                          const struct tl_seg_sack *sack);
/* Keeps the protocols of segment index (the last appended). */
void tl_segstore_set_protos(struct tl_segstore *st, uint32_t index,
                            uint64_t protos);
/* The protocols of a kept segment's frame (1 << TL_PROTO_*). */
uint64_t tl_segstore_protos(const struct tl_segstore *st, uint32_t index);
/* The SACK blocks of a segment, or NULL when it carries none. */
const struct tl_seg_sack *tl_segstore_sack(const struct tl_segstore *st,
                                           uint32_t seg_index);

/* What an interactive view may keep; 0 = no bound. */
/* Kernel drops on the ladder: a live capture's drop count (pcap_stats:
 * ps_drop + ps_ifdrop) rose between two polls. The packets were lost
 * after frame after_frame (the last frame read before the poll; 0: before
 * the first) and before the next frame read: that is where every front
 * end draws the marker. Polls with no frame between them add up into one
 * marker; past TL_DROP_MARKS_MAX markers the last one takes the rest. */
struct tl_drop_mark {
	uint32_t after_frame;
	uint64_t count;
};
#define TL_DROP_MARKS_MAX 65536u

struct tl_drop_marks {
	struct tl_drop_mark *v;         /* in frame order */
	uint32_t count, cap;
	uint64_t total;                 /* the last count polled */
};

struct tl_model_limits {
	uint32_t max_segments;
	uint64_t max_bytes;
	/* What a round could not bring under max_bytes (held state, spare
	 * capacity): the next round waits until the model has grown past
	 * it by a slice of the bound, or each segment paid for a round. */
	uint64_t recheck_bytes;
};

/* What the limits made the model let go of. Each round renumbers the
 * retained segments (frames stay): views holding indices rebuild. */
struct tl_reasm;

struct tl_model_evicted {
	uint64_t segments, connections;
	uint32_t rounds;
	bool by_count;          /* the last round was for max_segments */
	/* The open connections need more than the bound: their state (kept
	 * whole, so stream numbers and analysis stay right) leaves the rows
	 * less than a quarter of --max-memory, or they outnumber the rows
	 * --max-segments keeps. suggest is a bound that would do, in the
	 * units of the bound that was too small (bytes or rows). */
	bool too_small, too_small_by_count;
	uint32_t open_conns;
	uint64_t suggest;
	/* Open connections let go all the same, past twice --max-memory. */
	uint64_t open_connections;
};

/* Packets that carry TCP (or may) and get no row, by cause: each front
 * end names them in one warning at the end (tl_model_unread_text). */
struct tl_model_unread {
	uint64_t cut;           /* cut short (by the snap length, mostly)
	                         * before a TCP header could be read */
	uint64_t fragments;     /* IP fragments whose datagram never completed */
	uint64_t fragments_cut; /* IP fragments the snap length cut (never
	                         * reassembled, by tshark either) */
	uint64_t fragments_evicted; /* IP fragments of datagrams given up at
	                             * the reassembly memory bound */
	uint64_t too_deep;      /* nested deeper than tshark reads */
	uint64_t amsdu_more;    /* TCP segments after the first in an 802.11
	                         * A-MSDU: analysed, but a frame has one row */
	uint64_t tunnel_fragments;  /* CAPWAP fragments whose packet never
	                             * completed */
	uint64_t encrypted;     /* MACsec frames whose data is encrypted (they
	                         * may or may not carry TCP: nobody without
	                         * the key knows) */
	uint64_t tunnel;        /* in a GRE tunnel of an unknown payload */
	uint16_t tunnel_type;   /* the first such payload type */
	uint64_t link;          /* on an interface of a link type we cannot
	                         * read (pcapng with several) */
	int link_type;          /* the first such link type */
};

/* Frame bookkeeping shared by every front end: relative time origin,
 * counters for what was not a TCP segment. */
struct tl_model {
	struct tl_tracker tracker;
	struct tl_segstore segs;
	bool retain;            /* keep tl_seg records (interactive views) */
	bool have_start;
	tl_nsec start_time;     /* of the first packet, TCP or not */
	uint32_t frames;
	uint64_t tcp_segments;
	uint64_t truncated;     /* TCP headers cut by the snap length */
	uint64_t malformed;
	uint64_t not_tcp;
	struct tl_model_unread unread;
	struct tl_reasm *reasm;         /* IP fragments, made when one comes */
	struct tl_reasm *capwap_reasm;  /* CAPWAP's own fragments, likewise */
	/* Application labels (tl_app.h); NULL unless a front end that shows
	 * them asked (tl_model_enable_app): -T tsv never pays for them. */
	struct tl_app *app;
	/* Without retain the labels go with each new segment (a row is
	 * printed at once), unless the front end lets them go itself
	 * (tl_app_keep_labels): the pictures keep their page's. */
	bool app_keeps_labels;
	/* The sender model (tl_sender.h); NULL unless asked for
	 * (tl_model_enable_sender). sender_vals: the last segment's. */
	struct tl_sender *sender;
	struct tl_sender_vals sender_vals;
	struct tl_model_limits limits;
	struct tl_model_evicted evicted;
	/* Every connection tl_model_evict let go, in order, with the frame
	 * whose arrival let it go: a second model fed the same frames (the
	 * view's filter read from the frames) forgets the same streams at
	 * the same point, so later segments get the same stream numbers.
	 * 8 bytes per connection let go, counted in tl_model_bytes. */
	struct tl_model_forget { uint32_t frame, stream; } *forgets;
	uint32_t forget_count, forget_cap;
	struct tl_drop_marks drops;
	/* Called with every TCP segment that gets a row, after the tracker,
	 * with its decoded packet and the captured frame (payload at
	 * pkt->payload_offset): -z follow and the follow view. */
	void (*segment_hook)(void *ctx, const struct tl_seg *seg,
	                     const struct tl_packet *pkt,
	                     const uint8_t *frame);
	void *segment_hook_ctx;
	/* The last frame fed, as decoded and analysed: streaming front ends
	 * read Wireshark's fields from them (tl_fields.h) until the next
	 * frame. info is valid only when tl_model_frame returned true. */
	struct tl_packet pkt;
	/* The bytes pkt's offsets count in, while a segment is in hand: the
	 * frame, or the datagram its fragments were put back into. */
	const uint8_t *pkt_data;
	uint32_t pkt_caplen;
	/* And the IP header the ip.* fields read: pkt's, or for a datagram
	 * put back together the last fragment's own, as tshark shows it. */
	const uint8_t *ip_data;
	uint32_t ip_caplen, ip_offset;
	/* For such a datagram, the IP headers of the frame around the
	 * fragment's own (offsets in the frame): tshark lists them before the
	 * datagram's. */
	uint8_t frag_outer_count;
	uint32_t frag_outer[TL_MAX_OUTER_IP];
	struct tl_seg_info info;
	tl_nsec last_ts, prev_ts;   /* of the last frame and the one before */
	/* TL_REC_* bits: what the frames so far held that a retained record
	 * (tl_seg) cannot say, so a field the record answers only without
	 * them must be read from the frame (tl_dfilter_record_answers). */
	unsigned record_gaps;
};

/* Retained records answer some fields only while the capture has none of
 * these (model.record_gaps); TL_REC_BYTES: never (the record keeps no
 * bytes); TL_REC_EVICTED: rows were let go (an ACK's acked segment may be
 * gone). */
#define TL_REC_BYTES    1u
#define TL_REC_LAYERS   2u      /* a frame with more than one IP header */
#define TL_REC_NSEC     4u      /* a time not a whole microsecond */
#define TL_REC_RESERVED 8u      /* TCP's reserved flag bits set */
#define TL_REC_EVICTED  16u
#define TL_REC_CUT      32u     /* a TCP header cut by the snap length */
#define TL_REC_AMSDU    64u     /* a frame with several segments */
#define TL_REC_RAWACK   128u    /* an ACK number without the ACK flag */
#define TL_REC_SHORT    256u    /* a TCP header captured under 20 bytes */

#define TL_LAST_FRAME_WARNING \
	"stopped at frame 4294967295: frame numbers are 32 bits, as in " \
	"Wireshark; start again for more"

/* Formats the causes as one line ("3 fragments never reassembled, ...");
 * returns false (and an empty string) when there are none. */
bool tl_model_unread_text(const struct tl_model *m, char *buf, size_t size);

/* Frame numbers are 32 bits, as in Wireshark: past the last one a capture
 * ends (tl_model_frame takes no more), as it does at -c COUNT (0: none). */
static inline bool tl_model_frames_done(const struct tl_model *m,
                                        uint32_t count)
{
	return m->frames == UINT32_MAX || (count && m->frames >= count);
}

void tl_model_init(struct tl_model *m, bool retain);
void tl_model_free(struct tl_model *m);
void tl_model_enable_app(struct tl_model *m);
/* A live capture's kernel drop count so far (cumulative, as pcap_stats
 * gives it): a rise since the last poll becomes a marker after the last
 * frame read. Returns the packets newly dropped. */
uint64_t tl_model_kernel_drops(struct tl_model *m, uint64_t total);
/* The same from the capture's own counters (pcap_stats: ps_drop +
 * ps_ifdrop), what every front end polls; 0 for a file. */
struct tl_capture;
uint64_t tl_model_poll_drops(struct tl_model *m, struct tl_capture *cap);
/* Packets dropped after frame lo (inclusive: a marker after lo) and before
 * frame hi: what a front end shows between the rows of lo and hi. */
uint64_t tl_model_drops_between(const struct tl_model *m, uint32_t lo,
                                uint32_t hi);
/* "5,533 packets dropped by the kernel here" (1 packet ...). */
size_t tl_drop_text(uint64_t count, char *buf, size_t size);
void tl_model_enable_sender(struct tl_model *m, enum tl_cc cc);
/* The sender model's values for the segment tl_model_frame just returned
 * (valid false when the model is off). */
static inline void tl_sender_get(const struct tl_model *m,
                                 struct tl_sender_vals *out)
{
	*out = m->sender_vals;
}

/* Feeds one captured frame. Returns true and fills seg (and note when the
 * segment is annotated; *has_note says so) if it was a TCP segment. */
bool tl_model_frame(struct tl_model *m, int dlt, const uint8_t *data,
                    uint32_t caplen, tl_nsec ts, struct tl_seg *seg,
                    struct tl_seg_note *note, bool *has_note);

/* The SACK blocks of the segment tl_model_frame just returned, relative
 * to the peer's initial sequence number as its Ack= is (streaming front
 * ends keep no rows to look them up in). False when it carries none. */
bool tl_model_sack(const struct tl_model *m, struct tl_seg_sack *sk);

/* model_limit.c: past a limit, tl_model_frame lets the oldest closed
 * connections go whole, then the oldest rows, down to 3/4 of the limit.
 * An open connection is not forgotten, only its rows: when open
 * connections alone need more than the bound, the rows keep a quarter of
 * it on top and evicted.too_small says so. Past twice --max-memory the
 * open connections idle longest go too (evicted.open_connections). */
void tl_model_set_limits(struct tl_model *m, uint32_t max_segments,
                         uint64_t max_bytes);
/* Bytes held by segment records, notes, connections and labels. */
uint64_t tl_model_bytes(const struct tl_model *m);
bool tl_model_over_limits(const struct tl_model *m);
void tl_model_evict(struct tl_model *m);
/* Lets stream's connection state go (tracker, labels, sender), as
 * tl_model_evict does: a later segment of it starts a new stream. */
void tl_model_forget_stream(struct tl_model *m, uint32_t stream);
/* "--max-memory 64M is too small for 20000 open connections: try 256M",
 * or "" when the bound was not too small. */
void tl_model_too_small_text(const struct tl_model *m, char *buf,
                             size_t size);

void tl_seg_from_info(struct tl_seg *seg, struct tl_seg_note *note,
                      bool *has_note, const struct tl_packet *pkt,
                      const struct tl_seg_info *info, uint32_t frame,
                      int64_t time_us);

#endif

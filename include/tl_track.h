/* Per-connection TCP state and Wireshark's (4.0) sequence analysis. */
#ifndef TL_TRACK_H
#define TL_TRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_decode.h"
#include "tl_util.h"

/* Analysis results, one bit each, in the alphabetical order of Wireshark's
 * tcp.analysis.* names so the segment table can print them in bit order. */
enum tl_analysis {
	TL_AN_ACK_LOST_SEGMENT = 1u << 0,
	TL_AN_DUPLICATE_ACK = 1u << 1,
	TL_AN_FAST_RETRANSMISSION = 1u << 2,
	TL_AN_KEEP_ALIVE = 1u << 3,
	TL_AN_KEEP_ALIVE_ACK = 1u << 4,
	TL_AN_LOST_SEGMENT = 1u << 5,
	TL_AN_OUT_OF_ORDER = 1u << 6,
	TL_AN_RETRANSMISSION = 1u << 7,
	TL_AN_REUSED_PORTS = 1u << 8,
	TL_AN_SPURIOUS_RETRANSMISSION = 1u << 9,
	TL_AN_WINDOW_FULL = 1u << 10,
	TL_AN_WINDOW_UPDATE = 1u << 11,
	TL_AN_ZERO_WINDOW = 1u << 12,
	TL_AN_ZERO_WINDOW_PROBE = 1u << 13,
	TL_AN_ZERO_WINDOW_PROBE_ACK = 1u << 14,
	/* Not Wireshark's: the advertised (scaled) window differs from the
	 * previous segment of the same direction. */
	TL_AN_WINDOW_CHANGE = 1u << 15,
};
#define TL_AN_WIRESHARK_COUNT 15
#define TL_AN_WIRESHARK_MASK 0x7fffu

/* Wireshark's field name for analysis bit i (0..14). */
const char *tl_analysis_name(unsigned bit_index);

enum tl_conn_state {
	TL_STATE_HANDSHAKE,     /* SYN seen, no data or final ACK yet */
	TL_STATE_ESTABLISHED,
	TL_STATE_CLOSING,       /* one FIN seen */
	TL_STATE_CLOSED,        /* both FINs seen */
	TL_STATE_RESET,
};
const char *tl_conn_state_name(enum tl_conn_state state);

/* A sent segment not yet acknowledged: only used for acks_frame, ack RTT
 * and RTO, which explain a segment but never flag it. */
struct tl_unacked {
	uint32_t seq, nextseq;
	uint32_t frame;
	tl_nsec time;
};

/* Options a side offered in its SYN (or SYN/ACK). */
struct tl_syn_options {
	bool seen;
	uint8_t present;        /* TL_OPT_* */
	uint8_t wscale;
	uint16_t mss;
	uint32_t tsval;
};

/* One direction of a connection: state named as in tcp-analysis.md §2.4. */
struct tl_dir {
	bool base_set;
	bool is_first_ack;
	int8_t win_scale;       /* -1 unknown, -2 no scaling, else the shift */
	uint32_t base;
	uint32_t nextseq;
	uint32_t nextseqframe;
	tl_nsec nextseqtime;
	uint32_t maxseqtobeacked;
	uint32_t lastack;
	tl_nsec lastacktime;
	uint32_t window;        /* raw; 0xFFFFFFFF before the first segment */
	uint32_t dupacknum;
	uint32_t lastnondupack;
	uint16_t lastsegmentflags;
	bool have_shown_window;
	uint32_t shown_window;  /* scaled window of the previous segment */
	struct tl_unacked *unacked; /* oldest first */
	uint32_t unacked_len, unacked_cap;
	uint32_t unacked_low;   /* lowest seq listed: ACKs at or below it
	                         * cannot touch the list */
	struct tl_syn_options syn;
	/* Bytes in flight (docs/analysis.md, "Bytes in flight"): only kept
	 * when the tracker was asked for them (tl_tracker_want_bif). */
	bool bif_invalid;       /* a segment of ours was missing since */
	bool push_set_last;
	uint32_t push_bytes_sent;
	uint32_t sacked;        /* bytes SACKed by our latest segment */
	uint64_t segments, bytes;
	bool fin_seen;
};

struct tl_conn {
	uint32_t stream;
	uint8_t ip_version;
	/* Endpoint 0 sent the first segment we saw: the client when the
	 * capture holds the SYN. */
	uint8_t addr[2][16];
	uint16_t port[2];
	struct tl_dir dir[2];
	enum tl_conn_state state;
	bool syn_time_set, irtt_set;
	tl_nsec syn_time;
	tl_nsec irtt;
	tl_nsec first_time, last_time;
	tl_nsec delta_from;     /* tcp.time_delta's base: the last segment
	                         * or ICMP quote of it */
	uint32_t first_frame, last_frame;
	uint32_t counts[TL_AN_WIRESHARK_COUNT];
	struct tl_conn *hash_next;
	struct tl_conn *lru_newer, *lru_older;  /* by last segment */
	bool in_hash;           /* false once a new ISN replaced it */
};

/* Everything the analysis found out about one segment. */
struct tl_seg_info {
	struct tl_conn *conn;
	uint8_t dir;                /* index of the sender in conn */
	uint32_t seq_rel, ack_rel;  /* as Wireshark shows tcp.seq / tcp.ack */
	uint32_t win_scaled;        /* tcp.window_size */
	int8_t win_scale;           /* the shift it was scaled with (as
	                             * tl_dir.win_scale), before this
	                             * segment's own options */
	uint16_t analysis;          /* TL_AN_* */
	bool an_tree;               /* 4.0 built its analysis subtree even
	                             * without a flag (ACK past a parked
	                             * ACKed-unseen check) */
	uint32_t dupack_num, dupack_frame;
	uint32_t acks_frame;        /* 0 if it acknowledges no listed segment */
	tl_nsec ack_rtt;
	uint32_t rto_frame;         /* for retransmissions: the original */
	tl_nsec rto;
	uint32_t prev_window;       /* scaled, for TL_AN_WINDOW_CHANGE */
	tl_nsec prev_time;          /* of the connection's previous segment */
	/* Only with tl_tracker_want_bif; 0 when tshark shows none. */
	uint32_t bytes_in_flight, push_bytes_sent;
};

struct tl_tracker {
	struct tl_conn **buckets;
	uint32_t bucket_mask;
	uint32_t live_conns;        /* in the hash table */
	uint32_t tracked;           /* allocated: in the table or replaced */
	/* Every connection by stream index; NULL once evicted. */
	struct tl_conn **streams;
	uint32_t stream_count, stream_cap;
	uint32_t hash_seed;
	/* Most and least recently active connection in the hash table. */
	struct tl_conn *lru_newest, *lru_oldest;
	uint32_t max_live;          /* 0: keep every connection */
	uint64_t evicted;
	uint64_t unacked_bytes;     /* held by every unacked list */
	bool want_bif;              /* compute bytes_in_flight (costs a walk
	                             * of the unacked list per data segment) */
	/* Streams freed during the last tl_tracker_segment call (an eviction,
	 * a reused 4-tuple), so layers above can drop what they keep. */
	uint32_t dropped[2];
	uint32_t dropped_count;
};

#define TL_DEFAULT_MAX_CONNECTIONS 262144u

void tl_tracker_init(struct tl_tracker *tr);
/* Bounds the connections kept: beyond max_live, the one idle longest is
 * forgotten (a later segment of it starts a new stream). Only for outputs
 * that do not look connections up again afterwards. */
void tl_tracker_set_max_live(struct tl_tracker *tr, uint32_t max_live);
void tl_tracker_free(struct tl_tracker *tr);
/* Asks for tcp.analysis.bytes_in_flight and push_bytes_sent. */
static inline void tl_tracker_want_bif(struct tl_tracker *tr)
{
	tr->want_bif = true;
}
/* Frees a connection now (a view let its rows go); a later segment of its
 * 4-tuple starts a new stream. Its stream index stays taken. */
void tl_tracker_forget(struct tl_tracker *tr, uint32_t stream);
/* What the connection records hold, for memory limits. */
static inline uint64_t tl_tracker_bytes(const struct tl_tracker *tr)
{
	return (uint64_t)tr->tracked * sizeof(struct tl_conn) +
	       tr->unacked_bytes +
	       (uint64_t)(tr->bucket_mask + 1u) * sizeof *tr->buckets +
	       (uint64_t)tr->stream_cap * sizeof *tr->streams;
}

/* Runs the analysis for one decoded TCP segment. frame is 1-based over all
 * packets; ts is the capture timestamp. */
void tl_tracker_segment(struct tl_tracker *tr, const struct tl_packet *pkt,
                        uint32_t frame, tl_nsec ts, struct tl_seg_info *out);

/* A TCP header quoted in an ICMP error: a connection not known yet is
 * opened (it takes the next stream number, as in tshark), with no
 * segment. */
void tl_tracker_quoted(struct tl_tracker *tr, const struct tl_packet *pkt,
                       uint32_t frame, tl_nsec ts);

/* NULL for an evicted connection. */
static inline struct tl_conn *tl_tracker_stream(const struct tl_tracker *tr,
                                                uint32_t stream)
{
	return stream < tr->stream_count ? tr->streams[stream] : 0;
}

#endif

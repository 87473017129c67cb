/* What the sender's TCP must have done: a Linux-like congestion controller
 * replayed per direction from the segments and ACKs a capture holds.
 *
 * The model follows Linux (6.x) rather than the RFCs where they differ:
 * initial window 10, slow start and Reno's or CUBIC's avoidance (with
 * HyStart), RACK-style loss marking with SACK, PRR during recovery, RTO
 * as srtt + max(rttvar, 200 ms) with backoff, F-RTO, tail loss probes and
 * undo of spurious reductions. Nothing here knows about curses. */
#ifndef TL_SENDER_H
#define TL_SENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_decode.h"
#include "tl_track.h"
#include "tl_util.h"

/* Linux's names and order (enum tcp_ca_state). */
enum tl_ca_state {
	TL_CA_OPEN, TL_CA_DISORDER, TL_CA_CWR, TL_CA_RECOVERY, TL_CA_LOSS,
};

enum tl_phase {
	TL_PHASE_SLOW_START, TL_PHASE_AVOIDANCE, TL_PHASE_FAST_RECOVERY,
	TL_PHASE_RTO_RECOVERY,
};

enum tl_rtx_cause {
	TL_RTX_NONE, TL_RTX_RTO, TL_RTX_FAST, TL_RTX_TLP, TL_RTX_SPURIOUS,
	TL_RTX_NEVER_SENT,
};

/* What happened to the congestion state at this segment, for the "why". */
enum tl_sender_event {
	TL_SEV_NONE,
	TL_SEV_RECOVERY,        /* entered fast recovery */
	TL_SEV_RECOVERY_DONE,   /* left it: cwnd = ssthresh */
	TL_SEV_TIMEOUT,         /* RTO fired before this retransmission */
	TL_SEV_LOSS_DONE,       /* everything sent before the timeout ACKed */
	TL_SEV_UNDO,            /* a reduction found spurious and undone */
	TL_SEV_TLP,             /* a tail loss probe */
	TL_SEV_TLP_LOSS,        /* the probe repaired a loss: cwnd reduced */
	TL_SEV_HYSTART,         /* CUBIC's HyStart left slow start */
	TL_SEV_SS_DONE,         /* cwnd reached ssthresh */
};

enum tl_cc { TL_CC_CUBIC, TL_CC_RENO };

#define TL_SSTHRESH_INFINITE 0x7fffffffu

/* The per-segment values behind the tcpladder.* fields. */
struct tl_sender_vals {
	bool valid;             /* false: no data flows this way (yet) */
	uint8_t ca_state;       /* enum tl_ca_state */
	uint8_t phase;          /* enum tl_phase */
	uint8_t rtx_cause;      /* enum tl_rtx_cause */
	uint8_t event;          /* enum tl_sender_event */
	uint8_t dupacks;        /* SACKed segments that made the decision */
	uint32_t cwnd;          /* segments */
	uint32_t mss;
	uint32_t ssthresh;      /* segments; TL_SSTHRESH_INFINITE */
	uint32_t prev_cwnd, prev_ssthresh;  /* before event */
	uint32_t rto_us;        /* including backoff */
	uint32_t idle_us;       /* for a timeout: how long nothing came */
	uint32_t fired_rto_us;  /* for a timeout: the RTO that expired */
};

static inline uint64_t tl_sender_cwnd_bytes(const struct tl_sender_vals *v)
{
	return (uint64_t)v->cwnd * v->mss;
}

/* The same in 24 bytes, for segments a view keeps (tl_segstore). */
struct tl_seg_cc {
	uint32_t cwnd;          /* 0: no value */
	uint32_t ssthresh;
	uint16_t prev_cwnd, prev_ssthresh;      /* saturated; 0xffff: inf */
	uint16_t mss;
	uint16_t rto_ms;        /* saturated */
	uint8_t ca_state, phase, rtx_cause, event;
	uint16_t aux1, aux2;    /* dupacks or idle ms; the RTO that fired */
};
void tl_seg_cc_pack(struct tl_seg_cc *cc, const struct tl_sender_vals *v);
void tl_seg_cc_unpack(const struct tl_seg_cc *cc, struct tl_sender_vals *v);

const char *tl_ca_state_name(unsigned state);
const char *tl_phase_name(unsigned phase);
const char *tl_rtx_cause_name(unsigned cause);   /* "" for none */
/* One line saying why the state changed at this segment, or "" when it did
 * not; never longer than size - 1. */
size_t tl_sender_why(const struct tl_sender_vals *v, char *buf, size_t size);

struct tl_sender;

struct tl_sender *tl_sender_new(enum tl_cc cc);
void tl_sender_free(struct tl_sender *s);
/* Feeds one analysed segment; out gets the values of its row: a data
 * segment the state it was sent in, a pure ACK the state of the other
 * direction after processing it. */
void tl_sender_segment(struct tl_sender *s, const struct tl_packet *pkt,
                       const struct tl_seg_info *info, tl_nsec ts,
                       struct tl_sender_vals *out);
/* The tracker let a stream go: free its state. */
void tl_sender_forget(struct tl_sender *s, uint32_t stream);
/* Memory the model holds, for the view's limits (0 for NULL). */
uint64_t tl_sender_bytes(const struct tl_sender *s);
/* Parses "reno" or "cubic"; false if neither. */
bool tl_cc_parse(const char *name, enum tl_cc *cc);

#endif

/* The delay helper's schedule (tcpladder-delay): when each queued packet
 * goes back to the kernel. No netlink here, so the unit tests drive it with
 * made-up ids and clocks.
 *
 * Every packet is held for a delay, plus or minus a jitter, but never goes
 * out before one that came in earlier (jitter keeps the order, as a link
 * does); a reordered packet skips the queue and goes at once, overtaking
 * everything held (netem's meaning of "reorder"). */
#ifndef TL_DELAY_SCHED_H
#define TL_DELAY_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dl_params {
	uint64_t delay_ns;      /* one way */
	uint64_t jitter_ns;     /* each delay drawn in [delay-jitter, delay+jitter] */
	uint32_t reorder_ppm;   /* parts per million sent at once */
	uint64_t seed;
};

struct dl_held {
	uint32_t id;
	uint64_t arrival_ns;
	uint64_t release_ns;
};

struct dl_stats {
	uint64_t packets;       /* every packet that came in */
	uint64_t delayed;       /* held and released on time */
	uint64_t reordered;     /* released at once by --reorder */
	uint64_t overflow;      /* released at once: the hold queue was full */
	uint64_t flushed;       /* released early at shutdown */
	uint32_t max_held;
	uint64_t hold_min_ns, hold_max_ns, hold_sum_ns;
	uint64_t late_max_ns, late_sum_ns;
};

struct dl_sched {
	struct dl_params p;
	struct dl_held *ring;
	uint32_t cap;           /* a power of two */
	uint32_t head, count;
	uint64_t last_release_ns;
	uint64_t rng;
	struct dl_stats st;
};

enum dl_verdict { DL_HELD, DL_NOW };

/* cap is rounded up to a power of two; false when it cannot be allocated. */
bool dl_init(struct dl_sched *s, const struct dl_params *p, uint32_t cap);
void dl_free(struct dl_sched *s);

/* A packet came in at now: DL_NOW means give it back at once. */
enum dl_verdict dl_arrive(struct dl_sched *s, uint32_t id, uint64_t now_ns);

/* When the first held packet is due; false when nothing is held. */
bool dl_next_due(const struct dl_sched *s, uint64_t *when_ns);

/* Takes the first held packet if it is due at now (or if flush is set),
 * counting its hold time and how late it is. */
bool dl_pop(struct dl_sched *s, uint64_t now_ns, bool flush, uint32_t *id);

/* Durations: "40ms", "1.5ms", "500us", "2s", "100ns", "0". false when it is
 * not one, or is more than an hour. */
bool dl_parse_duration(const char *text, uint64_t *ns);
/* "1%", "0.5%", "0": parts per million; false when not in 0..100%. */
bool dl_parse_percent(const char *text, uint32_t *ppm);

#endif

/* IP fragment reassembly for the model (reassemble.c). */
#ifndef TL_REASM_H
#define TL_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_decode.h"
#include "tl_util.h"

/* Unfinished datagrams held at most, and bytes for them (a small one
 * takes about 2 kB: 3 bytes per payload byte, the data and whose it is). */
#define TL_REASM_MAX_DATAGRAMS 16384u
#define TL_REASM_MAX_BYTES (32u * 1024 * 1024)

/* Pieces that never became part of a whole datagram, by cause. */
struct tl_reasm_counts {
	uint64_t held;          /* held now: the rest has not come (yet) */
	uint64_t cut;           /* cut by the snap length: never added, as
	                         * tshark never adds them */
	uint64_t damaged;       /* would end past 65535 bytes */
	uint64_t evicted;       /* of datagrams given up at the bound */
};

struct tl_reasm;

struct tl_reasm *tl_reasm_new(void);
void tl_reasm_free(struct tl_reasm *r);
/* Adds the fragment pkt describes (decoded from frame as
 * TL_DECODE_FRAGMENT). When it completes its datagram, returns true with
 * the whole IP datagram in *out (valid until the next call). */
bool tl_reasm_add(struct tl_reasm *r, const struct tl_packet *pkt,
                  const uint8_t *frame, const uint8_t **out,
                  uint32_t *out_len);
/* Fragments of datagrams never completed so far (held or given up): the
 * sum of tl_reasm_counts. */
uint64_t tl_reasm_unfinished(const struct tl_reasm *r);
struct tl_reasm_counts tl_reasm_counts(const struct tl_reasm *r);

#endif

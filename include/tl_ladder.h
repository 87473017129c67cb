/* Ladder layout: which column each endpoint gets, where each arrow goes, and
 * where the label rides. Pure arithmetic; front ends draw the result. */
#ifndef TL_LADDER_H
#define TL_LADDER_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_model.h"

#define TL_NO_NODE UINT32_MAX

struct tl_ladder_node {
	uint8_t ip_version;
	uint8_t addr[16];
	int port;               /* -1 when columns are per host */
	char name[56];          /* "192.0.2.1:40000" */
};

struct tl_ladder_slot {
	uint32_t node;          /* TL_NO_NODE: free */
	uint32_t hash;
};

struct tl_ladder {
	bool by_host;
	struct tl_ladder_node *nodes;
	uint32_t node_count, node_cap;
	uint32_t (*stream_nodes)[2];    /* per stream: node of endpoint 0, 1 */
	uint32_t stream_cap;
	struct tl_ladder_slot *slots;   /* nodes by endpoint hash */
	uint32_t slot_count;    /* a power of two, more than twice node_count */
	uint32_t seed;          /* of the hash, per ladder */
};

void tl_ladder_init(struct tl_ladder *ld, bool by_host);
void tl_ladder_free(struct tl_ladder *ld);
void tl_ladder_clear(struct tl_ladder *ld);
/* Gives a connection's endpoints their columns, in order of first
 * appearance; returns true if a new column was made. Idempotent. */
bool tl_ladder_add_conn(struct tl_ladder *ld, const struct tl_conn *conn);
bool tl_ladder_has_stream(const struct tl_ladder *ld, uint32_t stream);
/* Columns of the sender and receiver of seg; false if its stream is not in
 * the ladder. */
bool tl_ladder_arrow(const struct tl_ladder *ld, const struct tl_seg *seg,
                     uint32_t *from, uint32_t *to);

/* Anchor x of every column when the body spans [left, left + width). */
struct tl_ladder_geometry {
	int left, width;
	int column_gap;         /* distance between neighbour anchors */
	int first_anchor;
};
void tl_ladder_geometry(const struct tl_ladder *ld, int left, int width,
                        struct tl_ladder_geometry *g);
/* The same for a given number of columns (a two-column view of one
 * connection among many). */
void tl_ladder_geometry_n(uint32_t columns, int left, int width,
                          struct tl_ladder_geometry *g);
static inline int tl_ladder_anchor(const struct tl_ladder_geometry *g,
                                   uint32_t node)
{
	return g->first_anchor + (int)node * g->column_gap;
}

#endif

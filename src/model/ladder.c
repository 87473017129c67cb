/* Columns of the ladder: one per address:port (or per address), numbered in
 * order of first appearance like Wireshark's flow graph nodes. */
#include "config.h"

#include "tl_ladder.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tl_label.h"

void tl_ladder_init(struct tl_ladder *ld, bool by_host)
{
	memset(ld, 0, sizeof *ld);
	ld->by_host = by_host;
	/* Addresses and ports come from the packets: a seed they cannot
	 * know keeps crafted endpoints from piling up in one probe run.
	 * Columns are numbered by first appearance whatever the seed. */
	ld->seed = (uint32_t)time(NULL) * 2654435761u ^
	           (uint32_t)(uintptr_t)ld ^ (uint32_t)clock();
}

void tl_ladder_free(struct tl_ladder *ld)
{
	free(ld->nodes);
	free(ld->stream_nodes);
	free(ld->slots);
	memset(ld, 0, sizeof *ld);
}

void tl_ladder_clear(struct tl_ladder *ld)
{
	ld->node_count = 0;
	for (uint32_t i = 0; i < ld->stream_cap; i++)
		ld->stream_nodes[i][0] = ld->stream_nodes[i][1] = TL_NO_NODE;
	for (uint32_t i = 0; i < ld->slot_count; i++)
		ld->slots[i].node = TL_NO_NODE;
}

/* ---- endpoint -> column: open addressing, linear probing ------------------
 * Selecting every connection of a big capture makes one column per client
 * port: a linear search made that quadratic (25 s for 100k connections). */

static uint32_t endpoint_hash(uint32_t seed, unsigned ip_version,
                              const uint8_t *addr, int port)
{
	size_t alen = ip_version == 6 ? 16 : 4;
	uint32_t h = (2166136261u ^ seed) * 16777619u ^ ip_version;
	for (size_t i = 0; i < alen; i++)
		h = (h ^ addr[i]) * 16777619u;
	h = (h ^ (uint32_t)port) * 16777619u;
	/* Ports and addresses often differ in their low bits only: mix
	 * every bit into the ones the mask keeps. */
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	return h ^ (h >> 16);
}

static bool node_is(const struct tl_ladder_node *n, unsigned ip_version,
                    const uint8_t *addr, int port)
{
	return n->ip_version == ip_version && n->port == port &&
	       memcmp(n->addr, addr, ip_version == 6 ? 16 : 4) == 0;
}

static void slot_insert(struct tl_ladder_slot *slots, uint32_t mask,
                        struct tl_ladder_slot slot)
{
	uint32_t i = slot.hash & mask;
	while (slots[i].node != TL_NO_NODE)
		i = (i + 1) & mask;
	slots[i] = slot;
}

/* Keeps the table at most half full, so probes stay short. */
static void reserve_slots(struct tl_ladder *ld)
{
	if ((uint64_t)ld->node_count * 2 < ld->slot_count)
		return;
	uint32_t count = ld->slot_count ? ld->slot_count : 32;
	while ((uint64_t)ld->node_count * 2 >= count) {
		if (count > UINT32_MAX / 2)
			tl_fatal("out of memory: too many ladder columns");
		count *= 2;
	}
	struct tl_ladder_slot *slots = tl_xcalloc(count, sizeof *slots);
	for (uint32_t i = 0; i < count; i++)
		slots[i].node = TL_NO_NODE;
	for (uint32_t i = 0; i < ld->slot_count; i++)
		if (ld->slots[i].node != TL_NO_NODE)
			slot_insert(slots, count - 1, ld->slots[i]);
	free(ld->slots);
	ld->slots = slots;
	ld->slot_count = count;
}

static uint32_t find_or_add_node(struct tl_ladder *ld, unsigned ip_version,
                                 const uint8_t *addr, int port, bool *added)
{
	size_t alen = ip_version == 6 ? 16 : 4;
	reserve_slots(ld);
	uint32_t mask = ld->slot_count - 1;
	uint32_t hash = endpoint_hash(ld->seed, ip_version, addr, port);
	uint32_t i = hash & mask;
	/* The hash kept beside each node spares most probes a visit to the
	 * node itself (a cache miss with 100k of them). */
	for (; ld->slots[i].node != TL_NO_NODE; i = (i + 1) & mask)
		if (ld->slots[i].hash == hash &&
		    node_is(&ld->nodes[ld->slots[i].node], ip_version, addr,
		            port))
			return ld->slots[i].node;
	ld->slots[i] = (struct tl_ladder_slot){ ld->node_count, hash };
	ld->nodes = tl_xgrow(ld->nodes, &ld->node_cap,
	                     (uint64_t)ld->node_count + 1, 8, sizeof *ld->nodes);
	struct tl_ladder_node *n = &ld->nodes[ld->node_count];
	memset(n, 0, sizeof *n);
	n->ip_version = (uint8_t)ip_version;
	memcpy(n->addr, addr, alen);
	n->port = port;
	tl_format_endpoint(ip_version, addr, port, n->name, sizeof n->name);
	*added = true;
	return ld->node_count++;
}

static void reserve_streams(struct tl_ladder *ld, uint32_t stream)
{
	if (stream < ld->stream_cap)
		return;
	uint32_t old = ld->stream_cap;
	ld->stream_nodes = tl_xgrow(ld->stream_nodes, &ld->stream_cap,
	                            (uint64_t)stream + 1, 64,
	                            sizeof *ld->stream_nodes);
	for (uint32_t i = old; i < ld->stream_cap; i++)
		ld->stream_nodes[i][0] = ld->stream_nodes[i][1] = TL_NO_NODE;
}

bool tl_ladder_add_conn(struct tl_ladder *ld, const struct tl_conn *conn)
{
	reserve_streams(ld, conn->stream);
	if (ld->stream_nodes[conn->stream][0] != TL_NO_NODE)
		return false;
	bool added = false;
	for (int e = 0; e < 2; e++)
		ld->stream_nodes[conn->stream][e] = find_or_add_node(
			ld, conn->ip_version, conn->addr[e],
			ld->by_host ? -1 : conn->port[e], &added);
	return added;
}

bool tl_ladder_has_stream(const struct tl_ladder *ld, uint32_t stream)
{
	return stream < ld->stream_cap &&
	       ld->stream_nodes[stream][0] != TL_NO_NODE;
}

bool tl_ladder_arrow(const struct tl_ladder *ld, const struct tl_seg *seg,
                     uint32_t *from, uint32_t *to)
{
	if (!tl_ladder_has_stream(ld, seg->stream))
		return false;
	unsigned d = tl_seg_dir(seg);
	*from = ld->stream_nodes[seg->stream][d];
	*to = ld->stream_nodes[seg->stream][!d];
	return true;
}

void tl_ladder_geometry(const struct tl_ladder *ld, int left, int width,
                        struct tl_ladder_geometry *g)
{
	tl_ladder_geometry_n(ld->node_count, left, width, g);
}

void tl_ladder_geometry_n(uint32_t columns, int left, int width,
                          struct tl_ladder_geometry *g)
{
	int n = columns > 1 ? (int)columns : 2;
	g->left = left;
	g->width = width;
	/* Anchors sit one cell in from each edge so arrow heads fit. */
	g->column_gap = (width - 2) / (n - 1);
	if (g->column_gap < 1)
		g->column_gap = 1;
	g->first_anchor = left;
}

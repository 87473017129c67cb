/* IPv4 TCP frames from a few fields (see frame_builder.h). */
#include "config.h"

#include "frame_builder.h"

#include <string.h>

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

uint32_t fb_ipv4_tcp(uint8_t *f, size_t size, const struct fb_tcp *t)
{
	if (t->opt_len > 40 || t->opt_len % 4)
		return 0;
	uint32_t thl = 20 + t->opt_len;
	uint64_t total = 20 + (uint64_t)thl + t->len;
	if (total > size || total > 65535)
		return 0;
	memset(f, 0, 20 + thl);
	f[0] = 0x45;
	put16(f + 2, (uint32_t)total);
	f[8] = 64;
	f[9] = 6;
	put32(f + 12, t->src);
	put32(f + 16, t->dst);
	uint8_t *h = f + 20;
	put16(h, t->sport);
	put16(h + 2, t->dport);
	put32(h + 4, t->seq);
	put32(h + 8, t->ack);
	h[12] = (uint8_t)(thl / 4 << 4);
	h[13] = t->flags;
	put16(h + 14, t->win);
	if (t->opt_len)
		memcpy(h + 20, t->opt, t->opt_len);
	if (t->payload && t->len)
		memcpy(h + thl, t->payload, t->len);
	return (uint32_t)total;
}

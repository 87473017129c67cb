/* IPv4 TCP frames for the unit tests, the benches and the fuzzers: what a
 * capture of DLT_RAW holds (no link header), from a few fields. Shared so
 * that each harness says only how its frames differ. */
#ifndef TL_FRAME_BUILDER_H
#define TL_FRAME_BUILDER_H

#include <stddef.h>
#include <stdint.h>

struct fb_tcp {
	uint32_t src, dst;      /* IPv4 addresses, host order */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;          /* TL_TH_* (the low eight) */
	uint16_t win;
	const uint8_t *opt;     /* TCP options, opt_len a multiple of 4 */
	uint32_t opt_len;       /* (at most 40) */
	const uint8_t *payload; /* NULL: len bytes left as the buffer has them */
	uint32_t len;
};

/* 192.0.2.1 and 192.0.2.2 (TEST-NET-1), the tests' two hosts. */
#define FB_HOST_A 0xc0000201u
#define FB_HOST_B 0xc0000202u

/* Writes the frame into f (size bytes): a 20-byte IPv4 header (TTL 64,
 * no checksums: nothing here checks them), the TCP header with its
 * options, the payload. Returns its length, or 0 when it does not fit in
 * size or the options are not whole words. */
uint32_t fb_ipv4_tcp(uint8_t *f, size_t size, const struct fb_tcp *t);

#endif

/* A pcapng reader of our own; private to capture.c (and the fuzzer).
 *
 * libpcap refuses a file whose interfaces differ in link type or snap
 * length (mergecap's output, `dumpcap -i a -i b`), and several sections.
 * This reader takes any file tshark reads: every section, every interface
 * with its own link type, snap length, if_tsresol and if_tsoffset;
 * Enhanced, Simple and obsolete Packet Blocks; other blocks skipped.
 * Every length in the file is checked before it is used. */
#ifndef TL_CAPTURE_PCAPNG_H
#define TL_CAPTURE_PCAPNG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tl_capture.h"

struct tl_pcapng;

/* Whether the 4 bytes start a pcapng file (a Section Header Block). */
bool tl_pcapng_magic(const uint8_t b[4]);

/* Reads the first section's header and blocks up to its first interface;
 * NULL with a message in err if the file is not pcapng or is damaged
 * there. Takes f (closes it). */
struct tl_pcapng *tl_pcapng_open(FILE *f, const char *name, char *err,
                                 size_t errsize);
void tl_pcapng_close(struct tl_pcapng *ng);
/* The first interface's link type and snap length. */
/* The file it reads (to open the same file again, for the view). */
FILE *tl_pcapng_file(const struct tl_pcapng *ng);
int tl_pcapng_first_dlt(const struct tl_pcapng *ng);
uint32_t tl_pcapng_first_snaplen(const struct tl_pcapng *ng);
/* The next packet: frame->dlt is its interface's link type and *ifindex
 * the interface's number counted over all sections (for per-interface
 * state such as filters). The data stays valid until the next call.
 * TL_NEXT_END at a clean end; TL_NEXT_ERROR with tl_pcapng_error(). */
enum tl_next tl_pcapng_next(struct tl_pcapng *ng, struct tl_frame *frame,
                            uint32_t *ifindex);
const char *tl_pcapng_error(const struct tl_pcapng *ng);

/* Where the reader is between two packets, to come back to (the view
 * reads frames of a file again). */
struct tl_pcapng_pos {
	long off, section;      /* in the file; its section's header */
	bool swap;
	uint32_t if_count, if_total;
	uint64_t blocks;
};
/* False for a stream with no offsets (a pipe). */
bool tl_pcapng_tell(const struct tl_pcapng *ng, struct tl_pcapng_pos *pos);
/* Back (or on) to a position tl_pcapng_tell() gave on this reader; false
 * with tl_pcapng_error() if the file cannot be read there any more. */
bool tl_pcapng_seek(struct tl_pcapng *ng, const struct tl_pcapng_pos *pos);

#endif

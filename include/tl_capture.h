/* libpcap behind one small interface: files, standard input, live devices. */
#ifndef TL_CAPTURE_H
#define TL_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include <stdio.h>

#include "tl_savefile.h"
#include "tl_util.h"

struct tl_capture;

struct tl_frame {
	const uint8_t *data;
	uint32_t caplen, len;
	tl_nsec ts;
	int dlt;        /* its link type: a pcapng file may have several */
};

struct tl_capture_config {
	const char *file;       /* "-" for standard input */
	const char *device;
	const char *filter;     /* BPF, may be NULL */
	const char *write_file; /* -w: see tl_capture_start_write() */
	bool force_write;       /* --force */
	int snaplen;
	int buffer_kib;
	bool promisc;
};

enum tl_next {
	TL_NEXT_FRAME,
	TL_NEXT_TIMEOUT,        /* live: nothing yet */
	TL_NEXT_END,
	TL_NEXT_ERROR,          /* tl_capture_error() says what */
};

#define TL_DEFAULT_SNAPLEN 262144
#define TL_DEFAULT_BUFFER_KIB 32768

/* Returns NULL with a one-line message in err on failure. */
struct tl_capture *tl_capture_open(const struct tl_capture_config *cfg,
                                   char *err, size_t errsize);
void tl_capture_close(struct tl_capture *cap);
int tl_capture_datalink(const struct tl_capture *cap);
const char *tl_capture_datalink_name(const struct tl_capture *cap);
bool tl_capture_is_live(const struct tl_capture *cap);
/* Read from a pipe as it comes (tcpdump -w - | tcpladder -r -). */
bool tl_capture_is_pipe(const struct tl_capture *cap);
/* A descriptor to poll for live input, or -1. */
int tl_capture_fd(const struct tl_capture *cap);
enum tl_next tl_capture_next(struct tl_capture *cap, struct tl_frame *frame);
const char *tl_capture_error(const struct tl_capture *cap);
/* Live: has the kernel's buffer been read empty? Asked at most every
 * 100 ms. A blocking read in immediate mode may never time out while
 * nothing arrives, so a batch run asks after each frame instead. */
bool tl_capture_drained(struct tl_capture *cap);
/* Kernel counters for live captures; false when none exist. */
bool tl_capture_stats(struct tl_capture *cap, uint64_t *received,
                      uint64_t *dropped);
/* Live reads return TL_NEXT_TIMEOUT at once when nothing is waiting; for
 * event loops that poll tl_capture_fd(). */
bool tl_capture_set_nonblock(struct tl_capture *cap, bool on);
/* Whether a live capture's interface is down (libpcap waits quietly for
 * it to come back); looked up at most once a second. */
bool tl_capture_link_down(struct tl_capture *cap);
/* Interrupts a blocking read from a signal handler. */
void tl_capture_break(struct tl_capture *cap);
/* After privileges are dropped (so the saved file is the user's, made with
 * the user's rights): starts saving every frame read to path, under a
 * temporary name until tl_capture_finish_write(). */
bool tl_capture_start_write(struct tl_capture *cap, const char *path,
                            bool replace, char *err, size_t errsize);
/* Starts reading: a pipe's reader thread only starts here, after the
 * privileges are dropped, so no packet is read with them. */
void tl_capture_begin(struct tl_capture *cap);
/* Publishes what was saved; err says why when it is not TL_PUBLISHED. */
enum tl_publish tl_capture_finish_write(struct tl_capture *cap, char *err,
                                        size_t errsize);
/* -w's path (NULL without -w), frames saved so far, and whether a write
 * failed (then err says which file and why; saving stopped there). */
const char *tl_capture_write_path(const struct tl_capture *cap);
/* -w's frames so far pushed to the disk, for reading them again while the
 * capture runs: the name the data has now (a temporary one until it is
 * published), or NULL without -w or once a write failed. */
const char *tl_capture_flush_write(struct tl_capture *cap);
uint64_t tl_capture_saved(const struct tl_capture *cap);
bool tl_capture_save_failed(const struct tl_capture *cap, char *err,
                            size_t errsize);
/* Whether a file or pipe was read to its end. */
bool tl_capture_at_end(const struct tl_capture *cap);
/* The input file opened a second time when it was opened (same file, own
 * offset), for reading frames again; NULL for devices, pipes and standard
 * input. The caller owns it. */
FILE *tl_capture_take_reread(struct tl_capture *cap);
/* -w from a pcapng file with interfaces of several link types: a pcap file
 * holds one, so frames of the others are not saved; true with a message
 * saying how many when that happened. */
bool tl_capture_unsaved(const struct tl_capture *cap, char *msg,
                        size_t size);

#endif

/* libpcap behind one small interface: files, standard input, live devices. */
#ifndef TL_CAPTURE_H
#define TL_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_util.h"

struct tl_capture;

struct tl_frame {
	const uint8_t *data;
	uint32_t caplen, len;
	tl_nsec ts;
};

struct tl_capture_config {
	const char *file;       /* "-" for standard input */
	const char *device;
	const char *filter;     /* BPF, may be NULL */
	const char *write_file; /* also save what was captured, may be NULL */
	bool force_write;       /* write over an existing write_file */
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
/* Finishes -w: renames the temporary file into place. */
bool tl_capture_finish_write(struct tl_capture *cap, char *err, size_t errsize);

#endif

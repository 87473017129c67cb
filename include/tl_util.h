/* Allocation that cannot fail, fatal errors, small string helpers. */
#ifndef TL_UTIL_H
#define TL_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Timestamps are nanoseconds since the epoch: pcap gives us either micro- or
 * nanoseconds and a single integer keeps arithmetic exact. */
typedef int64_t tl_nsec;
#define TL_NSEC_PER_SEC INT64_C(1000000000)

void *tl_xmalloc(size_t size);
void *tl_xcalloc(size_t count, size_t size);
void *tl_xrealloc(void *ptr, size_t count, size_t size);
char *tl_xstrdup(const char *s);
/* Room for need elements of size bytes in the array ptr of capacity *cap,
 * doubling from first; returns the (maybe moved) array. The capacity is a
 * uint32_t that never wraps: past UINT32_MAX elements, out of memory. */
void *tl_xgrow(void *ptr, uint32_t *cap, uint64_t need, uint32_t first,
               size_t size);

/* Exit statuses: 0 success, 1 capture damaged part way, 2 nothing could
 * start, 3 out of memory, 4 output could not be written. */
#define TL_EXIT_WRITE 4

/* A standard descriptor closed by the caller ('>&-') is filled with
 * /dev/null, read-only for 0 and 1, so no file opened later takes its
 * number and a write to a closed stdout fails (EBADF) and is reported.
 * Call first in main. */
void tl_guard_std_fds(void);
/* "standard output", with the file it goes to when that is a path (or
 * "(closed)"), for messages. */
const char *tl_stdout_name(char *buf, size_t size);
/* Flushes and closes stdio's stdout; a failed write other than a closed
 * pipe is reported (name and reason): returns TL_EXIT_WRITE, else 0. */
int tl_stdout_close(void);

/* Called before exiting on a fatal error so a front end can restore the
 * terminal first. */
void tl_set_fatal_hook(void (*hook)(void));
_Noreturn void tl_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tl_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

const char *tl_progname(void);
void tl_set_progname(const char *argv0);

/* Appends into a fixed buffer and never overflows; returns the new length. */
size_t tl_bappend(char *buf, size_t size, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fast unsigned-to-decimal, returns characters written (no NUL). */
size_t tl_utoa(uint64_t v, char *out);
/* The same, returning the end: out needs 10 (20) bytes, no NUL written. */
char *tl_put_u32(char *out, uint32_t v);
char *tl_put_u64(char *out, uint64_t v);

/* Nanoseconds to microseconds, rounding half up. */
int64_t tl_nsec_to_us(tl_nsec t);
/* "12.345678": seconds with 6 decimals; out needs 28 bytes. */
size_t tl_format_us(int64_t us, char *out);
/* The same, returning the end (no NUL written). */
char *tl_put_us(char *out, int64_t us);

#endif

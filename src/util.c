/* Allocation wrappers, fatal errors and fast number formatting. */
#include "config.h"

#include "tl_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *progname = "tcpladder";
static void (*fatal_hook)(void);
static bool stdout_was_closed;

void tl_set_progname(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	if (argv0 && *argv0)
		progname = slash ? slash + 1 : argv0;
}

const char *tl_progname(void)
{
	return progname;
}

void tl_guard_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open() returns the lowest free number: this one. */
		int got = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
		if (got >= 0 && got != fd)
			close(got);
		if (fd == STDOUT_FILENO)
			stdout_was_closed = true;
	}
}

const char *tl_stdout_name(char *buf, size_t size)
{
	char path[512];
	ssize_t n = -1;
	if (!stdout_was_closed)
		n = readlink("/proc/self/fd/1", path, sizeof path - 1);
	if (stdout_was_closed)
		snprintf(buf, size, "standard output (closed)");
	else if (n > 0 && path[0] == '/')
		snprintf(buf, size, "standard output (%.*s)", (int)n, path);
	else
		snprintf(buf, size, "standard output");
	return buf;
}

int tl_stdout_close(void)
{
	char name[600];
	tl_stdout_name(name, sizeof name);      /* before fd 1 is closed */
	errno = 0;
	bool bad = fflush(stdout) != 0 || ferror(stdout);
	int err = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !bad) {
		bad = true;
		err = errno ? errno : EIO;
	}
	if (!bad || err == EPIPE)
		return 0;
	tl_warn("cannot write %s: %s", name, strerror(err));
	return TL_EXIT_WRITE;
}

void tl_set_fatal_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

static _Noreturn void out_of_memory(size_t size)
{
	if (fatal_hook)
		fatal_hook();
	fprintf(stderr, "%s: out of memory (asked for %zu bytes)\n", progname,
	        size);
	exit(3);
}

void *tl_xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *tl_xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *tl_xrealloc(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	size_t bytes = count * size;
	void *p = realloc(ptr, bytes ? bytes : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *tl_xgrow(void *ptr, uint32_t *cap, uint64_t need, uint32_t first,
               size_t size)
{
	if (need <= *cap)
		return ptr;
	uint64_t c = *cap ? *cap : first;
	while (c < need)
		c *= 2;
	if (c > UINT32_MAX) {
		if (need > UINT32_MAX)
			out_of_memory(SIZE_MAX);
		c = UINT32_MAX;
	}
	ptr = tl_xrealloc(ptr, (size_t)c, size);
	*cap = (uint32_t)c;
	return ptr;
}

char *tl_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = tl_xmalloc(n);
	memcpy(p, s, n);
	return p;
}

void tl_fatal(const char *fmt, ...)
{
	va_list ap;
	if (fatal_hook)
		fatal_hook();
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

void tl_warn(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

size_t tl_bappend(char *buf, size_t size, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (len >= size)
		return len;
	va_start(ap, fmt);
	int n = vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return len;
	len += (size_t)n;
	return len < size ? len : size - 1;
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* Exactly two digits, v < 100: one two-byte copy from the table. */
static char *put2(char *p, uint32_t v)
{
	memcpy(p, digit_pairs + 2 * v, 2);
	return p + 2;
}

/* One or two digits, no leading zero. */
static char *put1or2(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	return put2(p, v);
}

/* Exactly four digits, v < 10000. */
static char *put4(char *p, uint32_t v)
{
	return put2(put2(p, v / 100), v % 100);
}

/* Exactly six digits, v < 1000000: also the microseconds of a time. */
static char *put6(char *p, uint32_t v)
{
	return put4(put2(p, v / 10000), v % 10000);
}

/* Exactly eight digits, v < 100000000. */
static char *put8(char *p, uint32_t v)
{
	return put4(put4(p, v / 10000), v % 10000);
}

/* The leading one or two digits pick the width, and the rest are written
 * front to back at fixed widths: no digit count first, no reversal, and the
 * divisions by constants compile to multiplications. */
char *tl_put_u32(char *p, uint32_t v)
{
	if (v < 100)
		return put1or2(p, v);
	if (v < 10000)
		return put2(put1or2(p, v / 100), v % 100);
	if (v < 1000000)
		return put4(put1or2(p, v / 10000), v % 10000);
	if (v < 100000000)
		return put6(put1or2(p, v / 1000000), v % 1000000);
	return put8(put1or2(p, v / 100000000), v % 100000000);
}

char *tl_put_u64(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return tl_put_u32(p, (uint32_t)v);
	/* Rare: the high part, then the low eight digits zero-padded. */
	p = tl_put_u64(p, v / 100000000);
	return put8(p, (uint32_t)(v % 100000000));
}

size_t tl_utoa(uint64_t v, char *out)
{
	return (size_t)(tl_put_u64(out, v) - out);
}

int64_t tl_nsec_to_us(tl_nsec t)
{
	/* Round half up (towards +inf), also for times before the origin. */
	int64_t q = t / 1000, r = t % 1000;
	if (r < 0) {
		q -= 1;
		r += 1000;
	}
	return q + (r >= 500);
}

char *tl_put_us(char *p, int64_t us)
{
	uint64_t mag;
	if (us < 0) {
		*p++ = '-';
		mag = (uint64_t)(-(us + 1)) + 1;
	} else {
		mag = (uint64_t)us;
	}
	p = tl_put_u64(p, mag / 1000000);
	*p++ = '.';
	return put6(p, (uint32_t)(mag % 1000000));
}

size_t tl_format_us(int64_t us, char *out)
{
	return (size_t)(tl_put_us(out, us) - out);
}

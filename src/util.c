/* Allocation wrappers, fatal errors and fast number formatting. */
#include "config.h"

#include "tl_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *progname = "tcpladder";
static void (*fatal_hook)(void);

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

static unsigned digits32(uint32_t v)
{
	if (v < 100000)
		return v < 100 ? 1 + (v >= 10) : v < 1000 ? 3 : 4 + (v >= 10000);
	if (v < 10000000)
		return 6 + (v >= 1000000);
	return v < 100000000 ? 8 : 9 + (v >= 1000000000);
}

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324"
	"25262728293031323334353637383940414243444546474849"
	"50515253545556575859606162636465666768697071727374"
	"75767778798081828384858687888990919293949596979899";

/* Writes the n digits of v ending at out + n, two at a time. */
static void write32(uint32_t v, char *out, unsigned n)
{
	while (v >= 100) {
		unsigned r = (v % 100) * 2;
		v /= 100;
		out[--n] = digit_pairs[r + 1];
		out[--n] = digit_pairs[r];
	}
	if (v >= 10) {
		out[--n] = digit_pairs[v * 2 + 1];
		out[--n] = digit_pairs[v * 2];
	} else {
		out[--n] = (char)('0' + v);
	}
}

size_t tl_utoa(uint64_t v, char *out)
{
	if (v <= UINT32_MAX) {
		unsigned n = digits32((uint32_t)v);
		write32((uint32_t)v, out, n);
		return n;
	}
	/* Rare: split off the low nine digits. */
	size_t n = tl_utoa(v / 1000000000u, out);
	uint32_t low = (uint32_t)(v % 1000000000u);
	unsigned ld = digits32(low);
	for (unsigned i = 0; i < 9 - ld; i++)
		out[n + i] = '0';
	write32(low, out + n + 9 - ld, ld);
	return n + 9;
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

size_t tl_format_us(int64_t us, char *out)
{
	size_t n = 0;
	uint64_t mag;
	if (us < 0) {
		out[n++] = '-';
		mag = (uint64_t)(-(us + 1)) + 1;
	} else {
		mag = (uint64_t)us;
	}
	n += tl_utoa(mag / 1000000, out + n);
	out[n++] = '.';
	uint64_t frac = mag % 1000000;
	for (int i = 5; i >= 0; i--) {
		out[n + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	return n + 6;
}

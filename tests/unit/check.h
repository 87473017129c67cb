/* A tiny TAP harness for the unit tests: no framework, no allocation.
 *
 * A test is a function registered in a table; each CHECK inside it that
 * fails prints a diagnostic line ("# file:line: ...") and marks the test as
 * failed, but the test goes on so one run shows every mismatch. The runner
 * prints "1..N", then "ok N - name" or "not ok N - name # details", and
 * exits 1 if any test failed.
 *
 *   static void test_foo(void) { CHECK_UINT(1 + 1, 2); }
 *   static const struct check_test tests[] = { CHECK_TEST(test_foo) };
 *   int main(void) { return check_run(tests, CHECK_COUNT(tests)); }
 */
#ifndef CHECK_H
#define CHECK_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct check_test {
	const char *name;
	void (*fn)(void);
};

#define CHECK_TEST(fn) { #fn, fn }
#define CHECK_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Per-test state: how many checks failed, and the first failure's text for
 * the "not ok" line. */
static unsigned check_failures;
static char check_first[1024];
static const char *check_context;   /* optional: which step of a script */

static void check_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void check_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (check_failures++ == 0)
		snprintf(check_first, sizeof check_first, "%.100s:%d: %.100s%s%.700s",
		         file, line, check_context ? check_context : "",
		         check_context ? ": " : "", msg);
	printf("# %s:%d: %s%s%s\n", file, line,
	       check_context ? check_context : "", check_context ? ": " : "",
	       msg);
}

#define CHECK(cond) do { \
	if (!(cond)) \
		check_fail(__FILE__, __LINE__, "CHECK(%s) failed", #cond); \
} while (0)

#define CHECK_MSG(cond, ...) do { \
	if (!(cond)) \
		check_fail(__FILE__, __LINE__, __VA_ARGS__); \
} while (0)

#define CHECK_UINT(got, want) do { \
	uint64_t check_g_ = (uint64_t)(got), check_w_ = (uint64_t)(want); \
	if (check_g_ != check_w_) \
		check_fail(__FILE__, __LINE__, "%s: got %" PRIu64 \
		           " (0x%" PRIx64 "), want %" PRIu64 " (0x%" PRIx64 ")", \
		           #got, check_g_, check_g_, check_w_, check_w_); \
} while (0)

#define CHECK_INT(got, want) do { \
	int64_t check_g_ = (int64_t)(got), check_w_ = (int64_t)(want); \
	if (check_g_ != check_w_) \
		check_fail(__FILE__, __LINE__, "%s: got %" PRId64 \
		           ", want %" PRId64, #got, check_g_, check_w_); \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *check_g_ = (got), *check_w_ = (want); \
	if (strcmp(check_g_, check_w_) != 0) \
		check_fail(__FILE__, __LINE__, "%s: got \"%s\", want \"%s\"", \
		           #got, check_g_, check_w_); \
} while (0)

static int check_run(const struct check_test *tests, size_t count)
{
	unsigned failed = 0;
	/* Unbuffered order between our lines and sanitizer reports. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("1..%zu\n", count);
	for (size_t i = 0; i < count; i++) {
		check_failures = 0;
		check_first[0] = '\0';
		check_context = NULL;
		tests[i].fn();
		if (check_failures) {
			failed++;
			printf("not ok %zu - %s # %u failed check%s; first: %s\n",
			       i + 1, tests[i].name, check_failures,
			       check_failures == 1 ? "" : "s", check_first);
		} else {
			printf("ok %zu - %s\n", i + 1, tests[i].name);
		}
	}
	if (failed)
		printf("# %u of %zu tests failed\n", failed, count);
	return failed ? 1 : 0;
}

#endif

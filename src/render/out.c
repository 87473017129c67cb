/* Buffered output to a file descriptor: a closed pipe ends it quietly,
 * any other failed write is reported once at the end. */
#include "config.h"

#include "tl_render.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "tl_util.h"

void tl_out_init(struct tl_out *o, int fd, bool line_flush)
{
	o->fd = fd;
	o->line_flush = line_flush;
	o->failed = false;
	o->error = 0;
	o->len = 0;
}

void tl_out_flush(struct tl_out *o)
{
	size_t done = 0;
	while (done < o->len && !o->failed) {
		ssize_t n = write(o->fd, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* EPIPE from '| head' is the reader's choice; ENOSPC,
			 * EIO, EBADF ('>&-') lose output and must be said. */
			o->failed = true;
			o->error = n < 0 ? errno : EIO;
		} else {
			done += (size_t)n;
		}
	}
	o->len = 0;
}

void tl_out_write(struct tl_out *o, const char *s, size_t n)
{
	while (n) {
		if (o->len == sizeof o->buf)
			tl_out_flush(o);
		size_t room = sizeof o->buf - o->len;
		size_t take = n < room ? n : room;
		memcpy(o->buf + o->len, s, take);
		o->len += take;
		s += take;
		n -= take;
	}
}

char *tl_out_reserve(struct tl_out *o, size_t n)
{
	if (sizeof o->buf - o->len < n)
		tl_out_flush(o);
	return o->buf + o->len;
}

void tl_out_commit(struct tl_out *o, const char *end)
{
	o->len = (size_t)(end - o->buf);
}

void tl_out_str(struct tl_out *o, const char *s)
{
	tl_out_write(o, s, strlen(s));
}

void tl_out_end_line(struct tl_out *o)
{
	tl_out_write(o, "\n", 1);
	if (o->line_flush || o->len > sizeof o->buf - 4096)
		tl_out_flush(o);
}

int tl_out_finish(struct tl_out *o, const char *what)
{
	tl_out_flush(o);
	if (!o->failed || o->error == EPIPE)
		return 0;
	tl_warn("cannot write %s: %s", what, strerror(o->error));
	return TL_EXIT_WRITE;
}

static ssize_t fdfile_write(void *cookie, const char *buf, size_t n)
{
	struct tl_fdfile *s = cookie;
	size_t done = 0;
	while (done < n && !s->error) {
		ssize_t w = write(s->fd, buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			s->error = w < 0 ? errno : EIO;
		else
			done += (size_t)w;
	}
	return s->error ? 0 : (ssize_t)n;   /* 0: stdio's "failed" */
}

FILE *tl_fdfile_open(struct tl_fdfile *s, int fd)
{
	s->fd = fd;
	s->error = 0;
	return fopencookie(s, "w", (cookie_io_functions_t){
		.write = fdfile_write,
	});
}

int tl_fdfile_close(FILE *f, struct tl_fdfile *s, const char *what)
{
	if (fclose(f) != 0 && !s->error)
		s->error = errno ? errno : EIO;
	if (!s->error || s->error == EPIPE)
		return 0;
	tl_warn("cannot write %s: %s", what, strerror(s->error));
	return TL_EXIT_WRITE;
}

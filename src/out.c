/* Buffered output to a file descriptor that survives a closed pipe. */
#include "config.h"

#include "tl_render.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void tl_out_init(struct tl_out *o, int fd, bool line_flush)
{
	o->fd = fd;
	o->line_flush = line_flush;
	o->failed = false;
	o->err = 0;
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
			o->failed = true;   /* EPIPE from '| head': stop quietly */
			o->err = n < 0 ? errno : ENOSPC;
		}
		else
			done += (size_t)n;
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

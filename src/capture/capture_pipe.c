/* A pipe (-r - after tcpdump -w -, a FIFO): the stream libpcap or our
 * pcapng reader reads. Its reads also watch a stop pipe, so that stopping
 * the thread that reads it (frame_queue.c) never waits for the writer and
 * needs no thread cancellation; and a read that would wait for the writer
 * first hands what was read so far to the caller (tl_fq_idle_here). */
#include "config.h"

#include "capture_pipe.h"
#include "frame_queue.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PIPE_STREAM_BUFFER (256u << 10)

/* The pipe (the stream's cookie) and the stop pipe that ends a read. */
struct tl_pipe {
	int fd;
	bool own;               /* opened here (a FIFO path), not stdin */
	int stop[2];
	uint8_t pre[8];         /* read by tl_pipe_peek(), not yet the stream's */
	uint8_t pre_len, pre_at;
};

static ssize_t fd_read(struct tl_pipe *pipe, char *buf, size_t size)
{
	struct pollfd now = { .fd = pipe->fd, .events = POLLIN };
	if (poll(&now, 1, 0) == 0)
		tl_fq_idle_here();      /* about to wait for the writer */
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = pipe->fd, .events = POLLIN },
			{ .fd = pipe->stop[0], .events = POLLIN },
		};
		if (poll(pfd, 2, -1) < 0)
			return -1;      /* EINTR too, as a plain read() */
		if (pfd[1].revents) {
			errno = ECANCELED;
			return -1;
		}
		ssize_t n = read(pipe->fd, buf, size);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
	}
}

static void pipe_free(struct tl_pipe *pipe)
{
	if (pipe->own && pipe->fd >= 0)
		close(pipe->fd);
	for (int i = 0; i < 2; i++)
		if (pipe->stop[i] >= 0)
			close(pipe->stop[i]);
	free(pipe);
}

/* What tl_pipe_peek() read comes first. */
static ssize_t pipe_in_read(void *cookie, char *buf, size_t size)
{
	struct tl_pipe *pipe = cookie;
	if (pipe->pre_at < pipe->pre_len) {
		size_t n = (size_t)(pipe->pre_len - pipe->pre_at);
		if (n > size)
			n = size;
		memcpy(buf, pipe->pre + pipe->pre_at, n);
		pipe->pre_at = (uint8_t)(pipe->pre_at + n);
		return (ssize_t)n;
	}
	return fd_read(pipe, buf, size);
}

/* The stream is closed once the thread reading it has stopped
 * (tl_capture_close): nothing reads any more. */
static int pipe_in_close(void *cookie)
{
	pipe_free(cookie);
	return 0;
}

FILE *tl_pipe_open(struct tl_pipe **pipe, const char *path)
{
	bool std = strcmp(path, "-") == 0;
	struct stat st;
	*pipe = NULL;
	if ((std ? fstat(STDIN_FILENO, &st) : stat(path, &st)) != 0 ||
	    S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return NULL;
	struct tl_pipe *p = tl_xcalloc(1, sizeof *p);
	p->stop[0] = p->stop[1] = -1;
	p->own = !std;
	p->fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	static const cookie_io_functions_t io = {
		.read = pipe_in_read,
		.close = pipe_in_close,
	};
	FILE *f = NULL;
	if (p->fd >= 0 && pipe2(p->stop, O_CLOEXEC) == 0)
		f = fopencookie(p, "rb", io);
	if (!f) {
		pipe_free(p);
		return NULL;
	}
	/* Each refill of the stream's buffer costs two polls and a read:
	 * stdio's 8 KiB made that most of a fast writer's cost. A refill
	 * still returns what one read() gave, never waiting to fill it. */
	setvbuf(f, NULL, _IOFBF, PIPE_STREAM_BUFFER);
	*pipe = p;
	return f;
}

bool tl_pipe_peek(struct tl_pipe *pipe, uint8_t *b, size_t n)
{
	if (n > sizeof pipe->pre || pipe->pre_len)
		return false;
	/* Read through the stream's own read (it waits the same way), not
	 * the stream: its buffer would keep what follows. */
	while (pipe->pre_len < n) {
		ssize_t got = fd_read(pipe, (char *)pipe->pre +
		                           pipe->pre_len, n - pipe->pre_len);
		if (got <= 0)
			break;
		pipe->pre_len = (uint8_t)(pipe->pre_len + got);
	}
	memcpy(b, pipe->pre, pipe->pre_len);
	return pipe->pre_len == n;
}

void tl_pipe_wake(struct tl_pipe *pipe)
{
	/* The byte stays: every later read of the stream ends too. */
	if (write(pipe->stop[1], "", 1) < 0) {
		/* a full pipe: a byte is there already */
	}
}

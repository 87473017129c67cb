/* A pipe (-r - after tcpdump -w -, a FIFO) is read by a thread of its own:
 * libpcap reads files with blocking reads, which would hold the caller while
 * the writer pauses, and a signal (a terminal resize) would cut such a read
 * short into a read error. The thread blocks every signal, and
 * tl_pipe_next() waits at most PIPE_WAIT_MS for its next frame. libpcap
 * reads the pipe through a stream whose reads also watch a stop pipe, so
 * stopping never waits for the writer (and needs no thread cancellation). */
#include "config.h"

#include "capture_pipe.h"
#include "capture_pcapng.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PIPE_SLOTS 256
#define PIPE_BYTES (4u << 20)   /* at most this much queued (and one frame) */
#define PIPE_KEEP 2048          /* a slot keeps a buffer this big between uses */
#define PIPE_WAIT_MS 50
#define PIPE_STREAM_BUFFER (256u << 10)

struct pipe_slot {
	struct pcap_pkthdr hdr;
	u_char *data;
	size_t size;
	/* read by our pcapng reader: the frame's own link type, interface
	 * and time (hdr then holds only the lengths) */
	int dlt;
	uint32_t ifindex;
	tl_nsec ts;
};

/* Frames read from a pipe, oldest at head. tl_pipe_next() takes them
 * without the lock as long as it knows they are there (ready), and gives
 * the slots it took back the next time it takes the lock. */
struct pipe_reader {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct pipe_slot slot[PIPE_SLOTS];
	unsigned head, count;   /* the thread writes at head + count */
	size_t bytes;           /* queued */
	unsigned taken, ready;  /* tl_pipe_next()'s own */
	size_t taken_bytes;
	bool taker_waits;       /* tl_pipe_next() waits for frames */
	bool reader_waits;      /* the thread waits for room */
	bool done;              /* the thread has stopped: rc says why */
	bool quit;              /* asked to stop */
	int rc;
	char err[PCAP_ERRBUF_SIZE];
};

/* The pipe libpcap reads (the stream's cookie), the stop pipe that ends a
 * read, and the thread once started. */
struct tl_pipe {
	int fd;
	bool own;               /* opened here (a FIFO path), not stdin */
	int stop[2];
	pcap_t *pcap;
	struct tl_pcapng *ng;   /* instead of pcap: a pcapng stream */
	uint8_t pre[8];         /* read by tl_pipe_peek(), not yet the stream's */
	uint8_t pre_len, pre_at;
	struct pipe_reader *pr;
	volatile sig_atomic_t broken;   /* tl_pipe_break() */
};

/* The thread's next read would wait for the writer: what is queued is
 * wanted now. */
static void pipe_idle(struct tl_pipe *pipe)
{
	struct pipe_reader *pr = pipe->pr;
	if (!pr)
		return;     /* opening, or read by the caller: no thread */
	pthread_mutex_lock(&pr->lock);
	if (pr->taker_waits && pr->count)
		pthread_cond_signal(&pr->more);
	pthread_mutex_unlock(&pr->lock);
}

static ssize_t fd_read(struct tl_pipe *pipe, char *buf, size_t size)
{
	struct pollfd now = { .fd = pipe->fd, .events = POLLIN };
	if (poll(&now, 1, 0) == 0)
		pipe_idle(pipe);        /* about to wait for the writer */
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

/* The stream is closed after tl_pipe_stop(): nothing reads any more. */
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

/* Waits for room for a frame of caplen, or to be asked to stop. Under the
 * lock. */
static void wait_room(struct pipe_reader *pr, bpf_u_int32 caplen)
{
	while (!pr->quit && (pr->count == PIPE_SLOTS ||
	       (pr->count && pr->bytes + caplen > PIPE_BYTES))) {
		pr->reader_waits = true;
		pthread_cond_wait(&pr->room, &pr->lock);
		pr->reader_waits = false;
	}
}

static void enqueue(struct pipe_reader *pr, const struct pcap_pkthdr *hdr,
                    const u_char *data)
{
	struct pipe_slot *s = &pr->slot[(pr->head + pr->count) % PIPE_SLOTS];
	/* Always a buffer, for an empty record too (a pcapng custom
	 * block): the frame's data is never NULL. */
	if (!s->data || s->size < hdr->caplen ||
	    (s->size > PIPE_KEEP && hdr->caplen <= PIPE_KEEP)) {
		free(s->data);
		s->size = hdr->caplen > PIPE_KEEP ? hdr->caplen : PIPE_KEEP;
		s->data = tl_xmalloc(s->size);
	}
	memcpy(s->data, data, hdr->caplen);
	s->hdr = *hdr;
	pr->count++;
	pr->bytes += hdr->caplen;
}

/* The next frame from our pcapng reader, as pcap_next_ex() says it
 * (1, PCAP_ERROR_BREAK at the end, -1 with err). */
static int pcapng_next_ex(struct tl_pipe *pipe, struct pcap_pkthdr *hdr,
                          const u_char **data, struct tl_frame *frame,
                          uint32_t *ifindex)
{
	switch (tl_pcapng_next(pipe->ng, frame, ifindex)) {
	case TL_NEXT_FRAME:
		memset(hdr, 0, sizeof *hdr);
		hdr->caplen = frame->caplen;
		hdr->len = frame->len;
		*data = frame->data;
		return 1;
	case TL_NEXT_END:
		return PCAP_ERROR_BREAK;
	default:
		return -1;
	}
}

static void *pipe_read_loop(void *arg)
{
	struct tl_pipe *pipe = arg;
	struct pipe_reader *pr = pipe->pr;
	for (;;) {
		struct pcap_pkthdr *hdr, ng_hdr;
		const u_char *data;
		struct tl_frame frame = { 0 };
		uint32_t ifindex = 0;
		/* Blocks until the writer writes, or tl_pipe_stop(). */
		int rc;
		if (pipe->ng) {
			rc = pcapng_next_ex(pipe, &ng_hdr, &data, &frame,
			                    &ifindex);
			hdr = &ng_hdr;
		} else {
			rc = pcap_next_ex(pipe->pcap, &hdr, &data);
		}
		pthread_mutex_lock(&pr->lock);
		if (rc == 1)
			wait_room(pr, hdr->caplen);
		if (pr->quit) {
			pr->done = true;
			pthread_mutex_unlock(&pr->lock);
			return NULL;
		}
		if (rc == 1) {
			struct pipe_slot *s = &pr->slot[(pr->head + pr->count) %
			                                PIPE_SLOTS];
			s->dlt = frame.dlt;
			s->ifindex = ifindex;
			s->ts = frame.ts;
			enqueue(pr, hdr, data);
		} else if (rc < 0) {
			pr->rc = rc;
			snprintf(pr->err, sizeof pr->err, "%s",
			         pipe->ng ? tl_pcapng_error(pipe->ng)
			                  : pcap_geterr(pipe->pcap));
			pr->done = true;
		}
		/* Woken for half a queue at a time, not every frame; frames
		 * that wait for the writer are handed on by pipe_idle(). */
		if (pr->taker_waits && (rc < 0 || pr->count >= PIPE_SLOTS / 2))
			pthread_cond_signal(&pr->more);
		pthread_mutex_unlock(&pr->lock);
		if (rc < 0)
			return NULL;
	}
}

static void reader_free(struct pipe_reader *pr)
{
	for (unsigned i = 0; i < PIPE_SLOTS; i++)
		free(pr->slot[i].data);
	pthread_cond_destroy(&pr->more);
	pthread_cond_destroy(&pr->room);
	pthread_mutex_destroy(&pr->lock);
	free(pr);
}

bool tl_pipe_start_pcapng(struct tl_pipe *pipe, struct tl_pcapng *ng)
{
	pipe->ng = ng;
	if (tl_pipe_start(pipe, NULL))
		return true;
	pipe->ng = NULL;
	return false;
}

bool tl_pipe_start(struct tl_pipe *pipe, pcap_t *pcap)
{
	struct pipe_reader *pr = tl_xcalloc(1, sizeof *pr);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&pr->lock, NULL);
	pthread_cond_init(&pr->more, &ca);
	pthread_cond_init(&pr->room, NULL);
	pthread_condattr_destroy(&ca);
	pipe->pcap = pcap;
	pipe->pr = pr;
	/* Signals stay with the caller's threads: none interrupts a read. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&pr->thread, NULL, pipe_read_loop, pipe);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return true;
	reader_free(pr);
	pipe->pr = NULL;
	return false;
}

void tl_pipe_stop(struct tl_pipe *pipe)
{
	struct pipe_reader *pr = pipe->pr;
	if (!pr)
		return;
	pthread_mutex_lock(&pr->lock);
	pr->quit = true;
	pthread_cond_broadcast(&pr->room);
	pthread_mutex_unlock(&pr->lock);
	/* Ends a read waiting for the writer: libpcap gets an error, the
	 * thread sees quit. */
	if (write(pipe->stop[1], "", 1) < 0) {
		/* a full pipe: a byte is there already */
	}
	pthread_join(pr->thread, NULL);
	reader_free(pr);
	pipe->pr = NULL;
}

/* Gives back the slots taken since the last look (often enough that the
 * thread need not stop). Under the lock. */
static void give_back(struct pipe_reader *pr)
{
	pr->head = (pr->head + pr->taken) % PIPE_SLOTS;
	pr->count -= pr->taken;
	pr->bytes -= pr->taken_bytes;
	pr->taken = 0;
	pr->taken_bytes = 0;
	if (pr->reader_waits)
		pthread_cond_signal(&pr->room);
}

/* Waits a little for the thread's next frames. Under the lock. */
static void wait_more(struct pipe_reader *pr)
{
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += PIPE_WAIT_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pr->taker_waits = true;
	pthread_cond_timedwait(&pr->more, &pr->lock, &until);
	pr->taker_waits = false;
}

/* Sees what has come, waiting a little if nothing has; TL_NEXT_FRAME when
 * there is something to take. */
static enum tl_next look(struct tl_pipe *pipe)
{
	struct pipe_reader *pr = pipe->pr;
	pthread_mutex_lock(&pr->lock);
	give_back(pr);
	if (!pr->count && !pr->done)
		wait_more(pr);
	pr->ready = pr->count;
	enum tl_next next = TL_NEXT_FRAME;
	if (!pr->ready)
		next = !pr->done ? TL_NEXT_TIMEOUT
		     : pr->rc == PCAP_ERROR_BREAK ? TL_NEXT_END
		                                  : TL_NEXT_ERROR;
	pthread_mutex_unlock(&pr->lock);
	if (next != TL_NEXT_FRAME && pipe->broken)
		return TL_NEXT_END;
	return next;
}

/* The next queued slot, or NULL with *next saying why none. */
static struct pipe_slot *take(struct tl_pipe *pipe, enum tl_next *next)
{
	struct pipe_reader *pr = pipe->pr;
	*next = TL_NEXT_END;
	if (pipe->broken)
		return NULL;
	if (!pr->ready || pr->taken >= PIPE_SLOTS / 4) {
		*next = look(pipe);
		if (*next != TL_NEXT_FRAME)
			return NULL;
	}
	/* Queued slots are the thread's no more until given back: the frame
	 * stays valid until the next call. */
	struct pipe_slot *s = &pr->slot[(pr->head + pr->taken) % PIPE_SLOTS];
	pr->taken++;
	pr->taken_bytes += s->hdr.caplen;
	pr->ready--;
	*next = TL_NEXT_FRAME;
	return s;
}

enum tl_next tl_pipe_next(struct tl_pipe *pipe,
                          const struct pcap_pkthdr **hdr,
                          const u_char **data)
{
	enum tl_next next;
	struct pipe_slot *s = take(pipe, &next);
	if (s) {
		*hdr = &s->hdr;
		*data = s->data;
	}
	return next;
}

enum tl_next tl_pipe_next_pcapng(struct tl_pipe *pipe,
                                 struct tl_frame *frame, uint32_t *ifindex)
{
	enum tl_next next;
	struct pipe_slot *s = take(pipe, &next);
	if (s) {
		frame->data = s->data;
		frame->caplen = s->hdr.caplen;
		frame->len = s->hdr.len;
		frame->ts = s->ts;
		frame->dlt = s->dlt;
		*ifindex = s->ifindex;
	}
	return next;
}

/* Read once tl_pipe_next() said TL_NEXT_ERROR: the thread has stopped and
 * writes it no more. */
const char *tl_pipe_error(const struct tl_pipe *pipe)
{
	return pipe->pr ? pipe->pr->err : "";
}

void tl_pipe_break(struct tl_pipe *pipe)
{
	pipe->broken = 1;   /* from a signal handler: a flag only */
}

/* libpcap: open a file, standard input or a device; read frames; save them.
 *
 * A pipe (-r - after tcpdump -w -, a FIFO) is read by a thread of its own:
 * libpcap reads files with blocking reads, which would hold the caller while
 * the writer pauses, and a signal (a terminal resize) would cut such a read
 * short into a read error. The thread blocks every signal, and
 * tl_capture_next() waits at most PIPE_WAIT_MS for its next frame. libpcap
 * reads the pipe through a stream whose reads also watch a stop pipe, so
 * closing never waits for the writer (and needs no thread cancellation). */
#include "config.h"

#include "tl_capture.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tl_decode.h"

#define LIVE_TIMEOUT_MS 100
#define PIPE_SLOTS 256
#define PIPE_BYTES (4u << 20)   /* at most this much queued (and one frame) */
#define PIPE_KEEP 2048          /* a slot keeps a buffer this big between uses */
#define PIPE_WAIT_MS 50

struct pipe_slot {
	struct pcap_pkthdr hdr;
	u_char *data;
	size_t size;
};

/* Frames read from a pipe, oldest at head. tl_capture_next() takes them
 * without the lock as long as it knows they are there (ready), and gives
 * the slots it took back the next time it takes the lock. */
struct pipe_reader {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more, room;
	struct pipe_slot slot[PIPE_SLOTS];
	unsigned head, count;   /* the thread writes at head + count */
	size_t bytes;           /* queued */
	unsigned taken, ready;  /* tl_capture_next()'s own */
	size_t taken_bytes;
	bool taker_waits;       /* tl_capture_next() waits for frames */
	bool reader_waits;      /* the thread waits for room */
	bool done;              /* the thread has stopped: rc says why */
	bool quit;              /* asked to stop */
	int rc;
	char err[PCAP_ERRBUF_SIZE];
};

/* The pipe libpcap reads, and the stop pipe that ends a read. */
struct pipe_in {
	int fd;
	bool own;               /* opened here (a FIFO path), not stdin */
	int stop[2];
	struct tl_capture *cap;
};

struct tl_capture {
	pcap_t *pcap;
	bool live;
	struct pipe_in *in;
	struct pipe_reader *pr;
	volatile sig_atomic_t broken;   /* tl_capture_break() on a pipe */
	char device[IF_NAMESIZE];       /* live, for tl_capture_link_down */
	int link_fd;                    /* a socket to ask the flags with */
	bool link_down;
	int64_t link_checked_ms;
	int dlt;
	tl_nsec ts_unit;        /* nanoseconds per tick of ts.tv_usec */
	pcap_dumper_t *dumper;
	char *write_final;
	char *write_temp;
	char err[PCAP_ERRBUF_SIZE + 256];
};

static tl_nsec frame_time(const struct tl_capture *cap,
                          const struct pcap_pkthdr *hdr);
static void pipe_idle(struct tl_capture *cap);

static void set_err(char *err, size_t size, const char *fmt, const char *a,
                    const char *b)
{
	snprintf(err, size, fmt, a, b ? b : "");
}

static ssize_t pipe_in_read(void *cookie, char *buf, size_t size)
{
	struct pipe_in *in = cookie;
	struct pollfd now = { .fd = in->fd, .events = POLLIN };
	if (poll(&now, 1, 0) == 0)
		pipe_idle(in->cap);     /* about to wait for the writer */
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = in->fd, .events = POLLIN },
			{ .fd = in->stop[0], .events = POLLIN },
		};
		if (poll(pfd, 2, -1) < 0)
			return -1;      /* EINTR too, as a plain read() */
		if (pfd[1].revents) {
			errno = ECANCELED;
			return -1;
		}
		ssize_t n = read(in->fd, buf, size);
		if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return n;
	}
}

static int pipe_in_close(void *cookie)
{
	struct pipe_in *in = cookie;
	if (in->own && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	return 0;
}

static void pipe_in_free(struct tl_capture *cap)
{
	struct pipe_in *in = cap->in;
	if (!in)
		return;
	if (in->own && in->fd >= 0)
		close(in->fd);
	for (int i = 0; i < 2; i++)
		if (in->stop[i] >= 0)
			close(in->stop[i]);
	free(in);
	cap->in = NULL;
}

/* A stream over standard input or a path that is a pipe, FIFO, socket or
 * device; NULL for a regular file (or if none can be made: libpcap then
 * opens the input itself). */
static FILE *pipe_input(struct tl_capture *cap, const char *path)
{
	bool std = strcmp(path, "-") == 0;
	struct stat st;
	if ((std ? fstat(STDIN_FILENO, &st) : stat(path, &st)) != 0 ||
	    S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
		return NULL;
	struct pipe_in *in = tl_xcalloc(1, sizeof *in);
	in->stop[0] = in->stop[1] = -1;
	in->own = !std;
	in->cap = cap;
	in->fd = std ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	cap->in = in;
	static const cookie_io_functions_t io = {
		.read = pipe_in_read,
		.close = pipe_in_close,
	};
	FILE *f = NULL;
	if (in->fd >= 0 && pipe2(in->stop, O_CLOEXEC) == 0)
		f = fopencookie(in, "rb", io);
	if (!f)
		pipe_in_free(cap);
	return f;
}

static pcap_t *open_file(struct tl_capture *cap, const char *path,
                         char *err, size_t errsize)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct stat st;
	if (strcmp(path, "-") != 0) {
		if (stat(path, &st) != 0) {
			set_err(err, errsize, "cannot read %s: %s", path,
			        strerror(errno));
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			set_err(err, errsize, "cannot read %s: %s", path,
			        "it is a directory");
			return NULL;
		}
	}
	FILE *in = pipe_input(cap, path);
	pcap_t *p = in ? pcap_fopen_offline_with_tstamp_precision(
	                         in, PCAP_TSTAMP_PRECISION_NANO, ebuf)
	               : pcap_open_offline_with_tstamp_precision(
	                         path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (p)
		return p;
	if (in) {
		fclose(in);
		pipe_in_free(cap);
	}
	if (strstr(ebuf, "unknown file format") ||
	    strstr(ebuf, "bad dump file format"))
		set_err(err, errsize,
		        "%s is not a capture file libpcap can read "
		        "(expected pcap or pcapng): %s", path, ebuf);
	else if (strstr(ebuf, "truncated") || strstr(ebuf, "too short"))
		set_err(err, errsize, "%s is cut short before its first "
		        "packet: %s", path, ebuf);
	else
		set_err(err, errsize, "cannot read %s: %s", path, ebuf);
	return NULL;
}

static const char *activate_hint(int status)
{
	switch (status) {
	case PCAP_ERROR_PERM_DENIED:
		return " (live capture needs root or CAP_NET_RAW: try sudo, or "
		       "setcap cap_net_raw,cap_net_admin+eip on the binary)";
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return " (list interfaces with 'ip link')";
	case PCAP_ERROR_IFACE_NOT_UP:
		return " (bring it up with 'ip link set DEV up')";
	default:
		return "";
	}
}

static pcap_t *open_live(const struct tl_capture_config *cfg, char *err,
                         size_t errsize)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(cfg->device, ebuf);
	if (!p) {
		set_err(err, errsize, "cannot capture on %s: %s", cfg->device,
		        ebuf);
		return NULL;
	}
	pcap_set_snaplen(p, cfg->snaplen > 0 ? cfg->snaplen
	                                     : TL_DEFAULT_SNAPLEN);
	pcap_set_promisc(p, cfg->promisc);
	pcap_set_timeout(p, LIVE_TIMEOUT_MS);
	/* Segments must show up as they happen, and a lab transfer on a veth
	 * must not overflow the kernel buffer. */
	pcap_set_immediate_mode(p, 1);
	pcap_set_buffer_size(p, (cfg->buffer_kib > 0 ? cfg->buffer_kib
	                                             : TL_DEFAULT_BUFFER_KIB) * 1024);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int status = pcap_activate(p);
	if (status < 0) {
		const char *why = pcap_geterr(p);
		char msg[PCAP_ERRBUF_SIZE + 64];
		snprintf(msg, sizeof msg, "%s%s",
		         why && *why ? why : pcap_statustostr(status),
		         activate_hint(status));
		set_err(err, errsize, "cannot capture on %s: %s", cfg->device,
		        msg);
		pcap_close(p);
		return NULL;
	}
	return p;
}

static bool apply_filter(pcap_t *p, const char *filter, char *err,
                         size_t errsize)
{
	struct bpf_program prog;
	if (!filter || !*filter)
		return true;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errsize, "bad filter expression '%s': %s", filter,
		         pcap_geterr(p));
		return false;
	}
	int rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errsize, "cannot apply filter '%s': %s", filter,
		         pcap_geterr(p));
		return false;
	}
	return true;
}

/* -w writes to a temporary name and renames at the end, so an interrupted
 * run never leaves half a file under the name the user asked for. */
static bool open_writer(struct tl_capture *cap,
                        const struct tl_capture_config *cfg, char *err,
                        size_t errsize)
{
	struct stat st;
	if (!cfg->force_write && stat(cfg->write_file, &st) == 0) {
		set_err(err, errsize, "%s exists: not writing over it "
		        "(use --force)%s", cfg->write_file, NULL);
		return false;
	}
	size_t n = strlen(cfg->write_file) + 16;
	cap->write_temp = tl_xmalloc(n);
	snprintf(cap->write_temp, n, "%s.partXXXXXX", cfg->write_file);
	int fd = mkstemp(cap->write_temp);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		set_err(err, errsize, "cannot write %s: %s", cfg->write_file,
		        strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	cap->dumper = pcap_dump_fopen(cap->pcap, f);
	if (!cap->dumper) {
		set_err(err, errsize, "cannot write %s: %s", cfg->write_file,
		        pcap_geterr(cap->pcap));
		fclose(f);
		unlink(cap->write_temp);
		return false;
	}
	cap->write_final = tl_xstrdup(cfg->write_file);
	return true;
}

static void *pipe_read_loop(void *arg)
{
	struct tl_capture *cap = arg;
	struct pipe_reader *pr = cap->pr;
	for (;;) {
		struct pcap_pkthdr *hdr;
		const u_char *data;
		/* Blocks until the writer writes, or pipe_stop(). */
		int rc = pcap_next_ex(cap->pcap, &hdr, &data);
		pthread_mutex_lock(&pr->lock);
		while (rc == 1 && !pr->quit && (pr->count == PIPE_SLOTS ||
		       (pr->count && pr->bytes + hdr->caplen > PIPE_BYTES))) {
			pr->reader_waits = true;
			pthread_cond_wait(&pr->room, &pr->lock);
			pr->reader_waits = false;
		}
		if (pr->quit) {
			pr->done = true;
			pthread_mutex_unlock(&pr->lock);
			return NULL;
		}
		if (rc == 1) {
			struct pipe_slot *s =
				&pr->slot[(pr->head + pr->count) % PIPE_SLOTS];
			if (s->size < hdr->caplen ||
			    (s->size > PIPE_KEEP && hdr->caplen <= PIPE_KEEP)) {
				free(s->data);
				s->size = hdr->caplen > PIPE_KEEP ? hdr->caplen
				                                  : PIPE_KEEP;
				s->data = tl_xmalloc(s->size);
			}
			memcpy(s->data, data, hdr->caplen);
			s->hdr = *hdr;
			pr->count++;
			pr->bytes += hdr->caplen;
		} else if (rc < 0) {
			pr->rc = rc;
			snprintf(pr->err, sizeof pr->err, "%s",
			         pcap_geterr(cap->pcap));
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

/* A reader thread for a pipe; false (reads stay in the caller) if none
 * can be made. */
static bool pipe_start(struct tl_capture *cap)
{
	struct pipe_reader *pr = tl_xcalloc(1, sizeof *pr);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&pr->lock, NULL);
	pthread_cond_init(&pr->more, &ca);
	pthread_cond_init(&pr->room, NULL);
	pthread_condattr_destroy(&ca);
	cap->pr = pr;
	/* Signals stay with the caller's threads: none interrupts a read. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&pr->thread, NULL, pipe_read_loop, cap);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc == 0)
		return true;
	pthread_cond_destroy(&pr->more);
	pthread_cond_destroy(&pr->room);
	pthread_mutex_destroy(&pr->lock);
	free(pr);
	cap->pr = NULL;
	return false;
}

/* The thread's next read would wait for the writer: what is queued is
 * wanted now. */
static void pipe_idle(struct tl_capture *cap)
{
	struct pipe_reader *pr = cap->pr;
	if (!pr)
		return;     /* opening: no thread yet */
	pthread_mutex_lock(&pr->lock);
	if (pr->taker_waits && pr->count)
		pthread_cond_signal(&pr->more);
	pthread_mutex_unlock(&pr->lock);
}

static void pipe_stop(struct tl_capture *cap)
{
	struct pipe_reader *pr = cap->pr;
	pthread_mutex_lock(&pr->lock);
	pr->quit = true;
	pthread_cond_broadcast(&pr->room);
	pthread_mutex_unlock(&pr->lock);
	/* Ends a read waiting for the writer: libpcap gets an error, the
	 * thread sees quit. */
	if (write(cap->in->stop[1], "", 1) < 0) {
		/* a full pipe: a byte is there already */
	}
	pthread_join(pr->thread, NULL);
	for (unsigned i = 0; i < PIPE_SLOTS; i++)
		free(pr->slot[i].data);
	pthread_cond_destroy(&pr->more);
	pthread_cond_destroy(&pr->room);
	pthread_mutex_destroy(&pr->lock);
	free(pr);
	cap->pr = NULL;
}

static enum tl_next pipe_next(struct tl_capture *cap, struct tl_frame *frame)
{
	struct pipe_reader *pr = cap->pr;
	if (cap->broken)
		return TL_NEXT_END;
	if (!pr->ready || pr->taken >= PIPE_SLOTS / 4) {
		/* Give back the slots taken since the last look (often
		 * enough that the thread need not stop), then see what has
		 * come, waiting a little if nothing has. */
		pthread_mutex_lock(&pr->lock);
		pr->head = (pr->head + pr->taken) % PIPE_SLOTS;
		pr->count -= pr->taken;
		pr->bytes -= pr->taken_bytes;
		pr->taken = 0;
		pr->taken_bytes = 0;
		if (pr->reader_waits)
			pthread_cond_signal(&pr->room);
		if (!pr->count && !pr->done) {
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
		pr->ready = pr->count;
		enum tl_next next = TL_NEXT_TIMEOUT;
		if (!pr->ready && pr->done) {
			next = pr->rc == PCAP_ERROR_BREAK ? TL_NEXT_END
			                                  : TL_NEXT_ERROR;
			snprintf(cap->err, sizeof cap->err, "%s", pr->err);
		}
		pthread_mutex_unlock(&pr->lock);
		if (!pr->ready)
			return cap->broken ? TL_NEXT_END : next;
	}
	/* Queued slots are the thread's no more until given back: the frame
	 * stays valid until the next call. */
	struct pipe_slot *s = &pr->slot[(pr->head + pr->taken) % PIPE_SLOTS];
	pr->taken++;
	pr->taken_bytes += s->hdr.caplen;
	pr->ready--;
	frame->data = s->data;
	frame->caplen = s->hdr.caplen;
	frame->len = s->hdr.len;
	frame->ts = frame_time(cap, &s->hdr);
	if (cap->dumper)
		pcap_dump((u_char *)cap->dumper, &s->hdr, s->data);
	return TL_NEXT_FRAME;
}

struct tl_capture *tl_capture_open(const struct tl_capture_config *cfg,
                                   char *err, size_t errsize)
{
	struct tl_capture *cap = tl_xcalloc(1, sizeof *cap);
	cap->live = cfg->device != NULL;
	cap->link_fd = -1;
	if (cap->live && strlen(cfg->device) < sizeof cap->device)
		strcpy(cap->device, cfg->device);
	cap->pcap = cap->live ? open_live(cfg, err, errsize)
	                      : open_file(cap, cfg->file, err, errsize);
	if (!cap->pcap) {
		free(cap);
		return NULL;
	}
	cap->dlt = pcap_datalink(cap->pcap);
	cap->ts_unit = pcap_get_tstamp_precision(cap->pcap) ==
	                       PCAP_TSTAMP_PRECISION_NANO ? 1 : 1000;
	if (!tl_decode_link_supported(cap->dlt)) {
		const char *name = pcap_datalink_val_to_name(cap->dlt);
		const char *desc = pcap_datalink_val_to_description(cap->dlt);
		char what[160];
		snprintf(what, sizeof what, "%d (%s%s%s)", cap->dlt,
		         name ? name : "not known to libpcap", desc ? ": " : "",
		         desc ? desc : "");
		set_err(err, errsize, "unsupported link type %s: tcpladder "
		        "reads Ethernet, Linux cooked (v1/v2), raw IP, BSD "
		        "loopback and 802.11%s", what, NULL);
		tl_capture_close(cap);
		return NULL;
	}
	if (!apply_filter(cap->pcap, cfg->filter, err, errsize) ||
	    (cfg->write_file && !open_writer(cap, cfg, err, errsize))) {
		tl_capture_close(cap);
		return NULL;
	}
	if (cap->in)
		pipe_start(cap);
	return cap;
}

void tl_capture_close(struct tl_capture *cap)
{
	if (!cap)
		return;
	if (cap->pr)
		pipe_stop(cap);
	if (cap->dumper) {
		pcap_dump_close(cap->dumper);
		unlink(cap->write_temp);   /* not finished: never published */
	}
	if (cap->pcap)
		pcap_close(cap->pcap);
	if (cap->link_fd >= 0)
		close(cap->link_fd);
	pipe_in_free(cap);
	free(cap->write_temp);
	free(cap->write_final);
	free(cap);
}

bool tl_capture_finish_write(struct tl_capture *cap, char *err,
                             size_t errsize)
{
	if (!cap->dumper)
		return true;
	bool ok = pcap_dump_flush(cap->dumper) == 0;
	pcap_dump_close(cap->dumper);
	cap->dumper = NULL;
	if (ok && rename(cap->write_temp, cap->write_final) == 0)
		return true;
	set_err(err, errsize, "cannot write %s: %s", cap->write_final,
	        strerror(errno));
	unlink(cap->write_temp);
	return false;
}

int tl_capture_datalink(const struct tl_capture *cap)
{
	return cap->dlt;
}

const char *tl_capture_datalink_name(const struct tl_capture *cap)
{
	const char *n = pcap_datalink_val_to_name(cap->dlt);
	return n ? n : "unknown";
}

bool tl_capture_is_live(const struct tl_capture *cap)
{
	return cap->live;
}

bool tl_capture_is_pipe(const struct tl_capture *cap)
{
	return cap->pr != NULL;
}

int tl_capture_fd(const struct tl_capture *cap)
{
	return cap->live ? pcap_get_selectable_fd(cap->pcap) : -1;
}

/* pcapng's 64-bit timestamps, resolutions and offsets give any tv_sec: keep
 * it where nanoseconds fit, and where differences of two still fit. */
#define MAX_TS_SEC (INT64_C(1) << 32)
static tl_nsec frame_time(const struct tl_capture *cap,
                          const struct pcap_pkthdr *hdr)
{
	int64_t sec = (int64_t)hdr->ts.tv_sec;
	int64_t frac = (int64_t)hdr->ts.tv_usec;
	if (sec > MAX_TS_SEC)
		sec = MAX_TS_SEC;
	else if (sec < -MAX_TS_SEC)
		sec = -MAX_TS_SEC;
	if (frac < 0 || frac > UINT32_MAX)
		frac = 0;
	return sec * TL_NSEC_PER_SEC + frac * cap->ts_unit;
}

enum tl_next tl_capture_next(struct tl_capture *cap, struct tl_frame *frame)
{
	if (cap->pr)
		return pipe_next(cap, frame);
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc = pcap_next_ex(cap->pcap, &hdr, &data);
	if (rc == 1) {
		frame->data = data;
		frame->caplen = hdr->caplen;
		frame->len = hdr->len;
		frame->ts = frame_time(cap, hdr);
		if (cap->dumper)
			pcap_dump((u_char *)cap->dumper, hdr, data);
		return TL_NEXT_FRAME;
	}
	if (rc == 0)
		return TL_NEXT_TIMEOUT;
	if (rc == PCAP_ERROR_BREAK)
		return cap->live ? TL_NEXT_TIMEOUT : TL_NEXT_END;
	snprintf(cap->err, sizeof cap->err, "%s", pcap_geterr(cap->pcap));
	return TL_NEXT_ERROR;
}

const char *tl_capture_error(const struct tl_capture *cap)
{
	return cap->err;
}

bool tl_capture_stats(struct tl_capture *cap, uint64_t *received,
                      uint64_t *dropped)
{
	struct pcap_stat st;
	if (!cap->live || pcap_stats(cap->pcap, &st) != 0)
		return false;
	*received = st.ps_recv;
	*dropped = (uint64_t)st.ps_drop + st.ps_ifdrop;
	return true;
}

bool tl_capture_link_down(struct tl_capture *cap)
{
	if (!cap->live || !cap->device[0] || !strcmp(cap->device, "any"))
		return false;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	if (cap->link_checked_ms && ms - cap->link_checked_ms < 1000)
		return cap->link_down;
	cap->link_checked_ms = ms;
	if (cap->link_fd < 0)
		cap->link_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	memcpy(ifr.ifr_name, cap->device, sizeof cap->device);
	/* An interface that is gone is libpcap's to report (it ends the
	 * capture), so only a clear answer counts. */
	const int up = IFF_UP | IFF_RUNNING;   /* and a carrier */
	cap->link_down = cap->link_fd >= 0 &&
	                 ioctl(cap->link_fd, SIOCGIFFLAGS, &ifr) == 0 &&
	                 (ifr.ifr_flags & up) != up;
	return cap->link_down;
}

void tl_capture_break(struct tl_capture *cap)
{
	if (cap->pr)
		cap->broken = 1;    /* from a signal handler: a flag only */
	else
		pcap_breakloop(cap->pcap);
}

bool tl_capture_set_nonblock(struct tl_capture *cap, bool on)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	return !cap->live || pcap_setnonblock(cap->pcap, on, ebuf) == 0;
}

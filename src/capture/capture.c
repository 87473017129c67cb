/* libpcap: open a file, standard input or a device; read frames; save them.
 * A file or a pipe (capture_pipe.c) is read ahead of the caller by a thread
 * of its own (frame_queue.c). */
#include "config.h"

#include "tl_capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "capture_pcapng.h"
#include "capture_pipe.h"
#include "frame_queue.h"
#include "tl_decode.h"
#include "tl_savefile.h"
#include "tl_dfilter.h"

#define LIVE_TIMEOUT_MS 100
/* How long a read of a pipe waits for its writer before it says so. */
#define PIPE_WAIT_MS 50

struct tl_capture {
	pcap_t *pcap;
	bool live;
	struct tl_pipe *pipe;           /* a pipe its thread reads, or NULL */
	struct tl_pipe *pipe_to_start;  /* until tl_capture_begin() */
	struct tl_fqueue *ahead;        /* a file read ahead, or NULL */
	FILE *reread;                   /* the same file, opened again */
	bool at_end;                    /* the input was read to its end */
	volatile sig_atomic_t broken;   /* tl_capture_break(): not the end */
	char device[IF_NAMESIZE];       /* live, for tl_capture_link_down */
	int link_fd;                    /* a socket to ask the flags with */
	bool link_down;
	int64_t link_checked_ms;
	int64_t drained_checked_ms;     /* tl_capture_drained */
	bool drain_pending;
	int dlt;
	tl_nsec ts_unit;        /* nanoseconds per tick of ts.tv_usec */
	pcap_dumper_t *dumper;          /* -w, while every write went through */
	struct tl_savefile save;
	uint64_t saved;                 /* frames written to it */
	bool save_failed;
	/* pcapng files are read by capture_pcapng.c; pcap then only holds
	 * the first interface's link type for filters and -w. */
	struct tl_pcapng *ng;
	struct bpf_program *progs;      /* per interface, compiled lazily */
	uint8_t *prog_state;            /* 0 not yet, 1 compiled, 2 failed */
	uint32_t prog_count;
	char *filter;
	uint64_t not_saved;             /* -w: frames of another link type */
	char err[PCAP_ERRBUF_SIZE + 256];
};

static bool ng_program(struct tl_capture *cap, uint32_t i, int dlt,
                       char *err, size_t errsize);

static void set_err(char *err, size_t size, const char *fmt, const char *a,
                    const char *b)
{
	snprintf(err, size, fmt, a, b ? b : "");
}

/* A regular file that starts as pcapng is read by our own reader: libpcap
 * refuses interfaces of different link types or snap lengths. */
static struct tl_pcapng *open_pcapng(const char *path, char *err,
                                     size_t errsize, bool *tried)
{
	*tried = false;
	struct stat st;
	FILE *f;
	if (strcmp(path, "-") == 0) {
		/* Standard input redirected from a file: a stream of its
		 * own on the same open file, from where it stands. */
		if (fstat(STDIN_FILENO, &st) != 0 || !S_ISREG(st.st_mode))
			return NULL;
		int fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0);
		f = fd >= 0 ? fdopen(fd, "rb") : NULL;
		if (!f && fd >= 0)
			close(fd);
	} else {
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			return NULL;
		f = fopen(path, "rb");
	}
	if (!f)
		return NULL;
	uint8_t magic[4];
	long start = ftell(f);
	bool ng = start >= 0 && fread(magic, 1, 4, f) == 4 &&
	          tl_pcapng_magic(magic);
	/* Back where it was (standard input shares its offset). */
	if (start < 0 || fseek(f, start, SEEK_SET) != 0 || !ng) {
		fclose(f);
		return NULL;
	}
	*tried = true;
	return tl_pcapng_open(f, path, err, errsize);
}

/* A pipe ("-", a FIFO) that starts as pcapng is read by our own reader
 * too (through the pipe's stream, which it then owns). Otherwise *in is
 * the pipe's stream for libpcap (the first bytes still to come), or NULL
 * for a regular file. */
static struct tl_pcapng *open_pcapng_pipe(const char *path,
                                          struct tl_pipe **pipe, FILE **in,
                                          char *err, size_t errsize,
                                          bool *tried)
{
	uint8_t magic[4];
	*in = tl_pipe_open(pipe, path);
	if (!*in || !tl_pipe_peek(*pipe, magic, 4) || !tl_pcapng_magic(magic))
		return NULL;
	*tried = true;
	FILE *f = *in;
	*in = NULL;
	struct tl_pcapng *ng = tl_pcapng_open(f, path, err, errsize);
	if (!ng)
		*pipe = NULL;   /* closing the stream freed it */
	return ng;
}

/* *pipe is set when path is a pipe (the stream libpcap reads owns it);
 * in is that stream when open_pcapng_pipe() made it. */
static pcap_t *open_file(const char *path, FILE *in, struct tl_pipe **pipe,
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
	if (!in)
		in = tl_pipe_open(pipe, path);
	pcap_t *p = in ? pcap_fopen_offline_with_tstamp_precision(
	                         in, PCAP_TSTAMP_PRECISION_NANO, ebuf)
	               : pcap_open_offline_with_tstamp_precision(
	                         path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (p)
		return p;
	if (in)
		fclose(in);     /* frees *pipe */
	*pipe = NULL;
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
		/* The offline lab's veths live in network namespaces, where
		 * a plain "tcpladder -i veth-s" cannot see them. */
		return " (list interfaces with 'ip link'; one in another network "
		       "namespace is seen only from there: 'ip netns list', then "
		       "'ip netns exec NS tcpladder -i DEV'; the offline lab's "
		       "veth-c and veth-s are in tl-lab-client and tl-lab-server: "
		       "'tcpladder-lab watch')";
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
		char msg[PCAP_ERRBUF_SIZE + 320];
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
		/* Wireshark's words where tcpdump's are expected. */
		char derr[256];
		struct tl_dfilter *df = tl_dfilter_compile(filter, derr,
		                                           sizeof derr, NULL, NULL);
		if (df) {
			size_t n = strlen(err);
			snprintf(err + n, errsize - n, "; this is a Wireshark "
			         "display filter: give it with -Y '%s'", filter);
		}
		tl_dfilter_free(df);
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

/* A second, independent handle on the input file, opened now (before
 * privileges are dropped) and checked to be the same file: the view reads
 * frames again from it, and saves from it, even if the name is replaced or
 * removed meanwhile. */
static FILE *open_again(const char *path, FILE *f)
{
	struct stat st1, st2;
	if (!f || fstat(fileno(f), &st1) != 0 || !S_ISREG(st1.st_mode))
		return NULL;
	FILE *again = fopen(path, "rb");
	if (again && (fstat(fileno(again), &st2) != 0 ||
	              st1.st_dev != st2.st_dev || st1.st_ino != st2.st_ino)) {
		fclose(again);
		return NULL;
	}
	return again;
}

struct tl_capture *tl_capture_open(const struct tl_capture_config *cfg,
                                   char *err, size_t errsize)
{
	struct tl_capture *cap = tl_xcalloc(1, sizeof *cap);
	struct tl_pipe *pipe = NULL;
	cap->live = cfg->device != NULL;
	cap->link_fd = -1;
	if (cap->live && strlen(cfg->device) < sizeof cap->device)
		strcpy(cap->device, cfg->device);
	bool tried_ng = false;
	FILE *in = NULL;
	if (!cap->live)
		cap->ng = open_pcapng(cfg->file, err, errsize, &tried_ng);
	if (!cap->live && !tried_ng)
		cap->ng = open_pcapng_pipe(cfg->file, &pipe, &in, err, errsize,
		                           &tried_ng);
	if (tried_ng && !cap->ng) {
		free(cap);
		return NULL;
	}
	if (cap->ng) {
		uint32_t snap = tl_pcapng_first_snaplen(cap->ng);
		cap->pcap = pcap_open_dead_with_tstamp_precision(
		        tl_pcapng_first_dlt(cap->ng),
		        snap && snap <= TL_DEFAULT_SNAPLEN ? (int)snap
		                                          : TL_DEFAULT_SNAPLEN,
		        PCAP_TSTAMP_PRECISION_NANO);
		if (!cap->pcap) {
			set_err(err, errsize, "cannot read %s: %s", cfg->file,
			        "out of memory");
			tl_pcapng_close(cap->ng);
			free(cap);
			return NULL;
		}
	} else {
		cap->pcap = cap->live ? open_live(cfg, err, errsize)
		                      : open_file(cfg->file, in, &pipe, err,
		                                  errsize);
	}
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
		        "loopback, 802.11, PPP, Cisco HDLC, NFLOG, IPoIB, "
		        "ARCNET, FDDI, Token Ring and MPLS%s", what, NULL);
		tl_capture_close(cap);
		return NULL;
	}
	if (cap->ng && cfg->filter && *cfg->filter) {
		/* Checked now on the first interface, applied to each
		 * interface's packets with a program for its link type. */
		cap->filter = tl_xstrdup(cfg->filter);
		if (!ng_program(cap, 0, cap->dlt, err, errsize)) {
			tl_capture_close(cap);
			return NULL;
		}
	}
	if (!cap->ng && !apply_filter(cap->pcap, cfg->filter, err, errsize)) {
		tl_capture_close(cap);
		return NULL;
	}
	cap->pipe_to_start = pipe;
	if (!cap->live && !pipe && strcmp(cfg->file, "-") != 0)
		cap->reread = open_again(cfg->file,
		                         cap->ng ? tl_pcapng_file(cap->ng)
		                                 : pcap_file(cap->pcap));
	return cap;
}

void tl_capture_close(struct tl_capture *cap)
{
	if (!cap)
		return;
	/* Before pcap_close(): the thread reads through it (and through
	 * the pipe's stream that closing frees). */
	tl_fq_stop(cap->ahead);
	if (cap->dumper) {
		pcap_dump_close(cap->dumper);
		cap->save.fp = NULL;
	}
	tl_savefile_abort(&cap->save);  /* not finished: never published */
	tl_savefile_free(&cap->save);
	if (cap->reread)
		fclose(cap->reread);
	if (cap->pcap)
		pcap_close(cap->pcap);
	tl_pcapng_close(cap->ng);
	for (uint32_t i = 0; i < cap->prog_count; i++)
		if (cap->prog_state[i] == 1)
			pcap_freecode(&cap->progs[i]);
	free(cap->progs);
	free(cap->prog_state);
	free(cap->filter);
	if (cap->link_fd >= 0)
		close(cap->link_fd);
	free(cap);
}

static tl_nsec frame_time(const struct tl_capture *cap,
                          const struct pcap_pkthdr *hdr);

/* What libpcap handed over, as the caller takes it. */
static void frame_of(const struct tl_capture *cap,
                     const struct pcap_pkthdr *hdr, const u_char *data,
                     struct tl_frame *frame)
{
	*frame = (struct tl_frame){ .data = data, .caplen = hdr->caplen,
	                            .len = hdr->len,
	                            .ts = frame_time(cap, hdr),
	                            .dlt = cap->dlt };
}

/* frame_queue.c's source for pcap, on its thread. */
static enum tl_next read_pcap_ahead(void *ctx, struct tl_fq_frame *f,
                                    char *err, size_t errsize)
{
	struct tl_capture *cap = ctx;
	for (;;) {
		struct pcap_pkthdr *hdr;
		const u_char *data;
		int rc = pcap_next_ex(cap->pcap, &hdr, &data);
		if (rc == 1) {
			frame_of(cap, hdr, data, &f->frame);
			f->ifindex = 0;
			f->sec = (int64_t)hdr->ts.tv_sec;
			f->frac = (int64_t)hdr->ts.tv_usec;
			return TL_NEXT_FRAME;
		}
		if (rc == PCAP_ERROR_BREAK)
			return TL_NEXT_END;
		if (rc < 0) {
			snprintf(err, errsize, "%s", pcap_geterr(cap->pcap));
			return TL_NEXT_ERROR;
		}
	}
}

static enum tl_next read_pcapng_ahead(void *ctx, struct tl_fq_frame *f,
                                      char *err, size_t errsize)
{
	struct tl_capture *cap = ctx;
	f->sec = f->frac = 0;   /* ng_next() saves from the frame's time */
	enum tl_next next = tl_pcapng_next(cap->ng, &f->frame, &f->ifindex);
	if (next == TL_NEXT_ERROR)
		snprintf(err, errsize, "%s", tl_pcapng_error(cap->ng));
	return next;
}

static void wake_pipe(void *ctx)
{
	struct tl_capture *cap = ctx;
	tl_pipe_wake(cap->pipe);
}

void tl_capture_begin(struct tl_capture *cap)
{
	if (cap->live)
		return;
	/* Without a thread a pipe is read in place, as a file is. */
	cap->pipe = cap->pipe_to_start;
	cap->pipe_to_start = NULL;
	cap->ahead = tl_fq_start(cap->ng ? read_pcapng_ahead : read_pcap_ahead,
	                         cap->pipe ? wake_pipe : NULL, cap);
	if (!cap->ahead)
		cap->pipe = NULL;
}

bool tl_capture_start_write(struct tl_capture *cap, const char *path,
                            bool replace, char *err, size_t errsize)
{
	if (!tl_savefile_open(&cap->save, path, replace, err, errsize))
		return false;
	cap->dumper = pcap_dump_fopen(cap->pcap, cap->save.fp);
	if (!cap->dumper) {
		snprintf(err, errsize, "cannot write %s: %s", path,
		         pcap_geterr(cap->pcap));
		tl_savefile_abort(&cap->save);
		tl_savefile_free(&cap->save);
		return false;
	}
	return true;
}

const char *tl_capture_flush_write(struct tl_capture *cap)
{
	if (!cap->dumper || !cap->save.fp || pcap_dump_flush(cap->dumper) != 0)
		return NULL;
	return cap->save.temp ? cap->save.temp : cap->save.final;
}

/* A write that failed ends the saving at once (what follows could only
 * make a file with a hole in it); the run goes on and says so at the end. */
static void save_frame(struct tl_capture *cap, const struct pcap_pkthdr *hdr,
                       const u_char *data)
{
	pcap_dump((u_char *)cap->dumper, hdr, data);
	if (tl_savefile_ok(&cap->save)) {
		cap->saved++;
		return;
	}
	pcap_dump_close(cap->dumper);
	cap->dumper = NULL;
	cap->save.fp = NULL;
	cap->save_failed = true;
}

enum tl_publish tl_capture_finish_write(struct tl_capture *cap, char *err,
                                        size_t errsize)
{
	if (!cap->save.final)
		return TL_PUBLISHED;
	bool ok = tl_savefile_sync(&cap->save, err, errsize);
	if (cap->dumper)
		pcap_dump_close(cap->dumper);   /* its data is on the disk */
	cap->dumper = NULL;
	cap->save.fp = NULL;
	enum tl_publish r = ok ? tl_savefile_publish(&cap->save, err, errsize)
	                       : TL_PUBLISH_FAILED;
	if (r == TL_PUBLISH_FAILED) {
		size_t len = strlen(err);
		snprintf(err + len, errsize - len, " (nothing saved%s)",
		         cap->save.replace ? "; an older file of that name is "
		                             "untouched" : "");
		tl_savefile_abort(&cap->save);
	}
	/* Published, removed, or kept under a name err gives: in no case
	 * to be removed by tl_capture_close(). */
	free(cap->save.temp);
	cap->save.temp = NULL;
	return r;
}

const char *tl_capture_write_path(const struct tl_capture *cap)
{
	return cap->save.final;
}

uint64_t tl_capture_saved(const struct tl_capture *cap)
{
	return cap->saved;
}

bool tl_capture_save_failed(const struct tl_capture *cap, char *err,
                            size_t errsize)
{
	if (!cap->save_failed)
		return false;
	snprintf(err, errsize, "cannot write %s: %s", cap->save.final,
	         strerror(cap->save.write_errno));
	return true;
}

bool tl_capture_at_end(const struct tl_capture *cap)
{
	return cap->at_end;
}

FILE *tl_capture_take_reread(struct tl_capture *cap)
{
	FILE *f = cap->reread;
	cap->reread = NULL;
	return f;
}

bool tl_capture_unsaved(const struct tl_capture *cap, char *msg,
                        size_t size)
{
	if (!cap->not_saved)
		return false;
	const char *name = pcap_datalink_val_to_name(cap->dlt);
	snprintf(msg, size, "%s: %llu frame%s of interfaces whose link type "
	         "is not %s (%d) %s not saved: a pcap file has one link type",
	         cap->save.final ? cap->save.final : "-w",
	         (unsigned long long)cap->not_saved,
	         cap->not_saved == 1 ? "" : "s", name ? name : "the first",
	         cap->dlt, cap->not_saved == 1 ? "was" : "were");
	return true;
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
	return cap->pipe != NULL;
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
	/* A pcap file's seconds are an unsigned 32-bit count, which libpcap
	 * hands over sign-extended: past 2038 they came out negative. */
	if (!cap->live && sec < 0 && sec >= -(INT64_C(1) << 31))
		sec += INT64_C(1) << 32;
	if (sec > MAX_TS_SEC)
		sec = MAX_TS_SEC;
	else if (sec < -MAX_TS_SEC)
		sec = -MAX_TS_SEC;
	if (frac < 0 || frac > UINT32_MAX)
		frac = 0;
	return sec * TL_NSEC_PER_SEC + frac * cap->ts_unit;
}

static enum tl_next take_frame(struct tl_capture *cap,
                               const struct pcap_pkthdr *hdr,
                               const u_char *data, struct tl_frame *frame)
{
	frame_of(cap, hdr, data, frame);
	if (cap->dumper)
		save_frame(cap, hdr, data);
	return TL_NEXT_FRAME;
}

/* The filter compiled for interface i's link type (once). */
static bool ng_program(struct tl_capture *cap, uint32_t i, int dlt,
                       char *err, size_t errsize)
{
	if (i >= cap->prog_count) {
		uint32_t n = i + 8;
		cap->progs = tl_xrealloc(cap->progs, n, sizeof *cap->progs);
		cap->prog_state = tl_xrealloc(cap->prog_state, n, 1);
		memset(cap->prog_state + cap->prog_count, 0,
		       n - cap->prog_count);
		cap->prog_count = n;
	}
	if (cap->prog_state[i])
		return cap->prog_state[i] == 1;
	pcap_t *dead = pcap_open_dead(dlt, TL_DEFAULT_SNAPLEN);
	int rc = dead ? pcap_compile(dead, &cap->progs[i], cap->filter, 1,
	                             PCAP_NETMASK_UNKNOWN) : -1;
	cap->prog_state[i] = rc == 0 ? 1 : 2;
	if (rc != 0)
		snprintf(err, errsize, "bad filter expression '%s' for link "
		         "type %d: %s", cap->filter, dlt,
		         dead ? pcap_geterr(dead) : "out of memory");
	if (dead)
		pcap_close(dead);
	return rc == 0;
}

/* The next frame read ahead. A pipe's writer may pause: the caller hears
 * of it within PIPE_WAIT_MS (to show what it has, to answer keys). A stop
 * signal ends the reading as pcap_breakloop() ends a read. */
static enum tl_next ahead_next(struct tl_capture *cap,
                               const struct tl_fq_frame **f)
{
	enum tl_next next = cap->broken
	        ? TL_NEXT_END
	        : tl_fq_next(cap->ahead, f, cap->pipe ? PIPE_WAIT_MS : -1);
	if (next != TL_NEXT_FRAME && next != TL_NEXT_TIMEOUT && cap->broken)
		next = TL_NEXT_END;
	cap->at_end = next == TL_NEXT_END && !cap->broken;
	if (next == TL_NEXT_ERROR)
		snprintf(cap->err, sizeof cap->err, "%s",
		         tl_fq_error(cap->ahead));
	return next;
}

static enum tl_next ng_source(struct tl_capture *cap, struct tl_frame *frame,
                              uint32_t *ifindex)
{
	if (!cap->ahead) {
		enum tl_next next = tl_pcapng_next(cap->ng, frame, ifindex);
		cap->at_end = next == TL_NEXT_END && !cap->broken;
		if (next == TL_NEXT_ERROR)
			snprintf(cap->err, sizeof cap->err, "%s",
			         tl_pcapng_error(cap->ng));
		return next;
	}
	const struct tl_fq_frame *f;
	enum tl_next next = ahead_next(cap, &f);
	if (next == TL_NEXT_FRAME) {
		*frame = f->frame;
		*ifindex = f->ifindex;
	}
	return next;
}

static enum tl_next ng_next(struct tl_capture *cap, struct tl_frame *frame)
{
	for (;;) {
		uint32_t ifindex = 0;
		/* From the pipe's thread, or read here. */
		enum tl_next next = ng_source(cap, frame, &ifindex);
		if (next != TL_NEXT_FRAME)
			return next;
		struct pcap_pkthdr hdr;
		memset(&hdr, 0, sizeof hdr);
		hdr.caplen = frame->caplen;
		hdr.len = frame->len;
		hdr.ts.tv_sec = (time_t)(frame->ts / TL_NSEC_PER_SEC);
		hdr.ts.tv_usec = (suseconds_t)(frame->ts % TL_NSEC_PER_SEC);
		if (hdr.ts.tv_usec < 0) {
			hdr.ts.tv_sec--;
			hdr.ts.tv_usec += (suseconds_t)TL_NSEC_PER_SEC;
		}
		/* A filter that does not compile for this link type matches
		 * nothing there, as tshark's would not apply. */
		if (frame->dlt == TL_DLT_NONE) {
			if (cap->filter)
				continue;       /* matches no filter */
			return TL_NEXT_FRAME;   /* and is not saved */
		}
		if (cap->filter &&
		    (!ng_program(cap, ifindex, frame->dlt, cap->err,
		                 sizeof cap->err) ||
		     !pcap_offline_filter(&cap->progs[ifindex], &hdr,
		                          frame->data)))
			continue;
		if (cap->dumper) {
			if (frame->dlt == cap->dlt)
				save_frame(cap, &hdr, frame->data);
			else
				cap->not_saved++;
		}
		return TL_NEXT_FRAME;
	}
}

/* A pcap frame read ahead; -w saves it with the record's own time. */
static enum tl_next pcap_ahead_next(struct tl_capture *cap,
                                    struct tl_frame *frame)
{
	const struct tl_fq_frame *f;
	enum tl_next next = ahead_next(cap, &f);
	if (next != TL_NEXT_FRAME)
		return next;
	*frame = f->frame;
	if (cap->dumper) {
		struct pcap_pkthdr hdr;
		memset(&hdr, 0, sizeof hdr);
		hdr.caplen = f->frame.caplen;
		hdr.len = f->frame.len;
		hdr.ts.tv_sec = (time_t)f->sec;
		hdr.ts.tv_usec = (suseconds_t)f->frac;
		save_frame(cap, &hdr, f->frame.data);
	}
	return TL_NEXT_FRAME;
}

enum tl_next tl_capture_next(struct tl_capture *cap, struct tl_frame *frame)
{
	if (cap->ng)
		return ng_next(cap, frame);
	if (cap->ahead)
		return pcap_ahead_next(cap, frame);
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc = pcap_next_ex(cap->pcap, &hdr, &data);
	if (rc == 1)
		return take_frame(cap, hdr, data, frame);
	if (rc == 0)
		return TL_NEXT_TIMEOUT;
	if (rc == PCAP_ERROR_BREAK) {
		cap->at_end = !cap->live && !cap->broken;
		return cap->live ? TL_NEXT_TIMEOUT : TL_NEXT_END;
	}
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

bool tl_capture_drained(struct tl_capture *cap)
{
	if (!cap->live || cap->pipe || cap->ng)
		return false;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	int64_t ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	/* Once due, asked after every frame until the buffer is empty:
	 * the answer is wanted after the last packet it kept. */
	if (!cap->drain_pending && ms - cap->drained_checked_ms < LIVE_TIMEOUT_MS)
		return false;
	cap->drained_checked_ms = ms;
	cap->drain_pending = true;
	int fd = pcap_get_selectable_fd(cap->pcap);
	if (fd < 0)
		return false;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 0) != 0)
		return false;
	cap->drain_pending = false;
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
	cap->broken = 1;
	if (!cap->ahead)
		pcap_breakloop(cap->pcap);  /* read ahead: ahead_next() ends */
}

bool tl_capture_set_nonblock(struct tl_capture *cap, bool on)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	return !cap->live || pcap_setnonblock(cap->pcap, on, ebuf) == 0;
}

/* libpcap: open a file, standard input or a device; read frames; save them.
 * A pipe is read by a thread of its own (capture_pipe.c). */
#include "config.h"

#include "tl_capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture_pipe.h"
#include "tl_decode.h"
#include "tl_dfilter.h"

#define LIVE_TIMEOUT_MS 100

struct tl_capture {
	pcap_t *pcap;
	bool live;
	struct tl_pipe *pipe;           /* a pipe its thread reads, or NULL */
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

static void set_err(char *err, size_t size, const char *fmt, const char *a,
                    const char *b)
{
	snprintf(err, size, fmt, a, b ? b : "");
}

/* *pipe is set when path is a pipe (the stream libpcap reads owns it). */
static pcap_t *open_file(const char *path, struct tl_pipe **pipe, char *err,
                         size_t errsize)
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
	FILE *in = tl_pipe_open(pipe, path);
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

struct tl_capture *tl_capture_open(const struct tl_capture_config *cfg,
                                   char *err, size_t errsize)
{
	struct tl_capture *cap = tl_xcalloc(1, sizeof *cap);
	struct tl_pipe *pipe = NULL;
	cap->live = cfg->device != NULL;
	cap->link_fd = -1;
	if (cap->live && strlen(cfg->device) < sizeof cap->device)
		strcpy(cap->device, cfg->device);
	cap->pcap = cap->live ? open_live(cfg, err, errsize)
	                      : open_file(cfg->file, &pipe, err, errsize);
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
	/* Without a thread a pipe is read here, as a file is. */
	if (pipe && tl_pipe_start(pipe, cap->pcap))
		cap->pipe = pipe;
	return cap;
}

void tl_capture_close(struct tl_capture *cap)
{
	if (!cap)
		return;
	if (cap->pipe)
		tl_pipe_stop(cap->pipe);    /* before pcap_close() frees it */
	if (cap->dumper) {
		pcap_dump_close(cap->dumper);
		unlink(cap->write_temp);   /* not finished: never published */
	}
	if (cap->pcap)
		pcap_close(cap->pcap);
	if (cap->link_fd >= 0)
		close(cap->link_fd);
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
	frame->data = data;
	frame->caplen = hdr->caplen;
	frame->len = hdr->len;
	frame->ts = frame_time(cap, hdr);
	if (cap->dumper)
		pcap_dump((u_char *)cap->dumper, hdr, data);
	return TL_NEXT_FRAME;
}

static enum tl_next pipe_next(struct tl_capture *cap, struct tl_frame *frame)
{
	const struct pcap_pkthdr *hdr;
	const u_char *data;
	enum tl_next next = tl_pipe_next(cap->pipe, &hdr, &data);
	if (next == TL_NEXT_FRAME)
		return take_frame(cap, hdr, data, frame);
	if (next == TL_NEXT_ERROR)
		snprintf(cap->err, sizeof cap->err, "%s",
		         tl_pipe_error(cap->pipe));
	return next;
}

enum tl_next tl_capture_next(struct tl_capture *cap, struct tl_frame *frame)
{
	if (cap->pipe)
		return pipe_next(cap, frame);
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc = pcap_next_ex(cap->pcap, &hdr, &data);
	if (rc == 1)
		return take_frame(cap, hdr, data, frame);
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
	if (cap->pipe)
		tl_pipe_break(cap->pipe);
	else
		pcap_breakloop(cap->pcap);
}

bool tl_capture_set_nonblock(struct tl_capture *cap, bool on)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	return !cap->live || pcap_setnonblock(cap->pcap, on, ebuf) == 0;
}

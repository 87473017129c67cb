/* Frames read again from the capture file: a checkpoint of the file offset
 * every CHECKPOINT_EVERY frames, recorded as we pass them, turns a jump to
 * any frame into a seek and a short read forward. pcap goes through
 * libpcap; pcapng through tcpladder's own reader (libpcap refuses
 * interfaces of different link types), filtered per link type as the
 * capture was (capture.c), so frame numbers agree. */
#include "config.h"

#include "ui_reread.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../capture/capture_pcapng.h"
#include "tl_decode.h"
#include "tl_savefile.h"
#include "tl_util.h"

#define CHECKPOINT_EVERY 256u
#define MAX_PROGS 16            /* link types with a filter program */

struct ui_reread {
	pcap_t *p;              /* pcapng: a dead one (first link type) */
	struct tl_pcapng *ng;   /* or NULL: pcap, read by libpcap */
	char *path;             /* for messages: the file is open already */
	tl_nsec ts_unit;
	int dlt;
	uint32_t frame;         /* frames read since the start */
	/* [k]: where frame k*N+1 starts (pcap: off only) */
	struct tl_pcapng_pos *checkpoint;
	uint32_t cp_count, cp_cap;
	char *filter;           /* pcapng: compiled per link type */
	struct { int dlt; bool ok; struct bpf_program prog; } progs[MAX_PROGS];
	unsigned prog_count;
	struct pcap_pkthdr hdr; /* pcapng: the last frame's */
};

static bool set_filter(pcap_t *p, const char *filter, char *err,
                       size_t errsize)
{
	if (!filter || !*filter)
		return true;
	struct bpf_program prog;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(p, &prog) != 0) {
		snprintf(err, errsize, "filter '%s': %s", filter,
		         pcap_geterr(p));
		return false;
	}
	pcap_freecode(&prog);
	return true;
}

static struct ui_reread *new_reread(pcap_t *p, const char *path)
{
	struct ui_reread *rr = tl_xcalloc(1, sizeof *rr);
	rr->p = p;
	rr->path = tl_xstrdup(path);
	rr->dlt = pcap_datalink(p);
	rr->ts_unit = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO
	                      ? 1 : 1000;
	rr->cp_cap = 64;
	rr->checkpoint = tl_xmalloc(rr->cp_cap * sizeof *rr->checkpoint);
	rr->cp_count = 1;
	return rr;
}

/* A pcapng file: our own reader. */
static struct ui_reread *open_pcapng(FILE *in, const char *path,
                                     const char *filter, char *err,
                                     size_t errsize)
{
	char why[512];
	struct tl_pcapng *ng = tl_pcapng_open(in, path, why, sizeof why);
	if (!ng) {
		snprintf(err, errsize, "cannot read %s again: %s", path, why);
		return NULL;
	}
	uint32_t snap = tl_pcapng_first_snaplen(ng);
	pcap_t *p = pcap_open_dead_with_tstamp_precision(
		tl_pcapng_first_dlt(ng),
		snap && snap <= TL_DEFAULT_SNAPLEN ? (int)snap
		                                   : TL_DEFAULT_SNAPLEN,
		PCAP_TSTAMP_PRECISION_NANO);
	struct tl_pcapng_pos first;
	if (!p || !tl_pcapng_tell(ng, &first)) {
		snprintf(err, errsize, "cannot read %s again: %s", path,
		         p ? strerror(errno) : "out of memory");
		if (p)
			pcap_close(p);
		tl_pcapng_close(ng);
		return NULL;
	}
	struct ui_reread *rr = new_reread(p, path);
	rr->ng = ng;
	rr->checkpoint[0] = first;
	if (filter && *filter)
		rr->filter = tl_xstrdup(filter);
	return rr;
}

struct ui_reread *ui_reread_open(FILE *in, const char *path,
                                 const char *filter, char *err,
                                 size_t errsize)
{
	if (!in) {
		snprintf(err, errsize, "the input is not a file that can be "
		         "read again");
		return NULL;
	}
	uint8_t magic[4];
	bool ng = fread(magic, 1, 4, in) == 4 && tl_pcapng_magic(magic);
	if (fseek(in, 0, SEEK_SET) != 0) {
		snprintf(err, errsize, "cannot read %s again: %s", path,
		         strerror(errno));
		fclose(in);
		return NULL;
	}
	if (ng)
		return open_pcapng(in, path, filter, err, errsize);
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(
		in, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		snprintf(err, errsize, "cannot read %s again: %s", path, ebuf);
		fclose(in);
		return NULL;
	}
	long first = ftell(pcap_file(p));
	if (first < 0 || !set_filter(p, filter, err, errsize)) {
		if (first < 0)
			snprintf(err, errsize, "cannot read %s again: %s",
			         path, strerror(errno));
		pcap_close(p);
		return NULL;
	}
	struct ui_reread *rr = new_reread(p, path);
	rr->checkpoint[0].off = first;
	return rr;
}

void ui_reread_close(struct ui_reread *rr)
{
	if (!rr)
		return;
	pcap_close(rr->p);
	tl_pcapng_close(rr->ng);
	for (unsigned i = 0; i < rr->prog_count; i++)
		if (rr->progs[i].ok)
			pcap_freecode(&rr->progs[i].prog);
	free(rr->filter);
	free(rr->path);
	free(rr->checkpoint);
	free(rr);
}

static bool rewind_to(struct ui_reread *rr, uint32_t k, char *err,
                      size_t errsize)
{
	if (rr->ng ? !tl_pcapng_seek(rr->ng, &rr->checkpoint[k])
	           : fseek(pcap_file(rr->p), rr->checkpoint[k].off,
	                   SEEK_SET) != 0) {
		snprintf(err, errsize, "cannot read %s again: %s", rr->path,
		         rr->ng ? tl_pcapng_error(rr->ng) : strerror(errno));
		rr->frame = UINT32_MAX;
		return false;
	}
	rr->frame = k * CHECKPOINT_EVERY;
	return true;
}

static bool tell(struct ui_reread *rr, struct tl_pcapng_pos *pos)
{
	if (rr->ng)
		return tl_pcapng_tell(rr->ng, pos);
	pos->off = ftell(pcap_file(rr->p));
	return pos->off >= 0;
}

/* Whether the capture's filter keeps a frame of that link type (one that
 * does not compile for it keeps none, as in capture.c). */
static bool filter_keeps(struct ui_reread *rr, const struct tl_frame *f)
{
	if (!rr->filter)
		return true;
	if (f->dlt == TL_DLT_NONE)
		return false;
	unsigned i = 0;
	while (i < rr->prog_count && rr->progs[i].dlt != f->dlt)
		i++;
	if (i == rr->prog_count) {
		if (i == MAX_PROGS)
			return false;
		pcap_t *dead = pcap_open_dead(f->dlt, TL_DEFAULT_SNAPLEN);
		rr->progs[i].dlt = f->dlt;
		rr->progs[i].ok = dead &&
			pcap_compile(dead, &rr->progs[i].prog, rr->filter, 1,
			             PCAP_NETMASK_UNKNOWN) == 0;
		if (dead)
			pcap_close(dead);
		rr->prog_count++;
	}
	return rr->progs[i].ok &&
	       pcap_offline_filter(&rr->progs[i].prog, &rr->hdr, f->data);
}

/* The next frame the capture counted: 1, PCAP_ERROR_BREAK at the end, -1
 * on an error (read_error() says it). */
static int next_frame(struct ui_reread *rr, struct tl_frame *f,
                      const struct pcap_pkthdr **hdr)
{
	if (!rr->ng) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pcap_next_ex(rr->p, &h, &data);
		if (rc != 1)
			return rc;
		f->data = data;
		f->caplen = h->caplen;
		f->len = h->len;
		f->ts = (tl_nsec)h->ts.tv_sec * TL_NSEC_PER_SEC +
		        (tl_nsec)h->ts.tv_usec * rr->ts_unit;
		f->dlt = rr->dlt;
		*hdr = h;
		return 1;
	}
	for (;;) {
		uint32_t ifindex;
		enum tl_next next = tl_pcapng_next(rr->ng, f, &ifindex);
		if (next == TL_NEXT_END)
			return PCAP_ERROR_BREAK;
		if (next != TL_NEXT_FRAME)
			return -1;
		memset(&rr->hdr, 0, sizeof rr->hdr);
		rr->hdr.caplen = f->caplen;
		rr->hdr.len = f->len;
		tl_nsec s = f->ts / TL_NSEC_PER_SEC, ns = f->ts % TL_NSEC_PER_SEC;
		if (ns < 0) {
			s--;
			ns += TL_NSEC_PER_SEC;
		}
		rr->hdr.ts.tv_sec = (time_t)s;
		rr->hdr.ts.tv_usec = (suseconds_t)ns;
		*hdr = &rr->hdr;
		if (filter_keeps(rr, f))
			return 1;
	}
}

static const char *read_error(const struct ui_reread *rr)
{
	return rr->ng ? tl_pcapng_error(rr->ng) : pcap_geterr(rr->p);
}

bool ui_reread_frame(struct ui_reread *rr, uint32_t frame,
                     struct tl_frame *f, char *err, size_t errsize)
{
	if (frame == 0) {
		snprintf(err, errsize, "no frame 0");
		return false;
	}
	uint32_t k = (frame - 1) / CHECKPOINT_EVERY;
	if (k >= rr->cp_count)
		k = rr->cp_count ? rr->cp_count - 1 : 0;
	/* Going back, or far ahead of a known checkpoint: seek. */
	if (frame <= rr->frame || k * CHECKPOINT_EVERY > rr->frame) {
		if (!rewind_to(rr, k, err, errsize))
			return false;
	}
	for (;;) {
		if (rr->frame % CHECKPOINT_EVERY == 0) {
			uint32_t idx = rr->frame / CHECKPOINT_EVERY;
			if (idx == rr->cp_count) {
				rr->checkpoint = tl_xgrow(
					rr->checkpoint, &rr->cp_cap,
					(uint64_t)rr->cp_count + 1, 64,
					sizeof *rr->checkpoint);
				if (tell(rr, &rr->checkpoint[rr->cp_count]))
					rr->cp_count++;
			}
		}
		const struct pcap_pkthdr *hdr;
		int rc = next_frame(rr, f, &hdr);
		if (rc != 1) {
			snprintf(err, errsize, "frame %u not found again in %s%s%s",
			         frame, rr->path, rc == -1 ? ": " : "",
			         rc == -1 ? read_error(rr) : "");
			rr->frame = UINT32_MAX;  /* force a seek next time */
			return false;
		}
		rr->frame++;
		if (rr->frame == frame)
			return true;
	}
}

/* Every frame of the opened file again, from the first, for want(). */
static long copy_frames(struct ui_reread *rr, pcap_dumper_t *d,
                        struct tl_savefile *sf,
                        bool (*want)(void *ctx, uint32_t frame), void *ctx,
                        char *err, size_t errsize)
{
	if (!rewind_to(rr, 0, err, errsize))
		return -1;
	long written = 0;
	const struct pcap_pkthdr *hdr;
	struct tl_frame f;
	int rc;
	while ((rc = next_frame(rr, &f, &hdr)) == 1) {
		if (!want(ctx, ++rr->frame))
			continue;
		if (f.dlt != rr->dlt) {
			/* A pcapng of several link types: pcap holds one. */
			snprintf(err, errsize, "frame %u is of link type %d, "
			         "the file's first interface of %d, and a pcap "
			         "file holds one link type: save connections of "
			         "one link type at a time", rr->frame, f.dlt,
			         rr->dlt);
			rr->frame = UINT32_MAX;
			return -1;
		}
		pcap_dump((u_char *)d, hdr, f.data);
		if (!tl_savefile_ok(sf))
			return -1;      /* tl_savefile_sync() says why */
		written++;
	}
	rr->frame = UINT32_MAX;     /* seek before the next read */
	if (rc != PCAP_ERROR_BREAK) {
		snprintf(err, errsize, "reading %s again: %s", rr->path,
		         read_error(rr));
		return -1;
	}
	return written;
}

long ui_reread_save(struct ui_reread *rr, const char *out_path, bool replace,
                    bool (*want)(void *ctx, uint32_t frame), void *ctx,
                    char *err, size_t errsize)
{
	struct tl_savefile sf;
	if (!tl_savefile_open(&sf, out_path, replace, err, errsize))
		return -1;
	pcap_dumper_t *d = pcap_dump_fopen(rr->p, sf.fp);
	if (!d) {
		snprintf(err, errsize, "cannot write %s: %s", out_path,
		         pcap_geterr(rr->p));
		tl_savefile_abort(&sf);
		tl_savefile_free(&sf);
		return -1;
	}
	long n = copy_frames(rr, d, &sf, want, ctx, err, errsize);
	bool wrote_all = tl_savefile_ok(&sf);
	char why[1024];
	bool synced = tl_savefile_sync(&sf, why, sizeof why);
	pcap_dump_close(d);     /* what it still had is on the disk now */
	sf.fp = NULL;
	if (!synced && (n >= 0 || !wrote_all))
		snprintf(err, errsize, "%s", why);  /* else a read error */
	if (n >= 0 && synced) {
		enum tl_publish r = tl_savefile_publish(&sf, err, errsize);
		if (r == TL_PUBLISHED) {
			tl_savefile_free(&sf);
			return n;
		}
		if (r == TL_PUBLISH_KEPT) {
			tl_savefile_free(&sf);
			return -1;      /* err says where the data is */
		}
	}
	tl_savefile_abort(&sf);
	tl_savefile_free(&sf);
	return -1;
}

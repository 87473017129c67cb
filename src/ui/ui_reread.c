/* Frames read again from the capture file: a checkpoint of the file offset
 * every CHECKPOINT_EVERY frames, recorded as we pass them, turns a jump to
 * any frame into a seek and a short read forward. */
#include "config.h"

#include "ui_reread.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tl_savefile.h"
#include "tl_util.h"

#define CHECKPOINT_EVERY 256u

struct ui_reread {
	pcap_t *p;
	char *path;             /* for messages: the file is open already */
	tl_nsec ts_unit;
	uint32_t frame;         /* frames read since the start */
	long *checkpoint;       /* [k]: offset before frame k*N+1 */
	uint32_t cp_count, cp_cap;
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

struct ui_reread *ui_reread_open(FILE *in, const char *path,
                                 const char *filter, char *err,
                                 size_t errsize)
{
	if (!in) {
		snprintf(err, errsize, "the input is not a file that can be "
		         "read again");
		return NULL;
	}
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
	struct ui_reread *rr = tl_xcalloc(1, sizeof *rr);
	rr->p = p;
	rr->path = tl_xstrdup(path);
	rr->ts_unit = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO
	                      ? 1 : 1000;
	rr->cp_cap = 64;
	rr->checkpoint = tl_xmalloc(rr->cp_cap * sizeof *rr->checkpoint);
	rr->checkpoint[0] = first;
	rr->cp_count = 1;
	return rr;
}

void ui_reread_close(struct ui_reread *rr)
{
	if (!rr)
		return;
	pcap_close(rr->p);
	free(rr->path);
	free(rr->checkpoint);
	free(rr);
}

static bool rewind_to(struct ui_reread *rr, uint32_t k, char *err,
                      size_t errsize)
{
	if (fseek(pcap_file(rr->p), rr->checkpoint[k], SEEK_SET) != 0) {
		snprintf(err, errsize, "cannot read %s again: %s", rr->path,
		         strerror(errno));
		rr->frame = UINT32_MAX;
		return false;
	}
	rr->frame = k * CHECKPOINT_EVERY;
	return true;
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
				long off = ftell(pcap_file(rr->p));
				if (off >= 0)
					rr->checkpoint[rr->cp_count++] = off;
			}
		}
		struct pcap_pkthdr *hdr;
		const u_char *data;
		int rc = pcap_next_ex(rr->p, &hdr, &data);
		if (rc != 1) {
			snprintf(err, errsize, "frame %u not found again in %s%s%s",
			         frame, rr->path, rc == -1 ? ": " : "",
			         rc == -1 ? pcap_geterr(rr->p) : "");
			rr->frame = UINT32_MAX;  /* force a seek next time */
			return false;
		}
		rr->frame++;
		if (rr->frame == frame) {
			f->data = data;
			f->caplen = hdr->caplen;
			f->len = hdr->len;
			f->ts = (tl_nsec)hdr->ts.tv_sec * TL_NSEC_PER_SEC +
			        (tl_nsec)hdr->ts.tv_usec * rr->ts_unit;
			return true;
		}
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
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(rr->p, &hdr, &data)) == 1) {
		if (!want(ctx, ++rr->frame))
			continue;
		pcap_dump((u_char *)d, hdr, data);
		if (!tl_savefile_ok(sf))
			return -1;      /* tl_savefile_sync() says why */
		written++;
	}
	rr->frame = UINT32_MAX;     /* seek before the next read */
	if (rc != PCAP_ERROR_BREAK) {
		snprintf(err, errsize, "reading %s again: %s", rr->path,
		         pcap_geterr(rr->p));
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

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

#include "tl_util.h"

#define CHECKPOINT_EVERY 256u

struct ui_reread {
	pcap_t *p;
	char *path;
	char *filter;
	tl_nsec ts_unit;
	uint32_t frame;         /* frames read since the start */
	long *checkpoint;       /* [k]: offset before frame k*N+1 */
	uint32_t cp_count, cp_cap;
};

static pcap_t *open_offline(const char *path, const char *filter,
                            char *err, size_t errsize)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		snprintf(err, errsize, "cannot read %s again: %s", path, ebuf);
		return NULL;
	}
	if (filter && *filter) {
		struct bpf_program prog;
		if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
		    pcap_setfilter(p, &prog) != 0) {
			snprintf(err, errsize, "filter '%s': %s", filter,
			         pcap_geterr(p));
			pcap_close(p);
			return NULL;
		}
		pcap_freecode(&prog);
	}
	return p;
}

struct ui_reread *ui_reread_open(const char *path, const char *filter,
                                 char *err, size_t errsize)
{
	struct stat st;
	if (!path || !strcmp(path, "-") || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "the input is not a file that can be "
		         "read again");
		return NULL;
	}
	pcap_t *p = open_offline(path, filter, err, errsize);
	if (!p)
		return NULL;
	struct ui_reread *rr = tl_xcalloc(1, sizeof *rr);
	rr->p = p;
	rr->path = tl_xstrdup(path);
	rr->filter = filter ? tl_xstrdup(filter) : NULL;
	rr->ts_unit = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO
	                      ? 1 : 1000;
	rr->cp_cap = 64;
	rr->checkpoint = tl_xmalloc(rr->cp_cap * sizeof *rr->checkpoint);
	rr->checkpoint[0] = ftell(pcap_file(p));
	rr->cp_count = rr->checkpoint[0] >= 0 ? 1 : 0;
	return rr;
}

void ui_reread_close(struct ui_reread *rr)
{
	if (!rr)
		return;
	pcap_close(rr->p);
	free(rr->path);
	free(rr->filter);
	free(rr->checkpoint);
	free(rr);
}

/* Starts over from the beginning when seeking is not possible. */
static bool rewind_to(struct ui_reread *rr, uint32_t k, char *err,
                      size_t errsize)
{
	if (k < rr->cp_count &&
	    fseek(pcap_file(rr->p), rr->checkpoint[k], SEEK_SET) == 0) {
		rr->frame = k * CHECKPOINT_EVERY;
		return true;
	}
	pcap_t *p = open_offline(rr->path, rr->filter, err, errsize);
	if (!p)
		return false;
	pcap_close(rr->p);
	rr->p = p;
	rr->frame = 0;
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

long ui_reread_save(const char *path, const char *filter, const char *out_path,
                    bool (*want)(void *ctx, uint32_t frame), void *ctx,
                    char *err, size_t errsize)
{
	pcap_t *p = open_offline(path, filter, err, errsize);
	if (!p)
		return -1;
	size_t n = strlen(out_path) + 16;
	char *temp = tl_xmalloc(n);
	snprintf(temp, n, "%s.partXXXXXX", out_path);
	int fd = mkstemp(temp);
	FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!fp) {
		snprintf(err, errsize, "cannot write %s: %s", out_path,
		         strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(temp);
		}
		free(temp);
		pcap_close(p);
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);   /* mkstemp made it private */
	pcap_dumper_t *d = pcap_dump_fopen(p, fp);
	if (!d) {
		snprintf(err, errsize, "cannot write %s: %s", out_path,
		         pcap_geterr(p));
		fclose(fp);
		unlink(temp);
		free(temp);
		pcap_close(p);
		return -1;
	}
	long written = 0;
	uint32_t frame = 0;
	struct pcap_pkthdr *hdr;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
		if (want(ctx, ++frame)) {
			pcap_dump((u_char *)d, hdr, data);
			written++;
		}
	}
	bool ok = rc == PCAP_ERROR_BREAK || rc == -2;
	if (!ok)
		snprintf(err, errsize, "reading %s: %s", path, pcap_geterr(p));
	if (ok && pcap_dump_flush(d) != 0) {
		ok = false;
		snprintf(err, errsize, "cannot write %s: %s", out_path,
		         strerror(errno));
	}
	pcap_dump_close(d);
	if (ok && rename(temp, out_path) != 0) {
		ok = false;
		snprintf(err, errsize, "cannot rename into %s: %s", out_path,
		         strerror(errno));
	}
	if (!ok)
		unlink(temp);
	free(temp);
	pcap_close(p);
	return ok ? written : -1;
}

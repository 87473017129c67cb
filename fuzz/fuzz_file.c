/* libFuzzer target: a whole pcap or pcapng file through libpcap and the
 * capture layer (tl_capture_open takes a path: the input is written to a
 * memfd and opened by its /proc name), into the model with the segments
 * retained, then rendered. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "tl_capture.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 20000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz_file", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0)
		abort();
	size_t done = 0;
	while (done < size) {
		ssize_t n = pwrite(fd, data + done, size - done, (off_t)done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	struct tl_capture_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.file = path;
	char err[1024];
	struct tl_capture *cap = tl_capture_open(&cfg, err, sizeof err);
	if (!cap)
		return 0;
	struct tl_options opt;
	fuzz_options(&opt, size ? data[size - 1] : 0);
	static struct tl_model m;
	tl_model_init(&m, true);
	(void)tl_capture_datalink(cap);
	(void)tl_capture_datalink_name(cap);
	struct tl_frame f;
	enum tl_next next;
	unsigned n = 0;
	while (n++ < MAX_FRAMES && (next = tl_capture_next(cap, &f)) !=
	                                   TL_NEXT_END) {
		if (next == TL_NEXT_ERROR) {
			(void)strlen(tl_capture_error(cap));
			break;
		}
		if (next != TL_NEXT_FRAME)
			abort();   /* a file never times out */
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		tl_model_frame(&m, f.dlt, f.data, f.caplen, f.ts, &seg, &note,
		               &has_note);
	}
	fuzz_render_all(&m, &opt);
	tl_model_free(&m);
	tl_capture_close(cap);
	return 0;
}

/* -T svg and -T html: read the capture once, keep the segments of the page
 * asked for (at most --rows of them) and count the rest, then write the
 * picture. A capture of two million segments costs the connection table
 * and one page of 32-byte records, never two million of them. */
#include "config.h"

#include "tl_picture.h"

#include <errno.h>
#include <string.h>

#include "tl_util.h"

int tl_picture_run(struct tl_options *opt, struct tl_capture *cap,
                   volatile sig_atomic_t *stop)
{
	static struct tl_model m;
	struct tl_segstore page;
	tl_model_init(&m, false);       /* every connection is kept */
	tl_segstore_init(&page);
	/* The bytes-in-flight graph draws the sender model's cwnd. */
	bool sender = opt->graph == 2;  /* TL_GRAPH_FLIGHT + 1 */
	if (sender)
		tl_model_enable_sender(&m, opt->cc);
	uint64_t per_page = opt->rows ? opt->rows : TL_PICTURE_DEFAULT_ROWS;
	uint64_t lo = (uint64_t)((opt->page ? opt->page : 1) - 1) * per_page;
	uint64_t hi = lo + per_page, total = 0;

	int status = 0, dlt = tl_capture_datalink(cap);
	const char *name = opt->cap.file ? opt->cap.file : opt->cap.device;
	struct tl_frame f;
	enum tl_next next;
	while (!*stop && (next = tl_capture_next(cap, &f)) != TL_NEXT_END) {
		if (next == TL_NEXT_TIMEOUT)
			continue;
		if (next == TL_NEXT_ERROR) {
			tl_warn("%s: %s after packet %u; the picture shows "
			        "everything before it", name,
			        tl_capture_error(cap), m.frames);
			status = 1;
			break;
		}
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		if (tl_model_frame(&m, dlt, f.data, f.caplen, f.ts, &seg, &note,
		                   &has_note) &&
		    tl_options_wants_stream(opt, seg.stream)) {
			if (total >= lo && total < hi) {
				uint32_t i = tl_segstore_append(
					&page, &seg, has_note ? &note : NULL);
				if (sender)
					tl_segstore_set_cc(&page, i,
					                   &m.sender_vals);
			}
			total++;
		}
		if (tl_model_frames_done(&m, opt->count))
			break;
	}

	if (m.frames == UINT32_MAX && opt->count != UINT32_MAX)
		tl_warn("%s", TL_LAST_FRAME_WARNING);
	if (total > 0 && lo >= total) {
		tl_warn("--page %u is empty: the selection has %llu rows, "
		        "%llu page%s of --rows %llu", opt->page,
		        (unsigned long long)total,
		        (unsigned long long)((total + per_page - 1) / per_page),
		        (total + per_page - 1) / per_page == 1 ? "" : "s",
		        (unsigned long long)per_page);
		tl_segstore_free(&page);
		tl_model_free(&m);
		return 2;
	}
	char hint[256] = "";
	if (total > page.count) {
		uint64_t pages = (total + per_page - 1) / per_page;
		if (hi < total)
			snprintf(hint, sizeof hint, "--page %u shows the next "
			         "%llu; -S N picks one connection", opt->page + 1,
			         (unsigned long long)(total - hi < per_page
			                              ? total - hi : per_page));
		else
			snprintf(hint, sizeof hint, "the last of %llu pages",
			         (unsigned long long)pages);
		tl_warn("the picture shows rows %llu to %llu of %llu (--rows "
		        "%llu, --page %u)%s%s", (unsigned long long)(lo + 1),
		        (unsigned long long)(lo + page.count),
		        (unsigned long long)total,
		        (unsigned long long)per_page, opt->page,
		        hi < total ? "; " : "", hi < total ? hint : "");
	}
	struct tl_picture_src src = {
		.m = &m,
		.segs = &page,
		.rows = NULL,
		.row_count = page.count,
		.first_row = lo,
		.total_rows = total,
		.title = name,
		.more_hint = hint,
		.absolute_seq = opt->absolute_seq,
		.time_format = opt->time_format,
		.by_host = opt->by_host,
	};
	int rc;
	if (opt->output == TL_OUT_HTML)
		rc = tl_html_page(stdout, &src, opt->graph);
	else if (opt->graph)
		rc = tl_svg_graph(stdout, &src,
		                  (enum tl_graph_kind)(opt->graph - 1),
		                  UINT32_MAX, -1, NULL);
	else
		rc = tl_svg_ladder(stdout, &src);
	if (rc != 0 && errno != EPIPE) {
		tl_warn("writing the picture: %s", strerror(errno));
		status = 2;
	}
	tl_segstore_free(&page);
	tl_model_free(&m);
	return status;
}

/* -T svg and -T html: read the capture once, keep the segments of the page
 * asked for (at most --rows of them) and count the rest, then write the
 * picture. A capture of two million segments costs the connection table
 * and one page of 32-byte records, never two million of them. */
#include "config.h"

#include "tl_picture.h"

#include "tl_dfilter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tl_app.h"
#include "tl_render.h"
#include "tl_util.h"

/* -T html and -T svg (the ladder): the payload of the connections picked
 * with -S (at most
 * PICTURE_FOLLOWS), or of the first connection, each at most
 * PICTURE_FOLLOW_BYTES: a page is for reading. */
#define PICTURE_FOLLOWS 8u
#define PICTURE_FOLLOW_BYTES (4u << 20)

struct picture_follow {
	const struct tl_options *opt;
	struct tl_follow *follows[PICTURE_FOLLOWS];
	uint32_t streams[PICTURE_FOLLOWS];
	uint32_t count;
};

static void picture_follow_free(struct picture_follow *pf)
{
	for (uint32_t i = 0; i < pf->count; i++) {
		tl_follow_free(pf->follows[i]);
		free(pf->follows[i]);
	}
	pf->count = 0;
}

static void picture_segment(void *ctx, const struct tl_seg *seg,
                            const struct tl_packet *pkt, const uint8_t *frame)
{
	struct picture_follow *pf = ctx;
	uint32_t i;
	if (!tl_options_wants_stream(pf->opt, seg->stream))
		return;
	for (i = 0; i < pf->count && pf->streams[i] != seg->stream; i++)
		;
	if (i == pf->count) {
		if (pf->count == (pf->opt->stream_count ? PICTURE_FOLLOWS : 1))
			return;
		pf->streams[i] = seg->stream;
		pf->follows[i] = tl_xmalloc(sizeof *pf->follows[i]);
		tl_follow_init(pf->follows[i], PICTURE_FOLLOW_BYTES);
		pf->count++;
	}
	struct tl_follow_seg fs;
	tl_follow_seg_init(&fs, seg, pkt, frame);
	tl_follow_add(pf->follows[i], &fs);
}

/* Application labels of frames off the page are let go once the arena
 * holds this much: a picture keeps one page of them, not the capture's. */
#define PICTURE_LABEL_BYTES (4u << 20)

/* Whether frame is a row of the page (its frames only grow). */
static bool label_on_page(void *ctx, uint32_t frame)
{
	const struct tl_segstore *page = ctx;
	uint32_t lo = 0, hi = page->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint32_t f = tl_segstore_get(page, mid)->frame;
		if (f == frame)
			return true;
		if (f < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* -Y: whether the segment the model just analysed is selected. */
static bool passes_filter(const struct tl_options *opt,
                          const struct tl_model *m, const struct tl_frame *f,
                          uint32_t frame)
{
	if (!opt->dfilter)
		return true;
	struct tl_fctx c = { .m = m, .data = f->data, .caplen = f->caplen,
	                     .len = f->len, .frame = frame, .ts = f->ts };
	return tl_dfilter_match(opt->dfilter, &c);
}

int tl_picture_run(struct tl_options *opt, struct tl_capture *cap,
                   volatile sig_atomic_t *stop)
{
	static struct tl_model m;
	struct tl_segstore page;
	tl_model_init(&m, false);       /* every connection is kept */
	/* The pictures carry what the view shows: application labels,
	 * head-of-line notes and the exchanges of each connection. */
	tl_model_enable_app(&m);
	m.app_keeps_labels = true;
	if (opt->dfilter && tl_dfilter_wants_bif(opt->dfilter))
		tl_tracker_want_bif(&m.tracker);
	if (opt->dfilter && tl_dfilter_wants_http(opt->dfilter))
		tl_app_want_http(m.app);
	tl_segstore_init(&page);
	static struct picture_follow pf;
	memset(&pf, 0, sizeof pf);
	pf.opt = opt;
	if (opt->output == TL_OUT_HTML ||
	    (opt->output == TL_OUT_SVG && !opt->graph)) {
		m.segment_hook = picture_segment;
		m.segment_hook_ctx = &pf;
	}
	/* The ladder's phase band and the bytes-in-flight graph's cwnd
	 * come from the sender model. */
	tl_model_enable_sender(&m, opt->cc);
	uint64_t per_page = opt->rows ? opt->rows : TL_PICTURE_DEFAULT_ROWS;
	uint64_t lo = (uint64_t)((opt->page ? opt->page : 1) - 1) * per_page;
	uint64_t hi = lo + per_page, total = 0;
	uint64_t label_limit = PICTURE_LABEL_BYTES;

	int status = 0;
	const char *name = opt->cap.file ? opt->cap.file : opt->cap.device;
	struct tl_frame f;
	enum tl_next next;
	bool live = tl_capture_is_live(cap);
	while (!*stop && (next = tl_capture_next(cap, &f)) != TL_NEXT_END) {
		/* Kernel drops, marked after the last frame read: polled when
		 * the buffer is drained, or every 4096 frames. */
		if (live && (next == TL_NEXT_TIMEOUT || (m.frames & 4095) == 0))
			tl_model_poll_drops(&m, cap);
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
		if (tl_model_frame(&m, f.dlt, f.data, f.caplen, f.ts, &seg, &note,
		                   &has_note) &&
		    tl_options_wants_stream(opt, seg.stream) &&
		    passes_filter(opt, &m, &f, seg.frame)) {
			if (total >= lo && total < hi) {
				uint32_t i = tl_segstore_append(
					&page, &seg, has_note ? &note : NULL);
				tl_segstore_set_cc(&page, i, &m.sender_vals);
				struct tl_seg_sack sk;
				if (tl_model_sack(&m, &sk))
					tl_segstore_add_sack(&page, i, &sk);
			}
			total++;
		}
		/* Every frame seen so far is on the page or never will be;
		 * the page's own labels may be many: prune again only when
		 * the arena doubled. */
		if (m.app && m.app->arena_len > label_limit) {
			tl_app_keep_labels(m.app, label_on_page, &page);
			if (label_limit < 2 * (uint64_t)m.app->arena_len)
				label_limit = 2 * (uint64_t)m.app->arena_len;
		}
		if (tl_model_frames_done(&m, opt->count))
			break;
	}

	if (live)
		tl_model_poll_drops(&m, cap);
	if (m.frames == UINT32_MAX && opt->count != UINT32_MAX)
		tl_warn("%s", TL_LAST_FRAME_WARNING);
	char unread[512];
	if (tl_model_unread_text(&m, unread, sizeof unread))
		tl_warn("%s: not shown: %s", name, unread);
	if (total > 0 && lo >= total) {
		tl_warn("--page %u is empty: the selection has %llu rows, "
		        "%llu page%s of --rows %llu", opt->page,
		        (unsigned long long)total,
		        (unsigned long long)((total + per_page - 1) / per_page),
		        (total + per_page - 1) / per_page == 1 ? "" : "s",
		        (unsigned long long)per_page);
		picture_follow_free(&pf);
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
		.follows = (const struct tl_follow *const *)pf.follows,
		.follow_streams = pf.streams,
		.follow_count = pf.count,
	};
	/* Through a stream that keeps the first write error's reason:
	 * stdout's errno could be anyone's by the end of the picture. */
	struct tl_fdfile sink;
	FILE *out = tl_fdfile_open(&sink, STDOUT_FILENO);
	char what[600];
	tl_stdout_name(what, sizeof what);
	if (!out) {
		tl_warn("cannot write %s: %s", what, strerror(errno));
		status = TL_EXIT_WRITE;
	} else {
		if (opt->output == TL_OUT_HTML)
			tl_html_page(out, &src, opt->graph);
		else if (opt->graph)
			tl_svg_graph(out, &src,
			             (enum tl_graph_kind)(opt->graph - 1),
			             UINT32_MAX, -1, NULL);
		else
			tl_svg_ladder(out, &src);
		int wrote = tl_fdfile_close(out, &sink, what);
		if (wrote)
			status = wrote;
	}
	picture_follow_free(&pf);
	tl_segstore_free(&page);
	tl_model_free(&m);
	return status;
}

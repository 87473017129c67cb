/* tcpladder: open the capture, feed the model, hand segments to a front end. */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tl_app.h"
#include "tl_capture.h"
#include "tl_follow.h"
#include "tl_dfilter.h"
#include "tl_model.h"
#include "tl_options.h"
#include "tl_privs.h"
#include "tl_picture.h"
#include "tl_render.h"
#include "tl_savefile.h"
#include "tl_ui.h"

static volatile sig_atomic_t stop_requested;
/* Live reads block in the kernel until a packet comes; a stop signal must
 * wake them (pcap_breakloop is safe to call from a handler). */
static struct tl_capture *volatile capture_to_break;

static void on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
	if (capture_to_break)
		tl_capture_break(capture_to_break);
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);  /* Ctrl-\ stops as Ctrl-C does */
}

static int output_width(const struct tl_options *opt)
{
	struct winsize ws;
	if (opt->width)
		return opt->width;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col >= 40)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	if (cols && atoi(cols) >= 40)
		return atoi(cols);
	return 120;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

struct batch {
	struct tl_options *opt;
	struct tl_model model;
	struct tl_out out;
	struct tl_text_ladder text;
	struct tl_tsv tsv;
	struct tl_fields_out fields;
	uint64_t damaged;       /* packets whose lengths contradict them */
	uint32_t first_damaged;
	struct tl_follow *follows;      /* one per -z, in its order */
};

/* Every segment with a row, for the -z follow sections. */
static void batch_follow(void *ctx, const struct tl_seg *seg,
                         const struct tl_packet *pkt, const uint8_t *frame)
{
	struct batch *b = ctx;
	struct tl_follow_seg fs;
	tl_follow_seg_init(&fs, seg, pkt, frame);
	for (uint32_t i = 0; i < b->opt->follow_count; i++)
		if (tl_follow_spec_match(&b->opt->follows[i], seg->stream, &fs))
			tl_follow_add(&b->follows[i], &fs);
}

/* The -z sections, last -z first as tshark prints them. Returns 3 when
 * one stopped at --max-memory. */
static int print_follows(struct batch *b)
{
	int status = 0;
	for (uint32_t i = b->opt->follow_count; i-- > 0;) {
		tl_follow_print(&b->follows[i], &b->opt->follows[i], &b->out);
		if (b->follows[i].full) {
			tl_warn("-z follow: stopped at %llu bytes to stay within "
			        "--max-memory; the section above is incomplete",
			        (unsigned long long)tl_follow_bytes(
			                &b->follows[i]));
			status = 3;
		}
		tl_follow_free(&b->follows[i]);
	}
	free(b->follows);
	b->follows = NULL;
	return status;
}

static void batch_segment(struct batch *b, const struct tl_seg *seg,
                          const struct tl_seg_note *note,
                          const struct tl_frame *f)
{
	if (b->opt->quiet || !tl_options_wants_stream(b->opt, seg->stream))
		return;
	struct tl_fctx fc = { .m = &b->model, .data = f->data,
	                      .caplen = f->caplen, .len = f->len,
	                      .frame = seg->frame, .ts = f->ts };
	if (b->opt->dfilter && !tl_dfilter_match(b->opt->dfilter, &fc))
		return;
	if (b->opt->output == TL_OUT_FIELDS) {
		tl_fields_row(&b->fields, &b->out, &fc);
	} else if (b->opt->output == TL_OUT_TSV) {
		tl_tsv_row(&b->tsv, &b->out, &b->model, seg);
	} else if (b->opt->output == TL_OUT_SENDER) {
		struct tl_sender_vals v;
		tl_sender_get(&b->model, &v);
		tl_sender_row(&b->out, seg, &v);
	} else {
		tl_text_row(&b->text, &b->out, &b->model, seg, note);
	}
}

/* Reads everything and prints as it goes; returns the exit status. */
static int run_batch(struct tl_options *opt, struct tl_capture *cap)
{
	static struct batch b;
	b.opt = opt;
	tl_model_init(&b.model, false);
	if (opt->output == TL_OUT_TEXT)
		tl_model_enable_app(&b.model);
	tl_fields_out_init(&b.fields, opt);
	if ((opt->output == TL_OUT_FIELDS && b.fields.wants_http) ||
	    (opt->dfilter && tl_dfilter_wants_http(opt->dfilter))) {
		tl_model_enable_app(&b.model);
		tl_app_want_http(b.model.app);
	}
	if (opt->output == TL_OUT_SENDER ||
	    (opt->output == TL_OUT_FIELDS && b.fields.wants_sender) ||
	    (opt->dfilter && tl_dfilter_wants_sender(opt->dfilter)))
		tl_model_enable_sender(&b.model, opt->cc);
	if ((opt->output == TL_OUT_FIELDS && b.fields.wants_bif) ||
	    (opt->dfilter && tl_dfilter_wants_bif(opt->dfilter)))
		tl_tracker_want_bif(&b.model.tracker);
	tl_tracker_set_max_live(&b.model.tracker, opt->max_connections
	                        ? opt->max_connections
	                        : TL_DEFAULT_MAX_CONNECTIONS);
	tl_out_init(&b.out, STDOUT_FILENO, tl_capture_is_live(cap));
	tl_text_init(&b.text, opt, output_width(opt),
	             !opt->ascii && locale_is_utf8());
	tl_tsv_init(&b.tsv);
	if (opt->output == TL_OUT_TSV && !opt->quiet)
		tl_tsv_header(&b.out);
	else if (opt->output == TL_OUT_FIELDS && !opt->quiet)
		tl_fields_header(&b.fields, &b.out);
	else if (opt->output == TL_OUT_SENDER && !opt->quiet)
		tl_sender_header(&b.out);
	if (opt->follow_count) {
		b.follows = tl_xcalloc(opt->follow_count, sizeof *b.follows);
		for (uint32_t i = 0; i < opt->follow_count; i++)
			tl_follow_init(&b.follows[i], opt->max_memory /
			               opt->follow_count);
		b.model.segment_hook = batch_follow;
		b.model.segment_hook_ctx = &b;
	}

	int status = 0;
	struct tl_frame f;
	enum tl_next next;
	bool live = tl_capture_is_live(cap);
	while (!stop_requested && !b.out.failed &&
	       (next = tl_capture_next(cap, &f)) != TL_NEXT_END) {
		/* Kernel drops, marked after the last frame read: polled when
		 * the kernel's buffer is drained (every packet it kept before
		 * the drops it counted has been read), and under a load that
		 * never drains it, every 4096 frames. The read may block
		 * without a timeout while nothing arrives: drained is also
		 * asked after a frame. */
		if (live && (next == TL_NEXT_TIMEOUT ||
		             (b.model.frames & 4095) == 0 ||
		             tl_capture_drained(cap)))
			tl_model_poll_drops(&b.model, cap);
		if (next == TL_NEXT_TIMEOUT) {
			/* Nothing came for a while (a pipe's writer pauses):
			 * what is buffered is what the user waits for. */
			tl_out_flush(&b.out);
			continue;
		}
		if (next == TL_NEXT_ERROR && stop_requested)
			break;  /* a stop signal cut a read short: not damage */
		if (next == TL_NEXT_ERROR) {
			tl_out_flush(&b.out);
			tl_warn("%s: %s after packet %u; everything before it "
			        "was shown", opt->cap.file ? opt->cap.file
			                                   : opt->cap.device,
			        tl_capture_error(cap), b.model.frames);
			status = 1;
			break;
		}
		struct tl_seg seg;
		struct tl_seg_note note;
		bool has_note;
		uint64_t malformed = b.model.malformed,
		         truncated = b.model.truncated,
		         cut = b.model.unread.cut;
		if (tl_model_frame(&b.model, f.dlt, f.data, f.caplen, f.ts, &seg,
		                   &note, &has_note))
			batch_segment(&b, &seg, has_note ? &note : NULL, &f);
		/* Lengths that contradict the packet, or a header cut short
		 * although the whole packet was captured (not a snap length):
		 * damaged packets, named in one warning at the end. */
		bool whole = f.caplen >= f.len;
		if (whole && b.model.unread.cut != cut)
			b.model.unread.cut--;   /* damaged, not cut short */
		if (b.model.malformed != malformed ||
		    (b.model.truncated != truncated && whole)) {
			if (!b.damaged++)
				b.first_damaged = b.model.frames;
		}
		if (tl_model_frames_done(&b.model, opt->count))
			break;
	}
	if (live)
		tl_model_poll_drops(&b.model, cap);
	if (opt->output == TL_OUT_TEXT && !opt->quiet && !b.out.failed) {
		tl_text_drops(&b.text, &b.out, &b.model, UINT32_MAX);
		tl_text_app_summary(&b.text, &b.out, &b.model);
	}
	if (opt->follow_count && !b.out.failed) {
		int fs = print_follows(&b);
		if (!status)
			status = fs;
	}
	char name[600];
	int wrote = tl_out_finish(&b.out, tl_stdout_name(name, sizeof name));
	if (wrote)
		status = wrote;
	if (b.model.frames == UINT32_MAX && opt->count != UINT32_MAX)
		tl_warn("%s", TL_LAST_FRAME_WARNING);
	if (b.damaged)
		tl_warn("%s: %llu packet%s not shown: IP or TCP lengths "
		        "contradict the packet (first: frame %u)",
		        opt->cap.file ? opt->cap.file : opt->cap.device,
		        (unsigned long long)b.damaged, b.damaged == 1 ? "" : "s",
		        b.first_damaged);
	char unread[512];
	if (tl_model_unread_text(&b.model, unread, sizeof unread))
		tl_warn("%s: not shown: %s",
		        opt->cap.file ? opt->cap.file : opt->cap.device, unread);
	if (b.model.tracker.evicted)
		tl_warn("%llu idle connections were forgotten to stay within "
		        "--max-connections %u; a later segment of one of them "
		        "started a new stream", (unsigned long long)
		        b.model.tracker.evicted, b.model.tracker.max_live);
	uint64_t recv, drop;
	if (tl_capture_is_live(cap) && tl_capture_stats(cap, &recv, &drop))
		fprintf(stderr, "%s: %u packets captured, %llu dropped by the "
		        "kernel\n", tl_progname(), b.model.frames,
		        (unsigned long long)drop);
	tl_text_free(&b.text);
	tl_tsv_free(&b.tsv);
	tl_fields_out_free(&b.fields);
	tl_model_free(&b.model);
	return status;
}

/* Opens the input, gives up privileges before any packet is read, then
 * opens -w's file as the user it runs as now. 0, or the exit status. */
static int open_input(struct tl_options *opt, struct tl_capture **capp)
{
	char err[1024];
	const char *w = opt->cap.write_file;
	/* A -w that can never succeed is refused before anything runs. */
	if (w && !tl_savefile_check(w, opt->cap.force_write, NULL, err,
	                            sizeof err)) {
		tl_warn("%s", err);
		return 2;
	}
	struct tl_capture *cap = tl_capture_open(&opt->cap, err, sizeof err);
	if (!cap) {
		tl_warn("%s", err);
		return 2;
	}
	bool was_root = geteuid() == 0;
	if (!opt->no_drop &&
	    !tl_drop_privileges(opt->drop_user, err, sizeof err)) {
		tl_warn("%s", err);
		tl_capture_close(cap);
		return 2;
	}
	if (w && !tl_capture_start_write(cap, w, opt->cap.force_write, err,
	                                 sizeof err)) {
		bool dropped = was_root && geteuid() != 0;
		tl_warn("%s%s", err, dropped ? " (the file is made after "
		        "dropping root, as the user -Z names or who ran sudo; "
		        "--no-drop keeps root)" : "");
		tl_capture_close(cap);
		return 2;
	}
	tl_capture_begin(cap);
	*capp = cap;
	return 0;
}

/* Says what -w saved, or why it did not; returns the exit status. */
static int finish_write(struct tl_capture *cap, int status)
{
	char err[2048];
	const char *path = tl_capture_write_path(cap);
	if (!path)
		return status;
	uint64_t saved = tl_capture_saved(cap);
	enum tl_publish r = tl_capture_finish_write(cap, err, sizeof err);
	if (r != TL_PUBLISHED) {
		tl_warn("%s", err);
		return TL_EXIT_WRITE;
	}
	if (tl_capture_unsaved(cap, err, sizeof err))
		tl_warn("%s", err);
	bool whole = tl_capture_is_live(cap) || tl_capture_at_end(cap);
	fprintf(stderr, "%s: saved %llu frame%s to %s%s\n", tl_progname(),
	        (unsigned long long)saved, saved == 1 ? "" : "s", path,
	        whole ? "" : " (the input was not read to its end)");
	return status;
}

int main(int argc, char **argv)
{
	struct tl_options opt;
	char err[1024];
	tl_guard_std_fds();
	signal(SIGPIPE, SIG_IGN);   /* a closed pipe is seen as EPIPE */
	setlocale(LC_ALL, "");
	tl_set_progname(argv[0]);
	tl_options_parse(&opt, argc, argv);
	if (opt.output == TL_OUT_AUTO) {
		opt.output = isatty(STDOUT_FILENO) && !opt.follow_count &&
		             !opt.quiet ? TL_OUT_UI : TL_OUT_TEXT;
		/* A terminal the view cannot use gets the text ladder. */
		if (opt.output == TL_OUT_UI &&
		    !tl_ui_terminal_usable(STDOUT_FILENO, err, sizeof err)) {
			tl_warn("%s: showing the text ladder (-T text)", err);
			opt.output = TL_OUT_TEXT;
		}
	}
	struct tl_capture *cap = NULL;
	int status = open_input(&opt, &cap);
	if (status) {
		tl_options_free(&opt);
		return status;
	}
	capture_to_break = opt.output == TL_OUT_UI ? NULL : cap;
	install_signals();
	status = opt.output == TL_OUT_UI ? tl_ui_run(&opt, cap)
	       : opt.output == TL_OUT_SVG || opt.output == TL_OUT_HTML
	             ? tl_picture_run(&opt, cap, &stop_requested)
	             : run_batch(&opt, cap);
	status = finish_write(cap, status);
	tl_capture_close(cap);
	tl_options_free(&opt);
	return status;
}

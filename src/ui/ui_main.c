/* The full-screen front end's loop: one poll() that serves the keyboard,
 * signals (through a self-pipe) and the capture, feeding the model in
 * slices so the first screen shows at once while a file is still read. */
#include "config.h"

#include "tl_ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "tl_util.h"
#include "ui.h"

#include "tl_dfilter.h"

#define SLICE_FRAMES 20000
#define SLICE_MS 40
#define IDLE_POLL_MS 200
#define LOADING_DRAW_MS 100
/* A replay redraws at most this often (about 30 a second): at a fast pace
 * every frame asked for a redraw, and a terminal (or tmux) behind a slow
 * link fell seconds behind the replay's clock. */
#define REPLAY_DRAW_MS 33
#define MESSAGE_MS 6000

static const struct ui_glyphs utf8_glyphs = {
	"\u2502", "\u2500", "\u251c", "\u2524", "\u25b6", "\u25c0", "\u2192",
	"\u2026", "\u25b2", "\u25bc",
};
static const struct ui_glyphs ascii_glyphs = {
	"|", "-", "|", "|", ">", "<", "->", "~", "^", "v",
};

static const struct ui_view *const views[UI_VIEW_COUNT] = {
	[UI_VIEW_LIST] = &ui_view_list,
	[UI_VIEW_LADDER] = &ui_view_ladder,
	[UI_VIEW_DETAIL] = &ui_view_detail,
	[UI_VIEW_HELP] = &ui_view_help,
	[UI_VIEW_GRAPH] = &ui_view_graph,
	[UI_VIEW_FOLLOW] = &ui_view_follow,
	[UI_VIEW_HOSTS] = &ui_view_hosts,
};

/* ---- signals ---------------------------------------------------------- */

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t got_winch, got_stop;
static volatile sig_atomic_t curses_on;
static struct sigaction old_int, old_term, old_hup, old_quit, old_winch;

/* What endwin() would send (mouse reporting off, keypad off, attributes
 * off, cursor on, alternate screen left), worked out while curses is up
 * so a signal handler can send it with write(2), and the terminal modes
 * from before curses, which tcsetattr() puts back. */
static char reset_seq[512];
static size_t reset_len;
static int tty_fd = -1;
static struct termios tty_shell;
static bool have_tty_shell;

/* Signals that end the program at once (faults, and the others whose
 * default is to end it): the terminal is put back, then the old action
 * (the default, or a sanitizer's report) runs. */
static const int fatal_sigs[] = {
	SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGSYS, SIGXCPU, SIGXFSZ,
	SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM,
};
#define FATAL_SIGS (sizeof fatal_sigs / sizeof fatal_sigs[0])
static struct sigaction old_fatal[FATAL_SIGS];
static bool fatal_installed[FATAL_SIGS];
/* A stack overflow's SIGSEGV needs a stack of its own. */
static char alt_stack[65536];
static bool alt_stack_ours;

/* Async-signal-safe: write(2) and tcsetattr() only. */
static void emergency_restore(void)
{
	if (!curses_on)
		return;
	curses_on = 0;
	size_t done = 0;
	while (done < reset_len) {
		ssize_t n = write(STDOUT_FILENO, reset_seq + done,
		                  reset_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;      /* the terminal is gone */
		done += (size_t)n;
	}
	/* TCSANOW: the bytes above are already processed into the queue,
	 * and draining could wait forever on a terminal stopped by ^S. */
	if (have_tty_shell)
		tcsetattr(tty_fd, TCSANOW, &tty_shell);
}

static void on_signal(int sig)
{
	int saved = errno;
	if (sig == SIGWINCH) {
		got_winch = 1;
	} else if (got_stop) {
		/* Asked twice: the loop is too busy to see the first one
		 * (a long operation). End now, the terminal put back. */
		struct sigaction dfl;
		memset(&dfl, 0, sizeof dfl);
		dfl.sa_handler = SIG_DFL;
		emergency_restore();
		sigaction(sig, &dfl, NULL);
		raise(sig);     /* delivered when this handler returns */
	} else {
		got_stop = sig;
	}
	char b = (char)sig;
	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
		/* full pipe: a wake-up is already pending */
	}
	errno = saved;
}

static void on_fatal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	int saved = errno;
	emergency_restore();
	for (size_t i = 0; i < FATAL_SIGS; i++)
		if (fatal_sigs[i] == sig)
			sigaction(sig, &old_fatal[i], NULL);
	/* A fault comes back by itself when the instruction runs again,
	 * now to the old action; any other (sent by kill or abort, or a
	 * limit) is raised again, delivered when this handler returns. */
	bool fault = (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
	              sig == SIGILL) && si->si_code > 0;
	if (!fault)
		raise(sig);
	errno = saved;
}

static void install_fatal(void)
{
	stack_t ss;
	if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
		ss.ss_sp = alt_stack;
		ss.ss_size = sizeof alt_stack;
		ss.ss_flags = 0;
		alt_stack_ours = sigaltstack(&ss, NULL) == 0;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fatal;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < FATAL_SIGS; i++) {
		struct sigaction cur;
		fatal_installed[i] = false;
		if (sigaction(fatal_sigs[i], NULL, &cur) != 0 ||
		    cur.sa_handler == SIG_IGN)
			continue;
		fatal_installed[i] =
			sigaction(fatal_sigs[i], &sa, &old_fatal[i]) == 0;
	}
}

static void restore_fatal(void)
{
	for (size_t i = 0; i < FATAL_SIGS; i++)
		if (fatal_installed[i])
			sigaction(fatal_sigs[i], &old_fatal[i], NULL);
	if (alt_stack_ours) {
		stack_t ss;
		memset(&ss, 0, sizeof ss);
		ss.ss_flags = SS_DISABLE;
		sigaltstack(&ss, NULL);
		alt_stack_ours = false;
	}
}

static void install_signals(void)
{
	if (pipe(sig_pipe) == 0) {
		for (int i = 0; i < 2; i++) {
			fcntl(sig_pipe[i], F_SETFL,
			      fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
			fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	/* One at a time: a second stop signal sees the first one's mark. */
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaddset(&sa.sa_mask, SIGQUIT);
	sigaddset(&sa.sa_mask, SIGWINCH);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sigaction(SIGQUIT, &sa, &old_quit);
	sigaction(SIGWINCH, &sa, &old_winch);
	install_fatal();
}

static void restore_signals(void)
{
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGWINCH, &old_winch, NULL);
	restore_fatal();
	for (int i = 0; i < 2; i++) {
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
		sig_pipe[i] = -1;
	}
}

static void drain_sig_pipe(void)
{
	char buf[64];
	while (sig_pipe[0] >= 0 && read(sig_pipe[0], buf, sizeof buf) > 0)
		;
}

static void reset_add(const char *cap)
{
	if (!cap || cap == (const char *)-1)
		return;
	size_t n = strlen(cap);
	if (n < sizeof reset_seq - reset_len) {
		memcpy(reset_seq + reset_len, cap, n);
		reset_len += n;
	}
}

/* Once curses is set up: the sequences endwin() would send. */
static void prepare_emergency_reset(void)
{
	reset_len = 0;
	const char *xm = tigetstr("XM"), *kmous = tigetstr("kmous");
	if (xm && xm != (const char *)-1)
		reset_add(tiparm(xm, 0));
	else if (kmous && kmous != (const char *)-1)
		reset_add("\033[?1000l");      /* curses' xterm default */
	reset_add(tigetstr("rmkx"));
	reset_add(tigetstr("sgr0"));
	reset_add(tigetstr("cnorm"));
	const char *rmcup = tigetstr("rmcup");
	if (rmcup && rmcup != (const char *)-1)
		reset_add(rmcup);
	else
		reset_add("\r\n");
}

static void restore_terminal(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

/* tl_fatal() calls this before printing its message. */
static void fatal_hook(void)
{
	restore_terminal();
}

/* ---- helpers the views use --------------------------------------------- */

int64_t ui_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ui_set_view(struct ui *ui, enum ui_view_id view)
{
	if (view == UI_VIEW_HELP && ui->view != UI_VIEW_HELP)
		ui->help_back = ui->view;
	ui->view = view;
	if (views[view]->enter)
		views[view]->enter(ui);
	ui->dirty = true;
}

void ui_message(struct ui *ui, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_error = error;
	ui->msg_ms = ui_now_ms();
	ui->dirty = true;
}

void ui_prompt_start(struct ui *ui, const char *label, const char *initial,
                     bool yes_no, ui_prompt_done done)
{
	struct ui_prompt *p = &ui->prompt;
	p->active = true;
	snprintf(p->label, sizeof p->label, "%s", label);
	snprintf(p->text, sizeof p->text, "%s", initial ? initial : "");
	p->len = strlen(p->text);
	p->yes_no = yes_no;
	p->done = done;
	p->tab = NULL;
	p->err[0] = '\0';
	ui->msg[0] = '\0';
	ui->dirty = true;
}

void ui_prompt_refuse(struct ui *ui, const char *err, size_t pos,
                      size_t len)
{
	struct ui_prompt *p = &ui->prompt;
	p->active = true;
	snprintf(p->err, sizeof p->err, "%s", err);
	p->err_pos = pos < p->len ? pos : p->len;
	p->err_len = len;
	ui->dirty = true;
}

/* Segments are stored in frame order: binary search. */
bool ui_seg_by_frame(const struct ui *ui, uint32_t frame, uint32_t *seg_index)
{
	uint32_t lo = 0, hi = ui->m.segs.count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tl_segstore_get(&ui->m.segs, mid)->frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	*seg_index = lo;
	return lo < ui->m.segs.count &&
	       tl_segstore_get(&ui->m.segs, lo)->frame == frame;
}

/* ---- feeding the model --------------------------------------------------- */

static void input_failed(struct ui *ui)
{
	ui->input_done = true;
	ui->input_error = true;
	snprintf(ui->input_err, sizeof ui->input_err, "%s",
	         tl_capture_error(ui->cap));
	ui_message(ui, true, "%s: %s after frame %u; everything before it is "
	           "shown", ui->input_name, ui->input_err, ui->m.frames);
}

static bool feed_frame(struct ui *ui, const struct tl_frame *f)
{
	struct tl_seg seg;
	struct tl_seg_note note;
	bool has_note;
	uint32_t before = ui->m.frames;
	bool got = tl_model_frame(&ui->m, f->dlt, f->data, f->caplen, f->ts,
	                          &seg, &note, &has_note);
	if (ui->ring_on && ui->m.frames != before)
		tl_ring_put(&ui->ring, ui->m.frames, f);
	if ((ui->ladder.fm || ui->list.fm) && ui->m.frames != before)
		ui_fmatch_feed(ui, f);
	if (tl_model_frames_done(&ui->m, ui->opt->count)) {
		ui->input_done = true;
		if (ui->m.frames == UINT32_MAX && ui->opt->count != UINT32_MAX)
			ui_message(ui, true, "%s", TL_LAST_FRAME_WARNING);
	}
	return got;
}

/* The next frame, if one is there now; notes the end and read errors. */
static bool next_frame(struct ui *ui, struct tl_frame *f)
{
	switch (tl_capture_next(ui->cap, f)) {
	case TL_NEXT_FRAME:
		return true;
	case TL_NEXT_END: {
		ui->input_done = true;
		/* Packets that carry TCP but have no row are named, as the
		 * text outputs name them. */
		char unread[512];
		if (tl_model_unread_text(&ui->m, unread, sizeof unread))
			ui_message(ui, true, "%s: not shown: %s",
			           ui->input_name, unread);
		return false;
	}
	case TL_NEXT_ERROR:
		input_failed(ui);
		return false;
	default:
		return false;
	}
}

static void replay_feed(struct ui *ui)
{
	for (int n = 0; n < SLICE_FRAMES && !ui->input_done; n++) {
		if (!ui->have_pending) {
			struct tl_frame f;
			if (!next_frame(ui, &f))
				break;
			if (f.caplen > ui->pending_cap) {
				ui->pending_cap = f.caplen;
				ui->pending_buf = tl_xrealloc(ui->pending_buf,
				                              f.caplen, 1);
			}
			memcpy(ui->pending_buf, f.data, f.caplen);
			ui->pending = f;
			ui->pending.data = ui->pending_buf;
			ui->have_pending = true;
			if (!ui->replay_wall0_ms) {
				ui->replay_wall0_ms = ui_now_ms();
				ui->replay_ts0 = f.ts;
			}
		}
		if (ui->step_wait || ui->paused)
			break;  /* a paused replay's clock stands still */
		double due = (double)ui->replay_wall0_ms +
		             (double)(ui->pending.ts - ui->replay_ts0) / 1e6 /
		                     ui->opt->replay_speed;
		if (!ui->opt->step && (double)ui_now_ms() < due)
			break;
		ui->have_pending = false;
		if (feed_frame(ui, &ui->pending) && ui->opt->step) {
			ui->dirty = true;       /* each step is drawn at once */
			ui->step_wait = true;
			break;
		}
	}
}

/* Kernel drops: a rise since the last poll is marked in the model after
 * the last frame read, and the ladder draws it there. */
static void poll_drops(struct ui *ui)
{
	if (ui->live && tl_model_poll_drops(&ui->m, ui->cap))
		ui->dirty = true;
}

static void read_slice(struct ui *ui)
{
	int64_t t0 = ui_now_ms();
	for (int n = 0; n < SLICE_FRAMES && !ui->input_done; n++) {
		struct tl_frame f;
		if (!next_frame(ui, &f)) {
			/* Drained: every packet the kernel kept before the
			 * drops it counted has been read, so the marker goes
			 * after them. */
			poll_drops(ui);
			break;
		}
		feed_frame(ui, &f);
		/* Under a load that never drains, now and then. */
		if ((n & 4095) == 4095)
			poll_drops(ui);
		if ((n & 1023) == 1023 && ui_now_ms() - t0 > SLICE_MS)
			break;
	}
}

/* The memory limits let old rows go while reading: every view holding
 * segment indices finds its place again by frame. */
static void renumbered(struct ui *ui, uint32_t ladder_frame,
                       uint32_t graph_frame, bool first)
{
	ui->detail.seg_index = UINT32_MAX;
	ui_list_renumbered(ui);
	ui_ladder_renumbered(ui, ladder_frame);
	ui_graph_renumbered(ui, graph_frame);
	ui_follow_renumbered(ui);
	ui->dirty = true;
	if (first)
		ui_message(ui, false, "Memory limit reached: the oldest closed "
		           "connections go first, then the oldest rows "
		           "(--max-memory, --max-segments)");
}

/* -w stopped on a write error: said at once, not only on exit, since a
 * live capture may run for hours after it. */
static void note_save_failure(struct ui *ui)
{
	char err[600];
	if (ui->save_failure_said ||
	    !tl_capture_save_failed(ui->cap, err, sizeof err))
		return;
	ui->save_failure_said = true;
	ui_message(ui, true, "%s: saving stopped (the capture goes on)", err);
}

/* Reads a slice of frames; returns true if the model changed. */
static bool feed(struct ui *ui)
{
	uint32_t before = ui->m.frames;
	if (ui->input_done)
		return false;
	uint32_t rounds = ui->m.evicted.rounds;
	bool too_small = ui->m.evicted.too_small;
	uint32_t ladder_frame = ui_ladder_cursor_frame(ui);
	uint32_t graph_frame = ui_graph_cursor_frame(ui);
	if (ui->replay)
		replay_feed(ui);
	else
		read_slice(ui);
	if (ui->m.evicted.rounds != rounds)
		renumbered(ui, ladder_frame, graph_frame, rounds == 0);
	/* Said once, kept up to date while it is on screen. */
	if (ui->m.evicted.too_small &&
	    (!too_small || !strncmp(ui->msg, "--max-", 6))) {
		char text[160];
		tl_model_too_small_text(&ui->m, text, sizeof text);
		if (strcmp(text, ui->msg))
			ui_message(ui, true, "%s", text);
	}
	note_save_failure(ui);
	return ui->m.frames != before;
}

void ui_replay_pause(struct ui *ui)
{
	ui->paused = !ui->paused;
	if (ui->paused)
		ui->replay_paused_ms = ui_now_ms();
	else if (ui->replay_wall0_ms)   /* the next frame as far away */
		ui->replay_wall0_ms += ui_now_ms() - ui->replay_paused_ms;
}

/* The capture's time the replay's clock shows now: the clock restarts
 * there at the new speed, so nothing jumps. */
void ui_replay_speed(struct ui *ui, double factor)
{
	double speed = ui->opt->replay_speed * factor;
	if (speed < 1.0 / 64 || speed > 1024)
		return;
	if (ui->replay_wall0_ms) {
		int64_t now = ui->paused ? ui->replay_paused_ms : ui_now_ms();
		double ns = (double)(now - ui->replay_wall0_ms) * 1e6 *
		            ui->opt->replay_speed;
		ui->replay_ts0 += (tl_nsec)ns;
		ui->replay_wall0_ms = now;
	}
	ui->opt->replay_speed = speed;
}

/* Milliseconds until the replay's next frame is due. */
static int replay_wait_ms(struct ui *ui)
{
	if (!ui->have_pending || ui->step_wait || ui->paused)
		return ui->step_wait || ui->paused ? IDLE_POLL_MS : 0;
	double due = (double)ui->replay_wall0_ms +
	             (double)(ui->pending.ts - ui->replay_ts0) / 1e6 /
	                     ui->opt->replay_speed;
	double wait = due - (double)ui_now_ms();
	if (wait < 0)
		return 0;
	return wait > IDLE_POLL_MS ? IDLE_POLL_MS : (int)wait + 1;
}

/* ---- keys ---------------------------------------------------------------- */

static void prompt_key(struct ui *ui, int ch)
{
	struct ui_prompt *p = &ui->prompt;
	ui->dirty = true;
	if (p->yes_no) {
		p->active = false;
		bool yes = ch == 'y' || ch == 'Y';
		/* The key itself, for prompts with a third answer. */
		char key[2] = { ch > 0 && ch < 128 ? (char)ch : 'n', '\0' };
		p->done(ui, key, yes);
		return;
	}
	/* Whatever the key, the caret no longer points at the text. */
	p->err[0] = '\0';
	switch (ch) {
	case '\n': case '\r': case KEY_ENTER:
		p->active = false;
		p->done(ui, p->text, true);
		return;
	case 27: case 7:   /* Esc, Ctrl-G */
		p->active = false;
		p->done(ui, p->text, false);
		return;
	case KEY_BACKSPACE: case 127: case 8:
		while (p->len > 0) {
			unsigned char c = (unsigned char)p->text[--p->len];
			if ((c & 0xc0) != 0x80)
				break;
		}
		p->text[p->len] = '\0';
		return;
	case 21:           /* Ctrl-U */
		p->len = 0;
		p->text[0] = '\0';
		return;
	case '\t':
		if (p->tab)
			p->tab(ui);
		return;
	default:
		if (ch >= 32 && ch < 256 && ch != 127 &&
		    p->len + 1 < sizeof p->text) {
			p->text[p->len++] = (char)ch;
			p->text[p->len] = '\0';
		}
		return;
	}
}

/* After a live capture, on the restored terminal: what happened to it. */
static void exit_line(struct ui *ui)
{
	uint64_t recv = 0, drop = 0;
	bool have = tl_capture_stats(ui->cap, &recv, &drop);
	char d[32];
	snprintf(d, sizeof d, "%llu", (unsigned long long)drop);
	fprintf(stderr, "tcpladder: %s: captured %u packets, %u TCP segments "
	        "shown, %s dropped by the kernel, %s%s\n",
	        ui->opt->cap.device, ui->m.frames, ui->m.segs.count,
	        have ? d : "?",
	        ui->opt->cap.write_file ? "saved to " : "not saved",
	        ui->opt->cap.write_file ? ui->opt->cap.write_file : "");
}

/* Quitting a live capture stops it: ask first, and offer to save when
 * nothing is being written (-w). */
static void quit_done(struct ui *ui, const char *text, bool yes)
{
	if (yes)
		ui->quit = true;
	else if (text[0] == 'w' && !ui->opt->cap.write_file)
		ui_save_start(ui, NULL, 0, true);
}

static void ask_quit(struct ui *ui)
{
	if (!ui->live || ui->input_done) {
		ui->quit = true;
		return;
	}
	ui_prompt_start(ui, ui->opt->cap.write_file
	                ? "Stop the capture and quit? (y/n) "
	                : "Stop the capture and quit? Nothing is saved "
	                  "(no -w): y quits, w saves first, n stays ",
	                "", true, quit_done);
}

static void back(struct ui *ui)
{
	switch (ui->view) {
	case UI_VIEW_HELP:
		ui_set_view(ui, ui->help_back);
		break;
	case UI_VIEW_DETAIL:
		ui_set_view(ui, ui->detail.back);
		break;
	case UI_VIEW_GRAPH:
		ui_set_view(ui, ui->graph.back);
		break;
	case UI_VIEW_LADDER:
		if (ui->ladder.opened_from_list)
			ui_set_view(ui, UI_VIEW_LIST);
		else
			ask_quit(ui);
		break;
	default:
		ask_quit(ui);
		break;
	}
}

static void mouse_key(struct ui *ui)
{
	MEVENT ev;
	if (getmouse(&ev) != OK || !views[ui->view]->mouse)
		return;
	int wheel = 0;
	if (ev.bstate & BUTTON4_PRESSED)
		wheel = -1;
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		wheel = 1;
#endif
	else if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED |
	                        BUTTON1_RELEASED)))
		return;
	if (!wheel && (ev.bstate & BUTTON1_RELEASED))
		return;
	views[ui->view]->mouse(ui, ev.y, ev.x, wheel);
	ui->dirty = true;
}

static void handle_key(struct ui *ui, int ch)
{
	if (ui->msg[0] && !ui->prompt.active) {
		ui->msg[0] = '\0';
		ui->dirty = true;
	}
	if (ui->prompt.active) {
		prompt_key(ui, ch);
		return;
	}
	if (ch == KEY_MOUSE) {
		mouse_key(ui);
		return;
	}
	ui->dirty = true;
	if (ui->step_wait && (ch == 'n' || ch == ' ') &&
	    ui->view == UI_VIEW_LADDER) {
		ui->step_wait = false;
		return;
	}
	if (views[ui->view]->key(ui, ch) == UI_KEY_HANDLED)
		return;
	switch (ch) {
	case 'Q':
		ask_quit(ui);
		break;
	case 'q': case 27:
		back(ui);
		break;
	case '?': case KEY_F(1):
		if (ui->view != UI_VIEW_HELP)
			ui_set_view(ui, UI_VIEW_HELP);
		break;
	case 12:   /* Ctrl-L */
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

/* ---- screen -------------------------------------------------------------- */

static void resize(struct ui *ui, int fd)
{
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	ui->rows = LINES;
	ui->cols = COLS > UI_MAX_COLS ? UI_MAX_COLS : COLS;
	clearok(curscr, TRUE);
	ui->dirty = true;
}

static void draw(struct ui *ui)
{
	ui->rows = LINES;
	ui->cols = COLS > UI_MAX_COLS ? UI_MAX_COLS : COLS;
	erase();
	if (ui->rows < 6 || ui->cols < 40) {
		mvaddstr(0, 0, "tcpladder: the terminal is too small");
	} else {
		views[ui->view]->draw(ui);
	}
	refresh();
	ui->last_draw_ms = ui_now_ms();
	ui->dirty = false;
}

static bool locale_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8") ||
	              !strcmp(cs, "utf-8"));
}

static void choose_first_view(struct ui *ui)
{
	struct tl_options *opt = ui->opt;
	if (opt->stream_count) {
		uint32_t n = 0;
		for (uint32_t i = 0; i < opt->stream_count; i++)
			if (opt->streams[i] + 1 > n)
				n = opt->streams[i] + 1;
		bool *want = tl_xcalloc(n, sizeof *want);
		for (uint32_t i = 0; i < opt->stream_count; i++)
			want[opt->streams[i]] = true;
		ui_ladder_show_streams(ui, want, n);
		free(want);
		ui_set_view(ui, UI_VIEW_LADDER);
	} else if (ui->live || ui->replay ||
	           ui->m.tracker.stream_count <= 1) {
		ui_ladder_show_all(ui);
		ui_set_view(ui, UI_VIEW_LADDER);
	} else {
		ui_set_view(ui, UI_VIEW_LIST);
	}
	ui->ladder.follow = ui->arriving;
}

static FILE *open_keyboard(void)
{
	if (isatty(STDIN_FILENO))
		return stdin;
	return fopen("/dev/tty", "r");
}

int tl_ui_run(struct tl_options *opt, struct tl_capture *cap)
{
	static struct ui ui_storage;
	struct ui *ui = &ui_storage;
	memset(ui, 0, sizeof *ui);
	ui->opt = opt;
	ui->cap = cap;
	ui->dlt = tl_capture_datalink(cap);
	ui->live = tl_capture_is_live(cap);
	ui->replay = !ui->live && opt->replay_speed > 0;
	ui->arriving = ui->live || ui->replay || tl_capture_is_pipe(cap);
	ui->utf8 = !opt->ascii && locale_is_utf8();
	ui->gl = ui->utf8 ? &utf8_glyphs : &ascii_glyphs;
	ui->absolute_seq = opt->absolute_seq;
	ui->time_format = opt->time_format;
	ui->input_name = opt->cap.file ? opt->cap.file : opt->cap.device;
	ui->detail.seg_index = UINT32_MAX;
	ui->start_ms = ui_now_ms();
	tl_model_init(&ui->m, true);
	tl_model_enable_app(&ui->m);
	ui_follow_init(ui);
	tl_model_enable_sender(&ui->m, opt->cc);
	tl_ladder_init(&ui->ladder.ld, opt->by_host);

	char err[512];
	if (!ui->live)
		ui->rr = ui_reread_open(tl_capture_take_reread(cap),
		                        opt->cap.file, opt->cap.filter, err,
		                        sizeof err);
	/* Nothing to read again (live, a pipe): the details keep the bytes
	 * of recent frames, a share taken from --max-memory. */
	uint64_t max_memory = opt->max_memory;
	if (!ui->rr) {
		uint64_t budget = tl_ring_budget(opt->max_memory);
		tl_ring_init(&ui->ring, budget,
		             tl_ring_keep(budget, opt->cap.snaplen > 0
		                          ? (uint32_t)opt->cap.snaplen : 0));
		ui->ring_on = true;
		if (max_memory)
			max_memory = max_memory > 2 * budget
			             ? max_memory - budget : max_memory / 2;
	}
	tl_model_set_limits(&ui->m, opt->max_segments, max_memory);
	/* With the file to read again known: a filter the rows answer
	 * needs no frames unless they come (ui_fmatch_prepare). */
	if (opt->display_filter)
		ui_ladder_cmdline_filter(ui, opt->display_filter);

	if (!tl_ui_terminal_usable(STDOUT_FILENO, err, sizeof err)) {
		tl_warn("cannot start the full-screen view: %s; use -T text",
		        err);
		ui_reread_close(ui->rr);
		tl_ring_free(&ui->ring);
		tl_model_free(&ui->m);
		return 2;
	}
	FILE *kbd = open_keyboard();
	if (!kbd) {
		tl_warn("no terminal to read keys from: use -T text");
		tl_ring_free(&ui->ring);
		tl_model_free(&ui->m);
		return 2;
	}
	/* Live reads must not block: the poll loop waits on the capture's
	 * descriptor together with the keyboard. */
	if (ui->live && !tl_capture_set_nonblock(cap, true))
		tl_warn("cannot make the capture non-blocking");
	tty_fd = isatty(STDOUT_FILENO) ? STDOUT_FILENO
	       : isatty(STDERR_FILENO) ? STDERR_FILENO : fileno(kbd);
	have_tty_shell = tcgetattr(tty_fd, &tty_shell) == 0;
	install_signals();
	tl_set_fatal_hook(fatal_hook);
	SCREEN *scr = newterm(NULL, stdout, kbd);
	if (!scr) {
		restore_signals();
		tl_set_fatal_hook(NULL);
		tl_warn("cannot start the full-screen view on this terminal "
		        "(TERM=%s): use -T text", getenv("TERM") ? getenv("TERM")
		                                                 : "unset");
		if (kbd != stdin)
			fclose(kbd);
		tl_ring_free(&ui->ring);
		tl_model_free(&ui->m);
		return 2;
	}
	set_term(scr);
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	/* Home and End arrive in several spellings (tmux and screen send
	 * the VT220 ones whatever TERM says): accept them all. */
	static const struct { const char *seq; int key; } extra_keys[] = {
		{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME },
		{ "\033[H", KEY_HOME }, { "\033OH", KEY_HOME },
		{ "\033[4~", KEY_END }, { "\033[8~", KEY_END },
		{ "\033[F", KEY_END }, { "\033OF", KEY_END },
		{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
		{ "\033[Z", KEY_BTAB },
	};
	for (size_t i = 0; i < sizeof extra_keys / sizeof extra_keys[0]; i++)
		if (key_defined(extra_keys[i].seq) == 0)
			define_key(extra_keys[i].seq, extra_keys[i].key);
	mouseinterval(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	          | BUTTON5_PRESSED
#endif
	          , NULL);
	ui_colors_init(ui);
	prepare_emergency_reset();
	ui->rows = LINES;
	ui->cols = COLS;

	/* Read a little before choosing the first screen, so a capture with
	 * several connections opens on the list; a second connection settles
	 * it at once, and the first screen never waits long. */
	if (!ui->live && !ui->replay)
		while (!ui->input_done && ui_now_ms() - ui->start_ms < 150 &&
		       ui->m.tracker.stream_count < 2)
			feed(ui);
	choose_first_view(ui);
	ui_ladder_update(ui);
	draw(ui);

	int kfd = fileno(kbd);
	int cfd = ui->live ? tl_capture_fd(cap) : -1;
	bool unseen = false;    /* the model changed since the last draw */
	while (!ui->quit) {
		if (got_stop) {
			ui->status = 0;
			break;
		}
		if (got_winch) {
			got_winch = 0;
			resize(ui, kfd);
		}
		int ch;
		while (!ui->quit && (ch = getch()) != ERR) {
			if (ch == KEY_RESIZE) {
				/* resizeterm() queued it: sizes are set */
				ui->rows = LINES;
				ui->dirty = true;
			} else
				handle_key(ui, ch);
		}
		if (ui->quit)
			break;
		bool changed = false;
		if (!ui->live || cfd < 0)
			changed = feed(ui);
		if (changed) {
			ui_ladder_update(ui);
			ui_list_mark_dirty(ui);
			unseen = true;
		}
		int64_t now = ui_now_ms();
		if (ui->msg[0] && !ui->msg_error && !ui->prompt.active &&
		    now - ui->msg_ms > MESSAGE_MS) {
			ui->msg[0] = '\0';
			ui->dirty = true;
		}
		int64_t draw_every = ui->replay ? REPLAY_DRAW_MS
		                                : LOADING_DRAW_MS;
		bool loading_redraw = unseen && !ui->paused &&
		                      now - ui->last_draw_ms >= draw_every;
		bool done_redraw = changed && ui->input_done;
		if (ui->dirty || loading_redraw || done_redraw ||
		    now - ui->last_draw_ms >= 1000) {
			draw(ui);
			unseen = false;
		}

		int timeout = IDLE_POLL_MS;
		if (!ui->input_done && !ui->live)
			timeout = ui->replay ? replay_wait_ms(ui) : 0;
		if (unseen && !ui->paused) {
			int64_t left = draw_every - (ui_now_ms() -
			                             ui->last_draw_ms);
			if (left < timeout)
				timeout = left < 0 ? 0 : (int)left;
		}
		struct pollfd pfd[3];
		int n = 0;
		pfd[n++] = (struct pollfd){ .fd = kfd, .events = POLLIN };
		if (sig_pipe[0] >= 0)
			pfd[n++] = (struct pollfd){ .fd = sig_pipe[0],
			                            .events = POLLIN };
		int cidx = -1;
		if (cfd >= 0 && !ui->input_done) {
			cidx = n;
			pfd[n++] = (struct pollfd){ .fd = cfd, .events = POLLIN };
		}
		int rc = poll(pfd, (nfds_t)n, timeout);
		if (rc < 0 && errno != EINTR) {
			ui_message(ui, true, "poll: %s", strerror(errno));
			break;
		}
		drain_sig_pipe();
		if (rc > 0 && (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
			break;      /* the terminal went away */
		if (cidx >= 0 && (rc == 0 ||
		    (rc > 0 && (pfd[cidx].revents & (POLLIN | POLLERR))))) {
			if (feed(ui)) {
				ui_ladder_update(ui);
				ui_list_mark_dirty(ui);
				unseen = true;
			}
		}
	}

	restore_terminal();
	if (ui->live)
		exit_line(ui);
	delscreen(scr);
	tl_set_fatal_hook(NULL);
	restore_signals();
	if (kbd != stdin)
		fclose(kbd);
	int status = ui->status;
	if (ui->m.evicted.too_small) {
		/* Said on the status line; said again where it stays. */
		char text[160];
		tl_model_too_small_text(&ui->m, text, sizeof text);
		tl_warn("%s (%llu rows were let go%s)", text,
		        (unsigned long long)ui->m.evicted.segments,
		        ui->m.evicted.open_connections
		                ? "; so were open connections, past twice "
		                  "the bound" : "");
	}
	char unread[512];
	if (tl_model_unread_text(&ui->m, unread, sizeof unread))
		tl_warn("%s: not shown: %s", ui->input_name, unread);
	if (ui->input_error) {
		tl_warn("%s: %s after frame %u", ui->input_name, ui->input_err,
		        ui->m.frames);
		if (status == 0)
			status = 1;     /* damaged part way, as in text mode */
	}
	ui_detail_free(ui);
	ui_graph_free(ui);
	ui_follow_free(ui);
	ui_hosts_free(ui);
	ui_reread_close(ui->rr);
	ui_reread_close(ui->rr_w);
	tl_ring_free(&ui->ring);
	free(ui->pending_buf);
	free(ui->ladder.rows.idx);
	free(ui->ladder.want);
	free(ui->list.order);
	free(ui->list.selected);
	free(ui->list.matched);
	tl_dfilter_free(ui->list.dfilter);
	ui_fmatch_release(ui->list.fm);
	tl_ladder_free(&ui->ladder.ld);
	ui_ladder_free(ui);
	tl_model_free(&ui->m);
	return status;
}

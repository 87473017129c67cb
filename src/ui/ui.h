/* The full-screen front end's shared state: one struct ui, the views that
 * draw it (one file each) and the drawing helpers they share. Only files in
 * src/ui/ include curses. */
#ifndef TL_UI_PRIVATE_H
#define TL_UI_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_capture.h"
#include "tl_ladder.h"
#include "tl_model.h"
#include "tl_options.h"
#include "tl_ring.h"
#include "ui_reread.h"

/* Roles a cell can be drawn in; ui_draw.c maps them to colours and
 * attributes for the theme in use. */
enum ui_role {
	R_NORMAL,
	R_TITLE,        /* top bar */
	R_HEADER,       /* column names */
	R_HINT,         /* key hints, quiet text */
	R_ERROR,        /* status line errors */
	R_RTX,          /* retransmissions (plain, fast, spurious) */
	R_DUPACK,
	R_OOO,
	R_LOST,         /* previous segment not captured, ACKed unseen */
	R_WINDOW,       /* zero window, window full, probes */
	R_OTHER,        /* keep-alive, window update, reused ports */
	R_CHANGE,       /* window changes: dim */
	R_STREAM0,      /* six per-stream colours follow */
	R_GRAPH_ACK = R_STREAM0 + 6,    /* time-sequence graph: ACK line */
	R_GRAPH_DATA,   /* data segments, bytes in flight */
	R_ROLE_COUNT,
};

/* One glyph per cell; UTF-8 glyphs fit in four bytes. */
struct ui_cell {
	char g[5];
	uint8_t role;
	uint8_t bold;
};

#define UI_MAX_COLS 1024

struct ui_line {
	int width;
	struct ui_cell c[UI_MAX_COLS];
};

struct ui_glyphs {
	const char *vbar, *hbar, *left_end, *right_end, *head_right,
		*head_left, *arrow, *ellipsis, *up, *down;
};

enum ui_view_id {
	UI_VIEW_LIST,
	UI_VIEW_LADDER,
	UI_VIEW_DETAIL,
	UI_VIEW_HELP,
	UI_VIEW_GRAPH,
	UI_VIEW_FOLLOW,
	UI_VIEW_HOSTS,          /* H: choose one host or server port */
	UI_VIEW_COUNT,
};

/* A key handler's answer (sngrep's KEY_HANDLED / KEY_NOT_HANDLED). */
enum ui_key_result { UI_KEY_UNHANDLED, UI_KEY_HANDLED };

struct ui;

/* What every view fills in, like tmux's struct window_mode. */
struct ui_view {
	const char *name;
	void (*enter)(struct ui *ui);
	void (*draw)(struct ui *ui);
	enum ui_key_result (*key)(struct ui *ui, int ch);
	/* A mouse event at screen row y, column x: wheel is -1/+1, 0 = click. */
	void (*mouse)(struct ui *ui, int y, int x, int wheel);
};

extern const struct ui_view ui_view_list;
extern const struct ui_view ui_view_ladder;
extern const struct ui_view ui_view_detail;
extern const struct ui_view ui_view_help;
extern const struct ui_view ui_view_graph;
extern const struct ui_view ui_view_follow;
extern const struct ui_view ui_view_hosts;

/* A line-editing prompt on the status line. */
typedef void (*ui_prompt_done)(struct ui *ui, const char *text, bool ok);
/* Tab in a prompt: the view may put other text in it (presets). */
typedef void (*ui_prompt_tab)(struct ui *ui);
struct ui_prompt {
	bool active;
	char label[128];
	char text[512];
	size_t len;
	bool yes_no;            /* one key: y or n */
	ui_prompt_done done;
	ui_prompt_tab tab;      /* NULL: Tab does nothing */
	/* The answer was refused (a display filter that does not parse):
	 * the message, under a caret at the offending token. */
	char err[512];
	size_t err_pos, err_len;
};

enum ui_filter {
	UI_FILTER_ALL,
	UI_FILTER_ANNOTATED,
	UI_FILTER_DIR0,         /* client to server only */
	UI_FILTER_DIR1,
	UI_FILTER_DISPLAY,      /* a Wireshark display filter: dfilter */
	UI_FILTER_COUNT,
};

/* The ladder's rows: segment indices of the shown streams that pass the
 * filter, or the identity when everything is shown. */
struct ui_rows {
	bool identity;
	uint32_t *idx;
	uint32_t count, cap;
	uint32_t scanned;       /* segments looked at so far */
	uint32_t in_streams;    /* of them, those of the shown streams */
};

/* A selection by what a connection is rather than by its number: every
 * connection of one host, or to one server port, including the ones that
 * arrive later (view_hosts.c). */
enum ui_pick_kind { UI_PICK_NONE, UI_PICK_HOST, UI_PICK_PORT };
struct ui_pick {
	enum ui_pick_kind kind;
	uint8_t ip_version;
	uint8_t addr[16];
	uint16_t port;
};

struct ui_ladder_state {
	bool all_streams;       /* every stream, including ones still to come */
	bool *want;             /* per stream, when !all_streams */
	struct ui_pick pick;    /* kind != NONE: want follows it */
	uint32_t pick_streams;  /* streams the pick has looked at */
	uint32_t want_cap, want_count;
	uint32_t first_want;    /* the lowest stream shown, for the title */
	enum ui_filter filter;
	/* UI_FILTER_DISPLAY: the compiled filter and its text (f's prompt,
	 * or -Y on the command line: from_cmdline). */
	struct tl_dfilter *dfilter;
	/* The filter's answers read from the frames, when the records do
	 * not keep a field it names (ui_fmatch.c); NULL: the records'. */
	struct ui_fmatch *fm;
	char dfilter_text[512];
	bool dfilter_from_cmdline;
	struct ui_rows rows;
	struct tl_ladder ld;
	uint32_t ld_streams;    /* streams added to ld (all_streams mode) */
	int64_t cur, top;
	int hoff;               /* horizontal scroll of the ladder body */
	int an_off;             /* horizontal scroll of the analysis column */
	int label_need, label_min, an_need;
	                        /* widest label, notes seen on screen (the
	                         * layout only grows until the rows change) */
	uint32_t need_nodes;    /* columns when the needs were measured */
	bool follow;            /* keep the last row selected (live, replay) */
	bool two_rows;
	bool split;             /* details pane below */
	bool focus_detail;      /* Tab: keys go to the details pane */
	int detail_scroll;
	bool opened_from_list;
	char search[256];
	bool search_frame;
};

struct ui_list_state {
	uint32_t *order;        /* streams shown, sorted */
	uint32_t order_count, order_cap;
	uint32_t built_streams; /* stream_count when order was built */
	int64_t built_at_ms;
	bool dirty;
	int sort_key;
	bool sort_reverse;
	char filter[512];       /* as long as the prompt's text */
	/* The filter as a Wireshark display filter, when it is one: a
	 * connection passes when any of its segments does (matched[stream],
	 * computed once per rebuild). NULL: a substring match. */
	struct tl_dfilter *dfilter;
	struct ui_fmatch *fm;   /* its answers from the frames, or NULL */
	uint8_t *matched;
	uint32_t matched_cap;
	uint32_t matched_scanned;       /* segments matched so far */
	bool *selected;
	uint32_t selected_cap, selected_count;
	int64_t cur, top;
	int hcol;               /* columns scrolled off (Left, Right) */
};

struct ui_detail_state {
	uint32_t seg_index;     /* UINT32_MAX: none built */
	bool absolute;          /* what the lines were built with */
	int cols;
	char **lines;
	uint8_t *roles;
	int count, cap;
	int scroll;
	enum ui_view_id back;
};

/* The time-sequence graph (view_graph.c): one connection, one direction. */
struct ui_graph_state {
	int kind;               /* enum tl_graph_kind */
	bool built;
	uint32_t stream;
	int dir;                /* -1: the direction that sent more */
	uint32_t built_count;   /* segments in the model when built */
	int64_t built_ms;
	void *tsg;              /* struct tl_tsg */
	bool have_view;         /* false: fit */
	int64_t t0, t1, y0, y1; /* the visible window (struct tl_tsg_view) */
	uint32_t cur;           /* position in the graph's segments */
	enum ui_view_id back;
};

/* The chooser of hosts and server ports (view_hosts.c). */
struct ui_hosts_entry {
	struct ui_pick pick;
	uint32_t conns;
	uint64_t segs;
};
struct ui_hosts_state {
	struct ui_hosts_entry *e;       /* e[0]: every connection */
	uint32_t count, cap;
	uint32_t built_streams;
	uint64_t built_segs;
	int64_t cur, top;
	enum ui_view_id back;
};

struct ui {
	struct tl_options *opt;
	struct tl_capture *cap;
	struct tl_model m;
	int dlt;
	bool live;
	bool arriving;          /* frames come as they happen: live, replay,
	                         * a pipe; the ladder may follow them */
	bool utf8;
	bool color;
	const struct ui_glyphs *gl;
	const char *input_name;

	/* input */
	bool input_done;
	bool input_error;
	bool save_failure_said;         /* -w's write error, on the status line */
	char input_err[256];
	int64_t start_ms;
	/* replay and step */
	bool replay;
	int64_t replay_wall0_ms;
	tl_nsec replay_ts0;
	int64_t replay_paused_ms;       /* when Space paused the replay */
	bool have_pending;      /* a frame read but not yet due */
	struct tl_frame pending;
	uint8_t *pending_buf;
	uint32_t pending_cap;
	bool step_wait;         /* --step: waiting for n or Space */

	/* screen */
	int rows, cols;
	bool dirty;
	bool paused;            /* Space in live mode: drawing paused */
	int64_t last_draw_ms;
	enum ui_view_id view;
	enum ui_view_id help_back;
	struct ui_prompt prompt;
	char msg[512];
	bool msg_error;
	int64_t msg_ms;
	bool quit;
	int status;

	/* display modes */
	bool absolute_seq;
	enum tl_time_format time_format;

	struct ui_ladder_state ladder;
	struct ui_list_state list;
	struct ui_detail_state detail;
	struct ui_graph_state graph;
	struct ui_hosts_state hosts;
	struct ui_reread *rr;   /* re-reads frames of a seekable file */
	/* No rr (live, a pipe): the bytes of recent frames (ring_on), and
	 * with -w the file being written, read again once flushed. */
	bool ring_on;
	struct tl_ring ring;
	struct ui_reread *rr_w;
	void *follow;           /* view_follow.c: payload kept, the view */
};

/* ui_main.c */
int64_t ui_now_ms(void);
void ui_set_view(struct ui *ui, enum ui_view_id view);
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ui_prompt_start(struct ui *ui, const char *label, const char *initial,
                     bool yes_no, ui_prompt_done done);
/* Opens the prompt again on its text, err under it pointing at the token
 * [pos, pos + len): for a done callback that refuses the answer. */
void ui_prompt_refuse(struct ui *ui, const char *err, size_t pos,
                      size_t len);
bool ui_seg_by_frame(const struct ui *ui, uint32_t frame,
                     uint32_t *seg_index);

/* ui_draw.c */
void ui_colors_init(struct ui *ui);
void ui_set_role(const struct ui *ui, int role, bool bold);
void ui_draw_reverse(bool on);
void ui_line_clear(struct ui_line *l, int width);
int ui_line_text(struct ui_line *l, int x, const char *s, int max, int role);
void ui_line_put(struct ui_line *l, int x, const char *glyph, int role);
void ui_line_fill(struct ui_line *l, int x0, int x1, int role);
void ui_line_draw(const struct ui *ui, const struct ui_line *l, int y,
                  int from, int to, int screen_x, bool reverse);
int ui_text_width(const char *s);
int ui_put(const struct ui *ui, int y, int x, int maxw, const char *s,
           int role, bool bold);
int ui_put_wrap(const struct ui *ui, int y, int x, int rows, int width,
                const char *s, int role, bool bold);
void ui_fill_row(const struct ui *ui, int y, int role);
void ui_draw_title(struct ui *ui, const char *middle, const char *right);
void ui_draw_status(struct ui *ui, const char *hints);
void ui_draw_prompt(struct ui *ui);
int ui_analysis_role(unsigned analysis);
int ui_stream_role(uint32_t stream);
void ui_format_count(uint64_t v, char *buf, size_t size);
void ui_format_bytes(uint64_t v, char *buf, size_t size);
void ui_format_duration(tl_nsec ns, char *buf, size_t size);
void ui_format_time(const struct ui *ui, int64_t us, int64_t prev_us,
                    bool have_prev, int decimals, char *buf, size_t size);
const char *ui_time_name(enum tl_time_format f);

/* ui_fmatch.c: a display filter answered from the frames themselves,
 * where the records (tl_seg) lack a field it names. */
struct ui_fmatch;
/* For df (its text: text), just compiled for the ladder or the list:
 * true with *fm NULL when the records answer it, or with a matcher that
 * read every frame shown so far (from the file, or the ring of a live
 * capture or a pipe while it holds them all; a progress line, Esc
 * stops); false with err (which field, and why it cannot be answered)
 * when neither. */
bool ui_fmatch_prepare(struct ui *ui, const struct tl_dfilter *df,
                       const char *text, struct ui_fmatch **fm, char *err,
                       size_t errsize);
/* Every frame the view reads, after the model (feed_frame). */
void ui_fmatch_feed(struct ui *ui, const struct tl_frame *f);
/* Whether frame passed (a frame fed with a TCP segment). */
bool ui_fmatch_passes(const struct ui_fmatch *fm, uint32_t frame);
/* Before rows are added: df (text), applied with *fm (NULL: from the
 * records), as frames came. KEEP: it still answers; RESCAN: the records
 * no longer do, and *fm is now a matcher that read the frames again
 * (every row must be matched again); DROP: neither (err says why). */
enum ui_fm_check { UI_FM_KEEP, UI_FM_RESCAN, UI_FM_DROP };
enum ui_fm_check ui_fmatch_check(struct ui *ui, const struct tl_dfilter *df,
                                 const char *text, struct ui_fmatch **fm,
                                 char *err, size_t errsize);
void ui_fmatch_release(struct ui_fmatch *fm);

/* view_ladder.c */
void ui_ladder_show_all(struct ui *ui);
/* ui_main.c: the replay's clock. Space stops and restarts it; a speed
 * change takes effect from now on (what was drawn stays). */
void ui_replay_pause(struct ui *ui);
void ui_replay_speed(struct ui *ui, double factor);
void ui_ladder_show_streams(struct ui *ui, const bool *want, uint32_t n);
/* Every connection p admits, now and later. */
void ui_ladder_show_pick(struct ui *ui, const struct ui_pick *p);
void ui_ladder_update(struct ui *ui);
uint32_t ui_ladder_count(const struct ui *ui);
uint32_t ui_ladder_seg_at(const struct ui *ui, int64_t row);
/* Memory limits renumber segments: where the cursor was, by frame, and
 * the rows rebuilt with the cursor back on it (or the next one kept). */
uint32_t ui_ladder_cursor_frame(const struct ui *ui);
void ui_ladder_renumbered(struct ui *ui, uint32_t cursor_frame);
/* -Y given with the view: the ladder's rows and the list start filtered
 * (before the first view is chosen). Exits 2 like -Y if it does not
 * compile (it did in options.c). */
void ui_ladder_cmdline_filter(struct ui *ui, const char *text);
void ui_ladder_free(struct ui *ui);
/* Puts the cursor on segment seg (or the nearest row before it). */
void ui_ladder_select_seg(struct ui *ui, uint32_t seg);
/* The rows on screen at the last draw: [top, top + count). */
void ui_ladder_visible(const struct ui *ui, int64_t *top, int64_t *count);

/* view_graph.c */
/* Opens the graph (enum tl_graph_kind) of seg's connection, seg under the
 * cursor. */
void ui_graph_open(struct ui *ui, int kind, uint32_t seg);
void ui_graph_free(struct ui *ui);
uint32_t ui_graph_cursor_frame(struct ui *ui);
void ui_graph_renumbered(struct ui *ui, uint32_t cursor_frame);

/* export.c: e in the ladder and the graph. Writes NAME.svg next to
 * nothing else (the current directory), never over an existing file. */
void ui_export_rows(struct ui *ui, const uint32_t *rows, uint32_t n,
                    uint64_t first_row, uint64_t total, const char *what);
void ui_export_graph(struct ui *ui, int kind, uint32_t stream, int dir,
                     const void *view);

/* view_conn_list.c */
void ui_list_mark_dirty(struct ui *ui);
/* Connections were let go: rebuilt now, before anything draws them. */
void ui_list_renumbered(struct ui *ui);

/* view_detail.c */
void ui_detail_build(struct ui *ui, uint32_t seg_index);
void ui_detail_draw_area(struct ui *ui, int y0, int y1, int *scroll,
                         bool focused);
void ui_detail_free(struct ui *ui);

/* view_follow.c: keeps every stream's payload (the model's segment hook)
 * and shows one; frame (0: none) puts the cursor on its chunk. */
void ui_follow_init(struct ui *ui);
void ui_follow_open(struct ui *ui, uint32_t stream, uint32_t frame,
                    enum ui_view_id back);
void ui_follow_renumbered(struct ui *ui);
void ui_follow_free(struct ui *ui);

/* view_hosts.c */
void ui_hosts_open(struct ui *ui);
void ui_hosts_free(struct ui *ui);
bool ui_pick_admits(const struct ui_pick *p, const struct tl_conn *c);
/* "host 192.0.2.7", "port 443". */
void ui_pick_name(const struct ui_pick *p, char *buf, size_t size);
/* The server's port: the SYN's destination, else the lower port. */
uint16_t ui_conn_server_port(const struct tl_conn *c);

/* dialog_save.c */
void ui_save_start(struct ui *ui, const bool *streams, uint32_t n,
                   bool all_streams);
/* Right after ui_save_start, under a row filter: only the frames of the
 * segments that pass (rows: how many, for the prompt). */
typedef bool (*ui_save_pass)(const struct ui *ui, uint32_t seg_index);
void ui_save_only_rows(struct ui *ui, ui_save_pass pass, uint32_t rows);

#endif

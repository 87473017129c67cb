/* Follow a stream (p in the ladder and the connections list): the payload
 * of both directions reassembled as tshark's -z follow does it (follow.c),
 * each direction in its colour, as ASCII, a hex dump or raw hex; gaps
 * marked with their size; search; Enter on a chunk jumps to its frame on
 * the ladder, and moving here moves the ladder's cursor along; h shows an
 * HTTP/2 connection as the frames the ladder decodes (type, stream, length,
 * flags, the decoded headers of its label); grows as segments arrive; w
 * saves the payload shown.
 *
 * The payload of every connection is kept as it arrives (the model's
 * segment hook), within a quarter of --max-memory; past that, followed
 * streams stop growing and the view says so. */
#include "config.h"

#include "ui.h"

#include "tl_savefile.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tl_app.h"
#include "tl_follow.h"

/* A screen line: bytes [start, start + len) of one chunk; in the frame
 * view, HTTP/2 frame record start. */
struct fline {
	uint32_t chunk;
	uint32_t start, len;
	uint32_t node_off;      /* of start in its direction (hex offsets) */
};

enum { SHOW_BOTH, SHOW_NODE0, SHOW_NODE1 };

struct ui_follow {
	/* the payload of every stream */
	struct tl_follow **by_stream;
	uint32_t cap;
	uint64_t bytes, budget;
	/* the view */
	uint32_t stream;
	enum tl_follow_mode mode;
	int show;               /* SHOW_* */
	struct fline *lines;
	uint32_t nlines, lines_cap;
	uint32_t built_chunks;
	uint32_t pos[2];        /* node offsets after built_chunks */
	int built_width;
	int64_t cur, top;
	char search[256];
	enum ui_view_id back;
	uint32_t open_frame;    /* put the cursor on this frame's chunk */
	bool at_end;            /* the cursor follows new lines */
	/* h: the HTTP/2 frames of the stream instead of its bytes */
	bool frames;
	struct tl_follow_h2 h2;
	uint32_t h2_stream;     /* the stream h2 has read */
	bool h2_ready;          /* h2 initialised */
	uint32_t built_frames;  /* records made into lines */
};

static struct ui_follow *state(struct ui *ui)
{
	if (!ui->follow)
		ui->follow = tl_xcalloc(1, sizeof(struct ui_follow));
	return ui->follow;
}

/* ---- keeping the payload ------------------------------------------------- */

static void on_segment(void *ctx, const struct tl_seg *seg,
                       const struct tl_packet *pkt, const uint8_t *frame)
{
	struct ui *ui = ctx;
	struct ui_follow *F = state(ui);
	if (seg->stream >= F->cap) {
		uint32_t old = F->cap;
		F->by_stream = tl_xgrow(F->by_stream, &F->cap,
		                        (uint64_t)seg->stream + 1, 64,
		                        sizeof *F->by_stream);
		memset(F->by_stream + old, 0,
		       (F->cap - old) * sizeof *F->by_stream);
	}
	struct tl_follow **slot = &F->by_stream[seg->stream];
	bool over = F->budget && F->bytes >= F->budget;
	if (!*slot) {
		/* Every segment counts from the first (it names node 0 and
		 * where each side starts), so a follow starts with it. */
		if (over)
			return;
		*slot = tl_xmalloc(sizeof **slot);
		tl_follow_init(*slot, 0);
		F->bytes += sizeof **slot;
	}
	if (over) {
		if (pkt->payload_caplen)
			(*slot)->full = true;
		return;
	}
	struct tl_follow_seg fs;
	tl_follow_seg_init(&fs, seg, pkt, frame);
	uint64_t before = tl_follow_bytes(*slot);
	tl_follow_add(*slot, &fs);
	F->bytes += tl_follow_bytes(*slot) - before;
}

void ui_follow_init(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	F->budget = ui->opt->max_memory / 4;
	ui->m.segment_hook = on_segment;
	ui->m.segment_hook_ctx = ui;
}

/* Streams the model let go of take their payload along. */
void ui_follow_renumbered(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	for (uint32_t s = 0; s < F->cap; s++) {
		if (F->by_stream[s] && !tl_tracker_stream(&ui->m.tracker, s)) {
			F->bytes -= tl_follow_bytes(F->by_stream[s]) +
			            sizeof *F->by_stream[s];
			tl_follow_free(F->by_stream[s]);
			free(F->by_stream[s]);
			F->by_stream[s] = NULL;
		}
	}
	F->nlines = F->built_chunks = F->built_frames = 0;
	F->pos[0] = F->pos[1] = 0;
	tl_follow_h2_free(&F->h2);
}

void ui_follow_free(struct ui *ui)
{
	struct ui_follow *F = ui->follow;
	if (!F)
		return;
	for (uint32_t s = 0; s < F->cap; s++) {
		if (F->by_stream[s]) {
			tl_follow_free(F->by_stream[s]);
			free(F->by_stream[s]);
		}
	}
	free(F->by_stream);
	free(F->lines);
	tl_follow_h2_free(&F->h2);
	free(F);
	ui->follow = NULL;
}

static const struct tl_follow *followed(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	return F->stream < F->cap ? F->by_stream[F->stream] : NULL;
}

/* ---- lines ----------------------------------------------------------------- */

static int gutter(const struct ui *ui, const struct ui_follow *F)
{
	/* "  frame → ": 10 columns, but a hex dump line (76) comes first. */
	return F->mode == TL_FOLLOW_HEX && !F->frames && ui->cols < 86 ? 2
	                                                               : 10;
}

static void add_line(struct ui_follow *F, uint32_t chunk, uint32_t start,
                     uint32_t len, uint32_t node_off)
{
	F->lines = tl_xgrow(F->lines, &F->lines_cap, (uint64_t)F->nlines + 1,
	                    256, sizeof *F->lines);
	F->lines[F->nlines++] = (struct fline){ chunk, start, len, node_off };
}

static void build_chunk(struct ui *ui, struct ui_follow *F,
                        const struct tl_follow *f, uint32_t i)
{
	const struct tl_follow_chunk *c = &f->chunks[i];
	uint32_t node_off = F->pos[c->node];
	F->pos[c->node] += c->len;
	if ((F->show == SHOW_NODE0 && c->node) ||
	    (F->show == SHOW_NODE1 && !c->node))
		return;
	int width = ui->cols - gutter(ui, F) - 1;
	if (width < 16)
		width = 16;
	if (c->gap) {
		add_line(F, i, 0, c->len, node_off);
		return;
	}
	const uint8_t *p = f->data + c->off;
	uint32_t step;
	switch (F->mode) {
	case TL_FOLLOW_HEX:
		for (uint32_t k = 0; k < c->len; k += 16)
			add_line(F, i, k, c->len - k < 16 ? c->len - k : 16,
			         node_off + k);
		return;
	case TL_FOLLOW_RAW:
		step = (uint32_t)width / 2;
		for (uint32_t k = 0; k < c->len; k += step)
			add_line(F, i, k, c->len - k < step ? c->len - k : step,
			         node_off + k);
		return;
	case TL_FOLLOW_ASCII:
		break;
	}
	/* Text: a line per '\n' (dropped), long lines wrapped. */
	uint32_t start = 0;
	while (start < c->len) {
		uint32_t k = start, cells = 0;
		while (k < c->len && p[k] != '\n' && cells < (uint32_t)width) {
			if (p[k] != '\r')
				cells++;
			k++;
		}
		add_line(F, i, start, k - start, node_off + start);
		start = k < c->len && p[k] == '\n' ? k + 1 : k;
	}
}

/* Lines for the chunks that came since the last call (or all of them
 * again after a change of mode, width or direction). */
static void build_frames(struct ui_follow *F, const struct tl_follow *f)
{
	if (F->h2_stream != F->stream || !F->h2_ready) {
		/* The records stay within an eighth of --max-memory (the
		 * payload they are read from has a quarter). */
		uint64_t max = F->budget / 8 / sizeof *F->h2.frames;
		if (F->budget && max < 1024)
			max = 1024;
		tl_follow_h2_free(&F->h2);
		tl_follow_h2_init(&F->h2, max > UINT32_MAX ? UINT32_MAX
		                                           : (uint32_t)max);
		F->h2_stream = F->stream;
		F->h2_ready = true;
	}
	tl_follow_h2_update(&F->h2, f);
	for (; F->built_frames < F->h2.count; F->built_frames++) {
		const struct tl_follow_h2_frame *r =
			&F->h2.frames[F->built_frames];
		if ((F->show == SHOW_NODE0 && r->node) ||
		    (F->show == SHOW_NODE1 && !r->node))
			continue;
		add_line(F, r->chunk, F->built_frames, 0, 0);
	}
}

static void build(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	const struct tl_follow *f = followed(ui);
	if (F->built_width != ui->cols) {
		F->built_width = ui->cols;
		F->nlines = F->built_chunks = F->built_frames = 0;
		F->pos[0] = F->pos[1] = 0;
	}
	if (!f)
		return;
	bool was_end = F->nlines == 0 || F->cur >= (int64_t)F->nlines - 1;
	uint32_t before = F->nlines;
	if (F->frames)
		build_frames(F, f);
	else
		while (F->built_chunks < f->count)
			build_chunk(ui, F, f, F->built_chunks++);
	if (before && F->nlines != before && was_end && F->at_end)
		F->cur = F->nlines - 1;
}

static void rebuild(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	uint32_t chunk = F->cur < F->nlines ? F->lines[F->cur].chunk
	                                    : UINT32_MAX;
	F->built_width = 0;
	build(ui);
	for (uint32_t i = 0; chunk != UINT32_MAX && i < F->nlines; i++) {
		if (F->lines[i].chunk >= chunk) {
			F->cur = i;
			return;
		}
	}
}

/* The part of the segment's label about HTTP/2 frame r: the item that
 * names it ("HEADERS[1] len=3 END_HEADERS :method GET ..."; the nth of
 * its name there), without a continuation's "cont." items. */
static bool h2_label_item(struct ui *ui, const struct tl_follow_h2_frame *r,
                          const char **item, size_t *item_len)
{
	size_t len = 0;
	const char *lab = r->end_frame ? tl_app_label(ui->m.app, r->end_frame,
	                                              &len) : NULL;
	char name[96];
	tl_app_h2_frame_name(r->type, 0, r->sid, 0, name, sizeof name);
	char *cut = strchr(name, ' ');   /* "HEADERS[1]" */
	if (!lab || !cut)
		return false;
	*cut = '\0';
	size_t nl = strlen(name);
	uint32_t nth = r->nth;
	for (size_t k = 0; k + nl <= len; k++) {
		if ((k && (k < 2 || lab[k - 2] != ',' || lab[k - 1] != ' ')) ||
		    memcmp(lab + k, name, nl))
			continue;
		size_t e = k + nl;
		while (e < len && !(e + 2 < len && lab[e] == ',' &&
		                    lab[e + 1] == ' ' &&
		                    ((lab[e + 2] >= 'A' && lab[e + 2] <= 'Z') ||
		                     lab[e + 2] == '(')))
			e++;
		if (e - k >= nl + 6 && !memcmp(lab + k + nl, " cont.", 6))
			continue;
		if (nth--)
			continue;
		*item = lab + k + nl;
		*item_len = e - k - nl;
		return true;
	}
	return false;
}

/* A frame view line: "HEADERS[1] len=3 END_STREAM END_HEADERS" and what
 * the ladder's label adds (decoded headers, SETTINGS values, ...). */
static size_t frame_text(struct ui *ui, const struct tl_follow_h2_frame *r,
                         char *out, size_t size)
{
	if (r->kind == TL_H2_PREFACE)
		return (size_t)snprintf(out, size, "PREFACE (PRI * HTTP/2.0, "
		                        "24 bytes)");
	if (r->kind == TL_H2_HTTP1)
		return (size_t)snprintf(out, size, "%s (HTTP/1.1 before the h2c "
		                        "upgrade: m shows it)", r->node
		                        ? "the answer" : "the request");
	if (r->kind == TL_H2_LOST)
		return (size_t)snprintf(out, size, "[HTTP/2 framing lost here: "
		                        "a gap, or not HTTP/2]");
	if (r->kind == TL_H2_FULL)
		return (size_t)snprintf(out, size, "[%u frames listed: no more "
		                        "(--max-memory); m shows the bytes]",
		                        state(ui)->h2.count - 1);
	size_t n = 0;
	tl_app_h2_frame_name(r->type, r->flags, r->sid, r->len, out, size);
	n = strlen(out);
	const char *item;
	size_t il;
	/* DATA labels say no more; a type HTTP/2 does not define has no
	 * words of its own to find. */
	if (r->type == 0 || r->type > 9 || !h2_label_item(ui, r, &item, &il))
		return n;
	/* The item repeats the name ("... len=3 END_HEADERS"): only what
	 * follows it; or its own words ("+65535", "NO_ERROR"). */
	size_t same = strlen(strchr(out, ']') + 1);
	const char *rest = strchr(out, ']') + 1;
	if (il >= same && !memcmp(item, rest, same)) {
		item += same;
		il -= same;
	}
	for (size_t k = 0; k < il && n + 2 < size; k++)
		out[n++] = item[k] >= 0x20 && item[k] < 0x7f ? item[k] : '.';
	out[n] = '\0';
	return n;
}

/* The text of line i as shown (no gutter); returns its length. */
static size_t line_text(struct ui *ui, uint32_t i, char *out, size_t size)
{
	struct ui_follow *F = state(ui);
	const struct tl_follow *f = followed(ui);
	const struct fline *L = &F->lines[i];
	if (F->frames)
		return frame_text(ui, &F->h2.frames[L->start], out, size);
	const struct tl_follow_chunk *c = &f->chunks[L->chunk];
	const uint8_t *p = f->data + c->off + L->start;
	size_t n = 0;
	if (c->gap)
		return (size_t)snprintf(out, size, "[%u bytes missing in "
		                        "capture file]", c->missing);
	switch (F->mode) {
	case TL_FOLLOW_HEX:
		if (size < 80)
			return 0;
		return tl_follow_hex_line(L->node_off, p, L->len, out);
	case TL_FOLLOW_RAW:
		for (uint32_t k = 0; k < L->len && n + 3 < size; k++) {
			static const char hx[] = "0123456789abcdef";
			out[n++] = hx[p[k] >> 4];
			out[n++] = hx[p[k] & 15];
		}
		break;
	case TL_FOLLOW_ASCII:
		for (uint32_t k = 0; k < L->len && n + 2 < size; k++) {
			if (p[k] == '\r')
				continue;
			out[n++] = p[k] >= 0x20 && p[k] < 0x7f ? (char)p[k]
			         : p[k] == '\t' ? ' ' : '.';
		}
		break;
	}
	out[n] = '\0';
	return n;
}

/* ---- drawing --------------------------------------------------------------- */

/* Whether the ladder reads this connection as HTTP/2 (h: frame view). */
static bool is_h2(struct ui *ui)
{
	const struct tl_app_conn *ac = tl_app_conn(ui->m.app,
	                                           state(ui)->stream);
	return ac && ac->proto == TL_APP_HTTP2;
}

static int body_rows(const struct ui *ui)
{
	return ui->rows - 3;    /* title, node line, status */
}

static void clamp(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	int64_t n = F->nlines, rows = body_rows(ui);
	if (F->cur >= n)
		F->cur = n - 1;
	if (F->cur < 0)
		F->cur = 0;
	if (F->top > F->cur)
		F->top = F->cur;
	if (F->cur >= F->top + rows)
		F->top = F->cur - rows + 1;
	if (F->top > n - rows)
		F->top = n - rows;
	if (F->top < 0)
		F->top = 0;
}

static int node_role(unsigned node)
{
	return R_STREAM0 + (int)node;
}

static void draw_nodes(struct ui *ui, const struct tl_follow *f)
{
	char name[2][80], buf[512];
	tl_follow_node_name(f, 0, name[0], sizeof name[0]);
	tl_follow_node_name(f, 1, name[1], sizeof name[1]);
	move(1, 0);
	clrtoeol();
	int x = 1;
	for (unsigned n = 0; n < 2; n++) {
		uint64_t b = f ? f->bytes_per_node[n] : 0;
		snprintf(buf, sizeof buf, "%s %s %llu byte%s  ",
		         n ? (ui->utf8 ? "←" : "<") : (ui->utf8 ? "→" : ">"),
		         name[n], (unsigned long long)b, b == 1 ? "" : "s");
		x += ui_put(ui, 1, x, ui->cols - x, buf, node_role(n), true);
	}
	uint32_t gaps = 0;
	uint64_t missing = 0;
	for (uint32_t i = 0; f && i < f->count; i++)
		if (f->chunks[i].gap) {
			gaps++;
			missing += f->chunks[i].missing;
		}
	if (gaps) {
		snprintf(buf, sizeof buf, "%u gap%s, %llu B missing  ", gaps,
		         gaps == 1 ? "" : "s", (unsigned long long)missing);
		x += ui_put(ui, 1, x, ui->cols - x, buf, R_LOST, false);
	}
	if (f && f->full)
		ui_put(ui, 1, x, ui->cols - x, "payload kept up to here "
		       "(--max-memory)", R_ERROR, false);
}

/* The lines up to date, and the cursor where p asked for it (before the
 * first key too: keys typed ahead of the first draw move from there). */
static void settle(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	build(ui);
	if (!F->open_frame)
		return;
	for (uint32_t i = 0; i < F->nlines; i++) {
		const struct tl_follow *f = followed(ui);
		if (f->chunks[F->lines[i].chunk].frame >= F->open_frame) {
			F->cur = i;
			F->top = i - body_rows(ui) / 3;
			break;
		}
		F->cur = i;
	}
	F->open_frame = 0;
}

static void follow_draw(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	static const char *mode_name[] = { "ascii", "hex dump", "raw" };
	const char *mode = F->frames ? "HTTP/2 frames" : mode_name[F->mode];
	static const char *show_name[] = { "", "  (node 0 only)",
	                                   "  (node 1 only)" };
	settle(ui);
	clamp(ui);
	const struct tl_follow *f = followed(ui);
	char mid[256];
	const char *name = strrchr(ui->input_name, '/');
	snprintf(mid, sizeof mid, "%s  follow stream %u  %s%s",
	         name ? name + 1 : ui->input_name,
	         F->stream, mode, show_name[F->show]);
	ui_draw_title(ui, mid, "? help  q back");
	draw_nodes(ui, f);
	int g = gutter(ui, F), rows = body_rows(ui);
	char text[UI_MAX_COLS * 2 + 96];
	for (int r = 0; r < rows; r++) {
		int y = 2 + r;
		int64_t i = F->top + r;
		move(y, 0);
		clrtoeol();
		if (i >= F->nlines) {
			if (i == 0)
				ui_put(ui, y, 1, ui->cols - 2, f && f->count
				       ? "(nothing from this side)"
				       : f ? "(no payload in this connection yet)"
				       : "(payload not kept: past a quarter of "
				         "--max-memory)", R_HINT, false);
			continue;
		}
		const struct fline *L = &F->lines[i];
		const struct tl_follow_chunk *c = &f->chunks[L->chunk];
		bool first = i == 0 || F->lines[i - 1].chunk != L->chunk ||
		             F->frames;
		bool cur = i == F->cur;
		if (first && g > 2) {
			snprintf(text, sizeof text, "%7u ", c->frame);
			ui_put(ui, y, 0, 8, text, R_HINT, false);
		}
		if (first)
			ui_put(ui, y, g - 2, 1, c->node ? (ui->utf8 ? "←" : "<")
			       : (ui->utf8 ? "→" : ">"), node_role(c->node),
			       true);
		line_text(ui, (uint32_t)i, text, sizeof text);
		ui_draw_reverse(cur);
		bool lost = F->frames ? F->h2.frames[L->start].kind >=
		                        TL_H2_LOST : c->gap;
		ui_put(ui, y, g, ui->cols - g, text[0] ? text : " ",
		       lost ? R_LOST : node_role(c->node), lost);
		ui_draw_reverse(false);
	}
	char hints[256];
	snprintf(hints, sizeof hints, "%lld/%u  m mode  f direction  %s/ search"
	         "  n N  Enter ladder  w save  q back",
	         (long long)(F->nlines ? F->cur + 1 : 0), F->nlines,
	         is_h2(ui) ? F->frames ? "h bytes  " : "h frames  " : "");
	ui_draw_status(ui, hints);
}

/* ---- search ------------------------------------------------------------------ */

static bool search_from(struct ui *ui, int64_t from, int dir)
{
	struct ui_follow *F = state(ui);
	char text[UI_MAX_COLS * 2 + 96];
	int64_t n = F->nlines;
	if (!F->search[0] || !n)
		return false;
	for (int64_t k = 0; k < n; k++) {
		int64_t i = ((from + dir * k) % n + n) % n;
		line_text(ui, (uint32_t)i, text, sizeof text);
		if (strstr(text, F->search)) {
			/* The match on top: what follows it is what is read. */
			F->top = i;
			F->cur = i;
			F->at_end = false;
			return true;
		}
	}
	ui_message(ui, true, "'%s' not found", F->search);
	return false;
}

static void search_done(struct ui *ui, const char *text, bool ok)
{
	struct ui_follow *F = state(ui);
	if (!ok || !*text)
		return;
	snprintf(F->search, sizeof F->search, "%s", text);
	search_from(ui, F->cur + 1, 1);
}

/* ---- saving ------------------------------------------------------------------ */

/* The payload shown (gaps left out: they are not bytes that were sent),
 * saved as -w saves (tl_savefile): every write checked, never over an
 * existing file, a link or a special file. */
static void save_done(struct ui *ui, const char *path, bool ok)
{
	struct ui_follow *F = state(ui);
	const struct tl_follow *f = followed(ui);
	struct tl_savefile sf;
	char err[1200];
	if (!ok || !*path || !f)
		return;
	if (!tl_savefile_open(&sf, path, false, err, sizeof err)) {
		ui_message(ui, true, "%s", err);
		return;
	}
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < f->count; i++) {
		const struct tl_follow_chunk *c = &f->chunks[i];
		if (c->gap || (F->show == SHOW_NODE0 && c->node) ||
		    (F->show == SHOW_NODE1 && !c->node))
			continue;
		if (fwrite(f->data + c->off, 1, c->len, sf.fp) != c->len)
			break;
		bytes += c->len;
	}
	bool good = tl_savefile_sync(&sf, err, sizeof err);
	fclose(sf.fp);      /* synced: nothing left to lose */
	sf.fp = NULL;
	if (good) {
		enum tl_publish r = tl_savefile_publish(&sf, err, sizeof err);
		if (r == TL_PUBLISHED)
			ui_message(ui, false, "%s: %llu bytes saved", path,
			           (unsigned long long)bytes);
		else
			ui_message(ui, true, "Not saved as asked: %s", err);
		free(sf.temp);      /* published, or kept where err says */
		sf.temp = NULL;
	} else {
		ui_message(ui, true, "%s", err);
	}
	tl_savefile_abort(&sf);
	tl_savefile_free(&sf);
}

/* ---- keys -------------------------------------------------------------------- */

static void jump_to_ladder(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	const struct tl_follow *f = followed(ui);
	if (!f || F->cur >= F->nlines)
		return;
	uint32_t frame = f->chunks[F->lines[F->cur].chunk].frame, seg;
	ui_seg_by_frame(ui, frame, &seg);
	if (seg >= ui->m.segs.count) {
		ui_message(ui, true, "frame %u is no longer kept", frame);
		return;
	}
	if (F->back != UI_VIEW_LADDER) {
		bool *want = tl_xcalloc(F->stream + 1, sizeof *want);
		want[F->stream] = true;
		ui_ladder_show_streams(ui, want, F->stream + 1);
		free(want);
		ui->ladder.opened_from_list = true;
	}
	ui->ladder.follow = false;
	ui_set_view(ui, UI_VIEW_LADDER);
	ui_ladder_select_seg(ui, seg);
}

/* Opened from the ladder: its cursor goes along to the current chunk's
 * frame, so going back (q) shows the row that was being read. */
static void sync_ladder(struct ui *ui)
{
	struct ui_follow *F = state(ui);
	const struct tl_follow *f = followed(ui);
	uint32_t seg;
	if (F->back != UI_VIEW_LADDER || ui->view != UI_VIEW_FOLLOW || !f ||
	    F->cur < 0 || F->cur >= F->nlines)
		return;
	if (!ui_seg_by_frame(ui, f->chunks[F->lines[F->cur].chunk].frame,
	                     &seg))
		return;         /* no longer kept: the ladder stays */
	ui_ladder_select_seg(ui, seg);
}

static enum ui_key_result follow_key(struct ui *ui, int ch)
{
	struct ui_follow *F = state(ui);
	int64_t page = body_rows(ui) - 1;
	if (page < 1)
		page = 1;
	settle(ui);
	F->at_end = false;
	switch (ch) {
	case KEY_UP: case 'k': F->cur--; break;
	case KEY_DOWN: case 'j': F->cur++; break;
	case KEY_PPAGE: case 2: F->cur -= page; break;
	case KEY_NPAGE: case 6: case ' ': F->cur += page; break;
	case KEY_HOME: case 'g': F->cur = 0; break;
	case KEY_END: case 'G':
		F->cur = (int64_t)F->nlines - 1;
		F->at_end = true;
		break;
	case 'm':
		/* From the frame view, back to the bytes as they were. */
		if (F->frames)
			F->frames = false;
		else
			F->mode = (F->mode + 1) % 3;
		rebuild(ui);
		break;
	case 'h':
		if (!F->frames && !is_h2(ui)) {
			ui_message(ui, true, "Not HTTP/2: the ladder decodes no "
			           "HTTP/2 frames in this connection");
			break;
		}
		F->frames = !F->frames;
		rebuild(ui);
		break;
	case 'd': case 'f':   /* f filters in every view */
		F->show = (F->show + 1) % 3;
		rebuild(ui);
		break;
	case '/':
		ui_prompt_start(ui, "search: ", F->search, false, search_done);
		break;
	case 'n': search_from(ui, F->cur + 1, 1); break;
	case 'N': search_from(ui, F->cur - 1, -1); break;
	case 'w':
		ui_prompt_start(ui, "save the payload shown to: ", "", false,
		                save_done);
		break;
	case '\n': case '\r': case KEY_ENTER: jump_to_ladder(ui); break;
	case 'q': case 27: ui_set_view(ui, F->back); break;
	default:
		return UI_KEY_UNHANDLED;
	}
	clamp(ui);
	sync_ladder(ui);
	return UI_KEY_HANDLED;
}

static void follow_mouse(struct ui *ui, int y, int x, int wheel)
{
	struct ui_follow *F = state(ui);
	(void)x;
	if (wheel) {
		F->top += wheel * 3;
		F->cur += wheel * 3;
	} else if (y >= 2 && y < 2 + body_rows(ui)) {
		F->cur = F->top + (y - 2);
	}
	clamp(ui);
	sync_ladder(ui);
}

void ui_follow_open(struct ui *ui, uint32_t stream, uint32_t frame,
                    enum ui_view_id back)
{
	struct ui_follow *F = state(ui);
	if (F->stream != stream || F->back != back) {
		F->cur = F->top = 0;
		F->search[0] = '\0';
	}
	F->stream = stream;
	F->back = back;
	if (F->frames && !is_h2(ui))
		F->frames = false;
	F->built_width = 0;
	F->open_frame = frame;
	F->at_end = ui->arriving && !frame;
	ui_set_view(ui, UI_VIEW_FOLLOW);
}

const struct ui_view ui_view_follow = {
	.name = "follow",
	.draw = follow_draw,
	.key = follow_key,
	.mouse = follow_mouse,
};

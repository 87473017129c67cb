/* w: save the chosen connections to a pcap file. The input file, as it was
 * opened at the start, is read again and every frame whose segment belongs
 * to a chosen stream is written, through tl_savefile: an existing file is
 * only replaced after asking, and never a link, a device or a directory. */
#include "config.h"

#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tl_savefile.h"

struct save_state {
	bool *want;             /* per stream; NULL with all */
	uint32_t want_cap;
	uint32_t count;         /* streams chosen */
	bool all;
	ui_save_pass pass;      /* a row filter: only its rows (or NULL) */
	char path[512];
	bool replace;           /* the user said yes */
};

static struct save_state save;

struct walk {
	const struct ui *ui;
	uint32_t next;          /* segment index: frames come in order */
};

static bool want_frame(void *ctx, uint32_t frame)
{
	struct walk *w = ctx;
	const struct tl_segstore *st = &w->ui->m.segs;
	while (w->next < st->count &&
	       tl_segstore_get(st, w->next)->frame < frame)
		w->next++;
	if (w->next >= st->count)
		return false;
	const struct tl_seg *seg = tl_segstore_get(st, w->next);
	if (seg->frame != frame)
		return false;
	if (save.pass)
		return save.pass(w->ui, w->next);
	return save.all || (seg->stream < save.want_cap &&
	                    save.want[seg->stream]);
}

static void write_now(struct ui *ui)
{
	char err[512];
	struct walk w = { ui, 0 };
	long n = ui_reread_save(ui->rr, save.path, save.replace, want_frame,
	                        &w, err, sizeof err);
	if (n < 0)
		ui_message(ui, true, "Not saved: %s", err);
	else
		ui_message(ui, false, "Saved %ld frame%s to %s%s", n,
		           n == 1 ? "" : "s", save.path,
		           ui->input_done ? "" : " (of the frames read so far)");
}

static void overwrite_done(struct ui *ui, const char *text, bool ok)
{
	(void)text;
	save.replace = ok;
	if (ok)
		write_now(ui);
	else
		ui_message(ui, false, "Not saved: %s exists", save.path);
}

static void name_done(struct ui *ui, const char *text, bool ok)
{
	char err[640];
	bool exists;
	if (!ok || !*text) {
		ui_message(ui, false, "Not saved");
		return;
	}
	snprintf(save.path, sizeof save.path, "%s", text);
	save.replace = false;
	if (!tl_savefile_check(save.path, false, &exists, err, sizeof err)) {
		ui_message(ui, true, "Not saved: %s", err);
		return;
	}
	if (exists) {
		char q[640];
		snprintf(q, sizeof q, "%s exists. Overwrite it? (y/n) ",
		         save.path);
		ui_prompt_start(ui, q, "", true, overwrite_done);
		return;
	}
	write_now(ui);
}

void ui_save_start(struct ui *ui, const bool *streams, uint32_t n,
                   bool all_streams)
{
	if (!ui->rr) {
		ui_message(ui, true, "Saving needs a capture file that can be "
		           "read again%s", ui->live ? " (for a live capture, "
		           "start with -w FILE)" : "");
		return;
	}
	free(save.want);
	memset(&save, 0, sizeof save);
	save.all = all_streams;
	uint32_t first = 0;
	if (!all_streams) {
		save.want = tl_xcalloc(n ? n : 1, sizeof *save.want);
		save.want_cap = n;
		for (uint32_t i = 0; i < n; i++) {
			if (streams[i]) {
				if (!save.count)
					first = i;
				save.want[i] = true;
				save.count++;
			}
		}
	}
	const char *base = strrchr(ui->opt->cap.file, '/');
	base = base ? base + 1 : ui->opt->cap.file;
	char stem[256], name[320], label[128];
	snprintf(stem, sizeof stem, "%s", base);
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	if (all_streams)
		snprintf(name, sizeof name, "%s-tcp.pcap", stem);
	else if (save.count == 1)
		snprintf(name, sizeof name, "%s-stream%u.pcap", stem, first);
	else
		snprintf(name, sizeof name, "%s-%ustreams.pcap", stem,
		         save.count);
	if (all_streams)
		snprintf(label, sizeof label, "Save every TCP connection to: ");
	else
		snprintf(label, sizeof label, "Save %u connection%s to: ",
		         save.count, save.count == 1 ? "" : "s");
	ui_prompt_start(ui, label, name, false, name_done);
}

void ui_save_only_rows(struct ui *ui, ui_save_pass pass, uint32_t rows)
{
	if (!ui->prompt.active || ui->prompt.done != name_done)
		return;         /* ui_save_start said why it cannot save */
	save.pass = pass;
	const char *base = strrchr(ui->opt->cap.file, '/');
	base = base ? base + 1 : ui->opt->cap.file;
	char stem[256], name[320], label[128];
	snprintf(stem, sizeof stem, "%s", base);
	char *dot = strrchr(stem, '.');
	if (dot && dot != stem)
		*dot = '\0';
	snprintf(name, sizeof name, "%s-filtered.pcap", stem);
	snprintf(label, sizeof label, "Save the %u row%s shown to: ", rows,
	         rows == 1 ? "" : "s");
	ui_prompt_start(ui, label, name, false, name_done);
}

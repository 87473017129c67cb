/* e: the ladder or the graph on screen as an SVG picture in the current
 * directory, named after the capture (lab-ooo.stream0.svg), with -1, -2...
 * added rather than writing over a file that exists. */
#include "config.h"

#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tl_picture.h"

/* "lab-ooo.stream0", "lab-ooo.streams0-3", "lab-ooo.all" */
static void stem(const struct ui *ui, uint32_t stream_or_max, char *buf,
                 size_t size)
{
	const char *base = strrchr(ui->input_name, '/');
	base = base ? base + 1 : ui->input_name;
	char name[256];
	snprintf(name, sizeof name, "%s", *base ? base : "capture");
	char *dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	for (char *p = name; *p; p++)   /* "eth0" or "any" live: keep sane */
		if (*p == '/' || *p == ' ')
			*p = '_';
	const struct ui_ladder_state *l = &ui->ladder;
	if (stream_or_max != UINT32_MAX)
		snprintf(buf, size, "%s.stream%u", name, stream_or_max);
	else if (l->all_streams && ui->m.tracker.stream_count == 1)
		snprintf(buf, size, "%s.stream0", name);
	else if (l->all_streams)
		snprintf(buf, size, "%s.all", name);
	else if (l->want_count == 1)
		snprintf(buf, size, "%s.stream%u", name, l->first_want);
	else
		snprintf(buf, size, "%s.streams%u-%u", name, l->first_want,
		         l->want_count);
}

/* Opens NAME.svg, NAME-1.svg, ... whichever does not exist yet. */
static FILE *open_new(const char *name, const char *suffix, char *path,
                      size_t size)
{
	for (int i = 0; i < 1000; i++) {
		if (i == 0)
			snprintf(path, size, "%s%s", name, suffix);
		else
			snprintf(path, size, "%s-%d%s", name, i, suffix);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		              0644);
		if (fd >= 0) {
			FILE *f = fdopen(fd, "w");
			if (!f)
				close(fd);
			return f;
		}
		if (errno != EEXIST)
			return NULL;
	}
	errno = EEXIST;
	return NULL;
}

static void written(struct ui *ui, FILE *f, int rc, const char *path,
                    const char *what)
{
	int saved = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	char cwd[512];
	const char *dir = getcwd(cwd, sizeof cwd) ? cwd : ".";
	if (rc != 0) {
		unlink(path);
		ui_message(ui, true, "Export failed: %s: %s", path,
		           strerror(saved));
		return;
	}
	ui_message(ui, false, "Exported %s to %s/%s", what, dir, path);
}

static struct tl_picture_src source(struct ui *ui)
{
	return (struct tl_picture_src){
		.m = &ui->m,
		.segs = &ui->m.segs,
		.title = ui->input_name,
		.absolute_seq = ui->absolute_seq,
		.time_format = ui->time_format,
		.by_host = ui->opt->by_host,
	};
}

void ui_export_rows(struct ui *ui, const uint32_t *rows, uint32_t n,
                    uint64_t first_row, uint64_t total, const char *what)
{
	char name[300], path[400], desc[160];
	stem(ui, UINT32_MAX, name, sizeof name);
	FILE *f = open_new(name, ".svg", path, sizeof path);
	if (!f) {
		ui_message(ui, true, "Export failed: %s.svg: %s", name,
		           strerror(errno));
		return;
	}
	struct tl_picture_src src = source(ui);
	src.rows = rows;
	src.row_count = n;
	src.first_row = first_row;
	src.total_rows = total;
	src.more_hint = total > n ? "the rest: -T svg --page" : "";
	int rc = tl_svg_ladder(f, &src);
	snprintf(desc, sizeof desc, "%u %s%s", n, what,
	         total > n ? " (the first ones: --rows)" : "");
	written(ui, f, rc, path, desc);
}

void ui_export_graph(struct ui *ui, int kind, uint32_t stream, int dir,
                     const void *view)
{
	char name[300], full[330], path[400];
	stem(ui, stream, name, sizeof name);
	snprintf(full, sizeof full, "%s.%s", name, kind ? "flight" : "tsg");
	FILE *f = open_new(full, ".svg", path, sizeof path);
	if (!f) {
		ui_message(ui, true, "Export failed: %s.svg: %s", full,
		           strerror(errno));
		return;
	}
	struct tl_picture_src src = source(ui);
	src.total_rows = ui->m.segs.count;
	int rc = tl_svg_graph(f, &src, (enum tl_graph_kind)kind, stream, dir,
	                      view);
	written(ui, f, rc, path, kind ? "the bytes-in-flight graph"
	                              : "the time-sequence graph");
}

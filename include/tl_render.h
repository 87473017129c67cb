/* Plain-text front ends: the segment table and the text ladder. Both stream:
 * each segment is written as soon as it has been analysed. */
#ifndef TL_RENDER_H
#define TL_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "tl_fields.h"
#include "tl_ladder.h"
#include "tl_model.h"
#include "tl_options.h"

/* Buffered writer for stdout: one write() per 64 KiB, or per line when
 * following a live capture. */
struct tl_out {
	int fd;
	bool line_flush;
	bool failed;            /* a write failed: stop writing */
	int error;              /* its errno; EPIPE (reader gone) is quiet */
	size_t len;
	char buf[65536];
};
void tl_out_init(struct tl_out *o, int fd, bool line_flush);
/* Flushes; on a failed write other than a closed pipe, says which (what:
 * "standard output" or a path) and why, and returns TL_EXIT_WRITE; else 0. */
int tl_out_finish(struct tl_out *o, const char *what);
void tl_out_write(struct tl_out *o, const char *s, size_t n);
void tl_out_str(struct tl_out *o, const char *s);
void tl_out_end_line(struct tl_out *o);
/* Writing in place: reserve returns where at least n (<= 64 KiB) bytes may
 * be written, flushing first if they would not fit; commit takes the end of
 * what was written there. Saves a copy through a line buffer. */
char *tl_out_reserve(struct tl_out *o, size_t n);
void tl_out_commit(struct tl_out *o, const char *end);
void tl_out_flush(struct tl_out *o);

/* A stdio stream over fd, for the writers that use fprintf (pictures): the
 * first failed write's errno is kept and nothing is written after it. */
struct tl_fdfile {
	int fd;
	int error;
};
FILE *tl_fdfile_open(struct tl_fdfile *s, int fd);
/* Closes it; as tl_out_finish. */
int tl_fdfile_close(FILE *f, struct tl_fdfile *s, const char *what);

/* Formatted addresses of recent streams and flag names per flag byte, so
 * a row costs no printf and no inet_ntop. */
#define TL_TSV_NAME_CACHE 4096
struct tl_tsv_names {
	uint32_t stream_plus_one;   /* 0: empty slot */
	uint8_t len[2];
	char addr[2][46];
};
struct tl_tsv {
	struct tl_tsv_names names[TL_TSV_NAME_CACHE];
	char flags[256][40];
	uint8_t flags_len[256];
};
void tl_tsv_init(struct tl_tsv *t);
void tl_tsv_free(struct tl_tsv *t);
void tl_tsv_header(struct tl_out *o);
void tl_tsv_row(struct tl_tsv *t, struct tl_out *o, const struct tl_model *m,
                const struct tl_seg *seg);

/* -T fields (render_fields.c): the -e columns, formatted as tshark. */
struct tl_fields_out {
	const struct tl_options *opt;
	const struct tl_field **fields;     /* NULL: a name we do not hold */
	uint32_t count;
	bool wants_bif;         /* a field needs tl_tracker_want_bif */
	bool wants_sender;      /* a field is the sender model's */
	bool wants_http;        /* a field is HTTP's (tl_app_want_http) */
	size_t sep_len, agg_len, field_max;
};
void tl_fields_out_init(struct tl_fields_out *fo,
                        const struct tl_options *opt);
void tl_fields_out_free(struct tl_fields_out *fo);
void tl_fields_header(struct tl_fields_out *fo, struct tl_out *o);
void tl_fields_row(struct tl_fields_out *fo, struct tl_out *o,
                   const struct tl_fctx *c);
/* -T sender (render_sender.c): the sender model's values, one row per
 * segment. */
void tl_sender_header(struct tl_out *o);
void tl_sender_row(struct tl_out *o, const struct tl_seg *seg,
                   const struct tl_sender_vals *v);

struct tl_text_ladder {
	struct tl_ladder ladder;
	const struct tl_options *opt;
	int width;
	bool utf8;
	uint32_t header_nodes;  /* columns in the last header printed */
	int64_t prev_time_us;
	bool have_prev;
	bool multi_stream;
	/* Too many endpoints for a column each: every row names its two
	 * endpoints around a two-column arrow instead. */
	bool pair_mode;
	/* A time wider than its column (a capture spanning years) widens
	 * the column for the rest of the output: 0 until then. */
	int time_cells;
	uint32_t drop_from;     /* kernel drops after this frame not shown */
};
void tl_text_init(struct tl_text_ladder *t, const struct tl_options *opt,
                  int width, bool utf8);
void tl_text_free(struct tl_text_ladder *t);
void tl_text_row(struct tl_text_ladder *t, struct tl_out *o,
                 const struct tl_model *m, const struct tl_seg *seg,
                 const struct tl_seg_note *note);
/* Kernel drops counted before frame hi and not shown yet: one line,
 * "── 5,533 packets dropped by the kernel here ──". tl_text_row shows
 * those before its row; after the last row, hi UINT32_MAX shows the rest. */
void tl_text_drops(struct tl_text_ladder *t, struct tl_out *o,
                   const struct tl_model *m, uint32_t hi);
/* After the last row: each HTTP connection's exchanges (HTTP/2 streams),
 * from the application labels. */
void tl_text_app_summary(struct tl_text_ladder *t, struct tl_out *o,
                         const struct tl_model *m);

#endif

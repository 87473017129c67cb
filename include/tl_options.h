/* Command-line options: one struct, filled once, passed down. */
#ifndef TL_OPTIONS_H
#define TL_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "tl_capture.h"
#include "tl_follow.h"
#include "tl_sender.h"

enum tl_output {
	TL_OUT_AUTO,    /* the ncurses view on a terminal, text otherwise */
	TL_OUT_UI,
	TL_OUT_TEXT,
	TL_OUT_TSV,
	TL_OUT_SVG,     /* one standalone SVG picture (render_svg.c) */
	TL_OUT_HTML,    /* one self-contained page: picture and tables */
	TL_OUT_FIELDS,  /* the -e fields, as tshark -T fields prints them */
	TL_OUT_SENDER,  /* the sender model's values per segment */
};

enum tl_time_format {
	TL_TIME_RELATIVE,   /* seconds since the first packet */
	TL_TIME_DELTA,      /* since the previous row shown */
	TL_TIME_ABSOLUTE,   /* time of day */
};

/* TL_THEME_DEFAULT is the dark theme. */
enum tl_theme { TL_THEME_DEFAULT, TL_THEME_LIGHT, TL_THEME_PROJECTOR };

struct tl_options {
	struct tl_capture_config cap;
	char *filter_storage;   /* joined trailing arguments */
	uint32_t count;         /* stop after this many packets; 0 = all */
	uint32_t max_connections; /* text/tsv: connections kept at once */
	uint32_t max_segments;  /* the full-screen view; 0 = no bound */
	uint64_t max_memory;    /* the same in bytes; 0 = no bound */
	bool max_memory_set;
	enum tl_output output;
	enum tl_time_format time_format;
	bool by_host;
	bool ascii;
	bool absolute_seq;
	bool no_color;
	enum tl_theme theme;
	int width;              /* 0: from the terminal or COLUMNS */
	uint32_t *streams;      /* -S selections; none = all */
	uint32_t stream_count;
	double replay_speed;    /* 0 = no replay */
	bool step;
	const char *drop_user;  /* -Z */
	bool no_drop;
	/* -T svg/html: which picture, and which rows of the selection. */
	int graph;              /* enum tl_graph_kind + 1; 0 = the ladder */
	uint32_t rows;          /* rows per picture (--rows; 0 = default) */
	uint32_t page;          /* 1-based (--page) */
	/* -z follow,tcp,MODE,N: sections printed after everything else. */
	struct tl_follow_spec *follows;
	uint32_t follow_count;
	bool quiet;             /* -q: only the -z sections */
	/* -T fields: the -e names and the -E settings, as tshark's. */
	const char **fields;
	uint32_t field_count;
	bool field_header;
	char field_occurrence;  /* 'f', 'l' or 'a' */
	char field_quote;       /* '"', '\'' or 0 */
	const char *field_separator;
	const char *field_aggregator;
	/* -Y: a display filter, compiled once (tl_dfilter.h). */
	const char *display_filter;
	struct tl_dfilter *dfilter;
	enum tl_cc cc;          /* --cc: the sender model's controller */
};

/* Parses argv; prints help/version and exits, or exits 2 with one line on a
 * usage error. */
void tl_options_parse(struct tl_options *opt, int argc, char **argv);
void tl_options_free(struct tl_options *opt);
bool tl_options_wants_stream(const struct tl_options *opt, uint32_t stream);

#endif

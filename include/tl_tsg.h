/* Time-sequence graphs (tcptrace and Stevens style) for one connection and
 * one direction: what to draw, computed from the retained segments, and a
 * dot raster the terminal draws with braille or ASCII. The SVG renderer
 * draws the same series as vectors. No curses here.
 *
 * Sequence numbers are relative (as shown) and unwrapped to 64 bits; y is
 * in bytes. The SACK blocks of the ACKs come from the segment store's SACK
 * records (beside the 32-byte rows) and are drawn as tcptrace does: a
 * vertical mark from left to right edge at the ACK's time. */
#ifndef TL_TSG_H
#define TL_TSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_model.h"

enum tl_graph_kind {
	TL_GRAPH_TSG,           /* sequence numbers over time */
	TL_GRAPH_FLIGHT,        /* bytes in flight and receive window */
};

/* A segment of the data direction that occupies sequence space. */
struct tl_tsg_data {
	int64_t t_us;
	int64_t seq, end;       /* end = seq + len (+1 for SYN, FIN) */
	int64_t gap_from;       /* < seq: bytes never seen before this one */
	uint32_t seg;           /* index in the segment store */
	uint8_t kind;           /* enum tl_annot_kind */
};

/* An ACK from the other direction: the ACK line and the window line. */
struct tl_tsg_ack {
	int64_t t_us;
	int64_t ack, wnd_edge;  /* wnd_edge = ack + advertised window */
	uint32_t seg;
	uint8_t kind;
};

/* A SACK block of an ACK from the other direction: bytes [le, re) the
 * receiver holds above its ACK (below it: a D-SACK, a duplicate). */
struct tl_tsg_sack {
	int64_t t_us;
	int64_t le, re;
	uint32_t seg;
};

/* Bytes in flight and the receiver's window after each segment. */
struct tl_tsg_flight {
	int64_t t_us;
	int64_t in_flight, rwnd;
	uint32_t seg;
	uint8_t kind;
};

/* A point of the sender model's cwnd or ssthresh line, in bytes. */
struct tl_tsg_pt {
	int64_t t_us;
	int64_t y;
	uint8_t kind;
};

struct tl_tsg {
	uint32_t stream;
	unsigned dir;           /* the sender of the data shown */
	struct tl_tsg_data *data;
	uint32_t data_count;
	struct tl_tsg_ack *acks;
	uint32_t ack_count;
	struct tl_tsg_sack *sacks;
	uint32_t sack_count;
	struct tl_tsg_flight *flight;
	uint32_t flight_count;
	/* The sender model's lines (segments kept with its values only):
	 * ssthresh where it is finite. */
	struct tl_tsg_pt *cwnd, *ssthresh;
	uint32_t cwnd_count, ssthresh_count;
	uint32_t *segs;         /* every segment of the stream, in order */
	uint32_t seg_count;
	int64_t t_min, t_max;
	int64_t y_min, y_max;   /* sequence space of data and ACKs */
	int64_t win_max;        /* highest right edge of the window */
	int64_t flight_max;     /* of in_flight, rwnd, cwnd and ssthresh */
	uint64_t bytes[2];      /* payload per direction */
	uint32_t rtx, ooo, lost, dupack;
};

/* Builds the graph of stream from the segments st[idx[0..n)] (idx NULL:
 * every segment of st). dir < 0 picks the direction that sent more
 * payload. Returns false if the stream has no segment there. */
bool tl_tsg_build(struct tl_tsg *g, const struct tl_segstore *st,
                  const uint32_t *idx, uint32_t n, uint32_t stream, int dir);
void tl_tsg_free(struct tl_tsg *g);

/* Where in the graph segment seg sits: its time and its y (the data's
 * seq, or the ACK number). False if seg is not in the graph. */
bool tl_tsg_locate(const struct tl_tsg *g, enum tl_graph_kind kind,
                   const struct tl_segstore *st, uint32_t seg, int64_t *t_us,
                   int64_t *y);
/* Position of seg in g->segs (the nearest earlier one if absent). */
uint32_t tl_tsg_seg_pos(const struct tl_tsg *g, uint32_t seg);

/* The visible window: time [t0, t1] in microseconds, y [y0, y1] bytes. */
struct tl_tsg_view {
	int64_t t0, t1;
	int64_t y0, y1;
};
void tl_tsg_fit(const struct tl_tsg *g, enum tl_graph_kind kind,
                struct tl_tsg_view *v);

/* Round steps for axis ticks: 1, 2 or 5 times a power of ten, about
 * range/ticks. */
int64_t tl_tsg_tick(int64_t range, int ticks);
/* "0.25 s", "12 ms", "64 KB", "1.5 MB": short tick labels. */
size_t tl_tsg_format_time(int64_t us, int64_t step, char *buf, size_t size);
size_t tl_tsg_format_bytes(int64_t bytes, int64_t step, char *buf,
                           size_t size);

/* What a dot shows: its series (for the ASCII glyph) and its annotation
 * kind (for the colour). */
enum tl_plot_series {
	TL_PLOT_EMPTY,
	TL_PLOT_WIN,            /* receive window line */
	TL_PLOT_RWND = TL_PLOT_WIN,
	TL_PLOT_ACK,            /* ACK line */
	TL_PLOT_FLIGHT = TL_PLOT_ACK,
	TL_PLOT_SACK,           /* SACK blocks (data and gaps win a dot) */
	TL_PLOT_GAP,            /* bytes never captured */
	TL_PLOT_DATA,
	TL_PLOT_SSTHRESH,       /* the sender model's lines */
	TL_PLOT_CWND,
};

/* A raster of cols x rows terminal cells, 2 x 4 dots each. */
struct tl_plot {
	int cols, rows;
	int w, h;               /* dots */
	uint8_t *dot;           /* series << 4 | kind; 0 = empty */
};
void tl_plot_init(struct tl_plot *p, int cols, int rows);
void tl_plot_free(struct tl_plot *p);
/* Draws the graph into p (cleared first). */
void tl_tsg_plot(const struct tl_tsg *g, enum tl_graph_kind kind,
                 const struct tl_tsg_view *v, struct tl_plot *p);
/* Dot coordinates of a graph point (may be outside the raster). */
void tl_plot_map(const struct tl_plot *p, const struct tl_tsg_view *v,
                 int64_t t_us, int64_t y, int64_t *x, int64_t *dy);
/* The glyph of cell (cx, cy): a braille pattern (U+2800..U+28FF) or, with
 * ascii, one character by what dominates; " " when empty. series and kind
 * are those of the most important dot in the cell. */
size_t tl_plot_cell(const struct tl_plot *p, int cx, int cy, bool ascii,
                    char out[8], unsigned *series, unsigned *kind);

#endif

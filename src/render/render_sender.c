/* -T sender: what the sender model says of each segment, one tab-separated
 * row per TCP segment. Empty cells where the model has nothing to say (no
 * data flows that way yet, ssthresh still infinite, not a retransmission). */
#include "config.h"

#include "tl_render.h"

#include <string.h>

void tl_sender_header(struct tl_out *o)
{
	tl_out_str(o, "frame\tstream\tcwnd\tcwnd_bytes\tssthresh\tca_state\t"
	              "phase\trto\trtx_cause");
	tl_out_end_line(o);
}

static char *put_s(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

/* Room for a row: nine cells of at most 28 characters each. */
#define SENDER_ROW_MAX 512

void tl_sender_row(struct tl_out *o, const struct tl_seg *seg,
                   const struct tl_sender_vals *v)
{
	char *p = tl_out_reserve(o, SENDER_ROW_MAX);
	p = tl_put_u32(p, seg->frame);
	*p++ = '\t';
	p = tl_put_u32(p, seg->stream);
	*p++ = '\t';
	if (v->valid) {
		p = tl_put_u32(p, v->cwnd);
		*p++ = '\t';
		if (v->mss)
			p = tl_put_u64(p, tl_sender_cwnd_bytes(v));
		*p++ = '\t';
		if (v->ssthresh < TL_SSTHRESH_INFINITE)
			p = tl_put_u32(p, v->ssthresh);
		*p++ = '\t';
		p = put_s(p, tl_ca_state_name(v->ca_state));
		*p++ = '\t';
		p = put_s(p, tl_phase_name(v->phase));
		*p++ = '\t';
		p = tl_put_us(p, v->rto_us);
		*p++ = '\t';
		p = put_s(p, tl_rtx_cause_name(v->rtx_cause));
	} else {
		p = put_s(p, "\t\t\t\t\t\t");
	}
	*p++ = '\n';
	tl_out_commit(o, p);
	if (o->line_flush)
		tl_out_flush(o);
}

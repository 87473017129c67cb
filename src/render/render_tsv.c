/* The segment table (shared/docs/segment-table.md): fixed columns, one row
 * per TCP segment, formatted without printf on the hot path. */
#include "config.h"

#include "tl_render.h"

#include <string.h>

#include "tl_label.h"

void tl_tsv_header(struct tl_out *o)
{
	tl_out_str(o, "frame\ttime\tstream\tsrc\tsrcport\tdst\tdstport\tflags\t"
	              "seq\tack\tlen\twin\tanalysis");
	tl_out_end_line(o);
}

static char *put_s(char *p, const char *s)
{
	size_t n = strlen(s);
	memcpy(p, s, n);
	return p + n;
}

static char *put_analysis(char *p, unsigned an)
{
	an &= TL_AN_WIRESHARK_MASK;
	if (!an) {
		*p++ = '-';
		return p;
	}
	bool first = true;
	for (unsigned i = 0; i < TL_AN_WIRESHARK_COUNT; i++) {
		if (!(an & (1u << i)))
			continue;
		if (!first)
			*p++ = ',';
		p = put_s(p, tl_analysis_name(i));
		first = false;
	}
	return p;
}

void tl_tsv_init(struct tl_tsv *t)
{
	memset(t, 0, sizeof *t);
	for (unsigned f = 0; f < 256; f++)
		t->flags_len[f] = (uint8_t)tl_label_flags_tsv(f, t->flags[f],
		                                              sizeof t->flags[f]);
}

void tl_tsv_free(struct tl_tsv *t)
{
	(void)t;
}

/* Names of a stream's endpoints, from a small direct-mapped cache: memory
 * stays bounded however many connections a capture holds. */
static const struct tl_tsv_names *names_of(struct tl_tsv *t,
                                           const struct tl_conn *c)
{
	struct tl_tsv_names *n = &t->names[c->stream % TL_TSV_NAME_CACHE];
	if (n->stream_plus_one != c->stream + 1) {
		n->stream_plus_one = c->stream + 1;
		for (int e = 0; e < 2; e++)
			n->len[e] = (uint8_t)tl_format_addr(c->ip_version,
			                                    c->addr[e], n->addr[e],
			                                    sizeof n->addr[e]);
	}
	return n;
}

/* Bytes a row can take in the output buffer: seven 32-bit numbers (10
 * digits each), the time (28), both whole address slots and the whole flag
 * slot (copied at their full fixed size, see put_slot), 15 analysis names
 * of at most 24 characters with their commas, 13 separators; with room to
 * spare. */
#define TSV_ROW_MAX 1024

/* Copies a whole fixed-size slot, then keeps only its first len bytes: a
 * copy of constant size is a few vector moves, where one of variable size is
 * a library call. The bytes past len are overwritten by what follows. */
#define put_slot(p, slot, len) \
	(memcpy((p), (slot), sizeof(slot)), (p) + (len))

static char *put_tab_u32(char *p, uint32_t v)
{
	*p++ = '\t';
	return tl_put_u32(p, v);
}

void tl_tsv_row(struct tl_tsv *t, struct tl_out *o, const struct tl_model *m,
                const struct tl_seg *seg)
{
	const struct tl_conn *c = tl_tracker_stream(&m->tracker, seg->stream);
	const struct tl_tsv_names *n = names_of(t, c);
	unsigned d = tl_seg_dir(seg), flags = tl_seg_flags(seg) & 0xff;
	char *p = tl_out_reserve(o, TSV_ROW_MAX);
	p = tl_put_u32(p, seg->frame);
	*p++ = '\t';
	p = tl_put_us(p, tl_seg_time_us(seg));
	p = put_tab_u32(p, seg->stream);
	*p++ = '\t';
	p = put_slot(p, n->addr[d], n->len[d]);
	p = put_tab_u32(p, c->port[d]);
	*p++ = '\t';
	p = put_slot(p, n->addr[!d], n->len[!d]);
	p = put_tab_u32(p, c->port[!d]);
	*p++ = '\t';
	p = put_slot(p, t->flags[flags], t->flags_len[flags]);
	p = put_tab_u32(p, seg->seq);
	p = put_tab_u32(p, seg->ack);
	/* The record's 16 bits hold any segment but a jumbogram's (RFC 2675);
	 * the model's last packet, which this row is, has its whole length. */
	p = put_tab_u32(p, seg->len == UINT16_MAX ? m->pkt.seglen : seg->len);
	p = put_tab_u32(p, seg->win);
	*p++ = '\t';
	p = put_analysis(p, seg->analysis);
	*p++ = '\n';
	tl_out_commit(o, p);
	if (o->line_flush)
		tl_out_flush(o);
}

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

static char *put_u(char *p, uint64_t v)
{
	return p + tl_utoa(v, p);
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

void tl_tsv_row(struct tl_out *o, const struct tl_model *m,
                const struct tl_seg *seg)
{
	const struct tl_conn *c = tl_tracker_stream(&m->tracker, seg->stream);
	unsigned d = tl_seg_dir(seg);
	char line[640], *p = line;
	char addr[64];
	p = put_u(p, seg->frame);
	*p++ = '\t';
	p += tl_format_us(tl_seg_time_us(seg), p);
	*p++ = '\t';
	p = put_u(p, seg->stream);
	*p++ = '\t';
	tl_format_addr(c->ip_version, c->addr[d], addr, sizeof addr);
	p = put_s(p, addr);
	*p++ = '\t';
	p = put_u(p, c->port[d]);
	*p++ = '\t';
	tl_format_addr(c->ip_version, c->addr[!d], addr, sizeof addr);
	p = put_s(p, addr);
	*p++ = '\t';
	p = put_u(p, c->port[!d]);
	*p++ = '\t';
	p += tl_label_flags_tsv(tl_seg_flags(seg) & 0xff, p, 64);
	*p++ = '\t';
	p = put_u(p, seg->seq);
	*p++ = '\t';
	p = put_u(p, seg->ack);
	*p++ = '\t';
	p = put_u(p, seg->len);
	*p++ = '\t';
	p = put_u(p, seg->win);
	*p++ = '\t';
	p = put_analysis(p, seg->analysis);
	tl_out_write(o, line, (size_t)(p - line));
	tl_out_end_line(o);
}

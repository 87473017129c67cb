/* -T fields: the columns tshark -T fields prints for the same -e and -E,
 * one line per TCP segment (tl_fields.h gives each value). */
#include "config.h"

#include "tl_render.h"

#include <stdlib.h>
#include <string.h>

void tl_fields_out_init(struct tl_fields_out *fo, const struct tl_options *opt)
{
	memset(fo, 0, sizeof *fo);
	fo->opt = opt;
	fo->count = opt->field_count;
	fo->fields = tl_xcalloc(fo->count ? fo->count : 1, sizeof *fo->fields);
	for (uint32_t i = 0; i < fo->count; i++) {
		/* NULL: a name tshark knows and we do not hold: empty. */
		fo->fields[i] = tl_field_find(opt->fields[i],
		                              strlen(opt->fields[i]));
		if (fo->fields[i] && tl_field_needs_bif(fo->fields[i]))
			fo->wants_bif = true;
		if (fo->fields[i] && tl_field_needs_sender(fo->fields[i]))
			fo->wants_sender = true;
		if (fo->fields[i] && tl_field_needs_http(fo->fields[i]))
			fo->wants_http = true;
	}
	fo->sep_len = strlen(opt->field_separator);
	fo->agg_len = strlen(opt->field_aggregator);
	/* Room for one field: every value at its longest (option bytes in
	 * hex, an IPv6 address), the aggregators, quotes and a separator. */
	fo->field_max = TL_FIELD_MAX_VALUES * (128 + fo->agg_len) +
	                fo->sep_len + 4;
	if (fo->field_max > sizeof ((struct tl_out *)0)->buf / 2)
		fo->field_max = sizeof ((struct tl_out *)0)->buf / 2;
}

void tl_fields_out_free(struct tl_fields_out *fo)
{
	free(fo->fields);
	fo->fields = NULL;
}

void tl_fields_header(struct tl_fields_out *fo, struct tl_out *o)
{
	const struct tl_options *opt = fo->opt;
	if (!opt->field_header)
		return;
	for (uint32_t i = 0; i < fo->count; i++) {
		if (i)
			tl_out_str(o, opt->field_separator);
		tl_out_str(o, opt->fields[i]);
	}
	tl_out_end_line(o);
}

/* Values print into the output buffer in place: one reserve per field
 * (field_max bytes), no copy through a line buffer. */
void tl_fields_row(struct tl_fields_out *fo, struct tl_out *o,
                   const struct tl_fctx *c)
{
	const struct tl_options *opt = fo->opt;
	struct tl_fval vals[TL_FIELD_MAX_VALUES];
	char q = opt->field_quote;
	for (uint32_t i = 0; i < fo->count; i++) {
		char *p = tl_out_reserve(o, fo->field_max);
		/* A string (an HTTP URI) may take what the others leave. */
		char *end = p + fo->field_max - 2;
		if (i) {
			memcpy(p, opt->field_separator, fo->sep_len);
			p += fo->sep_len;
		}
		const struct tl_field *f = fo->fields[i];
		unsigned n = f ? tl_field_values(c, f, vals) : 0;
		if (n) {
			unsigned k = 0, last = n;
			if (opt->field_occurrence == 'f')
				last = 1;
			else if (opt->field_occurrence == 'l')
				k = n - 1;
			if (q)
				*p++ = q;
			for (unsigned first = k; k < last; k++) {
				if (k != first) {
					memcpy(p, opt->field_aggregator,
					       fo->agg_len);
					p += fo->agg_len;
				}
				size_t room = (size_t)(end - p) > fo->agg_len
				              ? (size_t)(end - p) - fo->agg_len : 0;
				p += tl_field_format(f, &vals[k], p,
				                     room < 128 ? room : f->type ==
				                     TL_FT_STRING ? room : 128);
			}
			if (q)
				*p++ = q;
		}
		tl_out_commit(o, p);
	}
	tl_out_end_line(o);
}

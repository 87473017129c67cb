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
	for (uint32_t i = 0; i < fo->count; i++)
		/* NULL: a name tshark knows and we do not hold: empty. */
		fo->fields[i] = tl_field_find(opt->fields[i],
		                              strlen(opt->fields[i]));
}

void tl_fields_out_free(struct tl_fields_out *fo)
{
	free(fo->fields);
	fo->fields = NULL;
}

static void put_quote(struct tl_out *o, char q)
{
	if (q)
		tl_out_write(o, &q, 1);
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

static void put_value(struct tl_out *o, const struct tl_field *f,
                      const struct tl_fval *v)
{
	/* Bytes print two digits each; the longest are option bytes. */
	char buf[128];
	size_t n = tl_field_format(f, v, buf, sizeof buf);
	tl_out_write(o, buf, n);
}

void tl_fields_row(struct tl_fields_out *fo, struct tl_out *o,
                   const struct tl_fctx *c)
{
	const struct tl_options *opt = fo->opt;
	struct tl_fval vals[TL_FIELD_MAX_VALUES];
	for (uint32_t i = 0; i < fo->count; i++) {
		if (i)
			tl_out_str(o, opt->field_separator);
		const struct tl_field *f = fo->fields[i];
		unsigned n = f ? tl_field_values(c, f, vals) : 0;
		if (!n)
			continue;
		put_quote(o, opt->field_quote);
		if (opt->field_occurrence == 'f') {
			put_value(o, f, &vals[0]);
		} else if (opt->field_occurrence == 'l') {
			put_value(o, f, &vals[n - 1]);
		} else {
			for (unsigned k = 0; k < n; k++) {
				if (k)
					tl_out_str(o, opt->field_aggregator);
				put_value(o, f, &vals[k]);
			}
		}
		put_quote(o, opt->field_quote);
	}
	tl_out_end_line(o);
}

/* What searches and filters match: connections by whole fields, rows by
 * everything the ladder shows. Curses-free, so unit tests can use it. */
#ifndef TL_MATCH_H
#define TL_MATCH_H

#include <stdbool.h>

#include "tl_model.h"

struct tl_app;

/* A connection filter: every word must equal a whole field, case
 * insensitive: the stream number, a port, an address, "address:port"
 * (IPv6 as "[addr]:port"), or the state name. "3" is stream 3 or port 3,
 * never stream 13. */
bool tl_match_conn(const struct tl_conn *c, const char *query);

/* A row search: the query (case insensitive, as typed) appears in the
 * segment's whole label, its analysis words, its application label or
 * head-of-line note, or the connection's "address:port" of either end.
 * note is only read for a segment with analysis bits. */
struct tl_match_query {
	const char *text;
	bool in_label;          /* could be in a segment label */
	bool in_endpoint;       /* could be in an address:port */
};
/* Once per search: what the query could match at all, so that a search
 * over millions of rows formats no label it cannot be in. */
void tl_match_compile(struct tl_match_query *q, const char *text);
bool tl_match_row(const struct tl_seg *seg, const struct tl_seg_note *note,
                  const struct tl_conn *c, const struct tl_app *app,
                  int absolute, const struct tl_match_query *q);

/* A head-of-line row: its application label says data waited behind a
 * hole ("held back", "fills a hole"). */
bool tl_match_hol(const struct tl_app *app, uint32_t frame);

/* Annotated, for a/A and the annotated filter: a Wireshark analysis word
 * or a head-of-line note. */
bool tl_match_annotated(const struct tl_seg *seg, const struct tl_app *app);

#endif

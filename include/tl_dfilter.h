/* Wireshark display filters (-Y, the view's filter prompt): tshark 4.0's
 * language over the fields of tl_fields.h. */
#ifndef TL_DFILTER_H
#define TL_DFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "tl_fields.h"

struct tl_dfilter;

/* Compiles text. On error returns NULL and writes one line to err: what is
 * wrong and the offending token, as "text\n    ^~~~" would point at it
 * (*err_pos, *err_len: its offset and length in text). */
struct tl_dfilter *tl_dfilter_compile(const char *text, char *err,
                                      size_t err_size, size_t *err_pos,
                                      size_t *err_len);
void tl_dfilter_free(struct tl_dfilter *df);
/* Whether the segment described by c passes. */
bool tl_dfilter_match(const struct tl_dfilter *df, const struct tl_fctx *c);
/* The view's predicate: whether retained segment index of m passes
 * (fields the record does not keep are absent: tl_fctx). */
bool tl_dfilter_match_seg(const struct tl_dfilter *df,
                          const struct tl_model *m, uint32_t index);
/* Whether the filter reads analysis values that need the tracker's bytes
 * in flight (tl_tracker_want_bif). */
bool tl_dfilter_wants_bif(const struct tl_dfilter *df);
/* Whether it names the sender model's fields (tl_model_enable_sender). */
bool tl_dfilter_wants_sender(const struct tl_dfilter *df);
/* Whether it names HTTP's fields (tl_model_enable_app, tl_app_want_http;
 * absent on the view's retained segments). */
bool tl_dfilter_wants_http(const struct tl_dfilter *df);
/* Whether tl_dfilter_match_seg gives on m's retained segments what
 * tl_dfilter_match gives on their frames: every field the filter names
 * is one the records keep (tl_field_record_gaps), given what m's frames
 * held so far (m's record_gaps; m NULL: a capture with none of it).
 * When not, *field (may be NULL) names the first field they lack and
 * *why (may be NULL) says why, to follow the field's name. */
bool tl_dfilter_record_answers(const struct tl_dfilter *df,
                               const struct tl_model *m, const char **field,
                               const char **why);
/* Every TL_REC_* bit a field of the filter has (0: the records always
 * answer it). */
unsigned tl_dfilter_record_gaps(const struct tl_dfilter *df);
/* Whether one of gaps (TL_REC_*) is a field's; *field and *why (may be
 * NULL) as tl_dfilter_record_answers gives them, for the first. */
bool tl_dfilter_gap_named(const struct tl_dfilter *df, unsigned gaps,
                          const char **field, const char **why);

#endif

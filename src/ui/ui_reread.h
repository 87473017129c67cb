/* Reads single frames of a capture file again, by frame number, for the
 * details view and for saving a selection. No curses here. */
#ifndef TL_UI_REREAD_H
#define TL_UI_REREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tl_capture.h"

struct ui_reread;

/* Takes in, the input file opened a second time (tl_capture_take_reread),
 * never the name again: a file replaced meanwhile must not be read instead.
 * NULL (with a reason in err) when in is NULL or unreadable. path is for
 * messages; filter is the BPF expression the capture was opened with, so
 * frame numbers agree with the model's. */
struct ui_reread *ui_reread_open(FILE *in, const char *path,
                                 const char *filter, char *err,
                                 size_t errsize);
void ui_reread_close(struct ui_reread *rr);

/* Fills f with frame number frame (1-based); data stays valid until the
 * next call. Reads forward from the nearest checkpoint at or below it. */
bool ui_reread_frame(struct ui_reread *rr, uint32_t frame,
                     struct tl_frame *f, char *err, size_t errsize);

/* Writes the frames for which want(ctx, frame) is true to out_path, as
 * tl_savefile does (replace: the user said yes to replacing a regular
 * file). Returns frames written, or -1 with err set (a write error, or the
 * data kept under another name that err gives). */
long ui_reread_save(struct ui_reread *rr, const char *out_path, bool replace,
                    bool (*want)(void *ctx, uint32_t frame), void *ctx,
                    char *err, size_t errsize);

#endif

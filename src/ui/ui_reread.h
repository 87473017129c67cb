/* Reads single frames of a capture file again, by frame number, for the
 * details view and for saving a selection. No curses here. */
#ifndef TL_UI_REREAD_H
#define TL_UI_REREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tl_capture.h"

struct ui_reread;

/* NULL (with a reason in err) if path is not a seekable regular file.
 * filter is the BPF expression the capture was opened with, so frame
 * numbers agree with the model's. */
struct ui_reread *ui_reread_open(const char *path, const char *filter,
                                 char *err, size_t errsize);
void ui_reread_close(struct ui_reread *rr);

/* Fills f with frame number frame (1-based); data stays valid until the
 * next call. Reads forward from the nearest checkpoint at or below it. */
bool ui_reread_frame(struct ui_reread *rr, uint32_t frame,
                     struct tl_frame *f, char *err, size_t errsize);

/* Writes the frames for which want(ctx, frame) is true to out_path, through
 * a temporary file renamed into place. Returns frames written, or -1 with
 * err set. */
long ui_reread_save(const char *path, const char *filter, const char *out_path,
                    bool (*want)(void *ctx, uint32_t frame), void *ctx,
                    char *err, size_t errsize);

#endif

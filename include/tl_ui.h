/* The full-screen ncurses front end. */
#ifndef TL_UI_H
#define TL_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "tl_capture.h"
#include "tl_options.h"

/* Runs until the user quits; returns the exit status. The terminal is
 * restored on every way out. */
int tl_ui_run(struct tl_options *opt, struct tl_capture *cap);

/* Whether the terminal on fd can show the view, by its terminfo entry (TERM
 * set and known, cursor addressing, not hardcopy or generic); if not, why
 * says so in a few words. */
bool tl_ui_terminal_usable(int fd, char *why, size_t size);

#endif

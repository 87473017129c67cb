/* The full-screen ncurses front end. */
#ifndef TL_UI_H
#define TL_UI_H

#include "tl_capture.h"
#include "tl_options.h"

/* Runs until the user quits; returns the exit status. The terminal is
 * restored on every way out. */
int tl_ui_run(struct tl_options *opt, struct tl_capture *cap);

#endif

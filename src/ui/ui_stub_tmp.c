#include "config.h"
#include "tl_ui.h"
#include "tl_util.h"
int tl_ui_run(struct tl_options *opt, struct tl_capture *cap) { (void)opt; (void)cap; tl_warn("no UI yet"); return 2; }

/* Whether the terminal can hold the full-screen view, from its terminfo
 * entry rather than its name: a terminal without cursor addressing (dumb,
 * an Emacs shell buffer), a hardcopy or a generic one would get the view
 * drawn on one line. Kept apart: term.h defines a macro per capability. */
#include "config.h"

#include "tl_ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>

static bool has_string(const char *cap)
{
	const char *s = tigetstr(cap);
	return s && s != (const char *)-1 && *s;
}

bool tl_ui_terminal_usable(int fd, char *why, size_t size)
{
	const char *term = getenv("TERM");
	if (!term || !*term) {
		snprintf(why, size, "TERM is not set");
		return false;
	}
	TERMINAL *before = cur_term;
	int err = 0;
	if (setupterm(NULL, fd, &err) != OK) {
		/* ncurses refuses a generic entry as an unknown one (0),
		 * and a hardcopy one although it found it (1). */
		if (err < 0)
			snprintf(why, size, "no terminfo database for TERM=%s",
			         term);
		else if (err == 0)
			snprintf(why, size, "TERM=%s is unknown to terminfo (or "
			         "generic)", term);
		else
			snprintf(why, size, "TERM=%s is a hardcopy terminal",
			         term);
		TERMINAL *found = set_curterm(before);  /* hardcopy: kept */
		if (found && found != before)
			del_curterm(found);
		return false;
	}
	bool ok = false;
	if (tigetflag("hc") > 0)
		snprintf(why, size, "TERM=%s is a hardcopy terminal", term);
	else if (tigetflag("gn") > 0)
		snprintf(why, size, "TERM=%s is a generic terminal type", term);
	else if (!has_string("cup"))
		snprintf(why, size, "TERM=%s has no cursor addressing (cup)",
		         term);
	else
		ok = true;
	del_curterm(set_curterm(before));
	return ok;
}

/* Dropping root after the capture device is open. */
#ifndef TL_PRIVS_H
#define TL_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/* Called once the input (device or file) is open. As root: switches to user
 * (or, when NULL, to $SUDO_USER if we run through sudo; root without sudo
 * stays root). Not as root: gives up file capabilities, and refuses a user
 * other than ourselves. False with a message in err when a named user does
 * not exist or the switch failed. */
bool tl_drop_privileges(const char *user, char *err, size_t errsize);

#endif

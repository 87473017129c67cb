/* Dropping root after the capture device is open. */
#ifndef TL_PRIVS_H
#define TL_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/* Switches to user (or, when NULL, to $SUDO_USER if we run as root through
 * sudo). Returns false with a message in err if that was asked for and
 * failed; doing nothing is success. */
bool tl_drop_privileges(const char *user, char *err, size_t errsize);

#endif

/* Give up root once libpcap has its socket, as tcpdump -Z does. */
#include "config.h"

#include "tl_privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool tl_drop_privileges(const char *user, char *err, size_t errsize)
{
	if (!user) {
		user = getenv("SUDO_USER");
		if (!user || !*user || geteuid() != 0 || !strcmp(user, "root"))
			return true;
	}
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errsize, "cannot drop privileges: no user '%s'",
		         user);
		return false;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, errsize, "cannot drop privileges to '%s': %s",
		         user, strerror(errno));
		return false;
	}
	/* Make sure there is no way back. */
	if (pw->pw_uid != 0 && setuid(0) == 0) {
		snprintf(err, errsize, "dropping privileges to '%s' did not "
		         "stick", user);
		return false;
	}
	return true;
}

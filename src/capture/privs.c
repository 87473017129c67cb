/* Give up root once libpcap has its socket or file, as tcpdump -Z does, and
 * any file capabilities (setcap) with it: a packet is hostile input, and
 * nothing after the open needs privileges. */
#include "config.h"

#include "tl_privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

/* Empties the effective, permitted and inheritable sets (and the ambient
 * one), so CAP_NET_RAW from `setcap ...+eip` does not last the whole run. */
static bool drop_capabilities(char *err, size_t errsize)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof data);
	if (syscall(SYS_capget, &hdr, data) != 0)
		return true;    /* no capabilities here to speak of */
	bool any = false;
	for (int i = 0; i < 2; i++)
		any |= data[i].effective || data[i].permitted ||
		       data[i].inheritable;
#ifdef PR_CAP_AMBIENT
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
#endif
	if (!any)
		return true;
	memset(data, 0, sizeof data);
	if (syscall(SYS_capset, &hdr, data) != 0) {
		snprintf(err, errsize, "cannot give up capabilities: %s",
		         strerror(errno));
		return false;
	}
	return true;
}

static bool switch_user(const struct passwd *pw, char *err, size_t errsize)
{
	if (initgroups(pw->pw_name, pw->pw_gid) != 0 ||
	    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, errsize, "cannot drop privileges to '%s': %s",
		         pw->pw_name, strerror(errno));
		return false;
	}
	/* Make sure there is no way back. */
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errsize, "dropping privileges to '%s' did not "
		         "stick", pw->pw_name);
		return false;
	}
	return true;
}

bool tl_drop_privileges(const char *user, char *err, size_t errsize)
{
	bool root = geteuid() == 0 || getuid() == 0;
	if (!user) {
		user = getenv("SUDO_USER");
		if (!root)
			return drop_capabilities(err, errsize);
		if (!user || !*user || !strcmp(user, "root"))
			return true;    /* root by choice: stays root */
	}
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errsize, "cannot drop privileges: no user '%s'",
		         user);
		return false;
	}
	if (!root) {
		if (pw->pw_uid != getuid()) {
			snprintf(err, errsize, "cannot run as '%s': only root "
			         "can switch users (-Z)", user);
			return false;
		}
		return drop_capabilities(err, errsize);
	}
	if (pw->pw_uid == 0)
		return true;            /* -Z root */
	return switch_user(pw, err, errsize) &&
	       drop_capabilities(err, errsize);
}

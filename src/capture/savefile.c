/* Saving without losing or replacing anything by surprise (tl_savefile.h).
 *
 * Why a temporary name: an interrupted or failed run must never leave a cut
 * file under the name the user asked for, nor cut an older file that was
 * there. Why publishing checks again: between the start and the end of a
 * capture someone else may have created the name (a second run with the
 * same -w); without --force that file wins and ours is kept aside. */
#include "config.h"

#include "tl_savefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tl_util.h"

static bool refuse(char *err, size_t errsize, const char *path,
                   const char *why)
{
	snprintf(err, errsize, "cannot write %s: %s", path, why);
	return false;
}

/* What kind of thing path names, for the checks before and after. */
static bool check_existing(const char *path, const struct stat *st,
                           bool replace, char *err, size_t errsize)
{
	if (S_ISLNK(st->st_mode))
		return refuse(err, errsize, path, "it is a symbolic link "
		              "(tcpladder never writes through or over one)");
	if (S_ISDIR(st->st_mode))
		return refuse(err, errsize, path, "it is a directory");
	if (!S_ISREG(st->st_mode))
		return refuse(err, errsize, path, "it is a device, pipe or "
		              "socket, not a regular file (never replaced)");
	if (!replace) {
		snprintf(err, errsize, "%s exists: not writing over it "
		         "(use --force)", path);
		return false;
	}
	return true;
}

bool tl_savefile_check(const char *path, bool replace, bool *exists,
                       char *err, size_t errsize)
{
	struct stat st;
	if (exists)
		*exists = false;
	if (!path || !*path) {
		snprintf(err, errsize, "no file name to save to");
		return false;
	}
	if (path[strlen(path) - 1] == '/')
		return refuse(err, errsize, path, "it names a directory");
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return true;
		return refuse(err, errsize, path, strerror(errno));
	}
	if (exists)
		*exists = S_ISREG(st.st_mode);
	/* A dialog asks before replacing: only the kind matters here. */
	return check_existing(path, &st, replace || exists != NULL, err,
	                      errsize);
}

/* PATH.partXXXXXX, or beside it under a short name when that is too long
 * for the file system. */
static int make_temp(const char *path, char **temp)
{
	size_t n = strlen(path) + 16;
	*temp = tl_xmalloc(n);
	snprintf(*temp, n, "%s.partXXXXXX", path);
	int fd = mkstemp(*temp);
	if (fd >= 0 || errno != ENAMETOOLONG)
		return fd;
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	snprintf(*temp, n, "%.*stcpladder.partXXXXXX", dirlen, path);
	return mkstemp(*temp);
}

/* A file saved under sudo belongs to the user who ran sudo, and gets the
 * mode any new file of theirs would (mkstemp makes it private). */
static void give_to_user(int fd)
{
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		return;     /* still private: safe, only less convenient */
	const char *uid = getenv("SUDO_UID"), *gid = getenv("SUDO_GID");
	if (geteuid() != 0 || !uid || !gid)
		return;
	char *end1, *end2;
	unsigned long u = strtoul(uid, &end1, 10), g = strtoul(gid, &end2, 10);
	if (!*uid || !*gid || *end1 || *end2 || u >= UINT_MAX || g >= UINT_MAX)
		return;
	if (fchown(fd, (uid_t)u, (gid_t)g) != 0) {
		/* Root's file then, readable as the mode says. */
	}
}

bool tl_savefile_open(struct tl_savefile *sf, const char *path, bool replace,
                      char *err, size_t errsize)
{
	memset(sf, 0, sizeof *sf);
	if (!tl_savefile_check(path, replace, NULL, err, errsize))
		return false;
	int fd = make_temp(path, &sf->temp);
	if (fd < 0) {
		refuse(err, errsize, path, strerror(errno));
		free(sf->temp);
		sf->temp = NULL;
		return false;
	}
	give_to_user(fd);
	sf->fp = fdopen(fd, "wb");
	if (!sf->fp) {
		refuse(err, errsize, path, strerror(errno));
		close(fd);
		unlink(sf->temp);
		free(sf->temp);
		sf->temp = NULL;
		return false;
	}
	sf->final = tl_xstrdup(path);
	sf->replace = replace;
	return true;
}

bool tl_savefile_ok(struct tl_savefile *sf)
{
	if (sf->write_errno)
		return false;
	if (sf->fp && ferror(sf->fp)) {
		sf->write_errno = errno ? errno : EIO;
		return false;
	}
	return true;
}

bool tl_savefile_sync(struct tl_savefile *sf, char *err, size_t errsize)
{
	if (tl_savefile_ok(sf) && sf->fp) {
		errno = 0;
		if (fflush(sf->fp) != 0 || ferror(sf->fp))
			sf->write_errno = errno ? errno : EIO;
		/* A file system may report a full disk only now. EINVAL:
		 * the file cannot be synced (not a disk), nothing lost. */
		else if (fsync(fileno(sf->fp)) != 0 && errno != EINVAL)
			sf->write_errno = errno;
	}
	if (!sf->write_errno)
		return true;
	return refuse(err, errsize, sf->final, strerror(sf->write_errno));
}

/* Publishes under final unless something is there: renameat2's
 * RENAME_NOREPLACE, or a hard link where the file system lacks it. */
static int publish_no_replace(const char *temp, const char *final)
{
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, temp, AT_FDCWD, final, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
#endif
	if (link(temp, final) != 0)
		return -1;
	unlink(temp);
	return 0;
}

static enum tl_publish kept(struct tl_savefile *sf, char *err, size_t errsize,
                            const char *why)
{
	snprintf(err, errsize, "%s; what was captured is kept in %s", why,
	         sf->temp);
	return TL_PUBLISH_KEPT;
}

enum tl_publish tl_savefile_publish(struct tl_savefile *sf, char *err,
                                    size_t errsize)
{
	char why[1024];
	struct stat st;
	if (sf->replace) {
		/* Replaced only by a regular file of ours, never a link or a
		 * device that appeared meanwhile. */
		if (lstat(sf->final, &st) == 0 &&
		    !check_existing(sf->final, &st, true, why, sizeof why))
			return kept(sf, err, errsize, why);
		if (rename(sf->temp, sf->final) == 0)
			return TL_PUBLISHED;
	} else if (publish_no_replace(sf->temp, sf->final) == 0) {
		return TL_PUBLISHED;
	}
	if (errno == EEXIST)
		snprintf(why, sizeof why, "%s was created by someone else "
		         "while tcpladder was writing: not replacing it",
		         sf->final);
	else
		snprintf(why, sizeof why, "cannot save as %s: %s", sf->final,
		         strerror(errno));
	return kept(sf, err, errsize, why);
}

void tl_savefile_abort(struct tl_savefile *sf)
{
	if (sf->fp) {
		fclose(sf->fp);
		sf->fp = NULL;
	}
	if (sf->temp)
		unlink(sf->temp);
}

void tl_savefile_free(struct tl_savefile *sf)
{
	free(sf->final);
	free(sf->temp);
	memset(sf, 0, sizeof *sf);
}

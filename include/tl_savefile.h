/* Saving a file so that nothing the user has is lost or replaced without
 * asking: the data goes to a temporary name beside the target, every write
 * is checked, and the finished file is published under the target's name
 * without replacing anything unless replacing was asked for. Special files
 * and symbolic links are never written through or replaced. No curses. */
#ifndef TL_SAVEFILE_H
#define TL_SAVEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct tl_savefile {
	char *final;            /* the name the user asked for */
	char *temp;             /* where the data is until it is published */
	FILE *fp;
	bool replace;           /* --force, or the user said yes */
	int write_errno;        /* the first failed write, 0 while none */
};

enum tl_publish {
	TL_PUBLISHED,
	TL_PUBLISH_FAILED,      /* nothing saved; the message says why */
	TL_PUBLISH_KEPT,        /* not under the name asked for: the data is
	                         * kept in ->temp, and the message says so */
};

/* Whether path may be saved to at all: not empty, not a directory, not a
 * symbolic link or special file, and, unless replace, not an existing
 * file. False with a one-line reason in err. *exists tells a dialog that
 * it may ask before replacing (may be NULL). */
bool tl_savefile_check(const char *path, bool replace, bool *exists,
                       char *err, size_t errsize);

/* Checks path, then creates the temporary file (mode 0666 less the umask,
 * owned by the user who ran sudo while we are still root). */
bool tl_savefile_open(struct tl_savefile *sf, const char *path, bool replace,
                      char *err, size_t errsize);

/* Records a failed write of sf->fp (stdio keeps the error flag); true while
 * every write so far went through. Cheap enough for every packet. */
bool tl_savefile_ok(struct tl_savefile *sf);

/* Flushes the data to the disk and says whether every write went through
 * (false: "cannot write PATH: reason" in err). Leaves sf->fp open: its
 * owner (stdio or libpcap) closes it and sets sf->fp to NULL, which cannot
 * lose data once this succeeded. */
bool tl_savefile_sync(struct tl_savefile *sf, char *err, size_t errsize);

/* Publishes the closed temporary file under the name asked for. */
enum tl_publish tl_savefile_publish(struct tl_savefile *sf, char *err,
                                    size_t errsize);

/* Gives up: closes sf->fp if still open and removes the temporary file. */
void tl_savefile_abort(struct tl_savefile *sf);

void tl_savefile_free(struct tl_savefile *sf);

#endif

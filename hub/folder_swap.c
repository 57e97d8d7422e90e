/*
 * Whole-folder replacement (folder_swap.h).  The sibling sits in the same
 * parent so that the exchange is a rename within one file system, and its
 * name starts with a dot and the folder's own name so that a later begin
 * finds it and nothing else.  The lock is flock(2) on the sibling's own
 * descriptor, as bundle_sweep.c holds a create's return folder: the kernel
 * drops it when the holder dies, however it dies.
 */
#include "folder_swap.h"

#include "atomic_file.h"
#include "log.h"
#include "share_group.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static int cb_remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	/* Go on past what cannot be removed: the rest still goes. */
	remove(path);
	return 0;
}

int nrm_remove_tree(const char *path)
{
	nftw(path, cb_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	struct stat st;
	return lstat(path, &st) == 0 ? -1 : 0;
}

/* PARENT and ".NAME.tmp-" for `dir` (both allocated); a trailing slash
 * is not part of the name. */
static void split(const char *dir, char **parent, char **prefix)
{
	char *copy = nrm_xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *a = nrm_xstrdup(copy), *b = nrm_xstrdup(copy);
	*parent = nrm_xstrdup(dirname(a));
	*prefix = nrm_xasprintf(".%s.tmp-", basename(b));
	free(a);
	free(b);
	free(copy);
}

/* Removes PARENT/PREFIX* that no running build holds. */
static void sweep(const char *parent, const char *prefix)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *e;
	size_t plen = strlen(prefix);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, plen) != 0)
			continue;
		char *path = nrm_xasprintf("%s/%s", parent, e->d_name);
		int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (nrm_remove_tree(path) != 0)
				nrm_warn("could not remove all of %s, left by a killed build", path);
		}
		if (fd >= 0)
			close(fd);
		free(path);
	}
	closedir(d);
}

static void swap_free(struct nrm_folder_swap *s)
{
	if (s->hold >= 0)
		close(s->hold);
	s->hold = -1;
	free(s->dir);
	free(s->tmp);
	s->dir = s->tmp = NULL;
}

int nrm_folder_swap_begin(struct nrm_folder_swap *s, const char *dir, struct nrm_error *err)
{
	s->dir = nrm_xstrdup(dir);
	s->tmp = NULL;
	s->hold = -1;
	char *parent, *prefix;
	/* A DIR in folders not made yet: made, as for every output. */
	nrm_mkdir_parents(dir);
	split(dir, &parent, &prefix);
	sweep(parent, prefix);
	s->tmp = nrm_xasprintf("%s/%sXXXXXX", parent, prefix);
	free(parent);
	free(prefix);
	if (!mkdtemp(s->tmp)) {
		int e = errno;
		swap_free(s);
		return nrm_fail(err, EX_CANTCREAT, "cannot write into %s: cannot make a folder "
		                "beside it: %s", dir, strerror(e));
	}
	s->hold = open(s->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->hold < 0 || flock(s->hold, LOCK_EX) != 0) {
		int e = errno;
		nrm_folder_swap_abort(s);
		return nrm_fail(err, EX_CANTCREAT, "cannot hold a folder beside %s: %s", dir,
		                strerror(e));
	}
	return 0;
}

/* The old folder keeps its permission bits: a build does not widen or
 * narrow who may read the return. */
static void keep_mode(const struct nrm_folder_swap *s, const struct stat *old)
{
	if (fchmod(s->hold, old->st_mode & 07777) != 0)
		nrm_warn("cannot give %s the mode of the folder it replaces", s->dir);
}

int nrm_folder_swap_commit(struct nrm_folder_swap *s, struct nrm_error *err)
{
	struct stat old;
	int rc = 0;
	if (lstat(s->dir, &old) == 0) {
		if (!S_ISDIR(old.st_mode)) {
			rc = nrm_fail(err, EX_CANTCREAT, "cannot write into %s: not a directory", s->dir);
		} else {
			keep_mode(s, &old);
			if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->dir, RENAME_EXCHANGE) != 0)
				rc = nrm_fail(err, EX_CANTCREAT, "cannot put the new %s in place: %s",
				              s->dir, strerror(errno));
		}
	} else if (errno != ENOENT) {
		rc = nrm_fail(err, EX_CANTCREAT, "cannot write into %s: %s", s->dir, strerror(errno));
	} else if (rename(s->tmp, s->dir) != 0) {
		rc = nrm_fail(err, EX_CANTCREAT, "cannot put %s in place: %s", s->dir,
		              strerror(errno));
	}
	if (rc != 0) {
		nrm_folder_swap_abort(s);
		return rc;
	}
	nrm_sync_folder_of(s->dir);
	/* After an exchange the sibling's name holds the old contents; after a
	 * rename it names nothing.  Either way a later begin would sweep it. */
	nrm_remove_tree(s->tmp);
	swap_free(s);
	return 0;
}

void nrm_folder_swap_abort(struct nrm_folder_swap *s)
{
	if (s->tmp)
		nrm_remove_tree(s->tmp);
	swap_free(s);
}

/*
 * Leftovers of interrupted bundle creates (bundle_sweep.h).  A create
 * killed after building its return but before removing it leaves the
 * return folder; one killed between writing its signature and renaming
 * its archive into place leaves a signature of nothing.  The next create
 * takes the next sequence number, so nothing would ever finish or remove
 * them (tests/e2e/crash_safety.sh, `run --due`, found both in the outbox).
 * A held lock marks what a running create still needs; a lock that can be
 * taken marks a create that died.
 */
#include "bundle_sweep.h"

#include "log.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define RETURN_PREFIX ".nrmhub-return."
#define SIG_SUFFIX ".tar.gz.minisig"

int nrm_bundle_hold(int fd)
{
	int rc;
	while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	return rc;
}

/* Opens `path` (not following a link) and takes its lock without waiting;
 * -1 when it is held (a running create's) or gone. */
static int take_abandoned(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | flags);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static void sweep_return_folder(const char *path)
{
	int fd = take_abandoned(path, O_DIRECTORY);
	if (fd < 0)
		return;
	if (nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS) != 0)
		nrm_warn("%s: cannot remove the return folder an interrupted bundle create left: %s",
		         path, strerror(errno));
	else
		nrm_info("removed the return folder an interrupted bundle create left: %s", path);
	close(fd);
}

static bool is_file(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void sweep_signature(const char *path)
{
	char *archive = nrm_xasprintf("%.*s", (int)(strlen(path) - strlen(".minisig")), path);
	int fd = is_file(archive) ? -1 : take_abandoned(path, 0);
	/* Looked at again with the lock taken: a create that renamed its
	 * archive into place just before letting go is no orphan. */
	if (fd >= 0 && !is_file(archive)) {
		if (unlink(path) != 0)
			nrm_warn("%s: cannot remove a signature whose archive never came: %s", path,
			         strerror(errno));
		else
			nrm_info("removed a signature whose archive never came (an interrupted "
			         "bundle create): %s", path);
	}
	if (fd >= 0)
		close(fd);
	free(archive);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

void nrm_bundle_sweep(const char *dir, const char *site, const char *quarter)
{
	DIR *d = opendir(dir);
	if (!d)
		return; /* the create itself says why it cannot write there */
	char *family = nrm_xasprintf("%s_%s_", site, quarter);
	struct dirent *e;
	while ((e = readdir(d))) {
		char *path = nrm_xasprintf("%s/%s", dir, e->d_name);
		if (strncmp(e->d_name, RETURN_PREFIX, strlen(RETURN_PREFIX)) == 0)
			sweep_return_folder(path);
		else if (strncmp(e->d_name, family, strlen(family)) == 0 &&
		         ends_with(e->d_name, SIG_SUFFIX))
			sweep_signature(path);
		free(path);
	}
	closedir(d);
	free(family);
}

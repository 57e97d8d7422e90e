/*
 * Who may read what nrmhub writes (share_group.h).
 */
#include "share_group.h"

#include "log.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool group_named;
static gid_t group_id;

void nrm_share_group_set(gid_t gid)
{
	group_named = true;
	group_id = gid;
	/* Group read for what asks for it; nothing ever for others. */
	umask(027);
}

bool nrm_share_group(gid_t *gid)
{
	if (group_named && gid)
		*gid = group_id;
	return group_named;
}

void nrm_share_group_fd(int fd, mode_t mode)
{
	/* A failure leaves the file private, which is the safe way to fail:
	 * the reader is told by its own permission error. */
	if (group_named && (mode & 070) && fchown(fd, (uid_t)-1, group_id) != 0)
		nrm_debug("a shared file stays private: %s", strerror(errno));
}

int nrm_mkdir_shared(const char *path)
{
	if (mkdir(path, 0750) != 0)
		return -1;
	if (group_named && chown(path, (uid_t)-1, group_id) != 0)
		nrm_debug("a shared folder stays private: %s", strerror(errno));
	return 0;
}

static int mkdir_private(const char *path)
{
	return mkdir(path, 0700);
}

static int mkdir_each_parent(const char *path, int (*make)(const char *))
{
	char *copy = nrm_xstrdup(path);
	int rc = 0;
	/* Each folder in turn from the top; one that exists is passed over. */
	for (char *p = copy + 1; rc == 0 && (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (make(copy) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(copy);
	return rc;
}

int nrm_mkdir_parents(const char *path)
{
	return mkdir_each_parent(path, nrm_mkdir_shared);
}

int nrm_mkdir_private_parents(const char *path)
{
	return mkdir_each_parent(path, mkdir_private);
}

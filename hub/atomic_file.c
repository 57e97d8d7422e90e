/*
 * Atomic output files.  Temporary files are registered so that SIGINT,
 * SIGTERM and SIGHUP remove them before the process dies (SIGKILL cannot be
 * caught; the ".name.tmp-" prefix makes leftovers recognisable).
 */
#include "atomic_file.h"

#include "share_group.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define MAX_PENDING 8
static char *volatile pending[MAX_PENDING];

static void remove_pending_and_die(int sig)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i])
			unlink(pending[i]);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void track(char *path)
{
	static bool handlers_installed;
	if (!handlers_installed) {
		struct sigaction sa = {.sa_handler = remove_pending_and_die};
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		handlers_installed = true;
	}
	for (int i = 0; i < MAX_PENDING; i++) {
		if (!pending[i]) {
			pending[i] = path;
			return;
		}
	}
}

static void untrack(const char *path)
{
	for (int i = 0; i < MAX_PENDING; i++)
		if (pending[i] == path)
			pending[i] = NULL;
}

static int open_spool(struct nrm_atomic_file *f, struct nrm_error *err)
{
	const char *dir = getenv("TMPDIR");
	char *tmpl = nrm_xasprintf("%s/nrmhub-spool-XXXXXX", dir && *dir ? dir : "/tmp");
	f->fd = mkostemp(tmpl, O_CLOEXEC);
	if (f->fd < 0) {
		nrm_fail(err, EX_CANTCREAT, "cannot create a spool file in %s: %s",
		         dir && *dir ? dir : "/tmp", strerror(errno));
		free(tmpl);
		return -1;
	}
	/* Unlinked at once: the spool never outlives the process. */
	unlink(tmpl);
	free(tmpl);
	return 0;
}

int nrm_atomic_open(struct nrm_atomic_file *f, const char *path, mode_t mode,
                    struct nrm_error *err)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->path = nrm_xstrdup(path);
	if (strcmp(path, "-") == 0)
		return open_spool(f, err);
	char *dcopy = nrm_xstrdup(path), *bcopy = nrm_xstrdup(path);
	f->tmp_path = nrm_xasprintf("%s/.%s.tmp-XXXXXX", dirname(dcopy), basename(bcopy));
	free(dcopy);
	free(bcopy);
	f->fd = mkostemp(f->tmp_path, O_CLOEXEC);
	if (f->fd < 0) {
		nrm_fail(err, EX_CANTCREAT, "cannot create %s: %s", path, strerror(errno));
		free(f->tmp_path);
		free(f->path);
		f->tmp_path = f->path = NULL;
		return -1;
	}
	track(f->tmp_path);
	mode_t mask = umask(0);
	umask(mask);
	fchmod(f->fd, mode & ~mask);
	nrm_share_group_fd(f->fd, mode & ~mask);
	return 0;
}

static int copy_spool_to_stdout(struct nrm_atomic_file *f, struct nrm_error *err)
{
	char buf[64 * 1024];
	if (lseek(f->fd, 0, SEEK_SET) < 0)
		return nrm_fail(err, EX_IOERR, "spool: %s", strerror(errno));
	for (;;) {
		ssize_t n = read(f->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return nrm_fail(err, EX_IOERR, "reading the spool: %s", strerror(errno));
		if (n == 0)
			return 0;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(STDOUT_FILENO, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				return nrm_fail(err, EX_IOERR, "writing standard output: %s",
				                strerror(errno));
			off += w;
		}
	}
}

void nrm_sync_folder_of(const char *path)
{
	char *copy = nrm_xstrdup(path);
	int dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(copy);
}

int nrm_atomic_commit(struct nrm_atomic_file *f, struct nrm_error *err)
{
	int rc = 0;
	if (!f->tmp_path) {
		rc = copy_spool_to_stdout(f, err);
	} else if (fsync(f->fd) != 0) {
		rc = nrm_fail(err, EX_IOERR, "writing %s: %s", f->path, strerror(errno));
	}
	if (close(f->fd) != 0 && rc == 0)
		rc = nrm_fail(err, EX_IOERR, "writing %s: %s", f->path, strerror(errno));
	f->fd = -1;
	if (f->tmp_path) {
		if (rc == 0 && rename(f->tmp_path, f->path) != 0)
			rc = nrm_fail(err, EX_CANTCREAT, "cannot rename into %s: %s", f->path,
			              strerror(errno));
		if (rc != 0)
			unlink(f->tmp_path);
		else
			nrm_sync_folder_of(f->path); /* the rename itself, durable */
		untrack(f->tmp_path);
		free(f->tmp_path);
	}
	free(f->path);
	f->path = f->tmp_path = NULL;
	return rc;
}

void nrm_atomic_abort(struct nrm_atomic_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp_path) {
		unlink(f->tmp_path);
		untrack(f->tmp_path);
	}
	free(f->tmp_path);
	free(f->path);
	f->path = f->tmp_path = NULL;
	f->fd = -1;
}

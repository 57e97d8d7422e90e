/*
 * The run lock: see run_lock.h.  Open file description locks (F_OFD_SETLK),
 * not classic POSIX record locks: a classic lock is dropped as soon as the
 * process closes *any* descriptor of the file (reading the PID back would
 * release it), and OFD locks are fcntl locks that work the same over NFS.
 * Their F_OFD_GETLK gives no PID, hence the PID written in the file.
 */
#include "run_lock.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static struct flock whole_file(short type)
{
	struct flock fl;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	return fl;
}

/* The holder's PID as written in the file; -1 when it has not written it
 * yet (it writes right after locking). */
static pid_t holder_of(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	long long pid;
	buf[strcspn(buf, "\n")] = '\0';
	return nrm_parse_int64(buf, &pid) && pid > 0 ? (pid_t)pid : -1;
}

static int write_pid(int fd, const char *path, struct nrm_error *err)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)len, 0) != len)
		return nrm_fail(err, EX_IOERR, "cannot write to the lock %s: %s", path,
		                strerror(errno));
	return 0;
}

char *nrm_run_lock_path(const char *store_path)
{
	return nrm_xasprintf("%s.lock", store_path);
}

int nrm_run_lock_acquire(struct nrm_run_lock *lock, const char *path, struct nrm_error *err)
{
	lock->fd = -1;
	lock->path = NULL;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return nrm_fail(err, EX_CANTCREAT, "cannot open the lock %s: %s", path,
		                strerror(errno));
	struct flock fl = whole_file(F_WRLCK);
	if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
		int e = errno;
		if (e == EACCES || e == EAGAIN) {
			pid_t pid = holder_of(fd);
			close(fd);
			if (pid > 0)
				return nrm_fail(err, EX_TEMPFAIL,
				                "another nrmhub run (PID %ld) holds the lock %s",
				                (long)pid, path);
			return nrm_fail(err, EX_TEMPFAIL, "another nrmhub run holds the lock %s", path);
		}
		close(fd);
		return nrm_fail(err, EX_IOERR, "cannot lock %s: %s", path, strerror(e));
	}
	if (write_pid(fd, path, err) != 0) {
		close(fd);
		return -1;
	}
	lock->fd = fd;
	lock->path = nrm_xstrdup(path);
	return 0;
}

pid_t nrm_run_lock_holder(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	/* Asking about a write lock needs only a readable descriptor. */
	struct flock fl = whole_file(F_WRLCK);
	pid_t pid = -1;
	if (fcntl(fd, F_OFD_GETLK, &fl) == 0)
		pid = fl.l_type == F_UNLCK ? 0 : holder_of(fd);
	close(fd);
	return pid;
}

void nrm_run_lock_release(struct nrm_run_lock *lock)
{
	if (lock->fd >= 0) {
		/* Emptied first so that nobody reads a PID that no longer holds it. */
		if (ftruncate(lock->fd, 0) != 0) {
			/* Harmless: the lock itself is what counts. */
		}
		close(lock->fd);
	}
	lock->fd = -1;
	free(lock->path);
	lock->path = NULL;
}

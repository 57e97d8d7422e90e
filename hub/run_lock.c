/*
 * The run lock: see run_lock.h.  Classic fcntl (POSIX record) locks, not
 * flock: F_GETLK names the holder's PID even before it has written it into
 * the file, and a forked job child does not inherit the lock, so a hung
 * child cannot keep it after its parent has gone.
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

/* The holder's PID as the kernel reports it, or failing that (some network
 * file systems) as written in the file. */
static pid_t holder_of(int fd)
{
	struct flock fl = whole_file(F_WRLCK);
	if (fcntl(fd, F_GETLK, &fl) == 0) {
		if (fl.l_type == F_UNLCK)
			return 0;
		if (fl.l_pid > 0)
			return fl.l_pid;
	}
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

int nrm_run_lock_acquire(struct nrm_run_lock *lock, const char *path, struct nrm_error *err)
{
	lock->fd = -1;
	lock->path = NULL;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return nrm_fail(err, EX_CANTCREAT, "cannot open the lock %s: %s", path,
		                strerror(errno));
	struct flock fl = whole_file(F_WRLCK);
	if (fcntl(fd, F_SETLK, &fl) != 0) {
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
	/* F_GETLK with a write lock needs only a readable descriptor. */
	struct flock fl = whole_file(F_WRLCK);
	pid_t pid = -1;
	if (fcntl(fd, F_GETLK, &fl) == 0)
		pid = fl.l_type == F_UNLCK ? 0 : fl.l_pid;
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

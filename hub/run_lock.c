/*
 * The run lock: see run_lock.h.  Open file description locks (F_OFD_SETLK),
 * not classic POSIX record locks: a classic lock is dropped as soon as the
 * process closes *any* descriptor of the file (reading the PID back would
 * release it), and OFD locks are fcntl locks that work the same over NFS.
 * Their F_OFD_GETLK gives no PID, hence the PID written in the file.
 */
#include "run_lock.h"

#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Does process `pid` have the file (dev, ino) open? */
static bool has_open(pid_t pid, dev_t dev, ino_t ino)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%ld/fd", (long)pid);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		char link[384];
		struct stat st;
		snprintf(link, sizeof(link), "%s/%s", dir, e->d_name);
		found = e->d_name[0] != '.' && stat(link, &st) == 0 && st.st_dev == dev &&
		        st.st_ino == ino;
	}
	closedir(d);
	return found;
}

static void command_of(pid_t pid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	buf[0] = '\0';
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)size, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* The first process other than us with the file open, preferring the run
 * whose PID is written in it. */
static pid_t find_opener(dev_t dev, ino_t ino, pid_t preferred)
{
	if (preferred > 0 && preferred != getpid() && has_open(preferred, dev, ino))
		return preferred;
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	pid_t found = 0;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t pid = (pid_t)atol(e->d_name);
		if (pid != getpid() && has_open(pid, dev, ino))
			found = pid;
	}
	closedir(d);
	return found;
}

static void who(int fd, struct nrm_lock_holder *h)
{
	memset(h, 0, sizeof(*h));
	struct flock fl = whole_file(F_WRLCK);
	if (fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return;
	h->held = true;
	pid_t written = holder_of(fd);
	h->run_pid = written > 0 ? written : 0;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return;
	h->pid = find_opener(st.st_dev, st.st_ino, h->run_pid);
	h->is_run = h->pid > 0 && h->pid == h->run_pid;
	if (h->pid > 0)
		command_of(h->pid, h->command, sizeof(h->command));
}

int nrm_run_lock_who(const char *path, struct nrm_lock_holder *h)
{
	memset(h, 0, sizeof(*h));
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	who(fd, h);
	close(fd);
	return 0;
}

/* The refusal, by who holds the lock. */
static int held_by(int fd, const char *path, struct nrm_error *err)
{
	struct nrm_lock_holder h;
	who(fd, &h);
	if (h.pid > 0 && !h.is_run)
		return nrm_fail(err, EX_SOFTWARE, "the lock %s is held by PID %ld (%s), not by an "
		                "nrmhub run: a process a job left behind? End it and run again",
		                path, (long)h.pid, h.command[0] ? h.command : "?");
	if (h.run_pid > 0)
		return nrm_fail(err, EX_TEMPFAIL, "another nrmhub run (PID %ld) holds the lock %s",
		                (long)h.run_pid, path);
	return nrm_fail(err, EX_TEMPFAIL, "another nrmhub run holds the lock %s", path);
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
			int rc = held_by(fd, path, err);
			close(fd);
			return rc;
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

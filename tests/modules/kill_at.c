/*
 * A test-only preload library (LD_PRELOAD) that makes the process kill
 * itself with SIGKILL just before its Nth write to the disk, for
 * tests/e2e/crash_safety.sh: every write, pwrite, fsync, fdatasync, rename,
 * renameat2, remove, rmdir, unlink, ftruncate or close of a file written to
 * counts as one moment, in the hub and in the libraries it calls (SQLite's journal and database
 * writes, libarchive's), so killing at each N in turn reaches the points at
 * which a power cut could stop the program.
 *
 *   NRM_KILL_AT=N      kill before the Nth such call (N >= 1)
 *   NRM_KILL_COUNT=F   instead, count the calls and write the total to F
 *                      at exit, to learn how many moments a run has
 *
 * Writes to standard output and error are not counted (not the disk).
 *
 * A process the hub forks (a job of `nrmhub run`) shares the count with the
 * process that loaded this library, and a kill takes both, as a power cut
 * would: the count lives in a shared mapping made before any fork.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static atomic_long private_calls;
static atomic_long *calls = &private_calls;
static long kill_at = -1;
static pid_t first_pid;  /* the process that loaded this library */
static const char *count_file;

static void write_count(void)
{
	if ((pid_t)syscall(SYS_getpid) != first_pid)
		return; /* a child: the first process writes the total */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, count_file,
	                      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)atomic_load(calls));
	(void)syscall(SYS_write, fd, buf, (size_t)n);
	(void)syscall(SYS_close, fd);
}

__attribute__((constructor)) static void kill_at_init(void)
{
	first_pid = (pid_t)syscall(SYS_getpid);
	void *shared = mmap(NULL, sizeof(*calls), PROT_READ | PROT_WRITE,
	                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared != MAP_FAILED)
		calls = shared; /* zeroed */
	const char *at = getenv("NRM_KILL_AT");
	if (at)
		kill_at = atol(at);
	count_file = getenv("NRM_KILL_COUNT");
	if (count_file)
		atexit(write_count);
}

/* One moment: SIGKILL when it is the chosen one. */
static void moment(void)
{
	long n = atomic_fetch_add(calls, 1) + 1;
	if (n == kill_at) {
		pid_t self = (pid_t)syscall(SYS_getpid);
		if (self != first_pid)
			(void)syscall(SYS_kill, (long)first_pid, SIGKILL);
		(void)syscall(SYS_kill, (long)self, SIGKILL);
	}
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fd > 2)
		moment();
	return NEXT(write)(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	moment();
	return NEXT(pwrite)(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	moment();
	return NEXT(pwrite64)(fd, buf, len, off);
}

int fsync(int fd)
{
	moment();
	return NEXT(fsync)(fd);
}

int fdatasync(int fd)
{
	moment();
	return NEXT(fdatasync)(fd);
}

int rename(const char *from, const char *to)
{
	moment();
	return NEXT(rename)(from, to);
}

int renameat(int dfd, const char *from, int tfd, const char *to)
{
	moment();
	return NEXT(renameat)(dfd, from, tfd, to);
}

/* The exchange that puts a rebuilt folder in place (hub/folder_swap.c),
 * and the removals of the old one. */
int renameat2(int dfd, const char *from, int tfd, const char *to, unsigned int flags)
{
	moment();
	return NEXT(renameat2)(dfd, from, tfd, to, flags);
}

int remove(const char *path)
{
	moment();
	return NEXT(remove)(path);
}

int rmdir(const char *path)
{
	moment();
	return NEXT(rmdir)(path);
}

int unlink(const char *path)
{
	moment();
	return NEXT(unlink)(path);
}

int ftruncate(int fd, off_t len)
{
	moment();
	return NEXT(ftruncate)(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	moment();
	return NEXT(ftruncate64)(fd, len);
}

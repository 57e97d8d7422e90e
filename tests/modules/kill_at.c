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
 *   NRM_KILL_LOG=F     with NRM_KILL_COUNT, also write to F one letter a
 *                      moment, saying what it was (see moment_kind), so a
 *                      test can choose the moments at which the state on
 *                      the disk changes rather than every write
 *
 * Writes to standard output and error are not counted (not the disk).
 *
 * A process the hub forks (a job of `nrmhub run`) shares the count with the
 * process that loaded this library, and a kill takes both, as a power cut
 * would: the count lives in a shared mapping made before any fork.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
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
static const char *log_file;

/* One letter a moment, shared with forked children like the count. */
#define LOG_MAX (1 << 20)
static char *kinds;

/*
 * What a moment was:
 *   c  the header of a SQLite WAL frame that commits a transaction (its
 *      "database size after commit" field is not zero): the transaction
 *      is on the disk once the frame's page, the next moment, is written
 *   s  any other write to a SQLite database, its WAL, shared memory or
 *      journal, or the removal of one of those (SQLite recovers from a
 *      kill at any of these by itself: what the store holds changes only
 *      at a commit)
 *   w  a write to the same file as the moment before, which was a write
 *      too: one more block of a file being written, whose state after a
 *      kill (a file cut short, not yet renamed into place) is that of a
 *      kill at its first write
 *   f  anything else: the hub's own files, renames, removals
 */
static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), e = strlen(end);
	return n >= e && strcmp(s + n - e, end) == 0;
}

static bool sqlite_name(const char *path)
{
	static const char *const ends[] = {".db", ".db-wal", ".db-shm", ".db-journal"};
	for (size_t i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		if (ends_with(path, ends[i]))
			return true;
	return false;
}

/* The path of fd, into path (PATH_MAX bytes); false when unknown. */
static bool fd_path(int fd, char *path)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	long n = syscall(SYS_readlinkat, AT_FDCWD, link, path, PATH_MAX - 1);
	if (n <= 0)
		return false;
	path[n] = '\0';
	return true;
}

/* A 24-byte write into a WAL is a frame header; a commit's has a
 * database size after commit, bytes 4 to 7, that is not zero. */
static bool wal_commit_header(const char *path, const void *buf, size_t len)
{
	if (len != 24 || !ends_with(path, ".db-wal"))
		return false;
	const unsigned char *b = buf;
	return (b[4] | b[5] | b[6] | b[7]) != 0;
}

static char fd_kind(int fd, const void *buf, size_t len)
{
	char path[PATH_MAX];
	if (!kinds || !fd_path(fd, path))
		return kinds ? 'f' : 0;
	if (buf && wal_commit_header(path, buf, len))
		return 'c';
	return sqlite_name(path) ? 's' : 'f';
}

static char path_kind(const char *path)
{
	if (!kinds)
		return 0;
	return sqlite_name(path) ? 's' : 'f';
}

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
	if (!kinds || !log_file)
		return;
	fd = (int)syscall(SYS_openat, AT_FDCWD, log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	                  0600);
	if (fd < 0)
		return;
	long total = atomic_load(calls);
	(void)syscall(SYS_write, fd, kinds, (size_t)(total < LOG_MAX ? total : LOG_MAX));
	(void)syscall(SYS_write, fd, "\n", (size_t)1);
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
	log_file = getenv("NRM_KILL_LOG");
	if (count_file && log_file) {
		void *log = mmap(NULL, LOG_MAX, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		                 -1, 0);
		if (log != MAP_FAILED)
			kinds = log;
	}
	if (count_file)
		atexit(write_count);
}

/* One moment of the given kind (0 when not logging), a write to
 * write_fd or none (-1): SIGKILL when it is the chosen one. */
static void moment(char kind, int write_fd)
{
	static int last_write_fd = -1;
	static long last_write_n;
	long n = atomic_fetch_add(calls, 1) + 1;
	if (kind == 'f' && write_fd >= 0 && write_fd == last_write_fd && n == last_write_n + 1)
		kind = 'w';
	if (write_fd >= 0) {
		last_write_fd = write_fd;
		last_write_n = n;
	}
	if (kinds && n <= LOG_MAX)
		kinds[n - 1] = kind;
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
		moment(fd_kind(fd, buf, len), fd);
	return NEXT(write)(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	moment(fd_kind(fd, buf, len), fd);
	return NEXT(pwrite)(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off64_t off)
{
	moment(fd_kind(fd, buf, len), fd);
	return NEXT(pwrite64)(fd, buf, len, off);
}

int fsync(int fd)
{
	moment(fd_kind(fd, NULL, 0), -1);
	return NEXT(fsync)(fd);
}

int fdatasync(int fd)
{
	moment(fd_kind(fd, NULL, 0), -1);
	return NEXT(fdatasync)(fd);
}

int rename(const char *from, const char *to)
{
	moment(kinds ? 'f' : 0, -1);
	return NEXT(rename)(from, to);
}

int renameat(int dfd, const char *from, int tfd, const char *to)
{
	moment(kinds ? 'f' : 0, -1);
	return NEXT(renameat)(dfd, from, tfd, to);
}

/* The exchange that puts a rebuilt folder in place (hub/folder_swap.c),
 * and the removals of the old one. */
int renameat2(int dfd, const char *from, int tfd, const char *to, unsigned int flags)
{
	moment(kinds ? 'f' : 0, -1);
	return NEXT(renameat2)(dfd, from, tfd, to, flags);
}

int remove(const char *path)
{
	moment(path_kind(path), -1);
	return NEXT(remove)(path);
}

int rmdir(const char *path)
{
	moment(path_kind(path), -1);
	return NEXT(rmdir)(path);
}

int unlink(const char *path)
{
	moment(path_kind(path), -1);
	return NEXT(unlink)(path);
}

int ftruncate(int fd, off_t len)
{
	moment(fd_kind(fd, NULL, 0), -1);
	return NEXT(ftruncate)(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	moment(fd_kind(fd, NULL, 0), -1);
	return NEXT(ftruncate64)(fd, len);
}

/*
 * Unit tests of hub/run_lock.c, with real second processes: a second holder
 * is refused with 75 and the first holder's PID; the lock goes when its
 * holder dies; a symbolic link is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "run_lock.h"
#include "util.h"

static char dir[] = "/tmp/nrmhub-lock-test.XXXXXX";
static char *lock_path;

static int setup(void **state)
{
	if (!mkdtemp(dir))
		return -1;
	lock_path = nrm_xasprintf("%s/run.lock", dir);
	return 0;
}

static int teardown(void **state)
{
	unlink(lock_path);
	char *link = nrm_xasprintf("%s/link.lock", dir);
	unlink(link);
	free(link);
	free(lock_path);
	rmdir(dir);
	return 0;
}

/* In a child: tries the lock; writes the error message to `fd` and exits
 * with the error code (0 if it got the lock). */
static pid_t try_in_child(int fd)
{
	pid_t pid = fork();
	if (pid == 0) {
		struct nrm_run_lock lk;
		struct nrm_error err = {0};
		int rc = nrm_run_lock_acquire(&lk, lock_path, &err);
		if (write(fd, err.msg, strlen(err.msg)) < 0)
			_exit(99);
		_exit(rc == 0 ? 0 : err.code);
	}
	return pid;
}

static int wait_status(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_second_process_refused_with_pid(void **state)
{
	struct nrm_run_lock lk;
	struct nrm_error err = {0};
	assert_int_equal(nrm_run_lock_acquire(&lk, lock_path, &err), 0);
	/* Opening and closing the file again (here, and in _holder) must not
	 * drop the lock, as closing would drop a classic POSIX lock. */
	assert_int_equal(nrm_run_lock_holder(lock_path), getpid());

	/* The PID is in the file, and the file is private. */
	char buf[64] = {0}, want[64];
	FILE *f = fopen(lock_path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	assert_string_equal(buf, want);
	struct stat st;
	assert_int_equal(stat(lock_path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t child = try_in_child(fds[1]);
	close(fds[1]);
	assert_int_equal(wait_status(child), EX_TEMPFAIL);
	char msg[1024] = {0};
	assert_true(read(fds[0], msg, sizeof(msg) - 1) > 0);
	close(fds[0]);
	snprintf(want, sizeof(want), "another nrmhub run (PID %ld) holds the lock ", (long)getpid());
	if (!strstr(msg, want))
		fail_msg("message '%s' lacks '%s'", msg, want);

	/* Released: the next process gets it. */
	nrm_run_lock_release(&lk);
	assert_int_equal(nrm_run_lock_holder(lock_path), 0);
	assert_int_equal(pipe(fds), 0);
	child = try_in_child(fds[1]);
	close(fds[1]);
	assert_int_equal(wait_status(child), 0);
	close(fds[0]);
}

/* The holder is killed without releasing: the lock goes with it. */
static void test_lock_dies_with_holder(void **state)
{
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t holder = fork();
	if (holder == 0) {
		struct nrm_run_lock lk;
		struct nrm_error err = {0};
		char ok = nrm_run_lock_acquire(&lk, lock_path, &err) == 0 ? 'y' : 'n';
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	char ok = 0;
	assert_int_equal(read(ready[0], &ok, 1), 1);
	close(ready[0]);
	assert_int_equal(ok, 'y');

	struct nrm_run_lock lk;
	struct nrm_error err = {0};
	assert_int_equal(nrm_run_lock_acquire(&lk, lock_path, &err), -1);
	assert_int_equal(err.code, EX_TEMPFAIL);
	char want[64];
	snprintf(want, sizeof(want), "(PID %ld)", (long)holder);
	if (!strstr(err.msg, want))
		fail_msg("message '%s' lacks '%s'", err.msg, want);
	assert_int_equal(nrm_run_lock_holder(lock_path), holder);

	kill(holder, SIGKILL);
	int status;
	waitpid(holder, &status, 0);
	/* Its PID is still written in the file, but it no longer holds it. */
	assert_int_equal(nrm_run_lock_acquire(&lk, lock_path, &err), 0);
	nrm_run_lock_release(&lk);
}

static void test_symlink_refused(void **state)
{
	char *link = nrm_xasprintf("%s/link.lock", dir);
	assert_int_equal(symlink(lock_path, link), 0);
	struct nrm_run_lock lk;
	struct nrm_error err = {0};
	assert_int_equal(nrm_run_lock_acquire(&lk, link, &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	free(link);

	assert_int_equal(nrm_run_lock_acquire(&lk, "/nonexistent-dir/run.lock", &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	assert_int_equal(nrm_run_lock_holder("/nonexistent-dir/run.lock"), -1);
}

static void test_path_beside_the_store(void **state)
{
	char *p = nrm_run_lock_path("/var/lib/nrmhub/site.db");
	assert_string_equal(p, "/var/lib/nrmhub/site.db.lock");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_process_refused_with_pid),
		cmocka_unit_test(test_lock_dies_with_holder),
		cmocka_unit_test(test_symlink_refused),
		cmocka_unit_test(test_path_beside_the_store),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

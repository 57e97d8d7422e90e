/*
 * Unit tests of hub/job_child.c: children that succeed, fail with a reason,
 * crash, hang, ignore SIGTERM, and leave a grandchild behind.  Time limits
 * are short but nothing asserts how long anything took, except that a hang
 * is reported as a timeout (a slow machine makes that only more certain).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "job_child.h"
#include "util.h"

static int job_ok(void *arg, struct nrm_error *err)
{
	return 0;
}

static int job_bad_data(void *arg, struct nrm_error *err)
{
	return nrm_fail(err, EX_DATAERR, "council-csv: line 3: referral_date: not a date\nsecond line");
}

static int job_returns_code(void *arg, struct nrm_error *err)
{
	return *(int *)arg;
}

/* A crash, even under AddressSanitizer (whose own SIGSEGV handler would
 * turn it into exit status 1). */
static int job_segfault(void *arg, struct nrm_error *err)
{
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return 0;
}

static int job_abort(void *arg, struct nrm_error *err)
{
	signal(SIGABRT, SIG_DFL);
	abort();
}

static int job_hang(void *arg, struct nrm_error *err)
{
	while (pause() != 0 || 1)
		;
	return 0;
}

static int job_hang_ignoring_term(void *arg, struct nrm_error *err)
{
	signal(SIGTERM, SIG_IGN);
	while (pause() != 0 || 1)
		;
	return 0;
}

/* Starts a grandchild that would hang forever, writes its PID to the pipe
 * in `arg`, then hangs itself. */
static int job_with_grandchild(void *arg, struct nrm_error *err)
{
	int fd = *(int *)arg;
	pid_t g = fork();
	if (g == 0)
		for (;;)
			pause();
	if (write(fd, &g, sizeof(g)) != (ssize_t)sizeof(g))
		return 1;
	for (;;)
		pause();
}

/* Sends `*(size_t *)arg` bytes (more than a pipe holds) as its result. */
static int job_sends_result(void *arg, struct nrm_error *err)
{
	size_t n = *(size_t *)arg;
	char chunk[1000];
	for (size_t i = 0; i < sizeof(chunk); i++)
		chunk[i] = (char)('a' + i % 26);
	for (size_t sent = 0; sent < n; sent += sizeof(chunk))
		if (nrm_job_send_result(chunk, n - sent < sizeof(chunk) ? n - sent : sizeof(chunk)) != 0)
			return 1;
	return 0;
}

static const struct nrm_job_limits quick = {.timeout_ms = 300, .grace_ms = 200};

static void test_success(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_ok, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_EXITED);
	assert_int_equal(out.exit_status, 0);
	assert_true(nrm_job_succeeded(&out));
	char buf[200];
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_string_equal(buf, "succeeded");
}

static void test_failure_with_reason(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_bad_data, NULL, NULL, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_EXITED);
	assert_int_equal(out.exit_status, EX_DATAERR);
	assert_false(nrm_job_succeeded(&out));
	/* One line, newline made a space. */
	assert_string_equal(out.message, "council-csv: line 3: referral_date: not a date second line");
	char buf[200];
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_string_equal(buf, "failed (exit status 65): council-csv: line 3: referral_date: "
	                         "not a date second line");

	int code = 75;
	assert_int_equal(nrm_job_run(job_returns_code, &code, NULL, &out, &err), 0);
	assert_int_equal(out.exit_status, 75);
	assert_string_equal(out.message, "");
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_string_equal(buf, "failed (exit status 75)");
	/* -1 without a code is a software error. */
	code = -1;
	assert_int_equal(nrm_job_run(job_returns_code, &code, NULL, &out, &err), 0);
	assert_int_equal(out.exit_status, EX_SOFTWARE);
}

static void test_crash(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_segfault, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_SIGNALLED);
	assert_int_equal(out.signal, SIGSEGV);
	assert_string_equal(out.signal_name, "SIGSEGV");
	char buf[200];
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_non_null(strstr(buf, "crashed with SIGSEGV"));

	assert_int_equal(nrm_job_run(job_abort, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_SIGNALLED);
	assert_string_equal(out.signal_name, "SIGABRT");
}

static void test_hang_times_out(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_hang, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_TIMED_OUT);
	char buf[200];
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_string_equal(buf, "timed out after 300 ms");

	/* SIGTERM ignored: SIGKILL after the grace period. */
	assert_int_equal(nrm_job_run(job_hang_ignoring_term, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_TIMED_OUT);

	struct nrm_job_outcome minutes = {.end = NRM_JOB_TIMED_OUT, .elapsed_ms = 30L * 60 * 1000};
	nrm_job_describe(&minutes, buf, sizeof(buf));
	assert_string_equal(buf, "timed out after 30 min");
}

static void test_result_reaches_the_parent(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	size_t n = 200000;
	assert_int_equal(nrm_job_run(job_sends_result, &n, NULL, &out, &err), 0);
	assert_true(nrm_job_succeeded(&out));
	assert_int_equal(out.result_len, n);
	assert_false(out.result_truncated);
	assert_int_equal(out.result[0], 'a');
	assert_int_equal(out.result[999], (char)('a' + 999 % 26));
	assert_int_equal(out.result[1000], 'a');
	assert_int_equal(out.result[n], '\0');
	nrm_job_outcome_free(&out);
	assert_null(out.result);

	/* Past the bound: kept up to it, marked truncated, the child not stuck. */
	n = NRM_JOB_MAX_RESULT + 5000;
	assert_int_equal(nrm_job_run(job_sends_result, &n, NULL, &out, &err), 0);
	assert_true(nrm_job_succeeded(&out));
	assert_int_equal(out.result_len, NRM_JOB_MAX_RESULT);
	assert_true(out.result_truncated);
	nrm_job_outcome_free(&out);

	/* Nothing sent: no result. */
	assert_int_equal(nrm_job_run(job_ok, NULL, NULL, &out, &err), 0);
	assert_null(out.result);
	assert_int_equal(out.result_len, 0);
	/* Only a job child has somewhere to send to. */
	assert_int_equal(nrm_job_send_result("x", 1), -1);
}

/* The whole process group goes on timeout: the grandchild too.  We become
 * the subreaper so the orphaned grandchild is ours to reap and inspect. */
static void test_timeout_kills_the_group(void **state)
{
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_with_grandchild, &fds[1], &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_TIMED_OUT);
	pid_t g;
	assert_int_equal(read(fds[0], &g, sizeof(g)), (ssize_t)sizeof(g));
	/* Killed with the group, and reaped by the job runner: a subreaper's
	 * orphans are its to end (job_orphans.h). */
	assert_int_equal(kill(g, 0), -1);
	assert_int_equal(errno, ESRCH);
	close(fds[0]);
	close(fds[1]);
}

/* A grandchild that left the job's session (setsid) escapes the group
 * kill; the job succeeds, and the grandchild is still ended and reaped. */
static int job_with_setsid_grandchild(void *arg, struct nrm_error *err)
{
	int fd = *(int *)arg;
	int ready[2];
	if (pipe(ready) != 0)
		return 1;
	pid_t g = fork();
	if (g == 0) {
		setsid();
		char c = 'x';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	char c;
	if (read(ready[0], &c, 1) != 1 || write(fd, &g, sizeof(g)) != (ssize_t)sizeof(g))
		return 1;
	return 0;
}

static void test_setsid_orphan_ended(void **state)
{
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_with_setsid_grandchild, &fds[1], &quick, &out, &err), 0);
	assert_true(nrm_job_succeeded(&out));
	assert_int_equal(out.orphans_killed, 1);
	pid_t g;
	assert_int_equal(read(fds[0], &g, sizeof(g)), (ssize_t)sizeof(g));
	assert_int_equal(kill(g, 0), -1);
	assert_int_equal(errno, ESRCH);
	close(fds[0]);
	close(fds[1]);
}

/* exit(0) from inside the job is not success. */
static int job_calls_exit(void *arg, struct nrm_error *err)
{
	exit(0);
}

static void test_exit_inside_the_job_fails(void **state)
{
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_calls_exit, NULL, &quick, &out, &err), 0);
	assert_int_equal(out.end, NRM_JOB_VANISHED);
	assert_int_equal(out.exit_status, 0);
	assert_false(nrm_job_succeeded(&out));
	char buf[200];
	nrm_job_describe(&out, buf, sizeof(buf));
	assert_non_null(strstr(buf, "a plugin called exit()"));
}

/* The descriptors the caller names are closed before the job starts. */
static int job_checks_fd(void *arg, struct nrm_error *err)
{
	return fcntl(*(int *)arg, F_GETFD) == -1 ? 0 : 1;
}

static void test_closed_in_the_child(void **state)
{
	int fd = open("/dev/null", O_RDONLY);
	assert_true(fd > 2);
	struct nrm_job_limits lim = quick;
	lim.close_fds = &fd;
	lim.n_close_fds = 1;
	struct nrm_job_outcome out;
	struct nrm_error err = {0};
	assert_int_equal(nrm_job_run(job_checks_fd, &fd, &lim, &out, &err), 0);
	assert_true(nrm_job_succeeded(&out));
	assert_int_equal(nrm_job_run(job_checks_fd, &fd, &quick, &out, &err), 0);
	assert_false(nrm_job_succeeded(&out));
	close(fd);
}

/* A run that is itself killed (SIGKILL: no cleanup of its own) takes its
 * job child with it.  The middle process reports the job child's PID. */
static int job_report_pid_and_hang(void *arg, struct nrm_error *err)
{
	int fd = *(int *)arg;
	pid_t me = getpid();
	if (write(fd, &me, sizeof(me)) != (ssize_t)sizeof(me))
		return 1;
	while (pause() != 0 || 1)
		;
	return 0;
}

static void test_child_dies_with_parent(void **state)
{
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t runner = fork();
	if (runner == 0) {
		struct nrm_job_outcome out;
		struct nrm_error err = {0};
		struct nrm_job_limits forever = {.timeout_ms = 3600L * 1000};
		nrm_job_run(job_report_pid_and_hang, &fds[1], &forever, &out, &err);
		_exit(0);
	}
	pid_t job;
	assert_int_equal(read(fds[0], &job, sizeof(job)), (ssize_t)sizeof(job));
	kill(runner, SIGKILL);
	int status;
	assert_int_equal(waitpid(runner, &status, 0), runner);
	/* Orphaned, the job child is ours (subreaper) to reap: killed. */
	assert_int_equal(waitpid(job, &status, 0), job);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	close(fds[0]);
	close(fds[1]);
}

static void test_signal_names(void **state)
{
	assert_string_equal(nrm_signal_name(SIGSEGV), "SIGSEGV");
	assert_string_equal(nrm_signal_name(SIGBUS), "SIGBUS");
	assert_string_equal(nrm_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(nrm_signal_name(SIGFPE), "SIGFPE");
	assert_string_equal(nrm_signal_name(0), "SIG?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success),
		cmocka_unit_test(test_failure_with_reason),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_hang_times_out),
		cmocka_unit_test(test_result_reaches_the_parent),
		cmocka_unit_test(test_timeout_kills_the_group),
		cmocka_unit_test(test_child_dies_with_parent),
		cmocka_unit_test(test_setsid_orphan_ended),
		cmocka_unit_test(test_exit_inside_the_job_fails),
		cmocka_unit_test(test_closed_in_the_child),
		cmocka_unit_test(test_signal_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

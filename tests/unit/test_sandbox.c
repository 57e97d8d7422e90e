/*
 * Unit tests of hub/sandbox.c, the child processes of `plugin check`: a
 * child that finishes, one that crashes, and one that hangs, which the time
 * limit ends.  The hang never returns, so however loaded the machine, only
 * the limit can end it: no race against the clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

static void child_sends(void *ctx, int fd)
{
	nrm_sandbox_send(fd, "done", 4);
}

static void child_crashes(void *ctx, int fd)
{
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
}

static void child_hangs(void *ctx, int fd)
{
	for (;;)
		pause();
}

static void test_finishes(void **state)
{
	struct nrm_sandbox_result res;
	nrm_sandbox_run(child_sends, NULL, 60000, false, &res);
	assert_int_equal(res.end, NRM_SANDBOX_EXITED);
	assert_int_equal(res.data_len, 4);
	assert_memory_equal(res.data, "done", 4);
	nrm_sandbox_result_free(&res);
}

static void test_crash(void **state)
{
	struct nrm_sandbox_result res;
	nrm_sandbox_run(child_crashes, NULL, 60000, false, &res);
	assert_int_equal(res.end, NRM_SANDBOX_DIED);
	assert_true(res.by_signal);
	assert_int_equal(res.status, SIGSEGV);
	nrm_sandbox_result_free(&res);
}

static void test_hang_ended_by_the_limit(void **state)
{
	struct nrm_sandbox_result res;
	nrm_sandbox_run(child_hangs, NULL, 200, false, &res);
	assert_int_equal(res.end, NRM_SANDBOX_TIMED_OUT);
	char *why = nrm_sandbox_describe(&res);
	assert_non_null(strstr(why, "did not finish within the time limit"));
	free(why);
	nrm_sandbox_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finishes),
		cmocka_unit_test(test_crash),
		cmocka_unit_test(test_hang_ended_by_the_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Importers for the scheduled-job tests (tests/e2e/run_isolation.sh and
 * run_containment.sh), each misbehaving as soon as a job asks for a
 * record, so that `nrmhub run` must fail, limit or clean up after only
 * that job:
 *   JOB_CRASH   format "job-crash": dies of SIGSEGV
 *   JOB_HANG    format "job-hang": never returns; first writes its PID to
 *               the FIFO $NRM_TEST_HANG_FIFO when set, so that a test knows
 *               the job is under way without a clock
 *   JOB_ORPHAN  format "job-orphan": forks a child that calls setsid() (so
 *               leaves the job's process group) and waits forever, writes
 *               its PID to $NRM_TEST_ORPHAN_PID, then ends the import
 *   JOB_EXIT    format "job-exit": prints to stdout, then calls exit(0)
 *   JOB_MEMORY  format "job-memory": allocates and touches memory without end
 *   JOB_FLOOD   format "job-flood": writes to stdout and stderr without end
 */
#include <nrmhub/plugin.h>

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cb_job_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	(void)host;
	(void)in;
	*state = NULL;
	return NRM_OK;
}

#if defined(JOB_ORPHAN)
/* The grandchild says it has left the group (and who it is) before the
 * job goes on, so the test never races it. */
static void leave_an_orphan(void)
{
	int ready[2];
	if (pipe(ready) != 0)
		return;
	pid_t pid = fork();
	if (pid == 0) {
		close(ready[0]);
		setsid();
		const char *file = getenv("NRM_TEST_ORPHAN_PID");
		int fd = file ? open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
		if (fd >= 0) {
			dprintf(fd, "%ld\n", (long)getpid());
			close(fd);
		}
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	char c;
	if (pid > 0 && read(ready[0], &c, 1) != 1)
		return;
	close(ready[0]);
}
#endif

static int cb_job_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	(void)state;
	(void)out;
	(void)where;
#if defined(JOB_CRASH)
	/* The default action, even under AddressSanitizer (which would
	 * otherwise catch the signal and exit with its own status). */
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
#elif defined(JOB_ORPHAN)
	leave_an_orphan();
#elif defined(JOB_EXIT)
	printf("job-exit: a plugin's own output\n");
	exit(0);
#elif defined(JOB_MEMORY)
	for (;;) {
		char *p = malloc(1 << 20);
		if (!p)
			abort(); /* the limit was reached: a failure of its own */
		memset(p, 1, 1 << 20);
	}
#elif defined(JOB_FLOOD)
	static const char line[] = "job-flood: this plugin prints where it must not\n";
	for (;;) {
		fputs(line, stdout);
		fputs(line, stderr);
	}
#else
	const char *fifo = getenv("NRM_TEST_HANG_FIFO");
	int fd = fifo ? open(fifo, O_WRONLY) : -1;
	if (fd >= 0) {
		dprintf(fd, "%ld\n", (long)getpid());
		close(fd);
	}
	for (;;)
		pause();
#endif
	return NRM_EOF;
}

static void cb_job_close(void *state)
{
	(void)state;
}

#if defined(JOB_CRASH)
#define JOB_NAME "job-crash"
#elif defined(JOB_ORPHAN)
#define JOB_NAME "job-orphan"
#elif defined(JOB_EXIT)
#define JOB_NAME "job-exit"
#elif defined(JOB_MEMORY)
#define JOB_NAME "job-memory"
#elif defined(JOB_FLOOD)
#define JOB_NAME "job-flood"
#else
#define JOB_NAME "job-hang"
#endif

static const char *const formats[] = {JOB_NAME, NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT,
	.name = JOB_NAME,
	.version = "0.0.1",
	.description = "A test importer that misbehaves inside a scheduled job.",
	.license = "MIT",
	.formats = formats,
	.import_open = cb_job_open,
	.import_next = cb_job_next,
	.import_close = cb_job_close,
);

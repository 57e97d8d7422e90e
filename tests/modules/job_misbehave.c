/*
 * Importers for the scheduled-job tests (tests/e2e/run_isolation.sh): a
 * plugin that crashes and one that hangs as soon as a job asks for a
 * record, so that `nrmhub run` must fail only that job.
 *   JOB_CRASH  format "job-crash": dies of SIGSEGV
 *   JOB_HANG   format "job-hang": never returns
 */
#include <nrmhub/plugin.h>

#include <signal.h>
#include <stddef.h>
#include <unistd.h>

static int cb_job_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	(void)host;
	(void)in;
	*state = NULL;
	return NRM_OK;
}

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
#else
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

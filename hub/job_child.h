/*
 * Running one job in a child process, so that a plugin that crashes or hangs
 * fails only its own job.  The child gets its own process group; on timeout
 * the whole group is sent SIGTERM, then SIGKILL after a grace period; when
 * the child ends, whatever it left in its group is killed, and, when the
 * caller is a child subreaper, so is every process it left anywhere else
 * (job_orphans.h); if the parent dies, the child is killed
 * (PR_SET_PDEATHSIG).  The child closes the descriptors it must not keep
 * (the run lock) before the job starts, so nothing it starts can hold them.
 * A job has ended well only when it returned 0 from its function: a child
 * that ended the process itself (a plugin calling exit(0)) failed, whatever
 * its exit status.  The outcome is a value the
 * caller turns into a message and a ledger entry.  Fork before starting
 * threads: only the forking thread exists in the child.
 */
#ifndef NRM_JOB_CHILD_H
#define NRM_JOB_CHILD_H

#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

#define NRM_JOB_DEFAULT_TIMEOUT_MS (30L * 60 * 1000)
#define NRM_JOB_DEFAULT_GRACE_MS (5L * 1000)
/* What a scheduled job may write to its log when its configuration does
 * not say ("log_limit"): far more than any honest job writes. */
#define NRM_JOB_DEFAULT_LOG_BYTES (16LL << 20)

/* The job, run in the child.  It returns a sysexits.h code (0 success) and
 * may fill `err` with a one-line reason, which reaches the parent.  It must
 * not return to the caller's loop: the child ends right after it. */
typedef int (*nrm_job_fn)(void *arg, struct nrm_error *err);

struct nrm_job_limits {
	long timeout_ms; /* <= 0: NRM_JOB_DEFAULT_TIMEOUT_MS */
	long grace_ms;   /* from SIGTERM to SIGKILL; <= 0: NRM_JOB_DEFAULT_GRACE_MS */
	const int *close_fds; /* the caller's descriptors the job must not inherit */
	size_t n_close_fds;
	long long memory_bytes; /* the child's address space (RLIMIT_AS); 0: none.
	                         * Not applied under AddressSanitizer, whose shadow
	                         * memory is terabytes of address space. */
	long long log_bytes;    /* what the child may write on its standard output
	                         * and error, which the parent copies to its own
	                         * standard error; past it the child is killed.
	                         * 0: the child writes to ours directly. */
};

/* A quarter of the machine's memory, at least 512 MiB: the default memory
 * limit of a job. */
long long nrm_job_default_memory(void);

enum nrm_job_end {
	NRM_JOB_EXITED,    /* exit_status is its code */
	NRM_JOB_SIGNALLED, /* signal (and signal_name) killed it: a crash */
	NRM_JOB_TIMED_OUT, /* still running at the time limit; the group was killed */
	NRM_JOB_VANISHED,  /* exited (exit_status) without returning from the job:
	                    * something in it called exit() */
	NRM_JOB_LOG_LIMIT, /* wrote more than log_bytes; the group was killed */
};

struct nrm_job_outcome {
	enum nrm_job_end end;
	int exit_status;
	int signal;
	const char *signal_name; /* "SIGSEGV"; static, never NULL when signalled */
	bool core_dumped;
	long elapsed_ms;
	char message[1024];      /* the job's err->msg, "" when it gave none */
	char *result;            /* what the job sent with nrm_job_send_result
	                          * (NUL-terminated; NULL if nothing) */
	size_t result_len;
	bool result_truncated;   /* it sent more than NRM_JOB_MAX_RESULT */
	size_t orphans_killed;   /* processes it left outside its group, ended */
	long long log_limit;     /* the limits it ran with, for the message */
	long long memory_limit;
	bool out_of_memory;      /* it failed after using most of memory_limit */
};

#define NRM_JOB_MAX_RESULT ((size_t)1 << 20)

/* Forks, runs fn(arg, &err) in the child and waits, at most the time limit;
 * free the outcome with nrm_job_outcome_free.  Returns 0 when the child was started and reaped (whatever its outcome,
 * which is in `out`), -1 with `err` (EX_OSERR) when it could not be
 * started.  Flushes stdio first so that buffered output is not written
 * twice. */
int nrm_job_run(nrm_job_fn fn, void *arg, const struct nrm_job_limits *limits,
                struct nrm_job_outcome *out, struct nrm_error *err);

/* Frees out->result. */
void nrm_job_outcome_free(struct nrm_job_outcome *out);

/* In a job child: sends bytes to the parent (e.g. a receipt as JSON, a
 * list of outputs), which finds them in out->result.  This is how a job
 * reports back without sharing anything (a SQLite connection must not be
 * used on both sides of a fork).  -1 outside a job child or on error. */
int nrm_job_send_result(const void *data, size_t len);

/* True when the outcome is an exit with status 0. */
bool nrm_job_succeeded(const struct nrm_job_outcome *out);

/* "crashed with SIGSEGV", "timed out after 30 min", "exited with status 65:
 * <message>", "succeeded": for "job X failed: plugin Y <this>". */
void nrm_job_describe(const struct nrm_job_outcome *out, char *buf, size_t size);

/* "SIGSEGV" for SIGSEGV; "signal 42" style names are not returned: unknown
 * numbers give "SIG?" */
const char *nrm_signal_name(int sig);

#endif

/*
 * Running untrusted plugin code in a child process: the child may crash,
 * hang, exit or print, and the parent still reports what happened.  The child
 * sends its findings back through a pipe; its standard output is captured so
 * that stray printing can be detected.
 */
#ifndef NRM_SANDBOX_H
#define NRM_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

enum nrm_sandbox_end {
	NRM_SANDBOX_EXITED,     /* the child returned from its function */
	NRM_SANDBOX_DIED,       /* it exited on its own, or was killed by a signal */
	NRM_SANDBOX_TIMED_OUT,  /* it ran past the time limit and was killed */
	NRM_SANDBOX_NOT_RUN,    /* fork or pipe failed (errno in `status`) */
};

struct nrm_sandbox_result {
	enum nrm_sandbox_end end;
	int status;           /* exit status, or the signal that killed it */
	bool by_signal;
	void *data;           /* what the child sent; malloc'd, caller frees */
	size_t data_len;
	size_t stdout_bytes;  /* how much it wrote to its standard output */
	char stdout_head[81]; /* the start of it, NUL-terminated */
};

/* The child's work: send results with nrm_sandbox_send(); the return value
 * is ignored (the child then exits with 0). */
typedef void (*nrm_sandbox_fn)(void *ctx, int result_fd);

/* Runs fn(ctx) in a child, waiting at most timeout_ms.  The child's stderr
 * goes to /dev/null unless keep_stderr.  Never fails: a failure to start the
 * child is reported as NRM_SANDBOX_NOT_RUN. */
void nrm_sandbox_run(nrm_sandbox_fn fn, void *ctx, unsigned timeout_ms, bool keep_stderr,
                     struct nrm_sandbox_result *res);
/* Called in the child: sends `len` bytes to the parent. */
void nrm_sandbox_send(int result_fd, const void *data, size_t len);
void nrm_sandbox_result_free(struct nrm_sandbox_result *res);
/* "killed by signal 11 (Segmentation fault)" and the like; caller frees. */
char *nrm_sandbox_describe(const struct nrm_sandbox_result *res);

#endif

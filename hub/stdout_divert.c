/*
 * Standard output sent to standard error while a plugin runs
 * (stdout_divert.h).  What the plugin printed through the C library sits in
 * stdout's buffer: it is flushed while the descriptor still points at
 * standard error, so none of it reaches the answer.
 */
#include "stdout_divert.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int nrm_stdout_divert(void)
{
	fflush(stdout);
	int saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved < 0)
		return -1;
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		close(saved);
		return -1;
	}
	return saved;
}

void nrm_stdout_restore(int saved)
{
	if (saved < 0)
		return;
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
}

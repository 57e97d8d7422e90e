/*
 * One child per piece of dangerous work.  The parent never runs plugin code
 * here: it reads two pipes (results and the child's stdout) until both close
 * or the deadline passes, then collects the child.  The child runs in its own
 * process group so a timeout also stops anything it started.
 */
#include "sandbox.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void nrm_sandbox_send(int result_fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t n = write(result_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void run_child(nrm_sandbox_fn fn, void *ctx, int result_fd, int out_fd, bool keep_stderr)
{
	setpgid(0, 0);
	struct rlimit no_core = {0, 0};
	setrlimit(RLIMIT_CORE, &no_core);
	dup2(out_fd, STDOUT_FILENO);
	close(out_fd);
	/* A plugin reads through the host, never from our terminal. */
	int null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		if (!keep_stderr)
			dup2(null, STDERR_FILENO);
		close(null);
	}
	fn(ctx, result_fd);
	/* Whatever the plugin printed through stdio must reach the pipe to be
	 * seen; _exit then skips atexit handlers, which belong to the parent. */
	fflush(NULL);
	_exit(0);
}

struct collector {
	struct nrm_sandbox_result *res;
	size_t cap;
};

/* Reads what is available on fd; false at its end. */
static bool drain(int fd, struct collector *c, bool is_stdout)
{
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof(buf));
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	struct nrm_sandbox_result *res = c->res;
	if (is_stdout) {
		size_t have = strlen(res->stdout_head);
		size_t room = sizeof(res->stdout_head) - 1 - have;
		size_t take = (size_t)n < room ? (size_t)n : room;
		memcpy(res->stdout_head + have, buf, take);
		res->stdout_head[have + take] = '\0';
		res->stdout_bytes += (size_t)n;
		return true;
	}
	if (res->data_len + (size_t)n > c->cap) {
		c->cap = (res->data_len + (size_t)n) * 2;
		res->data = nrm_xrealloc(res->data, c->cap);
	}
	memcpy((char *)res->data + res->data_len, buf, (size_t)n);
	res->data_len += (size_t)n;
	return true;
}

/* Reads both pipes until they close; false when the deadline passed first. */
static bool collect(int result_fd, int out_fd, int64_t deadline, struct collector *c)
{
	struct pollfd fds[2] = {{result_fd, POLLIN, 0}, {out_fd, POLLIN, 0}};
	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return false;
		int n = poll(fds, 2, (int)(left > 1000 ? 1000 : left));
		if (n < 0 && errno != EINTR)
			return false;
		for (int i = 0; i < 2 && n > 0; i++) {
			if (fds[i].fd >= 0 && fds[i].revents &&
			    !drain(fds[i].fd, c, i == 1))
				fds[i].fd = -1;
		}
	}
	return true;
}

/* Waits for the child to end; false when the deadline passed first. */
static bool reap_by(pid_t pid, int64_t deadline, int *status)
{
	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return true;  /* nothing left to wait for */
		if (now_ms() >= deadline)
			return false;
		struct timespec pause = {0, 2 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

void nrm_sandbox_run(nrm_sandbox_fn fn, void *ctx, unsigned timeout_ms, bool keep_stderr,
                     struct nrm_sandbox_result *res)
{
	memset(res, 0, sizeof(*res));
	int result_pipe[2], out_pipe[2];
	if (pipe2(result_pipe, O_CLOEXEC) != 0) {
		res->end = NRM_SANDBOX_NOT_RUN;
		res->status = errno;
		return;
	}
	if (pipe2(out_pipe, O_CLOEXEC) != 0) {
		res->end = NRM_SANDBOX_NOT_RUN;
		res->status = errno;
		close(result_pipe[0]);
		close(result_pipe[1]);
		return;
	}
	/* Unflushed output of ours would otherwise be written again by the
	 * child, into the pipe that stands for the plugin's stdout. */
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(result_pipe[0]);
		close(out_pipe[0]);
		run_child(fn, ctx, result_pipe[1], out_pipe[1], keep_stderr);
	}
	close(result_pipe[1]);
	close(out_pipe[1]);
	if (pid < 0) {
		res->end = NRM_SANDBOX_NOT_RUN;
		res->status = errno;
		close(result_pipe[0]);
		close(out_pipe[0]);
		return;
	}
	struct collector c = {.res = res};
	int64_t deadline = now_ms() + timeout_ms;
	int status = 0;
	/* A child may close its pipes and go on running: the deadline holds
	 * for its exit too. */
	bool in_time = collect(result_pipe[0], out_pipe[0], deadline, &c) &&
	               reap_by(pid, deadline, &status);
	if (!in_time) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	close(result_pipe[0]);
	close(out_pipe[0]);
	if (!in_time) {
		res->end = NRM_SANDBOX_TIMED_OUT;
	} else if (WIFSIGNALED(status)) {
		res->end = NRM_SANDBOX_DIED;
		res->by_signal = true;
		res->status = WTERMSIG(status);
	} else {
		res->status = WEXITSTATUS(status);
		res->end = res->status == 0 ? NRM_SANDBOX_EXITED : NRM_SANDBOX_DIED;
	}
}

void nrm_sandbox_result_free(struct nrm_sandbox_result *res)
{
	free(res->data);
	res->data = NULL;
	res->data_len = 0;
}

char *nrm_sandbox_describe(const struct nrm_sandbox_result *res)
{
	switch (res->end) {
	case NRM_SANDBOX_EXITED:
		return nrm_xstrdup("finished");
	case NRM_SANDBOX_TIMED_OUT:
		return nrm_xstrdup("did not finish within the time limit (a hang?) and was killed");
	case NRM_SANDBOX_NOT_RUN:
		return nrm_xasprintf("could not start a child process: %s", strerror(res->status));
	case NRM_SANDBOX_DIED:
		break;
	}
	if (res->by_signal)
		return nrm_xasprintf("crashed: killed by signal %d (%s)", res->status,
		                     strsignal(res->status));
	return nrm_xasprintf("ended the process itself with exit status %d", res->status);
}

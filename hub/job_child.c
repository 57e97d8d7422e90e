/*
 * Jobs in child processes: see job_child.h.  The parent waits on a pidfd
 * (so the time limit needs no SIGCHLD handler and no polling) and reads the
 * child's one-line reason and its result from two pipes.  The child is looked at with WNOWAIT
 * before it is reaped: while it is a zombie its PID, which is also its
 * process group's id, cannot be reused, so killing the group is safe.
 */
#include "job_child.h"

#include "job_orphans.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *nrm_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {
		{SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},
		{SIGFPE, "SIGFPE"},   {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"},
		{SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},   {SIGHUP, "SIGHUP"},
		{SIGPIPE, "SIGPIPE"}, {SIGQUIT, "SIGQUIT"}, {SIGTRAP, "SIGTRAP"},
		{SIGSYS, "SIGSYS"},   {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"},
		{SIGALRM, "SIGALRM"}, {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "SIG?";
}

/* ---- the child --------------------------------------------------------- */

/* In a job child, the write end of the result pipe; -1 elsewhere. */
static int result_fd = -1;

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int nrm_job_send_result(const void *data, size_t len)
{
	return result_fd < 0 ? -1 : write_all(result_fd, data, len);
}

/* The first byte on the reason pipe: the job returned from its function.
 * A child that exits without it ended the process from inside the job. */
#define RETURNED_MARK '\001'

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

long long nrm_job_default_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	long long quarter = pages > 0 && size > 0 ? (long long)pages * size / 4 : 0;
	return quarter > (512LL << 20) ? quarter : 512LL << 20;
}

/* The child's own limits, set before the job touches anything. */
static void limit_child(const struct nrm_job_limits *limits, int log_fd)
{
	if (!limits)
		return;
#ifndef UNDER_ASAN
	if (limits->memory_bytes > 0) {
		struct rlimit as = {(rlim_t)limits->memory_bytes, (rlim_t)limits->memory_bytes};
		setrlimit(RLIMIT_AS, &as);
	}
#endif
	if (log_fd >= 0) {
		dup2(log_fd, STDOUT_FILENO);
		dup2(log_fd, STDERR_FILENO);
	}
}

static _Noreturn void run_child(nrm_job_fn fn, void *arg, const int *pipes, pid_t parent,
                                const struct nrm_job_limits *limits)
{
	setpgid(0, 0);
	/* Its own group keeps it out of reach of a terminal's Ctrl-C, so it
	 * must not outlive a parent that was interrupted or killed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(EX_SOFTWARE);
	for (size_t i = 0; limits && i < limits->n_close_fds; i++)
		if (limits->close_fds[i] > 2)
			close(limits->close_fds[i]);
	close(pipes[0]);
	close(pipes[2]);
	if (pipes[4] >= 0)
		close(pipes[4]);
	limit_child(limits, pipes[5]);
	if (pipes[5] > 2)
		close(pipes[5]);
	result_fd = pipes[3];
	struct nrm_error err;
	memset(&err, 0, sizeof(err));
	int rc = fn(arg, &err);
	int status = rc == 0 ? 0 : err.code > 0 && err.code < 256 ? err.code
	                      : rc > 0 && rc < 256          ? rc
	                                                      : EX_SOFTWARE;
	char mark = RETURNED_MARK;
	write_all(pipes[1], &mark, 1);
	write_all(pipes[1], err.msg, strnlen(err.msg, sizeof(err.msg)));
	fflush(NULL);
	_exit(status);
}

/* ---- the parent -------------------------------------------------------- */

/* What the parent reads from one pipe, up to a bound: the child is as
 * untrusted as the plugin it runs. */
struct channel {
	int fd;      /* the read end, -1 once at EOF */
	char *buf;
	size_t len, cap, limit;
	bool grows;  /* buf is malloc'd and may grow up to limit */
	bool truncated;
	bool forwards; /* the log: copied to our stderr up to limit, not kept */
};

struct watch {
	pid_t pid;
	int pidfd; /* -1 when the kernel has no pidfd_open */
	struct channel ch[3]; /* the reason, the result, the log */
	bool over_log;        /* the log passed its limit */
};

/* The child's output, as it comes, into the run's own log (stderr). */
static void forward(struct channel *c, const char *data, size_t n)
{
	size_t room = c->len < c->limit ? c->limit - c->len : 0;
	size_t take = n < room ? n : room;
	for (size_t done = 0; done < take;) {
		ssize_t w = write(STDERR_FILENO, data + done, take - done);
		if (w <= 0 && errno != EINTR)
			break;
		if (w > 0)
			done += (size_t)w;
	}
	c->len += n;
	c->truncated |= c->len > c->limit;
}

static void keep(struct channel *c, const char *data, size_t n)
{
	if (c->len + n > c->limit) {
		n = c->limit - c->len;
		c->truncated = true;
	}
	if (c->grows && c->len + n + 1 > c->cap) {
		size_t cap = c->cap ? c->cap : 4096;
		while (cap < c->len + n + 1)
			cap *= 2;
		c->buf = nrm_xrealloc(c->buf, cap);
		c->cap = cap;
	}
	if (n > 0)
		memcpy(c->buf + c->len, data, n);
	c->len += n;
	if (c->buf)
		c->buf[c->len] = '\0';
}

static void drain(struct channel *c)
{
	char buf[4096];
	while (c->fd >= 0) {
		ssize_t n = read(c->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(c->fd);
			c->fd = -1;
			return;
		}
		if (c->forwards)
			forward(c, buf, (size_t)n);
		else
			keep(c, buf, (size_t)n);
	}
}

static void drain_all(struct watch *w)
{
	for (int i = 0; i < 3; i++)
		drain(&w->ch[i]);
	w->over_log |= w->ch[2].truncated;
}

/* Has the child ended?  Leaves it a zombie (WNOWAIT). */
static bool child_ended(const struct watch *w)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	if (waitid(P_PID, (id_t)w->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
		return errno == ECHILD;
	return info.si_pid == w->pid;
}

/* Waits until the child ends or `deadline` (monotonic ms) passes, reading
 * its pipes meanwhile so that it never blocks writing to them. */
static bool wait_until(struct watch *w, long deadline)
{
	for (;;) {
		if (child_ended(w))
			return true;
		if (w->over_log)
			return false;
		long left = deadline - now_ms();
		if (left <= 0)
			return false;
		struct pollfd p[4];
		nfds_t n = 0;
		if (w->pidfd >= 0)
			p[n++] = (struct pollfd){.fd = w->pidfd, .events = POLLIN};
		for (int i = 0; i < 3; i++)
			if (w->ch[i].fd >= 0)
				p[n++] = (struct pollfd){.fd = w->ch[i].fd, .events = POLLIN};
		/* Without a pidfd nothing wakes us when the child ends: look again
		 * every 50 ms. */
		int slice = w->pidfd >= 0 ? (left > INT32_MAX ? INT32_MAX : (int)left)
		                          : (left > 50 ? 50 : (int)left);
		if (poll(p, n, slice) < 0 && errno != EINTR)
			return child_ended(w);
		drain_all(w);
	}
}

static void signal_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) != 0)
		kill(pid, sig);
}

static void reap(struct watch *w, struct nrm_job_outcome *out)
{
	/* Whatever the child left behind in its group goes with it. */
	signal_group(w->pid, SIGKILL);
	int status = 0;
	struct rusage use;
	memset(&use, 0, sizeof(use));
	while (wait4(w->pid, &status, 0, &use) < 0 && errno == EINTR)
		;
	drain_all(w);
	bool returned = out->message[0] == RETURNED_MARK;
	if (returned)
		memmove(out->message, out->message + 1, strlen(out->message));
	if (out->end == NRM_JOB_TIMED_OUT || out->end == NRM_JOB_LOG_LIMIT)
		return;
	/* RLIMIT_AS makes an allocation fail, and what fails next (an abort,
	 * a crash, exit 71) depends on the plugin: a failure after using most
	 * of the limit is taken for running out of memory. */
	bool failed = !(returned && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	out->out_of_memory = failed && out->memory_limit > 0 &&
	                     (long long)use.ru_maxrss * 1024 >= out->memory_limit / 2;
	if (WIFSIGNALED(status)) {
		out->end = NRM_JOB_SIGNALLED;
		out->signal = WTERMSIG(status);
		out->signal_name = nrm_signal_name(out->signal);
		out->core_dumped = WCOREDUMP(status);
	} else {
		out->end = returned ? NRM_JOB_EXITED : NRM_JOB_VANISHED;
		out->exit_status = WEXITSTATUS(status);
	}
}

static void close_pipes(int *pipes)
{
	for (int i = 0; i < 6; i++)
		if (pipes[i] >= 0)
			close(pipes[i]);
}

int nrm_job_run(nrm_job_fn fn, void *arg, const struct nrm_job_limits *limits,
                struct nrm_job_outcome *out, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	long timeout = limits && limits->timeout_ms > 0 ? limits->timeout_ms
	                                                : NRM_JOB_DEFAULT_TIMEOUT_MS;
	long grace = limits && limits->grace_ms > 0 ? limits->grace_ms : NRM_JOB_DEFAULT_GRACE_MS;
	/* With SIGCHLD ignored the kernel reaps children itself and their
	 * status is lost: a crash would look like success. */
	struct sigaction chld;
	if (sigaction(SIGCHLD, NULL, &chld) == 0 && chld.sa_handler == SIG_IGN)
		signal(SIGCHLD, SIG_DFL);
	/* pipes[0..1]: the reason; [2..3]: the result; [4..5]: the log. */
	int pipes[6] = {-1, -1, -1, -1, -1, -1};
	bool logs = limits && limits->log_bytes > 0;
	if (pipe2(pipes, O_CLOEXEC) != 0 || pipe2(pipes + 2, O_CLOEXEC) != 0 ||
	    (logs && pipe2(pipes + 4, O_CLOEXEC) != 0)) {
		int e = errno;
		close_pipes(pipes);
		return nrm_fail(err, EX_OSERR, "cannot start a job: pipe: %s", strerror(e));
	}
	out->memory_limit = limits ? limits->memory_bytes : 0;
	out->log_limit = logs ? limits->log_bytes : 0;
#ifdef UNDER_ASAN
	out->memory_limit = 0;
#endif
	fflush(NULL);
	struct nrm_pid_set before;
	nrm_children_now(&before);
	long start = now_ms();
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close_pipes(pipes);
		nrm_pid_set_free(&before);
		return nrm_fail(err, EX_OSERR, "cannot start a job: fork: %s", strerror(e));
	}
	if (pid == 0)
		run_child(fn, arg, pipes, parent, limits);
	/* Also here, so the group exists before we might signal it. */
	setpgid(pid, pid);
	for (int i = 1; i < 6; i += 2)
		if (pipes[i] >= 0)
			close(pipes[i]);
	for (int i = 0; i < 6; i += 2)
		if (pipes[i] >= 0)
			fcntl(pipes[i], F_SETFL, O_NONBLOCK);
	struct watch w = {.pid = pid};
	w.ch[0] = (struct channel){.fd = pipes[0], .buf = out->message,
	                           .cap = sizeof(out->message),
	                           .limit = sizeof(out->message) - 1};
	w.ch[1] = (struct channel){.fd = pipes[2], .grows = true, .limit = NRM_JOB_MAX_RESULT};
	w.ch[2] = (struct channel){.fd = pipes[4], .forwards = true,
	                           .limit = logs ? (size_t)limits->log_bytes : 0};
#ifdef SYS_pidfd_open
	w.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#else
	w.pidfd = -1;
#endif
	if (!wait_until(&w, start + timeout) && w.over_log) {
		/* Flooding its log: no grace, it would only write more. */
		out->end = NRM_JOB_LOG_LIMIT;
		signal_group(pid, SIGKILL);
	} else if (!child_ended(&w)) {
		out->end = NRM_JOB_TIMED_OUT;
		signal_group(pid, SIGTERM);
		wait_until(&w, now_ms() + grace);
	}
	reap(&w, out);
	/* The job's process is reaped: whatever it left that a subreaper
	 * inherited is now among our children. */
	out->orphans_killed = nrm_end_orphans(&before);
	nrm_pid_set_free(&before);
	out->elapsed_ms = out->end == NRM_JOB_TIMED_OUT ? timeout : now_ms() - start;
	out->result = w.ch[1].buf;
	out->result_len = w.ch[1].len;
	out->result_truncated = w.ch[1].truncated;
	if (w.pidfd >= 0)
		close(w.pidfd);
	for (int i = 0; i < 3; i++)
		if (w.ch[i].fd >= 0)
			close(w.ch[i].fd);
	/* A reason is one line: a newline from the job would break log lines. */
	for (char *p = out->message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return 0;
}

void nrm_job_outcome_free(struct nrm_job_outcome *out)
{
	free(out->result);
	out->result = NULL;
	out->result_len = 0;
}

bool nrm_job_succeeded(const struct nrm_job_outcome *out)
{
	return out->end == NRM_JOB_EXITED && out->exit_status == 0;
}

static void describe_duration(long ms, char *buf, size_t size)
{
	if (ms >= 60000 && ms % 60000 == 0)
		snprintf(buf, size, "%ld min", ms / 60000);
	else if (ms >= 1000 && ms % 1000 == 0)
		snprintf(buf, size, "%ld s", ms / 1000);
	else
		snprintf(buf, size, "%ld ms", ms);
}

void nrm_job_describe(const struct nrm_job_outcome *out, char *buf, size_t size)
{
	char d[32];
	if (out->out_of_memory) {
		snprintf(buf, size, "ran out of memory: it used up its limit of %lld MiB",
		         out->memory_limit >> 20);
		return;
	}
	switch (out->end) {
	case NRM_JOB_SIGNALLED:
		snprintf(buf, size, "crashed with %s%s", out->signal_name,
		         out->core_dumped ? " (core dumped)" : "");
		return;
	case NRM_JOB_TIMED_OUT:
		describe_duration(out->elapsed_ms, d, sizeof(d));
		snprintf(buf, size, "timed out after %s", d);
		return;
	case NRM_JOB_LOG_LIMIT:
		snprintf(buf, size, "wrote more than its log limit of %lld bytes, and was killed",
		         out->log_limit);
		return;
	case NRM_JOB_VANISHED:
		snprintf(buf, size, "ended its process itself (exit status %d) before the job "
		         "returned: a plugin called exit()", out->exit_status);
		return;
	case NRM_JOB_EXITED:
		if (out->exit_status == 0)
			snprintf(buf, size, "succeeded");
		else if (out->message[0])
			snprintf(buf, size, "failed (exit status %d): %s", out->exit_status,
			         out->message);
		else
			snprintf(buf, size, "failed (exit status %d)", out->exit_status);
		return;
	}
	snprintf(buf, size, "ended in an unknown way");
}

/*
 * The scanner is this binary executed afresh rather than a plain fork: the
 * module's constructors then run in a process that holds none of ours (no
 * store, no lock, no half-written output), as GStreamer's plugin scanner
 * does.  The sandbox (sandbox.h) gives the process group, the time limit
 * and the kill.
 */
#include "plugin_scan.h"

#include "job_child.h"
#include "loader.h"
#include "log.h"
#include "plugin_desc.h"
#include "sandbox.h"
#include "util.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

/* The loader's message names the module; the registry adds the path itself. */
static const char *reason_only(const char *msg, const char *path)
{
	char *prefix = nrm_xasprintf("refusing plugin %s: ", path);
	size_t n = strlen(prefix);
	const char *reason = strncmp(msg, prefix, n) == 0 ? msg + n : msg;
	free(prefix);
	return reason;
}

static void send_json(int fd, json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	if (s)
		nrm_sandbox_send(fd, s, strlen(s));
	free(s);
	json_decref(j);
}

/* The examination proper, in the scanner process. */
static void examine(const char *path, int fd)
{
	struct nrm_module m;
	struct nrm_error err;
	if (nrm_module_load(path, &m, &err) != 0) {
		send_json(fd, json_pack("{s:s}", "bad", reason_only(err.msg, path)));
		return;
	}
	send_json(fd, json_pack("{s:o}", "ok", nrm_plugin_desc_to_json(m.plugin)));
}

int nrm_plugin_scan_main(const char *fd_text, const char *path)
{
	long long fd;
	if (!nrm_parse_int64(fd_text, &fd) || fd < 0 || fd > INT_MAX)
		return EX_USAGE;
	examine(path, (int)fd);
	/* The module's destructors are not ours to run: what it said is sent. */
	fflush(NULL);
	_exit(0);
}

/* In the sandbox's child: become the scanner.  When this binary cannot be
 * executed again (its file was replaced, /proc is missing), the forked
 * child examines the module itself, which still keeps a crash out of the
 * parent. */
static void cb_scan_child(void *arg, int result_fd)
{
	char *path = arg;
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	int flags = fcntl(result_fd, F_GETFD);
	if (n > 0 && flags >= 0 && fcntl(result_fd, F_SETFD, flags & ~FD_CLOEXEC) == 0) {
		self[n] = '\0';
		char fd_text[16];
		snprintf(fd_text, sizeof(fd_text), "%d", result_fd);
		char name[] = "nrmhub", flag[] = NRM_SCAN_FLAG;
		char *argv[] = {name, flag, fd_text, path, NULL};
		execv(self, argv);
	}
	examine(path, result_fd);
}

static unsigned scan_timeout_ms(void)
{
	const char *env = getenv("NRMHUB_PLUGIN_SCAN_TIMEOUT");
	long long s;
	if (env && nrm_parse_int64(env, &s) && s > 0 && s <= 3600)
		return (unsigned)s * 1000;
	return NRM_SCAN_DEFAULT_TIMEOUT_S * 1000;
}

/* Why a scanner that did not send a verdict failed. */
static json_t *failed(const struct nrm_sandbox_result *res, unsigned timeout_ms)
{
	char *what;
	if (res->end == NRM_SANDBOX_TIMED_OUT)
		what = nrm_xasprintf("it did not finish being examined within %u s (a hang?) "
		                     "and was killed", timeout_ms / 1000);
	else if (res->end == NRM_SANDBOX_DIED && res->by_signal)
		what = nrm_xasprintf("it crashed while being examined (signal %d, %s)",
		                     res->status, nrm_signal_name(res->status));
	else if (res->end == NRM_SANDBOX_NOT_RUN)
		what = nrm_xasprintf("it could not be examined: no child process (%s)",
		                     strerror(res->status));
	else
		what = nrm_xasprintf("it ended the process while being examined (exit status %d)",
		                     res->status);
	json_t *j = json_pack("{s:s}", "bad", what);
	free(what);
	/* Not the module's fault: to be tried again next run, not recorded. */
	if (res->end == NRM_SANDBOX_NOT_RUN)
		json_object_set_new(j, "transient", json_true());
	return j;
}

/* A verdict is an object with one of "ok" (an object) or "bad" (text). */
static json_t *verdict(const struct nrm_sandbox_result *res)
{
	if (res->end != NRM_SANDBOX_EXITED || !res->data_len)
		return NULL;
	json_t *j = json_loadb(res->data, res->data_len, 0, NULL);
	if (json_is_object(j) && (json_is_object(json_object_get(j, "ok")) ||
	                          json_is_string(json_object_get(j, "bad"))))
		return j;
	json_decref(j);
	return NULL;
}

json_t *nrm_plugin_scan(const char *path)
{
	unsigned timeout_ms = scan_timeout_ms();
	struct nrm_sandbox_result res;
	nrm_debug("plugin %s: examining it in a scanner process", path);
	char *arg = nrm_xstrdup(path);
	nrm_sandbox_run(cb_scan_child, arg, timeout_ms, false, &res);
	free(arg);
	json_t *j = verdict(&res);
	if (!j)
		j = failed(&res, timeout_ms);
	nrm_sandbox_result_free(&res);
	return j;
}

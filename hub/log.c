/*
 * The log: one line per message, written with a single write(2) call so that
 * lines from several processes (jobs run in children) never interleave.
 * Unattended runs may ask for JSON lines or syslog instead of text.
 */
#include "log.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

static enum nrm_log_level threshold = NRM_LOG_WARNING;
static enum nrm_log_format format = NRM_LOG_TEXT;
static char job_name[128];

void nrm_log_set_level(enum nrm_log_level level)
{
	threshold = level;
}

enum nrm_log_level nrm_log_get_level(void)
{
	return threshold;
}

/* Whether a syslog daemon listens: syslog(3) sends to _PATH_LOG and drops
 * every message, silently, when nothing is there (a container, a minimal
 * machine). */
static bool syslog_listens(void)
{
	struct stat st;
	return stat(_PATH_LOG, &st) == 0 && S_ISSOCK(st.st_mode);
}

void nrm_log_set_format(enum nrm_log_format f)
{
	if (f == NRM_LOG_SYSLOG && !syslog_listens()) {
		/* Messages must reach someone: standard error, which a service
		 * manager keeps, and one line saying why. */
		nrm_log(NRM_LOG_WARNING, "no syslog daemon listens at %s: messages go to standard "
		        "error", _PATH_LOG);
		return;
	}
	if (f == NRM_LOG_SYSLOG && format != NRM_LOG_SYSLOG)
		openlog("nrmhub", LOG_PID, LOG_USER);
	format = f;
}

void nrm_log_set_job(const char *job)
{
	snprintf(job_name, sizeof(job_name), "%s", job ? job : "");
}

static void write_all(const char *line, size_t len)
{
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

static void log_json(enum nrm_log_level level, const char *message)
{
	static const char *const names[] = {"error", "warning", "info", "debug"};
	char when[80];
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         ts.tv_nsec / 1000000);
	json_t *o = json_pack("{s:s, s:s, s:s?, s:s}", "time", when, "level", names[level],
	                      "job", job_name[0] ? job_name : NULL, "message", message);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (text) {
		size_t n = strlen(text);
		char *line = malloc(n + 2);
		if (line) {
			memcpy(line, text, n);
			line[n] = '\n';
			write_all(line, n + 1);
			free(line);
		}
	}
	free(text);
	json_decref(o);
}

void nrm_log(enum nrm_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {"", "warning: ", "", "debug: "};
	static const int priority[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};
	if (level > threshold)
		return;
	char message[2048];
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	if (m < 0)
		message[0] = '\0';
	if (format == NRM_LOG_JSON) {
		log_json(level, message);
		return;
	}
	if (format == NRM_LOG_SYSLOG) {
		if (job_name[0])
			syslog(priority[level], "%sjob %s: %s", prefix[level], job_name, message);
		else
			syslog(priority[level], "%s%s", prefix[level], message);
		return;
	}
	char line[2048 + 160];
	int n = snprintf(line, sizeof(line), "nrmhub: %s%s%s%s%s", prefix[level],
	                 job_name[0] ? "job " : "", job_name, job_name[0] ? ": " : "", message);
	size_t len = n < 0 ? 0 : (size_t)n;
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	write_all(line, len);
}

void nrm_log_report(const char *line)
{
	if (format == NRM_LOG_JSON) {
		log_json(NRM_LOG_ERROR, line);
		return;
	}
	if (format == NRM_LOG_SYSLOG) {
		syslog(LOG_ERR, "%s", line);
		return;
	}
	size_t n = strlen(line);
	char *copy = malloc(n + 1);
	if (!copy)
		return;
	memcpy(copy, line, n);
	copy[n] = '\n';
	write_all(copy, n + 1);
	free(copy);
}

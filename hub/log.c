/*
 * The log: one line per message, written with a single write(2) call so that
 * lines from several processes (jobs run in children) never interleave.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum nrm_log_level threshold = NRM_LOG_WARNING;

void nrm_log_set_level(enum nrm_log_level level)
{
	threshold = level;
}

enum nrm_log_level nrm_log_get_level(void)
{
	return threshold;
}

void nrm_log(enum nrm_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {"", "warning: ", "", "debug: "};
	if (level > threshold)
		return;
	char line[2048];
	int n = snprintf(line, sizeof(line), "nrmhub: %s", prefix[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	ssize_t w = write(STDERR_FILENO, line, len);
	(void)w;
}

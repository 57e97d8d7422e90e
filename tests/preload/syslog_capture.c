/*
 * An LD_PRELOAD stand-in for syslog(3), for the tests that must read what
 * `nrmhub --syslog` sends (tests/e2e/privacy_canary.sh): each message is
 * appended as one line to the file named by NRM_TEST_SYSLOG, so a test needs
 * no syslog daemon and never writes to the machine's own log.  glibc's
 * fortified headers turn syslog() into __syslog_chk(), so both are here.
 * The hub sends to syslog only when a daemon's socket is at _PATH_LOG
 * (hub/log.c), so this stand-in answers stat(2) for that path too: a
 * socket is there.
 */
#include <fcntl.h>
#include <paths.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

void openlog(const char *ident, int option, int facility)
{
	(void)ident;
	(void)option;
	(void)facility;
}

void closelog(void)
{
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	const char *path = getenv("NRM_TEST_SYSLOG");
	if (!path)
		return;
	char line[8192];
	int n = snprintf(line, sizeof(line), "<%d> ", priority);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(line) - 2)
		len = sizeof(line) - 2;
	line[len++] = '\n';
	/* One write with O_APPEND: lines from jobs run in children stay whole. */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	ssize_t w = write(fd, line, len);
	(void)w;
	close(fd);
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...);
void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
	(void)flag;
	va_list ap;
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
	(void)flag;
	vsyslog(priority, fmt, ap);
}

int stat(const char *path, struct stat *st)
{
	if (getenv("NRM_TEST_SYSLOG") && strcmp(path, _PATH_LOG) == 0) {
		memset(st, 0, sizeof(*st));
		st->st_mode = S_IFSOCK | 0666;
		return 0;
	}
	return fstatat(AT_FDCWD, path, st, 0);
}

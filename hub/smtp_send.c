/*
 * Sending one message over SMTP with libcurl (smtp_send.h).  libcurl
 * speaks the protocol (EHLO, STARTTLS, AUTH, MAIL FROM, RCPT TO, DATA and
 * the dot-stuffing of the body); this file builds the message, reads the
 * password, and turns libcurl's result into an error value.
 */
#include "smtp_send.h"

#include "alerts.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

/* A mail server that accepts the connection and then says nothing must
 * not hold the run: two minutes in all. */
#define SMTP_TIMEOUT_S 120L
#define PASSWORD_MAX 1024

/* The Date header, in English whatever the locale (RFC 5322 3.3). */
static void mail_date(int64_t now, char *buf, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)now;
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void append(char **buf, size_t *len, const char *text)
{
	size_t n = strlen(text);
	*buf = nrm_xrealloc(*buf, *len + n + 1);
	memcpy(*buf + *len, text, n + 1);
	*len += n;
}

char *nrm_smtp_message(const struct nrm_alerts_config *c, const char *subject,
                       const char *body, int64_t now)
{
	char date[64];
	mail_date(now, date, sizeof(date));
	char *msg = NULL;
	size_t len = 0;
	char *head = nrm_xasprintf("Date: %s\r\nFrom: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\n"
	                           "Content-Type: text/plain; charset=utf-8\r\n"
	                           "Content-Transfer-Encoding: 8bit\r\nTo: ", date, c->from, subject);
	append(&msg, &len, head);
	free(head);
	for (size_t i = 0; i < c->n_to; i++) {
		append(&msg, &len, i ? ", " : "");
		append(&msg, &len, c->to[i]);
	}
	append(&msg, &len, "\r\n\r\n");
	for (const char *p = body; *p;) {
		size_t n = strcspn(p, "\n");
		char *line = nrm_xasprintf("%.*s\r\n", (int)n, p);
		append(&msg, &len, line);
		free(line);
		p += n + (p[n] == '\n');
	}
	return msg;
}

/* The password: the file's first line.  A file others can read is
 * refused here as well as by `config check`, so a run never sends a
 * password that is no longer secret. */
static int read_password(const char *path, char **out, struct nrm_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return nrm_fail(err, EX_NOINPUT, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		close(fd);
		return nrm_fail(err, EX_NOPERM, "%s: the mail server's password file must be a file "
		                "only its owner can read (chmod 600)", path);
	}
	char buf[PASSWORD_MAX + 1];
	ssize_t n = read(fd, buf, PASSWORD_MAX);
	close(fd);
	if (n < 0)
		return nrm_fail(err, EX_IOERR, "%s: %s", path, strerror(errno));
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = nrm_xstrdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

struct reader {
	const char *text;
	size_t left;
};

static size_t read_message(char *dst, size_t size, size_t n, void *ctx)
{
	struct reader *r = ctx;
	size_t want = size * n < r->left ? size * n : r->left;
	memcpy(dst, r->text, want);
	r->text += want;
	r->left -= want;
	return want;
}

static struct curl_slist *recipients(const struct nrm_alerts_config *c)
{
	struct curl_slist *list = NULL;
	for (size_t i = 0; i < c->n_to; i++) {
		char *rcpt = nrm_xasprintf("<%s>", c->to[i]);
		list = curl_slist_append(list, rcpt);
		free(rcpt);
	}
	return list;
}

static void set_security(CURL *h, const struct nrm_alerts_config *c, const char *password)
{
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(h, CURLOPT_USE_SSL, c->starttls ? (long)CURLUSESSL_ALL
	                                                 : (long)CURLUSESSL_TRY);
	if (c->ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, password);
	}
}

int nrm_smtp_send(const struct nrm_alerts_config *c, const char *message,
                  struct nrm_error *err)
{
	char *password = NULL;
	if (c->password_file && read_password(c->password_file, &password, err) != 0)
		return -1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *h = curl_easy_init();
	if (!h) {
		free(password);
		return nrm_fail(err, EX_OSERR, "cannot start libcurl");
	}
	char from[300], why[CURL_ERROR_SIZE] = "";
	snprintf(from, sizeof(from), "<%s>", c->from);
	struct curl_slist *rcpt = recipients(c);
	struct reader r = {.text = message, .left = strlen(message)};
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	set_security(h, c, password);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
	curl_easy_setopt(h, CURLOPT_READDATA, &r);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SMTP_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, why);
	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	if (password) {
		explicit_bzero(password, strlen(password));
		free(password);
	}
	if (rc != CURLE_OK)
		return nrm_fail(err, EX_UNAVAILABLE, "%s: the mail was not sent: %s", c->url,
		                *why ? why : curl_easy_strerror(rc));
	return 0;
}

/*
 * Streams and the host table.  Input is read straight from the descriptor
 * into the plugin's buffer (plugins read in large chunks); output is gathered
 * into 64 KiB writes.
 */
#include "stream.h"

#include "case.h"
#include "codes.h"
#include "date.h"
#include "log.h"
#include "options.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define OUTPUT_BUFFER (64 * 1024)

void nrm_stream_init(struct nrm_stream *s, const char *name, int fd,
                     const struct nrm_optset *options, nrm_problem_fn on_problem, void *ctx)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->fd = fd;
	s->options = options;
	s->on_problem = on_problem;
	s->problem_ctx = ctx;
}

void nrm_stream_problem(struct nrm_stream *s, const struct nrm_pos *pos, const char *field,
                        const char *reason)
{
	struct nrm_problem p = {
		.file = s->name,
		.line = pos ? pos->line : 0,
		.column = pos ? pos->column : 0,
		.path = pos ? pos->path : NULL,
		.field = field,
		.reason = reason,
	};
	s->problems++;
	if (s->on_problem)
		s->on_problem(s->problem_ctx, &p);
}

char *nrm_problem_format(const struct nrm_problem *p)
{
	char where[64] = "";
	if (p->line && p->column)
		snprintf(where, sizeof(where), ":%llu:%llu", (unsigned long long)p->line,
		         (unsigned long long)p->column);
	else if (p->line)
		snprintf(where, sizeof(where), ":%llu", (unsigned long long)p->line);
	return nrm_xasprintf("%s%s: %s%s%s%s%s", p->file, where, p->path ? p->path : "",
	                     p->path ? ": " : "", p->field ? p->field : "",
	                     p->field ? ": " : "", p->reason);
}

static void io_problem(struct nrm_stream *s, const char *what)
{
	char *reason = nrm_xasprintf("%s failed: %s", what, strerror(errno));
	s->io_failed = true;
	nrm_stream_problem(s, NULL, NULL, reason);
	free(reason);
}

/* ---- the host table ---------------------------------------------------- */

static int host_report(nrm_stream *s, const struct nrm_pos *pos, const char *field,
                       const char *fmt, ...)
{
	va_list ap;
	char *reason;
	va_start(ap, fmt);
	if (vasprintf(&reason, fmt, ap) < 0)
		reason = NULL;
	va_end(ap);
	nrm_stream_problem(s, pos, field, reason ? reason : "(out of memory)");
	free(reason);
	return NRM_FAIL;
}

static void host_warn(nrm_stream *s, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Through the log, so --log json and --syslog carry it too. */
	nrm_warn("%s: %s", s->name, msg);
}

static ssize_t host_read(nrm_stream *s, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(s->fd, buf, len);
		if (n >= 0) {
			s->bytes += (uint64_t)n;
			return n;
		}
		if (errno != EINTR) {
			io_problem(s, "reading");
			return -1;
		}
	}
}

/* Large outputs end with an fsync, which would otherwise write the whole file
 * while the CPU idles.  Asking the kernel to start writing every few MiB
 * (without waiting) overlaps that work with the conversion; the fsync at
 * commit still makes it durable. */
#define WRITE_BEHIND_STEP (8u << 20)

static void write_behind(struct nrm_stream *s)
{
	if (!s->write_behind || s->bytes - s->written_back < WRITE_BEHIND_STEP)
		return;
	uint64_t upto = s->bytes - s->len; /* what has reached the file */
	if (upto > s->written_back) {
		sync_file_range(s->fd, (off_t)s->written_back, (off_t)(upto - s->written_back),
		                SYNC_FILE_RANGE_WRITE);
		s->written_back = upto;
	}
}

static int write_all(struct nrm_stream *s, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(s->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			io_problem(s, "writing");
			return NRM_FAIL;
		}
		p += n;
		len -= (size_t)n;
	}
	return NRM_OK;
}

int nrm_stream_flush(struct nrm_stream *s)
{
	if (s->io_failed)
		return NRM_FAIL;
	int rc = write_all(s, s->buf, s->len);
	s->len = 0;
	return rc;
}

static int host_write(nrm_stream *s, const void *data, size_t len)
{
	if (s->io_failed)
		return NRM_FAIL;
	s->bytes += len;
	if (!s->buf) {
		s->cap = OUTPUT_BUFFER;
		s->buf = nrm_xmalloc(s->cap);
	}
	if (s->len + len > s->cap && nrm_stream_flush(s) != NRM_OK)
		return NRM_FAIL;
	if (len >= s->cap) {
		int rc = write_all(s, data, len);
		write_behind(s);
		return rc;
	}
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	return NRM_OK;
}

void nrm_stream_release(struct nrm_stream *s)
{
	free(s->buf);
	s->buf = NULL;
	s->len = s->cap = 0;
}

static const char *host_name(nrm_stream *s)
{
	return s->name;
}

static const char *host_option_string(nrm_stream *s, const char *option)
{
	return nrm_optset_string(s->options, option);
}

static int64_t host_option_int(nrm_stream *s, const char *option)
{
	return nrm_optset_int(s->options, option);
}

static int host_option_bool(nrm_stream *s, const char *option)
{
	return nrm_optset_bool(s->options, option);
}

const struct nrm_host nrm_host_table = {
	.abi_major = NRM_ABI_MAJOR,
	.abi_minor = NRM_ABI_MINOR,
	.report = host_report,
	.warn = host_warn,
	.read = host_read,
	.write = host_write,
	.name = host_name,
	.option_string = host_option_string,
	.option_int = host_option_int,
	.option_bool = host_option_bool,
	.case_init = nrm_case_init,
	.date_from_ymd = nrm_date_from_ymd,
	.date_to_ymd = nrm_date_to_ymd,
	.date_parse_iso = nrm_date_parse_iso,
	.date_format_iso = nrm_date_format_iso,
	.time_parse_rfc3339 = nrm_time_parse_rfc3339,
	.time_format_rfc3339 = nrm_time_format_rfc3339,
	.code_name = nrm_code_name,
	.code_parse = nrm_code_parse,
};

/*
 * Modules for `nrmhub plugin check`, each built to fail one check.  The base
 * is a sound importer of a tiny line format, "case_id,site,YYYY-MM-DD", so
 * that only the one flaw a build enables is what the checker finds:
 *   MISBEHAVE_CRASH     crashes on a line without a comma
 *   MISBEHAVE_HANG      loops forever on a line without a comma, first
 *                       writing its PID to the FIFO $NRM_TEST_HANG_FIFO when
 *                       set, so that a test knows it hangs without a clock
 *   MISBEHAVE_PRINT     prints every record on standard output
 *   MISBEHAVE_OPTIONS   declares an option without a description
 *   MISBEHAVE_NO_DEFAULT declares a bool option without a default (the
 *                       loader accepts it; the checker does not)
 *   MISBEHAVE_MEMORY    keeps a copy of every line it has read
 *   MISBEHAVE_NO_POS    rejects bad lines without naming their position
 * With none of them it is the control, which passes every check.
 */
#include <nrmhub/plugin.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_LINE 4096

#if defined(MISBEHAVE_HANG)
#include <fcntl.h>

static void say_hanging(void)
{
	const char *fifo = getenv("NRM_TEST_HANG_FIFO");
	int fd = fifo ? open(fifo, O_WRONLY) : -1;
	if (fd >= 0) {
		dprintf(fd, "%ld\n", (long)getpid());
		close(fd);
	}
}
#endif

struct lines {
	const struct nrm_host *host;
	nrm_stream *in;
	char buf[MAX_LINE + 1];
	size_t start, end;
	uint64_t line;
	int eof;
	char *kept;  /* MISBEHAVE_MEMORY */
	size_t kept_len, kept_cap;
};

static int cb_lines_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	struct lines *l = calloc(1, sizeof(*l));
	if (!l)
		return host->report(in, NULL, NULL, "out of memory");
	l->host = host;
	l->in = in;
	*state = l;
	return NRM_OK;
}

/* The next line, NUL-terminated, in *out; 0 at the end, -1 on failure. */
static int next_line(struct lines *l, char **out)
{
	for (;;) {
		char *nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl || (l->eof && l->end > l->start)) {
			char *s = l->buf + l->start;
			size_t len = nl ? (size_t)(nl - s) : l->end - l->start;
			s[len] = '\0';
			l->start += len + (nl != NULL);
			l->line++;
			*out = s;
			return 1;
		}
		if (l->eof)
			return 0;
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
		if (l->end == MAX_LINE) {
			struct nrm_pos pos = {.line = l->line + 1, .column = 1};
			return l->host->report(l->in, &pos, NULL, "line longer than %d bytes",
			                       MAX_LINE);
		}
		ssize_t n = l->host->read(l->in, l->buf + l->end, MAX_LINE - l->end);
		if (n < 0)
			return -1;
		l->eof = n == 0;
		l->end += (size_t)n;
	}
}

static int bad_line(struct lines *l, const char *why)
{
	struct nrm_pos pos = {.line = l->line, .column = 1};
#if defined(MISBEHAVE_NO_POS)
	(void)pos;
	l->host->report(l->in, NULL, NULL, "%s", why);
#else
	l->host->report(l->in, &pos, NULL, "%s", why);
#endif
	return NRM_REJECT;
}

static int cb_lines_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	struct lines *l = state;
	char *s = NULL;
	int rc = next_line(l, &s);
	if (rc <= 0)
		return rc == 0 ? NRM_EOF : NRM_FAIL;
	where->line = l->line;
#if defined(MISBEHAVE_MEMORY)
	size_t len = strlen(s);
	if (l->kept_len + len + 1 > l->kept_cap) {
		size_t cap = (l->kept_len + len + 1) * 2;
		char *grown = realloc(l->kept, cap);
		if (!grown)
			return l->host->report(l->in, where, NULL, "out of memory");
		l->kept = grown;
		l->kept_cap = cap;
	}
	memcpy(l->kept + l->kept_len, s, len + 1);
	l->kept_len += len + 1;
#endif
	char *comma1 = strchr(s, ',');
#if defined(MISBEHAVE_CRASH)
	if (!comma1)
		raise(SIGSEGV);
#elif defined(MISBEHAVE_HANG)
	if (!comma1)
		say_hanging();
	while (!comma1)
		pause();
#endif
	if (!comma1)
		return bad_line(l, "expected case_id,site,date");
	char *comma2 = strchr(comma1 + 1, ',');
	if (!comma2)
		return bad_line(l, "expected case_id,site,date");
	*comma1 = *comma2 = '\0';
	if (l->host->date_parse_iso(comma2 + 1, strlen(comma2 + 1), &out->referral_date))
		return bad_line(l, "the date is not YYYY-MM-DD");
	out->case_id = s;
	out->site = comma1 + 1;
#if defined(MISBEHAVE_PRINT)
	printf("read line %llu\n", (unsigned long long)l->line);
#endif
	return NRM_OK;
}

static void cb_lines_close(void *state)
{
	struct lines *l = state;
	free(l->kept);
	free(l);
}

static const char *const formats[] = {"check-lines", NULL};

static const struct nrm_option_spec options[] = {
	{.name = "strict", .type = NRM_OPT_BOOL,
#if !defined(MISBEHAVE_NO_DEFAULT)
	 .default_value = "false",
#endif
#if !defined(MISBEHAVE_OPTIONS)
	 .description = "Accepted and ignored: an option for the checker to look at.",
#endif
	},
	{.name = NULL},
};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT,
	.name = "check-lines",
	.version = "0.0.1",
	.description = "A test importer of case_id,site,date lines.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_lines_open,
	.import_next = cb_lines_next,
	.import_close = cb_lines_close,
);

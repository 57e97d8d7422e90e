/*
 * example-site-csv: a complete nrmhub plugin to start a site's own adapter
 * from.  It reads and writes an invented site-local layout, "Riverside
 * children's services case list":
 *
 *   - one header line, exactly the column names below, in this order;
 *   - one case per line, fields separated by ';' (or ',' or a tab: option
 *     `delimiter`), a '\' in a field written '\\' and the delimiter '\;';
 *   - dates as dd/mm/yyyy, codes as the canonical names ("female",
 *     "ddm_panel"), several exploitation types joined with '+', two
 *     nationalities with a space, yes/no for the yes-or-unknown questions;
 *   - an empty field means "not known".
 *
 * What to copy from it for your own format:
 *   1. The options table: the hub checks every value against it before any
 *      of this code runs, and prints it with `nrmhub plugins describe`.
 *   2. Error positions: every problem goes through host->report() with the
 *      line and column (in characters) and the column's name, so a user can
 *      find it; a bad record returns NRM_REJECT and reading goes on.
 *   3. Streaming: one line is held at a time (at most `max-line-size`
 *      bytes, however long the file); export writes each record as it comes.
 *   4. Hostile input: every length is checked, nothing is assumed about the
 *      bytes; the hub then checks each record against the canonical rules
 *      (codes, dates in order, UTF-8, no control characters).
 *
 * Build it with the Makefile next to it; check it with
 *   nrmhub plugin check ./example-site-csv.so --sample sample.csv
 */
#include <nrmhub/plugin.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the layout ------------------------------------------------------ */

enum kind {
	K_TEXT,          /* a string, kept as written */
	K_DATE,          /* dd/mm/yyyy */
	K_TIME,          /* RFC 3339 date-time */
	K_CODE,          /* a canonical code name; `code` says which set */
	K_AGE,           /* a whole number */
	K_YESNO,         /* yes, no, or empty */
	K_NATIONALITY,   /* "GB" or "GB IE" */
	K_EXPLOITATION,  /* "sexual+criminal" */
};

struct column {
	const char *header;
	enum kind kind;
	size_t offset;   /* of the field in struct nrm_case */
	int code;        /* enum nrm_code_kind, for K_CODE */
};

#define AT(field) offsetof(struct nrm_case, field)

static const struct column columns[] = {
	{"case_ref", K_TEXT, AT(case_id), 0},
	{"site", K_TEXT, AT(site), 0},
	{"nrm_ref", K_TEXT, AT(nrm_ref), 0},
	{"referred_on", K_DATE, AT(referral_date), 0},
	{"first_responder", K_CODE, AT(first_responder_type), NRM_CODE_FIRST_RESPONDER},
	{"first_responder_org", K_TEXT, AT(first_responder_org), 0},
	{"la_code", K_TEXT, AT(local_authority), 0},
	{"police_code", K_TEXT, AT(police_force), 0},
	{"age", K_AGE, AT(age_at_exploitation), 0},
	{"age_disputed", K_YESNO, AT(age_disputed), 0},
	{"gender", K_CODE, AT(gender), NRM_CODE_GENDER},
	{"nationality", K_NATIONALITY, AT(nationality), 0},
	{"exploitation", K_EXPLOITATION, AT(exploitation_types), 0},
	{"county_lines", K_YESNO, AT(county_lines), 0},
	{"exploited_in", K_CODE, AT(exploitation_location), NRM_CODE_LOCATION},
	{"rg_on", K_DATE, AT(rg_decision_date), 0},
	{"rg_outcome", K_CODE, AT(rg_outcome), NRM_CODE_OUTCOME},
	{"cg_on", K_DATE, AT(cg_decision_date), 0},
	{"cg_outcome", K_CODE, AT(cg_outcome), NRM_CODE_OUTCOME},
	{"decided_by", K_CODE, AT(decision_maker), NRM_CODE_DECISION_MAKER},
	{"status", K_CODE, AT(status), NRM_CODE_STATUS},
	{"status_on", K_DATE, AT(status_date), 0},
	{"updated", K_TIME, AT(updated_at), 0},
};
#define N_COLUMNS (sizeof(columns) / sizeof(columns[0]))

/* ---- options ---------------------------------------------------------- */

static const struct nrm_option_spec options[] = {
	{
		.name = "delimiter",
		.type = NRM_OPT_CHOICE,
		.default_value = "semicolon",
		.choices = "semicolon|comma|tab",
		.description = "The character between fields.",
	},
	{
		.name = "max-line-size",
		.type = NRM_OPT_SIZE,
		.default_value = "64k",
		.min = 1024,
		.max = 16 << 20,
		.description = "The longest line accepted, in bytes; a longer one stops the file.",
	},
	{
		.name = "site",
		.type = NRM_OPT_STRING,
		.description = "The pilot site's code, for lines whose site field is empty.",
	},
	{.name = NULL},
};

static char delimiter_option(const struct nrm_host *host, nrm_stream *s)
{
	const char *d = host->option_string(s, "delimiter");
	return strcmp(d, "comma") == 0 ? ',' : strcmp(d, "tab") == 0 ? '\t' : ';';
}

/* ---- import: reading lines -------------------------------------------- */

struct reader {
	const struct nrm_host *host;
	nrm_stream *in;
	char delim;
	const char *default_site;
	char *buf;              /* max_line bytes and a NUL */
	size_t max_line, start, end;
	bool eof, header_seen;
	uint64_t line;          /* number of the line last taken */
	char *fields[N_COLUMNS];
	size_t field_start[N_COLUMNS];  /* byte offsets in the line, for columns */
	char *text;             /* the current line, unescaped in place */
};

static int cb_example_site_csv_import_open(const struct nrm_host *host, nrm_stream *in,
                                           void **state)
{
	struct reader *r = calloc(1, sizeof(*r));
	if (r)
		r->buf = malloc((size_t)host->option_int(in, "max-line-size") + 1);
	if (!r || !r->buf) {
		free(r);
		return host->report(in, NULL, NULL, "out of memory");
	}
	r->host = host;
	r->in = in;
	r->max_line = (size_t)host->option_int(in, "max-line-size");
	r->delim = delimiter_option(host, in);
	r->default_site = host->option_string(in, "site");
	*state = r;
	return NRM_OK;
}

/* Takes the next line into r->text (without its line break).  1, 0 at the
 * end of the input, or NRM_FAIL (reported). */
static int next_line(struct reader *r)
{
	for (;;) {
		char *p = r->buf + r->start;
		char *nl = memchr(p, '\n', r->end - r->start);
		if (nl || (r->eof && r->end > r->start)) {
			size_t len = nl ? (size_t)(nl - p) : r->end - r->start;
			r->start += len + (nl ? 1 : 0);
			if (len && p[len - 1] == '\r')
				len--;
			p[len] = '\0';
			r->text = p;
			r->line++;
			return 1;
		}
		if (r->eof)
			return 0;
		/* Move the unfinished line to the front and read more after it. */
		memmove(r->buf, p, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
		if (r->end >= r->max_line) {
			struct nrm_pos pos = {.line = r->line + 1, .column = 1};
			return r->host->report(r->in, &pos, NULL,
			                       "line longer than %zu bytes (option max-line-size)",
			                       r->max_line);
		}
		ssize_t n = r->host->read(r->in, r->buf + r->end, r->max_line - r->end);
		if (n < 0)
			return NRM_FAIL;
		r->eof = n == 0;
		r->end += (size_t)n;
	}
}

/* The column, in characters, of byte `offset` of the current line. */
static uint64_t column_of(const struct reader *r, size_t offset)
{
	uint64_t col = 1;
	for (size_t i = 0; i < offset; i++)
		col += ((unsigned char)r->text[i] & 0xC0) != 0x80;
	return col;
}

static int reject(struct reader *r, size_t offset, const char *field, const char *what)
{
	struct nrm_pos pos = {.line = r->line, .column = column_of(r, offset)};
	r->host->report(r->in, &pos, field, "%s", what);
	return NRM_REJECT;
}

/* Splits the line at the delimiter, undoing the escapes in place.  Columns
 * are measured before unescaping, so they match what the user sees. */
static int split(struct reader *r)
{
	char *in = r->text, *out = r->text;
	size_t n = 0;
	r->fields[0] = out;
	r->field_start[0] = 0;
	for (;; in++) {
		if (*in == '\\') {
			if (in[1] != '\\' && in[1] != r->delim)
				return reject(r, (size_t)(in - r->text), NULL,
				              "a '\\' must be followed by '\\' or the delimiter");
			*out++ = *++in;
		} else if (*in == r->delim || *in == '\0') {
			bool last = *in == '\0';
			*out++ = '\0';
			if (last)
				break;
			if (++n == N_COLUMNS)
				return reject(r, (size_t)(in - r->text), NULL, "too many fields");
			r->fields[n] = out;
			r->field_start[n] = (size_t)(in + 1 - r->text);
		} else {
			*out++ = *in;
		}
	}
	if (n + 1 != N_COLUMNS) {
		char why[64];
		snprintf(why, sizeof(why), "%zu fields, expected %zu", n + 1, N_COLUMNS);
		return reject(r, 0, NULL, why);
	}
	return NRM_OK;
}

/* The header must be the layout's, exactly; an Excel byte order mark is
 * allowed before it. */
static int check_header(struct reader *r)
{
	if (strncmp(r->text, "\xEF\xBB\xBF", 3) == 0)
		memmove(r->text, r->text + 3, strlen(r->text + 3) + 1);
	if (split(r) != NRM_OK)
		return NRM_FAIL;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (strcmp(r->fields[i], columns[i].header) != 0) {
			struct nrm_pos pos = {.line = r->line,
			                      .column = column_of(r, r->field_start[i])};
			return r->host->report(r->in, &pos, NULL, "expected the column '%s' here",
			                       columns[i].header);
		}
	}
	r->header_seen = true;
	return NRM_OK;
}

/* ---- import: one field -------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* dd/mm/yyyy exactly; the host says whether the date exists. */
static bool parse_date(const struct nrm_host *host, const char *s, int32_t *out)
{
	if (strlen(s) != 10 || s[2] != '/' || s[5] != '/' || !digits(s, 2) ||
	    !digits(s + 3, 2) || !digits(s + 6, 4))
		return false;
	int d = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	return host->date_from_ymd(atoi(s + 6), m, d, out) == NRM_OK;
}

static bool parse_code(const struct nrm_host *host, int kind, const char *s, int32_t *out)
{
	return host->code_parse(kind, s, strlen(s), out) == NRM_OK;
}

/* "sexual+criminal": canonical names joined with '+', none empty. */
static bool parse_exploitation(const struct nrm_host *host, char *s, uint32_t *out)
{
	*out = 0;
	for (char *word = s;;) {
		char *plus = strchr(word, '+');
		int32_t bit;
		if (plus)
			*plus = '\0';
		if (!parse_code(host, NRM_CODE_EXPLOITATION, word, &bit))
			return false;
		*out |= (uint32_t)bit;
		if (!plus)
			return true;
		word = plus + 1;
	}
}

static bool parse_nationality(char *s, const char **out)
{
	char *space = strchr(s, ' ');
	if (space) {
		*space = '\0';
		if (strchr(space + 1, ' '))
			return false;
		out[1] = space + 1;
	}
	out[0] = s;
	return *s && (!space || space[1]);
}

static bool parse_age(const char *s, int32_t *out)
{
	size_t len = strlen(s);
	if (len < 1 || len > 3 || strspn(s, "0123456789") != len)
		return false;
	*out = atoi(s);
	return true;
}

/* Stores field `i` (not empty) into the record; false when unreadable. */
static bool parse_field(struct reader *r, size_t i, struct nrm_case *c)
{
	const struct column *col = &columns[i];
	char *s = r->fields[i];
	char *at = (char *)c + col->offset;
	switch (col->kind) {
	case K_TEXT: *(const char **)at = s; return true;
	case K_DATE: return parse_date(r->host, s, (int32_t *)at);
	case K_TIME: return r->host->time_parse_rfc3339(s, strlen(s), (int64_t *)at) == NRM_OK;
	case K_CODE: return parse_code(r->host, col->code, s, (int32_t *)at);
	case K_AGE: return parse_age(s, (int32_t *)at);
	case K_YESNO:
		if (strcmp(s, "yes") != 0 && strcmp(s, "no") != 0)
			return false;
		*(int8_t *)at = s[0] == 'y' ? NRM_YES : NRM_NO;
		return true;
	case K_NATIONALITY: return parse_nationality(s, (const char **)at);
	case K_EXPLOITATION: return parse_exploitation(r->host, s, (uint32_t *)at);
	}
	return false;
}

static const char *const expected[] = {
	[K_TEXT] = "text", [K_DATE] = "a real date as dd/mm/yyyy",
	[K_TIME] = "a date-time such as 2025-06-30T10:15:00Z", [K_CODE] = "a code",
	[K_AGE] = "a whole number", [K_YESNO] = "yes or no",
	[K_NATIONALITY] = "one or two country codes separated by a space",
	[K_EXPLOITATION] = "exploitation types joined with '+'",
};

static int cb_example_site_csv_import_next(void *state, struct nrm_case *out,
                                           struct nrm_pos *where)
{
	struct reader *r = state;
	int rc;
	/* Blank lines are skipped; the first other line is the header. */
	while ((rc = next_line(r)) == 1 && (!r->text[0] || !r->header_seen)) {
		if (r->text[0] && check_header(r) != NRM_OK)
			return NRM_FAIL;
	}
	if (rc != 1) {
		if (rc == 0 && !r->header_seen) {
			struct nrm_pos pos = {.line = 1, .column = 1};
			return r->host->report(r->in, &pos, NULL, "empty file: expected the header");
		}
		return rc == 0 ? NRM_EOF : NRM_FAIL;
	}
	where->line = r->line;
	where->column = 1;
	if ((rc = split(r)) != NRM_OK)
		return rc;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (!r->fields[i][0])
			continue;  /* empty: not known */
		if (!parse_field(r, i, out)) {
			char why[96];
			snprintf(why, sizeof(why), "expected %s", expected[columns[i].kind]);
			return reject(r, r->field_start[i], columns[i].header, why);
		}
	}
	if (!out->site)
		out->site = r->default_site;
	return NRM_OK;
}

static void cb_example_site_csv_import_close(void *state)
{
	struct reader *r = state;
	free(r->buf);
	free(r);
}

/* ---- export ------------------------------------------------------------- */

struct writer {
	const struct nrm_host *host;
	nrm_stream *out;
	char delim;
	char *line;      /* grows to the longest record, then stays */
	size_t len, cap;
};

static bool reserve(struct writer *w, size_t more)
{
	if (w->len + more <= w->cap)
		return true;
	size_t cap = (w->len + more) * 2;
	char *grown = realloc(w->line, cap);
	if (!grown)
		return false;
	w->line = grown;
	w->cap = cap;
	return true;
}

/* Appends text, escaping '\' and the delimiter.  Line breaks need no
 * escape: the hub refuses control characters before a record is exported. */
static bool put_text(struct writer *w, const char *s)
{
	if (!reserve(w, 2 * strlen(s) + 1))
		return false;
	for (; *s; s++) {
		if (*s == '\\' || *s == w->delim)
			w->line[w->len++] = '\\';
		w->line[w->len++] = *s;
	}
	return true;
}

static bool put_date(struct writer *w, int32_t date)
{
	int y, m, d;
	char buf[32];
	if (date == NRM_DATE_NONE)
		return true;
	w->host->date_to_ymd(date, &y, &m, &d);
	snprintf(buf, sizeof(buf), "%02d/%02d/%04d", d, m, y);
	return put_text(w, buf);
}

static bool put_field(struct writer *w, const struct column *col, const struct nrm_case *c)
{
	const char *at = (const char *)c + col->offset;
	char buf[32];
	switch (col->kind) {
	case K_TEXT: return put_text(w, *(const char *const *)at ? *(const char *const *)at : "");
	case K_DATE: return put_date(w, *(const int32_t *)at);
	case K_TIME:
		if (*(const int64_t *)at == NRM_TIME_NONE)
			return true;
		w->host->time_format_rfc3339(*(const int64_t *)at, buf);
		return put_text(w, buf);
	case K_CODE: {
		const char *name = w->host->code_name(col->code, *(const int32_t *)at);
		return put_text(w, name ? name : "");
	}
	case K_AGE:
		if (*(const int32_t *)at == NRM_AGE_NONE)
			return true;
		snprintf(buf, sizeof(buf), "%d", (int)*(const int32_t *)at);
		return put_text(w, buf);
	case K_YESNO: {
		int8_t v = *(const int8_t *)at;
		return put_text(w, v == NRM_YES ? "yes" : v == NRM_NO ? "no" : "");
	}
	case K_NATIONALITY:
		return put_text(w, c->nationality[0] ? c->nationality[0] : "") &&
		       (!c->nationality[1] ||
		        (put_text(w, " ") && put_text(w, c->nationality[1])));
	case K_EXPLOITATION:
		for (uint32_t bit = 1, first = 1; bit & NRM_EXPL_ALL; bit <<= 1) {
			if (!(c->exploitation_types & bit))
				continue;
			if ((!first && !put_text(w, "+")) ||
			    !put_text(w, w->host->code_name(NRM_CODE_EXPLOITATION, (int32_t)bit)))
				return false;
			first = 0;
		}
		return true;
	}
	return false;
}

/* Writes the line built so far, with its delimiters and line break. */
static int end_line(struct writer *w)
{
	if (!reserve(w, 1))
		return w->host->report(w->out, NULL, NULL, "out of memory");
	w->line[w->len++] = '\n';
	int rc = w->host->write(w->out, w->line, w->len);
	w->len = 0;
	return rc;
}

static int cb_example_site_csv_export_open(const struct nrm_host *host, nrm_stream *out,
                                           void **state)
{
	struct writer *w = calloc(1, sizeof(*w));
	if (!w)
		return host->report(out, NULL, NULL, "out of memory");
	w->host = host;
	w->out = out;
	w->delim = delimiter_option(host, out);
	*state = w;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (!put_text(w, columns[i].header) || !reserve(w, 1))
			return host->report(out, NULL, NULL, "out of memory");
		if (i + 1 < N_COLUMNS)
			w->line[w->len++] = w->delim;
	}
	return end_line(w);
}

static int cb_example_site_csv_export_write(void *state, const struct nrm_case *c)
{
	struct writer *w = state;
	for (size_t i = 0; i < N_COLUMNS; i++) {
		if (!put_field(w, &columns[i], c) || !reserve(w, 1))
			return w->host->report(w->out, NULL, columns[i].header, "out of memory");
		if (i + 1 < N_COLUMNS)
			w->line[w->len++] = w->delim;
	}
	return end_line(w);
}

static int cb_example_site_csv_export_finish(void *state)
{
	(void)state;  /* this layout has no trailer */
	return NRM_OK;
}

static void cb_example_site_csv_export_close(void *state)
{
	struct writer *w = state;
	free(w->line);
	free(w);
}

/* ---- the descriptor: the only symbol the module exports ----------------- */

static const char *const formats[] = {"example-site-csv", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "example-site-csv",
	.version = "1.0.0",
	.description = "Template: an invented site's semicolon-separated case list, "
	               "read and written.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_example_site_csv_import_open,
	.import_next = cb_example_site_csv_import_next,
	.import_close = cb_example_site_csv_import_close,
	.export_open = cb_example_site_csv_export_open,
	.export_write = cb_example_site_csv_export_write,
	.export_finish = cb_example_site_csv_export_finish,
	.export_close = cb_example_site_csv_export_close,
);

/*
 * council-csv: imports a council case-management CSV export, as councils
 * really produce it (often saved from Excel: a byte order mark, CRLF line
 * ends, dd/mm/yyyy dates, the Home Office's own category labels).  The file
 * is tokenized by csv_reader.c; this file maps the header by name, turns each
 * cell into its canonical field and reports the values it cannot read.  The
 * canonical rules between fields (decision dates, code lists, ages) are left
 * to the hub's validator, so the two cannot disagree.  formats/council-csv.md
 * documents every column.
 */
#include <nrmhub/plugin.h>

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "council_csv_export.h"
#include "csv_reader.h"
#include "out_buffer.h"

enum column {
	COL_CASE_ID,
	COL_SITE,
	COL_NRM_REF,
	COL_REFERRAL_DATE,
	COL_FIRST_RESPONDER_TYPE,
	COL_FIRST_RESPONDER_ORG,
	COL_LOCAL_AUTHORITY,
	COL_POLICE_FORCE,
	COL_AGE,
	COL_AGE_DISPUTED,
	COL_GENDER,
	COL_NATIONALITY,
	COL_EXPLOITATION_TYPES,
	COL_COUNTY_LINES,
	COL_EXPLOITATION_LOCATION,
	COL_RG_DATE,
	COL_RG_OUTCOME,
	COL_CG_DATE,
	COL_CG_OUTCOME,
	COL_DECISION_MAKER,
	COL_STATUS,
	COL_STATUS_DATE,
	COL_UPDATED_AT,
	COL_DATE_OF_BIRTH,
	COL_COUNT,
	COL_IGNORED = -1,
};

static const struct {
	const char *header; /* as councils write it; matched case-insensitively */
	const char *field;  /* the canonical field, named in messages */
} columns[COL_COUNT] = {
	[COL_CASE_ID] = {"Case ID", "case_id"},
	[COL_SITE] = {"Site", "site"},
	[COL_NRM_REF] = {"NRM Reference", "nrm_ref"},
	[COL_REFERRAL_DATE] = {"Referral Date", "referral_date"},
	[COL_FIRST_RESPONDER_TYPE] = {"First Responder Type", "first_responder_type"},
	[COL_FIRST_RESPONDER_ORG] = {"First Responder Organisation", "first_responder_org"},
	[COL_LOCAL_AUTHORITY] = {"Local Authority Code", "local_authority"},
	[COL_POLICE_FORCE] = {"Police Force Code", "police_force"},
	[COL_AGE] = {"Age at Exploitation", "age_at_exploitation"},
	[COL_AGE_DISPUTED] = {"Age Disputed", "age_disputed"},
	[COL_GENDER] = {"Gender", "gender"},
	[COL_NATIONALITY] = {"Nationality", "nationality"},
	[COL_EXPLOITATION_TYPES] = {"Exploitation Type", "exploitation_types"},
	[COL_COUNTY_LINES] = {"County Lines", "county_lines"},
	[COL_EXPLOITATION_LOCATION] = {"Exploitation Location", "exploitation_location"},
	[COL_RG_DATE] = {"RG Decision Date", "rg_decision_date"},
	[COL_RG_OUTCOME] = {"RG Outcome", "rg_outcome"},
	[COL_CG_DATE] = {"CG Decision Date", "cg_decision_date"},
	[COL_CG_OUTCOME] = {"CG Outcome", "cg_outcome"},
	[COL_DECISION_MAKER] = {"Decision Maker", "decision_maker"},
	[COL_STATUS] = {"Status", "status"},
	[COL_STATUS_DATE] = {"Status Date", "status_date"},
	[COL_UPDATED_AT] = {"Last Updated", "updated_at"},
	[COL_DATE_OF_BIRTH] = {"Date of Birth", "date_of_birth"},
};

/* Longest label worth normalising; anything longer is not a code. */
#define WORD_MAX 48
/* How much of an unknown column's name a warning shows. */
#define HEADER_SHOWN_MAX 40

/* The last few cells read in a coded column and what they meant: exports
 * repeat a handful of labels, so most cells cost a compare, not a lookup. */
#define MEMO_BITS 4
#define MEMO_WAYS (1u << MEMO_BITS)
struct memo {
	bool set;
	uint8_t len;
	int32_t value;
	char text[WORD_MAX];
};

struct column_memo {
	unsigned next; /* the way to replace next when all are taken */
	struct memo way[MEMO_WAYS];
};

struct council_csv {
	const struct nrm_host *host;
	nrm_stream *in;
	struct csv_reader *reader;
	const char *site_option; /* owned by the hub, lives for the run */
	size_t max_field_size;
	size_t max_columns;

	bool header_read;
	size_t ncolumns;      /* fields every record must have */
	signed char *column_of; /* header position -> enum column */
	uint64_t records;     /* records after the header, good or bad */

	/* The current record's strings; reused, valid until the next call. */
	char *arena;
	size_t arena_len, arena_cap;

	/* Where the current record starts, for reports. */
	struct nrm_pos pos;

	struct column_memo memo[COL_COUNT];
};

/* ---- small text helpers ------------------------------------------------ */

/* Spaces, tabs and line breaks: a cell edited in Excel often ends in one. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_line_break(char c)
{
	return c == '\r' || c == '\n';
}

/* Inline: it runs on every cell, and most cells have nothing to trim. */
static inline void trim(const char **text, size_t *len)
{
	const char *s = *text;
	size_t n = *len;
	if (n == 0 || (!is_blank(s[0]) && !is_blank(s[n - 1])))
		return;
	while (n && is_blank(s[0])) {
		s++;
		n--;
	}
	while (n && is_blank(s[n - 1]))
		n--;
	*text = s;
	*len = n;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool same_words(const char *a, size_t alen, const char *b)
{
	return strlen(b) == alen && strncasecmp(a, b, alen) == 0;
}

/*
 * Turns a label into the canonical spelling: lower case, runs of spaces and
 * hyphens as one '_' ("UK and Overseas" -> "uk_and_overseas", "DDM panel" ->
 * "ddm_panel").  False when it is too long to be any code.
 */
static bool normalise(const char *text, size_t len, char out[WORD_MAX + 1], size_t *outlen)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (is_blank(c) || c == '-' || c == '_') {
			if (n && out[n - 1] == '_')
				continue;
			c = '_';
		} else {
			c = ascii_lower(c);
		}
		if (n == WORD_MAX)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	*outlen = n;
	return true;
}

/* The spellings of "we do not know" that councils use for any coded value. */
static bool means_unknown(const char *word)
{
	static const char *const unknown[] = {
		"unknown", "not_specified", "not_specified_or_unknown", "not_known",
	};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (strcmp(word, unknown[i]) == 0)
			return true;
	return false;
}

/* ---- the per-record string arena --------------------------------------- */

/* Makes room for a whole record's strings at once, so pointers handed out
 * during the record never move. */
static int arena_reset(struct council_csv *st, size_t need)
{
	st->arena_len = 0;
	if (need <= st->arena_cap)
		return 0;
	size_t cap = st->arena_cap ? st->arena_cap : 4096;
	while (cap < need)
		cap *= 2;
	char *arena = realloc(st->arena, cap);
	if (!arena)
		return -1;
	st->arena = arena;
	st->arena_cap = cap;
	return 0;
}

/* LINES_AS_SPACES is for names typed over several lines of a cell (Alt+Enter
 * in Excel): the canonical case allows no control characters in them. */
enum text_case { AS_IS, LOWER, UPPER, LINES_AS_SPACES };

static bool has_line_break(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (is_line_break(text[i]))
			return true;
	return false;
}

static const char *arena_put(struct council_csv *st, const char *text, size_t len,
                             enum text_case how)
{
	char *out = st->arena + st->arena_len;
	size_t n = 0;
	/* Text kept as it is, the usual case, is one copy. */
	if (how == AS_IS || (how == LINES_AS_SPACES && !has_line_break(text, len))) {
		memcpy(out, text, len);
		out[len] = '\0';
		st->arena_len += len + 1;
		return out;
	}
	for (size_t i = 0; i < len; i++) {
		char c = text[i];
		if (how == LOWER) {
			c = ascii_lower(c);
		} else if (how == UPPER) {
			c = ascii_upper(c);
		} else if (how == LINES_AS_SPACES && is_line_break(c)) {
			/* One space for a whole run of breaks and the spaces around them. */
			while (n && out[n - 1] == ' ')
				n--;
			while (i + 1 < len && is_blank(text[i + 1]))
				i++;
			c = ' ';
		}
		out[n++] = c;
	}
	out[n] = '\0';
	st->arena_len += n + 1;
	return out;
}

/* ---- reporting ----------------------------------------------------------- */

static int reject(struct council_csv *st, enum column col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports a bad value in the current record: the record is rejected. */
static int reject(struct council_csv *st, enum column col, const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	st->host->report(st->in, &st->pos, columns[col].field, "%s", reason);
	return NRM_REJECT;
}

/* Reports a tokenizer error, with the limit's option name where one applies. */
static void report_csv_error(struct council_csv *st)
{
	const struct csv_error *e = csv_reader_error(st->reader);
	struct nrm_pos at = {.line = e->line, .column = e->column};
	switch (e->kind) {
	case CSV_ERR_READ:
		return; /* the hub has reported the I/O error itself */
	case CSV_ERR_FIELD_TOO_LONG:
		st->host->report(st->in, &at, NULL,
		                 "field longer than %zu bytes (the max-field-size option)",
		                 st->max_field_size);
		return;
	case CSV_ERR_TOO_MANY_COLUMNS:
		st->host->report(st->in, &at, NULL,
		                 "more than %zu columns (the max-columns option)",
		                 st->max_columns);
		return;
	default:
		st->host->report(st->in, &at, NULL, "%s", e->reason);
		return;
	}
}

/* ---- values -------------------------------------------------------------- */

static inline bool same_word(const char *a, const char *b)
{
	uint64_t wa, wb;
	memcpy(&wa, a, sizeof(wa));
	memcpy(&wb, b, sizeof(wb));
	return wa == wb;
}

static inline bool same_half_word(const char *a, const char *b)
{
	uint32_t wa, wb;
	memcpy(&wa, a, sizeof(wa));
	memcpy(&wb, b, sizeof(wb));
	return wa == wb;
}

/* Whether a and b hold the same n bytes.  Memo labels are short, so a few
 * compares of whole words (the last one overlapping the one before it) beat
 * a call to memcmp, and unlike a byte loop take the same path for most
 * lengths. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8)
			if (!same_word(a + i, b + i))
				return false;
		return same_word(a + n - 8, b + n - 8);
	}
	if (n >= 4)
		return same_half_word(a, b) && same_half_word(a + n - 4, b + n - 4);
	/* 0 to 3 bytes: the first, middle and last cover them all. */
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/*
 * The way a cell's text is looked for first: a hash of its length and first
 * and last bytes (Fibonacci hashing).  A label is stored at its home way or
 * the first free one after it, so a lookup nearly always ends at the first
 * way it tries, which keeps the processor's guesses right.
 */
static inline unsigned memo_home(const char *s, size_t len)
{
	uint32_t key = (uint32_t)len << 16 | (uint32_t)(unsigned char)s[0] << 8 |
	               (unsigned char)s[len - 1];
	return (uint32_t)(key * UINT32_C(0x9E3779B1)) >> (32 - MEMO_BITS);
}

static inline bool memo_get(const struct council_csv *st, enum column col, const char *s,
                     size_t len, int32_t *value)
{
	const struct column_memo *cm = &st->memo[col];
	unsigned home = memo_home(s, len);
	for (unsigned i = 0; i < MEMO_WAYS; i++) {
		const struct memo *m = &cm->way[(home + i) % MEMO_WAYS];
		/* Length and first byte first: they tell most labels apart. */
		if (m->set && m->len == len && m->text[0] == s[0] &&
		    same_bytes(m->text, s, len)) {
			*value = m->value;
			return true;
		}
	}
	return false;
}

static void memo_put(struct council_csv *st, enum column col, const char *s, size_t len,
                     int32_t value)
{
	struct column_memo *cm = &st->memo[col];
	if (len > sizeof(cm->way[0].text))
		return;
	unsigned home = memo_home(s, len), i = 0;
	while (i < MEMO_WAYS && cm->way[(home + i) % MEMO_WAYS].set)
		i++;
	struct memo *m;
	if (i < MEMO_WAYS) {
		m = &cm->way[(home + i) % MEMO_WAYS];
	} else {
		m = &cm->way[cm->next];
		cm->next = (cm->next + 1) % MEMO_WAYS;
	}
	memcpy(m->text, s, len);
	m->len = (uint8_t)len;
	m->value = value;
	m->set = true;
}

/* Parses 1 to `max` digits; false on anything else. */
static bool parse_digits(const char *s, size_t len, size_t max, int *out)
{
	if (len == 0 || len > max)
		return false;
	int v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

enum date_result { DATE_OK, DATE_MALFORMED, DATE_NOT_REAL };

/* The value of the two digits at s, or -1. */
static inline int two_digits(const char *s)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* dd/mm/yyyy with every digit present, the shape Excel writes nearly every
 * date in: fixed positions, no searching.  False for anything else, which
 * the general parser then reads (or refuses) exactly as before. */
static inline bool parse_full_uk_date(const char *s, size_t len, int *y, int *m, int *d)
{
	if (len != 10 || s[2] != '/' || s[5] != '/')
		return false;
	int dd = two_digits(s), mm = two_digits(s + 3);
	int cc = two_digits(s + 6), yy = two_digits(s + 8);
	if (dd < 0 || mm < 0 || cc < 0 || yy < 0)
		return false;
	*d = dd;
	*m = mm;
	*y = cc * 100 + yy;
	return true;
}

/* dd/mm/yyyy (or d/m/yyyy), as Excel writes UK dates, or yyyy-mm-dd. */
static enum date_result parse_date(const struct nrm_host *host, const char *s, size_t len,
                                   int32_t *out)
{
	int y, m, d;
	if (parse_full_uk_date(s, len, &y, &m, &d)) {
		/* read; the host checks it is a real date below */
	} else if (len == 10 && s[4] == '-' && s[7] == '-') {
		if (!parse_digits(s, 4, 4, &y) || !parse_digits(s + 5, 2, 2, &m) ||
		    !parse_digits(s + 8, 2, 2, &d))
			return DATE_MALFORMED;
	} else {
		const char *slash1 = memchr(s, '/', len);
		const char *slash2 = slash1 ? memchr(slash1 + 1, '/', len - (size_t)(slash1 + 1 - s)) : NULL;
		if (!slash2)
			return DATE_MALFORMED;
		size_t dlen = (size_t)(slash1 - s), mlen = (size_t)(slash2 - slash1 - 1);
		size_t ylen = len - (size_t)(slash2 + 1 - s);
		if (!parse_digits(s, dlen, 2, &d) || !parse_digits(slash1 + 1, mlen, 2, &m) ||
		    ylen != 4 || !parse_digits(slash2 + 1, ylen, 4, &y))
			return DATE_MALFORMED;
	}
	return host->date_from_ymd(y, m, d, out) == NRM_OK ? DATE_OK : DATE_NOT_REAL;
}

static int read_date(struct council_csv *st, enum column col, const char *s, size_t len,
                     int32_t *out)
{
	switch (parse_date(st->host, s, len, out)) {
	case DATE_OK:
		return NRM_OK;
	case DATE_NOT_REAL:
		/* Only digits and separators: safe to quote. */
		return reject(st, col, "%.*s is not a real date", (int)len, s);
	default:
		return reject(st, col, "expected a date as dd/mm/yyyy or yyyy-mm-dd");
	}
}

/* RFC 3339 with a zone, converted to UTC; or a bare date, meaning midnight UTC. */
static int read_time(struct council_csv *st, const char *s, size_t len, int64_t *out)
{
	if (st->host->time_parse_rfc3339(s, len, out) == NRM_OK)
		return NRM_OK;
	int32_t date;
	switch (parse_date(st->host, s, len, &date)) {
	case DATE_OK:
		*out = (int64_t)date * 86400;
		return NRM_OK;
	case DATE_NOT_REAL:
		return reject(st, COL_UPDATED_AT, "%.*s is not a real date", (int)len, s);
	default:
		return reject(st, COL_UPDATED_AT,
		              "expected an RFC 3339 date-time with a time zone "
		              "(2025-06-30T09:15:00Z) or a date");
	}
}

static bool parse_tristate(const char *s, size_t len, int32_t *out)
{
	static const char *const yes[] = {"y", "yes", "true"};
	static const char *const no[] = {"n", "no", "false"};
	for (size_t i = 0; i < 3; i++) {
		if (same_words(s, len, yes[i])) {
			*out = NRM_YES;
			return true;
		}
		if (same_words(s, len, no[i])) {
			*out = NRM_NO;
			return true;
		}
	}
	char word[WORD_MAX + 1];
	size_t n;
	if (normalise(s, len, word, &n) && means_unknown(word)) {
		*out = NRM_UNKNOWN;
		return true;
	}
	return false;
}

static int read_tristate(struct council_csv *st, enum column col, const char *s, size_t len,
                         int8_t *out)
{
	int32_t value;
	if (!memo_get(st, col, s, len, &value)) {
		if (!parse_tristate(s, len, &value))
			return reject(st, col, "expected Y, N, Yes, No, True or False");
		memo_put(st, col, s, len, value);
	}
	*out = (int8_t)value;
	return NRM_OK;
}

/*
 * A coded value: the Home Office label or the canonical word, in any case,
 * or one of the `aliases` (normalised spellings), or a word for "unknown",
 * which leaves *out as it is.
 */
struct alias {
	const char *word;
	int32_t value;
};

static bool parse_code(const struct nrm_host *host, int kind, const char *s, size_t len,
                       const struct alias *aliases, int32_t *out)
{
	char word[WORD_MAX + 1];
	size_t n;
	if (!normalise(s, len, word, &n))
		return false;
	for (const struct alias *a = aliases; a && a->word; a++) {
		if (strcmp(word, a->word) == 0) {
			*out = a->value;
			return true;
		}
	}
	return host->code_parse(kind, word, n, out) == NRM_OK || means_unknown(word);
}

static int read_code(struct council_csv *st, enum column col, int kind, const char *s,
                     size_t len, const struct alias *aliases, const char *expected,
                     int32_t *out)
{
	int32_t value = *out; /* the record's "unknown", kept for "Not specified" */
	if (!memo_get(st, col, s, len, &value)) {
		if (!parse_code(st->host, kind, s, len, aliases, &value))
			return reject(st, col, "expected %s", expected);
		memo_put(st, col, s, len, value);
	}
	*out = value;
	return NRM_OK;
}

static int read_age(struct council_csv *st, const char *s, size_t len, int32_t *out)
{
	int age;
	/* Any whole number passes: the hub's validator owns the 0..17 rule. */
	if (!parse_digits(s, len, 3, &age))
		return reject(st, COL_AGE, "expected a whole number of years");
	*out = age;
	return NRM_OK;
}

/* One or two ISO 3166-1 alpha-2 codes separated by ';'.  Whether a code is
 * in the list is the hub's rule; its shape is checked here. */
static int read_nationality(struct council_csv *st, const char *s, size_t len,
                            struct nrm_case *c)
{
	size_t count = 0;
	for (size_t at = 0; at <= len;) {
		const char *semi = memchr(s + at, ';', len - at);
		size_t stop = semi ? (size_t)(semi - s) : len;
		const char *code = s + at;
		size_t n = stop - at;
		trim(&code, &n);
		if (n) {
			bool letters = n == 2;
			for (size_t i = 0; letters && i < n; i++)
				letters = (ascii_upper(code[i]) >= 'A' && ascii_upper(code[i]) <= 'Z');
			if (!letters)
				return reject(st, COL_NATIONALITY,
				              "expected ISO 3166-1 two-letter country codes "
				              "separated by ';'");
			if (count == 2)
				return reject(st, COL_NATIONALITY,
				              "more than two nationalities are given");
			c->nationality[count++] = arena_put(st, code, n, UPPER);
		}
		at = stop + 1;
	}
	return NRM_OK;
}

/* Home Office labels joined as "Sexual, Labour & Criminal", or canonical words
 * separated by ';'.  "Not specified or unknown" alone is the empty set. */
static int read_exploitation(struct council_csv *st, const char *s, size_t len,
                             uint32_t *out)
{
	int32_t memo;
	if (memo_get(st, COL_EXPLOITATION_TYPES, s, len, &memo)) {
		*out = (uint32_t)memo;
		return NRM_OK;
	}
	char word[WORD_MAX + 1];
	size_t n;
	if (normalise(s, len, word, &n) && means_unknown(word)) {
		memo_put(st, COL_EXPLOITATION_TYPES, s, len, 0);
		return NRM_OK;
	}
	uint32_t types = 0;
	for (size_t at = 0; at < len;) {
		size_t stop = at;
		while (stop < len && s[stop] != ',' && s[stop] != '&' && s[stop] != ';')
			stop++;
		const char *label = s + at;
		size_t label_len = stop - at;
		trim(&label, &label_len);
		int32_t bit;
		if (label_len) {
			if (!normalise(label, label_len, word, &n) ||
			    st->host->code_parse(NRM_CODE_EXPLOITATION, word, n, &bit) != NRM_OK)
				return reject(st, COL_EXPLOITATION_TYPES,
				              "expected Criminal, Domestic, Labour, Sexual or "
				              "Organ Harvesting, joined with ',' and '&', or "
				              "'Not specified or unknown'");
			types |= (uint32_t)bit;
		}
		at = stop + 1;
	}
	memo_put(st, COL_EXPLOITATION_TYPES, s, len, (int32_t)types);
	*out = types;
	return NRM_OK;
}

static const struct alias first_responder_aliases[] = {
	{"ngo_and_third_sector", NRM_FR_NGO},
	{NULL, 0},
};
static const struct alias gender_aliases[] = {
	{"f", NRM_GENDER_FEMALE},
	{"m", NRM_GENDER_MALE},
	{NULL, 0},
};
static const struct alias rg_outcome_aliases[] = {
	{"positive_reasonable_grounds", NRM_OUTCOME_POSITIVE},
	{"negative_reasonable_grounds", NRM_OUTCOME_NEGATIVE},
	{NULL, 0},
};
static const struct alias cg_outcome_aliases[] = {
	{"positive_conclusive_grounds", NRM_OUTCOME_POSITIVE},
	{"negative_conclusive_grounds", NRM_OUTCOME_NEGATIVE},
	{NULL, 0},
};
static const struct alias decision_maker_aliases[] = {
	{"ddm", NRM_DM_DDM_PANEL},
	{NULL, 0},
};

/* Sets one canonical field from one non-empty, trimmed cell. */
static int read_cell(struct council_csv *st, enum column col, const char *s, size_t len,
                     struct nrm_case *c)
{
	switch (col) {
	case COL_CASE_ID:
		c->case_id = arena_put(st, s, len, AS_IS);
		return NRM_OK;
	case COL_SITE:
		c->site = arena_put(st, s, len, LOWER);
		return NRM_OK;
	case COL_NRM_REF:
		c->nrm_ref = arena_put(st, s, len, AS_IS);
		return NRM_OK;
	case COL_REFERRAL_DATE:
		return read_date(st, col, s, len, &c->referral_date);
	case COL_FIRST_RESPONDER_TYPE:
		return read_code(st, col, NRM_CODE_FIRST_RESPONDER, s, len,
		                 first_responder_aliases,
		                 "Government agency, NGO and third sector, Police or "
		                 "Local Authority", &c->first_responder_type);
	case COL_FIRST_RESPONDER_ORG:
		c->first_responder_org = arena_put(st, s, len, LINES_AS_SPACES);
		return NRM_OK;
	case COL_LOCAL_AUTHORITY:
		c->local_authority = arena_put(st, s, len, UPPER);
		return NRM_OK;
	case COL_POLICE_FORCE:
		c->police_force = arena_put(st, s, len, UPPER);
		return NRM_OK;
	case COL_AGE:
		return read_age(st, s, len, &c->age_at_exploitation);
	case COL_AGE_DISPUTED:
		return read_tristate(st, col, s, len, &c->age_disputed);
	case COL_GENDER:
		return read_code(st, col, NRM_CODE_GENDER, s, len, gender_aliases,
		                 "Female, Male, Other or Not specified", &c->gender);
	case COL_NATIONALITY:
		return read_nationality(st, s, len, c);
	case COL_EXPLOITATION_TYPES:
		return read_exploitation(st, s, len, &c->exploitation_types);
	case COL_COUNTY_LINES:
		return read_tristate(st, col, s, len, &c->county_lines);
	case COL_EXPLOITATION_LOCATION:
		return read_code(st, col, NRM_CODE_LOCATION, s, len, NULL,
		                 "UK, Overseas, UK and Overseas or Not specified or unknown",
		                 &c->exploitation_location);
	case COL_RG_DATE:
		return read_date(st, col, s, len, &c->rg_decision_date);
	case COL_RG_OUTCOME:
		return read_code(st, col, NRM_CODE_OUTCOME, s, len, rg_outcome_aliases,
		                 "Positive or Negative", &c->rg_outcome);
	case COL_CG_DATE:
		return read_date(st, col, s, len, &c->cg_decision_date);
	case COL_CG_OUTCOME:
		return read_code(st, col, NRM_CODE_OUTCOME, s, len, cg_outcome_aliases,
		                 "Positive or Negative", &c->cg_outcome);
	case COL_DECISION_MAKER:
		return read_code(st, col, NRM_CODE_DECISION_MAKER, s, len,
		                 decision_maker_aliases, "DDM panel, SCA or IECA",
		                 &c->decision_maker);
	case COL_STATUS:
		return read_code(st, col, NRM_CODE_STATUS, s, len, NULL,
		                 "Open, Withdrawn or Transferred", &c->status);
	case COL_STATUS_DATE:
		return read_date(st, col, s, len, &c->status_date);
	case COL_UPDATED_AT:
		return read_time(st, s, len, &c->updated_at);
	case COL_DATE_OF_BIRTH:
		return read_date(st, col, s, len, &c->date_of_birth);
	default:
		return NRM_OK;
	}
}

static int map_record(struct council_csv *st, const struct csv_field *fields, size_t count,
                      struct nrm_case *c)
{
	if (count != st->ncolumns) {
		st->host->report(st->in, &st->pos, NULL,
		                 "expected %zu fields as in the header, found %zu",
		                 st->ncolumns, count);
		return NRM_REJECT;
	}
	size_t need = count;
	for (size_t i = 0; i < count; i++)
		need += fields[i].len;
	if (arena_reset(st, need) < 0)
		return st->host->report(st->in, &st->pos, NULL, "out of memory");
	for (size_t i = 0; i < count; i++) {
		int col = st->column_of[i];
		if (col == COL_IGNORED)
			continue;
		const char *s = fields[i].data;
		size_t len = fields[i].len;
		trim(&s, &len);
		if (len == 0)
			continue; /* an empty cell is an unknown value */
		int rc = read_cell(st, (enum column)col, s, len, c);
		if (rc != NRM_OK)
			return rc;
	}
	if (!c->site)
		c->site = st->site_option;
	return NRM_OK;
}

/* ---- the header ------------------------------------------------------------ */

static int header_column(const char *s, size_t len)
{
	trim(&s, &len);
	for (int col = 0; col < COL_COUNT; col++)
		if (same_words(s, len, columns[col].header))
			return col;
	return COL_IGNORED;
}

/* Appends a column's name to a warning, without control characters and cut
 * short if long, since it is text from the file. */
static void append_shown_name(char *out, size_t *used, const char *s, size_t len)
{
	trim(&s, &len);
	size_t shown = len > HEADER_SHOWN_MAX ? HEADER_SHOWN_MAX : len;
	for (size_t i = 0; i < shown; i++) {
		unsigned char ch = (unsigned char)s[i];
		out[(*used)++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	if (shown < len) {
		memcpy(out + *used, "...", 3);
		*used += 3;
	}
	out[*used] = '\0';
}

static void warn_unknown_columns(struct council_csv *st, const struct csv_field *fields,
                                 size_t count)
{
	size_t unknown = 0;
	for (size_t i = 0; i < count; i++)
		unknown += st->column_of[i] == COL_IGNORED;
	if (!unknown)
		return;
	char *list = malloc(unknown * (HEADER_SHOWN_MAX + 40) + 1);
	if (!list)
		return;
	size_t used = 0;
	list[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		if (st->column_of[i] != COL_IGNORED)
			continue;
		if (used) {
			memcpy(list + used, ", ", 2);
			used += 2;
		}
		const char *s = fields[i].data;
		size_t len = fields[i].len;
		trim(&s, &len);
		if (len)
			append_shown_name(list, &used, s, len);
		else
			used += (size_t)sprintf(list + used, "(unnamed column %zu)", i + 1);
	}
	st->host->warn(st->in, "ignoring unknown columns: %s", list);
	free(list);
}

#define WRONG_FORMAT_HINT "is --from right? 'nrmhub plugins' lists the formats"

/* A header that cannot be read at all is most likely another format. */
static void report_header_error(struct council_csv *st)
{
	const struct csv_error *e = csv_reader_error(st->reader);
	if (e->kind == CSV_ERR_READ || e->kind == CSV_ERR_FIELD_TOO_LONG ||
	    e->kind == CSV_ERR_TOO_MANY_COLUMNS) {
		report_csv_error(st);
		return;
	}
	struct nrm_pos at = {.line = e->line, .column = e->column};
	st->host->report(st->in, &at, NULL, "%s (is this a CSV file? " WRONG_FORMAT_HINT ")",
	                 e->reason);
}

static int check_required_columns(struct council_csv *st, const int *position)
{
	static const enum column required[] = {COL_CASE_ID, COL_REFERRAL_DATE, COL_SITE};
	char missing[200] = "";
	size_t n = 0;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		enum column col = required[i];
		if (position[col] >= 0 || (col == COL_SITE && st->site_option))
			continue;
		size_t used = strlen(missing);
		snprintf(missing + used, sizeof(missing) - used, "%s'%s'", n ? ", " : "",
		         columns[col].header);
		n++;
	}
	if (!n)
		return NRM_OK;
	struct nrm_pos at = {.line = 1};
	st->host->report(st->in, &at, NULL, "missing required column%s %s%s", n > 1 ? "s" : "",
	                 missing,
	                 position[COL_SITE] < 0 && !st->site_option
	                         ? " (give the site with --option site=CODE when the file "
	                           "has no Site column)"
	                         : "");
	return NRM_FAIL;
}

static int read_header(struct council_csv *st)
{
	const struct csv_field *fields;
	size_t count;
	uint64_t line = 1;
	st->header_read = true;
	int rc = csv_reader_next(st->reader, &fields, &count, &line);
	if (rc == CSV_EOF) {
		struct nrm_pos at = {.line = 1};
		return st->host->report(st->in, &at, NULL, "empty file: expected a header line");
	}
	if (rc != CSV_RECORD) {
		report_header_error(st);
		return NRM_FAIL;
	}
	st->column_of = malloc(count);
	if (!st->column_of)
		return st->host->report(st->in, NULL, NULL, "out of memory");
	st->ncolumns = count;
	int position[COL_COUNT];
	for (int col = 0; col < COL_COUNT; col++)
		position[col] = -1;
	for (size_t i = 0; i < count; i++) {
		int col = header_column(fields[i].data, fields[i].len);
		st->column_of[i] = (signed char)col;
		if (col == COL_IGNORED)
			continue;
		if (position[col] >= 0) {
			struct nrm_pos at = {.line = line};
			return st->host->report(st->in, &at, columns[col].field,
			                        "the column '%s' appears twice (columns %d and %zu)",
			                        columns[col].header, position[col] + 1, i + 1);
		}
		position[col] = (int)i;
	}
	bool any_known = false;
	for (int col = 0; col < COL_COUNT; col++)
		any_known = any_known || position[col] >= 0;
	if (!any_known) {
		struct nrm_pos at = {.line = line};
		return st->host->report(st->in, &at, NULL, "no column of a council CSV export "
		                        "in the header (" WRONG_FORMAT_HINT ")");
	}
	if (check_required_columns(st, position) != NRM_OK)
		return NRM_FAIL;
	warn_unknown_columns(st, fields, count);
	return NRM_OK;
}

/* ---- the plugin's callbacks -------------------------------------------- */

static ssize_t read_input(void *ctx, void *buf, size_t len)
{
	struct council_csv *st = ctx;
	return st->host->read(st->in, buf, len);
}

static char delimiter_of(const char *choice)
{
	if (choice && strcmp(choice, "semicolon") == 0)
		return ';';
	if (choice && strcmp(choice, "tab") == 0)
		return '\t';
	return ',';
}

static int cb_council_import_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	struct council_csv *st = calloc(1, sizeof(*st));
	if (!st)
		return host->report(in, NULL, NULL, "out of memory");
	st->host = host;
	st->in = in;
	st->site_option = host->option_string(in, "site");
	st->max_field_size = (size_t)host->option_int(in, "max-field-size");
	st->max_columns = (size_t)host->option_int(in, "max-columns");
	struct csv_options opts = {
		.delimiter = delimiter_of(host->option_string(in, "delimiter")),
		.max_field_size = st->max_field_size,
		.max_columns = st->max_columns,
	};
	st->reader = csv_reader_new(read_input, st, &opts);
	if (!st->reader) {
		free(st);
		return host->report(in, NULL, NULL, "out of memory");
	}
	*state = st;
	return NRM_OK;
}

static int cb_council_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	struct council_csv *st = state;
	if (!st->header_read && read_header(st) != NRM_OK)
		return NRM_FAIL;
	const struct csv_field *fields;
	size_t count;
	uint64_t line = 0;
	int rc = csv_reader_next(st->reader, &fields, &count, &line);
	if (rc == CSV_EOF) {
		if (st->records)
			return NRM_EOF;
		uint64_t next = csv_reader_line(st->reader);
		struct nrm_pos at = {.line = next > 1 ? next : 2};
		return st->host->report(st->in, &at, NULL, "no records after the header");
	}
	if (rc == CSV_FATAL) {
		report_csv_error(st);
		return NRM_FAIL;
	}
	st->records++;
	memset(&st->pos, 0, sizeof(st->pos));
	st->pos.line = line;
	where->line = line;
	if (rc == CSV_BAD_RECORD) {
		report_csv_error(st);
		return NRM_REJECT;
	}
	return map_record(st, fields, count, out);
}

static void cb_council_import_close(void *state)
{
	struct council_csv *st = state;
	if (!st)
		return;
	csv_reader_free(st->reader);
	free(st->column_of);
	free(st->arena);
	free(st);
}

static const char *const council_formats[] = {"council-csv", NULL};

static const struct nrm_option_spec council_options[] = {
	{
		.name = "site",
		.type = NRM_OPT_STRING,
		.description = "The pilot site's code, for a file without a Site column "
		               "or with empty Site cells.",
	},
	{
		.name = "max-field-size",
		.type = NRM_OPT_SIZE,
		.default_value = "1M",
		.description = "The longest field accepted, in bytes; a longer one rejects "
		               "its record without being held in memory.",
		.min = 64,
		.max = INT64_C(1) << 30,
	},
	{
		.name = "max-columns",
		.type = NRM_OPT_INT,
		.default_value = "256",
		.description = "The most fields a line may have.",
		.min = 1,
		.max = 100000,
	},
	{
		.name = "delimiter",
		.type = NRM_OPT_CHOICE,
		.default_value = "comma",
		.description = "The character between fields.",
		.choices = "comma|semicolon|tab",
	},
	{.name = NULL},
};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "council-csv",
	.version = "1.0.0",
	.description = "A council case-management CSV export (Excel-style: BOM, CRLF, "
	               "dd/mm/yyyy dates, Home Office labels), read and written.",
	.license = "MIT",
	.formats = council_formats,
	.options = council_options,
	.import_open = cb_council_import_open,
	.import_next = cb_council_import_next,
	.import_close = cb_council_import_close,
	.export_open = cb_council_export_open,
	.export_write = cb_council_export_write,
	.export_finish = out_buffer_export_finish,
	.export_close = out_buffer_export_close,
);

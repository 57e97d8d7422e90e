/*
 * case-jsonl: the canonical case as JSON lines, one object per line, field
 * names exactly as DESIGN.md gives them.  Reading uses jansson (duplicate
 * keys refused); writing is done directly, in schema order, because it is on
 * the path of every conversion and building a jansson object per record
 * would cost more than the rest of the conversion.
 */
#include <nrmhub/plugin.h>

#include "json_syntax.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_CHUNK (64 * 1024)

static const struct nrm_option_spec options[] = {
	{.name = "max-line-size", .type = NRM_OPT_SIZE, .default_value = "1M",
	 .description = "Longest line (one record) accepted, in bytes.",
	 .min = 1024, .max = INT64_C(1) << 30},
	{.name = NULL},
};

/* ---- reading ----------------------------------------------------------- */

struct reader {
	const struct nrm_host *host;
	nrm_stream *in;
	char *buf;
	size_t start, end, cap, max_line;
	uint64_t line;     /* number of the line last returned */
	bool eof;
	json_t *current;   /* the record's strings point into it */
};

static int cb_case_jsonl_import_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	struct reader *r = calloc(1, sizeof(*r));
	if (!r)
		return host->report(in, NULL, NULL, "out of memory");
	r->host = host;
	r->in = in;
	r->max_line = (size_t)host->option_int(in, "max-line-size");
	r->cap = READ_CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return host->report(in, NULL, NULL, "out of memory");
	}
	*state = r;
	return NRM_OK;
}

/* Makes room after `end` by moving unread bytes to the front or, for a long
 * line, growing the buffer up to the line limit. */
static int make_room(struct reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end < r->cap)
		return NRM_OK;
	size_t cap = r->cap * 2;
	if (cap > r->max_line + 2)
		cap = r->max_line + 2;
	if (cap <= r->cap)
		return NRM_FAIL;
	char *grown = realloc(r->buf, cap);
	if (!grown)
		return NRM_FAIL;
	r->buf = grown;
	r->cap = cap;
	return NRM_OK;
}

/* Finds the next line; *len excludes the newline and a CR before it.
 * NRM_OK, NRM_EOF, or NRM_FAIL (reported). */
static int next_line(struct reader *r, const char **text, size_t *len)
{
	size_t scanned = r->start;
	for (;;) {
		char *nl = memchr(r->buf + scanned, '\n', r->end - scanned);
		if (nl || (r->eof && r->end > r->start)) {
			size_t stop = nl ? (size_t)(nl - r->buf) : r->end;
			*text = r->buf + r->start;
			*len = stop - r->start;
			r->start = nl ? stop + 1 : stop;
			r->line++;
			if (*len > 0 && (*text)[*len - 1] == '\r')
				(*len)--;
			if (*len > r->max_line) {
				struct nrm_pos pos = {.line = r->line};
				return r->host->report(r->in, &pos, NULL,
				                       "line is longer than max-line-size (%zu bytes)",
				                       r->max_line);
			}
			return NRM_OK;
		}
		if (r->eof)
			return NRM_EOF;
		scanned = r->end;
		size_t before = r->start;
		if (r->end == r->cap && make_room(r) != NRM_OK) {
			struct nrm_pos pos = {.line = r->line + 1};
			return r->host->report(r->in, &pos, NULL,
			                       "line is longer than max-line-size (%zu bytes)",
			                       r->max_line);
		}
		scanned -= before - r->start;
		ssize_t n = r->host->read(r->in, r->buf + r->end, r->cap - r->end);
		if (n < 0)
			return NRM_FAIL;
		if (n == 0)
			r->eof = true;
		r->end += (size_t)n;
	}
}

/* One field of the JSON object mapped onto the case. */
struct field {
	const char *name;
	int (*set)(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
	           const struct nrm_pos *pos);
	size_t offset;  /* into struct nrm_case */
	int kind;       /* code kind for enum fields */
	bool nullable;  /* gender and location spell "unknown" out instead */
};

static int wrong(struct reader *r, const struct nrm_pos *pos, const struct field *f,
                 const char *expected)
{
	r->host->report(r->in, pos, f->name, "must be %s", expected);
	return NRM_REJECT;
}

static int set_string(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
                      const struct nrm_pos *pos)
{
	if (json_is_null(v))
		return NRM_OK;
	if (!json_is_string(v))
		return wrong(r, pos, f, "a string or null");
	*(const char **)((char *)c + f->offset) = json_string_value(v);
	return NRM_OK;
}

static int set_date(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
                    const struct nrm_pos *pos)
{
	if (json_is_null(v))
		return NRM_OK;
	if (!json_is_string(v) ||
	    r->host->date_parse_iso(json_string_value(v), json_string_length(v),
	                            (int32_t *)((char *)c + f->offset)) != NRM_OK)
		return wrong(r, pos, f, "a real date written YYYY-MM-DD, or null");
	return NRM_OK;
}

static int set_code(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
                    const struct nrm_pos *pos)
{
	if (json_is_null(v) && f->nullable)
		return NRM_OK;
	if (!json_is_string(v) ||
	    r->host->code_parse(f->kind, json_string_value(v), json_string_length(v),
	                        (int32_t *)((char *)c + f->offset)) != NRM_OK)
		return wrong(r, pos, f, f->nullable ? "one of the canonical values, or null"
		                                     : "one of the canonical values");
	return NRM_OK;
}

static int set_tristate(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
                        const struct nrm_pos *pos)
{
	if (json_is_null(v))
		return NRM_OK;
	if (!json_is_boolean(v))
		return wrong(r, pos, f, "true, false or null");
	*(int8_t *)((char *)c + f->offset) = json_is_true(v) ? NRM_YES : NRM_NO;
	return NRM_OK;
}

static int set_age(struct reader *r, json_t *v, struct nrm_case *c, const struct field *f,
                   const struct nrm_pos *pos)
{
	if (json_is_null(v))
		return NRM_OK;
	json_int_t age = json_is_integer(v) ? json_integer_value(v) : -1;
	if (age < 0 || age > 1000)
		return wrong(r, pos, f, "a whole number of years, or null");
	/* Out-of-range ages (18 and over) are the validator's to refuse. */
	c->age_at_exploitation = (int32_t)age;
	return NRM_OK;
}

static int set_nationality(struct reader *r, json_t *v, struct nrm_case *c,
                           const struct field *f, const struct nrm_pos *pos)
{
	if (!json_is_array(v) || json_array_size(v) > 2)
		return wrong(r, pos, f, "an array of at most two country codes");
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *code = json_array_get(v, i);
		if (!json_is_string(code))
			return wrong(r, pos, f, "an array of country code strings");
		c->nationality[i] = json_string_value(code);
	}
	return NRM_OK;
}

static int set_exploitation(struct reader *r, json_t *v, struct nrm_case *c,
                            const struct field *f, const struct nrm_pos *pos)
{
	if (!json_is_array(v))
		return wrong(r, pos, f, "an array of exploitation types");
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *item = json_array_get(v, i);
		int32_t bit;
		if (!json_is_string(item) ||
		    r->host->code_parse(NRM_CODE_EXPLOITATION, json_string_value(item),
		                        json_string_length(item), &bit) != NRM_OK)
			return wrong(r, pos, f, "an array of criminal, domestic, labour, sexual "
			             "or organ_harvesting");
		if (c->exploitation_types & (uint32_t)bit)
			return wrong(r, pos, f, "a set: each type at most once");
		c->exploitation_types |= (uint32_t)bit;
	}
	return NRM_OK;
}

static int set_updated_at(struct reader *r, json_t *v, struct nrm_case *c,
                          const struct field *f, const struct nrm_pos *pos)
{
	if (json_is_null(v))
		return NRM_OK;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (!s || len < 1 || s[len - 1] != 'Z' ||
	    r->host->time_parse_rfc3339(s, len, &c->updated_at) != NRM_OK)
		return wrong(r, pos, f, "an RFC 3339 time in UTC (ending in Z), or null");
	return NRM_OK;
}

#define AT(member) offsetof(struct nrm_case, member)
#define PLAIN(name, setter) {#name, setter, AT(name), 0, true}
#define CODE(name, kind, nullable) {#name, set_code, AT(name), kind, nullable}
#define CUSTOM(name, setter) {#name, setter, 0, 0, false}
static const struct field fields[] = {
	PLAIN(case_id, set_string),
	PLAIN(site, set_string),
	PLAIN(nrm_ref, set_string),
	PLAIN(referral_date, set_date),
	CODE(first_responder_type, NRM_CODE_FIRST_RESPONDER, true),
	PLAIN(first_responder_org, set_string),
	PLAIN(local_authority, set_string),
	PLAIN(police_force, set_string),
	PLAIN(age_at_exploitation, set_age),
	PLAIN(age_disputed, set_tristate),
	CODE(gender, NRM_CODE_GENDER, false),
	CUSTOM(nationality, set_nationality),
	CUSTOM(exploitation_types, set_exploitation),
	PLAIN(county_lines, set_tristate),
	CODE(exploitation_location, NRM_CODE_LOCATION, false),
	PLAIN(rg_decision_date, set_date),
	CODE(rg_outcome, NRM_CODE_OUTCOME, true),
	PLAIN(cg_decision_date, set_date),
	CODE(cg_outcome, NRM_CODE_OUTCOME, true),
	CODE(decision_maker, NRM_CODE_DECISION_MAKER, true),
	CODE(status, NRM_CODE_STATUS, true),
	PLAIN(status_date, set_date),
	CUSTOM(updated_at, set_updated_at),
	PLAIN(date_of_birth, set_date), /* schema 2; a schema 1 line has no such key */
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const struct field *field_named(const char *name)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static int map_object(struct reader *r, json_t *obj, struct nrm_case *c,
                      const struct nrm_pos *pos)
{
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		const struct field *f = field_named(key);
		if (!f) {
			/* The key is user text: name it only if it is short and plain. */
			bool plain = strlen(key) <= 40 && strspn(key, "abcdefghijklmnopqrstuvwxyz_0123456789") == strlen(key);
			r->host->report(r->in, pos, NULL, "unknown field %s%s%s", plain ? "'" : "",
			                plain ? key : "(not shown)", plain ? "'" : "");
			return NRM_REJECT;
		}
		int rc = f->set(r, value, c, f, pos);
		if (rc != NRM_OK)
			return rc;
	}
	return NRM_OK;
}

static bool is_blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t')
			return false;
	return true;
}

static int cb_case_jsonl_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	struct reader *r = state;
	const char *text = NULL;
	size_t len = 0;
	json_decref(r->current);
	r->current = NULL;
	do {
		int rc = next_line(r, &text, &len);
		if (rc != NRM_OK)
			return rc;
	} while (is_blank(text, len)); /* blank lines are skipped */
	where->line = r->line;
	json_error_t err;
	r->current = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!r->current) {
		char reason[200];
		json_syntax_reason(err.text, reason, sizeof(reason));
		int column = err.column + json_syntax_column_shift(err.text);
		struct nrm_pos pos = {.line = r->line, .column = (uint64_t)(column > 0 ? column : 0)};
		r->host->report(r->in, &pos, NULL, "%s", reason);
		return NRM_REJECT;
	}
	if (!json_is_object(r->current)) {
		r->host->report(r->in, where, NULL, "a line must hold one JSON object");
		return NRM_REJECT;
	}
	return map_object(r, r->current, out, where);
}

static void cb_case_jsonl_import_close(void *state)
{
	struct reader *r = state;
	json_decref(r->current);
	free(r->buf);
	free(r);
}

/* ---- writing ----------------------------------------------------------- */

/* Records are gathered into large blocks so the hub can write each block
 * straight to the file without copying it. */
#define WRITE_BLOCK (256 * 1024)
/* Bytes of a record other than its strings: keys, punctuation and the
 * fixed-width values, with room to spare. */
#define RECORD_FIXED_BYTES 1024

/* Dates in real data cluster within a few years, so formatting goes through
 * a direct-mapped cache: nearly every date is a copy, not a conversion. */
#define DATE_CACHE_SIZE 4096

struct date_slot {
	int32_t date;
	char text[12]; /* "\"YYYY-MM-DD\"" */
};

/* A code's name as it is written: quoted, or null. */
struct code_text {
	char text[24];
	uint8_t len;
};

#define CODE_KINDS (NRM_CODE_STATUS + 1)
#define CODE_VALUES 8

struct writer {
	const struct nrm_host *host;
	nrm_stream *out;
	char *buf;
	size_t len, cap;
	struct code_text codes[CODE_KINDS][CODE_VALUES];
	struct date_slot dates[DATE_CACHE_SIZE];
};

static void fill_code(struct code_text *t, const char *name)
{
	if (!name || strlen(name) + 2 >= sizeof(t->text)) {
		memcpy(t->text, "null", 4);
		t->len = 4;
		return;
	}
	t->len = (uint8_t)snprintf(t->text, sizeof(t->text), "\"%s\"", name);
}

/* Writes every code name once, up front, instead of once per record. */
static void fill_code_table(struct writer *w)
{
	for (int kind = 0; kind < CODE_KINDS; kind++) {
		for (int v = 0; v < CODE_VALUES; v++) {
			int32_t value = kind == NRM_CODE_EXPLOITATION ? (int32_t)(1u << v) : v;
			fill_code(&w->codes[kind][v], w->host->code_name(kind, value));
		}
	}
}

static int cb_case_jsonl_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	struct writer *w = calloc(1, sizeof(*w));
	char *buf = malloc(WRITE_BLOCK);
	if (!w || !buf) {
		free(w);
		free(buf);
		return host->report(out, NULL, NULL, "out of memory");
	}
	w->host = host;
	w->out = out;
	w->buf = buf;
	w->cap = WRITE_BLOCK;
	for (size_t i = 0; i < DATE_CACHE_SIZE; i++)
		w->dates[i].date = NRM_DATE_NONE;
	fill_code_table(w);
	*state = w;
	return NRM_OK;
}

static size_t text_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/* The most bytes `c` can take: each string byte may become six ("\u001f"). */
static size_t record_bound(const struct nrm_case *c)
{
	size_t text = text_len(c->case_id) + text_len(c->site) + text_len(c->nrm_ref) +
	              text_len(c->first_responder_org) + text_len(c->local_authority) +
	              text_len(c->police_force) + text_len(c->nationality[0]) +
	              text_len(c->nationality[1]);
	return RECORD_FIXED_BYTES + 6 * text;
}

static char *put_raw(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LITERAL(p, s) put_raw(p, s, sizeof(s) - 1)

/* A JSON string (RFC 8259 section 7): quote, backslash and control
 * characters escaped; the hub has already checked the text is UTF-8. */
static char *put_string(char *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	*p++ = '"';
	const char *run = s;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		p = put_raw(p, run, (size_t)(s - run));
		run = s + 1;
		*p++ = '\\';
		if (ch == '"' || ch == '\\') {
			*p++ = (char)ch;
		} else {
			p = PUT_LITERAL(p, "u00");
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
		}
	}
	p = put_raw(p, run, (size_t)(s - run));
	*p++ = '"';
	return p;
}

static char *put_text(char *p, const char *s)
{
	return s ? put_string(p, s) : PUT_LITERAL(p, "null");
}

static char *put_date(char *p, struct writer *w, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return PUT_LITERAL(p, "null");
	struct date_slot *slot = &w->dates[(uint32_t)date % DATE_CACHE_SIZE];
	if (slot->date != date) {
		slot->date = date;
		slot->text[0] = '"';
		w->host->date_format_iso(date, slot->text + 1);
		slot->text[11] = '"';
	}
	return put_raw(p, slot->text, 12);
}

/* Values outside the table (which the hub's validator refuses anyway) are
 * written as null rather than read out of bounds. */
static char *put_code(char *p, const struct writer *w, int kind, int32_t value)
{
	if (kind == NRM_CODE_EXPLOITATION)
		value = value > 0 ? __builtin_ctz((unsigned)value) : CODE_VALUES;
	if (value < 0 || value >= CODE_VALUES)
		return PUT_LITERAL(p, "null");
	const struct code_text *t = &w->codes[kind][value];
	return put_raw(p, t->text, t->len);
}

static char *put_tristate(char *p, int8_t v)
{
	if (v == NRM_YES)
		return PUT_LITERAL(p, "true");
	if (v == NRM_NO)
		return PUT_LITERAL(p, "false");
	return PUT_LITERAL(p, "null");
}

static char *put_age(char *p, int32_t age)
{
	if (age == NRM_AGE_NONE)
		return PUT_LITERAL(p, "null");
	if (age >= 0 && age < 100) {
		if (age >= 10)
			*p++ = (char)('0' + age / 10);
		*p++ = (char)('0' + age % 10);
		return p;
	}
	char num[16];
	int n = snprintf(num, sizeof(num), "%d", (int)age);
	return put_raw(p, num, (size_t)n);
}

static char *put_nationality(char *p, const struct nrm_case *c)
{
	*p++ = '[';
	for (int i = 0; i < 2 && c->nationality[i]; i++) {
		if (i)
			*p++ = ',';
		p = put_string(p, c->nationality[i]);
	}
	*p++ = ']';
	return p;
}

static char *put_exploitation(char *p, const struct writer *w, uint32_t types)
{
	*p++ = '[';
	bool first = true;
	for (uint32_t bit = 1; bit & NRM_EXPL_ALL; bit <<= 1) {
		if (!(types & bit))
			continue;
		if (!first)
			*p++ = ',';
		first = false;
		p = put_code(p, w, NRM_CODE_EXPLOITATION, (int32_t)bit);
	}
	*p++ = ']';
	return p;
}

static char *put_updated_at(char *p, const struct writer *w, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return PUT_LITERAL(p, "null");
	char buf[21];
	w->host->time_format_rfc3339(t, buf);
	*p++ = '"';
	p = put_raw(p, buf, 20);
	*p++ = '"';
	return p;
}

static int flush_block(struct writer *w)
{
	int rc = w->len ? w->host->write(w->out, w->buf, w->len) : NRM_OK;
	w->len = 0;
	return rc;
}

/* Fields in schema order, as DESIGN.md names them. */
static char *put_record(char *p, struct writer *w, const struct nrm_case *c)
{
	p = PUT_LITERAL(p, "{\"case_id\":");
	p = put_text(p, c->case_id);
	p = PUT_LITERAL(p, ",\"site\":");
	p = put_text(p, c->site);
	p = PUT_LITERAL(p, ",\"nrm_ref\":");
	p = put_text(p, c->nrm_ref);
	p = PUT_LITERAL(p, ",\"referral_date\":");
	p = put_date(p, w, c->referral_date);
	p = PUT_LITERAL(p, ",\"first_responder_type\":");
	p = put_code(p, w, NRM_CODE_FIRST_RESPONDER, c->first_responder_type);
	p = PUT_LITERAL(p, ",\"first_responder_org\":");
	p = put_text(p, c->first_responder_org);
	p = PUT_LITERAL(p, ",\"local_authority\":");
	p = put_text(p, c->local_authority);
	p = PUT_LITERAL(p, ",\"police_force\":");
	p = put_text(p, c->police_force);
	p = PUT_LITERAL(p, ",\"age_at_exploitation\":");
	p = put_age(p, c->age_at_exploitation);
	p = PUT_LITERAL(p, ",\"age_disputed\":");
	p = put_tristate(p, c->age_disputed);
	p = PUT_LITERAL(p, ",\"gender\":");
	p = put_code(p, w, NRM_CODE_GENDER, c->gender);
	p = PUT_LITERAL(p, ",\"nationality\":");
	p = put_nationality(p, c);
	p = PUT_LITERAL(p, ",\"exploitation_types\":");
	p = put_exploitation(p, w, c->exploitation_types);
	p = PUT_LITERAL(p, ",\"county_lines\":");
	p = put_tristate(p, c->county_lines);
	p = PUT_LITERAL(p, ",\"exploitation_location\":");
	p = put_code(p, w, NRM_CODE_LOCATION, c->exploitation_location);
	p = PUT_LITERAL(p, ",\"rg_decision_date\":");
	p = put_date(p, w, c->rg_decision_date);
	p = PUT_LITERAL(p, ",\"rg_outcome\":");
	p = put_code(p, w, NRM_CODE_OUTCOME, c->rg_outcome);
	p = PUT_LITERAL(p, ",\"cg_decision_date\":");
	p = put_date(p, w, c->cg_decision_date);
	p = PUT_LITERAL(p, ",\"cg_outcome\":");
	p = put_code(p, w, NRM_CODE_OUTCOME, c->cg_outcome);
	p = PUT_LITERAL(p, ",\"decision_maker\":");
	p = put_code(p, w, NRM_CODE_DECISION_MAKER, c->decision_maker);
	p = PUT_LITERAL(p, ",\"status\":");
	p = put_code(p, w, NRM_CODE_STATUS, c->status);
	p = PUT_LITERAL(p, ",\"status_date\":");
	p = put_date(p, w, c->status_date);
	p = PUT_LITERAL(p, ",\"updated_at\":");
	p = put_updated_at(p, w, c->updated_at);
	p = PUT_LITERAL(p, ",\"date_of_birth\":");
	p = put_date(p, w, c->date_of_birth);
	return PUT_LITERAL(p, "}\n");
}

static int cb_case_jsonl_export_write(void *state, const struct nrm_case *c)
{
	struct writer *w = state;
	size_t need = record_bound(c);
	if (w->cap - w->len < need) {
		if (flush_block(w) != NRM_OK)
			return NRM_FAIL;
		if (need > w->cap) {
			char *grown = realloc(w->buf, need);
			if (!grown)
				return w->host->report(w->out, NULL, NULL, "out of memory");
			w->buf = grown;
			w->cap = need;
		}
	}
	char *end = put_record(w->buf + w->len, w, c);
	w->len = (size_t)(end - w->buf);
	return NRM_OK;
}

static int cb_case_jsonl_export_finish(void *state)
{
	return flush_block(state);
}

static void cb_case_jsonl_export_close(void *state)
{
	struct writer *w = state;
	free(w->buf);
	free(w);
}

static const char *const formats[] = {"case-jsonl", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "case-jsonl",
	.version = "1.0.0",
	.description = "The canonical case as JSON lines: one case, one JSON object, one line.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_case_jsonl_import_open,
	.import_next = cb_case_jsonl_import_next,
	.import_close = cb_case_jsonl_import_close,
	.export_open = cb_case_jsonl_export_open,
	.export_write = cb_case_jsonl_export_write,
	.export_finish = cb_case_jsonl_export_finish,
	.export_close = cb_case_jsonl_export_close,
);

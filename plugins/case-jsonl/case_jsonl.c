/*
 * case-jsonl: the canonical case as JSON lines, one object per line, field
 * names exactly as DESIGN.md gives them.  Reading uses jansson (duplicate
 * keys refused); writing is done directly, in schema order, because it is on
 * the path of every conversion and building a jansson object per record
 * would cost more than the rest of the conversion.
 */
#include <nrmhub/plugin.h>

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
	/* Gender and location name their unknown value; the others use null. */
	bool null_allowed = r->host->code_name(f->kind, 0) == NULL;
	if (json_is_null(v) && null_allowed)
		return NRM_OK;
	if (!json_is_string(v) ||
	    r->host->code_parse(f->kind, json_string_value(v), json_string_length(v),
	                        (int32_t *)((char *)c + f->offset)) != NRM_OK)
		return wrong(r, pos, f, null_allowed ? "one of the canonical values, or null"
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
static const struct field fields[] = {
	{"case_id", set_string, AT(case_id), 0},
	{"site", set_string, AT(site), 0},
	{"nrm_ref", set_string, AT(nrm_ref), 0},
	{"referral_date", set_date, AT(referral_date), 0},
	{"first_responder_type", set_code, AT(first_responder_type), NRM_CODE_FIRST_RESPONDER},
	{"first_responder_org", set_string, AT(first_responder_org), 0},
	{"local_authority", set_string, AT(local_authority), 0},
	{"police_force", set_string, AT(police_force), 0},
	{"age_at_exploitation", set_age, AT(age_at_exploitation), 0},
	{"age_disputed", set_tristate, AT(age_disputed), 0},
	{"gender", set_code, AT(gender), NRM_CODE_GENDER},
	{"nationality", set_nationality, 0, 0},
	{"exploitation_types", set_exploitation, 0, 0},
	{"county_lines", set_tristate, AT(county_lines), 0},
	{"exploitation_location", set_code, AT(exploitation_location), NRM_CODE_LOCATION},
	{"rg_decision_date", set_date, AT(rg_decision_date), 0},
	{"rg_outcome", set_code, AT(rg_outcome), NRM_CODE_OUTCOME},
	{"cg_decision_date", set_date, AT(cg_decision_date), 0},
	{"cg_outcome", set_code, AT(cg_outcome), NRM_CODE_OUTCOME},
	{"decision_maker", set_code, AT(decision_maker), NRM_CODE_DECISION_MAKER},
	{"status", set_code, AT(status), NRM_CODE_STATUS},
	{"status_date", set_date, AT(status_date), 0},
	{"updated_at", set_updated_at, 0, 0},
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
		struct nrm_pos pos = {.line = r->line, .column = (uint64_t)(err.column > 0 ? err.column : 0)};
		r->host->report(r->in, &pos, NULL, "not a JSON object: %s", err.text);
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

struct writer {
	const struct nrm_host *host;
	nrm_stream *out;
	char *buf;
	size_t len, cap;
};

static int cb_case_jsonl_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	struct writer *w = calloc(1, sizeof(*w));
	if (!w)
		return host->report(out, NULL, NULL, "out of memory");
	w->host = host;
	w->out = out;
	*state = w;
	return NRM_OK;
}

static void put(struct writer *w, const char *s, size_t n)
{
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 1024;
		while (cap < w->len + n)
			cap *= 2;
		char *grown = realloc(w->buf, cap);
		if (!grown)
			abort(); /* a few KiB per record; nothing sane is left to do */
		w->buf = grown;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

#define PUT_LITERAL(w, s) put(w, s, sizeof(s) - 1)

static void put_key(struct writer *w, const char *key, bool first)
{
	if (!first)
		PUT_LITERAL(w, ",");
	PUT_LITERAL(w, "\"");
	put(w, key, strlen(key));
	PUT_LITERAL(w, "\":");
}

/* JSON string escaping (RFC 8259 section 7): quote, backslash and control
 * characters; the validator has already checked the text is UTF-8. */
static void put_string(struct writer *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	PUT_LITERAL(w, "\"");
	const char *run = s;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		put(w, run, (size_t)(s - run));
		run = s + 1;
		if (ch == '"' || ch == '\\') {
			char esc[2] = {'\\', (char)ch};
			put(w, esc, 2);
		} else {
			char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
			put(w, esc, 6);
		}
	}
	put(w, run, (size_t)(s - run));
	PUT_LITERAL(w, "\"");
}

static void put_text_field(struct writer *w, const char *key, const char *value)
{
	put_key(w, key, false);
	if (value)
		put_string(w, value);
	else
		PUT_LITERAL(w, "null");
}

static void put_date_field(struct writer *w, const char *key, int32_t date)
{
	put_key(w, key, false);
	if (date == NRM_DATE_NONE) {
		PUT_LITERAL(w, "null");
		return;
	}
	char buf[13];
	buf[0] = '"';
	w->host->date_format_iso(date, buf + 1);
	buf[11] = '"';
	put(w, buf, 12);
}

static void put_code_field(struct writer *w, const char *key, int kind, int32_t value)
{
	const char *name = w->host->code_name(kind, value);
	put_key(w, key, false);
	if (name) {
		PUT_LITERAL(w, "\"");
		put(w, name, strlen(name));
		PUT_LITERAL(w, "\"");
	} else {
		PUT_LITERAL(w, "null");
	}
}

static void put_tristate_field(struct writer *w, const char *key, int8_t v)
{
	put_key(w, key, false);
	if (v == NRM_YES)
		PUT_LITERAL(w, "true");
	else if (v == NRM_NO)
		PUT_LITERAL(w, "false");
	else
		PUT_LITERAL(w, "null");
}

static void put_arrays(struct writer *w, const struct nrm_case *c)
{
	put_key(w, "nationality", false);
	PUT_LITERAL(w, "[");
	for (int i = 0; i < 2 && c->nationality[i]; i++) {
		if (i)
			PUT_LITERAL(w, ",");
		put_string(w, c->nationality[i]);
	}
	PUT_LITERAL(w, "]");
	put_key(w, "exploitation_types", false);
	PUT_LITERAL(w, "[");
	bool first = true;
	for (uint32_t bit = 1; bit & NRM_EXPL_ALL; bit <<= 1) {
		if (!(c->exploitation_types & bit))
			continue;
		if (!first)
			PUT_LITERAL(w, ",");
		first = false;
		const char *name = w->host->code_name(NRM_CODE_EXPLOITATION, (int32_t)bit);
		PUT_LITERAL(w, "\"");
		put(w, name, strlen(name));
		PUT_LITERAL(w, "\"");
	}
	PUT_LITERAL(w, "]");
}

static int cb_case_jsonl_export_write(void *state, const struct nrm_case *c)
{
	struct writer *w = state;
	char num[24];
	w->len = 0;
	PUT_LITERAL(w, "{");
	put_key(w, "case_id", true);
	put_string(w, c->case_id);
	put_text_field(w, "site", c->site);
	put_text_field(w, "nrm_ref", c->nrm_ref);
	put_date_field(w, "referral_date", c->referral_date);
	put_code_field(w, "first_responder_type", NRM_CODE_FIRST_RESPONDER, c->first_responder_type);
	put_text_field(w, "first_responder_org", c->first_responder_org);
	put_text_field(w, "local_authority", c->local_authority);
	put_text_field(w, "police_force", c->police_force);
	put_key(w, "age_at_exploitation", false);
	if (c->age_at_exploitation == NRM_AGE_NONE)
		PUT_LITERAL(w, "null");
	else
		put(w, num, (size_t)snprintf(num, sizeof(num), "%d", (int)c->age_at_exploitation));
	put_tristate_field(w, "age_disputed", c->age_disputed);
	put_code_field(w, "gender", NRM_CODE_GENDER, c->gender);
	put_arrays(w, c);
	put_tristate_field(w, "county_lines", c->county_lines);
	put_code_field(w, "exploitation_location", NRM_CODE_LOCATION, c->exploitation_location);
	put_date_field(w, "rg_decision_date", c->rg_decision_date);
	put_code_field(w, "rg_outcome", NRM_CODE_OUTCOME, c->rg_outcome);
	put_date_field(w, "cg_decision_date", c->cg_decision_date);
	put_code_field(w, "cg_outcome", NRM_CODE_OUTCOME, c->cg_outcome);
	put_code_field(w, "decision_maker", NRM_CODE_DECISION_MAKER, c->decision_maker);
	put_code_field(w, "status", NRM_CODE_STATUS, c->status);
	put_date_field(w, "status_date", c->status_date);
	put_key(w, "updated_at", false);
	if (c->updated_at == NRM_TIME_NONE) {
		PUT_LITERAL(w, "null");
	} else {
		char t[23];
		t[0] = '"';
		w->host->time_format_rfc3339(c->updated_at, t + 1);
		t[21] = '"';
		put(w, t, 22);
	}
	PUT_LITERAL(w, "}\n");
	return w->host->write(w->out, w->buf, w->len);
}

static int cb_case_jsonl_export_finish(void *state)
{
	(void)state;
	return NRM_OK;
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

/*
 * homeoffice-json: the Home Office case-working exchange.  One JSON
 * document, {"header": {...}, "cases": [...]}, carrying the NRM reference
 * and the decisions of the Single Competent Authority (SCA) or Immigration
 * Enforcement Competent Authority (IECA) for the cases the Home Office
 * decided or took back, and the pilot site's own cases when a site sends
 * them.  Categories are written with the Home Office's published labels.
 * formats/homeoffice-json.md documents every member.
 *
 * Import streams: envelope.c reads the outer structure and hands each case
 * to jansson on its own, so one case is in memory at a time.  Export writes
 * the header, then each case as it comes, then the closing brackets.
 */
#include <nrmhub/plugin.h>

#include "envelope.h"
#include "json_read.h"
#include "json_write.h"
#include "labels.h"
#include "out_buffer.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The major version this plugin reads and writes. */
#define SCHEMA_MAJOR "1"
#define SCHEMA_VERSION "1.1" /* 1.1 added potential_victim.date_of_birth */
#define NAME_MAX_BYTES 32

static const struct nrm_option_spec options[] = {
	{.name = "max-document-size", .type = NRM_OPT_SIZE, .default_value = "1G",
	 .description = "The largest document accepted, in bytes.",
	 .min = 1024, .max = INT64_C(1) << 40},
	{.name = "max-case-size", .type = NRM_OPT_SIZE, .default_value = "64k",
	 .description = "The largest single case (or header) accepted, in bytes.",
	 .min = 1024, .max = INT64_C(1) << 30},
	{.name = "sender", .type = NRM_OPT_STRING, .default_value = "nrmhub",
	 .description = "Export: the header's sender, the organisation sending the file."},
	{.name = "generated-at", .type = NRM_OPT_STRING,
	 .description = "Export: the header's generated_at (RFC 3339 UTC); default: "
	                "$SOURCE_DATE_EPOCH if set, else now."},
	{.name = NULL},
};

/* ---- import ------------------------------------------------------------ */

enum stage {
	BEFORE_DOCUMENT,   /* expecting the outer '{' */
	IN_DOCUMENT,       /* expecting a member name or the outer '}' */
	IN_CASES,          /* inside the cases array */
	AFTER_DOCUMENT,    /* the outer '}' was read */
};

struct ho_reader {
	const struct nrm_host *host;
	nrm_stream *in;
	struct envelope env;
	enum stage stage;
	bool seen_header, seen_cases, first_member;
	uint64_t index;     /* of the next case in the array */
	json_t *current;    /* the case the record's strings point into */
	struct jread jr;
};

static int cb_homeoffice_import_open(const struct nrm_host *host, nrm_stream *in,
                                     void **state)
{
	struct ho_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return host->report(in, NULL, NULL, "out of memory");
	r->host = host;
	r->in = in;
	r->jr.host = host;
	r->jr.in = in;
	if (envelope_init(&r->env, host, in, (uint64_t)host->option_int(in, "max-document-size"),
	                  (uint64_t)host->option_int(in, "max-case-size")) != NRM_OK) {
		free(r);
		return NRM_FAIL;
	}
	*state = r;
	return NRM_OK;
}

static int fail_at(struct ho_reader *r, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports a problem with the document's structure at the next unread byte;
 * the document cannot be read further. */
static int fail_at(struct ho_reader *r, const char *path, const char *fmt, ...)
{
	char reason[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	struct nrm_pos pos;
	envelope_pos(&r->env, &pos);
	pos.path = path;
	r->host->report(r->in, &pos, NULL, "%s", reason);
	return NRM_FAIL;
}

/* Reports a problem with the header, at the header's first character. */
static int header_fail(struct ho_reader *r, const char *path, const char *reason)
{
	struct nrm_pos pos = r->jr.pos;
	pos.path = path;
	r->host->report(r->in, &pos, NULL, "%s", reason);
	return NRM_FAIL;
}

/* What the document must look like where it went wrong. */
static int unexpected(struct ho_reader *r, int c, const char *path, const char *expected)
{
	if (c < 0)
		return fail_at(r, path, "truncated: the document ends where %s was expected",
		               expected);
	return fail_at(r, path, "expected %s", expected);
}

/* `at` is where the header starts. */
static int check_header(struct ho_reader *r, json_t *h, const struct nrm_pos *at)
{
	static const char *const members[] = {"sender", "generated_at", "schema_version", NULL};
	jread_start(&r->jr, "$.header");
	r->jr.pos = *at;
	if (jread_members(&r->jr, h, members) != NRM_OK)
		return NRM_FAIL;
	const char *sender = NULL, *version = NULL;
	int64_t generated = NRM_TIME_NONE;
	if (jread_text(&r->jr, h, "sender", NULL, &sender) != NRM_OK ||
	    jread_time(&r->jr, h, "generated_at", NULL, &generated) != NRM_OK ||
	    jread_text(&r->jr, h, "schema_version", NULL, &version) != NRM_OK)
		return NRM_FAIL;
	if (!sender || !*sender || strlen(sender) > 200)
		return header_fail(r, "$.header.sender", "the header's sender is required "
		                   "(1 to 200 bytes)");
	if (generated == NRM_TIME_NONE)
		return header_fail(r, "$.header.generated_at", "the header's generated_at is "
		                   "required");
	size_t major_len = strlen(SCHEMA_MAJOR);
	if (!version || strncmp(version, SCHEMA_MAJOR, major_len) != 0 ||
	    (version[major_len] != '\0' && version[major_len] != '.'))
		return header_fail(r, "$.header.schema_version", "unsupported schema_version: "
		                   "this plugin reads version " SCHEMA_MAJOR ".x");
	return NRM_OK;
}

/* A member of the outer object: the header, or the start of the cases. */
static int read_member(struct ho_reader *r)
{
	char name[NAME_MAX_BYTES];
	struct nrm_pos at; /* the name's opening quote, where its problems are */
	envelope_pos(&r->env, &at);
	at.path = "$";
	int rc = envelope_name(&r->env, name, sizeof(name));
	if (rc == NRM_FAIL)
		return NRM_FAIL;
	bool is_header = rc == NRM_OK && strcmp(name, "header") == 0;
	bool is_cases = rc == NRM_OK && strcmp(name, "cases") == 0;
	if (!is_header && !is_cases)
		return r->host->report(r->in, &at, NULL, "unknown member %s%s%s: the document has "
		                       "only 'header' and 'cases'%s", *name ? "'" : "",
		                       *name ? name : "(name not shown)", *name ? "'" : "",
		                       r->seen_header ? "" : " (is --from right? 'nrmhub plugins' "
		                                             "lists the formats)");
	if ((is_header && r->seen_header) || (is_cases && r->seen_cases))
		return r->host->report(r->in, &at, NULL, "duplicate member name '%s' (not allowed)",
		                       name);
	int c;
	if (envelope_peek(&r->env, &c) != NRM_OK)
		return NRM_FAIL;
	if (c != ':')
		return unexpected(r, c, "$", "':' after a member name");
	envelope_take(&r->env);
	if (envelope_peek(&r->env, &c) != NRM_OK)
		return NRM_FAIL;
	if (is_header) {
		if (c != '{')
			return unexpected(r, c, "$.header", "the header object");
		struct nrm_pos start;
		envelope_pos(&r->env, &start);
		json_t *h = envelope_object(&r->env, "$.header");
		if (!h)
			return NRM_FAIL;
		rc = check_header(r, h, &start);
		json_decref(h);
		r->seen_header = true;
		return rc;
	}
	if (!r->seen_header) {
		at.path = "$.cases";
		return r->host->report(r->in, &at, NULL, "the header must come before the cases");
	}
	if (c != '[')
		return unexpected(r, c, "$.cases", "the cases array");
	envelope_take(&r->env);
	r->seen_cases = true;
	r->stage = IN_CASES;
	r->index = 0;
	return NRM_OK;
}

/* "$.cases[N]" for the next case, into buf[64]. */
static const char *case_path(const struct ho_reader *r, char buf[64])
{
	snprintf(buf, 64, "$.cases[%llu]", (unsigned long long)r->index);
	return buf;
}

/* Moves through the envelope until a case starts (NRM_OK) or the document
 * ends (NRM_EOF). */
static int find_next_case(struct ho_reader *r)
{
	int c;
	for (;;) {
		if (envelope_peek(&r->env, &c) != NRM_OK)
			return NRM_FAIL;
		switch (r->stage) {
		case BEFORE_DOCUMENT:
			if (c < 0)
				return fail_at(r, NULL, "empty file: expected a Home Office JSON "
				               "document ({\"header\": ..., \"cases\": [...]})");
			if (c != '{')
				return fail_at(r, "$", "not a Home Office JSON document: expected '{' "
				               "(is --from right? 'nrmhub plugins' lists the formats)");
			envelope_take(&r->env);
			r->stage = IN_DOCUMENT;
			r->first_member = true;
			break;
		case IN_DOCUMENT:
			if (c == '}') {
				if (!r->seen_header || !r->seen_cases)
					return fail_at(r, "$", "missing member '%s'",
					               r->seen_header ? "cases" : "header");
				envelope_take(&r->env);
				r->stage = AFTER_DOCUMENT;
				break;
			}
			if (!r->first_member) {
				if (c != ',')
					return unexpected(r, c, "$", "',' or '}'");
				envelope_take(&r->env);
				if (envelope_peek(&r->env, &c) != NRM_OK)
					return NRM_FAIL;
			}
			if (c != '"')
				return unexpected(r, c, "$", "a member name");
			r->first_member = false;
			if (read_member(r) != NRM_OK)
				return NRM_FAIL;
			break;
		case IN_CASES: {
			char path[64]; /* the element's path, made only for a report */
			if (c == ']') {
				envelope_take(&r->env);
				r->stage = IN_DOCUMENT;
				break;
			}
			if (r->index > 0) {
				if (c != ',')
					return unexpected(r, c, case_path(r, path), "',' or ']'");
				envelope_take(&r->env);
				if (envelope_peek(&r->env, &c) != NRM_OK)
					return NRM_FAIL;
			}
			if (c != '{')
				return unexpected(r, c, case_path(r, path), "a case (a JSON object)");
			return NRM_OK;
		}
		case AFTER_DOCUMENT:
			if (c >= 0)
				return fail_at(r, NULL, "unexpected text after the document");
			return NRM_EOF;
		}
	}
}

static const char *const case_members[] = {
	"nrm_reference", "local_case", "referral", "potential_victim", "exploitation",
	"areas", "decisions", "case_status", "last_updated", NULL,
};
static const char *const local_case_members[] = {"site", "case_id", NULL};
static const char *const referral_members[] = {"date", "first_responder", NULL};
static const char *const first_responder_members[] = {"type", "organisation", NULL};
static const char *const victim_members[] = {"age_at_exploitation", "age_disputed", "gender",
                                             "nationalities", "date_of_birth", NULL};
static const char *const exploitation_members[] = {"types", "county_lines", "location", NULL};
static const char *const areas_members[] = {"local_authority", "police_force_area", NULL};
static const char *const decisions_members[] = {"competent_authority", "reasonable_grounds",
                                                "conclusive_grounds", NULL};
static const char *const decision_members[] = {"date", "outcome", NULL};
static const char *const status_members[] = {"status", "date", NULL};

/* Each group of members maps onto the case; any failure rejects it. */
static int read_referral(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *referral, *fr;
	if (jread_object(jr, obj, "referral", referral_members, &referral) != NRM_OK)
		return NRM_REJECT;
	if (!referral)
		return NRM_OK;
	size_t mark = jread_enter(jr, "referral");
	int rc = jread_date(jr, referral, "date", "referral_date", &c->referral_date);
	if (rc == NRM_OK)
		rc = jread_object(jr, referral, "first_responder", first_responder_members, &fr);
	if (rc == NRM_OK && fr) {
		size_t inner = jread_enter(jr, "first_responder");
		rc = jread_label(jr, fr, "type", "first_responder_type", LABEL_FIRST_RESPONDER,
		                 "Government agency, NGO and third sector, Police or Local "
		                 "Authority", &c->first_responder_type);
		if (rc == NRM_OK)
			rc = jread_text(jr, fr, "organisation", "first_responder_org",
			                &c->first_responder_org);
		jread_leave(jr, inner);
	}
	jread_leave(jr, mark);
	return rc;
}

static int read_victim(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *v;
	if (jread_object(jr, obj, "potential_victim", victim_members, &v) != NRM_OK)
		return NRM_REJECT;
	if (!v)
		return NRM_OK;
	size_t mark = jread_enter(jr, "potential_victim");
	int rc = jread_age(jr, v, "age_at_exploitation", "age_at_exploitation",
	                   &c->age_at_exploitation);
	if (rc == NRM_OK)
		rc = jread_bool(jr, v, "age_disputed", "age_disputed", &c->age_disputed);
	if (rc == NRM_OK)
		rc = jread_label(jr, v, "gender", "gender", LABEL_GENDER,
		                 "Female, Male, Other or Not specified", &c->gender);
	if (rc == NRM_OK)
		rc = jread_nationality(jr, v, "nationalities", "nationality", c->nationality);
	if (rc == NRM_OK)
		rc = jread_date(jr, v, "date_of_birth", "date_of_birth", &c->date_of_birth);
	jread_leave(jr, mark);
	return rc;
}

static int read_exploitation(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *x;
	if (jread_object(jr, obj, "exploitation", exploitation_members, &x) != NRM_OK)
		return NRM_REJECT;
	if (!x)
		return NRM_OK;
	size_t mark = jread_enter(jr, "exploitation");
	int rc = jread_exploitation(jr, x, "types", "exploitation_types", &c->exploitation_types);
	if (rc == NRM_OK)
		rc = jread_bool(jr, x, "county_lines", "county_lines", &c->county_lines);
	if (rc == NRM_OK)
		rc = jread_label(jr, x, "location", "exploitation_location", LABEL_LOCATION,
		                 "UK, Overseas, UK and Overseas or Not specified or unknown",
		                 &c->exploitation_location);
	jread_leave(jr, mark);
	return rc;
}

static int read_decision(struct jread *jr, json_t *decisions, const char *key, int kind,
                         const char *date_field, const char *outcome_field,
                         const char *expected, int32_t *date, int32_t *outcome)
{
	json_t *d;
	if (jread_object(jr, decisions, key, decision_members, &d) != NRM_OK)
		return NRM_REJECT;
	if (!d)
		return NRM_OK;
	size_t mark = jread_enter(jr, key);
	int rc = jread_date(jr, d, "date", date_field, date);
	if (rc == NRM_OK)
		rc = jread_label(jr, d, "outcome", outcome_field, kind, expected, outcome);
	jread_leave(jr, mark);
	return rc;
}

static int read_decisions(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *d;
	if (jread_object(jr, obj, "decisions", decisions_members, &d) != NRM_OK)
		return NRM_REJECT;
	if (!d)
		return NRM_OK;
	size_t mark = jread_enter(jr, "decisions");
	int rc = jread_label(jr, d, "competent_authority", "decision_maker", LABEL_DECISION_MAKER,
	                     "SCA, IECA or DDM panel", &c->decision_maker);
	if (rc == NRM_OK)
		rc = read_decision(jr, d, "reasonable_grounds", LABEL_RG_OUTCOME, "rg_decision_date",
		                   "rg_outcome", "Positive reasonable grounds or Negative "
		                   "reasonable grounds", &c->rg_decision_date, &c->rg_outcome);
	if (rc == NRM_OK)
		rc = read_decision(jr, d, "conclusive_grounds", LABEL_CG_OUTCOME, "cg_decision_date",
		                   "cg_outcome", "Positive conclusive grounds or Negative "
		                   "conclusive grounds", &c->cg_decision_date, &c->cg_outcome);
	jread_leave(jr, mark);
	return rc;
}

static int read_rest(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *local, *areas, *status;
	int rc = jread_text(jr, obj, "nrm_reference", "nrm_ref", &c->nrm_ref);
	if (rc == NRM_OK)
		rc = jread_object(jr, obj, "local_case", local_case_members, &local);
	if (rc == NRM_OK && local) {
		size_t mark = jread_enter(jr, "local_case");
		rc = jread_text(jr, local, "site", "site", &c->site);
		if (rc == NRM_OK)
			rc = jread_text(jr, local, "case_id", "case_id", &c->case_id);
		jread_leave(jr, mark);
	}
	if (rc == NRM_OK)
		rc = jread_object(jr, obj, "areas", areas_members, &areas);
	if (rc == NRM_OK && areas) {
		size_t mark = jread_enter(jr, "areas");
		rc = jread_text(jr, areas, "local_authority", "local_authority", &c->local_authority);
		if (rc == NRM_OK)
			rc = jread_text(jr, areas, "police_force_area", "police_force",
			                &c->police_force);
		jread_leave(jr, mark);
	}
	if (rc == NRM_OK)
		rc = jread_object(jr, obj, "case_status", status_members, &status);
	if (rc == NRM_OK && status) {
		size_t mark = jread_enter(jr, "case_status");
		rc = jread_label(jr, status, "status", "status", LABEL_STATUS,
		                 "Open, Withdrawn or Transferred", &c->status);
		if (rc == NRM_OK)
			rc = jread_date(jr, status, "date", "status_date", &c->status_date);
		jread_leave(jr, mark);
	}
	if (rc == NRM_OK)
		rc = jread_time(jr, obj, "last_updated", "updated_at", &c->updated_at);
	return rc;
}

static int map_case(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	if (jread_members(jr, obj, case_members) != NRM_OK)
		return NRM_REJECT;
	if (read_rest(jr, obj, c) != NRM_OK || read_referral(jr, obj, c) != NRM_OK ||
	    read_victim(jr, obj, c) != NRM_OK || read_exploitation(jr, obj, c) != NRM_OK ||
	    read_decisions(jr, obj, c) != NRM_OK)
		return NRM_REJECT;
	return NRM_OK;
}

static int cb_homeoffice_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	struct ho_reader *r = state;
	json_decref(r->current);
	r->current = NULL;
	int rc = find_next_case(r);
	if (rc != NRM_OK)
		return rc;
	char base[64];
	snprintf(base, sizeof(base), "$.cases[%llu]", (unsigned long long)r->index);
	envelope_pos(&r->env, &r->jr.pos);
	*where = r->jr.pos;
	r->index++;
	r->current = envelope_object(&r->env, base);
	if (!r->current)
		return NRM_FAIL; /* the rest of the document cannot be trusted */
	jread_start(&r->jr, base);
	return map_case(&r->jr, r->current, out);
}

static void cb_homeoffice_import_close(void *state)
{
	struct ho_reader *r = state;
	if (!r)
		return;
	json_decref(r->current);
	envelope_free(&r->env);
	free(r);
}

/* ---- export ------------------------------------------------------------ */

struct ho_writer {
	struct out_buffer out;  /* first: out_buffer_open's writer */
	uint64_t cases;
};

/* The header's time: the option, else $SOURCE_DATE_EPOCH (reproducible
 * builds' convention), else now. */
static int generated_at(const struct nrm_host *host, nrm_stream *out, char text[21])
{
	const char *given = host->option_string(out, "generated-at");
	int64_t t;
	if (given) {
		size_t len = strlen(given);
		if (len == 0 || given[len - 1] != 'Z' ||
		    host->time_parse_rfc3339(given, len, &t) != NRM_OK)
			return host->report(out, NULL, NULL, "the generated-at option must be an "
			                    "RFC 3339 time in UTC (2025-07-01T09:00:00Z)");
	} else {
		const char *epoch = getenv("SOURCE_DATE_EPOCH");
		char *end = NULL;
		long long v = epoch ? strtoll(epoch, &end, 10) : 0;
		t = epoch && *epoch && end && !*end && v >= 0 ? (int64_t)v : (int64_t)time(NULL);
	}
	host->time_format_rfc3339(t, text);
	return NRM_OK;
}

static int cb_homeoffice_export_open(const struct nrm_host *host, nrm_stream *out,
                                     void **state)
{
	char when[21];
	if (generated_at(host, out, when) != NRM_OK)
		return NRM_FAIL;
	if (out_buffer_open(state, sizeof(struct ho_writer), host, out) != NRM_OK)
		return NRM_FAIL;
	struct out_buffer *b = *state;
	int bad = jw_raw(b, "{\n  \"header\": {\"sender\": ");
	bad |= jw_string(b, host->option_string(out, "sender"));
	bad |= jw_raw(b, ", \"generated_at\": \"");
	bad |= out_buffer_put(b, when, 20);
	bad |= jw_raw(b, "\", \"schema_version\": \"" SCHEMA_VERSION "\"},\n  \"cases\": [");
	return bad ? NRM_FAIL : NRM_OK;
}

static int put_decision(struct out_buffer *b, int kind, int32_t date, int32_t outcome)
{
	if (date == NRM_DATE_NONE && outcome == NRM_OUTCOME_NONE)
		return jw_raw(b, "null");
	int bad = jw_raw(b, "{\"date\": ");
	bad |= jw_date(b, date);
	bad |= jw_raw(b, ", \"outcome\": ");
	bad |= jw_label(b, kind, outcome);
	bad |= jw_raw(b, "}");
	return bad;
}

/* One case per line, members in the order formats/homeoffice-json.md gives. */
static int cb_homeoffice_export_write(void *state, const struct nrm_case *c)
{
	struct ho_writer *w = state;
	struct out_buffer *b = &w->out;
	int bad = out_buffer_puts(b, w->cases++ ? ",\n    " : "\n    ");
	bad |= jw_raw(b, "{\"nrm_reference\": ");
	bad |= jw_string(b, c->nrm_ref);
	bad |= jw_raw(b, ", \"local_case\": {\"site\": ");
	bad |= jw_string(b, c->site);
	bad |= jw_raw(b, ", \"case_id\": ");
	bad |= jw_string(b, c->case_id);
	bad |= jw_raw(b, "}, \"referral\": {\"date\": ");
	bad |= jw_date(b, c->referral_date);
	bad |= jw_raw(b, ", \"first_responder\": {\"type\": ");
	bad |= jw_label(b, LABEL_FIRST_RESPONDER, c->first_responder_type);
	bad |= jw_raw(b, ", \"organisation\": ");
	bad |= jw_string(b, c->first_responder_org);
	bad |= jw_raw(b, "}}, \"potential_victim\": {\"age_at_exploitation\": ");
	bad |= jw_int(b, c->age_at_exploitation, NRM_AGE_NONE);
	bad |= jw_raw(b, ", \"age_disputed\": ");
	bad |= jw_tristate(b, c->age_disputed);
	bad |= jw_raw(b, ", \"gender\": ");
	bad |= jw_label(b, LABEL_GENDER, c->gender);
	bad |= jw_raw(b, ", \"nationalities\": ");
	bad |= jw_nationality(b, c->nationality);
	bad |= jw_raw(b, ", \"date_of_birth\": ");
	bad |= jw_date(b, c->date_of_birth);
	bad |= jw_raw(b, "}, \"exploitation\": {\"types\": ");
	bad |= jw_exploitation_labels(b, c->exploitation_types);
	bad |= jw_raw(b, ", \"county_lines\": ");
	bad |= jw_tristate(b, c->county_lines);
	bad |= jw_raw(b, ", \"location\": ");
	bad |= jw_label(b, LABEL_LOCATION, c->exploitation_location);
	bad |= jw_raw(b, "}, \"areas\": {\"local_authority\": ");
	bad |= jw_string(b, c->local_authority);
	bad |= jw_raw(b, ", \"police_force_area\": ");
	bad |= jw_string(b, c->police_force);
	bad |= jw_raw(b, "}, \"decisions\": {\"competent_authority\": ");
	bad |= jw_label(b, LABEL_DECISION_MAKER, c->decision_maker);
	bad |= jw_raw(b, ", \"reasonable_grounds\": ");
	bad |= put_decision(b, LABEL_RG_OUTCOME, c->rg_decision_date, c->rg_outcome);
	bad |= jw_raw(b, ", \"conclusive_grounds\": ");
	bad |= put_decision(b, LABEL_CG_OUTCOME, c->cg_decision_date, c->cg_outcome);
	bad |= jw_raw(b, "}, \"case_status\": {\"status\": ");
	bad |= jw_label(b, LABEL_STATUS, c->status);
	bad |= jw_raw(b, ", \"date\": ");
	bad |= jw_date(b, c->status_date);
	bad |= jw_raw(b, "}, \"last_updated\": ");
	bad |= jw_time(b, c->updated_at);
	bad |= jw_raw(b, "}");
	return bad ? NRM_FAIL : NRM_OK;
}

static int cb_homeoffice_export_finish(void *state)
{
	struct ho_writer *w = state;
	int bad = out_buffer_puts(&w->out, w->cases ? "\n  ]\n}\n" : "]\n}\n");
	bad |= out_buffer_flush(&w->out);
	return bad ? NRM_FAIL : NRM_OK;
}

static const char *const formats[] = {"homeoffice-json", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "homeoffice-json",
	.version = "1.0.0",
	.description = "The Home Office case-working exchange: one JSON document, a header "
	               "and its cases (NRM reference, SCA and IECA decisions), streamed.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_homeoffice_import_open,
	.import_next = cb_homeoffice_import_next,
	.import_close = cb_homeoffice_import_close,
	.export_open = cb_homeoffice_export_open,
	.export_write = cb_homeoffice_export_write,
	.export_finish = cb_homeoffice_export_finish,
	.export_close = out_buffer_export_close,
);

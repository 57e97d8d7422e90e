/*
 * ni-json: Northern Ireland's layout, for the Department of Justice and the
 * Health and Social Care (HSC) Trusts.  JSON lines, one referral per line,
 * with member names in camelCase and a nesting of its own: the child, the
 * exploitation and the area in their own objects, the decisions as an
 * array of stages ({"stage": "RG", ...}), the policing body as "PSNI"
 * rather than the nation code N92000002, and the council district (N09).
 * In Northern Ireland children's social services belong to the HSC Trusts,
 * so a "Local Authority" first responder there is a Trust; the category
 * keeps the Home Office's label.  The layout holds no free text, so the
 * first responder's organisation is not carried.  formats/ni-json.md
 * documents every member.
 */
#include <nrmhub/plugin.h>

#include "json_read.h"
#include "json_syntax.h"
#include "json_write.h"
#include "labels.h"
#include "out_buffer.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PSNI_LABEL "PSNI"
#define PSNI_CODE "N92000002"
#define READ_CHUNK (64 * 1024)

static const struct nrm_option_spec options[] = {
	{.name = "max-line-size", .type = NRM_OPT_SIZE, .default_value = "64k",
	 .description = "The longest line (one referral) accepted, in bytes.",
	 .min = 1024, .max = INT64_C(1) << 30},
	{.name = "max-document-size", .type = NRM_OPT_SIZE, .default_value = "1G",
	 .description = "The largest file accepted, in bytes.",
	 .min = 1024, .max = INT64_C(1) << 40},
	{.name = NULL},
};

/* ---- reading lines ----------------------------------------------------- */

struct ni_reader {
	const struct nrm_host *host;
	nrm_stream *in;
	char *buf;
	size_t start, end, cap, max_line;
	uint64_t read_total, max_document;
	uint64_t line;       /* the line last returned */
	uint64_t records;    /* non-blank lines seen */
	bool eof;
	json_t *current;
	struct jread jr;
};

static int cb_ni_import_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	struct ni_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return host->report(in, NULL, NULL, "out of memory");
	r->host = host;
	r->in = in;
	r->jr.host = host;
	r->jr.in = in;
	r->max_line = (size_t)host->option_int(in, "max-line-size");
	r->max_document = (uint64_t)host->option_int(in, "max-document-size");
	r->cap = READ_CHUNK > r->max_line + 2 ? READ_CHUNK : r->max_line + 2;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return host->report(in, NULL, NULL, "out of memory");
	}
	*state = r;
	return NRM_OK;
}

/* Reads more after the unread bytes; the buffer holds a whole line of up
 * to max-line-size, so a line that fills it is too long. */
static int fill(struct ni_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		struct nrm_pos pos = {.line = r->line + 1};
		return r->host->report(r->in, &pos, NULL, "line longer than max-line-size "
		                       "(%zu bytes)", r->max_line);
	}
	ssize_t n = r->host->read(r->in, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return NRM_FAIL;
	if (n == 0)
		r->eof = true;
	r->end += (size_t)n;
	r->read_total += (uint64_t)n;
	if (r->read_total > r->max_document)
		return r->host->report(r->in, NULL, NULL, "the file is larger than "
		                       "max-document-size (%llu bytes)",
		                       (unsigned long long)r->max_document);
	return NRM_OK;
}

/* The next line without its line end: NRM_OK, NRM_EOF or NRM_FAIL. */
static int next_line(struct ni_reader *r, const char **text, size_t *len)
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
				return r->host->report(r->in, &pos, NULL, "line longer than "
				                       "max-line-size (%zu bytes)", r->max_line);
			}
			return NRM_OK;
		}
		if (r->eof)
			return NRM_EOF;
		size_t unread_scanned = r->end - r->start;
		if (fill(r) != NRM_OK)
			return NRM_FAIL;
		scanned = r->start + unread_scanned;
	}
}

static bool is_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* ---- mapping one referral ---------------------------------------------- */

static const char *const record_members[] = {
	"referralId", "pilotArea", "nrmReference", "dateReferred", "referrer",
	"councilDistrict", "policeService", "child", "exploitation", "decisions",
	"decidedBy", "status", "lastModified", NULL,
};
static const char *const referrer_members[] = {"category", NULL};
static const char *const child_members[] = {"ageAtExploitation", "ageDisputed", "gender",
                                            "nationality", NULL};
static const char *const exploitation_members[] = {"forms", "countyLines", "where", NULL};
static const char *const decision_members[] = {"stage", "date", "outcome", NULL};
static const char *const status_members[] = {"value", "since", NULL};

static int read_police(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	const char *police = NULL;
	if (jread_text(jr, obj, "policeService", "police_force", &police) != NRM_OK)
		return NRM_REJECT;
	/* PSNI has no police force area code: the canonical case uses the
	 * nation code.  Other forces (a child moved from Great Britain) keep
	 * their GSS code, which the hub checks. */
	c->police_force = police && strcmp(police, PSNI_LABEL) == 0 ? PSNI_CODE : police;
	return NRM_OK;
}

static int read_child(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *child;
	if (jread_object(jr, obj, "child", child_members, &child) != NRM_OK)
		return NRM_REJECT;
	if (!child)
		return NRM_OK;
	size_t mark = jread_enter(jr, "child");
	int rc = jread_age(jr, child, "ageAtExploitation", "age_at_exploitation",
	                   &c->age_at_exploitation);
	if (rc == NRM_OK)
		rc = jread_bool(jr, child, "ageDisputed", "age_disputed", &c->age_disputed);
	if (rc == NRM_OK)
		rc = jread_label(jr, child, "gender", "gender", LABEL_GENDER,
		                 "Female, Male, Other or Not specified", &c->gender);
	if (rc == NRM_OK)
		rc = jread_nationality(jr, child, "nationality", "nationality", c->nationality);
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
	int rc = jread_exploitation(jr, x, "forms", "exploitation_types", &c->exploitation_types);
	if (rc == NRM_OK)
		rc = jread_bool(jr, x, "countyLines", "county_lines", &c->county_lines);
	if (rc == NRM_OK)
		rc = jread_label(jr, x, "where", "exploitation_location", LABEL_LOCATION,
		                 "UK, Overseas, UK and Overseas or Not specified or unknown",
		                 &c->exploitation_location);
	jread_leave(jr, mark);
	return rc;
}

/* One element of the decisions array: {"stage": "RG"|"CG", "date", "outcome"}. */
static int read_stage(struct jread *jr, json_t *d, struct nrm_case *c, bool seen[2])
{
	if (jread_members(jr, d, decision_members) != NRM_OK)
		return NRM_REJECT;
	json_t *stage = json_object_get(d, "stage");
	const char *name = json_string_value(stage);
	bool rg = name && strcmp(name, "RG") == 0, cg = name && strcmp(name, "CG") == 0;
	if (!rg && !cg)
		return jread_reject(jr, NULL, "stage must be RG or CG");
	if (seen[cg])
		return jread_reject(jr, cg ? "cg_decision_date" : "rg_decision_date",
		                    "a second %s decision (a case has one of each)", name);
	seen[cg] = true;
	int rc = jread_date(jr, d, "date", rg ? "rg_decision_date" : "cg_decision_date",
	                    rg ? &c->rg_decision_date : &c->cg_decision_date);
	if (rc == NRM_OK)
		rc = jread_label(jr, d, "outcome", rg ? "rg_outcome" : "cg_outcome",
		                 rg ? LABEL_RG_OUTCOME : LABEL_CG_OUTCOME,
		                 rg ? "Positive reasonable grounds or Negative reasonable grounds"
		                    : "Positive conclusive grounds or Negative conclusive grounds",
		                 rg ? &c->rg_outcome : &c->cg_outcome);
	if (rc == NRM_OK && (rg ? c->rg_decision_date : c->cg_decision_date) == NRM_DATE_NONE)
		rc = jread_reject(jr, rg ? "rg_decision_date" : "cg_decision_date",
		                  "a decision needs its date");
	return rc;
}

static int read_decisions(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *list = json_object_get(obj, "decisions");
	if (!list || json_is_null(list))
		return NRM_OK;
	size_t mark = jread_enter(jr, "decisions");
	int rc = NRM_OK;
	if (!json_is_array(list) || json_array_size(list) > 2)
		rc = jread_reject(jr, NULL, "must be an array of at most two decisions (RG, CG)");
	bool seen[2] = {false, false};
	for (size_t i = 0; rc == NRM_OK && i < json_array_size(list); i++) {
		size_t inner = jread_enter_index(jr, i);
		rc = read_stage(jr, json_array_get(list, i), c, seen);
		jread_leave(jr, inner);
	}
	jread_leave(jr, mark);
	return rc;
}

static int read_status(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *st;
	if (jread_object(jr, obj, "status", status_members, &st) != NRM_OK)
		return NRM_REJECT;
	if (!st)
		return NRM_OK;
	size_t mark = jread_enter(jr, "status");
	int rc = jread_label(jr, st, "value", "status", LABEL_STATUS,
	                     "Open, Withdrawn or Transferred", &c->status);
	if (rc == NRM_OK)
		rc = jread_date(jr, st, "since", "status_date", &c->status_date);
	jread_leave(jr, mark);
	return rc;
}

static int map_record(struct jread *jr, json_t *obj, struct nrm_case *c)
{
	json_t *referrer;
	if (jread_members(jr, obj, record_members) != NRM_OK)
		return NRM_REJECT;
	int rc = jread_text(jr, obj, "referralId", "case_id", &c->case_id);
	if (rc == NRM_OK)
		rc = jread_text(jr, obj, "pilotArea", "site", &c->site);
	if (rc == NRM_OK)
		rc = jread_text(jr, obj, "nrmReference", "nrm_ref", &c->nrm_ref);
	if (rc == NRM_OK)
		rc = jread_date(jr, obj, "dateReferred", "referral_date", &c->referral_date);
	if (rc == NRM_OK)
		rc = jread_object(jr, obj, "referrer", referrer_members, &referrer);
	if (rc == NRM_OK && referrer) {
		size_t mark = jread_enter(jr, "referrer");
		rc = jread_label(jr, referrer, "category", "first_responder_type",
		                 LABEL_FIRST_RESPONDER, "Government agency, NGO and third sector, "
		                 "Police or Local Authority", &c->first_responder_type);
		jread_leave(jr, mark);
	}
	if (rc == NRM_OK)
		rc = jread_text(jr, obj, "councilDistrict", "local_authority", &c->local_authority);
	if (rc == NRM_OK)
		rc = read_police(jr, obj, c);
	if (rc == NRM_OK)
		rc = read_child(jr, obj, c);
	if (rc == NRM_OK)
		rc = read_exploitation(jr, obj, c);
	if (rc == NRM_OK)
		rc = read_decisions(jr, obj, c);
	if (rc == NRM_OK)
		rc = jread_label(jr, obj, "decidedBy", "decision_maker", LABEL_DECISION_MAKER,
		                 "DDM panel, SCA or IECA", &c->decision_maker);
	if (rc == NRM_OK)
		rc = read_status(jr, obj, c);
	if (rc == NRM_OK)
		rc = jread_time(jr, obj, "lastModified", "updated_at", &c->updated_at);
	return rc == NRM_OK ? NRM_OK : NRM_REJECT;
}

#define WRONG_FORMAT " (ni-json is one JSON object per line; is --from right? " \
                     "'nrmhub plugins' lists the formats)"

static bool looks_like_referral(json_t *obj)
{
	return json_is_object(obj) &&
	       (json_object_get(obj, "referralId") || json_object_get(obj, "dateReferred"));
}

static int cb_ni_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	struct ni_reader *r = state;
	const char *text = NULL;
	size_t len = 0;
	json_decref(r->current);
	r->current = NULL;
	do {
		int rc = next_line(r, &text, &len);
		if (rc == NRM_EOF && r->records == 0) {
			struct nrm_pos pos = {.line = 1};
			return r->host->report(r->in, &pos, NULL, "empty file: expected one "
			                       "referral per line (JSON lines)");
		}
		if (rc != NRM_OK)
			return rc;
	} while (is_blank(text, len));
	r->records++;
	memset(where, 0, sizeof(*where));
	where->line = r->line;
	r->jr.pos = *where;
	jread_start(&r->jr, "$");
	json_error_t err;
	r->current = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!r->current) {
		char reason[200];
		json_syntax_reason(err.text, reason, sizeof(reason));
		int column = err.column + json_syntax_column_shift(err.text);
		struct nrm_pos pos = {.line = r->line, .column = (uint64_t)(column > 0 ? column : 0)};
		/* A first line that is not JSON is most likely another format. */
		r->host->report(r->in, &pos, NULL, "%s%s", reason, r->records == 1 ? WRONG_FORMAT : "");
		return r->records == 1 ? NRM_FAIL : NRM_REJECT;
	}
	if (r->records == 1 && !looks_like_referral(r->current)) {
		r->host->report(r->in, where, NULL, "not an ni-json referral: no referralId or "
		                "dateReferred member%s", WRONG_FORMAT);
		return NRM_FAIL;
	}
	return map_record(&r->jr, r->current, out);
}

static void cb_ni_import_close(void *state)
{
	struct ni_reader *r = state;
	if (!r)
		return;
	json_decref(r->current);
	free(r->buf);
	free(r);
}

/* ---- export ------------------------------------------------------------ */

static int cb_ni_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	return out_buffer_open(state, sizeof(struct out_buffer), host, out);
}

static int put_stage(struct out_buffer *b, const char *stage, int kind, int32_t date,
                     int32_t outcome)
{
	int bad = jw_raw(b, "{\"stage\":\"");
	bad |= out_buffer_puts(b, stage);
	bad |= jw_raw(b, "\",\"date\":");
	bad |= jw_date(b, date);
	bad |= jw_raw(b, ",\"outcome\":");
	bad |= jw_label(b, kind, outcome);
	bad |= jw_raw(b, "}");
	return bad;
}

static int put_decisions(struct out_buffer *b, const struct nrm_case *c)
{
	bool rg = c->rg_decision_date != NRM_DATE_NONE || c->rg_outcome != NRM_OUTCOME_NONE;
	bool cg = c->cg_decision_date != NRM_DATE_NONE || c->cg_outcome != NRM_OUTCOME_NONE;
	int bad = jw_raw(b, "[");
	if (rg)
		bad |= put_stage(b, "RG", LABEL_RG_OUTCOME, c->rg_decision_date, c->rg_outcome);
	if (rg && cg)
		bad |= jw_raw(b, ",");
	if (cg)
		bad |= put_stage(b, "CG", LABEL_CG_OUTCOME, c->cg_decision_date, c->cg_outcome);
	bad |= jw_raw(b, "]");
	return bad;
}

static int cb_ni_export_write(void *state, const struct nrm_case *c)
{
	struct out_buffer *b = state;
	const char *police = c->police_force && strcmp(c->police_force, PSNI_CODE) == 0
	                             ? PSNI_LABEL : c->police_force;
	int bad = jw_raw(b, "{\"referralId\":");
	bad |= jw_string(b, c->case_id);
	bad |= jw_raw(b, ",\"pilotArea\":");
	bad |= jw_string(b, c->site);
	bad |= jw_raw(b, ",\"nrmReference\":");
	bad |= jw_string(b, c->nrm_ref);
	bad |= jw_raw(b, ",\"dateReferred\":");
	bad |= jw_date(b, c->referral_date);
	bad |= jw_raw(b, ",\"referrer\":{\"category\":");
	bad |= jw_label(b, LABEL_FIRST_RESPONDER, c->first_responder_type);
	bad |= jw_raw(b, "},\"councilDistrict\":");
	bad |= jw_string(b, c->local_authority);
	bad |= jw_raw(b, ",\"policeService\":");
	bad |= jw_string(b, police);
	bad |= jw_raw(b, ",\"child\":{\"ageAtExploitation\":");
	bad |= jw_int(b, c->age_at_exploitation, NRM_AGE_NONE);
	bad |= jw_raw(b, ",\"ageDisputed\":");
	bad |= jw_tristate(b, c->age_disputed);
	bad |= jw_raw(b, ",\"gender\":");
	bad |= jw_label(b, LABEL_GENDER, c->gender);
	bad |= jw_raw(b, ",\"nationality\":");
	bad |= jw_nationality(b, c->nationality);
	bad |= jw_raw(b, "},\"exploitation\":{\"forms\":");
	bad |= jw_exploitation_labels(b, c->exploitation_types);
	bad |= jw_raw(b, ",\"countyLines\":");
	bad |= jw_tristate(b, c->county_lines);
	bad |= jw_raw(b, ",\"where\":");
	bad |= jw_label(b, LABEL_LOCATION, c->exploitation_location);
	bad |= jw_raw(b, "},\"decisions\":");
	bad |= put_decisions(b, c);
	bad |= jw_raw(b, ",\"decidedBy\":");
	bad |= jw_label(b, LABEL_DECISION_MAKER, c->decision_maker);
	bad |= jw_raw(b, ",\"status\":{\"value\":");
	bad |= jw_label(b, LABEL_STATUS, c->status);
	bad |= jw_raw(b, ",\"since\":");
	bad |= jw_date(b, c->status_date);
	bad |= jw_raw(b, "},\"lastModified\":");
	bad |= jw_time(b, c->updated_at);
	bad |= jw_raw(b, "}\n");
	return bad ? NRM_FAIL : NRM_OK;
}

static const char *const formats[] = {"ni-json", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "ni-json",
	.version = "1.0.0",
	.description = "Northern Ireland's layout (Department of Justice, HSC Trusts): JSON "
	               "lines, N09 council districts, PSNI.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_ni_import_open,
	.import_next = cb_ni_import_next,
	.import_close = cb_ni_import_close,
	.export_open = cb_ni_export_open,
	.export_write = cb_ni_export_write,
	.export_finish = out_buffer_export_finish,
	.export_close = out_buffer_export_close,
);

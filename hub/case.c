/*
 * Canonical case rules.  Checks run field by field in schema order and stop
 * at the first broken rule, so a message always names one field.  Messages
 * quote a value only when it is a short code or a date: free text and
 * identifiers from children's records never reach a log.
 */
#include "case.h"

#include "country.h"
#include "date.h"
#include "gss.h"
#include "pilot_scope.h"
#include "util.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CASE_ID_MAX 64
#define NRM_REF_MAX 64
#define ORG_MAX 200
#define SITE_MAX 40

void nrm_case_init(struct nrm_case *c)
{
	memset(c, 0, sizeof(*c));
	c->updated_at = NRM_TIME_NONE;
	c->referral_date = NRM_DATE_NONE;
	c->age_at_exploitation = NRM_AGE_NONE;
	c->rg_decision_date = NRM_DATE_NONE;
	c->cg_decision_date = NRM_DATE_NONE;
	c->status_date = NRM_DATE_NONE;
	c->date_of_birth = NRM_DATE_NONE;
	c->age_disputed = NRM_UNKNOWN;
	c->county_lines = NRM_UNKNOWN;
}

void nrm_case_from_module(struct nrm_case *c, unsigned abi_minor)
{
	/* A 1.0 module may have zeroed the whole record, reserved bytes and
	 * all, and day 0 is a real date (1970-01-01). */
	if (abi_minor < 1)
		c->date_of_birth = NRM_DATE_NONE;
}

static int broken(struct nrm_case_problem *p, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int broken(struct nrm_case_problem *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	p->field = field;
	return -1;
}

/* Printable UTF-8 of 1..max bytes: no control characters (C0, DEL, C1),
 * which would let a value forge lines in a CSV, a log or a terminal.  One
 * pass with an ASCII fast path, since this runs on every string of every
 * record imported. */
static int check_text(const char *s, size_t max, const char *field,
                      struct nrm_case_problem *p)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (;;) {
		unsigned char ch = u[i];
		if (ch >= 0x20 && ch < 0x7f) {
			i++;
			continue;
		}
		if (ch == 0)
			break;
		if (ch < 0x80)
			return broken(p, field, "contains a control character at byte %zu", i + 1);
		/* A multi-byte sequence: its continuation bytes are never NUL,
		 * so stopping at the first NUL cannot read past the string. */
		size_t n = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
		size_t have = 1;
		while (have < n && u[i + have])
			have++;
		if (have < n || !nrm_utf8_valid(s + i, n))
			return broken(p, field, "is not valid UTF-8");
		if (ch == 0xc2 && u[i + 1] <= 0x9f)
			return broken(p, field, "contains a control character at byte %zu", i + 1);
		/* U+200B..U+200F, U+2060 and U+FEFF (a BOM a spreadsheet left at
		 * the start of a line): invisible, so an identifier holding one
		 * would be a second case that looks like the first.  Every reader's
		 * records pass here, so the rule is the same for all formats. */
		if ((ch == 0xe2 && u[i + 1] == 0x80 && u[i + 2] >= 0x8b && u[i + 2] <= 0x8f) ||
		    (ch == 0xe2 && u[i + 1] == 0x81 && u[i + 2] == 0xa0) ||
		    (ch == 0xef && u[i + 1] == 0xbb && u[i + 2] == 0xbf))
			return broken(p, field, "contains an invisible character (U+%04X) at byte %zu: "
			              "zero-width characters and byte order marks are not allowed",
			              ch == 0xef ? 0xfeff : ch == 0xe2 && u[i + 1] == 0x81 ? 0x2060
			                                 : 0x2000 + (u[i + 2] - 0x80), i + 1);
		i += n;
	}
	if (i == 0)
		return broken(p, field, "must not be empty (leave it unknown instead)");
	if (i > max)
		return broken(p, field, "is %zu bytes long; at most %zu are allowed", i, max);
	return 0;
}

static int check_site(const char *s, struct nrm_case_problem *p)
{
	size_t len = strlen(s);
	bool ok = len >= 2 && len <= SITE_MAX && s[0] >= 'a' && s[0] <= 'z';
	for (size_t i = 1; ok && i < len; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-';
	if (!ok)
		return broken(p, "site", "must be 2 to %d lower-case letters, digits or "
		              "hyphens, starting with a letter", SITE_MAX);
	return 0;
}

/* A value is echoed in a message only when it has the shape of the code
 * expected (two letters; a letter and eight digits), so a name typed into a
 * code column never reaches a log. */
static const char *quotable_country(const char *code)
{
	bool shaped = strlen(code) == 2 && isalpha((unsigned char)code[0]) &&
	              isalpha((unsigned char)code[1]);
	return shaped ? code : "(value not shown)";
}

static const char *quotable_gss(const char *code)
{
	bool shaped = strlen(code) == 9 && isupper((unsigned char)code[0]);
	for (int i = 1; shaped && i < 9; i++)
		shaped = isdigit((unsigned char)code[i]);
	return shaped ? code : "(value not shown)";
}

static int check_areas(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (c->local_authority && !nrm_gss_is_local_authority(c->local_authority))
		return broken(p, "local_authority",
		              "'%s' is not a GSS local authority code (%s)",
		              quotable_gss(c->local_authority), nrm_gss_local_authority_types);
	if (c->police_force && !nrm_gss_is_police_force(c->police_force))
		return broken(p, "police_force",
		              "'%s' is not a police force area code (E23000001-E23000039, "
		              "W15000001-W15000004, or S92000003/N92000002 for Police Scotland "
		              "and PSNI)", quotable_gss(c->police_force));
	return 0;
}

static int check_nationality(const struct nrm_case *c, struct nrm_case_problem *p)
{
	const char *first = c->nationality[0], *second = c->nationality[1];
	if (!first && second)
		return broken(p, "nationality", "a second nationality is given without a first");
	for (int i = 0; i < 2; i++) {
		const char *code = c->nationality[i];
		if (code && !nrm_country_known(code))
			return broken(p, "nationality",
			              "'%s' is not an ISO 3166-1 alpha-2 country code", quotable_country(code));
	}
	if (first && second && strcmp(first, second) == 0)
		return broken(p, "nationality", "the same code is given twice");
	return 0;
}

static bool in_set(int32_t v, int count)
{
	return v >= 0 && v < count;
}

static int check_enums(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (!in_set(c->first_responder_type, NRM_FR_LOCAL_AUTHORITY + 1))
		return broken(p, "first_responder_type", "has no such value");
	if (!in_set(c->gender, NRM_GENDER_OTHER + 1))
		return broken(p, "gender", "has no such value");
	if (c->exploitation_types & ~(uint32_t)NRM_EXPL_ALL)
		return broken(p, "exploitation_types", "has no such value");
	if (!in_set(c->exploitation_location, NRM_LOC_UK_AND_OVERSEAS + 1))
		return broken(p, "exploitation_location", "has no such value");
	if (!in_set(c->decision_maker, NRM_DM_IECA + 1))
		return broken(p, "decision_maker", "has no such value");
	if (!in_set(c->status, NRM_STATUS_TRANSFERRED + 1))
		return broken(p, "status", "has no such value");
	if (c->age_disputed < NRM_UNKNOWN || c->age_disputed > NRM_YES)
		return broken(p, "age_disputed", "must be true, false or unknown");
	if (c->county_lines < NRM_UNKNOWN || c->county_lines > NRM_YES)
		return broken(p, "county_lines", "must be true, false or unknown");
	if (c->age_at_exploitation != NRM_AGE_NONE &&
	    (c->age_at_exploitation < 0 || c->age_at_exploitation > 17))
		return broken(p, "age_at_exploitation",
		              "%d is not a child's age: must be 0 to 17 (adults are not in "
		              "the pilot)", (int)c->age_at_exploitation);
	return 0;
}

static void format_date(int32_t d, char buf[11])
{
	nrm_date_format_iso(d, buf);
}

/* One decision: outcome present exactly when its date is, and the date not
 * before `after` (named `after_name`). */
static int check_decision(const char *date_field, int32_t date, const char *outcome_field,
                          int32_t outcome, int32_t after, const char *after_name,
                          struct nrm_case_problem *p)
{
	if (!in_set(outcome, NRM_OUTCOME_NEGATIVE + 1))
		return broken(p, outcome_field, "has no such value");
	if (date == NRM_DATE_NONE && outcome != NRM_OUTCOME_NONE)
		return broken(p, date_field, "is missing, but %s is given: a decision needs "
		              "both its date and its outcome", outcome_field);
	if (date != NRM_DATE_NONE && outcome == NRM_OUTCOME_NONE)
		return broken(p, outcome_field, "is missing, but %s is given: a decision needs "
		              "both its date and its outcome", date_field);
	if (date != NRM_DATE_NONE && date < after) {
		char d1[11], d2[11];
		format_date(date, d1);
		format_date(after, d2);
		return broken(p, date_field, "%s is before the %s %s", d1, after_name, d2);
	}
	return 0;
}

static int check_decisions(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (check_decision("rg_decision_date", c->rg_decision_date, "rg_outcome",
	                   c->rg_outcome, c->referral_date, "referral_date", p))
		return -1;
	if (!in_set(c->cg_outcome, NRM_OUTCOME_NEGATIVE + 1))
		return broken(p, "cg_outcome", "has no such value");
	if (c->cg_decision_date != NRM_DATE_NONE || c->cg_outcome != NRM_OUTCOME_NONE) {
		if (c->rg_outcome != NRM_OUTCOME_POSITIVE)
			return broken(p, "cg_decision_date",
			              "a conclusive grounds decision needs a positive reasonable "
			              "grounds decision first");
	}
	return check_decision("cg_decision_date", c->cg_decision_date, "cg_outcome",
	                      c->cg_outcome, c->rg_decision_date, "rg_decision_date", p);
}

static int check_status(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (c->status != NRM_STATUS_OPEN && c->status_date == NRM_DATE_NONE)
		return broken(p, "status_date", "is missing: a withdrawn or transferred case "
		              "needs the date it was withdrawn or transferred");
	if (c->status_date != NRM_DATE_NONE && c->status_date < c->referral_date) {
		char d1[11], d2[11];
		format_date(c->status_date, d1);
		format_date(c->referral_date, d2);
		return broken(p, "status_date", "%s is before the referral_date %s", d1, d2);
	}
	return 0;
}

static int check_identity(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (!c->case_id)
		return broken(p, "case_id", "is missing");
	if (check_text(c->case_id, CASE_ID_MAX, "case_id", p))
		return -1;
	if (!c->site)
		return broken(p, "site", "is missing");
	if (check_site(c->site, p))
		return -1;
	if (c->nrm_ref && check_text(c->nrm_ref, NRM_REF_MAX, "nrm_ref", p))
		return -1;
	if (c->referral_date == NRM_DATE_NONE)
		return broken(p, "referral_date", "is missing");
	if (c->first_responder_org &&
	    check_text(c->first_responder_org, ORG_MAX, "first_responder_org", p))
		return -1;
	return 0;
}

/* Every date and time within the years 1 to 9999, so each can be written. */
static int check_ranges(const struct nrm_case *c, struct nrm_case_problem *p)
{
	const struct {
		const char *field;
		int32_t date;
	} dates[] = {
		{"referral_date", c->referral_date}, {"rg_decision_date", c->rg_decision_date},
		{"cg_decision_date", c->cg_decision_date}, {"status_date", c->status_date},
		{"date_of_birth", c->date_of_birth},
	};
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		int32_t d = dates[i].date;
		if (d != NRM_DATE_NONE && (d < NRM_DATE_MIN || d > NRM_DATE_MAX))
			return broken(p, dates[i].field, "is outside the years 1 to 9999");
	}
	if (c->updated_at != NRM_TIME_NONE &&
	    (c->updated_at < (int64_t)NRM_DATE_MIN * 86400 ||
	     c->updated_at >= ((int64_t)NRM_DATE_MAX + 1) * 86400))
		return broken(p, "updated_at", "is outside the years 1 to 9999");
	return 0;
}

/* The date of birth against the referral and the age at exploitation.  The
 * date itself is never quoted: it identifies a child. */
static int check_birth(const struct nrm_case *c, struct nrm_case_problem *p)
{
	if (c->date_of_birth == NRM_DATE_NONE)
		return 0;
	if (c->date_of_birth > c->referral_date)
		return broken(p, "date_of_birth", "is after the referral_date");
	int32_t age;
	nrm_pilot_scope(c, &age);
	if (age > 17)
		return broken(p, "date_of_birth", "makes the child %d at referral: must be 0 to 17 "
		              "(adults are not in the pilot)", (int)age);
	if (c->age_at_exploitation != NRM_AGE_NONE && c->age_at_exploitation > age)
		return broken(p, "age_at_exploitation",
		              "%d is older than the age at referral (%d, from date_of_birth): a "
		              "child exploited before referral is not older at exploitation",
		              (int)c->age_at_exploitation, (int)age);
	return 0;
}

int nrm_case_validate(const struct nrm_case *c, struct nrm_case_problem *p)
{
	p->field = NULL;
	p->reason[0] = '\0';
	if (check_ranges(c, p) || check_identity(c, p) || check_areas(c, p) || check_enums(c, p) ||
	    check_nationality(c, p) || check_decisions(c, p) || check_status(c, p) ||
	    check_birth(c, p))
		return -1;
	return 0;
}

/*
 * cases.csv as received: checked line by line before its rows are stored.
 * The extract holds only codes, dates and hex pseudonyms, so a quote, a
 * field too many or too few, or a value out of its set is refused with the
 * line and column, and nothing of the bundle is kept.
 */
#include "intake.h"

#include "codes.h"
#include "date.h"
#include "national.h"
#include "pilot_scope.h"
#include "quarter.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <nrmhub/plugin.h>

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define N_COLUMNS 22
static const char header[] =
	"pseudonym,site,referral_date,age_band,gender,nationality_1,nationality_2,"
	"exploitation_types,county_lines,exploitation_location,first_responder_type,"
	"local_authority,police_force,rg_decision_date,rg_outcome,cg_decision_date,"
	"cg_outcome,decision_maker,status,status_date,age_at_referral,pilot_scope";

/* Which check each column gets. */
enum check { C_HEX, C_SITE, C_DATE_REQ, C_DATE, C_OUTCOME, C_STATUS, C_TEXT, C_AGE, C_SCOPE };
static const enum check checks[N_COLUMNS] = {
	C_HEX, C_SITE, C_DATE_REQ, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT, C_TEXT,
	C_TEXT, C_TEXT, C_TEXT, C_DATE, C_OUTCOME, C_DATE, C_OUTCOME, C_TEXT, C_STATUS, C_DATE,
	C_AGE, C_SCOPE,
};
static const char *const names[N_COLUMNS] = {
	"pseudonym", "site", "referral_date", "age_band", "gender", "nationality_1",
	"nationality_2", "exploitation_types", "county_lines", "exploitation_location",
	"first_responder_type", "local_authority", "police_force", "rg_decision_date",
	"rg_outcome", "cg_decision_date", "cg_outcome", "decision_maker", "status",
	"status_date", "age_at_referral", "pilot_scope",
};

static bool is_hex64(const char *v)
{
	if (strlen(v) != 64)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* Codes and GSS codes are short printable ASCII without separators. */
static bool is_plain(const char *v)
{
	if (strlen(v) > 64)
		return false;
	for (const char *p = v; *p; p++)
		if (*p < 0x21 || *p > 0x7e)
			return false;
	return true;
}

static const char *check_value(enum check c, const char *v, const char *site)
{
	int32_t x;
	switch (c) {
	case C_HEX: return is_hex64(v) ? NULL : "not 64 lower-case hex digits";
	case C_SITE: return strcmp(v, site) == 0 ? NULL : "not the site that signed the bundle";
	case C_DATE_REQ:
		if (!*v)
			return "empty; a referral date is required";
		/* fall through */
	case C_DATE:
		return !*v || nrm_date_parse_iso(v, strlen(v), &x) == 0 ? NULL
		       : "not a date YYYY-MM-DD";
	case C_OUTCOME:
		return !*v || nrm_code_parse(NRM_CODE_OUTCOME, v, strlen(v), &x) == 0 ? NULL
		       : "not positive or negative";
	case C_STATUS:
		return nrm_code_parse(NRM_CODE_STATUS, v, strlen(v), &x) == 0 ? NULL
		       : "not open, withdrawn or transferred";
	case C_TEXT: return is_plain(v) ? NULL : "not a code (spaces, control bytes or too long)";
	case C_AGE:
		return !*v || (strlen(v) <= 2 && strspn(v, "0123456789") == strlen(v) && atoi(v) <= 17)
		       ? NULL : "not a child's age in whole years (0 to 17)";
	case C_SCOPE:
		return nrm_pilot_scope_parse(v) >= 0 ? NULL
		       : "not in_scope, near_18, age_disputed or unknown";
	}
	return NULL;
}

/* Splits one line (NUL-terminated, in place) into exactly N_COLUMNS fields. */
static int split(char *line, char *fields[N_COLUMNS], size_t lineno, struct nrm_error *err)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		if (n == N_COLUMNS)
			return nrm_fail(err, EX_DATAERR, "data/cases.csv:%zu:%zu: more than %d fields",
			                lineno, (size_t)(p - line) + 1, N_COLUMNS);
		fields[n++] = p;
		char *comma = strchr(p, ',');
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (n != N_COLUMNS)
		return nrm_fail(err, EX_DATAERR, "data/cases.csv:%zu: %zu fields, not %d", lineno, n,
		                N_COLUMNS);
	return 0;
}

enum { V_REFERRAL = 1, V_RG_DATE = 12, V_RG_OUTCOME = 13, V_CG_DATE = 14, V_STATUS = 17,
       V_STATUS_DATE = 18 };

static bool date_of(const char *v, int32_t *out)
{
	return v && *v && nrm_date_parse_iso(v, strlen(v), out) == 0;
}

int nrm_intake_row_dates(const char *const v[], struct nrm_case_dates *d)
{
	memset(d, 0, sizeof(*d));
	if (!date_of(v[V_REFERRAL], &d->referral))
		return -1;
	d->has_rg = date_of(v[V_RG_DATE], &d->rg);
	d->has_cg = date_of(v[V_CG_DATE], &d->cg);
	d->rg_positive = v[V_RG_OUTCOME] && strcmp(v[V_RG_OUTCOME], "positive") == 0;
	d->closed = v[V_STATUS] && strcmp(v[V_STATUS], "open") != 0 &&
	            date_of(v[V_STATUS_DATE], &d->closed_on);
	return 0;
}

static void count_row(const char *const values[], const struct nrm_quarter *q,
                      struct nrm_extract_counts *c)
{
	struct nrm_case_dates d;
	if (nrm_intake_row_dates(values, &d))
		return;
	unsigned place = nrm_case_place(&d, q);
	c->rg += (place & NRM_PLACE_RG) != 0;
	c->cg += (place & NRM_PLACE_CG) != 0;
	c->await_rg += (place & NRM_PLACE_AWAIT_RG) != 0;
	c->await_cg += (place & NRM_PLACE_AWAIT_CG) != 0;
}

static int store_row(struct store *s, int64_t bundle, const char *site,
                     const struct nrm_quarter *q, struct nrm_extract_counts *counts, char *line,
                     size_t lineno, struct nrm_error *err)
{
	char *f[N_COLUMNS];
	if (split(line, f, lineno, err))
		return -1;
	for (int i = 0; i < N_COLUMNS; i++) {
		const char *why = check_value(checks[i], f[i], site);
		if (why)
			return nrm_fail(err, EX_DATAERR, "data/cases.csv:%zu: %s: %s", lineno, names[i],
			                why);
	}
	const char *values[STORE_INTAKE_CASE_VALUES];
	for (int i = 0; i < STORE_INTAKE_CASE_VALUES; i++)
		values[i] = f[i + 1];
	count_row(values, q, counts);
	if (store_intake_add_case(s, bundle, f[0], values)) {
		*err = *store_error(s);
		return -1;
	}
	return 0;
}

int nrm_intake_store_cases(struct store *s, int64_t bundle_id, const char *site,
                           const char *quarter, const char *csv, size_t len,
                           struct nrm_extract_counts *counts, struct nrm_error *err)
{
	struct nrm_quarter q;
	memset(counts, 0, sizeof(*counts));
	if (nrm_quarter_parse(quarter, &q))
		return nrm_fail(err, EX_DATAERR, "'%s' is not a quarter", quarter);
	if (memchr(csv, '\0', len))
		return nrm_fail(err, EX_DATAERR, "data/cases.csv: holds a NUL byte");
	if (memchr(csv, '"', len))
		return nrm_fail(err, EX_DATAERR, "data/cases.csv: holds a quote; the extract has "
		                "only codes and dates, never a quoted field");
	char *copy = nrm_xmalloc(len + 1);
	memcpy(copy, csv, len);
	copy[len] = '\0';
	size_t lineno = 0;
	int rc = 0;
	char *p = copy;
	while (rc == 0 && *p) {
		char *nl = strchr(p, '\n');
		if (!nl) {
			rc = nrm_fail(err, EX_DATAERR, "data/cases.csv:%zu: the last line has no line "
			              "end", lineno + 1);
			break;
		}
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
		lineno++;
		if (lineno == 1) {
			if (strcmp(p, header) != 0)
				rc = nrm_fail(err, EX_DATAERR, "data/cases.csv:1: the header is not the "
				              "one formats/return.md names");
		} else {
			rc = store_row(s, bundle_id, site, &q, counts, p, lineno, err);
		}
		p = nl + 1;
	}
	if (rc == 0 && lineno == 0)
		rc = nrm_fail(err, EX_DATAERR, "data/cases.csv: empty, no header");
	free(copy);
	return rc;
}

/*
 * Unit tests of hub/case.c, the canonical case's rules.  Each test starts
 * from one fully valid record, breaks one field, and checks three things:
 * the record is refused, the problem names the right canonical field, and
 * the reason states the rule (a key word such as "before").  Other tests
 * check that a reason never repeats free text or an odd-looking code from
 * the record, since these are children's records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <nrmhub/plugin.h>

#include "case.h"
#include "country.h"
#include "util.h"

/* Day numbers (days since 1970-01-01), worked out with GNU date. */
#define D_2024_12_31 20088
#define D_2025_01_01 20089
#define D_2025_01_11 20099
#define D_2025_04_11 20189

/* A record that keeps every rule, with every field given. */
static void valid_case(struct nrm_case *c)
{
	nrm_case_init(c);
	c->case_id = "LDS-2025-0001";
	c->site = "leeds";
	c->nrm_ref = "NRM-123456";
	c->first_responder_org = "Leeds City Council Children's Services";
	c->local_authority = "E08000035";
	c->police_force = "E23000010";
	c->nationality[0] = "GB";
	c->nationality[1] = "IE";
	c->updated_at = INT64_C(1751274900); /* 2025-06-30T09:15:00Z */
	c->referral_date = D_2025_01_01;
	c->first_responder_type = NRM_FR_LOCAL_AUTHORITY;
	c->age_at_exploitation = 15;
	c->gender = NRM_GENDER_FEMALE;
	c->exploitation_types = NRM_EXPL_CRIMINAL | NRM_EXPL_SEXUAL;
	c->exploitation_location = NRM_LOC_UK;
	c->rg_decision_date = D_2025_01_11;
	c->rg_outcome = NRM_OUTCOME_POSITIVE;
	c->cg_decision_date = D_2025_04_11;
	c->cg_outcome = NRM_OUTCOME_NEGATIVE;
	c->decision_maker = NRM_DM_DDM_PANEL;
	c->status = NRM_STATUS_OPEN;
	c->age_disputed = NRM_NO;
	c->county_lines = NRM_YES;
}

static void check_accepted(const struct nrm_case *c, const char *file, int line)
{
	struct nrm_case_problem p;
	if (nrm_case_validate(c, &p) != 0) {
		print_error("refused: %s: %s\n", p.field ? p.field : "(no field)", p.reason);
		_fail(file, line);
	}
}

/* Refused, naming `field`, with `fact` somewhere in the reason. */
static void check_refused(const struct nrm_case *c, const char *field, const char *fact,
                          const char *file, int line)
{
	struct nrm_case_problem p;
	int rc = nrm_case_validate(c, &p);
	if (rc != -1 || !p.field || strcmp(p.field, field) != 0 || !strstr(p.reason, fact)) {
		print_error("expected -1, %s: ...%s...; got %d, %s: %s\n", field, fact, rc,
		            p.field ? p.field : "(no field)", p.reason);
		_fail(file, line);
	}
}

/* Refused, and `secret` appears nowhere in the reason. */
static void check_not_echoed(const struct nrm_case *c, const char *secret,
                             const char *file, int line)
{
	struct nrm_case_problem p;
	if (nrm_case_validate(c, &p) != -1 || strstr(p.reason, secret)) {
		print_error("'%s' leaked or not refused: %s\n", secret, p.reason);
		_fail(file, line);
	}
}

#define assert_accepted(c) check_accepted(c, __FILE__, __LINE__)
#define assert_refused(c, field, fact) check_refused(c, field, fact, __FILE__, __LINE__)
#define assert_not_echoed(c, secret) check_not_echoed(c, secret, __FILE__, __LINE__)

/* A string of `n` copies of `ch` (n < 256). */
static const char *repeat(char *buf, char ch, size_t n)
{
	memset(buf, ch, n);
	buf[n] = '\0';
	return buf;
}

static int load_countries(void **state)
{
	struct nrm_error err;
	if (nrm_country_load(&err) != 0) {
		print_error("%s\n", err.msg);
		return -1;
	}
	return 0;
}

static int unload_countries(void **state)
{
	nrm_country_unload();
	return 0;
}

/* ---- whole records ----------------------------------------------------- */

static void test_valid_record(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	assert_accepted(&c);
}

static void test_minimal_record(void **state)
{
	struct nrm_case c;
	nrm_case_init(&c);
	c.case_id = "1";
	c.site = "ab";
	c.referral_date = D_2025_01_01;
	assert_accepted(&c);
}

/* ---- required fields --------------------------------------------------- */

static void test_missing_case_id(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.case_id = NULL;
	assert_refused(&c, "case_id", "missing");
}

static void test_missing_site(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.site = NULL;
	assert_refused(&c, "site", "missing");
}

static void test_missing_referral_date(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.referral_date = NRM_DATE_NONE;
	assert_refused(&c, "referral_date", "missing");
}

/* ---- text fields ------------------------------------------------------- */

static void test_case_id_length(void **state)
{
	char buf[256];
	struct nrm_case c;
	valid_case(&c);
	c.case_id = repeat(buf, 'A', 64);
	assert_accepted(&c);
	c.case_id = repeat(buf, 'A', 65);
	assert_refused(&c, "case_id", "at most 64");
	c.case_id = "";
	assert_refused(&c, "case_id", "empty");
}

static void test_control_characters(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.case_id = "LDS-1\n2025";
	assert_refused(&c, "case_id", "control character");
	c.case_id = "LDS\t1";
	assert_refused(&c, "case_id", "control character");
	c.case_id = "LDS\x7f" "1";
	assert_refused(&c, "case_id", "control character");
	valid_case(&c);
	c.nrm_ref = "NRM\r123";
	assert_refused(&c, "nrm_ref", "control character");
	valid_case(&c);
	c.first_responder_org = "Leeds\x1b[2J";
	assert_refused(&c, "first_responder_org", "control character");
}

static void test_invalid_utf8(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.first_responder_org = "Caf\xe9 Services"; /* Latin-1, not UTF-8 */
	assert_refused(&c, "first_responder_org", "UTF-8");
	c.first_responder_org = "\xc0\xaf"; /* overlong '/' */
	assert_refused(&c, "first_responder_org", "UTF-8");
	c.first_responder_org = "\xed\xa0\x80"; /* a surrogate */
	assert_refused(&c, "first_responder_org", "UTF-8");
	c.first_responder_org = "Caf\xc3"; /* cut short */
	assert_refused(&c, "first_responder_org", "UTF-8");
	c.first_responder_org = "Caf\xc3\xa9 \xe2\x80\x94 Services";
	assert_accepted(&c);
}

static void test_text_limits(void **state)
{
	char buf[256];
	struct nrm_case c;
	valid_case(&c);
	c.nrm_ref = repeat(buf, '7', 64);
	assert_accepted(&c);
	c.nrm_ref = repeat(buf, '7', 65);
	assert_refused(&c, "nrm_ref", "at most 64");
	valid_case(&c);
	c.first_responder_org = repeat(buf, 'o', 200);
	assert_accepted(&c);
	c.first_responder_org = repeat(buf, 'o', 201);
	assert_refused(&c, "first_responder_org", "at most 200");
	c.first_responder_org = "";
	assert_refused(&c, "first_responder_org", "empty");
}

/* ---- site: ^[a-z][a-z0-9-]{1,39}$ -------------------------------------- */

static void test_site(void **state)
{
	char buf[256];
	struct nrm_case c;
	valid_case(&c);
	c.site = "Leeds";
	assert_refused(&c, "site", "lower-case");
	c.site = "1leeds";
	assert_refused(&c, "site", "starting with a letter");
	c.site = "l";
	assert_refused(&c, "site", "2 to 40");
	c.site = "";
	assert_refused(&c, "site", "2 to 40");
	c.site = "lee_ds";
	assert_refused(&c, "site", "lower-case");
	c.site = "lee ds";
	assert_refused(&c, "site", "lower-case");
	c.site = "-leeds";
	assert_refused(&c, "site", "lower-case");
	c.site = "west-yorkshire-2";
	assert_accepted(&c);
	c.site = "ab";
	assert_accepted(&c);
	c.site = repeat(buf, 'x', 40);
	assert_accepted(&c);
	c.site = repeat(buf, 'x', 41);
	assert_refused(&c, "site", "2 to 40");
}

/* ---- areas: GSS codes -------------------------------------------------- */

static void test_local_authority_prefixes(void **state)
{
	static const char *const good[] = {
		"E06000001", "E08000035", "E09000033", "E10000014",
		"W06000015", "S12000036", "N09000003",
	};
	static const char *const bad[] = {
		"E07000223", "E11000001", "S13002516", "W07000001", "E05000001",
		"E0600001", "E060000012", "e06000001", "E06 00001", "E0600000A",
		"E06-00001", "E23000010", "",
	};
	struct nrm_case c;
	valid_case(&c);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		c.local_authority = good[i];
		assert_accepted(&c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.local_authority = bad[i];
		assert_refused(&c, "local_authority", "GSS local authority");
	}
}

static void test_police_force(void **state)
{
	static const char *const good[] = {
		"E23000001", "E23000039", "W15000001", "W15000004", "S92000003",
		"N92000002",
	};
	static const char *const bad[] = {
		"E23000000", "E23000040", "W15000000", "W15000005", "S92000004",
		"N92000001", "E92000001", "E23ABCDEF", "E2300001A", "E2300001",
		"S92000003 ", "e23000001", "",
	};
	struct nrm_case c;
	valid_case(&c);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		c.police_force = good[i];
		assert_accepted(&c);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.police_force = bad[i];
		assert_refused(&c, "police_force", "police force area");
	}
}

/* ---- nationality ------------------------------------------------------- */

static void test_nationality(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.nationality[0] = NULL;
	c.nationality[1] = NULL;
	assert_accepted(&c);
	c.nationality[0] = "GB";
	assert_accepted(&c);
	c.nationality[1] = "AL";
	assert_accepted(&c);
	c.nationality[1] = "XZ";
	assert_refused(&c, "nationality", "'XZ' is not an ISO 3166-1");
	c.nationality[0] = "gb";
	c.nationality[1] = NULL;
	assert_refused(&c, "nationality", "'gb' is not an ISO 3166-1");
	c.nationality[0] = "GBR";
	assert_refused(&c, "nationality", "ISO 3166-1");
	c.nationality[0] = "";
	assert_refused(&c, "nationality", "ISO 3166-1");
}

static void test_nationality_duplicate(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.nationality[0] = "VN";
	c.nationality[1] = "VN";
	assert_refused(&c, "nationality", "twice");
}

static void test_nationality_second_without_first(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.nationality[0] = NULL;
	c.nationality[1] = "GB";
	assert_refused(&c, "nationality", "without a first");
}

/* ---- age --------------------------------------------------------------- */

static void test_age(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.age_at_exploitation = 0;
	assert_accepted(&c);
	c.age_at_exploitation = 17;
	assert_accepted(&c);
	c.age_at_exploitation = NRM_AGE_NONE;
	assert_accepted(&c);
	c.age_at_exploitation = 18;
	assert_refused(&c, "age_at_exploitation", "0 to 17");
	c.age_at_exploitation = -2;
	assert_refused(&c, "age_at_exploitation", "0 to 17");
	c.age_at_exploitation = INT32_MAX;
	assert_refused(&c, "age_at_exploitation", "0 to 17");
}

/* ---- decisions: reasonable grounds ------------------------------------- */

static void test_rg_outcome_without_date(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_decision_date = NRM_DATE_NONE;
	c.cg_outcome = NRM_OUTCOME_NONE;
	c.rg_decision_date = NRM_DATE_NONE;
	assert_refused(&c, "rg_decision_date", "missing");
}

static void test_rg_date_without_outcome(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_decision_date = NRM_DATE_NONE;
	c.cg_outcome = NRM_OUTCOME_NONE;
	c.rg_outcome = NRM_OUTCOME_NONE;
	assert_refused(&c, "rg_outcome", "missing");
}

static void test_rg_before_referral(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.rg_decision_date = D_2024_12_31;
	assert_refused(&c, "rg_decision_date", "before");
	/* The dates are short and safe to quote, and say what is wrong. */
	assert_refused(&c, "rg_decision_date", "2024-12-31");
	assert_refused(&c, "rg_decision_date", "2025-01-01");
}

static void test_rg_on_referral_day(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.rg_decision_date = D_2025_01_01;
	assert_accepted(&c);
}

/* ---- decisions: conclusive grounds ------------------------------------- */

static void test_cg_outcome_without_date(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_decision_date = NRM_DATE_NONE;
	assert_refused(&c, "cg_decision_date", "missing");
}

static void test_cg_date_without_outcome(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_outcome = NRM_OUTCOME_NONE;
	assert_refused(&c, "cg_outcome", "missing");
}

static void test_cg_after_negative_rg(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.rg_outcome = NRM_OUTCOME_NEGATIVE;
	assert_refused(&c, "cg_decision_date", "positive");
}

static void test_cg_without_rg(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.rg_decision_date = NRM_DATE_NONE;
	c.rg_outcome = NRM_OUTCOME_NONE;
	assert_refused(&c, "cg_decision_date", "positive");
	/* An outcome alone is a conclusive grounds decision too. */
	c.cg_decision_date = NRM_DATE_NONE;
	assert_refused(&c, "cg_decision_date", "positive");
}

static void test_cg_before_rg(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_decision_date = D_2025_01_11 - 1;
	assert_refused(&c, "cg_decision_date", "before");
	assert_refused(&c, "cg_decision_date", "rg_decision_date");
}

static void test_cg_on_rg_day(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.cg_decision_date = D_2025_01_11;
	assert_accepted(&c);
}

/* ---- status ------------------------------------------------------------ */

static void test_closed_without_status_date(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.status = NRM_STATUS_WITHDRAWN;
	assert_refused(&c, "status_date", "missing");
	c.status = NRM_STATUS_TRANSFERRED;
	assert_refused(&c, "status_date", "missing");
	c.status_date = D_2025_04_11;
	assert_accepted(&c);
	c.status = NRM_STATUS_WITHDRAWN;
	assert_accepted(&c);
}

static void test_status_date_before_referral(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.status = NRM_STATUS_WITHDRAWN;
	c.status_date = D_2024_12_31;
	assert_refused(&c, "status_date", "before");
	c.status_date = D_2025_01_01;
	assert_accepted(&c);
}

/* ---- enumerations outside their sets ----------------------------------- */

static void test_enums_out_of_range(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.gender = 7;
	assert_refused(&c, "gender", "no such value");
	c.gender = -1;
	assert_refused(&c, "gender", "no such value");
	valid_case(&c);
	c.status = 3;
	assert_refused(&c, "status", "no such value");
	valid_case(&c);
	c.exploitation_types = 1u << 5;
	assert_refused(&c, "exploitation_types", "no such value");
	c.exploitation_types = NRM_EXPL_LABOUR | 1u << 31;
	assert_refused(&c, "exploitation_types", "no such value");
	valid_case(&c);
	c.first_responder_type = 5;
	assert_refused(&c, "first_responder_type", "no such value");
	valid_case(&c);
	c.exploitation_location = 4;
	assert_refused(&c, "exploitation_location", "no such value");
	valid_case(&c);
	c.decision_maker = 4;
	assert_refused(&c, "decision_maker", "no such value");
	valid_case(&c);
	c.rg_outcome = 3;
	assert_refused(&c, "rg_outcome", "no such value");
	valid_case(&c);
	c.cg_outcome = -1;
	assert_refused(&c, "cg_outcome", "no such value");
	valid_case(&c);
	c.age_disputed = 2;
	assert_refused(&c, "age_disputed", "unknown");
	valid_case(&c);
	c.county_lines = -2;
	assert_refused(&c, "county_lines", "unknown");
}

static void test_enums_unknown_values_accepted(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.first_responder_type = NRM_FR_NONE;
	c.gender = NRM_GENDER_UNKNOWN;
	c.exploitation_types = 0;
	c.exploitation_location = NRM_LOC_UNKNOWN;
	c.decision_maker = NRM_DM_NONE;
	c.age_disputed = NRM_UNKNOWN;
	c.county_lines = NRM_UNKNOWN;
	assert_accepted(&c);
	c.exploitation_types = NRM_EXPL_ALL;
	assert_accepted(&c);
}

/* ---- privacy: what a reason may quote ---------------------------------- */

static void test_codes_not_echoed(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.local_authority = "<script>alert(1)</script>";
	assert_not_echoed(&c, "<script>");
	assert_not_echoed(&c, "alert");
	c.local_authority = "E08000035 ";
	assert_not_echoed(&c, "E08000035");
	valid_case(&c);
	c.police_force = "E2300001234567890";
	assert_not_echoed(&c, "E2300001234567890");
	c.police_force = "E23'000040";
	assert_not_echoed(&c, "E23'000040");
	valid_case(&c);
	c.nationality[0] = "G\nB";
	assert_not_echoed(&c, "G\nB");
	/* A short plain code is quoted, so the user can find it. */
	c.nationality[0] = "ZZ";
	assert_refused(&c, "nationality", "'ZZ'");
}

static void test_text_not_echoed(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.case_id = "Jane Smith\n";
	assert_not_echoed(&c, "Jane");
	valid_case(&c);
	c.site = "Jane Smith";
	assert_not_echoed(&c, "Jane");
	valid_case(&c);
	c.first_responder_org = "Jane Smith\xff";
	assert_not_echoed(&c, "Jane");
}

/* A name typed into a code column is not quoted, even when it is short. */
static void test_names_in_code_columns_not_echoed(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.nationality[0] = "JaneSmith";
	assert_not_echoed(&c, "JaneSmith");
	valid_case(&c);
	c.local_authority = "JaneSmith";
	assert_not_echoed(&c, "JaneSmith");
	valid_case(&c);
	c.police_force = "Jane";
	assert_not_echoed(&c, "Jane");
	/* A code-shaped value still is, so the user can find it. */
	c.police_force = "E23000040";
	assert_refused(&c, "police_force", "'E23000040'");
}

/* C1 control characters (U+0080-U+009F) are control characters too. */
static void test_c1_control_characters(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.case_id = "A\xc2\x85" "B";
	assert_refused(&c, "case_id", "control character");
	c.case_id = "A\xc2\x9f" "B";
	assert_refused(&c, "case_id", "control character");
	c.case_id = "A\xc2\xa0" "B"; /* U+00A0 is a space, not a control */
	assert_accepted(&c);
}

/* Dates and times outside the years 1 to 9999 cannot be written: refused,
 * not overflowed (this once tripped UBSan formatting INT32_MAX). */
static void test_dates_out_of_range(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.referral_date = INT32_MAX;
	c.status = NRM_STATUS_WITHDRAWN;
	c.status_date = 0;
	assert_refused(&c, "referral_date", "outside the years 1 to 9999");
	valid_case(&c);
	c.rg_decision_date = 2932897; /* 10000-01-01 */
	assert_refused(&c, "rg_decision_date", "outside");
	valid_case(&c);
	c.cg_decision_date = 2932896; /* 9999-12-31: in range, so the CG rule holds */
	assert_accepted(&c);
	valid_case(&c);
	c.updated_at = INT64_MAX;
	assert_refused(&c, "updated_at", "outside");
	c.updated_at = INT64_C(-62135596800) - 1; /* a second before 0001-01-01 */
	assert_refused(&c, "updated_at", "outside");
}

/* A CG outcome that is no outcome at all is named as such. */
static void test_cg_outcome_out_of_range(void **state)
{
	struct nrm_case c;
	valid_case(&c);
	c.rg_outcome = NRM_OUTCOME_NEGATIVE;
	c.cg_outcome = 3;
	assert_refused(&c, "cg_outcome", "no such value");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_record),
		cmocka_unit_test(test_minimal_record),
		cmocka_unit_test(test_missing_case_id),
		cmocka_unit_test(test_missing_site),
		cmocka_unit_test(test_missing_referral_date),
		cmocka_unit_test(test_case_id_length),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_text_limits),
		cmocka_unit_test(test_site),
		cmocka_unit_test(test_local_authority_prefixes),
		cmocka_unit_test(test_police_force),
		cmocka_unit_test(test_nationality),
		cmocka_unit_test(test_nationality_duplicate),
		cmocka_unit_test(test_nationality_second_without_first),
		cmocka_unit_test(test_age),
		cmocka_unit_test(test_rg_outcome_without_date),
		cmocka_unit_test(test_rg_date_without_outcome),
		cmocka_unit_test(test_rg_before_referral),
		cmocka_unit_test(test_rg_on_referral_day),
		cmocka_unit_test(test_cg_outcome_without_date),
		cmocka_unit_test(test_cg_date_without_outcome),
		cmocka_unit_test(test_cg_after_negative_rg),
		cmocka_unit_test(test_cg_without_rg),
		cmocka_unit_test(test_cg_before_rg),
		cmocka_unit_test(test_cg_on_rg_day),
		cmocka_unit_test(test_closed_without_status_date),
		cmocka_unit_test(test_status_date_before_referral),
		cmocka_unit_test(test_enums_out_of_range),
		cmocka_unit_test(test_enums_unknown_values_accepted),
		cmocka_unit_test(test_codes_not_echoed),
		cmocka_unit_test(test_text_not_echoed),
		cmocka_unit_test(test_names_in_code_columns_not_echoed),
		cmocka_unit_test(test_c1_control_characters),
		cmocka_unit_test(test_dates_out_of_range),
		cmocka_unit_test(test_cg_outcome_out_of_range),
	};
	return cmocka_run_group_tests(tests, load_countries, unload_countries);
}

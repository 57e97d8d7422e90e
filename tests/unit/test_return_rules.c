/*
 * Unit tests for the sanity rules of a return (hub/return_rules.c): when a
 * quarter has ended (by London's date), a quarter before the site joined,
 * an empty return (a published "[c]" counts as something), and the names
 * of the rules forced.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sysexits.h>

#include "date.h"
#include "london_time.h"
#include "log.h"
#include "quarter.h"
#include "return_rules.h"
#include "util.h"

static int32_t day(const char *iso)
{
	int32_t d;
	assert_int_equal(nrm_date_parse_iso(iso, strlen(iso), &d), 0);
	return d;
}

static void test_ended(void **state)
{
	(void)state;
	struct nrm_quarter q;
	struct nrm_error err;
	assert_int_equal(nrm_quarter_parse("2025Q1", &q), 0);
	assert_int_equal(nrm_rule_quarter_ended(&q, day("2025-04-01"), &err), 0);
	assert_int_equal(nrm_rule_quarter_ended(&q, day("2025-03-31"), &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_non_null(strstr(err.msg, "2025Q1 has not ended on 2025-03-31"));
	/* 23:30 UTC on 31 March 2025 is already 1 April in London (BST). */
	int64_t t;
	assert_int_equal(nrm_time_parse_rfc3339("2025-03-31T23:30:00Z", 20, &t), 0);
	assert_int_equal(nrm_rule_today(t), day("2025-04-01"));
	assert_int_equal(nrm_time_parse_rfc3339("2025-12-31T23:30:00Z", 20, &t), 0);
	assert_int_equal(nrm_rule_today(t), day("2025-12-31"));
}

static void test_joined(void **state)
{
	(void)state;
	struct nrm_quarter q;
	struct nrm_error err;
	assert_int_equal(nrm_quarter_parse("2025Q1", &q), 0);
	/* Joined on the quarter's last day: the quarter counts. */
	assert_int_equal(nrm_rule_after_joined(&q, day("2025-03-31"), &err), 0);
	assert_int_equal(nrm_rule_after_joined(&q, day("2025-04-01"), &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_non_null(strstr(err.msg, "2025Q1 ended before the site joined the pilot on 2025-04-01"));
}

static void test_empty(void **state)
{
	(void)state;
	struct nrm_error err;
	json_t *ret = json_pack("{s:s, s:s, s:{s:i}, s:{s:{s:i, s:i}, s:{s:i, s:i}}}", "site",
	                        "hull", "quarter", "2025Q1", "referrals", "total", 0, "decisions",
	                        "rg", "positive", 0, "negative", 0, "cg", "positive", 0,
	                        "negative", 0);
	assert_int_equal(nrm_rule_not_empty(ret, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "the 2025Q1 return of hull has no referrals and no decisions"));
	/* One negative CG decision is something. */
	json_object_set_new(json_object_get(json_object_get(ret, "decisions"), "cg"), "negative",
	                    json_integer(1));
	assert_int_equal(nrm_rule_not_empty(ret, &err), 0);
	/* So is a suppressed count. */
	json_object_set_new(json_object_get(json_object_get(ret, "decisions"), "cg"), "negative",
	                    json_integer(0));
	json_object_set_new(json_object_get(ret, "referrals"), "total", json_string("[c]"));
	assert_int_equal(nrm_rule_not_empty(ret, &err), 0);
	json_decref(ret);
}

static void test_forced(void **state)
{
	(void)state;
	struct nrm_error err;
	nrm_fail(&err, EX_USAGE, "the reason");
	nrm_rules_forced forced = 0;
	assert_int_equal(nrm_rule_apply(NRM_RULE_NOT_ENDED, 0, false, &forced, &err), 0);
	assert_int_equal(nrm_rule_apply(NRM_RULE_NOT_ENDED, -1, false, &forced, &err), EX_USAGE);
	assert_int_equal(forced, 0);
	assert_int_equal(nrm_rule_apply(NRM_RULE_EMPTY, -1, true, &forced, &err), 0);
	assert_int_equal(nrm_rule_apply(NRM_RULE_NOT_ENDED, -1, true, &forced, &err), 0);
	const char *names[NRM_RULES];
	assert_int_equal(nrm_rules_forced_names(forced, names), 2);
	assert_string_equal(names[0], "quarter-not-ended");
	assert_string_equal(names[1], "no-referrals-or-decisions");
	assert_int_equal(nrm_rule_of_name("before-joined"), NRM_RULE_BEFORE_JOINED);
	assert_int_equal(nrm_rule_of_name("late"), -1);
}

int main(void)
{
	struct nrm_error err;
	if (nrm_london_init(&err) != 0)
		return 77; /* no zone data: the London date cannot be tested */
	/* A refusal is logged as well as returned: keep the output short. */
	nrm_log_set_level(NRM_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ended),
		cmocka_unit_test(test_joined),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_forced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of the retention rule (hub/store_retention.c): when a case is
 * closed, and when a limit has passed.  Day numbers are literals worked out
 * with GNU date (`date -u -d 2018-05-01 +%s` / 86400).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <nrmhub/plugin.h>

#include "date.h"
#include "retention.h"

#define D_2018_05_01 17652
#define D_2019_01_01 17897
#define D_2020_02_29 18321
#define D_2026_03_01 20513
#define T_2024_05_01 1714521600LL  /* 2018-05-01 + 6 years, midnight */

static struct nrm_case open_case(void)
{
	struct nrm_case c;
	memset(&c, 0, sizeof(c));
	c.case_id = "X";
	c.site = "s";
	c.referral_date = D_2018_05_01 - 100;
	c.rg_decision_date = c.cg_decision_date = c.status_date = NRM_DATE_NONE;
	c.updated_at = NRM_TIME_NONE;
	return c;
}

static void test_closed(void **state)
{
	(void)state;
	struct nrm_case c = open_case();
	int32_t day = 0;
	assert_false(nrm_retention_closed_on(&c, &day));
	c.rg_decision_date = D_2018_05_01 - 50;
	c.rg_outcome = NRM_OUTCOME_POSITIVE;
	assert_false(nrm_retention_closed_on(&c, &day));
	c.rg_outcome = NRM_OUTCOME_NEGATIVE;
	assert_true(nrm_retention_closed_on(&c, &day));
	assert_int_equal(day, D_2018_05_01 - 50);
	/* Withdrawn later: the latest date counts. */
	c.status = NRM_STATUS_WITHDRAWN;
	c.status_date = D_2019_01_01;
	assert_true(nrm_retention_closed_on(&c, &day));
	assert_int_equal(day, D_2019_01_01);
	/* Withdrawn without a date is not closed by it. */
	c = open_case();
	c.status = NRM_STATUS_TRANSFERRED;
	assert_false(nrm_retention_closed_on(&c, &day));
}

static void test_years(void **state)
{
	(void)state;
	assert_int_equal(nrm_date_add_years(D_2018_05_01, 6), T_2024_05_01 / 86400);
	/* 29 February 2020 + 6 years: 1 March 2026. */
	assert_int_equal(nrm_date_add_years(D_2020_02_29, 6), D_2026_03_01);
}

static void test_expired(void **state)
{
	(void)state;
	struct nrm_retention r = {.years_after_closed = 6};
	struct nrm_case c = open_case();
	c.rg_decision_date = D_2018_05_01 - 50;
	c.rg_outcome = NRM_OUTCOME_POSITIVE;
	c.cg_decision_date = D_2018_05_01;
	c.cg_outcome = NRM_OUTCOME_POSITIVE;
	assert_false(nrm_retention_expired(&r, &c, T_2024_05_01, T_2024_05_01 - 1));
	assert_true(nrm_retention_expired(&r, &c, T_2024_05_01, T_2024_05_01));
	/* Open cases fall only to the other limit, from their last change. */
	struct nrm_case o = open_case();
	assert_false(nrm_retention_expired(&r, &o, 0, T_2024_05_01));
	struct nrm_retention u = {.years_after_last_update = 6};
	int64_t changed = (int64_t)D_2018_05_01 * 86400 + 3600;
	assert_true(nrm_retention_expired(&u, &o, changed, T_2024_05_01));
	/* A later updated_at keeps it. */
	o.updated_at = changed + 86400;
	assert_false(nrm_retention_expired(&u, &o, changed, T_2024_05_01));
	struct nrm_retention none = {0};
	assert_false(nrm_retention_set(&none));
	assert_false(nrm_retention_expired(&none, &c, 0, T_2024_05_01 * 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closed),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_expired),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

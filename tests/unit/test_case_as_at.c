/*
 * A case as it could be known on a day (hub/case_as_at.c, formats/return.md
 * "Data as at"): each date on, before and after the day, the results
 * worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "case.h"
#include "case_as_at.h"
#include "date.h"

static int32_t day(int y, int m, int d)
{
	int32_t out;
	assert_int_equal(nrm_date_from_ymd(y, m, d, &out), 0);
	return out;
}

/* Referred 1 June 2024, reasonable grounds 1 July, conclusive grounds 1
 * September, withdrawn 1 October. */
static struct nrm_case decided(void)
{
	struct nrm_case c;
	nrm_case_init(&c);
	c.case_id = "T-1";
	c.site = "hull";
	c.referral_date = day(2024, 6, 1);
	c.rg_decision_date = day(2024, 7, 1);
	c.rg_outcome = NRM_OUTCOME_POSITIVE;
	c.cg_decision_date = day(2024, 9, 1);
	c.cg_outcome = NRM_OUTCOME_NEGATIVE;
	c.decision_maker = NRM_DM_DDM_PANEL;
	c.status = NRM_STATUS_WITHDRAWN;
	c.status_date = day(2024, 10, 1);
	return c;
}

static void everything_known_on_the_last_date(void **state)
{
	(void)state;
	struct nrm_case c = decided(), want = decided();
	assert_true(nrm_case_known_on(&c, day(2024, 10, 1)));
	assert_memory_equal(&c, &want, sizeof(c));
}

static void a_withdrawal_after_the_day_has_not_happened(void **state)
{
	(void)state;
	struct nrm_case c = decided();
	assert_true(nrm_case_known_on(&c, day(2024, 9, 30)));
	assert_int_equal(c.status, NRM_STATUS_OPEN);
	assert_int_equal(c.status_date, NRM_DATE_NONE);
	assert_int_equal(c.cg_decision_date, day(2024, 9, 1));
	assert_int_equal(c.cg_outcome, NRM_OUTCOME_NEGATIVE);
}

static void a_decision_after_the_day_is_not_made(void **state)
{
	(void)state;
	struct nrm_case c = decided();
	assert_true(nrm_case_known_on(&c, day(2024, 8, 31)));
	assert_int_equal(c.rg_decision_date, day(2024, 7, 1));
	assert_int_equal(c.rg_outcome, NRM_OUTCOME_POSITIVE);
	assert_int_equal(c.cg_decision_date, NRM_DATE_NONE);
	assert_int_equal(c.cg_outcome, NRM_OUTCOME_NONE);
	assert_int_equal(c.status, NRM_STATUS_OPEN);
	/* The reasonable grounds decision on the day itself is known. */
	c = decided();
	assert_true(nrm_case_known_on(&c, day(2024, 7, 1)));
	assert_int_equal(c.rg_outcome, NRM_OUTCOME_POSITIVE);
}

/* Without its reasonable grounds decision no conclusive one stands, even
 * one dated (wrongly) earlier: the case must stay one the rules accept. */
static void no_cg_without_rg(void **state)
{
	(void)state;
	struct nrm_case c = decided();
	c.cg_decision_date = day(2024, 6, 20);
	assert_true(nrm_case_known_on(&c, day(2024, 6, 30)));
	assert_int_equal(c.rg_decision_date, NRM_DATE_NONE);
	assert_int_equal(c.rg_outcome, NRM_OUTCOME_NONE);
	assert_int_equal(c.cg_decision_date, NRM_DATE_NONE);
	assert_int_equal(c.cg_outcome, NRM_OUTCOME_NONE);
	assert_int_equal(c.decision_maker, NRM_DM_DDM_PANEL);
	struct nrm_case_problem p;
	assert_int_equal(nrm_case_validate(&c, &p), 0);
}

static void referred_after_the_day_is_not_there(void **state)
{
	(void)state;
	struct nrm_case c = decided();
	assert_true(nrm_case_known_on(&c, day(2024, 6, 1)));
	c = decided();
	assert_false(nrm_case_known_on(&c, day(2024, 5, 31)));
	c.referral_date = NRM_DATE_NONE;
	assert_false(nrm_case_known_on(&c, day(2030, 1, 1)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(everything_known_on_the_last_date),
		cmocka_unit_test(a_withdrawal_after_the_day_has_not_happened),
		cmocka_unit_test(a_decision_after_the_day_is_not_made),
		cmocka_unit_test(no_cg_without_rg),
		cmocka_unit_test(referred_after_the_day_is_not_there),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

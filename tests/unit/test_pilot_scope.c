/*
 * The pilot's scope rule (hub/pilot_scope.c, formats/return.md "Pilot
 * scope"), on hand-picked dates: every expected value is worked out here
 * from the calendar, not computed by the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "case.h"
#include "date.h"
#include "pilot_scope.h"

static int32_t day(int y, int m, int d)
{
	int32_t out;
	assert_int_equal(nrm_date_from_ymd(y, m, d, &out), 0);
	return out;
}

static struct nrm_case child(int32_t dob, int32_t referral)
{
	struct nrm_case c;
	nrm_case_init(&c);
	c.case_id = "T-1";
	c.site = "hull";
	c.date_of_birth = dob;
	c.referral_date = referral;
	return c;
}

static void ages_follow_the_calendar(void **state)
{
	(void)state;
	int32_t dob = day(2008, 6, 15);
	assert_int_equal(nrm_age_on(dob, day(2026, 6, 14)), 17);
	assert_int_equal(nrm_age_on(dob, day(2026, 6, 15)), 18);
	assert_int_equal(nrm_age_on(dob, dob), 0);
	assert_int_equal(nrm_birthday(dob, 18), day(2026, 6, 15));
	/* Born on a leap day: a year older on 1 March in a common year. */
	int32_t leap = day(2008, 2, 29);
	assert_int_equal(nrm_birthday(leap, 18), day(2026, 3, 1));
	assert_int_equal(nrm_age_on(leap, day(2026, 2, 28)), 17);
	assert_int_equal(nrm_age_on(leap, day(2026, 3, 1)), 18);
	assert_int_equal(nrm_birthday(leap, 16), day(2024, 2, 29));
}

/* 18th birthday 2026-06-15.  101 days before it is 2026-03-06 (March 6 to
 * June 15: 25 + 30 + 31 + 15 = 101); 100 days before, 2026-03-07; 99,
 * 2026-03-08. */
static void more_than_100_days_from_18(void **state)
{
	(void)state;
	int32_t dob = day(2008, 6, 15), age;
	struct nrm_case c = child(dob, day(2026, 3, 6));
	assert_int_equal(nrm_birthday(dob, 18) - c.referral_date, 101);
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_IN);
	assert_int_equal(age, 17);
	c.referral_date = day(2026, 3, 7);
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_NEAR_18);
	c.referral_date = day(2026, 3, 8);
	assert_int_equal(nrm_birthday(dob, 18) - c.referral_date, 99);
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_NEAR_18);
	assert_int_equal(age, 17);
	/* A young child is in scope; a disputed age never is. */
	c.referral_date = day(2015, 1, 1);
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_IN);
	assert_int_equal(age, 6);
	c.age_disputed = NRM_YES;
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_AGE_DISPUTED);
	assert_int_equal(age, 6);
}

static void unknown_without_a_date_of_birth(void **state)
{
	(void)state;
	int32_t age = 0;
	struct nrm_case c = child(NRM_DATE_NONE, day(2025, 1, 1));
	assert_int_equal(nrm_pilot_scope(&c, &age), NRM_SCOPE_UNKNOWN);
	assert_int_equal(age, NRM_AGE_NONE);
	c.age_disputed = NRM_NO;
	assert_int_equal(nrm_pilot_scope(&c, NULL), NRM_SCOPE_UNKNOWN);
	c.age_disputed = NRM_YES;
	assert_int_equal(nrm_pilot_scope(&c, NULL), NRM_SCOPE_AGE_DISPUTED);
}

static void names_round_trip(void **state)
{
	(void)state;
	const char *names[] = {"unknown", "in_scope", "near_18", "age_disputed"};
	for (int i = 0; i < NRM_SCOPE_COUNT; i++) {
		assert_string_equal(nrm_pilot_scope_name((enum nrm_pilot_scope)i), names[i]);
		assert_int_equal(nrm_pilot_scope_parse(names[i]), i);
	}
	assert_int_equal(nrm_pilot_scope_parse("adult"), -1);
}

/* The canonical rules on the date of birth. */
static void case_rules(void **state)
{
	(void)state;
	struct nrm_case_problem p;
	struct nrm_case c = child(day(2010, 5, 1), day(2025, 1, 20));
	c.age_at_exploitation = 14; /* 14 at referral: 15 on 2025-05-01 */
	assert_int_equal(nrm_case_validate(&c, &p), 0);
	c.age_at_exploitation = 15;
	assert_int_equal(nrm_case_validate(&c, &p), -1);
	assert_string_equal(p.field, "age_at_exploitation");
	c.age_at_exploitation = NRM_AGE_NONE;
	c.date_of_birth = day(2025, 1, 21);
	assert_int_equal(nrm_case_validate(&c, &p), -1);
	assert_string_equal(p.field, "date_of_birth");
	c.date_of_birth = day(2025, 1, 20); /* born on the referral day */
	assert_int_equal(nrm_case_validate(&c, &p), 0);
	c.date_of_birth = day(2007, 1, 20); /* 18 on the referral day */
	assert_int_equal(nrm_case_validate(&c, &p), -1);
	assert_string_equal(p.field, "date_of_birth");
	c.date_of_birth = day(2007, 1, 21);
	assert_int_equal(nrm_case_validate(&c, &p), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ages_follow_the_calendar),
		cmocka_unit_test(more_than_100_days_from_18),
		cmocka_unit_test(unknown_without_a_date_of_birth),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(case_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

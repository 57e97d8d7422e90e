/*
 * nrm_case_compare, which `plugin check` uses on a round trip: a field that
 * comes back unknown is "not carried" (allowed, and listed), a field that
 * comes back with another known value is a failure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "case.h"
#include "check_fixtures.h"

#include <string.h>

static unsigned field_number(const char *name)
{
	for (unsigned f = 0; f < NRM_CASE_FIELD_COUNT; f++)
		if (strcmp(nrm_case_field_name(f), name) == 0)
			return f;
	fail_msg("no field %s", name);
	return 0;
}

static uint32_t bit(const char *name)
{
	return UINT32_C(1) << field_number(name);
}

static void full_case(struct nrm_case *c)
{
	nrm_case_init(c);
	c->case_id = "BCT-1";
	c->site = "birmingham";
	c->first_responder_org = "Youth Service";
	c->nationality[0] = "GB";
	c->nationality[1] = "IE";
	c->referral_date = 20000;
	c->status_date = 20010;
	c->status = NRM_STATUS_WITHDRAWN;
	c->age_at_exploitation = 0; /* a real age, not "unknown" */
	c->county_lines = NRM_NO;
	c->gender = NRM_GENDER_FEMALE;
}

static void test_same(void **state)
{
	(void)state;
	struct nrm_case a, b;
	full_case(&a);
	full_case(&b);
	struct nrm_case_diff d;
	nrm_case_compare(&a, &b, &d);
	assert_int_equal(d.lost, 0);
	assert_null(d.changed);
}

static void test_lost_fields(void **state)
{
	(void)state;
	struct nrm_case a, b;
	full_case(&a);
	full_case(&b);
	b.first_responder_org = NULL;
	b.status_date = NRM_DATE_NONE;
	b.county_lines = NRM_UNKNOWN;
	b.age_at_exploitation = NRM_AGE_NONE;
	b.nationality[0] = b.nationality[1] = NULL;
	struct nrm_case_diff d;
	nrm_case_compare(&a, &b, &d);
	assert_int_equal(d.lost, bit("first_responder_org") | bit("status_date") |
	                                 bit("county_lines") | bit("age_at_exploitation") |
	                                 bit("nationality"));
	assert_null(d.changed);
}

static void test_changed_fields(void **state)
{
	(void)state;
	struct nrm_case a, b;
	full_case(&a);
	full_case(&b);
	b.nationality[1] = NULL; /* a dual national's second code dropped */
	struct nrm_case_diff d;
	nrm_case_compare(&a, &b, &d);
	assert_string_equal(d.changed, "nationality");

	full_case(&b);
	b.county_lines = NRM_YES; /* no is not yes */
	nrm_case_compare(&a, &b, &d);
	assert_string_equal(d.changed, "county_lines");

	full_case(&b);
	b.age_at_exploitation = 1;
	b.gender = NRM_GENDER_UNKNOWN; /* lost, and a change besides */
	nrm_case_compare(&a, &b, &d);
	assert_string_equal(d.changed, "age_at_exploitation");
	assert_int_equal(d.lost, bit("gender"));

	/* A value where there was none is a change too. */
	full_case(&b);
	a.nrm_ref = NULL;
	b.nrm_ref = "NRM-1";
	nrm_case_compare(&a, &b, &d);
	assert_string_equal(d.changed, "nrm_ref");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_lost_fields),
		cmocka_unit_test(test_changed_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

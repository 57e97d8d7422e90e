/*
 * Unit tests of hub/return_build.c beyond the end-to-end fixture
 * (tests/e2e/return_build.sh): the Home Office labels, the age bands at
 * their edges, which cases an extract holds, the site rules, and values out
 * of range (a store written by a newer version) counted as unknown rather
 * than trusted as indexes; the series since the site joined, and a past
 * quarter's row taken from the return the site sent for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sysexits.h>

#include "case.h"
#include "date.h"
#include "return_build.h"
#include "util.h"

static void test_labels(void **state)
{
	assert_string_equal(nrm_exploitation_label(0), "Not specified or unknown");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_CRIMINAL), "Criminal");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_ORGAN_HARVESTING), "Organ Harvesting");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_CRIMINAL | NRM_EXPL_SEXUAL),
	                    "Sexual & Criminal");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_CRIMINAL | NRM_EXPL_SEXUAL |
	                                           NRM_EXPL_LABOUR),
	                    "Sexual, Labour & Criminal");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_DOMESTIC | NRM_EXPL_ORGAN_HARVESTING),
	                    "Domestic & Organ Harvesting");
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_ALL),
	                    "Sexual, Labour, Domestic, Organ Harvesting & Criminal");
	/* Asked twice, the same (cached) answer. */
	assert_string_equal(nrm_exploitation_label(NRM_EXPL_ALL),
	                    "Sexual, Labour, Domestic, Organ Harvesting & Criminal");
}

static void test_age_bands(void **state)
{
	assert_string_equal(nrm_age_band(0), "0-11");
	assert_string_equal(nrm_age_band(11), "0-11");
	assert_string_equal(nrm_age_band(12), "12-15");
	assert_string_equal(nrm_age_band(15), "12-15");
	assert_string_equal(nrm_age_band(16), "16-17");
	assert_string_equal(nrm_age_band(17), "16-17");
	assert_string_equal(nrm_age_band(NRM_AGE_NONE), "unknown");
	assert_string_equal(nrm_age_band(18), "unknown");
}

static int32_t day(const char *iso)
{
	int32_t d;
	assert_int_equal(nrm_date_parse_iso(iso, strlen(iso), &d), NRM_OK);
	return d;
}

static void base_case(struct nrm_case *c, const char *site, const char *referral)
{
	nrm_case_init(c);
	c->case_id = "T-1";
	c->site = site;
	c->referral_date = day(referral);
}

static struct nrm_return_builder *builder(const char *site)
{
	struct nrm_return_params p = {.site = site, .version = "test"};
	assert_int_equal(nrm_quarter_parse("2024Q1", &p.quarter), 0);
	return nrm_return_builder_new(&p);
}

static void test_which_cases_an_extract_holds(void **state)
{
	struct nrm_return_builder *rb = builder("hull");
	struct nrm_case c;
	base_case(&c, "hull", "2024-01-01");
	assert_true(nrm_return_builder_add(rb, &c));    /* referred in Q */
	base_case(&c, "hull", "2023-06-01");
	c.rg_decision_date = day("2023-07-01");
	c.rg_outcome = NRM_OUTCOME_NEGATIVE;
	assert_false(nrm_return_builder_add(rb, &c));   /* nothing in Q */
	base_case(&c, "hull", "2023-06-01");
	assert_true(nrm_return_builder_add(rb, &c));    /* still awaiting RG */
	base_case(&c, "hull", "2024-04-01");
	assert_false(nrm_return_builder_add(rb, &c));   /* after Q */
	base_case(&c, "york", "2024-01-01");
	assert_false(nrm_return_builder_add(rb, &c));   /* another site */
	base_case(&c, "hull", "2024-01-01");
	c.age_disputed = NRM_YES;
	assert_false(nrm_return_builder_add(rb, &c));   /* out of scope */
	struct nrm_error err;
	json_t *r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "referrals"),
	                                                    "total")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "quality"),
	                                                    "out_of_scope")), 1);
	json_decref(r);
	nrm_return_builder_free(rb);
}

static void test_site_rules(void **state)
{
	struct nrm_error err;
	struct nrm_case c;
	/* No site given: the cases' site, if there is only one. */
	struct nrm_return_builder *rb = builder(NULL);
	assert_null(nrm_return_builder_site(rb));
	base_case(&c, "hull", "2024-01-01");
	nrm_return_builder_add(rb, &c);
	assert_string_equal(nrm_return_builder_site(rb), "hull");
	json_t *r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(r, "site")), "hull");
	json_decref(r);
	nrm_return_builder_free(rb);

	rb = builder(NULL);
	nrm_return_builder_add(rb, &c);
	base_case(&c, "york", "2024-01-01");
	nrm_return_builder_add(rb, &c);
	assert_null(nrm_return_builder_finish(rb, &err));
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "more than one site"));
	nrm_return_builder_free(rb);

	rb = builder(NULL);
	assert_null(nrm_return_builder_finish(rb, &err));
	assert_int_equal(err.code, EX_DATAERR);
	nrm_return_builder_free(rb);

	/* A site given and no case: an empty return, not an error. */
	rb = builder("hull");
	r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(r,
		"days_to_decision"), "rg"), "median")));
	json_decref(r);
	nrm_return_builder_free(rb);
}

static json_int_t count_at(json_t *r, const char *a, const char *b, const char *c)
{
	json_t *v = json_object_get(json_object_get(json_object_get(r, a), b), c);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static void test_out_of_range_values_are_unknown(void **state)
{
	struct nrm_return_builder *rb = builder("hull");
	struct nrm_case c;
	static const char weird[] = "G1";
	base_case(&c, "hull", "2024-02-29");
	c.gender = 99;
	c.exploitation_location = -5;
	c.first_responder_type = 1000;
	c.age_at_exploitation = 40;
	c.nationality[0] = weird;
	c.exploitation_types = 0xffffffe0u;  /* no known bit */
	nrm_return_builder_add(rb, &c);
	struct nrm_error err;
	json_t *r = nrm_return_builder_finish(rb, &err);
	assert_int_equal(count_at(r, "referrals", "by_gender", "unknown"), 1);
	assert_int_equal(count_at(r, "referrals", "by_location", "unknown"), 1);
	assert_int_equal(count_at(r, "referrals", "by_first_responder_type", "unknown"), 1);
	assert_int_equal(count_at(r, "referrals", "by_age_band", "unknown"), 1);
	assert_int_equal(count_at(r, "referrals", "by_nationality", "unknown"), 1);
	assert_int_equal(count_at(r, "referrals", "by_exploitation_type", "not_specified"), 1);
	json_decref(r);
	nrm_return_builder_free(rb);
}

static json_t *series_row(const json_t *r, size_t i)
{
	return json_array_get(json_object_get(r, "series"), i);
}

static json_int_t row_count(const json_t *r, size_t i, const char *key)
{
	const json_t *v = json_object_get(series_row(r, i), key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* Joined 2023-07-01: 2023Q3, 2023Q4 and 2024Q1.  A case referred 2023-08-01
 * with a positive RG 10 days later awaits its CG at every quarter's end; a
 * case referred 2024-01-10 awaits its RG at 2024Q1's. */
static struct nrm_return_builder *series_builder(enum nrm_audience audience,
                                                 const json_t *const *sent, size_t n_sent)
{
	struct nrm_return_params p = {.site = "hull", .version = "test", .audience = audience,
	                              .joined = day("2023-07-01"), .sent = sent,
	                              .n_sent = n_sent};
	assert_int_equal(nrm_quarter_parse("2024Q1", &p.quarter), 0);
	struct nrm_return_builder *rb = nrm_return_builder_new(&p);
	struct nrm_case c;
	base_case(&c, "hull", "2023-08-01");
	c.rg_decision_date = day("2023-08-11");
	c.rg_outcome = NRM_OUTCOME_POSITIVE;
	c.decision_maker = NRM_DM_DDM_PANEL;
	nrm_return_builder_add(rb, &c);
	base_case(&c, "hull", "2024-01-10");
	nrm_return_builder_add(rb, &c);
	return rb;
}

static void test_series_since_joining(void **state)
{
	struct nrm_return_builder *rb = series_builder(NRM_AUDIENCE_OFFICIAL, NULL, 0);
	struct nrm_error err;
	json_t *r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_int_equal(json_array_size(json_object_get(r, "series")), 3);
	assert_string_equal(json_string_value(json_object_get(series_row(r, 0), "quarter")),
	                    "2023Q3");
	assert_int_equal(row_count(r, 0, "referrals"), 1);
	assert_int_equal(row_count(r, 0, "rg_decisions"), 1);
	assert_int_equal(row_count(r, 0, "rg_positive"), 1);
	assert_true(json_real_value(json_object_get(series_row(r, 0), "mean_days_rg")) == 10.0);
	assert_int_equal(row_count(r, 0, "median_days_rg"), 10);
	assert_true(json_is_null(json_object_get(series_row(r, 0), "mean_days_cg")));
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(row_count(r, i, "awaiting_cg"), 1);
	assert_int_equal(row_count(r, 1, "referrals"), 0);
	assert_int_equal(row_count(r, 1, "awaiting_rg"), 0);
	assert_int_equal(row_count(r, 2, "referrals"), 1);
	assert_int_equal(row_count(r, 2, "awaiting_rg"), 1);
	json_decref(r);
	nrm_return_builder_free(rb);
}

/* What the site sent for 2023Q4 (an official return whose published
 * counterpart hid its referrals), and a "sent" return of 2024Q1 itself,
 * which is never taken: the return's own quarter is counted now. */
static json_t *sent_return(const char *quarter)
{
	return json_pack("{s:s, s:{s:i}, s:{s:{s:i}, s:{s:i}}, s:{s:{s:i, s:f, s:i}, s:{s:i, s:n, "
	                 "s:n}}, s:{s:{s:i}, s:{s:i}}, s:{s:[s]}}",
	                 "quarter", quarter, "referrals", "total", 7, "decisions", "rg", "positive", 5,
	                 "cg", "positive", 0, "days_to_decision", "rg", "count", 6, "mean", 12.5,
	                 "median", 11, "cg", "count", 0, "mean", "median", "awaiting", "rg", "count",
	                 3, "cg", "count", 2, "disclosure", "published_hidden",
	                 "$.referrals.total");
}

static void test_series_row_from_sent_return(void **state)
{
	json_t *sent[] = {sent_return("2023Q4"), sent_return("2024Q1")};
	const json_t *const given[] = {sent[0], sent[1]};
	struct nrm_error err;
	struct nrm_return_builder *rb = series_builder(NRM_AUDIENCE_OFFICIAL, given, 2);
	json_t *r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_int_equal(row_count(r, 1, "referrals"), 7);
	assert_int_equal(row_count(r, 1, "rg_decisions"), 6);
	assert_int_equal(row_count(r, 1, "rg_positive"), 5);
	assert_int_equal(row_count(r, 1, "awaiting_rg"), 3);
	assert_int_equal(row_count(r, 1, "median_days_rg"), 11);
	assert_int_equal(row_count(r, 2, "referrals"), 1); /* counted, not taken */
	json_decref(r);
	nrm_return_builder_free(rb);
	/* Published: the row hides what the sent return's published pattern hid. */
	rb = series_builder(NRM_AUDIENCE_PUBLISHED, given, 2);
	r = nrm_return_builder_finish(rb, &err);
	assert_non_null(r);
	assert_string_equal(json_string_value(json_object_get(series_row(r, 1), "referrals")),
	                    "[c]");
	json_decref(r);
	nrm_return_builder_free(rb);
	/* A sent return lacking a figure is refused, naming it. */
	json_object_del(json_object_get(sent[0], "awaiting"), "cg");
	rb = series_builder(NRM_AUDIENCE_OFFICIAL, given, 2);
	assert_null(nrm_return_builder_finish(rb, &err));
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "$.awaiting.cg.count"));
	nrm_return_builder_free(rb);
	json_decref(sent[0]);
	json_decref(sent[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_age_bands),
		cmocka_unit_test(test_which_cases_an_extract_holds),
		cmocka_unit_test(test_site_rules),
		cmocka_unit_test(test_out_of_range_values_are_unknown),
		cmocka_unit_test(test_series_since_joining),
		cmocka_unit_test(test_series_row_from_sent_return),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

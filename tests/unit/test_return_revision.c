/*
 * Unit tests of hub/return_revision.c's earlier quarters: a series row the
 * builder took from the return sent for its quarter, against that quarter
 * counted now.  The returns are tests/data/returns/expected-2024Q2.json and
 * its published counterpart, whose series' 2024 Q1 row (14 referrals, 4
 * awaiting RG; published: 14 and "[c]") stands for the one sent, and the
 * recount is that row with one referral more and one case more awaiting RG
 * (a late record): worked out here, the two revised figures and their
 * texts, and none for a figure the published return hides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "commands.h"
#include "return_fixture.h"
#include "return_revision.h"
#include "util.h"

#include <sysexits.h>

/* return_input.c's reader of a return given by hand (--revises) lives with
 * the commands (cmd_return_render.c); these tests give none. */
int nrm_return_load_file(const char *path, json_t **out, struct nrm_error *err)
{
	(void)out;
	return nrm_fail(err, EX_SOFTWARE, "%s: no return is read here", path);
}

static const char *const sent_name = "hull_2024Q1_001.tar.gz";

/* `ret` without its $.revision, and the recount of its series: the 2024 Q1
 * row (the second last) with referrals and awaiting_rg one more, as
 * counted (numbers, never "[c]"). */
static json_t *recount_of(json_t *ret)
{
	json_object_del(ret, "revision");
	json_t *counted = json_deep_copy(json_object_get(ret, "series"));
	size_t n = json_array_size(counted);
	json_t *q1 = json_array_get(counted, n - 2);
	assert_string_equal(json_string_value(json_object_get(q1, "quarter")), "2024Q1");
	json_object_set_new(q1, "referrals", json_integer(15));
	json_object_set_new(q1, "awaiting_rg", json_integer(5));
	return counted;
}

static const json_t *revised_of(json_t *ret, json_t *sent, json_t *counted)
{
	const json_t *sent_list[1] = {sent};
	const char *names[1] = {sent_name};
	struct nrm_revision_request r = {.sent = sent_list, .sent_names = names, .n_sent = 1,
	                                 .series_counted = counted};
	nrm_provisional_parse("quarters", 1, &r.provisional);
	struct nrm_error err;
	if (nrm_return_revision_add(ret, &r, &err) != 0)
		fail_msg("%s", err.msg);
	return json_object_get(json_object_get(ret, "revision"), "revised");
}

static void assert_entry(const json_t *e, const char *column, const char *old, const char *new,
                         const char *difference)
{
	assert_string_equal(json_string_value(json_object_get(e, "quarter")), "2024Q1");
	assert_string_equal(json_string_value(json_object_get(e, "table")), "series");
	assert_string_equal(json_string_value(json_object_get(e, "row")), "2024 Q1");
	assert_string_equal(json_string_value(json_object_get(e, "column")), column);
	assert_string_equal(json_string_value(json_object_get(e, "change")), "changed");
	assert_string_equal(json_string_value(json_object_get(e, "old")), old);
	assert_string_equal(json_string_value(json_object_get(e, "new")), new);
	assert_string_equal(json_string_value(json_object_get(e, "difference")), difference);
	assert_string_equal(json_string_value(json_object_get(e, "compared_with")), sent_name);
}

/* Official: the row shows 14 and 4 as sent; revisions list 15 and 5. */
static void test_official_lists_the_recount(void **state)
{
	(void)state;
	json_t *ret = return_fixture("expected-2024Q2.json");
	json_t *sent = return_fixture("expected-2024Q1.json");
	json_t *counted = recount_of(ret);
	const json_t *revised = revised_of(ret, sent, counted);
	assert_int_equal(json_array_size(revised), 2);
	assert_entry(json_array_get(revised, 0), "referrals", "14", "15", "+1");
	assert_entry(json_array_get(revised, 1), "awaiting_rg", "4", "5", "+1");
	json_decref(counted);
	json_decref(sent);
	json_decref(ret);
}

/* Published: the recount is no figure its suppression covered, so "[c]"
 * and no difference; awaiting RG, hidden in the row shown, is not listed. */
static void test_published_hides_the_recount(void **state)
{
	(void)state;
	json_t *ret = return_fixture("expected-2024Q2-published.json");
	json_t *sent = return_fixture("expected-2024Q1-published.json");
	json_t *counted = recount_of(ret);
	const json_t *revised = revised_of(ret, sent, counted);
	assert_int_equal(json_array_size(revised), 1);
	assert_entry(json_array_get(revised, 0), "referrals", "14", "[c]", "");
	json_decref(counted);
	json_decref(sent);
	json_decref(ret);
}

/* The same recount with nothing sent: nothing is [r]. */
static void test_nothing_sent_nothing_revised(void **state)
{
	(void)state;
	json_t *ret = return_fixture("expected-2024Q2.json");
	json_t *counted = recount_of(ret);
	struct nrm_revision_request r = {.series_counted = counted};
	nrm_provisional_parse("quarters", 1, &r.provisional);
	struct nrm_error err;
	assert_int_equal(nrm_return_revision_add(ret, &r, &err), 0);
	assert_int_equal(json_array_size(json_object_get(json_object_get(ret, "revision"),
	                                                 "revised")), 0);
	json_decref(counted);
	json_decref(ret);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_lists_the_recount),
		cmocka_unit_test(test_published_hides_the_recount),
		cmocka_unit_test(test_nothing_sent_nothing_revised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

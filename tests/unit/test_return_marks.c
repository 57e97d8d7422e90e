/*
 * Unit tests of hub/return_marks.c ($.revision applied to a return's
 * tables) and hub/revision_policy.c (a revision's reason, the provisional
 * policy).  The return is tests/data/returns/render-official.json (2025Q1,
 * its trend 2023Q2 to 2025Q1), given a $.revision by hand: which figures
 * are [p] and [r], what the status column says of each row, and the
 * revisions table drawn from it, are all worked out here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>

#include "return_fixture.h"
#include "return_marks.h"
#include "return_tables.h"
#include "revision_policy.h"
#include "util.h"

static json_t *with_revision(const char *json)
{
	json_t *ret = return_fixture("render-official.json");
	json_error_t jerr;
	json_t *rev = json_loads(json, 0, &jerr);
	if (!rev)
		fail_msg("revision: %s", jerr.text);
	json_object_set_new(ret, "revision", rev);
	return ret;
}

static const struct nrm_table *table(const struct nrm_return_tables *t, const char *key)
{
	const struct nrm_table *tab = nrm_return_tables_find(t, key);
	assert_non_null(tab);
	return tab;
}

/* The column of `tab` named `name`. */
static size_t col(const struct nrm_table *tab, const char *name)
{
	for (size_t c = 0; c < tab->n_columns; c++)
		if (strcmp(tab->columns[c].name, name) == 0)
			return c;
	fail_msg("no column %s in %s", name, tab->key);
	return 0;
}

/* The row of `tab` whose code (column 2) or, in the trend, Year and
 * Quarter are `key`. */
static size_t row(const struct nrm_table *tab, const char *key)
{
	for (size_t r = 0; r < tab->n_rows; r++) {
		char period[16];
		snprintf(period, sizeof(period), "%s %s", nrm_table_cell(tab, r, 0)->text,
		         nrm_table_cell(tab, r, 1)->text);
		if (strcmp(period, key) == 0 ||
		    (tab->n_columns > 2 && strcmp(nrm_table_cell(tab, r, 2)->text, key) == 0))
			return r;
	}
	fail_msg("no row %s in %s", key, tab->key);
	return 0;
}

static const char *status(const struct nrm_table *tab, const char *key)
{
	return nrm_table_cell(tab, row(tab, key), col(tab, "status"))->text;
}

/* Without $.revision: no marks, no status column, no revisions table. */
static void test_no_revision(void **state)
{
	(void)state;
	json_t *ret = return_fixture("render-official.json");
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	assert_int_equal(nrm_return_tables_build(ret, &t, &err), 0);
	assert_false(t.marked);
	const struct nrm_table *gender = table(&t, "gender");
	assert_string_equal(gender->columns[gender->n_columns - 1].name, "referrals");
	assert_null(nrm_return_tables_find(&t, NRM_REVISIONS_KEY));
	nrm_return_tables_free(&t);
	json_decref(ret);
}

/* [p] on the two latest quarters; [r] on female and on the trend's 2024 Q4
 * referrals; the revisions table lists both, in their order. */
static void test_marks(void **state)
{
	(void)state;
	json_t *ret = with_revision(
		"{\"provisional\": [\"2024Q4\", \"2025Q1\"],"
		" \"revises\": {\"bundle\": \"x_2025Q1_001.tar.gz\", \"seq\": 1, \"generated_at\": null},"
		" \"reason\": \"late records\","
		" \"revised\": ["
		"  {\"quarter\": \"2025Q1\", \"table\": \"gender\", \"row\": \"female\","
		"   \"row_label\": \"Female\", \"column\": \"referrals\", \"change\": \"changed\","
		"   \"old\": \"2\", \"new\": \"3\", \"difference\": \"+1\", \"compared_with\": \"x_2025Q1_001.tar.gz\"},"
		"  {\"quarter\": \"2024Q4\", \"table\": \"trend\", \"row\": \"2024 Q4\","
		"   \"row_label\": \"2024 Q4\", \"column\": \"referrals\", \"change\": \"changed\","
		"   \"old\": \"14\", \"new\": \"15\", \"difference\": \"+1\", \"compared_with\": \"x_2024Q4_002.tar.gz\"}]}");
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	if (nrm_return_tables_build(ret, &t, &err) != 0)
		fail_msg("%s", err.msg);
	assert_true(t.marked);
	const struct nrm_table *gender = table(&t, "gender");
	size_t female = row(gender, "female"), male = row(gender, "male");
	size_t n = col(gender, "referrals");
	assert_int_equal(nrm_table_cell(gender, female, n)->marks,
	                 NRM_MARK_PROVISIONAL | NRM_MARK_REVISED);
	assert_string_equal(status(gender, "female"), "[p] [r]");
	/* The figure itself is untouched: a number, shown as before. */
	assert_int_equal(nrm_table_cell(gender, female, n)->kind, NRM_CELL_NUMBER);
	assert_int_equal(nrm_table_cell(gender, male, n)->marks, NRM_MARK_PROVISIONAL);
	assert_string_equal(status(gender, "male"), "[p]");
	const struct nrm_table *trend = table(&t, "trend");
	assert_string_equal(status(trend, "2025 Q1"), "[p]");
	assert_string_equal(status(trend, "2024 Q4"), "[p] [r]");
	/* A quarter the policy leaves out is neither. */
	assert_string_equal(status(trend, "2024 Q3"), "");
	const struct nrm_table *rev = table(&t, NRM_REVISIONS_KEY);
	assert_string_equal(rev->file, NRM_REVISIONS_FILE);
	assert_string_equal(rev->lead, "Why: late records");
	assert_int_equal(rev->n_rows, 2);
	assert_string_equal(nrm_table_cell(rev, 0, col(rev, "table"))->text, gender->id);
	assert_string_equal(nrm_table_cell(rev, 0, col(rev, "previously_sent"))->text, "2");
	assert_string_equal(nrm_table_cell(rev, 0, col(rev, "now"))->text, "3");
	assert_string_equal(nrm_table_cell(rev, 1, 0)->text, "2024");
	assert_string_equal(nrm_table_cell(rev, 1, 1)->text, "Q4");
	assert_string_equal(nrm_table_cell(rev, 1, col(rev, "compared_with"))->text,
	                    "x_2024Q4_002.tar.gz");
	/* The revisions table has no figures: no status column of its own. */
	assert_false(nrm_table_has_figures(rev));
	nrm_return_tables_free(&t);
	json_decref(ret);
}

/* A revised figure the tables do not hold: refused, naming the entry. */
static void test_unknown_figure(void **state)
{
	(void)state;
	json_t *ret = with_revision(
		"{\"provisional\": [], \"revises\": null, \"reason\": null, \"revised\": ["
		"  {\"quarter\": \"2025Q1\", \"table\": \"gender\", \"row\": \"nobody\","
		"   \"row_label\": \"\", \"column\": \"referrals\", \"change\": \"changed\","
		"   \"old\": \"1\", \"new\": \"2\", \"difference\": \"+1\", \"compared_with\": \"x\"}]}");
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	assert_int_equal(nrm_return_tables_build(ret, &t, &err), -1);
	assert_non_null(strstr(err.msg, "$.revision.revised[0]: no figure gender, nobody, referrals"));
	json_decref(ret);
}

static void test_reason(void **state)
{
	(void)state;
	assert_null(nrm_revision_reason_problem("Late decisions from the panel"));
	assert_non_null(nrm_revision_reason_problem(""));
	assert_non_null(nrm_revision_reason_problem(" padded"));
	assert_non_null(nrm_revision_reason_problem("two\nlines"));
	assert_non_null(nrm_revision_reason_problem("tab\there"));
	assert_non_null(nrm_revision_reason_problem("\xff\xfe"));
	char max[NRM_REVISION_REASON_MAX + 2];
	memset(max, 'x', sizeof(max));
	max[NRM_REVISION_REASON_MAX] = '\0';
	assert_null(nrm_revision_reason_problem(max));
	max[NRM_REVISION_REASON_MAX] = 'x';
	max[NRM_REVISION_REASON_MAX + 1] = '\0';
	assert_non_null(nrm_revision_reason_problem(max));
}

static void test_provisional_parse(void **state)
{
	(void)state;
	struct nrm_provisional p;
	assert_int_equal(nrm_provisional_parse("quarters", 0, &p), 0);
	assert_int_equal(p.unit, NRM_PROVISIONAL_QUARTERS);
	assert_int_equal(nrm_provisional_parse("months", 120, &p), 0);
	assert_int_equal(p.unit, NRM_PROVISIONAL_MONTHS);
	assert_int_equal(p.n, 120);
	assert_int_equal(nrm_provisional_parse("months", 121, &p), -1);
	assert_int_equal(nrm_provisional_parse("quarters", 41, &p), -1);
	assert_int_equal(nrm_provisional_parse("quarters", -1, &p), -1);
	assert_int_equal(nrm_provisional_parse("weeks", 2, &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_revision),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_unknown_figure),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_provisional_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Unit tests of hub/return_diff.c (two returns compared figure by figure).
 * Each case takes a hand-written return of tests/data/returns/, changes it
 * by hand, and lists the changes a reader of the two sets of tables would
 * find: the same return (none), one figure changed, a row added, a row
 * removed, a cell suppressed in one, a statistic moved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "return_diff.h"
#include "return_fixture.h"
#include "return_tables.h"
#include "util.h"

/* The figure at `section`.`group`.`key` of `ret` set to `v` (stolen). */
static void set3(json_t *ret, const char *section, const char *group, const char *key, json_t *v)
{
	json_t *g = json_object_get(json_object_get(ret, section), group);
	assert_non_null(g);
	assert_int_equal(json_object_set_new(g, key, v), 0);
}

/* The diff of the returns `old` and `new` (both consumed); the tables it
 * points into are left in `ot` and `nt` for the caller to free. */
static void diff(json_t *old, json_t *new, struct nrm_return_tables *ot,
                 struct nrm_return_tables *nt, struct nrm_return_diff *d)
{
	struct nrm_error err = {0};
	if (nrm_return_tables_build(old, ot, &err) != 0)
		fail_msg("old: %s", err.msg);
	if (nrm_return_tables_build(new, nt, &err) != 0)
		fail_msg("new: %s", err.msg);
	json_decref(old);
	json_decref(new);
	nrm_return_diff(ot, nt, d);
}

static void done(struct nrm_return_tables *ot, struct nrm_return_tables *nt,
                 struct nrm_return_diff *d)
{
	nrm_return_diff_free(d);
	nrm_return_tables_free(ot);
	nrm_return_tables_free(nt);
}

/* Change `i` is of `table` ("Table_3"), row `row` ("Male"), column
 * `column` ("referrals"), from `old` to `new` (NULL: not there). */
static void assert_change(const struct nrm_return_diff *d, size_t i, enum nrm_change_kind kind,
                          const char *table, const char *row, const char *column,
                          const char *old, const char *new)
{
	assert_true(i < d->n_changes);
	const struct nrm_return_change *c = &d->changes[i];
	assert_int_equal(c->kind, kind);
	assert_string_equal(c->table->id, table);
	assert_string_equal(c->row, row);
	assert_string_equal(c->column->name, column);
	if (old)
		assert_string_equal(c->old_cell->text, old);
	else
		assert_null(c->old_cell);
	if (new)
		assert_string_equal(c->new_cell->text, new);
	else
		assert_null(c->new_cell);
}

static void assert_difference(const struct nrm_return_change *c, const char *want)
{
	assert_true(c->has_difference);
	char *got = nrm_return_change_difference(c);
	assert_string_equal(got, want);
	free(got);
}

static void test_same(void **state)
{
	(void)state;
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-official.json"), return_fixture("render-official.json"), &ot, &nt, &d);
	assert_int_equal(d.n_changes, 0);
	assert_int_equal(d.n_tables, 0);
	done(&ot, &nt, &d);
}

/* Only the gender table shows male referrals (the total is $.referrals.total,
 * left alone): one figure, 8 to 9. */
static void test_one_figure(void **state)
{
	(void)state;
	json_t *new = return_fixture("render-official.json");
	set3(new, "referrals", "by_gender", "male", json_integer(9));
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-official.json"), new, &ot, &nt, &d);
	assert_int_equal(d.n_changes, 1);
	assert_int_equal(d.n_tables, 1);
	assert_change(&d, 0, NRM_CHANGE_CHANGED, "Table_3", "Male", "referrals", "8", "9");
	assert_string_equal(d.changes[0].row_code, "male");
	assert_string_equal(d.changes[0].table->title, "Referrals by gender [note 1]");
	assert_difference(&d.changes[0], "+1");
	done(&ot, &nt, &d);
}

/* A Polish child where a British one was (the rows still sum to 12): UK
 * 6 to 5, and a Polish row that the old return does not have. */
static void test_row_added(void **state)
{
	(void)state;
	json_t *new = return_fixture("render-official.json");
	set3(new, "referrals", "by_nationality", "GB", json_integer(5));
	set3(new, "referrals", "by_nationality", "PL", json_integer(1));
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-official.json"), new, &ot, &nt, &d);
	assert_int_equal(d.n_changes, 2);
	assert_int_equal(d.n_tables, 1);
	assert_change(&d, 0, NRM_CHANGE_CHANGED, "Table_6", "UK", "referrals", "6", "5");
	assert_difference(&d.changes[0], "-1");
	assert_change(&d, 1, NRM_CHANGE_ADDED, "Table_6", "Polish", "referrals", NULL, "1");
	assert_string_equal(d.changes[1].row_code, "PL");
	assert_false(d.changes[1].has_difference);
	done(&ot, &nt, &d);
}

/* The other way round: the two Albanian children now British, so the
 * Albanian row is gone, listed after the rows both have. */
static void test_row_removed(void **state)
{
	(void)state;
	json_t *new = return_fixture("render-official.json");
	assert_int_equal(json_object_del(json_object_get(json_object_get(new, "referrals"),
	                                                 "by_nationality"), "AL"), 0);
	set3(new, "referrals", "by_nationality", "GB", json_integer(8));
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-official.json"), new, &ot, &nt, &d);
	assert_int_equal(d.n_changes, 2);
	assert_change(&d, 0, NRM_CHANGE_CHANGED, "Table_6", "UK", "referrals", "6", "8");
	assert_difference(&d.changes[0], "+2");
	assert_change(&d, 1, NRM_CHANGE_REMOVED, "Table_6", "Albanian", "referrals", "2", NULL);
	done(&ot, &nt, &d);
}

/* The published return with its 9 girls hidden: a change from a number to
 * the shorthand, with no difference, and the cell known as suppressed. */
static void test_suppressed(void **state)
{
	(void)state;
	json_t *new = return_fixture("render-published.json");
	set3(new, "referrals", "by_gender", "female", json_string("[c]"));
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-published.json"), new, &ot, &nt, &d);
	assert_int_equal(d.n_changes, 1);
	assert_change(&d, 0, NRM_CHANGE_CHANGED, "Table_3", "Female", "referrals", "9", "[c]");
	assert_int_equal(d.changes[0].new_cell->kind, NRM_CELL_SUPPRESSED);
	assert_false(d.changes[0].has_difference);
	done(&ot, &nt, &d);
}

/* A mean moved from 31.4 to 30.1 days: the difference is of the figures
 * as shown, to one decimal (-1.3), not a binary fraction's tail. */
static void test_statistic(void **state)
{
	(void)state;
	json_t *new = return_fixture("render-official.json");
	set3(new, "days_to_decision", "rg", "mean", json_real(30.1));
	struct nrm_return_tables ot, nt;
	struct nrm_return_diff d;
	diff(return_fixture("render-official.json"), new, &ot, &nt, &d);
	/* The trend's own 2025Q1 row is $.trend's, not this figure. */
	assert_int_equal(d.n_changes, 1);
	assert_change(&d, 0, NRM_CHANGE_CHANGED, "Table_11", "Reasonable grounds", "mean_days",
	              "31.4", "30.1");
	assert_difference(&d.changes[0], "-1.3");
	done(&ot, &nt, &d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_one_figure),
		cmocka_unit_test(test_row_added),
		cmocka_unit_test(test_row_removed),
		cmocka_unit_test(test_suppressed),
		cmocka_unit_test(test_statistic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

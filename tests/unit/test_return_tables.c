/*
 * Unit tests of hub/return_tables.c (return.json flattened into the
 * published tables) and of the CSV field writer the outputs share.  The
 * expected cells are written out here from RETURN.md and DOMAIN.md.
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
#include <sysexits.h>

#include "return_render.h"
#include "return_fixture.h"
#include "return_tables.h"
#include "util.h"

/* The text of the cell in the row whose code column (2) is `code`. */
static const char *cell(const struct nrm_return_tables *t, const char *key, const char *code,
                        size_t col)
{
	const struct nrm_table *tab = nrm_return_tables_find(t, key);
	assert_non_null(tab);
	for (size_t r = 0; r < tab->n_rows; r++)
		if (strcmp(nrm_table_cell(tab, r, 2)->text, code) == 0)
			return nrm_table_cell(tab, r, col)->text;
	fail_msg("%s: no row %s", key, code);
	return NULL;
}

static void test_official_tables(void **state)
{
	(void)state;
	json_t *ret = return_fixture("render-official.json");
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	assert_int_equal(nrm_return_tables_build(ret, &t, &err), 0);
	assert_int_equal(t.n_tables, 16);
	for (size_t i = 0; i < t.n_tables; i++) {
		char want[32];
		snprintf(want, sizeof(want), "Table_%zu", i + 1);
		assert_string_equal(t.tables[i].id, want);
		/* Year and Quarter lead every table. */
		assert_string_equal(t.tables[i].columns[0].title, "Year");
		assert_string_equal(t.tables[i].columns[1].title, "Quarter");
	}
	assert_int_equal(t.year, 2025);
	assert_int_equal(t.q, 1);
	assert_string_equal(cell(&t, "gender", "male", 3), "Male");
	assert_string_equal(cell(&t, "gender", "male", 4), "8");
	assert_string_equal(cell(&t, "gender", "total", 4), "12");
	assert_string_equal(cell(&t, "first_responder_type", "ngo", 3), "NGO and third sector");
	assert_string_equal(cell(&t, "location", "uk_and_overseas", 3), "UK and Overseas");
	assert_string_equal(cell(&t, "exploitation_type", "organ_harvesting", 3),
	                    "Organ Harvesting");
	assert_string_equal(cell(&t, "exploitation_combination", "sexual+labour+criminal", 3),
	                    "Sexual, Labour & Criminal");
	/* The Home Office's nationality labels (formats/nationality-labels.csv). */
	assert_string_equal(cell(&t, "nationality", "VN", 3), "Vietnamese");
	assert_string_equal(cell(&t, "nationality", "GB", 3), "UK");
	/* Nationalities by code, unknown last, then the total they sum to. */
	const struct nrm_table *nat = nrm_return_tables_find(&t, "nationality");
	assert_string_equal(nrm_table_cell(nat, 0, 2)->text, "AL");
	assert_string_equal(nrm_table_cell(nat, nat->n_rows - 2, 2)->text, "unknown");
	assert_string_equal(cell(&t, "nationality", "total", 4), "12");
	/* One decimal for means and medians; p90 a whole number of days. */
	assert_string_equal(cell(&t, "days_to_decision", "rg", 5), "31.4");
	assert_string_equal(cell(&t, "days_to_decision", "rg", 6), "28.0");
	assert_string_equal(cell(&t, "days_to_decision", "cg", 6), "92.5");
	assert_string_equal(cell(&t, "days_to_decision", "rg", 7), "60");
	/* The trend's null mean is not applicable. */
	const struct nrm_table *trend = nrm_return_tables_find(&t, "trend");
	assert_int_equal(trend->n_rows, 8);
	assert_string_equal(nrm_table_cell(trend, 1, 0)->text, "2023");
	assert_string_equal(nrm_table_cell(trend, 1, 1)->text, "Q3");
	assert_int_equal(nrm_table_cell(trend, 1, 6)->kind, NRM_CELL_NA);
	assert_string_equal(nrm_table_cell(trend, 1, 6)->text, "[z]");
	char *period = nrm_table_row_period(trend, 7);
	assert_string_equal(period, "2025-Q1");
	free(period);
	nrm_return_tables_free(&t);
	json_decref(ret);
}

static void test_published_suppression(void **state)
{
	(void)state;
	json_t *ret = return_fixture("render-published.json");
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	assert_int_equal(nrm_return_tables_build(ret, &t, &err), 0);
	const struct nrm_table *aw = nrm_return_tables_find(&t, "awaiting");
	assert_int_equal(nrm_table_cell(aw, 0, 4)->kind, NRM_CELL_SUPPRESSED);
	assert_string_equal(nrm_table_cell(aw, 0, 4)->text, "[c]");
	assert_int_equal(nrm_table_cell(aw, 1, 5)->kind, NRM_CELL_NA);
	nrm_return_tables_free(&t);
	json_decref(ret);
}

/* Applies `change` (a JSON object merged over the fixture, recursively) and
 * expects a refusal naming `path_and_rule`. */
static void refused(const char *change, const char *path_and_rule)
{
	json_t *ret = return_fixture("render-official.json");
	json_error_t jerr;
	json_t *patch = json_loads(change, 0, &jerr);
	assert_non_null(patch);
	json_object_update_recursive(ret, patch);
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	assert_int_equal(nrm_return_tables_build(ret, &t, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	if (!strstr(err.msg, path_and_rule))
		fail_msg("message '%s' lacks '%s'", err.msg, path_and_rule);
	assert_int_equal(t.n_tables, 0);
	json_decref(patch);
	json_decref(ret);
}

static void test_refusals(void **state)
{
	(void)state;
	refused("{\"referrals\": {\"total\": \"[c]\"}}",
	        "$.referrals.total: \"[c]\" is only allowed in a published return");
	refused("{\"referrals\": {\"by_exploitation_combination\": {\"Sexual, Criminal\": 1}}}",
	        "\"Sexual, Criminal\" is not a Home Office exploitation type combination label");
	refused("{\"referrals\": {\"by_exploitation_combination\": {\"Criminal, Criminal\": 1}}}",
	        "is not a Home Office exploitation type combination label");
	refused("{\"referrals\": {\"by_exploitation_combination\": {\"Sexual \": 1}}}",
	        "is not a Home Office exploitation type combination label");
	refused("{\"days_to_decision\": {\"rg\": {\"p90\": 60.5}}}",
	        "$.days_to_decision.rg.p90: must be an integer >= 0, null or \"[c]\"");
	refused("{\"days_to_decision\": {\"rg\": {\"count\": null}}}",
	        "$.days_to_decision.rg.count: must be an integer >= 0 or \"[c]\"");
	/* A count no return can hold, whose percentage would overflow. */
	refused("{\"decisions\": {\"rg\": {\"positive\": 4611686018427387904}}}",
	        "$.decisions.rg.positive: must be at most 1000000000000");
	refused("{\"awaiting\": {\"rg\": {\"mean_age_days\": -1.0}}}",
	        "$.awaiting.rg.mean_age_days: must be a number >= 0");
	refused("{\"period\": {\"start\": \"2025-01-02\"}}",
	        "$.period.start: is not the first day of the quarter");
	refused("{\"audience\": \"public\"}", "$.audience: must be \"official\" or \"published\"");
	refused("{\"site\": \"b\\u0001x\"}", "$.site: must not contain control characters");
}

static void test_q4_period(void **state)
{
	(void)state;
	/* Q4 ends on 31 December: the period check crosses the year. */
	json_t *ret = return_fixture("render-official.json");
	json_t *patch = json_loads("{\"quarter\": \"2024Q4\", \"period\": {\"start\": "
	                           "\"2024-10-01\", \"end\": \"2024-12-31\"}}",
	                           0, NULL);
	json_object_update_recursive(ret, patch);
	/* The trend must now end with 2024Q4. */
	json_t *trend = json_object_get(ret, "trend");
	static const char *const quarters[] = {"2023Q1", "2023Q2", "2023Q3", "2023Q4",
	                                       "2024Q1", "2024Q2", "2024Q3", "2024Q4"};
	for (size_t i = 0; i < 8; i++)
		json_object_set_new(json_array_get(trend, i), "quarter", json_string(quarters[i]));
	struct nrm_return_tables t;
	struct nrm_error err = {0};
	if (nrm_return_tables_build(ret, &t, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(t.q, 4);
	nrm_return_tables_free(&t);
	json_decref(patch);
	json_decref(ret);
}

static char *csv_field(const char *s)
{
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	nrm_csv_put_field(out, s);
	fclose(out);
	return data;
}

static void test_csv_field(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"plain", "plain"},
		{"Sexual, Labour & Criminal", "\"Sexual, Labour & Criminal\""},
		{"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"two\r\nlines", "\"two\r\nlines\""},
		{"[c]", "[c]"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = csv_field(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

/* One text for a figure, by its column: a whole number of days is never
 * "79.0" in one table and "79" in another. */
static void test_figure_text(void **state)
{
	(void)state;
	static const struct {
		const char *json;
		enum nrm_column_role role;
		const char *text;
		enum nrm_cell_kind kind;
	} cases[] = {
		{"79", NRM_COL_COUNT, "79", NRM_CELL_NUMBER},
		{"79", NRM_COL_DECIMAL, "79.0", NRM_CELL_NUMBER},
		{"31.4", NRM_COL_DECIMAL, "31.4", NRM_CELL_NUMBER},
		{"151.5", NRM_COL_DECIMAL, "151.5", NRM_CELL_NUMBER},
		/* A real where a count belongs keeps its fraction, never "0". */
		{"79.5", NRM_COL_COUNT, "79.5", NRM_CELL_NUMBER},
		{"\"[c]\"", NRM_COL_COUNT, "[c]", NRM_CELL_SUPPRESSED},
		{"null", NRM_COL_DECIMAL, "[z]", NRM_CELL_NA},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *v = json_loads(cases[i].json, JSON_DECODE_ANY, NULL);
		assert_non_null(v);
		struct nrm_cell c = {0};
		nrm_cell_set_figure(&c, v, cases[i].role);
		assert_string_equal(c.text, cases[i].text);
		assert_int_equal(c.kind, cases[i].kind);
		if (c.kind == NRM_CELL_NUMBER)
			assert_true(c.number == strtod(cases[i].text, NULL));
		free(c.text);
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_official_tables),
		cmocka_unit_test(test_published_suppression),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_q4_period),
		cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_figure_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

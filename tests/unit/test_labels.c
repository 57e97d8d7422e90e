/*
 * Unit tests of the one table of Welsh (plugins/common/labels.h:
 * label_welsh, labels_return.c) as a Welsh site's return uses it: each
 * pair fills its formats like its English, no word is in it twice, and
 * every text the return's tables and workbook show has its Welsh, which
 * catches an English text changed in the hub without its Welsh.
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

#include "return_ods.h"
#include "return_fixture.h"
#include "return_tables.h"
#include "util.h"
#include "welsh.h"

/* The printf conversions of `fmt` in order ("%s%zu"), "%%" left out. */
static void conversions(const char *fmt, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
		size_t len = 1 + strcspn(p + 1, "diouxXeEfgGcsp%");
		if (p[len] != '%' && n + len + 1 < size) {
			memcpy(out + n, p, len + 1);
			n += len + 1;
		}
		p += len + 1;
	}
	out[n] = '\0';
}

static void test_pairs(void **state)
{
	(void)state;
	const char *cy, *en;
	size_t n = 0;
	for (size_t i = 0; (en = label_welsh_pair(i, &cy)) != NULL; i++, n++) {
		char want[64], got[64];
		conversions(en, want, sizeof(want));
		conversions(cy, got, sizeof(got));
		if (strcmp(want, got) != 0)
			fail_msg("\"%s\": Welsh conversions \"%s\", not \"%s\"", en, got, want);
		if (!*cy || strcmp(cy, en) == 0)
			fail_msg("\"%s\" has no Welsh of its own", en);
		/* Each English once, and a category label's Welsh in labels.c only. */
		assert_ptr_equal(label_welsh(en), cy);
		if (label_category_welsh(en))
			fail_msg("\"%s\" is a category label: its Welsh is labels.c's", en);
	}
	assert_true(n > 100);
	/* Category labels come from the table wales-csv writes. */
	assert_string_equal(label_welsh("Female"), "Benyw");
	assert_string_equal(label_welsh("Criminal"), "Troseddol");
	assert_string_equal(label_welsh("Not specified or unknown"), "Heb ei nodi neu anhysbys");
	assert_null(label_welsh("Albanian"));
}

static void build(const char *name, const char *area, struct nrm_return_tables *t)
{
	json_t *ret = return_fixture(name);
	if (area)
		json_object_set_new(ret, "area", json_string(area));
	struct nrm_error err = {0};
	if (nrm_return_tables_build(ret, t, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	json_decref(ret);
}

/* Every title, column title, label (but a nationality's) and note. */
static void assert_tables_welsh(const struct nrm_return_tables *t)
{
	assert_true(t->welsh);
	for (size_t i = 0; i < t->n_tables; i++) {
		const struct nrm_table *tab = &t->tables[i];
		if (!tab->title_cy)
			fail_msg("%s: no Welsh title for \"%s\"", tab->id, tab->title);
		for (size_t c = 0; c < tab->n_columns; c++) {
			if (!label_welsh(tab->columns[c].title))
				fail_msg("%s: no Welsh for column \"%s\"", tab->id, tab->columns[c].title);
			if (tab->columns[c].role != NRM_COL_LABEL)
				continue;
			for (size_t r = 0; r < tab->n_rows; r++) {
				const struct nrm_cell *cell = nrm_table_cell(tab, r, c);
				const char *code = nrm_table_cell(tab, r, 2)->text;
				bool nationality = strcmp(tab->key, "nationality") == 0 &&
				                   strcmp(code, "unknown") != 0 && strcmp(code, "total") != 0;
				if (nationality ? cell->text_cy != NULL : cell->text_cy == NULL)
					fail_msg("%s row %zu: \"%s\" has Welsh %s", tab->id, r + 1, cell->text,
					         cell->text_cy ? cell->text_cy : "(none)");
			}
		}
	}
	for (size_t i = 0; i < t->n_notes; i++)
		if (!label_welsh(t->notes[i].text))
			fail_msg("[note %d] has no Welsh", t->notes[i].number);
}

static void test_welsh_tables(void **state)
{
	(void)state;
	struct nrm_return_tables t;
	build("render-welsh.json", NULL, &t);
	assert_tables_welsh(&t);
	assert_string_equal(nrm_return_tables_find(&t, "gender")->title_cy,
	                    "Atgyfeiriadau yn ôl rhywedd [nodyn 1]");
	nrm_return_tables_free(&t);
	/* Wales itself as the area, with the comparison: its rows too. */
	build("expected-2024Q2.json", "W92000004", &t);
	assert_tables_welsh(&t);
	const struct nrm_table *cmp = nrm_return_tables_find(&t, "comparison");
	assert_non_null(cmp);
	assert_non_null(strstr(cmp->title_cy, "yn gronnol ers 2021-06-01 [nodyn 11]"));
	assert_non_null(strstr(nrm_table_cell(cmp, 0, 3)->text_cy,
	                       "; sail resymol, penderfyniadau a ddyddiwyd yn y chwarter"));
	nrm_return_tables_free(&t);
}

/* A combination is joined as the English is, type by type. */
static void test_welsh_combinations(void **state)
{
	(void)state;
	struct nrm_return_tables t;
	build("render-official.json", "W06000015", &t);
	const struct nrm_table *tab = nrm_return_tables_find(&t, "exploitation_combination");
	bool seen = false;
	for (size_t r = 0; r < tab->n_rows; r++)
		if (strcmp(nrm_table_cell(tab, r, 2)->text, "sexual+labour+criminal") == 0) {
			assert_string_equal(nrm_table_cell(tab, r, 3)->text_cy,
			                    "Rhywiol, Llafur & Troseddol");
			seen = true;
		}
	assert_true(seen);
	nrm_return_tables_free(&t);
}

static void test_english_tables(void **state)
{
	(void)state;
	static const char *const areas[] = {"E09000028", "S12000049", "N92000002", NULL};
	for (size_t a = 0; a < sizeof(areas) / sizeof(areas[0]); a++) {
		struct nrm_return_tables t;
		build("render-published.json", areas[a], &t);
		if (!areas[a]) {  /* no area recorded at all */
			nrm_return_tables_free(&t);
			json_t *ret = return_fixture("render-published.json");
			json_object_del(ret, "area");
			struct nrm_error err = {0};
			assert_int_equal(nrm_return_tables_build(ret, &t, &err), 0);
			json_decref(ret);
		}
		assert_false(t.welsh);
		for (size_t i = 0; i < t.n_tables; i++) {
			assert_null(t.tables[i].title_cy);
			for (size_t c = 0; c < t.tables[i].n_rows * t.tables[i].n_columns; c++)
				assert_null(t.tables[i].cells[c].text_cy);
		}
		nrm_return_tables_free(&t);
	}
}

/* Whether cell k of sheet i must have Welsh: every text of the cover (but
 * the site's code), the contents and the notes; in a table's sheet, its
 * labels but a nationality's (test_welsh_tables). */
static bool wants_welsh(const struct nrm_return_tables *t, size_t i, const struct ods_sheet *s,
                        size_t k)
{
	const struct ods_cell *cell = &s->cells[k];
	if (cell->kind != ODS_TEXT && cell->kind != ODS_HEADING && cell->kind != ODS_WRAP)
		return false;
	if (i < 3)
		return strcmp(cell->text, t->site) != 0;
	const struct nrm_table *tab = &t->tables[i - 3];
	size_t r = k / s->n_cols, c = k % s->n_cols;
	const char *code = nrm_table_cell(tab, r, 2)->text;
	bool nationality = strcmp(tab->key, "nationality") == 0 && strcmp(code, "unknown") != 0 &&
	                   strcmp(code, "total") != 0;
	return tab->columns[c].role == NRM_COL_LABEL && !nationality;
}

/* The workbook model: every sheet's title, line and header, and every
 * text cell that wants it (wants_welsh), in Welsh. */
static void test_welsh_workbook(void **state)
{
	(void)state;
	struct nrm_return_tables t;
	build("render-welsh.json", NULL, &t);
	struct ods_workbook wb;
	nrm_ods_workbook_build(&wb, &t);
	for (size_t i = 0; i < wb.n_sheets; i++) {
		const struct ods_sheet *s = &wb.sheets[i];
		if (!s->title_cy)
			fail_msg("%s: no Welsh title", s->name);
		for (size_t l = 0; l < s->n_lines; l++)
			if (!s->lines_cy[l])
				fail_msg("%s: no Welsh for \"%s\"", s->name, s->lines[l]);
		for (size_t c = 0; s->header && c < s->n_cols; c++)
			if (!s->header_cy || !s->header_cy[c])
				fail_msg("%s: no Welsh header for \"%s\"", s->name, s->header[c]);
		for (size_t k = 0; k < s->n_rows * s->n_cols; k++)
			if (wants_welsh(&t, i, s, k) != (s->cells[k].cy != NULL))
				fail_msg("%s: \"%s\" has Welsh %s", s->name, s->cells[k].text,
				         s->cells[k].cy ? s->cells[k].cy : "(none)");
	}
	nrm_ods_workbook_free(&wb);
	nrm_return_tables_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_welsh_tables),
		cmocka_unit_test(test_welsh_combinations),
		cmocka_unit_test(test_english_tables),
		cmocka_unit_test(test_welsh_workbook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

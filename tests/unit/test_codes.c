/*
 * Unit tests of hub/codes.c: the canonical names of the case's code values.
 * The expected names are written out here from DESIGN.md and the brief, not
 * read back from the code's own tables, so a renamed or reordered value
 * fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <nrmhub/plugin.h>

#include "codes.h"

struct named_code {
	int kind;
	int32_t value;
	const char *name; /* NULL: the set's unknown value, written null */
};

static const struct named_code every_code[] = {
	{NRM_CODE_FIRST_RESPONDER, NRM_FR_NONE, NULL},
	{NRM_CODE_FIRST_RESPONDER, NRM_FR_GOVERNMENT_AGENCY, "government_agency"},
	{NRM_CODE_FIRST_RESPONDER, NRM_FR_NGO, "ngo"},
	{NRM_CODE_FIRST_RESPONDER, NRM_FR_POLICE, "police"},
	{NRM_CODE_FIRST_RESPONDER, NRM_FR_LOCAL_AUTHORITY, "local_authority"},
	{NRM_CODE_GENDER, NRM_GENDER_UNKNOWN, "unknown"},
	{NRM_CODE_GENDER, NRM_GENDER_FEMALE, "female"},
	{NRM_CODE_GENDER, NRM_GENDER_MALE, "male"},
	{NRM_CODE_GENDER, NRM_GENDER_OTHER, "other"},
	{NRM_CODE_EXPLOITATION, NRM_EXPL_CRIMINAL, "criminal"},
	{NRM_CODE_EXPLOITATION, NRM_EXPL_DOMESTIC, "domestic"},
	{NRM_CODE_EXPLOITATION, NRM_EXPL_LABOUR, "labour"},
	{NRM_CODE_EXPLOITATION, NRM_EXPL_SEXUAL, "sexual"},
	{NRM_CODE_EXPLOITATION, NRM_EXPL_ORGAN_HARVESTING, "organ_harvesting"},
	{NRM_CODE_LOCATION, NRM_LOC_UNKNOWN, "unknown"},
	{NRM_CODE_LOCATION, NRM_LOC_UK, "uk"},
	{NRM_CODE_LOCATION, NRM_LOC_OVERSEAS, "overseas"},
	{NRM_CODE_LOCATION, NRM_LOC_UK_AND_OVERSEAS, "uk_and_overseas"},
	{NRM_CODE_OUTCOME, NRM_OUTCOME_NONE, NULL},
	{NRM_CODE_OUTCOME, NRM_OUTCOME_POSITIVE, "positive"},
	{NRM_CODE_OUTCOME, NRM_OUTCOME_NEGATIVE, "negative"},
	{NRM_CODE_DECISION_MAKER, NRM_DM_NONE, NULL},
	{NRM_CODE_DECISION_MAKER, NRM_DM_DDM_PANEL, "ddm_panel"},
	{NRM_CODE_DECISION_MAKER, NRM_DM_SCA, "sca"},
	{NRM_CODE_DECISION_MAKER, NRM_DM_IECA, "ieca"},
	{NRM_CODE_STATUS, NRM_STATUS_OPEN, "open"},
	{NRM_CODE_STATUS, NRM_STATUS_WITHDRAWN, "withdrawn"},
	{NRM_CODE_STATUS, NRM_STATUS_TRANSFERRED, "transferred"},
};

#define N_CODES (sizeof(every_code) / sizeof(every_code[0]))

static int parse(int kind, const char *text, int32_t *out)
{
	return nrm_code_parse(kind, text, strlen(text), out);
}

/* ---- names and round trips --------------------------------------------- */

static void test_every_value_has_its_name(void **state)
{
	for (size_t i = 0; i < N_CODES; i++) {
		const struct named_code *c = &every_code[i];
		const char *name = nrm_code_name(c->kind, c->value);
		if (!c->name && name)
			fail_msg("kind %d value %d: expected NULL, got '%s'",
			         c->kind, (int)c->value, name);
		if (c->name) {
			assert_non_null(name);
			assert_string_equal(name, c->name);
		}
	}
}

static void test_every_name_parses_to_its_value(void **state)
{
	for (size_t i = 0; i < N_CODES; i++) {
		const struct named_code *c = &every_code[i];
		if (!c->name)
			continue;
		int32_t value = -99;
		assert_int_equal(parse(c->kind, c->name, &value), NRM_OK);
		assert_int_equal(value, c->value);
		assert_string_equal(nrm_code_name(c->kind, value), c->name);
	}
}

/* The table above must cover every value the code knows: count per kind. */
static void test_counts(void **state)
{
	assert_int_equal(nrm_code_count(NRM_CODE_FIRST_RESPONDER), 5);
	assert_int_equal(nrm_code_count(NRM_CODE_GENDER), 4);
	assert_int_equal(nrm_code_count(NRM_CODE_EXPLOITATION), 5);
	assert_int_equal(nrm_code_count(NRM_CODE_LOCATION), 4);
	assert_int_equal(nrm_code_count(NRM_CODE_OUTCOME), 3);
	assert_int_equal(nrm_code_count(NRM_CODE_DECISION_MAKER), 4);
	assert_int_equal(nrm_code_count(NRM_CODE_STATUS), 3);
	assert_int_equal(nrm_code_count(-1), 0);
	assert_int_equal(nrm_code_count(NRM_CODE_STATUS + 1), 0);
}

/* ---- the unknown value: NULL where JSON writes null -------------------- */

static void test_unknown_values(void **state)
{
	assert_null(nrm_code_name(NRM_CODE_FIRST_RESPONDER, 0));
	assert_null(nrm_code_name(NRM_CODE_OUTCOME, 0));
	assert_null(nrm_code_name(NRM_CODE_DECISION_MAKER, 0));
	assert_string_equal(nrm_code_name(NRM_CODE_GENDER, 0), "unknown");
	assert_string_equal(nrm_code_name(NRM_CODE_LOCATION, 0), "unknown");
	assert_string_equal(nrm_code_name(NRM_CODE_STATUS, 0), "open");
	/* "unknown" is a name only where the set spells it. */
	int32_t v;
	assert_int_equal(parse(NRM_CODE_OUTCOME, "unknown", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_FIRST_RESPONDER, "unknown", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_DECISION_MAKER, "null", &v), NRM_FAIL);
	v = -99;
	assert_int_equal(parse(NRM_CODE_GENDER, "unknown", &v), NRM_OK);
	assert_int_equal(v, NRM_GENDER_UNKNOWN);
	v = -99;
	assert_int_equal(parse(NRM_CODE_LOCATION, "unknown", &v), NRM_OK);
	assert_int_equal(v, NRM_LOC_UNKNOWN);
}

static void test_values_out_of_range(void **state)
{
	assert_null(nrm_code_name(NRM_CODE_FIRST_RESPONDER, 5));
	assert_null(nrm_code_name(NRM_CODE_GENDER, 4));
	assert_null(nrm_code_name(NRM_CODE_GENDER, -1));
	assert_null(nrm_code_name(NRM_CODE_LOCATION, 4));
	assert_null(nrm_code_name(NRM_CODE_OUTCOME, 3));
	assert_null(nrm_code_name(NRM_CODE_DECISION_MAKER, 4));
	assert_null(nrm_code_name(NRM_CODE_STATUS, 3));
	assert_null(nrm_code_name(NRM_CODE_STATUS, INT32_MIN));
	assert_null(nrm_code_name(NRM_CODE_STATUS, INT32_MAX));
}

/* ---- exploitation types: one bit names one type ------------------------ */

static void test_exploitation_bits(void **state)
{
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, 0));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION,
	                          NRM_EXPL_CRIMINAL | NRM_EXPL_SEXUAL));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, NRM_EXPL_ALL));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, 1 << 5));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, 1 << 30));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, INT32_MIN));
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, -1));
	/* Bit 2 is labour, not the third value counted from 0 as an index. */
	assert_string_equal(nrm_code_name(NRM_CODE_EXPLOITATION, 4), "labour");
	assert_null(nrm_code_name(NRM_CODE_EXPLOITATION, 3));
}

/* ---- what parse refuses ------------------------------------------------ */

static void test_unknown_kinds(void **state)
{
	int32_t v;
	assert_null(nrm_code_name(-1, 0));
	assert_null(nrm_code_name(NRM_CODE_STATUS + 1, 0));
	assert_null(nrm_code_name(1000, 1));
	assert_int_equal(parse(-1, "open", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_STATUS + 1, "open", &v), NRM_FAIL);
	/* A name of another kind is not a name of this one. */
	assert_int_equal(parse(NRM_CODE_GENDER, "positive", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_STATUS, "police", &v), NRM_FAIL);
}

static void test_unknown_text(void **state)
{
	static const char *const bad[] = {
		"Female", "FEMALE", " female", "female ", "fem", "females", "f", "1",
		"woman", "",
	};
	int32_t v;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(NRM_CODE_GENDER, bad[i], &v) != NRM_FAIL)
			fail_msg("gender '%s' was accepted", bad[i]);
	assert_int_equal(nrm_code_parse(NRM_CODE_GENDER, NULL, 0, &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_LOCATION, "uk-and-overseas", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_DECISION_MAKER, "DDM_PANEL", &v), NRM_FAIL);
}

static void test_prefix_and_length_traps(void **state)
{
	int32_t v;
	assert_int_equal(parse(NRM_CODE_OUTCOME, "pos", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_OUTCOME, "positives", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_OUTCOME, "", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_LOCATION, "uk_and", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_LOCATION, "uk_", &v), NRM_FAIL);
	assert_int_equal(parse(NRM_CODE_EXPLOITATION, "organ", &v), NRM_FAIL);
	/* The length given is what counts, not a NUL. */
	assert_int_equal(nrm_code_parse(NRM_CODE_OUTCOME, "positive", 3, &v), NRM_FAIL);
	assert_int_equal(nrm_code_parse(NRM_CODE_OUTCOME, "positive", 9, &v), NRM_FAIL);
	v = -99;
	assert_int_equal(nrm_code_parse(NRM_CODE_OUTCOME, "positivex", 8, &v), NRM_OK);
	assert_int_equal(v, NRM_OUTCOME_POSITIVE);
	v = -99;
	assert_int_equal(nrm_code_parse(NRM_CODE_LOCATION, "uk_and_overseas", 2, &v), NRM_OK);
	assert_int_equal(v, NRM_LOC_UK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_value_has_its_name),
		cmocka_unit_test(test_every_name_parses_to_its_value),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_unknown_values),
		cmocka_unit_test(test_values_out_of_range),
		cmocka_unit_test(test_exploitation_bits),
		cmocka_unit_test(test_unknown_kinds),
		cmocka_unit_test(test_unknown_text),
		cmocka_unit_test(test_prefix_and_length_traps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

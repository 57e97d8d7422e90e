/*
 * Unit tests of hub/options.c: the check of a plugin's options table when
 * the module loads, and the parsing of every value given for it.  One sound
 * table, with an option of each type, is the starting point; the table
 * tests copy it and break one entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>
#include <sysexits.h>

#include <nrmhub/plugin.h>

#include "options.h"
#include "util.h"

#define PLUGIN "council-csv"

static const struct nrm_option_spec sound_table[] = {
	{.name = "delimiter", .type = NRM_OPT_STRING,
	 .description = "The field separator."},
	{.name = "header-lines", .type = NRM_OPT_INT, .default_value = "1",
	 .min = 0, .max = 10, .description = "Lines to skip before the records."},
	{.name = "offset", .type = NRM_OPT_INT,
	 .description = "Any whole number: no range."},
	{.name = "strict", .type = NRM_OPT_BOOL, .default_value = "false",
	 .description = "Refuse unknown columns."},
	{.name = "max-record", .type = NRM_OPT_SIZE, .default_value = "1M",
	 .min = 1024, .max = INT64_C(1) << 30, .description = "The longest record."},
	{.name = "encoding", .type = NRM_OPT_CHOICE, .default_value = "utf-8",
	 .choices = "utf-8|latin1|cp1252", .description = "The input's encoding."},
	{.name = NULL},
};

#define TABLE_LEN (sizeof(sound_table) / sizeof(sound_table[0]))

/* ---- nrm_options_check_table ------------------------------------------- */

/* Checks a copy of the sound table whose entry `at` is `broken`; expects a
 * refusal whose reason contains `fact`. */
static void check_table_refused(size_t at, struct nrm_option_spec broken, const char *fact,
                                const char *file, int line)
{
	struct nrm_option_spec table[TABLE_LEN];
	char why[256] = "";
	memcpy(table, sound_table, sizeof(table));
	table[at] = broken;
	if (nrm_options_check_table(table, why, sizeof(why)) != -1 || !strstr(why, fact)) {
		print_error("expected a refusal with '%s'; got '%s'\n", fact, why);
		_fail(file, line);
	}
}

#define assert_table_refused(at, broken, fact) \
	check_table_refused(at, broken, fact, __FILE__, __LINE__)

static void test_sound_table_accepted(void **state)
{
	char why[256] = "";
	assert_int_equal(nrm_options_check_table(sound_table, why, sizeof(why)), 0);
	assert_string_equal(why, "");
	assert_int_equal(nrm_options_check_table(NULL, why, sizeof(why)), 0);
}

static void test_table_bad_names(void **state)
{
	struct nrm_option_spec o = sound_table[0];
	o.name = "Delimiter";
	assert_table_refused(0, o, "'Delimiter' is not lower-case");
	o.name = "field_delimiter";
	assert_table_refused(0, o, "'field_delimiter' is not lower-case");
	o.name = "field delimiter";
	assert_table_refused(0, o, "is not lower-case");
	o.name = "";
	assert_table_refused(0, o, "is not lower-case");
}

static void test_table_missing_description(void **state)
{
	struct nrm_option_spec o = sound_table[1];
	o.description = NULL;
	assert_table_refused(1, o, "'header-lines' has no description");
	o.description = "";
	assert_table_refused(1, o, "'header-lines' has no description");
}

static void test_table_unknown_type(void **state)
{
	struct nrm_option_spec o = sound_table[0];
	o.type = 0;
	assert_table_refused(0, o, "'delimiter' has an unknown type");
	o.type = NRM_OPT_CHOICE + 1;
	assert_table_refused(0, o, "'delimiter' has an unknown type");
	o.type = -1;
	assert_table_refused(0, o, "unknown type");
}

static void test_table_choice_without_choices(void **state)
{
	struct nrm_option_spec o = sound_table[5];
	o.default_value = NULL;
	o.choices = NULL;
	assert_table_refused(5, o, "'encoding' is a choice without a list of non-empty choices");
	o.choices = "";
	assert_table_refused(5, o, "'encoding' is a choice without");
	/* An empty word between bars would make "" a valid value. */
	o.choices = "utf-8||latin1";
	assert_table_refused(5, o, "'encoding' is a choice without");
	o.choices = "|utf-8";
	assert_table_refused(5, o, "'encoding' is a choice without");
}

static void test_table_bad_defaults(void **state)
{
	struct nrm_option_spec o = sound_table[1];
	o.default_value = "abc";
	assert_table_refused(1, o, "'header-lines' has a default that expects a whole number");
	o.default_value = "11";
	assert_table_refused(1, o, "between 0 and 10");
	o = sound_table[5];
	o.default_value = "utf-16";
	assert_table_refused(5, o, "'encoding' has a default that expects one of");
	o = sound_table[3];
	o.default_value = "maybe";
	assert_table_refused(3, o, "'strict' has a default");
	o = sound_table[4];
	o.default_value = "12x";
	assert_table_refused(4, o, "'max-record' has a default");
}

/* ---- nrm_optset_set: keys ---------------------------------------------- */

/* Names are words joined by single hyphens, each declared once, and a
 * range has its minimum at or below its maximum. */
static void test_table_shape_rules(void **state)
{
	struct nrm_option_spec o = sound_table[0];
	o.name = "-b--";
	assert_table_refused(0, o, "is not lower-case words joined by '-'");
	o.name = "trailing-";
	assert_table_refused(0, o, "is not lower-case words joined by '-'");
	o.name = "two--hyphens";
	assert_table_refused(0, o, "is not lower-case words joined by '-'");
	o = sound_table[1];
	o.name = sound_table[0].name;
	assert_table_refused(1, o, "is declared twice");
	o = sound_table[4];
	o.min = 10;
	o.max = 5;
	assert_table_refused(4, o, "has a minimum above its maximum");
}

static int new_set(void **state)
{
	*state = nrm_optset_new(PLUGIN, sound_table);
	return 0;
}

static int free_set(void **state)
{
	nrm_optset_free(*state);
	return 0;
}

static void test_unknown_key(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err = {0};
	assert_false(nrm_optset_has(set, "quote"));
	assert_int_equal(nrm_optset_set(set, "quote", "'", &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_non_null(strstr(err.msg, PLUGIN));
	assert_non_null(strstr(err.msg, "'quote'"));
	static const char *const allowed[] = {
		"delimiter", "header-lines", "offset", "strict", "max-record", "encoding",
	};
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (!strstr(err.msg, allowed[i]))
			fail_msg("'%s' is not listed in: %s", allowed[i], err.msg);
}

static void test_unknown_key_without_options(void **state)
{
	struct nrm_optset *empty = nrm_optset_new("case-jsonl", NULL);
	struct nrm_error err = {0};
	assert_int_equal(nrm_optset_set(empty, "strict", "true", &err), -1);
	assert_non_null(strstr(err.msg, "case-jsonl"));
	assert_non_null(strstr(err.msg, "'strict'"));
	assert_non_null(strstr(err.msg, "no options"));
	assert_null(nrm_optset_string(empty, "strict"));
	nrm_optset_free(empty);
}

static void test_keys_are_exact(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err;
	assert_true(nrm_optset_has(set, "header-lines"));
	assert_false(nrm_optset_has(set, "header"));
	assert_false(nrm_optset_has(set, "Header-Lines"));
	assert_int_equal(nrm_optset_set(set, "header_lines", "2", &err), -1);
	assert_int_equal(nrm_optset_set(set, "header-lines ", "2", &err), -1);
}

/* ---- nrm_optset_set: values -------------------------------------------- */

static void test_int_range(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err = {0};
	assert_int_equal(nrm_optset_set(set, "header-lines", "0", &err), 0);
	assert_int_equal(nrm_optset_int(set, "header-lines"), 0);
	assert_int_equal(nrm_optset_set(set, "header-lines", "10", &err), 0);
	assert_int_equal(nrm_optset_int(set, "header-lines"), 10);
	assert_int_equal(nrm_optset_set(set, "header-lines", "11", &err), -1);
	assert_int_equal(err.code, EX_USAGE);
	assert_non_null(strstr(err.msg, PLUGIN));
	assert_non_null(strstr(err.msg, "'header-lines'"));
	assert_non_null(strstr(err.msg, "between 0 and 10"));
	assert_int_equal(nrm_optset_set(set, "header-lines", "-1", &err), -1);
	/* A refused value leaves the last good one. */
	assert_int_equal(nrm_optset_int(set, "header-lines"), 10);
	assert_string_equal(nrm_optset_string(set, "header-lines"), "10");
}

static void test_int_syntax(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err;
	static const char *const bad[] = {
		"abc", "", "1.5", "2x", "0x10", "99999999999999999999",
		" 5", "\t5", "+5", "-", "5 ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nrm_optset_set(set, "offset", bad[i], &err) != -1)
			fail_msg("offset '%s' was accepted", bad[i]);
	/* min = max = 0 means any whole number. */
	assert_int_equal(nrm_optset_set(set, "offset", "-5", &err), 0);
	assert_int_equal(nrm_optset_int(set, "offset"), -5);
	assert_int_equal(nrm_optset_set(set, "offset", "9223372036854775807", &err), 0);
	assert_int_equal(nrm_optset_int(set, "offset"), INT64_MAX);
}

static void test_size_suffixes(void **state)
{
	static const struct {
		const char *text;
		int64_t bytes;
	} good[] = {
		{"512k", 524288}, {"512K", 524288}, {"16M", 16777216},
		{"1G", 1073741824}, {"4096", 4096}, {"1k", 1024},
	};
	struct nrm_optset *set = *state;
	struct nrm_error err;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(nrm_optset_set(set, "max-record", good[i].text, &err), 0);
		assert_int_equal(nrm_optset_int(set, "max-record"), good[i].bytes);
	}
}

static void test_size_refused(void **state)
{
	static const char *const bad[] = {
		"1T", "-1", "12x", "", "k", "1 M", " 1M", "1MB", "1.5M", "+1M",
		"1023", "2G", "99999999999999999999",
	};
	struct nrm_optset *set = *state;
	struct nrm_error err = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nrm_optset_set(set, "max-record", bad[i], &err) != -1)
			fail_msg("max-record '%s' was accepted", bad[i]);
	assert_non_null(strstr(err.msg, "'max-record'"));
	/* Still the default, 1M. */
	assert_int_equal(nrm_optset_int(set, "max-record"), 1048576);
}

static void test_bool_spellings(void **state)
{
	static const struct {
		const char *text;
		bool value;
	} good[] = {
		{"yes", true}, {"no", false}, {"on", true}, {"off", false},
		{"true", true}, {"false", false}, {"1", true}, {"0", false},
	};
	struct nrm_optset *set = *state;
	struct nrm_error err;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(nrm_optset_set(set, "strict", good[i].text, &err), 0);
		if (nrm_optset_bool(set, "strict") != good[i].value)
			fail_msg("strict '%s' did not read as %d", good[i].text, good[i].value);
	}
}

static void test_bool_refused(void **state)
{
	static const char *const bad[] = {"maybe", "", "2", "y", "tru", "yess"};
	struct nrm_optset *set = *state;
	struct nrm_error err = {0};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nrm_optset_set(set, "strict", bad[i], &err) != -1)
			fail_msg("strict '%s' was accepted", bad[i]);
	assert_non_null(strstr(err.msg, "'strict'"));
	assert_non_null(strstr(err.msg, "true or false"));
}

static void test_choice(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err = {0};
	assert_int_equal(nrm_optset_set(set, "encoding", "latin1", &err), 0);
	assert_string_equal(nrm_optset_string(set, "encoding"), "latin1");
	assert_int_equal(nrm_optset_set(set, "encoding", "cp1252", &err), 0);
	assert_string_equal(nrm_optset_string(set, "encoding"), "cp1252");
	static const char *const bad[] = {
		"LATIN1", "utf", "utf-8|latin1", "", "cp125", "cp12522", "|",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nrm_optset_set(set, "encoding", bad[i], &err) != -1)
			fail_msg("encoding '%s' was accepted", bad[i]);
	assert_non_null(strstr(err.msg, "utf-8|latin1|cp1252"));
	assert_string_equal(nrm_optset_string(set, "encoding"), "cp1252");
}

/* ---- values before and after a set ------------------------------------- */

static void test_defaults_before_any_set(void **state)
{
	struct nrm_optset *set = *state;
	assert_string_equal(nrm_optset_string(set, "header-lines"), "1");
	assert_int_equal(nrm_optset_int(set, "header-lines"), 1);
	assert_false(nrm_optset_bool(set, "strict"));
	assert_string_equal(nrm_optset_string(set, "strict"), "false");
	assert_int_equal(nrm_optset_int(set, "max-record"), 1048576);
	assert_string_equal(nrm_optset_string(set, "encoding"), "utf-8");
}

static void test_later_set_wins(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err;
	assert_int_equal(nrm_optset_set(set, "header-lines", "3", &err), 0);
	assert_int_equal(nrm_optset_set(set, "header-lines", "5", &err), 0);
	assert_int_equal(nrm_optset_int(set, "header-lines"), 5);
	assert_string_equal(nrm_optset_string(set, "header-lines"), "5");
	assert_int_equal(nrm_optset_set(set, "strict", "on", &err), 0);
	assert_int_equal(nrm_optset_set(set, "strict", "off", &err), 0);
	assert_false(nrm_optset_bool(set, "strict"));
}

static void test_unset_string_is_null(void **state)
{
	struct nrm_optset *set = *state;
	struct nrm_error err;
	assert_null(nrm_optset_string(set, "delimiter"));
	assert_null(nrm_optset_string(set, "offset"));
	assert_null(nrm_optset_string(set, "no-such-option"));
	assert_int_equal(nrm_optset_set(set, "delimiter", ";", &err), 0);
	assert_string_equal(nrm_optset_string(set, "delimiter"), ";");
	/* A string takes any text, the empty one too. */
	assert_int_equal(nrm_optset_set(set, "delimiter", "", &err), 0);
	assert_string_equal(nrm_optset_string(set, "delimiter"), "");
}

#define WITH_SET(test) cmocka_unit_test_setup_teardown(test, new_set, free_set)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_table_accepted),
		cmocka_unit_test(test_table_bad_names),
		cmocka_unit_test(test_table_missing_description),
		cmocka_unit_test(test_table_unknown_type),
		cmocka_unit_test(test_table_choice_without_choices),
		cmocka_unit_test(test_table_bad_defaults),
		cmocka_unit_test(test_table_shape_rules),
		WITH_SET(test_unknown_key),
		cmocka_unit_test(test_unknown_key_without_options),
		WITH_SET(test_keys_are_exact),
		WITH_SET(test_int_range),
		WITH_SET(test_int_syntax),
		WITH_SET(test_size_suffixes),
		WITH_SET(test_size_refused),
		WITH_SET(test_bool_spellings),
		WITH_SET(test_bool_refused),
		WITH_SET(test_choice),
		WITH_SET(test_defaults_before_any_set),
		WITH_SET(test_later_set_wins),
		WITH_SET(test_unset_string_is_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

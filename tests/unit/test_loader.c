/*
 * The loader's refusals.  Real modules built to be wrong (tests/modules/)
 * must each be refused with a message that names the file and the reason;
 * in-memory descriptors cover every metadata rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "util.h"

static char *module_path(const char *name)
{
	const char *dir = getenv("NRM_TEST_MODULES");
	assert_non_null(dir);
	return nrm_xasprintf("%s/%s.so", dir, name);
}

/* Loads tests/modules/NAME.so, expects a refusal containing `reason`. */
static void expect_refusal(const char *name, const char *reason)
{
	char *path = module_path(name);
	struct nrm_module m;
	struct nrm_error err = {0};
	assert_int_equal(nrm_module_load(path, &m, &err), -1);
	assert_null(m.plugin);
	if (!strstr(err.msg, path) || !strstr(err.msg, reason))
		fail_msg("refusal of %s was: %s (expected the path and '%s')", name, err.msg, reason);
	free(path);
}

static void refuses_bad_magic(void **state)
{
	(void)state;
	expect_refusal("bad-magic", "wrong magic value");
}

static void refuses_other_major(void **state)
{
	(void)state;
	expect_refusal("old-major", "built for plugin ABI 2.1, and this hub speaks ABI 1.1");
}

static void refuses_newer_minor(void **state)
{
	(void)state;
	expect_refusal("newer-minor", "built for plugin ABI 1.2, newer than this hub's 1.1");
}

static void refuses_missing_name(void **state)
{
	(void)state;
	expect_refusal("no-name", "its name is missing");
}

static void refuses_missing_symbol(void **state)
{
	(void)state;
	expect_refusal("no-symbol", "does not export the descriptor symbol 'nrmhub_plugin'");
}

static void refuses_a_file_that_is_not_a_module(void **state)
{
	(void)state;
	struct nrm_module m;
	struct nrm_error err = {0};
	assert_int_equal(nrm_module_load("/etc/hostname", &m, &err), -1);
	assert_non_null(strstr(err.msg, "refusing plugin /etc/hostname"));
}

static void loads_the_real_plugin(void **state)
{
	(void)state;
	const char *build = getenv("BUILDDIR");
	assert_non_null(build);
	char *path = nrm_xasprintf("%s/plugins/.libs/case-jsonl.so", build);
	struct nrm_module m;
	struct nrm_error err = {0};
	if (nrm_module_load(path, &m, &err) != 0)
		fail_msg("%s", err.msg);
	assert_string_equal(m.plugin->name, "case-jsonl");
	assert_string_equal(m.path, path);
	nrm_module_unload(&m);
	assert_null(m.plugin);
	free(path);
}

/* ---- metadata rules, on descriptors in memory -------------------------- */

static int cb_open(const struct nrm_host *h, nrm_stream *s, void **st)
{
	(void)h;
	(void)s;
	*st = NULL;
	return NRM_OK;
}

static int cb_next(void *st, struct nrm_case *c, struct nrm_pos *p)
{
	(void)st;
	(void)c;
	(void)p;
	return NRM_EOF;
}

static void cb_close(void *st)
{
	(void)st;
}

static const char *const formats[] = {"x-test", NULL};
static const char *const no_formats[] = {NULL};

static struct nrm_plugin sound_plugin(void)
{
	struct nrm_plugin p = {
		.magic = NRM_PLUGIN_MAGIC, .abi_major = NRM_ABI_MAJOR,
		.abi_minor = NRM_ABI_MINOR, .caps = NRM_CAP_IMPORT, .name = "x",
		.version = "1", .description = "d", .license = "MIT", .formats = formats,
		.import_open = cb_open, .import_next = cb_next, .import_close = cb_close,
	};
	return p;
}

static void expect_metadata_problem(const struct nrm_plugin *p, const char *reason)
{
	char why[300] = "";
	assert_int_equal(nrm_plugin_check_metadata(p, why, sizeof(why)), -1);
	if (!strstr(why, reason))
		fail_msg("metadata refusal was '%s', expected '%s'", why, reason);
}

static void metadata_rules(void **state)
{
	(void)state;
	char why[300];
	struct nrm_plugin p = sound_plugin();
	assert_int_equal(nrm_plugin_check_metadata(&p, why, sizeof(why)), 0);

	p = sound_plugin(); p.version = NULL;
	expect_metadata_problem(&p, "its version is missing");
	p = sound_plugin(); p.description = "";
	expect_metadata_problem(&p, "its description is missing");
	p = sound_plugin(); p.license = NULL;
	expect_metadata_problem(&p, "its license is missing");
	p = sound_plugin(); p.formats = NULL;
	expect_metadata_problem(&p, "names no format");
	p = sound_plugin(); p.formats = no_formats;
	expect_metadata_problem(&p, "names no format");
	p = sound_plugin(); p.caps = 0;
	expect_metadata_problem(&p, "capabilities");
	p = sound_plugin(); p.caps = NRM_CAP_IMPORT | 8;
	expect_metadata_problem(&p, "capabilities");
	p = sound_plugin(); p.import_next = NULL;
	expect_metadata_problem(&p, "lacks an import callback");
	p = sound_plugin(); p.caps = NRM_CAP_EXPORT;
	expect_metadata_problem(&p, "lacks an export callback");
}

static void metadata_checks_the_options_table(void **state)
{
	(void)state;
	static const struct nrm_option_spec bad[] = {
		{.name = "fine", .type = NRM_OPT_BOOL, .description = "ok", .default_value = "yes"},
		{.name = "Bad_Name", .type = NRM_OPT_STRING, .description = "x"},
		{.name = NULL},
	};
	static const struct nrm_option_spec bad_default[] = {
		{.name = "limit", .type = NRM_OPT_INT, .description = "x", .default_value = "many"},
		{.name = NULL},
	};
	struct nrm_plugin p = sound_plugin();
	p.options = bad;
	expect_metadata_problem(&p, "option 'Bad_Name'");
	p.options = bad_default;
	expect_metadata_problem(&p, "option 'limit' has a default that expects a whole number");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_bad_magic),
		cmocka_unit_test(refuses_other_major),
		cmocka_unit_test(refuses_newer_minor),
		cmocka_unit_test(refuses_missing_name),
		cmocka_unit_test(refuses_missing_symbol),
		cmocka_unit_test(refuses_a_file_that_is_not_a_module),
		cmocka_unit_test(loads_the_real_plugin),
		cmocka_unit_test(metadata_rules),
		cmocka_unit_test(metadata_checks_the_options_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

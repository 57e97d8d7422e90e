/*
 * A module built for ABI 1.0 keeps loading in a hub of a newer minor
 * version.  This test is that newer hub: it compiles the real loader
 * (hub/loader.c) with NRM_ABI_MINOR one above the header's, then loads
 * modules built against the header as it is (the bundled plugins), a module
 * that says it was built for 1.0 (tests/modules/abi-1-0.so), and one built
 * for the newer minor itself; and it drives an older module through a
 * conversion, since loading is not the same as working.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <nrmhub/plugin.h>

/* The header's minor, before this file becomes a newer hub. */
enum { HEADER_MINOR = NRM_ABI_MINOR };
#undef NRM_ABI_MINOR
#define NRM_ABI_MINOR (HEADER_MINOR + 1)

#include "loader.c"

#include "case.h"
#include "options.h"
#include "stream.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

static char *path_in(const char *env, const char *name)
{
	const char *dir = getenv(env);
	assert_non_null(dir);
	return nrm_xasprintf("%s/%s", dir, name);
}

/* Loads a module in this (newer) hub; it must be accepted. */
static void load_ok(const char *path, struct nrm_module *m)
{
	struct nrm_error err = {0};
	if (nrm_module_load(path, m, &err) != 0)
		fail_msg("a hub at ABI %d.%d refused %s: %s", NRM_ABI_MAJOR, NRM_ABI_MINOR, path,
		         err.msg);
}

/* What a newer hub relies on: members it adds come from `reserved`, and
 * an older module leaves them zero. */
static void assert_reserved_zero(const struct nrm_plugin *p)
{
	for (size_t i = 0; i < sizeof(p->reserved) / sizeof(p->reserved[0]); i++)
		assert_null(p->reserved[i]);
	for (const struct nrm_option_spec *o = p->options; o && o->name; o++)
		for (size_t i = 0; i < sizeof(o->reserved) / sizeof(o->reserved[0]); i++)
			assert_null(o->reserved[i]);
}

static void this_hub_is_newer(void **state)
{
	(void)state;
	assert_int_equal(NRM_ABI_MINOR, HEADER_MINOR + 1);
}

static void loads_a_module_built_for_1_0(void **state)
{
	(void)state;
	char *path = path_in("NRM_TEST_MODULES", "abi-1-0.so");
	struct nrm_module m;
	load_ok(path, &m);
	assert_int_equal(m.plugin->abi_major, 1);
	assert_int_equal(m.plugin->abi_minor, 0);
	assert_string_equal(m.plugin->name, "abi-1-0");
	assert_reserved_zero(m.plugin);
	nrm_module_unload(&m);
	free(path);
}

/* A 1.0 module that clears its records whole leaves date_of_birth (1.1)
 * zero, which is a real day (1970-01-01): the hub must read it as unknown. */
static void a_1_0_record_has_no_date_of_birth(void **state)
{
	(void)state;
	char *path = path_in("NRM_TEST_MODULES", "abi-1-0.so");
	struct nrm_module m;
	load_ok(path, &m);
	const struct nrm_plugin *p = m.plugin;
	void *st = NULL;
	assert_int_equal(p->import_open(&nrm_host_table, NULL, &st), NRM_OK);
	struct nrm_case c;
	struct nrm_pos pos = {0};
	nrm_case_init(&c);
	assert_int_equal(c.date_of_birth, NRM_DATE_NONE);
	assert_int_equal(p->import_next(st, &c, &pos), NRM_OK);
	assert_int_equal(c.date_of_birth, 0); /* what the module left */
	nrm_case_from_module(&c, p->abi_minor);
	assert_int_equal(c.date_of_birth, NRM_DATE_NONE);
	assert_string_equal(c.case_id, "OLD-1");
	struct nrm_case_problem problem;
	assert_int_equal(nrm_case_validate(&c, &problem), 0);
	assert_int_equal(p->import_next(st, &c, &pos), NRM_EOF);
	p->import_close(st);
	nrm_module_unload(&m);
	free(path);
}

static void loads_the_bundled_plugins(void **state)
{
	(void)state;
	const char *names[] = {"case-jsonl.so", "council-csv.so"};
	for (size_t i = 0; i < 2; i++) {
		char *path = path_in("NRM_BUILT_PLUGINS", names[i]);
		struct nrm_module m;
		load_ok(path, &m);
		assert_int_equal(m.plugin->abi_minor, HEADER_MINOR);
		assert_true(m.plugin->abi_minor < NRM_ABI_MINOR);
		assert_reserved_zero(m.plugin);
		nrm_module_unload(&m);
		free(path);
	}
}

/* A module at the hub's own (newer) minor loads too; the real hub, one
 * minor behind, refuses it (tests/unit/test_loader.c). */
static void loads_a_module_at_its_own_minor(void **state)
{
	(void)state;
	char *path = path_in("NRM_TEST_MODULES", "newer-minor.so");
	struct nrm_module m;
	load_ok(path, &m);
	assert_int_equal(m.plugin->abi_minor, NRM_ABI_MINOR);
	nrm_module_unload(&m);
	free(path);
}

static void still_refuses_another_major(void **state)
{
	(void)state;
	char *path = path_in("NRM_TEST_MODULES", "old-major.so");
	struct nrm_module m;
	struct nrm_error err = {0};
	assert_int_equal(nrm_module_load(path, &m, &err), -1);
	assert_non_null(strstr(err.msg, "built for plugin ABI 2."));
	free(path);
}

static int memory_file(const char *text)
{
	int fd = memfd_create("abi-minor", MFD_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* An older module still works with this hub's host table. */
static void an_older_module_still_converts(void **state)
{
	(void)state;
	char *path = path_in("NRM_BUILT_PLUGINS", "case-jsonl.so");
	struct nrm_module m;
	load_ok(path, &m);
	const struct nrm_plugin *p = m.plugin;
	struct nrm_optset *opts = nrm_optset_new(p->name, p->options);
	int fd = memory_file("{\"case_id\":\"T-1\",\"site\":\"testsite\","
	                     "\"referral_date\":\"2025-01-02\"}\n");
	struct nrm_stream in;
	nrm_stream_init(&in, "abi-minor.jsonl", fd, opts, NULL, NULL);
	void *st = NULL;
	assert_int_equal(p->import_open(&nrm_host_table, &in, &st), NRM_OK);
	struct nrm_case c;
	struct nrm_pos pos = {0};
	nrm_case_init(&c);
	assert_int_equal(p->import_next(st, &c, &pos), NRM_OK);
	assert_string_equal(c.case_id, "T-1");
	assert_string_equal(c.site, "testsite");
	int32_t want;
	assert_int_equal(nrm_host_table.date_from_ymd(2025, 1, 2, &want), NRM_OK);
	assert_int_equal(c.referral_date, want);
	assert_int_equal(pos.line, 1);
	assert_int_equal(p->import_next(st, &c, &pos), NRM_EOF);
	p->import_close(st);
	close(fd);
	nrm_optset_free(opts);
	nrm_module_unload(&m);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(this_hub_is_newer),
		cmocka_unit_test(loads_a_module_built_for_1_0),
		cmocka_unit_test(a_1_0_record_has_no_date_of_birth),
		cmocka_unit_test(loads_the_bundled_plugins),
		cmocka_unit_test(loads_a_module_at_its_own_minor),
		cmocka_unit_test(still_refuses_another_major),
		cmocka_unit_test(an_older_module_still_converts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

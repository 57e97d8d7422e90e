/*
 * Unit tests of hub/bundle_sweep.c: what a killed bundle create left in
 * its output folder goes (its return folder, a signature whose archive
 * never came); what a running create holds, a whole bundle, another
 * quarter's signature and anything else stay.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle_sweep.h"
#include "util.h"

static char dir[] = "/tmp/nrmhub-sweep-XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = nrm_xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *at(const char *name)
{
	return nrm_xasprintf("%s/%s", dir, name);
}

static void touch(const char *name)
{
	char *path = at(name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("x\n", f);
	fclose(f);
	free(path);
}

static bool exists(const char *name)
{
	char *path = at(name);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

/* Opens `name` and holds it, as a running create does; the caller closes. */
static int hold(const char *name, int flags)
{
	char *path = at(name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	free(path);
	assert_true(fd >= 0);
	assert_int_equal(nrm_bundle_hold(fd), 0);
	return fd;
}

static void make_folder(const char *name)
{
	char *path = at(name);
	assert_int_equal(mkdir(path, 0700), 0);
	free(path);
	char *inner = nrm_xasprintf("%s/data", name);
	char *inner_path = at(inner);
	assert_int_equal(mkdir(inner_path, 0700), 0);
	free(inner_path);
	char *file = nrm_xasprintf("%s/data/return.json", name);
	touch(file);
	free(file);
	free(inner);
}

static void test_sweep(void **state)
{
	(void)state;
	touch("york_2025Q1_001.tar.gz.minisig");          /* alone: a killed create's */
	touch("york_2025Q1_002.tar.gz");                  /* a whole bundle */
	touch("york_2025Q1_002.tar.gz.minisig");
	touch("york_2025Q1_003.tar.gz.minisig");          /* alone, but being made */
	touch("york_2025Q2_001.tar.gz.minisig");          /* another quarter's */
	touch("hull_2025Q1_001.tar.gz.minisig");          /* another site's */
	touch("notes.minisig");                           /* not a bundle's */
	touch(".york_2025Q1_004.tar.gz.tmp-AbCdEf");     /* a temporary file */
	make_folder(".nrmhub-return.dead01");             /* a killed create's */
	make_folder(".nrmhub-return.live01");             /* a running create's */
	make_folder("return");                            /* someone's own folder */
	int sig = hold("york_2025Q1_003.tar.gz.minisig", 0);
	int folder = hold(".nrmhub-return.live01", O_DIRECTORY);

	nrm_bundle_sweep(dir, "york", "2025Q1");
	assert_false(exists("york_2025Q1_001.tar.gz.minisig"));
	assert_false(exists(".nrmhub-return.dead01"));
	assert_true(exists("york_2025Q1_002.tar.gz"));
	assert_true(exists("york_2025Q1_002.tar.gz.minisig"));
	assert_true(exists("york_2025Q1_003.tar.gz.minisig"));
	assert_true(exists("york_2025Q2_001.tar.gz.minisig"));
	assert_true(exists("hull_2025Q1_001.tar.gz.minisig"));
	assert_true(exists("notes.minisig"));
	assert_true(exists(".york_2025Q1_004.tar.gz.tmp-AbCdEf"));
	assert_true(exists(".nrmhub-return.live01/data/return.json"));
	assert_true(exists("return/data/return.json"));

	/* The create whose signature it was put its archive in place before
	 * letting go: a bundle, not a leftover. */
	touch("york_2025Q1_003.tar.gz");
	close(sig);
	nrm_bundle_sweep(dir, "york", "2025Q1");
	assert_true(exists("york_2025Q1_003.tar.gz.minisig"));

	/* A running create that dies lets go of its folder. */
	close(folder);
	nrm_bundle_sweep(dir, "york", "2025Q1");
	assert_false(exists(".nrmhub-return.live01"));
	assert_true(exists("return/data/return.json"));
}

/* A folder that is not there, or cannot be read, is no error here: the
 * create that follows says why it cannot write. */
static void test_no_folder(void **state)
{
	(void)state;
	char *missing = at("missing");
	nrm_bundle_sweep(missing, "york", "2025Q1");
	assert_false(exists("missing"));
	free(missing);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_no_folder),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

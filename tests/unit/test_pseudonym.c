/*
 * Unit tests of hub/pseudonym.c: the key file (made 0600 whatever the
 * umask, 32 bytes, whole under its name with no temporary file left, refused when others can read it, when it is a link or
 * has the wrong size) and the pseudonyms (stable, keyed, HMAC-SHA256 as
 * RFC 4231 defines it: the known answers were computed with Python's hmac
 * module, not with libsodium).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "pseudonym.h"
#include "util.h"

static char dir[] = "/tmp/nrmhub-pseudonym-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = nrm_xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
	return nrm_xasprintf("%s/%s", dir, name);
}

static void test_known_answers(void **state)
{
	unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
	char out[NRM_PSEUDONYM_HEX + 1];
	for (int i = 0; i < NRM_PSEUDONYM_KEY_BYTES; i++)
		key[i] = (unsigned char)i;
	nrm_pseudonym(key, "HULL-01", out);
	assert_string_equal(out, "b5fe35b4315db1bc2462ec516d39e80e437240be55a73792a316641e905582c7");
	nrm_pseudonym(key, "", out);
	assert_string_equal(out, "d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb");
	/* The prepared key gives the same answers, call after call. */
	struct nrm_pseudonymiser p;
	nrm_pseudonymiser_init(&p, key);
	for (int i = 0; i < 2; i++) {
		nrm_pseudonymise(&p, "HULL-01", out);
		assert_string_equal(out, "b5fe35b4315db1bc2462ec516d39e80e437240be55a73792a316641e905582c7");
		nrm_pseudonymise(&p, "", out);
		assert_string_equal(out, "d38b42096d80f45f826b44a9d5607de72496a415d3f4a1a8c88e3bb9da8dc1cb");
	}
	nrm_pseudonymiser_clear(&p);
}

static void test_created_private_whatever_the_umask(void **state)
{
	static const mode_t masks[] = {0, 022, 077};
	for (size_t i = 0; i < sizeof(masks) / sizeof(*masks); i++) {
		char name[32];
		snprintf(name, sizeof(name), "site%zu.key", i);
		char *path = path_of(name);
		unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
		struct nrm_error err;
		mode_t old = umask(masks[i]);
		int rc = nrm_pseudonym_key_load(path, true, key, &err);
		umask(old);
		assert_int_equal(rc, 0);
		struct stat st;
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(st.st_size, NRM_PSEUDONYM_KEY_BYTES);
		free(path);
	}
}

static void test_stable_and_keyed(void **state)
{
	char *a = path_of("a.key"), *b = path_of("b.key");
	unsigned char k1[NRM_PSEUDONYM_KEY_BYTES], k2[NRM_PSEUDONYM_KEY_BYTES],
		k3[NRM_PSEUDONYM_KEY_BYTES];
	struct nrm_error err;
	assert_int_equal(nrm_pseudonym_key_load(a, true, k1, &err), 0);
	assert_int_equal(nrm_pseudonym_key_load(a, true, k2, &err), 0);  /* read back */
	assert_memory_equal(k1, k2, sizeof(k1));
	assert_int_equal(nrm_pseudonym_key_load(b, true, k3, &err), 0);
	assert_memory_not_equal(k1, k3, sizeof(k1));
	char p1[NRM_PSEUDONYM_HEX + 1], p2[NRM_PSEUDONYM_HEX + 1], p3[NRM_PSEUDONYM_HEX + 1];
	nrm_pseudonym(k1, "HULL-0100", p1);
	nrm_pseudonym(k2, "HULL-0100", p2);
	nrm_pseudonym(k3, "HULL-0100", p3);
	assert_string_equal(p1, p2);
	assert_string_not_equal(p1, p3);
	assert_int_equal(strlen(p1), 64);
	assert_null(strstr(p1, "HULL"));
	nrm_pseudonym(k1, "HULL-0101", p2);
	assert_string_not_equal(p1, p2);
	free(a);
	free(b);
}

static void write_file(const char *path, const char *bytes, size_t n, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void test_refusals(void **state)
{
	unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
	struct nrm_error err;
	char bytes[64] = {0};
	char *loose = path_of("loose.key"), *world = path_of("world.key");
	char *short_key = path_of("short.key"), *link = path_of("link.key");
	char *missing = path_of("missing.key"), *good = path_of("good.key");

	write_file(loose, bytes, 32, 0640);
	assert_int_equal(nrm_pseudonym_key_load(loose, true, key, &err), -1);
	assert_int_equal(err.code, EX_NOPERM);
	assert_non_null(strstr(err.msg, "group or others"));

	write_file(world, bytes, 32, 0604);
	assert_int_equal(nrm_pseudonym_key_load(world, true, key, &err), -1);
	assert_int_equal(err.code, EX_NOPERM);

	write_file(short_key, bytes, 31, 0600);
	assert_int_equal(nrm_pseudonym_key_load(short_key, true, key, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);

	write_file(good, bytes, 32, 0600);
	assert_int_equal(symlink(good, link), 0);
	assert_int_equal(nrm_pseudonym_key_load(link, true, key, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);

	assert_int_equal(nrm_pseudonym_key_load(missing, false, key, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
	assert_int_equal(access(missing, F_OK), -1);  /* not made without create */

	assert_int_equal(nrm_pseudonym_key_load(dir, true, key, &err), -1);  /* a directory */

	assert_int_equal(nrm_pseudonym_key_load(good, false, key, &err), 0);
	free(loose);
	free(world);
	free(short_key);
	free(link);
	free(missing);
	free(good);
}

/* The key is written to a temporary file and linked into place (a kill
 * must never leave a short key under its name): none of that shows once
 * it is made, and a temporary file a killed run left is no obstacle. */
static void test_created_whole_and_alone(void **state)
{
	char *sub = path_of("whole");
	assert_int_equal(mkdir(sub, 0700), 0);
	char *stale = nrm_xasprintf("%s/.site.key.tmp-AbCdEf", sub);
	write_file(stale, "", 0, 0600);
	char *path = nrm_xasprintf("%s/site.key", sub);
	unsigned char k1[NRM_PSEUDONYM_KEY_BYTES], k2[NRM_PSEUDONYM_KEY_BYTES];
	struct nrm_error err;
	assert_int_equal(nrm_pseudonym_key_load(path, true, k1, &err), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, NRM_PSEUDONYM_KEY_BYTES);
	assert_int_equal(st.st_nlink, 1);  /* the temporary name is gone */
	DIR *d = opendir(sub);
	assert_non_null(d);
	int entries = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
			entries++;
			assert_true(strcmp(e->d_name, "site.key") == 0 ||
			            strcmp(e->d_name, ".site.key.tmp-AbCdEf") == 0);
		}
	closedir(d);
	assert_int_equal(entries, 2);
	/* Made once: the next load reads the same key. */
	assert_int_equal(nrm_pseudonym_key_load(path, true, k2, &err), 0);
	assert_memory_equal(k1, k2, sizeof(k1));
	free(stale);
	free(path);
	free(sub);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_created_private_whatever_the_umask),
		cmocka_unit_test(test_stable_and_keyed),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_created_whole_and_alone),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

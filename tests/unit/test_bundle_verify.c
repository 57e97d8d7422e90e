/*
 * Unit tests of hub/bundle_pack.c and hub/bundle_verify.c together, in one
 * process: a bundle is packed and signed through the library, then
 * verified under the default limits and under each limit made small enough
 * to refuse it, so that every limit is shown to be enforced with its own
 * message and at step 3.  (The end-to-end tests cover the command, the
 * stock minisign and the hostile archives.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "bagit.h"
#include "bundle.h"
#include "bundle_pack.h"
#include "bundle_verify.h"
#include "minisign.h"
#include "return_render.h"
#include "util.h"

#define BIG_BYTES 100000

struct fixture {
	char dir[64];
	char *archive, *signature, *keys;
};

static void write_text(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Copies the file NAME of the bundle tests' own return folder, from the
 * source tree, into `payload`; returns its text. */
static char *copy_fixture(const char *payload, const char *name, size_t *len)
{
	const char *src = getenv("SRCDIR");
	assert_non_null(src);
	char *from = nrm_xasprintf("%s/tests/data/bundle/return/%s", src, name);
	FILE *in = fopen(from, "rb");
	assert_non_null(in);
	static char text[1 << 20];
	*len = fread(text, 1, sizeof(text) - 1, in);
	assert_true(*len > 0 && *len < sizeof(text) - 1);
	text[*len] = '\0';
	fclose(in);
	free(from);
	char *path = nrm_xasprintf("%s/%s", payload, name);
	write_text(path, text, *len);
	free(path);
	return text;
}

/* The payload: a real return folder (verify checks return.json against
 * the return schema, and the folder against the files it lists), its
 * workbook replaced by 100,000 bytes of one letter (which gzip shrinks
 * several hundred times; verify does not open a workbook). */
static void make_payload(const char *payload)
{
	assert_int_equal(mkdir(payload, 0755), 0);
	size_t len;
	copy_fixture(payload, "cases.csv", &len);
	const char *text = copy_fixture(payload, "return.json", &len);
	json_t *ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	assert_non_null(ret);
	struct nrm_error err;
	assert_int_equal(return_render_all(ret, payload, NRM_SDMX_1_0, &err), 0);
	json_decref(ret);
	char *path = nrm_xasprintf("%s/return.ods", payload);
	char *big = nrm_xmalloc(BIG_BYTES);
	memset(big, 'a', BIG_BYTES);
	write_text(path, big, BIG_BYTES);
	free(big);
	free(path);
}

static int setup(void **state)
{
	struct fixture *fx = nrm_xcalloc(1, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "%s", "/tmp/nrmhub-unit-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	char *payload = nrm_xasprintf("%s/payload", fx->dir);
	make_payload(payload);

	struct nrm_bundle_id id = {.site = "birmingham", .quarter = "2025Q1", .seq = 1};
	nrm_bundle_name(&id);
	struct nrm_bag_payload pl;
	struct nrm_error err;
	assert_int_equal(nrm_bag_payload_collect(payload, &pl, &err), 0);
	fx->archive = nrm_xasprintf("%s/%s.tar.gz", fx->dir, id.bag);
	int fd = open(fx->archive, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	struct nrm_pack_request req = {&id, &pl, 1743584400, "2025-04-02", NULL, NULL};
	struct nrm_pack_result res;
	assert_int_equal(nrm_bundle_pack(&req, fd, fx->archive, &res, &err), 0);
	assert_int_equal(close(fd), 0);
	nrm_bag_payload_free(&pl);

	struct nrm_ms_pubkey pub;
	struct nrm_ms_seckey sec;
	nrm_ms_keypair(&pub, &sec);
	memcpy(id.tagmanifest_sha512, res.tagmanifest_sha512, sizeof(res.tagmanifest_sha512));
	char *comment = nrm_bundle_comment_format(&id);
	char *sig = nrm_ms_sign(&sec, res.archive_hash, "unit test", comment);
	fx->signature = nrm_xasprintf("%s.minisig", fx->archive);
	write_text(fx->signature, sig, strlen(sig));
	fx->keys = nrm_xasprintf("%s/keys", fx->dir);
	assert_int_equal(mkdir(fx->keys, 0755), 0);
	char *pub_path = nrm_xasprintf("%s/birmingham.pub", fx->keys);
	char *pub_text = nrm_ms_pubkey_format(&pub);
	write_text(pub_path, pub_text, strlen(pub_text));
	free(pub_text);
	free(pub_path);
	free(sig);
	free(comment);
	free(payload);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char *cmd = nrm_xasprintf("rm -rf '%s'", fx->dir);
	int rc = system(cmd);
	free(cmd);
	free(fx->archive);
	free(fx->signature);
	free(fx->keys);
	free(fx);
	return rc == 0 ? 0 : -1;
}

static void test_valid_under_default_limits(void **state)
{
	struct fixture *fx = *state;
	struct nrm_verify_result r;
	struct nrm_error err = {0};
	int rc = nrm_bundle_verify(fx->archive, fx->signature, fx->keys, NULL, &r, &err);
	if (rc != 0)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(r.failed_step, 0);
	assert_string_equal(r.id.bag, "birmingham_2025Q1_001");
	assert_int_equal(r.id.seq, 1);
	assert_int_equal(r.payload_files, 23);
	assert_true(r.payload_bytes > BIG_BYTES);
	assert_non_null(r.return_json);
	nrm_verify_result_free(&r);
}

/* Verifies with `lim` and expects a refusal at `step` saying `why`. */
static void expect_refused(struct fixture *fx, const struct nrm_verify_limits *lim, int step,
                           const char *why)
{
	struct nrm_verify_result r;
	struct nrm_error err = {0};
	assert_int_equal(nrm_bundle_verify(fx->archive, fx->signature, fx->keys, lim, &r, &err),
	                 -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_int_equal(r.failed_step, step);
	if (!strstr(err.msg, why))
		fail_msg("'%s' does not say '%s'", err.msg, why);
	nrm_verify_result_free(&r);
}

static void test_each_limit_refuses(void **state)
{
	struct fixture *fx = *state;
	struct nrm_verify_limits lim = nrm_verify_default_limits;

	lim.max_archive_bytes = 100;
	expect_refused(fx, &lim, 1, "larger than the limit of 100 bytes");
	lim = nrm_verify_default_limits;

	/* BAG/, two tag files, data/, 23 payload files, two manifests. */
	lim.max_entries = 5;
	expect_refused(fx, &lim, 3, "more than the limit of 5 entries");
	lim = nrm_verify_default_limits;

	lim.max_file_bytes = BIG_BYTES - 1;
	expect_refused(fx, &lim, 3, "claims 100000 bytes, over the limit of 99999 bytes");
	lim = nrm_verify_default_limits;

	lim.max_total_bytes = BIG_BYTES + 10;
	expect_refused(fx, &lim, 3, "claim more than the limit of 100010 bytes in all");
	lim = nrm_verify_default_limits;

	lim.ratio_floor_bytes = 4096;
	lim.max_ratio = 3;
	expect_refused(fx, &lim, 3, "inflates more than 3 times its size");
	lim = nrm_verify_default_limits;

	lim.max_tag_file_bytes = 60;
	expect_refused(fx, &lim, 3, "bag-info.txt': larger than the limit of 60 bytes for a file read whole");
	lim = nrm_verify_default_limits;

	lim.max_return_bytes = 10;
	expect_refused(fx, &lim, 3, "data/cases.csv': larger than the limit of 10 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_under_default_limits),
		cmocka_unit_test(test_each_limit_refuses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

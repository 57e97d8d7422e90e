/*
 * Unit tests of the bundle's formats: minisign keys and signatures
 * (hub/minisign.c), trusted comments and bag names (hub/bundle_name.c) and
 * BagIt tag files (hub/bagit.c).
 *
 * The known-answer vectors were made by the stock minisign 0.11 (Debian's
 * package), not by nrmhub: `minisign -G -W` for the key, then
 * `minisign -S -m msg -c 'known answer' -t 'site=birmingham<TAB>quarter=2025Q1'`
 * over the 25 bytes "nrmhub known-answer test\n"; the BLAKE2b-512 of those
 * bytes is from coreutils' `b2sum -l 512`.  Ed25519 is deterministic, so
 * nrmhub signing the same digest with the same key must give the very same
 * signature file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "bagit.h"
#include "bundle.h"
#include "minisign.h"
#include "util.h"

static const char kat_msg[] = "nrmhub known-answer test\n";
static const char kat_b2[] =
	"753698e50890aef19dad0a8d41471168eb4e42ed3fd50351974afcafebe20069"
	"5d1960fb6687710fce9694958139c16de49889a17f50224131262fd2ad8fe5f8";
static const char kat_pub[] =
	"untrusted comment: minisign public key 6DC938098C222447\n"
	"RWRHJCKMCTjJbWAUwNpcehzIhuWv8mmIm9ZtGlDkcEtZHTL/MXNcr1iO\n";
/* As `minisign -G -W` writes it: no KDF, and the checksum left empty. */
static const char kat_key[] =
	"untrusted comment: minisign encrypted secret key\n"
	"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAARyQijAk4yW2L"
	"OkNq1QUOlVEeiMiO5C433BPFvkaUbqwWR/zxzSD5HWAUwNpcehzIhuWv8mmIm9ZtGlDkcEtZHTL/MXNcr1iO"
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
static const char kat_sig[] =
	"untrusted comment: known answer\n"
	"RURHJCKMCTjJbf4sqzTrV1PvL7YoBh+E3E8bWNcqYWzVo+smGnqNpRhg3YRJcA/ZZMyJaUvOMJF+Jnq5c/00"
	"vShbGHNkQC32ZgY=\n"
	"trusted comment: site=birmingham\tquarter=2025Q1\n"
	"qT0iBqdOqL6BRFd5iy0aXelotlLmwOKwWXCq9AV1Y0uasouN8LcKINQyqlJKvTTEycIBk2zSacWZSbSsAB5NAw==\n";

static void kat_hash(uint8_t hash[NRM_MS_HASH_BYTES])
{
	assert_true(nrm_bundle_unhex(kat_b2, strlen(kat_b2), hash, NRM_MS_HASH_BYTES));
}

/* ---- minisign --------------------------------------------------------------- */

static void test_blake2b_512_matches_b2sum(void **state)
{
	uint8_t want[NRM_MS_HASH_BYTES], got[NRM_MS_HASH_BYTES];
	kat_hash(want);
	nrm_ms_hash(kat_msg, strlen(kat_msg), got);
	assert_memory_equal(got, want, sizeof(want));
}

static void test_pubkey_parse_and_keyid(void **state)
{
	struct nrm_ms_pubkey pub;
	assert_int_equal(nrm_ms_pubkey_parse(kat_pub, strlen(kat_pub), "kat.pub", &pub, NULL), 0);
	char id[17];
	nrm_ms_keyid(pub.keynum, id);
	assert_string_equal(id, "6DC938098C222447");
	/* Written back, it is the very file minisign wrote. */
	char *text = nrm_ms_pubkey_format(&pub);
	assert_string_equal(text, kat_pub);
	free(text);
}

static void test_minisign_signature_verifies(void **state)
{
	struct nrm_ms_pubkey pub;
	struct nrm_ms_signature sig;
	uint8_t hash[NRM_MS_HASH_BYTES];
	kat_hash(hash);
	assert_int_equal(nrm_ms_pubkey_parse(kat_pub, strlen(kat_pub), "kat.pub", &pub, NULL), 0);
	assert_int_equal(nrm_ms_signature_parse(kat_sig, strlen(kat_sig), "s", &sig, NULL), 0);
	assert_string_equal(sig.trusted_comment, "site=birmingham\tquarter=2025Q1");
	assert_int_equal(nrm_ms_verify(&sig, &pub, hash, "s", NULL), 0);
	/* Another file's digest does not verify. */
	struct nrm_error err;
	hash[0] ^= 1;
	assert_int_equal(nrm_ms_verify(&sig, &pub, hash, "s", &err), -1);
	assert_int_equal(err.code, EX_NOPERM);
	assert_non_null(strstr(err.msg, "does not match the archive"));
	hash[0] ^= 1;
	/* Nor does an altered trusted comment. */
	sig.trusted_comment[5] = 'B';
	assert_int_equal(nrm_ms_verify(&sig, &pub, hash, "s", &err), -1);
	assert_non_null(strstr(err.msg, "global signature"));
	nrm_ms_signature_free(&sig);
}

static void test_signing_matches_minisign(void **state)
{
	struct nrm_ms_seckey sec;
	uint8_t hash[NRM_MS_HASH_BYTES];
	kat_hash(hash);
	assert_int_equal(nrm_ms_seckey_parse(kat_key, strlen(kat_key), "kat.key", NULL, 0, &sec,
	                                     NULL), 0);
	char *text = nrm_ms_sign(&sec, hash, "known answer", "site=birmingham\tquarter=2025Q1");
	assert_string_equal(text, kat_sig);
	free(text);
}

static void test_seckey_roundtrip_with_checksum(void **state)
{
	struct nrm_ms_pubkey pub;
	struct nrm_ms_seckey sec, back;
	nrm_ms_keypair(&pub, &sec);
	char *text = nrm_ms_seckey_format(&sec, NULL, 0, NULL);
	assert_non_null(text);
	assert_int_equal(nrm_ms_seckey_parse(text, strlen(text), "k", NULL, 0, &back, NULL), 0);
	assert_memory_equal(&back, &sec, sizeof(sec));
	free(text);
}

static void test_seckey_corrupt_checksum_refused(void **state)
{
	struct nrm_ms_pubkey pub;
	struct nrm_ms_seckey sec, back;
	nrm_ms_keypair(&pub, &sec);
	char *text = nrm_ms_seckey_format(&sec, NULL, 0, NULL);
	/* The last base64 group before the "=" holds checksum bytes. */
	char *eq = strchr(text, '=');
	assert_non_null(eq);
	eq[-2] = eq[-2] == 'A' ? 'B' : 'A';
	struct nrm_error err;
	assert_int_equal(nrm_ms_seckey_parse(text, strlen(text), "k", NULL, 0, &back, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "checksum does not match"));
	free(text);
}

static void test_encrypted_key_needs_password(void **state)
{
	/* The block of an encrypted key marks the KDF "Sc"; without a password
	 * it is refused before any scrypt work. */
	struct nrm_ms_seckey sec;
	char key[sizeof(kat_key)];
	memcpy(key, kat_key, sizeof(kat_key));
	/* "RWQAAEIy" is "Ed\0\0B2"; "RWRTY0Iy" is "EdScB2". */
	char *p = strstr(key, "RWQAAEIy");
	assert_non_null(p);
	memcpy(p, "RWRTY0Iy", 8);
	struct nrm_error err;
	assert_int_equal(nrm_ms_seckey_parse(key, strlen(key), "k", NULL, 0, &sec, &err), -1);
	assert_int_equal(err.code, EX_NOPERM);
	assert_non_null(strstr(err.msg, "--password-file"));
}

static void expect_sig_refused(const char *text, const char *why)
{
	struct nrm_ms_signature sig;
	struct nrm_error err;
	assert_int_equal(nrm_ms_signature_parse(text, strlen(text), "s", &sig, &err), -1);
	assert_int_equal(err.code, EX_NOPERM);
	if (!strstr(err.msg, why))
		fail_msg("'%s' does not say '%s'", err.msg, why);
}

static void test_signature_strictness(void **state)
{
	size_t n = strlen(kat_sig);
	char *t = malloc(2 * n + 64);
	/* Extra line, blank line, CRLF, truncated. */
	sprintf(t, "%sextra\n", kat_sig);
	expect_sig_refused(t, "extra lines");
	sprintf(t, "%s\n", kat_sig);
	expect_sig_refused(t, "extra lines");
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (kat_sig[i] == '\n')
			t[o++] = '\r';
		t[o++] = kat_sig[i];
	}
	t[o] = '\0';
	expect_sig_refused(t, "CR (Windows) line ending");
	memcpy(t, kat_sig, n);
	t[strchr(kat_sig, '\n') - kat_sig + 1 + 10] = '\0';
	expect_sig_refused(t, "truncated");
	/* "RUR" begins "ED"; "RWR" is the legacy "Ed". */
	strcpy(t, kat_sig);
	char *alg = strstr(t, "\nRUR") + 1;
	alg[1] = 'W';
	expect_sig_refused(t, "legacy \"Ed\" signature");
	/* A missing prefix on line 3, bad base64 on line 4. */
	strcpy(t, kat_sig);
	memcpy(strstr(t, "\ntrusted comment:") + 1, "trusted_comment:", 16);
	expect_sig_refused(t, ":3:");
	strcpy(t, kat_sig);
	strstr(t, "qT0i")[0] = '*';
	expect_sig_refused(t, ":4: not a global signature");
	free(t);
}

/* ---- trusted comments and names --------------------------------------------- */

static void test_comment_roundtrip(void **state)
{
	struct nrm_bundle_id id = {.site = "birmingham", .quarter = "2025Q1", .seq = 7};
	memset(id.tagmanifest_sha512, 0xab, sizeof(id.tagmanifest_sha512));
	nrm_bundle_name(&id);
	assert_string_equal(id.bag, "birmingham_2025Q1_007");
	char *c = nrm_bundle_comment_format(&id);
	char want[400];
	snprintf(want, sizeof(want), "site=birmingham\tquarter=2025Q1\tseq=7\t"
	         "bag=birmingham_2025Q1_007\ttagmanifest-sha512=%0128d", 0);
	char *hex = strstr(want, "sha512=") + 7;
	for (int i = 0; i < 128; i++)
		hex[i] = i % 2 ? 'b' : 'a';
	assert_string_equal(c, want);
	struct nrm_bundle_id back;
	assert_int_equal(nrm_bundle_comment_parse(c, strlen(c), &back, NULL), 0);
	assert_memory_equal(&back, &id, sizeof(id));
	free(c);
	/* Sequence numbers past 999 widen the name. */
	id.seq = 123456;
	nrm_bundle_name(&id);
	assert_string_equal(id.bag, "birmingham_2025Q1_123456");
}

static void expect_comment_refused(const char *text, const char *why)
{
	struct nrm_bundle_id id;
	struct nrm_error err;
	assert_int_equal(nrm_bundle_comment_parse(text, strlen(text), &id, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	if (!strstr(err.msg, why))
		fail_msg("'%s' does not say '%s'", err.msg, why);
}

#define HEX128 "00000000000000000000000000000000000000000000000000000000000000000" \
	"000000000000000000000000000000000000000000000000000000000000000"

static void test_comment_refusals(void **state)
{
	expect_comment_refused("quarter=2025Q1", "expected the field site=");
	expect_comment_refused("site=b\tquarter=2025Q1\tseq=1\tbag=b_2025Q1_001\t"
	                       "tagmanifest-sha512=" HEX128, "site is not a valid site code");
	expect_comment_refused("site=birmingham\tquarter=2025Q5\tseq=1\t"
	                       "bag=birmingham_2025Q5_001\ttagmanifest-sha512=" HEX128,
	                       "quarter must be YYYYQn");
	expect_comment_refused("site=birmingham\tquarter=2025Q1\tseq=01\t"
	                       "bag=birmingham_2025Q1_001\ttagmanifest-sha512=" HEX128,
	                       "without leading zeros");
	expect_comment_refused("site=birmingham\tquarter=2025Q1\tseq=1\t"
	                       "bag=birmingham_2025Q1_002\ttagmanifest-sha512=" HEX128,
	                       "expected bag=birmingham_2025Q1_001");
	expect_comment_refused("site=birmingham\tquarter=2025Q1\tseq=1\t"
	                       "bag=birmingham_2025Q1_001\ttagmanifest-sha512=" HEX128 "\t",
	                       "unexpected text after");
	expect_comment_refused("site=birmingham\tquarter=2025Q1\tseq=1\t"
	                       "bag=birmingham_2025Q1_001\ttagmanifest-sha512=ABCD",
	                       "128 lower-case hex digits");
	expect_comment_refused("site=birmingham\tseq=1\tquarter=2025Q1\t"
	                       "bag=birmingham_2025Q1_001\ttagmanifest-sha512=" HEX128,
	                       "expected the field quarter=");
}

static void test_site_and_quarter_rules(void **state)
{
	assert_true(nrm_bundle_site_valid("birmingham"));
	assert_true(nrm_bundle_site_valid("telford-and-wrekin"));
	assert_false(nrm_bundle_site_valid("b"));
	assert_false(nrm_bundle_site_valid("1site"));
	assert_false(nrm_bundle_site_valid("Site"));
	assert_false(nrm_bundle_site_valid("a_b"));
	assert_false(nrm_bundle_site_valid("../x"));
	assert_true(nrm_bundle_quarter_valid("2025Q4"));
	assert_false(nrm_bundle_quarter_valid("2025Q0"));
	assert_false(nrm_bundle_quarter_valid("2025q1"));
	assert_false(nrm_bundle_quarter_valid("25Q1"));
}

/* ---- BagIt -------------------------------------------------------------------- */

static void test_bag_paths(void **state)
{
	static const struct {
		const char *path;
		const char *problem; /* a word of the reason, or NULL when allowed */
	} cases[] = {
		{"data/return.json", NULL},
		{"data/tables/by-age_band+x.csv", NULL},
		{"/etc/passwd", "absolute"},
		{"data/../x", "traversal"},
		{"..", "traversal"},
		{"data\\x", "backslash"},
		{"data//x", "empty component"},
		{"data/.x", "starting with '.'"},
		{"data/./x", "starting with '.'"},
		{"data/a b", "character outside"},
		{"data/\xc3\xa9", "character outside"},
		{"", "empty path"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *p = nrm_bag_path_problem(cases[i].path, strlen(cases[i].path));
		if (!cases[i].problem)
			assert_null(p);
		else if (!p || !strstr(p, cases[i].problem))
			fail_msg("%s: got '%s', expected '%s'", cases[i].path, p ? p : "(allowed)",
			         cases[i].problem);
	}
	char long_component[120] = "data/";
	memset(long_component + 5, 'a', 110);
	long_component[115] = '\0';
	assert_non_null(strstr(nrm_bag_path_problem(long_component, 115), "longer than 100"));
	char long_path[300];
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	for (size_t i = 50; i < sizeof(long_path) - 1; i += 50)
		long_path[i] = '/';
	assert_non_null(strstr(nrm_bag_path_problem(long_path, strlen(long_path)),
	                       "longer than 255"));
}

static void test_manifest_parse(void **state)
{
	struct nrm_manifest m;
	const char *ok = HEX128 "  data/a.csv\n" HEX128 "\tdata/b.csv\n";
	assert_int_equal(nrm_manifest_parse(ok, strlen(ok), "manifest-sha512.txt", &m, NULL), 0);
	assert_int_equal(m.count, 2);
	assert_string_equal(m.lines[1].path, "data/b.csv");
	assert_int_equal(m.lines[1].line, 2);
	nrm_manifest_free(&m);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{HEX128 "  data/a.csv\n" HEX128 "  data/a.csv\n", ":2: the same path as line 1"},
		{HEX128 "  data/../a\n", ":1: '..'"},
		{"abc  data/a.csv\n", ":1: expected 128 lower-case hex"},
		{HEX128 "  data/a.csv", "no line end"},
		{HEX128 "  data/a.csv\r\n", ":1: CR line end"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nrm_error err;
		assert_int_equal(nrm_manifest_parse(bad[i].text, strlen(bad[i].text),
		                                    "manifest-sha512.txt", &m, &err), -1);
		if (!strstr(err.msg, bad[i].why))
			fail_msg("'%s' does not say '%s'", err.msg, bad[i].why);
	}
}

static void test_bag_info(void **state)
{
	char *text = nrm_bag_info_format("birmingham", "birmingham_2025Q1_001", "2025-04-02",
	                                 4195, 4, NULL);
	assert_string_equal(text, "Source-Organization: birmingham\n"
	                          "External-Identifier: birmingham_2025Q1_001\n"
	                          "Bagging-Date: 2025-04-02\n"
	                          "Payload-Oxum: 4195.4\n");
	struct nrm_bag_info info;
	assert_int_equal(nrm_bag_info_parse(text, strlen(text), &info, NULL), 0);
	assert_string_equal(info.source_organization, "birmingham");
	assert_string_equal(info.payload_oxum, "4195.4");
	nrm_bag_info_free(&info);
	free(text);

	/* nrmhub's own fields: the audience, an approval, the rules forced. */
	const char *forced[] = {"quarter-not-ended", "no-referrals-or-decisions"};
	struct nrm_bag_extra extra = {.audience = "official", .approved_by = "officer",
	                              .approved_at = "2025-04-03T10:00:00Z",
	                              .approval_note = "checked against the panel minutes",
	                              .forced = forced, .n_forced = 2};
	text = nrm_bag_info_format("birmingham", "birmingham_2025Q1_001", "2025-04-02", 4195, 4,
	                           &extra);
	assert_string_equal(text, "Source-Organization: birmingham\n"
	                          "External-Identifier: birmingham_2025Q1_001\n"
	                          "Bagging-Date: 2025-04-02\n"
	                          "Payload-Oxum: 4195.4\n"
	                          "Audience: official\n"
	                          "Approved-By: officer\n"
	                          "Approved-At: 2025-04-03T10:00:00Z\n"
	                          "Approval-Note: checked against the panel minutes\n"
	                          "Forced: quarter-not-ended\n"
	                          "Forced: no-referrals-or-decisions\n");
	assert_int_equal(nrm_bag_info_parse(text, strlen(text), &info, NULL), 0);
	assert_string_equal(info.audience, "official");
	assert_string_equal(info.approved_by, "officer");
	assert_string_equal(info.approval_note, "checked against the panel minutes");
	assert_int_equal(info.n_forced, 2);
	assert_string_equal(info.forced[1], "no-referrals-or-decisions");
	nrm_bag_info_free(&info);
	free(text);
	const char *two_audiences = "Audience: official\nAudience: published\n";
	assert_int_equal(nrm_bag_info_parse(two_audiences, strlen(two_audiences), &info, NULL), -1);

	const char *folded = "Source-Organization: a\n  b\nContact-Name: x\n";
	assert_int_equal(nrm_bag_info_parse(folded, strlen(folded), &info, NULL), 0);
	assert_string_equal(info.source_organization, "a  b");
	assert_null(info.bagging_date);
	nrm_bag_info_free(&info);

	struct nrm_error err;
	const char *twice = "Payload-Oxum: 1.1\nPayload-Oxum: 2.2\n";
	assert_int_equal(nrm_bag_info_parse(twice, strlen(twice), &info, &err), -1);
	assert_non_null(strstr(err.msg, "bag-info.txt:2: Payload-Oxum given twice"));
	const char *nolabel = "no label here\n";
	assert_int_equal(nrm_bag_info_parse(nolabel, strlen(nolabel), &info, &err), -1);
	assert_non_null(strstr(err.msg, "bag-info.txt:1: expected 'Label: value'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blake2b_512_matches_b2sum),
		cmocka_unit_test(test_pubkey_parse_and_keyid),
		cmocka_unit_test(test_minisign_signature_verifies),
		cmocka_unit_test(test_signing_matches_minisign),
		cmocka_unit_test(test_seckey_roundtrip_with_checksum),
		cmocka_unit_test(test_seckey_corrupt_checksum_refused),
		cmocka_unit_test(test_encrypted_key_needs_password),
		cmocka_unit_test(test_signature_strictness),
		cmocka_unit_test(test_comment_roundtrip),
		cmocka_unit_test(test_comment_refusals),
		cmocka_unit_test(test_site_and_quarter_rules),
		cmocka_unit_test(test_bag_paths),
		cmocka_unit_test(test_manifest_parse),
		cmocka_unit_test(test_bag_info),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * The return's file set (hub/return_payload.c) and the report's script
 * check (hub/html_script.c): what is never a payload file, and what a
 * report may not hold.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <string.h>
#include <sysexits.h>

#include "html_script.h"
#include "return_payload.h"
#include "util.h"

static const char *kind(const char *name, const char *head, size_t len)
{
	return nrm_payload_secret_kind(name, head, len);
}

static void test_secrets_and_stores(void **state)
{
	(void)state;
	static const char sqlite[] = "SQLite format 3\0\x10\x00";
	assert_string_equal(kind("table_1.csv", sqlite, sizeof(sqlite)), "an SQLite database");
	assert_string_equal(kind("nrmhub.db", "", 0), "a store");
	assert_string_equal(kind("birmingham.pseudonym.key", "abc", 3), "a pseudonym key");
	/* "Ed" "Sc" "B2" and 152 more bytes: a secret key's 158. */
	char seckey[512];
	snprintf(seckey, sizeof(seckey), "untrusted comment: x\n%s\n",
	         "RWRTY0IyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	assert_string_equal(kind("site.key", seckey, strlen(seckey)), "a minisign secret key");
	/* A public key (42 bytes) is not a secret, whatever its key id. */
	const char *pub = "untrusted comment: minisign public key\n"
	                  "RWRTAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n";
	assert_null(kind("site.pub", pub, strlen(pub)));
	assert_null(kind("table_1.csv", "Year,Quarter\r\n", 14));
}

static void test_report_script(void **state)
{
	(void)state;
	long line;
	const char *clean = "<!DOCTYPE html>\n<html><body><p>onion, javascript: a word</p>\n"
	                    "<svg width=\"10\"><rect width=\"1\"/></svg></body></html>\n";
	assert_null(nrm_html_script_find(clean, strlen(clean), &line));
	const char *script = "<html><body>\n<p>x</p>\n<ScRiPt>alert(1)</script></body></html>";
	assert_string_equal(nrm_html_script_find(script, strlen(script), &line),
	                    "a <script> element");
	assert_int_equal(line, 3);
	const char *svg = "<html><body><svg><g onclick=\"x()\"></g></svg></body></html>";
	assert_string_equal(nrm_html_script_find(svg, strlen(svg), &line),
	                    "an event handler attribute onclick");
	const char *url = "<html><body><a href=\"\t JavaScript:x()\">a</a></body></html>";
	assert_string_equal(nrm_html_script_find(url, strlen(url), &line),
	                    "a javascript: URL in href");
	const char *frame = "<html><body><iframe src=\"x.html\"></iframe></body></html>";
	assert_string_equal(nrm_html_script_find(frame, strlen(frame), &line),
	                    "an embedded page or object");
}

static void test_file_set(void **state)
{
	(void)state;
	json_t *ret = json_pack("{s:[{s:s, s:s}, {s:s, s:s}]}", "files", "name", "return.json",
	                        "role", "return", "name", "report.html", "role", "report");
	struct nrm_error err;
	struct nrm_payload_file ok[] = {{"report.html", "<p>", 3, 0}, {"return.json", "{}", 2, 0}};
	assert_int_equal(nrm_return_payload_check(ret, ok, 2, "d", &err), 0);

	struct nrm_payload_file stray[] = {{"report.html", "", 0, 0}, {"return.json", "", 0, 0},
	                                   {"cases.jsonl", "{", 1, 0}};
	assert_int_equal(nrm_return_payload_check(ret, stray, 3, "d", &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_string_equal(err.msg, "d: cases.jsonl: not one of the return's files "
	                             "(return.json $.files)");

	struct nrm_payload_file missing[] = {{"return.json", "", 0, 0}};
	assert_int_equal(nrm_return_payload_check(ret, missing, 1, "d", &err), -1);
	assert_string_equal(err.msg, "d: report.html: listed in return.json $.files[1] but missing");

	struct nrm_payload_file folder[] = {{"keys/", NULL, 0, 1}};
	assert_int_equal(nrm_return_payload_check(ret, folder, 1, "d", &err), -1);
	assert_non_null(strstr(err.msg, "d: keys/: a folder"));

	/* Listed does not make a store acceptable. */
	json_array_append_new(json_object_get(ret, "files"),
	                      json_pack("{s:s, s:s}", "name", "nrmhub.db", "role", "report"));
	struct nrm_payload_file store[] = {{"nrmhub.db", "SQLite format 3", 16, 0}};
	assert_int_equal(nrm_return_payload_check(ret, store, 1, "d", &err), -1);
	assert_string_equal(err.msg, "d: nrmhub.db: an SQLite database, never part of a return");
	json_decref(ret);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secrets_and_stores),
		cmocka_unit_test(test_report_script),
		cmocka_unit_test(test_file_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Nationality as the Home Office counts it (hub/nationality.c,
 * formats/return.md "Nationality"): a dual national's one key and label,
 * and the labels file read as hostile input, each refusal naming the line
 * and the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "nationality.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static void one_key_per_child(void **state)
{
	(void)state;
	char key[8];
	nrm_nationality_key("PL", "GB", key);
	assert_string_equal(key, "GB+PL");
	nrm_nationality_key("GB", "PL", key);
	assert_string_equal(key, "GB+PL");
	nrm_nationality_key("VN", NULL, key);
	assert_string_equal(key, "VN");
	nrm_nationality_key("GB", "GB", key); /* the same code twice is one nationality */
	assert_string_equal(key, "GB");
	nrm_nationality_key(NULL, NULL, key);
	assert_string_equal(key, "unknown");
	nrm_nationality_key("gb", "X", key); /* never an index from a bad code */
	assert_string_equal(key, "unknown");
}

static void keys_shaped_as_written(void **state)
{
	(void)state;
	assert_true(nrm_nationality_key_ok("GB"));
	assert_true(nrm_nationality_key_ok("GB+PL"));
	assert_true(nrm_nationality_key_ok("unknown"));
	assert_false(nrm_nationality_key_ok("PL+GB")); /* out of order */
	assert_false(nrm_nationality_key_ok("GB+GB"));
	assert_false(nrm_nationality_key_ok("GB+PL+VN"));
	assert_false(nrm_nationality_key_ok("GB PL"));
	assert_false(nrm_nationality_key_ok("gb"));
	assert_false(nrm_nationality_key_ok(""));
}

static void combined_label_in_alphabetical_order(void **state)
{
	(void)state;
	char *l = nrm_nationality_combined_label("UK", "Polish");
	assert_string_equal(l, "Polish UK");
	free(l);
	l = nrm_nationality_combined_label("Albanian", "UK");
	assert_string_equal(l, "Albanian UK");
	free(l);
}

static void shipped_file_reads(void **state)
{
	(void)state;
	struct nrm_nationality_labels l;
	struct nrm_error err = {0};
	assert_int_equal(nrm_nationality_labels_read(NRM_SOURCE_DIR "/formats/nationality-labels.csv",
	                                             &l, &err), 0);
	assert_string_equal(nrm_nationality_label(&l, "GB"), "UK");
	assert_string_equal(nrm_nationality_label(&l, "AL"), "Albanian");
	assert_string_equal(nrm_nationality_label(&l, "VN"), "Vietnamese");
	assert_string_equal(nrm_nationality_label(&l, "PL"), "Polish");
	assert_null(nrm_nationality_label(&l, "AQ")); /* the iso-codes name is the fallback */
	assert_null(nrm_nationality_label(&l, "G"));
	nrm_nationality_labels_free(&l);
}

/* The built-in copy is the shipped file, read by the same rules. */
static void built_in_is_the_shipped_file(void **state)
{
	(void)state;
	unsetenv("NRMHUB_NATIONALITY_LABELS");
	struct nrm_nationality_labels a, b;
	struct nrm_error err = {0};
	assert_int_equal(nrm_nationality_labels_default(&a, &err), 0);
	assert_int_equal(nrm_nationality_labels_read(NRM_SOURCE_DIR "/formats/nationality-labels.csv",
	                                             &b, &err), 0);
	for (size_t i = 0; i < 26 * 26; i++) {
		assert_true(!a.label[i] == !b.label[i]);
		if (a.label[i])
			assert_string_equal(a.label[i], b.label[i]);
	}
	nrm_nationality_labels_free(&a);
	nrm_nationality_labels_free(&b);
}

/* Reads `text` as a labels file; returns the exit code and the message. */
static int read_text(const char *text, char *msg, size_t n)
{
	char path[] = "/tmp/test_nationality.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct nrm_nationality_labels l;
	struct nrm_error err = {0};
	int rc = nrm_nationality_labels_read(path, &l, &err);
	unlink(path);
	if (rc == 0) {
		nrm_nationality_labels_free(&l);
		return 0;
	}
	snprintf(msg, n, "%s", err.msg);
	/* The message starts with the file's path: keep what follows. */
	size_t len = strlen(path);
	assert_memory_equal(msg, path, len);
	memmove(msg, msg + len, strlen(msg + len) + 1);
	return err.code;
}

static void hostile_rows_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"# only a comment\n", ": no header 'code,label'"},
		{"code,name\nGB,UK\n", ":1: the header must be 'code,label'"},
		{"# c\ncode,label\nGB\n", ":3: 1 field, not 2"},
		{"code,label\nGB,UK,x\n", ":2: label: more than 2 fields"},
		{"code,label\ngb,UK\n", ":2: code: not an ISO 3166-1 alpha-2 code"},
		{"code,label\nGBR,UK\n", ":2: code: not an ISO 3166-1 alpha-2 code"},
		{"code,label\nGB,UK\nGB,British\n", ":3: code: already given"},
		{"code,label\nGB,\n", ":2: label: empty"},
		{"code,label\nGB,\"UK\"\n", ":2: label: empty"},
		{"code,label\nGB,<script>\n", ":2: label: empty"},
		{"code,label\nGB, UK\n", ":2: label: empty"},
		{"code,label\nGB,UK\xe2\x80\x8b\n", ":2: label: empty"},
		{"code,label\nGB,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		 ":2: label: empty"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[1024];
		assert_int_equal(read_text(cases[i].text, msg, sizeof(msg)), EX_DATAERR);
		if (strncmp(msg, cases[i].msg, strlen(cases[i].msg)) != 0)
			fail_msg("case %zu: got '%s', expected '%s...'", i, msg, cases[i].msg);
	}
	char msg[1024];
	assert_int_equal(read_text("# c\r\ncode,label\r\nGB,UK\r\n\r\n", msg, sizeof(msg)), 0);
	struct nrm_nationality_labels l;
	struct nrm_error err = {0};
	assert_int_equal(nrm_nationality_labels_read("/nonexistent/labels.csv", &l, &err), -1);
	assert_int_equal(err.code, EX_NOINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_key_per_child),
		cmocka_unit_test(keys_shaped_as_written),
		cmocka_unit_test(combined_label_in_alphabetical_order),
		cmocka_unit_test(shipped_file_reads),
		cmocka_unit_test(built_in_is_the_shipped_file),
		cmocka_unit_test(hostile_rows_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

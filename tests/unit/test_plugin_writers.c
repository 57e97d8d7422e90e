/*
 * Unit tests of the helpers the export plugins share (plugins/common/):
 * RFC 4180 quoting, the formula guard and the typed fields of csv_write.c,
 * JSON string escaping and labels of json_write.c, and the Home Office
 * labels and their Welsh translations in labels.c, each against values
 * written out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_write.h"
#include "json_write.h"
#include "labels.h"
#include "out_buffer.h"

/* ---- a host whose output is a string ------------------------------------- */

static char written[4096];
static size_t written_len;

static int fake_write(nrm_stream *s, const void *buf, size_t len)
{
	(void)s;
	assert_true(written_len + len < sizeof(written));
	memcpy(written + written_len, buf, len);
	written_len += len;
	written[written_len] = '\0';
	return NRM_OK;
}

static int fake_report(nrm_stream *s, const struct nrm_pos *pos, const char *field,
                       const char *fmt, ...)
{
	(void)s;
	(void)pos;
	(void)field;
	(void)fmt;
	return NRM_FAIL;
}

/* Dates here are written yyyymmdd as numbers, so the test sees only the
 * layout csv_write.c gives them; the calendar is the hub's, tested there. */
static void fake_date_to_ymd(int32_t date, int *year, int *month, int *day)
{
	*year = date / 10000;
	*month = date / 100 % 100;
	*day = date % 100;
}

static void fake_time_format(int64_t t, char buf[21])
{
	assert_int_equal(t, 1751360400); /* 2025-07-01T09:00:00Z */
	memcpy(buf, "2025-07-01T09:00:00Z", 21);
}

static struct nrm_host host = {.write = fake_write, .report = fake_report,
                               .date_to_ymd = fake_date_to_ymd,
                               .time_format_rfc3339 = fake_time_format};

static struct out_buffer out;

static int setup(void **state)
{
	(void)state;
	written_len = 0;
	written[0] = '\0';
	return out_buffer_init(&out, &host, NULL) == NRM_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	out_buffer_free(&out);
	return 0;
}

static const char *flushed(void)
{
	assert_int_equal(out_buffer_flush(&out), NRM_OK);
	return written;
}

/* ---- CSV ----------------------------------------------------------------- */

static void csv_row_of(const char *const *fields, size_t n, bool guard)
{
	struct csv_row row;
	csv_row_begin(&row, &out, guard);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(csv_row_field(&row, fields[i]), NRM_OK);
	assert_int_equal(csv_row_end(&row), NRM_OK);
}

static void test_csv_plain_fields_are_not_quoted(void **state)
{
	(void)state;
	const char *fields[] = {"BCT-2025-0001", "birmingham", NULL, "", "Sexual & Criminal"};
	csv_row_of(fields, 5, false);
	assert_string_equal(flushed(), "BCT-2025-0001,birmingham,,,Sexual & Criminal\r\n");
}

static void test_csv_quotes_what_rfc4180_needs(void **state)
{
	(void)state;
	const char *fields[] = {"Home Office, UKVI", "The \"Youth Voice\" Project", "a\r\nb",
	                        "line\nbreak", "\""};
	csv_row_of(fields, 5, false);
	assert_string_equal(flushed(), "\"Home Office, UKVI\",\"The \"\"Youth Voice\"\" Project\","
	                               "\"a\r\nb\",\"line\nbreak\",\"\"\"\"\r\n");
}

static void test_csv_formula_guard(void **state)
{
	(void)state;
	const char *fields[] = {"=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)", "\tx", "a=b"};
	csv_row_of(fields, 6, true);
	assert_string_equal(flushed(), "\"'=HYPERLINK(\"\"x\"\")\",\"'+1\",\"'-1\",\"'@SUM(A1)\","
	                               "\"'\tx\",a=b\r\n");
}

static void test_csv_formula_guard_off(void **state)
{
	(void)state;
	const char *fields[] = {"=1+1", "-5"};
	csv_row_of(fields, 2, false);
	assert_string_equal(flushed(), "=1+1,-5\r\n");
}

static void test_csv_typed_fields(void **state)
{
	(void)state;
	const char *two[2] = {"GB", "IE"}, *one[2] = {"VN", NULL}, *none[2] = {NULL, NULL};
	struct csv_row row;
	csv_row_begin(&row, &out, false);
	assert_int_equal(csv_row_date_dmy(&row, 20250701), NRM_OK);
	assert_int_equal(csv_row_date_dmy(&row, NRM_DATE_NONE), NRM_OK);
	assert_int_equal(csv_row_time(&row, 1751360400), NRM_OK);
	assert_int_equal(csv_row_time(&row, NRM_TIME_NONE), NRM_OK);
	assert_int_equal(csv_row_int(&row, 15, NRM_AGE_NONE), NRM_OK);
	assert_int_equal(csv_row_int(&row, 0, NRM_AGE_NONE), NRM_OK);
	assert_int_equal(csv_row_int(&row, NRM_AGE_NONE, NRM_AGE_NONE), NRM_OK);
	assert_int_equal(csv_row_nationality(&row, two), NRM_OK);
	assert_int_equal(csv_row_nationality(&row, one), NRM_OK);
	assert_int_equal(csv_row_nationality(&row, none), NRM_OK);
	assert_int_equal(csv_row_end(&row), NRM_OK);
	assert_string_equal(flushed(), "01/07/2025,,2025-07-01T09:00:00Z,,15,0,,GB;IE,VN,\r\n");
}

static void test_csv_header_starts_with_bom(void **state)
{
	(void)state;
	const char *names[] = {"Case ID", "=Site"};
	assert_int_equal(csv_write_header(&out, true, names, 2), NRM_OK);
	assert_string_equal(flushed(), "\xEF\xBB\xBF" "Case ID,\"'=Site\"\r\n");
}

/* ---- JSON strings ---------------------------------------------------------- */

static void test_json_label(void **state)
{
	(void)state;
	assert_int_equal(jw_label(&out, LABEL_GENDER, NRM_GENDER_FEMALE), NRM_OK);
	assert_int_equal(jw_raw(&out, " "), NRM_OK);
	assert_int_equal(jw_label(&out, LABEL_RG_OUTCOME, NRM_OUTCOME_NONE), NRM_OK);
	assert_string_equal(flushed(), "\"Female\" null");
}

static void test_json_string_escapes(void **state)
{
	(void)state;
	assert_int_equal(jw_string(&out, "a\"b\\c\x01\x1f/é"), NRM_OK);
	assert_int_equal(jw_raw(&out, " "), NRM_OK);
	assert_int_equal(jw_string(&out, NULL), NRM_OK);
	assert_string_equal(flushed(), "\"a\\\"b\\\\c\\u0001\\u001f/é\" null");
}

static void test_json_exploitation_labels(void **state)
{
	(void)state;
	assert_int_equal(jw_exploitation_labels(&out, NRM_EXPL_CRIMINAL | NRM_EXPL_SEXUAL |
	                                                      NRM_EXPL_LABOUR), NRM_OK);
	assert_int_equal(jw_exploitation_labels(&out, 0), NRM_OK);
	assert_string_equal(flushed(), "[\"Sexual\",\"Labour\",\"Criminal\"][]");
}

/* ---- labels ------------------------------------------------------------------ */

static void test_home_office_labels_exactly(void **state)
{
	(void)state;
	/* DOMAIN.md, "The categories the Home Office publishes". */
	assert_string_equal(label_of(LABEL_FIRST_RESPONDER, NRM_FR_GOVERNMENT_AGENCY, LABEL_ENGLISH),
	                    "Government agency");
	assert_string_equal(label_of(LABEL_FIRST_RESPONDER, NRM_FR_NGO, LABEL_ENGLISH),
	                    "NGO and third sector");
	assert_string_equal(label_of(LABEL_FIRST_RESPONDER, NRM_FR_POLICE, LABEL_ENGLISH), "Police");
	assert_string_equal(label_of(LABEL_FIRST_RESPONDER, NRM_FR_LOCAL_AUTHORITY, LABEL_ENGLISH),
	                    "Local Authority");
	assert_null(label_of(LABEL_FIRST_RESPONDER, NRM_FR_NONE, LABEL_ENGLISH));
	assert_string_equal(label_of(LABEL_LOCATION, NRM_LOC_UK_AND_OVERSEAS, LABEL_ENGLISH),
	                    "UK and Overseas");
	assert_string_equal(label_of(LABEL_LOCATION, NRM_LOC_UNKNOWN, LABEL_ENGLISH),
	                    "Not specified or unknown");
	assert_string_equal(label_of(LABEL_RG_OUTCOME, NRM_OUTCOME_POSITIVE, LABEL_ENGLISH),
	                    "Positive reasonable grounds");
	assert_string_equal(label_of(LABEL_RG_OUTCOME, NRM_OUTCOME_NEGATIVE, LABEL_ENGLISH),
	                    "Negative reasonable grounds");
	assert_string_equal(label_of(LABEL_CG_OUTCOME, NRM_OUTCOME_POSITIVE, LABEL_ENGLISH),
	                    "Positive conclusive grounds");
	assert_string_equal(label_of(LABEL_CG_OUTCOME, NRM_OUTCOME_NEGATIVE, LABEL_ENGLISH),
	                    "Negative conclusive grounds");
	assert_null(label_of(LABEL_RG_OUTCOME, NRM_OUTCOME_NONE, LABEL_ENGLISH));
	assert_string_equal(label_exploitation(NRM_EXPL_ORGAN_HARVESTING, LABEL_ENGLISH),
	                    "Organ Harvesting");
}

static void test_joins_as_the_home_office_does(void **state)
{
	(void)state;
	char buf[LABEL_JOIN_MAX];
	assert_string_equal(label_exploitation_join(NRM_EXPL_SEXUAL | NRM_EXPL_CRIMINAL,
	                                            LABEL_ENGLISH, buf), "Sexual & Criminal");
	assert_string_equal(label_exploitation_join(NRM_EXPL_SEXUAL | NRM_EXPL_LABOUR |
	                                                    NRM_EXPL_CRIMINAL, LABEL_ENGLISH, buf),
	                    "Sexual, Labour & Criminal");
	assert_string_equal(label_exploitation_join(NRM_EXPL_DOMESTIC, LABEL_ENGLISH, buf),
	                    "Domestic");
	assert_string_equal(label_exploitation_join(0, LABEL_ENGLISH, buf),
	                    "Not specified or unknown");
	assert_string_equal(label_exploitation_join(NRM_EXPL_ALL, LABEL_ENGLISH, buf),
	                    "Sexual, Domestic, Labour, Criminal & Organ Harvesting");
	assert_string_equal(label_exploitation_join(NRM_EXPL_ALL, LABEL_WELSH, buf),
	                    "Rhywiol, Domestig, Llafur, Troseddol & Cynaeafu Organau");
	assert_string_equal(label_exploitation_join(0, LABEL_WELSH, buf),
	                    "Heb ei nodi neu anhysbys");
}

static void test_welsh_labels(void **state)
{
	(void)state;
	assert_string_equal(label_exploitation(NRM_EXPL_CRIMINAL, LABEL_WELSH), "Troseddol");
	assert_string_equal(label_exploitation(NRM_EXPL_DOMESTIC, LABEL_WELSH), "Domestig");
	assert_string_equal(label_exploitation(NRM_EXPL_LABOUR, LABEL_WELSH), "Llafur");
	assert_string_equal(label_exploitation(NRM_EXPL_SEXUAL, LABEL_WELSH), "Rhywiol");
	assert_string_equal(label_of(LABEL_GENDER, NRM_GENDER_FEMALE, LABEL_WELSH), "Benyw");
	assert_string_equal(label_of(LABEL_GENDER, NRM_GENDER_MALE, LABEL_WELSH), "Gwryw");
	assert_string_equal(label_of(LABEL_LOCATION, NRM_LOC_UK_AND_OVERSEAS, LABEL_WELSH),
	                    "DU a Thramor");
	assert_string_equal(label_of(LABEL_RG_OUTCOME, NRM_OUTCOME_POSITIVE, LABEL_WELSH),
	                    "Sail resymol gadarnhaol");
	assert_string_equal(label_of(LABEL_STATUS, NRM_STATUS_WITHDRAWN, LABEL_WELSH),
	                    "Wedi'i dynnu'n ôl");
	assert_string_equal(label_of(LABEL_YES_NO, NRM_YES, LABEL_WELSH), "Ie");
	assert_null(label_of(LABEL_YES_NO, NRM_UNKNOWN, LABEL_WELSH));
}

/* Every label reads back as the value it was written for. */
static void test_labels_parse_back(void **state)
{
	(void)state;
	static const struct {
		int kind, count;
	} kinds[] = {
		{LABEL_FIRST_RESPONDER, 5}, {LABEL_GENDER, 4}, {LABEL_LOCATION, 4},
		{LABEL_DECISION_MAKER, 4}, {LABEL_STATUS, 3}, {LABEL_RG_OUTCOME, 3},
		{LABEL_CG_OUTCOME, 3},
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (int32_t v = 0; v < kinds[k].count; v++) {
			const char *label = label_of(kinds[k].kind, v, LABEL_ENGLISH);
			int32_t back = -1;
			if (!label)
				continue;
			assert_true(label_parse(kinds[k].kind, label, &back));
			assert_int_equal(back, v);
		}
	}
	for (const uint32_t *bit = label_exploitation_order; *bit; bit++) {
		uint32_t back = 0;
		assert_true(label_parse_exploitation(label_exploitation(*bit, LABEL_ENGLISH), &back));
		assert_int_equal(back, *bit);
	}
	int32_t v;
	assert_false(label_parse(LABEL_GENDER, "female", &v)); /* exactly, case included */
	assert_false(label_parse(LABEL_RG_OUTCOME, "Positive", &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_plain_fields_are_not_quoted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_quotes_what_rfc4180_needs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_formula_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_formula_guard_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_typed_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csv_header_starts_with_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_string_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_label, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_exploitation_labels, setup, teardown),
		cmocka_unit_test(test_home_office_labels_exactly),
		cmocka_unit_test(test_joins_as_the_home_office_does),
		cmocka_unit_test(test_welsh_labels),
		cmocka_unit_test(test_labels_parse_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

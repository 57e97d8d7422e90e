/*
 * Unit tests of hub/json_schema.c, keyword by keyword, with the verdicts
 * draft 2020-12 gives (tests/e2e/return_schema_agreement.sh checks the same
 * against python3-jsonschema on whole returns); then the schemas it must
 * refuse, and the built-in return schema against the hand-worked returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "json_schema.h"
#include "return_schema.h"
#include "util.h"

static struct nrm_json_schema *load(const char *text)
{
	struct nrm_error err;
	struct nrm_json_schema *s = nrm_json_schema_parse(text, strlen(text), "t.json", &err);
	if (!s)
		fail_msg("schema refused: %s", err.msg);
	return s;
}

/* 0 valid, -1 invalid; the message, when invalid, goes to *msg. */
static int verdict(const char *schema, const char *instance, char *msg)
{
	struct nrm_json_schema *s = load(schema);
	json_error_t jerr;
	json_t *v = json_loads(instance, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (!v)
		fail_msg("bad test instance %s: %s", instance, jerr.text);
	struct nrm_error err;
	int rc = nrm_json_schema_validate(s, v, &err);
	if (rc != 0 && msg)
		strcpy(msg, err.msg);
	json_decref(v);
	nrm_json_schema_free(s);
	return rc;
}

#define VALID(schema, instance) assert_int_equal(verdict(schema, instance, NULL), 0)
#define INVALID(schema, instance) assert_int_equal(verdict(schema, instance, NULL), -1)

static void test_type(void **state)
{
	VALID("{\"type\": \"integer\"}", "3");
	VALID("{\"type\": \"integer\"}", "3.0");  /* a number with no fraction is an integer */
	INVALID("{\"type\": \"integer\"}", "3.5");
	INVALID("{\"type\": \"integer\"}", "\"3\"");
	VALID("{\"type\": \"number\"}", "3");
	VALID("{\"type\": [\"number\", \"null\"]}", "null");
	INVALID("{\"type\": [\"number\", \"null\"]}", "false");
	VALID("{\"type\": \"boolean\"}", "true");
	VALID("{\"type\": \"array\"}", "[]");
	INVALID("{\"type\": \"object\"}", "[]");
	VALID("true", "{\"anything\": 1}");
	INVALID("false", "1");
}

static void test_objects(void **state)
{
	static const char schema[] =
		"{\"type\": \"object\", \"required\": [\"a\"], \"additionalProperties\": false,"
		" \"properties\": {\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"string\"}}}";
	VALID(schema, "{\"a\": 1}");
	VALID(schema, "{\"a\": 1, \"b\": \"x\"}");
	INVALID(schema, "{\"b\": \"x\"}");
	INVALID(schema, "{\"a\": 1, \"c\": 2}");
	INVALID(schema, "{\"a\": \"1\"}");
	static const char map[] =
		"{\"type\": \"object\", \"propertyNames\": {\"pattern\": \"^[A-Z]{2}$\"},"
		" \"additionalProperties\": {\"type\": \"integer\", \"minimum\": 0}}";
	VALID(map, "{\"GB\": 1, \"VN\": 0}");
	INVALID(map, "{\"gb\": 1}");
	INVALID(map, "{\"GB\": -1}");
	VALID("{\"propertyNames\": {\"enum\": [\"Sexual & Criminal\"]}}", "{\"Sexual & Criminal\": 1}");
	INVALID("{\"propertyNames\": {\"enum\": [\"Sexual & Criminal\"]}}", "{\"Criminal\": 1}");
}

static void test_values(void **state)
{
	VALID("{\"enum\": [1, \"a\", null]}", "1.0");  /* 1 and 1.0 are equal */
	VALID("{\"enum\": [1, \"a\", null]}", "null");
	INVALID("{\"enum\": [1, \"a\", null]}", "\"b\"");
	INVALID("{\"enum\": [1]}", "true");
	VALID("{\"const\": \"[c]\"}", "\"[c]\"");
	INVALID("{\"const\": \"[c]\"}", "\"[C]\"");
	VALID("{\"const\": {\"a\": [1, 2]}}", "{\"a\": [1.0, 2]}");
	INVALID("{\"const\": {\"a\": [1, 2]}}", "{\"a\": [2, 1]}");
	VALID("{\"minimum\": 5, \"maximum\": 10}", "5");
	VALID("{\"minimum\": 5, \"maximum\": 10}", "10.0");
	INVALID("{\"minimum\": 5, \"maximum\": 10}", "4.999");
	INVALID("{\"minimum\": 5, \"maximum\": 10}", "11");
	VALID("{\"minimum\": 5}", "\"not a number: minimum does not apply\"");
}

static void test_strings(void **state)
{
	static const char date[] = "{\"type\": \"string\", \"pattern\": "
	                           "\"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$\"}";
	VALID(date, "\"2024-02-29\"");
	INVALID(date, "\"2024-13-01\"");
	INVALID(date, "\"2024-02-29 \"");
	VALID("{\"pattern\": \"Q[1-4]\"}", "\"x2025Q1y\"");  /* unanchored: a search */
	INVALID("{\"pattern\": \"^a$\"}", "\"a\\u0000b\"");    /* a NUL never matches */
	INVALID("{\"pattern\": \"^a\"}", "\"a\\u0000\"");
	VALID("{\"pattern\": \"^\\\\[c\\\\]$\"}", "\"[c]\"");
	VALID("{\"minLength\": 1, \"maxLength\": 2}", "\"\\u00e9\\u00e9\"");  /* 2 code points */
	INVALID("{\"minLength\": 1}", "\"\"");
	INVALID("{\"maxLength\": 2}", "\"abc\"");
}

static void test_arrays(void **state)
{
	static const char schema[] = "{\"type\": \"array\", \"minItems\": 2, \"maxItems\": 3,"
	                             " \"items\": {\"type\": \"integer\"}}";
	VALID(schema, "[1, 2]");
	VALID(schema, "[1, 2, 3]");
	INVALID(schema, "[1]");
	INVALID(schema, "[1, 2, 3, 4]");
	INVALID(schema, "[1, \"2\"]");
}

static void test_choices_and_refs(void **state)
{
	static const char count[] =
		"{\"$defs\": {\"n\": {\"type\": \"integer\", \"minimum\": 0}},"
		" \"anyOf\": [{\"const\": 0}, {\"$ref\": \"#/$defs/n\", \"minimum\": 5},"
		" {\"const\": \"[c]\"}]}";
	VALID(count, "0");
	VALID(count, "5");
	VALID(count, "\"[c]\"");
	INVALID(count, "3");
	INVALID(count, "\"[x]\"");
	static const char one[] = "{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}";
	VALID(one, "1");
	VALID(one, "2.5");
	INVALID(one, "3");  /* both match */
	VALID("{\"definitions\": {\"s\": {\"type\": \"string\"}}, \"$ref\": \"#/definitions/s\"}",
	      "\"x\"");
	static const char tree[] = "{\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}";
	VALID(tree, "[[], [[]]]");
	INVALID(tree, "[[], [1]]");
}

static void test_error_names_path_and_rule(void **state)
{
	char msg[1024] = "";
	static const char schema[] =
		"{\"properties\": {\"a\": {\"items\": {\"properties\": {\"b c\": {\"type\": "
		"\"string\"}, \"d\": {\"minimum\": 0}}}}}}";
	assert_int_equal(verdict(schema, "{\"a\": [{}, {\"d\": -1}]}", msg), -1);
	assert_non_null(strstr(msg, "t.json: $.a[1].d: "));
	assert_non_null(strstr(msg, "(minimum)"));
	assert_int_equal(verdict(schema, "{\"a\": [{\"b c\": 1}]}", msg), -1);
	assert_non_null(strstr(msg, "$.a[0][\"b c\"]: "));
	assert_non_null(strstr(msg, "(type)"));
}

static void test_deep_documents_stop(void **state)
{
	static const char tree[] = "{\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}";
	size_t depth = 500;
	char *doc = nrm_xmalloc(2 * depth + 1);
	memset(doc, '[', depth);
	memset(doc + depth, ']', depth);
	doc[2 * depth] = '\0';
	INVALID(tree, doc);  /* too deep for the validator, not a crash */
	free(doc);
	/* A reference cycle that consumes nothing ends too. */
	INVALID("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}", "1");
}

static void refused(const char *schema, const char *why)
{
	struct nrm_error err;
	struct nrm_json_schema *s = nrm_json_schema_parse(schema, strlen(schema), "t.json", &err);
	if (s)
		fail_msg("schema accepted: %s", schema);
	assert_int_equal(err.code, EX_DATAERR);
	if (!strstr(err.msg, why))
		fail_msg("'%s' does not say '%s'", err.msg, why);
}

static void test_schema_refusals(void **state)
{
	refused("{\"format\": \"date\"}", "'format'");
	refused("{\"properties\": {\"a\": {\"if\": {}}}}", "'if'");
	refused("{\"patternProperties\": {}}", "'patternProperties'");
	refused("{\"$ref\": \"#/$defs/nowhere\"}", "names no schema");
	refused("{\"$ref\": \"other.json#/x\"}", "names no schema");
	refused("{\"pattern\": \"^\\\\d+$\"}", "read differently");
	refused("{\"pattern\": \"^(?=a)\"}", "read differently");
	refused("{\"pattern\": \"[a-\"}", "does not compile");
	refused("{\"type\": \"float\"}", "unknown type");
	refused("{\"required\": [1]}", "strings");
	refused("{\"minItems\": -1}", ">= 0");
	refused("{\"anyOf\": []}", "non-empty");
	refused("[1]", "object or a boolean");
	refused("{\"a\": 1,", "t.json:1");
}

/* The return schema built into nrmhub accepts the hand-worked returns. */
static void test_return_schema(void **state)
{
	struct nrm_error err;
	struct nrm_json_schema *s = nrm_return_schema_load(&err);
	if (!s)
		fail_msg("%s", err.msg);
	const char *src = getenv("SRCDIR");
	if (!src)
		src = ".";
	static const char *const names[] = {"expected-2024Q1.json", "expected-2024Q2.json",
	                                    "expected-2024Q1-published.json",
	                                    "expected-2024Q2-published.json"};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char *path = nrm_xasprintf("%s/tests/data/returns/%s", src, names[i]);
		json_error_t jerr;
		json_t *doc = json_load_file(path, 0, &jerr);
		if (!doc)
			fail_msg("%s: %s", path, jerr.text);
		if (nrm_json_schema_validate(s, doc, &err) != 0)
			fail_msg("%s: %s", path, err.msg);
		/* An official return with a [c] is not valid, nor a published
		 * one with a count of 3. */
		json_t *ref = json_object_get(doc, "referrals");
		bool published = strstr(names[i], "published") != NULL;
		json_object_set_new(ref, "county_lines",
		                    published ? json_integer(3) : json_string("[c]"));
		assert_int_equal(nrm_json_schema_validate(s, doc, &err), -1);
		assert_non_null(strstr(err.msg, "$.referrals.county_lines"));
		json_decref(doc);
		free(path);
	}
	nrm_json_schema_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type),
		cmocka_unit_test(test_objects),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_arrays),
		cmocka_unit_test(test_choices_and_refs),
		cmocka_unit_test(test_error_names_path_and_rule),
		cmocka_unit_test(test_deep_documents_stop),
		cmocka_unit_test(test_schema_refusals),
		cmocka_unit_test(test_return_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

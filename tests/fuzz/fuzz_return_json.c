/*
 * A return.json, as `return validate`, `return render` and the bundle
 * verifier read it: jansson's parser, the JSON Schema validator
 * (hub/json_schema.c) with schemas/return.schema.json, and for a return the
 * schema accepts, the flattening into tables that every renderer uses; and
 * for any JSON at all, the disclosure audit `return audit` runs (tables,
 * model, LP), which reads a file without the schema in front of it.
 */
// seeds: tests/data/returns/*.json tests/data/bundle/return/return.json tests/data/store/return/*.json tests/data/returns/schema/*
#include "fuzz.h"

#include "json_schema.h"
#include "return_audit.h"
#include "return_schema.h"
#include "return_tables.h"
#include "util.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static struct nrm_json_schema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct nrm_error err;
	schema = nrm_return_schema_load(&err);
	if (!schema) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t jerr;
	json_t *ret = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (!ret)
		return 0;
	struct nrm_error err;
	if (nrm_json_schema_validate(schema, ret, &err) == 0) {
		struct nrm_return_tables t;
		if (nrm_return_tables_build(ret, &t, &err) == 0)
			nrm_return_tables_free(&t);
	}
	struct nrm_return_audit a;
	if (nrm_return_audit(ret, NULL, &a, &err) == 0)
		nrm_return_audit_free(&a);
	json_decref(ret);
	return 0;
}

/*
 * schemas/return.schema.json, built into the program, so return.json is
 * always checked against the schema of the code that wrote it, wherever
 * the program is installed.
 */
#ifndef NRM_RETURN_SCHEMA_H
#define NRM_RETURN_SCHEMA_H

#include <stddef.h>

struct nrm_json_schema;
struct nrm_error;

/* The schema's text, NUL-terminated. */
const char *nrm_return_schema_text(void);
/* The schema, parsed (free with nrm_json_schema_free), or NULL with err. */
struct nrm_json_schema *nrm_return_schema_load(struct nrm_error *err);

#endif

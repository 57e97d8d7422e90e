/*
 * A JSON Schema validator for the subset of draft 2020-12 (and draft-07)
 * that nrmhub's own schemas use: type, properties, required,
 * additionalProperties, propertyNames, enum, const, pattern, minimum,
 * maximum, minLength, maxLength, items, minItems, maxItems, oneOf, anyOf,
 * and $ref to "#", "#/$defs/NAME" or "#/definitions/NAME".  Annotations
 * ($schema, $id, $comment, title, description, default, examples) are
 * ignored.  A schema using any other keyword is refused when it is loaded,
 * so a rule the validator would silently skip cannot creep into a schema.
 *
 * Patterns are ECMA-262 in JSON Schema but are run with POSIX regcomp(), so
 * only the syntax both read the same way is admitted: ASCII literals,
 * bracket expressions, ( ) | ^ $ . * + ? {m,n}, and a backslash before
 * punctuation.  \d, \w, lookarounds and the like are refused at load.
 * A string holding a NUL never matches a pattern.
 */
#ifndef NRM_JSON_SCHEMA_H
#define NRM_JSON_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

struct nrm_error;
struct nrm_json_schema;

/* Parses and checks a schema given as JSON text; `name` is used in messages.
 * NULL with `err` filled (EX_DATAERR for a bad schema). */
struct nrm_json_schema *nrm_json_schema_parse(const char *text, size_t len, const char *name,
                                              struct nrm_error *err);
/* 0 when `instance` is valid; otherwise -1 and `err` (EX_DATAERR) says where
 * (a JSON path such as $.referrals.by_gender.female) and which rule. */
int nrm_json_schema_validate(const struct nrm_json_schema *s, json_t *instance,
                             struct nrm_error *err);
void nrm_json_schema_free(struct nrm_json_schema *s);

#endif

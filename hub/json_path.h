/*
 * The JSON paths the tables name figures by ("$.referrals.total",
 * "$.trend[7].referrals", "$.referrals.by_exploitation_combination[\"Labour
 * & Criminal\"]"), resolved in a document to change the figure.
 */
#ifndef NRM_JSON_PATH_H
#define NRM_JSON_PATH_H

#include <jansson.h>

/* Replaces the value at `path` with `value` (a new reference, always
 * consumed).  0, or -1 when the path is malformed or names nothing. */
int nrm_json_path_set(json_t *root, const char *path, json_t *value);
/* The value at `path` (borrowed), or NULL when it names nothing. */
json_t *nrm_json_path_get(const json_t *root, const char *path);

#endif

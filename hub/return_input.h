/*
 * A return read for comparing (`return diff`) from whatever holds one: a
 * return folder (DIR/return.json, as `return build -o DIR` writes), a
 * return.json itself, or a bundle (SITE_QUARTER_SEQ.tar.gz, as `bundle
 * create` writes), whose data/return.json is read in memory.  A bundle's
 * signature is not checked: the figures are compared, not trusted; but a
 * damaged archive is refused.  Whatever holds it, the return must pass
 * schemas/return.schema.json and flatten into its tables.
 */
#ifndef NRM_RETURN_INPUT_H
#define NRM_RETURN_INPUT_H

#include "return_tables.h"

#include <jansson.h>

struct nrm_error;

struct nrm_return_input {
	json_t *json;                  /* return.json */
	struct nrm_return_tables tables;
};

/* 0 with `in` filled; else -1 with err naming `path` (and, for a bundle,
 * the member) and the rule broken: EX_NOINPUT for a path that is not
 * there or a folder with no return.json, EX_DATAERR for a damaged
 * archive, JSON that is not, or a return that breaks its schema. */
int nrm_return_input_open(const char *path, struct nrm_return_input *in,
                          struct nrm_error *err);
void nrm_return_input_close(struct nrm_return_input *in);

#endif

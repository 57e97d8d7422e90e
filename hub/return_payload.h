/*
 * A return folder's one defined set of files.  return.json lists them in
 * its `files` member (name and role, formats/return.md); `return build`
 * writes exactly that set, `bundle create` packs exactly it, and
 * `bundle verify` and `intake` accept a bag only when its payload is it.
 *
 * Whatever the list says, a file that is a secret or a store (a minisign
 * secret key, a pseudonym key, an SQLite database) is never a payload file.
 */
#ifndef NRM_RETURN_PAYLOAD_H
#define NRM_RETURN_PAYLOAD_H

#include <jansson.h>
#include <stddef.h>

struct nrm_error;

/* The `files` member for `ret` (a return without it): every output that
 * return_render_all writes, cases.csv for the official audience, and
 * return.json itself.  NULL with `err` filled when the tables cannot be
 * drawn from `ret`. */
json_t *nrm_return_files_json(const json_t *ret, struct nrm_error *err);

/* One payload file as a bag or a folder holds it: its name inside the
 * payload ("table_1.csv"), and its bytes when they were read (NULL when
 * only hashed: then only its name is judged). */
struct nrm_payload_file {
	const char *name;
	const char *content;
	size_t size;
	int is_dir;
};

/* 0 when `files` (n of them) is exactly the set `ret` lists and no file is
 * a secret or a store; else -1 with `err` (EX_DATAERR) naming `where`, the
 * file and the rule. */
int nrm_return_payload_check(const json_t *ret, const struct nrm_payload_file *files, size_t n,
                             const char *where, struct nrm_error *err);

/* 0 when the files of the set that are drawn from return.json hold exactly
 * what the writers draw from it (the same code, return_tables.c and its
 * writers): each table's CSV, notes.csv, csv-metadata.json and
 * return.sdmx.csv, and $.files is the list those tables give.  Else -1
 * with `err` (EX_DATAERR) naming the file, line, column and both values.
 * Needs every file's whole content; call after nrm_return_payload_check. */
int nrm_return_payload_agrees(const json_t *ret, const struct nrm_payload_file *files, size_t n,
                              const char *where, struct nrm_error *err);

/* NULL when the first bytes `head` (len of them) of the file `name` may be
 * in a payload, else what the file is ("an SQLite database"). */
const char *nrm_payload_secret_kind(const char *name, const char *head, size_t len);

#endif

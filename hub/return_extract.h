/*
 * cases.csv: the official return's record-level extract, one row per case
 * that appears in the quarter's tables, so the receiver can compute exact
 * national medians across sites.  No names, dates of birth or case ids: a
 * keyed pseudonym stands for the case.  Columns: formats/return.md.
 */
#ifndef NRM_RETURN_EXTRACT_H
#define NRM_RETURN_EXTRACT_H

#include "atomic_file.h"
#include "pseudonym.h"

#include <nrmhub/plugin.h>

struct nrm_error;

struct nrm_extract {
	struct nrm_atomic_file file;
	struct nrm_pseudonymiser pseudonyms;
	char *buf;
	size_t len, cap;
	int failed;  /* a sysexits.h code once a write has failed */
	char *path;
};

/* cases.csv's header row, CRLF included: its columns' one description,
 * which csv-metadata.json describes too (return_csv.c). */
extern const char nrm_extract_header[];

/* Creates `path` atomically (mode 0600) and writes the header row. */
int nrm_extract_open(struct nrm_extract *x, const char *path, struct nrm_error *err);
/* The site secret the pseudonyms are made with; set before the first row
 * (it is read only once a row is due, so an extract with no rows needs
 * no key). */
void nrm_extract_set_key(struct nrm_extract *x, const unsigned char key[NRM_PSEUDONYM_KEY_BYTES]);
/* Writes one case's row. */
int nrm_extract_add(struct nrm_extract *x, const struct nrm_case *c, struct nrm_error *err);
/* Puts the file in place; or, on abort, removes it. */
int nrm_extract_commit(struct nrm_extract *x, struct nrm_error *err);
void nrm_extract_abort(struct nrm_extract *x);

#endif

/*
 * The access log (schema 6, store_access.c): every command that reads
 * cases out of the store for a person or a file (`cases show`, `export`,
 * the record-level extract of an official return) records when, which OS
 * user, which command, and which cases, by keyed pseudonym, never by id:
 * a site can answer "who looked at or exported this child's record?"
 * (`nrmhub audit log`).  A command whose access cannot be recorded fails
 * before anything it read is shown or put in place.
 *
 * Pseudonyms are made with each case's site key: --key when a command is
 * given one, else the site configuration's keys.pseudonym_key for that
 * site's cases (nrm_site_access_key), else SITE.pseudonym.key beside the
 * store (nrm_pseudonym_key_of_store), made on first use as `return build`
 * does: the same pseudonyms as that site's returns and erasures.
 * They are kept as 32 bytes each, in one BLOB per entry.
 */
#ifndef NRM_ACCESS_LOG_H
#define NRM_ACCESS_LOG_H

#include "pseudonym.h"
#include "util.h"

#include <nrmhub/plugin.h>

#include <jansson.h>
#include <stdint.h>

struct store;
struct access_key;

/* The cases one command read, collected as it reads them. */
struct nrm_access {
	const char *store_path;  /* where the keys are by default */
	const char *key_path;    /* the key of key_site's cases; NULL: beside the store */
	const char *key_site;    /* NULL: key_path is every site's */
	struct access_key *keys;
	size_t n_keys;
	unsigned char *pseudonyms;  /* 32 bytes a case */
	size_t len, cap;
	int64_t count;
};

void nrm_access_init(struct nrm_access *a, const char *store_path);
/* Pseudonymises `site`'s cases (NULL: every site's) with the key in
 * `key_path` (NULL: none given); both kept by reference. */
void nrm_access_use_key(struct nrm_access *a, const char *site, const char *key_path);
/* Adds one case; 0, or -1 with err (its site's key cannot be had). */
int nrm_access_add(struct nrm_access *a, const struct nrm_case *c, struct nrm_error *err);
/* Writes the entry: `command` as the user would type it ("cases show",
 * "export --to case-jsonl"), `site` the one asked for or NULL.  0 or -1
 * (store_error). */
int nrm_access_record(struct store *s, const struct nrm_access *a, const char *command,
                      const char *site, int64_t now);
void nrm_access_free(struct nrm_access *a);

/* The effective user's login name, or "uid N" when it has none.  Allocated. */
char *nrm_os_user(void);

/* The entries at or after `since`, oldest first, as a JSON list of
 * {time, user, command, site, cases, pseudonyms: [hex...]}; caller decrefs.
 * NULL on failure. */
json_t *store_access_log(struct store *s, int64_t since);

#endif

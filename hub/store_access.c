/*
 * The access log (access_log.h).
 */
#include "access_log.h"

#include "store_internal.h"

#include <pwd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define PSEUDONYM_BYTES (NRM_PSEUDONYM_HEX / 2)

struct access_key {
	char *site;
	struct nrm_pseudonymiser p;
};

void nrm_access_init(struct nrm_access *a, const char *store_path)
{
	memset(a, 0, sizeof(*a));
	a->store_path = store_path;
}

void nrm_access_use_key(struct nrm_access *a, const char *site, const char *key_path)
{
	a->key_site = site;
	a->key_path = key_path;
}

/* The site's pseudonymiser, its key loaded on the site's first case. */
static const struct nrm_pseudonymiser *key_for(struct nrm_access *a, const char *site,
                                               struct nrm_error *err)
{
	for (size_t i = 0; i < a->n_keys; i++)
		if (strcmp(a->keys[i].site, site) == 0)
			return &a->keys[i].p;
	char *path = NULL;
	if (a->key_path && (!a->key_site || strcmp(a->key_site, site) == 0))
		path = nrm_xstrdup(a->key_path);
	else if (nrm_pseudonym_key_of_store(a->store_path, site, &path, err) != 0)
		return NULL;
	unsigned char key[NRM_PSEUDONYM_KEY_BYTES];
	int rc = nrm_pseudonym_key_load(path, true, key, err);
	free(path);
	if (rc != 0)
		return NULL;
	a->keys = nrm_xrealloc(a->keys, (a->n_keys + 1) * sizeof(*a->keys));
	struct access_key *k = &a->keys[a->n_keys++];
	k->site = nrm_xstrdup(site);
	nrm_pseudonymiser_init(&k->p, key);
	sodium_memzero(key, sizeof(key));
	return &k->p;
}

int nrm_access_add(struct nrm_access *a, const struct nrm_case *c, struct nrm_error *err)
{
	const struct nrm_pseudonymiser *p = key_for(a, c->site, err);
	if (!p)
		return -1;
	char hex[NRM_PSEUDONYM_HEX + 1];
	nrm_pseudonymise(p, c->case_id, hex);
	if (a->len + PSEUDONYM_BYTES > a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64 * PSEUDONYM_BYTES;
		a->pseudonyms = nrm_xrealloc(a->pseudonyms, a->cap);
	}
	sodium_hex2bin(a->pseudonyms + a->len, PSEUDONYM_BYTES, hex, NRM_PSEUDONYM_HEX, NULL,
	               NULL, NULL);
	a->len += PSEUDONYM_BYTES;
	a->count++;
	return 0;
}

char *nrm_os_user(void)
{
	uid_t uid = geteuid();
	struct passwd *pw = getpwuid(uid);
	if (pw && pw->pw_name && *pw->pw_name)
		return nrm_xstrdup(pw->pw_name);
	return nrm_xasprintf("uid %lu", (unsigned long)uid);
}

int nrm_access_record(struct store *s, const struct nrm_access *a, const char *command,
                      const char *site, int64_t now)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO access_log (time, os_user, command, site, "
	                       "cases, pseudonyms) VALUES (?, ?, ?, ?, ?, ?)", -1, &st,
	                       NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot record the access");
	char *user = nrm_os_user();
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, command, -1, SQLITE_STATIC);
	if (site)
		sqlite3_bind_text(st, 4, site, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, a->count);
	sqlite3_bind_blob(st, 6, a->len ? (const void *)a->pseudonyms : "", (int)a->len,
	                  SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(user);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, "cannot record the access");
}

void nrm_access_free(struct nrm_access *a)
{
	for (size_t i = 0; i < a->n_keys; i++) {
		nrm_pseudonymiser_clear(&a->keys[i].p);
		free(a->keys[i].site);
	}
	free(a->keys);
	free(a->pseudonyms);
	memset(a, 0, sizeof(*a));
}

static json_t *pseudonym_list(const unsigned char *blob, size_t len)
{
	json_t *list = json_array();
	char hex[NRM_PSEUDONYM_HEX + 1];
	for (size_t off = 0; off + PSEUDONYM_BYTES <= len; off += PSEUDONYM_BYTES) {
		sodium_bin2hex(hex, sizeof(hex), blob + off, PSEUDONYM_BYTES);
		json_array_append_new(list, json_string(hex));
	}
	return list;
}

json_t *store_access_log(struct store *s, int64_t since)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "SELECT time, os_user, command, site, cases, pseudonyms "
	                       "FROM access_log WHERE time >= ? ORDER BY id", -1, &st,
	                       NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "cannot read the access log");
		return NULL;
	}
	sqlite3_bind_int64(st, 1, since);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *site = (const char *)sqlite3_column_text(st, 3);
		json_t *p = pseudonym_list(sqlite3_column_blob(st, 5),
		                           (size_t)sqlite3_column_bytes(st, 5));
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:o, s:I, s:o}",
		        "time", (json_int_t)sqlite3_column_int64(st, 0),
		        "user", (const char *)sqlite3_column_text(st, 1),
		        "command", (const char *)sqlite3_column_text(st, 2),
		        "site", site ? json_string(site) : json_null(),
		        "cases", (json_int_t)sqlite3_column_int64(st, 4),
		        "pseudonyms", p));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		store_fail_sqlite(s, "cannot read the access log");
		return NULL;
	}
	return list;
}

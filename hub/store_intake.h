/*
 * The Home Office's side of the store: the sites' signing keys, the bundles
 * accepted from them, and the pseudonymised case rows those bundles carried
 * (tables made by migration 3 in store_schema.c).  Same error rule as
 * store.h: -1 with store_error() filled.
 */
#ifndef NRM_STORE_INTAKE_H
#define NRM_STORE_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* ---- keys ------------------------------------------------------------- */

struct store_key {
	const char *site, *nation, *key_id, *public_key;
	int64_t added_at;
	int64_t revoked_at;  /* 0 when not revoked */
};

/* Registers `k` (revoked_at ignored).  0; 1 when the site already has an
 * unrevoked key (nothing changed); -1. */
int store_key_add(struct store *s, const struct store_key *k);
/* Revokes the site's unrevoked key at `now`.  0; 1 when it has none; -1. */
int store_key_revoke(struct store *s, const char *site, int64_t now);
/* Calls fn for every key ever registered, by site then age; strings valid
 * during the call only.  0, fn's non-zero value, or -1. */
typedef int (*store_key_fn)(const struct store_key *k, void *ctx);
int store_key_each(struct store *s, store_key_fn fn, void *ctx);
/* The site's newest key (revoked or not) into *out, its strings copied into
 * `buf` (freed by the caller).  0; 1 when the site never had one; -1. */
int store_key_latest(struct store *s, const char *site, struct store_key *out, char **buf);
/* The site of the key with this key_id, or NULL (caller frees). */
char *store_key_owner(struct store *s, const char *key_id);
/* True when the key with this id has been revoked. */
bool store_key_revoked(struct store *s, const char *key_id);

/* ---- bundles ------------------------------------------------------------ */

struct store_intake_bundle {
	int64_t id;
	const char *site, *quarter, *bag, *key_id, *tagmanifest;
	int64_t seq;
	int64_t received_at;
	const char *return_json;
	int n_received;       /* bundles accepted for this site and quarter */
	bool key_revoked;     /* its key has been revoked since */
};

/* The highest accepted seq for (site, quarter) into *seq (0 when none), and
 * the tagmanifest hex of that bundle (caller frees; NULL when none). */
int store_intake_last(struct store *s, const char *site, const char *quarter, int64_t *seq,
                      char **tagmanifest);
/* Records an accepted bundle; *id its row.  0 or -1. */
int store_intake_add(struct store *s, const struct store_intake_bundle *b, int64_t *id);
/* One row of its cases.csv: the 21 values after `pseudonym`, in the column
 * order of formats/return.md (`site` left out: it is the bundle's); NULL or
 * "" for an empty field. */
#define STORE_INTAKE_CASE_VALUES 21
int store_intake_add_case(struct store *s, int64_t bundle, const char *pseudonym,
                          const char *const values[STORE_INTAKE_CASE_VALUES]);
/* The latest accepted bundle (highest seq) of every site for `quarter`, by
 * site.  0, fn's value, or -1. */
typedef int (*store_intake_fn)(const struct store_intake_bundle *b, void *ctx);
int store_intake_each_latest(struct store *s, const char *quarter, store_intake_fn fn,
                             void *ctx);
/* Every bundle accepted of `site`'s `quarter`, by seq (intake keeps each
 * revision).  0, fn's value, or -1. */
int store_intake_each_of(struct store *s, const char *site, const char *quarter,
                         store_intake_fn fn, void *ctx);
/* The case rows of a bundle, values as in store_intake_add_case (NULL when
 * empty).  0, fn's value, or -1. */
typedef int (*store_intake_case_fn)(const char *pseudonym,
                                    const char *const values[STORE_INTAKE_CASE_VALUES],
                                    void *ctx);
int store_intake_each_case(struct store *s, int64_t bundle, store_intake_case_fn fn,
                           void *ctx);

/* ---- moves out of an inbox (intake_move.c) ------------------------------ */

struct store_intake_move {
	char *file;      /* BAG.tar.gz, in the inbox */
	char *dest;      /* relative to the inbox */
	char *reason;    /* a refused bundle's reason; NULL when accepted */
};
/* Records (or replaces) the move of `file` out of `inbox`.  0 or -1. */
int store_intake_move_add(struct store *s, const char *inbox, const struct store_intake_move *m);
/* Forgets it, once done.  0 or -1. */
int store_intake_move_remove(struct store *s, const char *inbox, const char *file);
/* The moves of `inbox` not yet done, by file: *out (free with
 * store_intake_moves_free) and *n.  0 or -1. */
int store_intake_moves(struct store *s, const char *inbox, struct store_intake_move **out,
                       size_t *n);
void store_intake_moves_free(struct store_intake_move *m, size_t n);

#endif

/*
 * Keyed pseudonyms: case identifiers leave the site only as
 * HMAC-SHA256(site secret, case_id), so the receiver can tell two records of
 * one child apart from two children without learning who either is, and no
 * one without the secret can test a guessed case id.
 */
#ifndef NRM_PSEUDONYM_H
#define NRM_PSEUDONYM_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

#define NRM_PSEUDONYM_KEY_BYTES 32
#define NRM_PSEUDONYM_HEX 64  /* characters of a pseudonym */

/*
 * Reads the site's 32-byte secret from `path`.  When the file does not
 * exist and `create` is true, makes a new random one there, mode 0600.  A
 * key readable or writable by group or others, not a regular file, or not
 * exactly 32 bytes is refused (EX_NOPERM or EX_DATAERR), as is a symbolic
 * link.  0, or -1 with `err` filled.
 */
int nrm_pseudonym_key_load(const char *path, bool create,
                           unsigned char key[NRM_PSEUDONYM_KEY_BYTES], struct nrm_error *err);
/*
 * Where the site's key lives when no --key names it: HOME/keys/SITE.pseudonym.key,
 * HOME being the store's folder, in a `keys` folder of mode 0700 made when
 * missing (one that group or others may enter is refused, EX_NOPERM), never
 * among a return's files.  A key at the old place, HOME/SITE.pseudonym.key,
 * is moved there with rename(2), so it is in exactly one of the two places at
 * any time, and `*moved` says so for a one-time notice; keys at both places
 * are refused (EX_CONFIG) rather than one chosen.  `*path` is the caller's.
 */
int nrm_pseudonym_key_place(const char *home, const char *site, char **path, bool *moved,
                            struct nrm_error *err);

/* Writes the pseudonym of `case_id` (64 lower-case hex digits) and a NUL. */
void nrm_pseudonym(const unsigned char key[NRM_PSEUDONYM_KEY_BYTES], const char *case_id,
                   char out[NRM_PSEUDONYM_HEX + 1]);

/* The same with the key's HMAC state prepared once: an extract of many
 * rows then hashes each case id without redoing the key's two blocks. */
struct nrm_pseudonymiser {
	crypto_auth_hmacsha256_state keyed;
};
void nrm_pseudonymiser_init(struct nrm_pseudonymiser *p,
                            const unsigned char key[NRM_PSEUDONYM_KEY_BYTES]);
void nrm_pseudonymise(const struct nrm_pseudonymiser *p, const char *case_id,
                      char out[NRM_PSEUDONYM_HEX + 1]);
/* Wipes the prepared state. */
void nrm_pseudonymiser_clear(struct nrm_pseudonymiser *p);

/* Where a site's key is when no option or configuration names it: the
 * place above with HOME the folder of the store at `store_path`, for
 * `return build` and for the access log and erasure, so that their
 * pseudonyms are those of cases.csv; a moved key is said once as a
 * warning.  A site code that is not a plain word (letters, digits, '-',
 * '_', '.', not starting with '.') is refused, EX_DATAERR. */
int nrm_pseudonym_key_of_store(const char *store_path, const char *site, char **path,
                               struct nrm_error *err);

#endif

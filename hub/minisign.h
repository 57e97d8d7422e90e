/*
 * minisign's key and signature files, read and written byte for byte as the
 * stock `minisign` tool does, so that either tool can use the other's keys
 * and check the other's signatures.  Only the hashed algorithm (`ED`:
 * Ed25519 over the BLAKE2b-512 of the file) is ever written or accepted; the
 * legacy `Ed` signature, which signs the whole file, is refused.
 *
 * Public key file:   "untrusted comment: ...\n" base64("Ed" keynum[8] pk[32]) "\n"
 * Secret key file:   "untrusted comment: ...\n" base64(158-byte block) "\n"
 * Signature file:    "untrusted comment: ...\n" base64("ED" keynum[8] sig[64]) "\n"
 *                    "trusted comment: TEXT\n"  base64(global_sig[64]) "\n"
 * where global_sig signs sig[64] followed by TEXT.  formats/bundle.md has
 * the details.
 */
#ifndef NRM_MINISIGN_H
#define NRM_MINISIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;

#define NRM_MS_KEYNUM_BYTES 8
#define NRM_MS_PK_BYTES 32
#define NRM_MS_SK_BYTES 64
#define NRM_MS_SIG_BYTES 64
#define NRM_MS_HASH_BYTES 64 /* BLAKE2b-512 of the signed file */
/* minisign's own limits: a trusted comment up to 8191 bytes, a password up
 * to 1023. */
#define NRM_MS_TRUSTED_COMMENT_MAX 8191
#define NRM_MS_PASSWORD_MAX 1023

struct nrm_ms_pubkey {
	uint8_t keynum[NRM_MS_KEYNUM_BYTES];
	uint8_t pk[NRM_MS_PK_BYTES];
};

struct nrm_ms_seckey {
	uint8_t keynum[NRM_MS_KEYNUM_BYTES];
	uint8_t sk[NRM_MS_SK_BYTES]; /* libsodium's: seed then public key */
};

struct nrm_ms_signature {
	uint8_t keynum[NRM_MS_KEYNUM_BYTES];
	uint8_t sig[NRM_MS_SIG_BYTES];
	char *trusted_comment; /* without its "trusted comment: " prefix */
	size_t trusted_comment_len;
	uint8_t global_sig[NRM_MS_SIG_BYTES];
};

/* The key id as minisign prints it: 16 upper-case hex digits of the key
 * number read as a little-endian integer. */
void nrm_ms_keyid(const uint8_t keynum[NRM_MS_KEYNUM_BYTES], char out[17]);

/* A new random key pair. */
void nrm_ms_keypair(struct nrm_ms_pubkey *pub, struct nrm_ms_seckey *sec);

/* The text of a public key file.  Caller frees. */
char *nrm_ms_pubkey_format(const struct nrm_ms_pubkey *pub);
/* Parses a public key file's text; `name` is used in messages.  EX_DATAERR
 * on anything but a well-formed `Ed` key. */
int nrm_ms_pubkey_parse(const char *text, size_t len, const char *name,
                        struct nrm_ms_pubkey *pub, struct nrm_error *err);
/* Reads and parses a public key file (EX_NOINPUT when it cannot be read). */
int nrm_ms_pubkey_load(const char *path, struct nrm_ms_pubkey *pub, struct nrm_error *err);

/* The text of a secret key file: unencrypted when `password` is NULL, else
 * encrypted with scrypt under minisign's own cost parameters.  The
 * checksum is always filled in.  Caller frees (with nrm_ms_free_secret). */
char *nrm_ms_seckey_format(const struct nrm_ms_seckey *sec, const char *password,
                           size_t password_len, struct nrm_error *err);
/* Parses a secret key file's text, decrypting it with `password` when it is
 * encrypted.  EX_NOPERM when a password is needed and missing or wrong. */
int nrm_ms_seckey_parse(const char *text, size_t len, const char *name,
                        const char *password, size_t password_len,
                        struct nrm_ms_seckey *sec, struct nrm_error *err);
/* Reads a secret key file, refusing one that group or others can read
 * (EX_NOPERM, saying to chmod 600 it), then parses it. */
int nrm_ms_seckey_load(const char *path, const char *password, size_t password_len,
                       struct nrm_ms_seckey *sec, struct nrm_error *err);
/* Reads a password from the first line of a file (without its line end).
 * Caller frees with nrm_ms_free_secret. */
int nrm_ms_password_load(const char *path, char **password, size_t *len,
                         struct nrm_error *err);
/* Wipes and frees a string that held a secret. */
void nrm_ms_free_secret(char *s);

/* The BLAKE2b-512 a signature covers, of a buffer. */
void nrm_ms_hash(const void *data, size_t len, uint8_t out[NRM_MS_HASH_BYTES]);

/* The text of a signature file for a file whose BLAKE2b-512 is `hash`.
 * `trusted_comment` must be one line of at most NRM_MS_TRUSTED_COMMENT_MAX
 * bytes.  Caller frees. */
char *nrm_ms_sign(const struct nrm_ms_seckey *sec, const uint8_t hash[NRM_MS_HASH_BYTES],
                  const char *untrusted_comment, const char *trusted_comment);

/* Parses a signature file's text strictly: exactly four lines, LF endings,
 * the `ED` algorithm.  EX_NOPERM on any fault (a signature that cannot be
 * read proves nothing). */
int nrm_ms_signature_parse(const char *text, size_t len, const char *name,
                           struct nrm_ms_signature *sig, struct nrm_error *err);
void nrm_ms_signature_free(struct nrm_ms_signature *sig);

/* Checks the file signature over `hash` and the global signature over the
 * trusted comment, with `pub`, whose key id must match.  EX_NOPERM. */
int nrm_ms_verify(const struct nrm_ms_signature *sig, const struct nrm_ms_pubkey *pub,
                  const uint8_t hash[NRM_MS_HASH_BYTES], const char *name,
                  struct nrm_error *err);

/* Reads a whole small file (at most `max` bytes) into a NUL-terminated
 * buffer.  EX_NOINPUT when it cannot be opened, EX_DATAERR when too big. */
int nrm_ms_read_file(const char *path, size_t max, char **out, size_t *len,
                     struct nrm_error *err);

#endif

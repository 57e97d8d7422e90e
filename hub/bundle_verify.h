/*
 * Verifies a signed bundle without trusting any of it, in five steps, and
 * stops at the first failure:
 *   1. the signature file parses, is `ED`, is made with the key registered
 *      for the site its trusted comment names, and both signatures check;
 *   2. the trusted comment is well-formed and names the archive's bag;
 *   3. the archive, read in memory with only the gzip and tar readers, holds
 *      only regular files (and their folders) under BAG/, safely named, each
 *      once, within the limits below;
 *   4. the bag is complete and valid, and its tag manifest is the one the
 *      trusted comment names;
 *   5. data/return.json is a return for the same site and quarter (and
 *      the audience bag-info.txt names, when it names one).
 * Nothing is ever written to disk.
 */
#ifndef NRM_BUNDLE_VERIFY_H
#define NRM_BUNDLE_VERIFY_H

#include "bundle.h"
#include "minisign.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;

struct nrm_verify_limits {
	uint64_t max_archive_bytes; /* the .tar.gz itself */
	uint64_t max_entries;
	uint64_t max_file_bytes;    /* one entry, uncompressed */
	uint64_t max_total_bytes;   /* all entries, uncompressed */
	uint64_t max_ratio;         /* uncompressed : compressed ... */
	uint64_t ratio_floor_bytes; /* ... once this much has been inflated */
	uint64_t max_tag_file_bytes;
	uint64_t max_return_bytes;  /* data/return.json */
};

extern const struct nrm_verify_limits nrm_verify_default_limits;

/* Where the verifier finds the key registered for a site: a folder of
 * SITE.pub files (`bundle verify --keys DIR`) or the intake store's keys
 * table (`intake`).  `lookup` fills *pub with the site's key, or fails with
 * err filled (the message says why: no key, revoked); `owner` names the site
 * whose key has `keynum` (caller frees), or NULL, for a message that says
 * whose key signed. */
struct nrm_key_source {
	int (*lookup)(void *ctx, const char *site, struct nrm_ms_pubkey *pub,
	              struct nrm_error *err);
	char *(*owner)(void *ctx, const uint8_t keynum[8]);
	void *ctx;
};

struct nrm_verify_result {
	int failed_step; /* 0 when valid, else the step that refused (1 to 5) */
	struct nrm_bundle_id id;
	char key_id[17];
	uint64_t payload_files;
	uint64_t payload_bytes;
	json_t *return_json; /* data/return.json, when step 5 was reached */
	char *cases_csv;     /* data/cases.csv's bytes (NUL-terminated), when the
	                        bag holds one and step 5 passed; else NULL */
	size_t cases_csv_len;
	char audience[16];   /* bag-info.txt's Audience ("official" or "published"),
	                        "" in a bag made before it was written */
};

/* Verifies `archive` against `signature` with the keys in `keys_dir` (one
 * SITE.pub per site).  0 when valid; else -1 with err->code EX_NOPERM (a
 * signature or key failure), EX_DATAERR (a bad bag or archive), or
 * EX_NOINPUT / EX_IOERR when the archive cannot be read. */
int nrm_bundle_verify(const char *archive, const char *signature, const char *keys_dir,
                      const struct nrm_verify_limits *limits,
                      struct nrm_verify_result *res, struct nrm_error *err);
/* The same five steps, with the key from `keys`. */
int nrm_bundle_verify_keys(const char *archive, const char *signature,
                           const struct nrm_key_source *keys,
                           const struct nrm_verify_limits *limits,
                           struct nrm_verify_result *res, struct nrm_error *err);
void nrm_verify_result_free(struct nrm_verify_result *res);

/* Steps 3 to 5 alone, over an archive already in memory, as if steps 1 and
 * 2 had passed for `id` (its site, quarter and bag) and named whatever
 * tagmanifest-sha512.txt the archive holds.  For the fuzz target
 * (tests/fuzz/fuzz_bundle_archive.c), which cannot forge signatures: never
 * use it to accept a bundle. */
int nrm_bundle_verify_contents(const void *archive, size_t len, const struct nrm_bundle_id *id,
                               const struct nrm_verify_limits *limits,
                               struct nrm_verify_result *res, struct nrm_error *err);

#endif

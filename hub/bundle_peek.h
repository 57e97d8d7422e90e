/*
 * One file of a bundle the site made itself, read out of its .tar.gz in
 * memory (never extracted): its bag-info.txt, to tell a delivery target
 * which audience it is for, or its data/return.json, to compare a held
 * return with the one sent before, or two returns' figures (`return
 * diff`).  No signature is checked: this is not
 * verification (bundle_verify.h), only a look at the site's own outbox.
 */
#ifndef NRM_BUNDLE_PEEK_H
#define NRM_BUNDLE_PEEK_H

#include <stddef.h>

struct nrm_error;

/* Reads BAG/`member` (e.g. "bag-info.txt", "data/return.json") of the
 * bundle at `path` when it is at most `max` bytes.  0 with *out
 * (NUL-terminated; caller frees) and *len; 1 when the bundle has no such
 * member; -1 with err (EX_NOINPUT unreadable, EX_DATAERR not a gzip'd tar
 * or the member larger than `max`). */
int nrm_bundle_peek(const char *path, const char *member, size_t max, char **out, size_t *len,
                    struct nrm_error *err);

/* nrm_bundle_peek, reading the archive to its end and its gzip member
 * whole (CRC and length checked, nothing after it): a bundle damaged
 * anywhere (truncated, corrupt, with bytes appended), or with a second
 * BAG/`member`, is refused (EX_DATAERR) though the member itself could be
 * read.  For a reader that
 * takes the member as the bundle's content (`return diff`). */
int nrm_bundle_read_member(const char *path, const char *member, size_t max, char **out,
                           size_t *len, struct nrm_error *err);

/* The audience of the bundle at `path`, or of the bundle a signature
 * (BUNDLE.tar.gz.minisig) signs: bag-info.txt's Audience, else (a bundle
 * made before bag-info.txt said it) data/return.json's $.audience.  0 with
 * audience[16] "official" or "published", or -1 with err saying why it
 * cannot be told (not a bundle, no such file; the caller names the file). */
int nrm_bundle_audience(const char *path, char audience[16], struct nrm_error *err);

#endif

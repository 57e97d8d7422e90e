/*
 * Packs a bag as a reproducible .tar.gz: entries in byte order of their
 * paths, ustar headers (no atime or ctime), files 0644 and folders 0755
 * owned by root (uid and gid 0), every time the bag's fixed time, and a
 * gzip header without a time stamp or file name.  The same payload, bag
 * name and time give the same bytes.
 */
#ifndef NRM_BUNDLE_PACK_H
#define NRM_BUNDLE_PACK_H

#include "bagit.h"
#include "bundle.h"
#include "minisign.h"

#include <stdint.h>

struct nrm_error;

struct nrm_pack_request {
	const struct nrm_bundle_id *id; /* site and bag name */
	struct nrm_bag_payload *payload; /* each file's sha512 is filled in */
	int64_t mtime;                   /* seconds since the epoch */
	const char *bagging_date;        /* YYYY-MM-DD */
	const struct nrm_bag_extra *extra; /* bag-info.txt beyond BagIt's fields; NULL: none */
	const char *organization; /* Source-Organization: the site's name; NULL: its code */
};

struct nrm_pack_result {
	uint8_t archive_hash[NRM_MS_HASH_BYTES]; /* BLAKE2b-512, for the signature */
	uint8_t tagmanifest_sha512[NRM_BAG_SHA512_BYTES];
	uint64_t archive_bytes;
};

/* Writes the archive to `fd` (named `name` in messages), reading each
 * payload file once: its SHA-512 and the archive's BLAKE2b-512 are taken
 * as the bytes stream past.  A payload file that changes size while it is
 * read is an error (EX_DATAERR); a write error is EX_IOERR. */
int nrm_bundle_pack(const struct nrm_pack_request *req, int fd, const char *name,
                    struct nrm_pack_result *res, struct nrm_error *err);

#endif

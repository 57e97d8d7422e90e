/*
 * BagIt 1.0 (RFC 8493), as nrmhub writes and reads it: the payload under
 * data/, manifest-sha512.txt, tagmanifest-sha512.txt, bagit.txt and
 * bag-info.txt (Source-Organization, External-Identifier, Bagging-Date,
 * Payload-Oxum, then nrmhub's own: Audience, and for a return approved
 * after review Approved-By, Approved-At, Approval-Note; a Forced line for
 * each sanity rule overridden, return_rules.h).  Paths inside a bag are kept to a safe alphabet, so that
 * manifests never need percent-encoding and no name can mean two things.
 */
#ifndef NRM_BAGIT_H
#define NRM_BAGIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;

#define NRM_BAG_SHA512_BYTES 64
/* A ustar header holds a path as a prefix of at most 155 bytes and a name
 * of at most 100, split at a '/'. */
#define NRM_BAG_PATH_MAX 255
#define NRM_BAG_NAME_MAX 100      /* one component */
#define NRM_BAG_FOLDER_PATH_MAX 100 /* a payload file's folders, in the bag */
#define NRM_BAG_DEPTH_MAX 8       /* folders below data/ */
/* Payload files and folders: with the bag's two folders and four tag
 * files, within the verifier's limit of 10,000 entries. */
#define NRM_BAG_PAYLOAD_MAX 9990

/* The exact text of bagit.txt. */
#define NRM_BAGIT_TXT "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

/* One entry of the payload: a file (or, with is_dir, a folder) as found on
 * disk, under its path in the bag ("data/...", folders ending in "/"). */
struct nrm_bag_file {
	char *path;
	char *source;
	uint64_t size;
	bool is_dir;
	uint8_t sha512[NRM_BAG_SHA512_BYTES]; /* filled by whoever reads it */
};

struct nrm_bag_payload {
	struct nrm_bag_file *files; /* sorted by path (byte order) */
	size_t count;
	uint64_t octets;  /* Payload-Oxum */
	uint64_t streams;
};

/* NULL when `path` (relative to the bag's top, e.g. "data/a.csv") may be
 * in a bag, else the rule it breaks: absolute, backslash, "..", an empty or
 * hidden component, a character outside [A-Za-z0-9._+-], a component
 * over 100 bytes, more than 255 bytes in all. */
const char *nrm_bag_path_problem(const char *path, size_t len);

/* Collects every file and folder under `dir` (recursively) as the payload,
 * refusing symlinks, devices, bad names, folder paths over 100 bytes (so
 * that a ustar header holds every path with any bag name), too deep trees
 * and more than NRM_BAG_PAYLOAD_MAX entries (EX_DATAERR). */
int nrm_bag_payload_collect(const char *dir, struct nrm_bag_payload *payload,
                            struct nrm_error *err);
void nrm_bag_payload_free(struct nrm_bag_payload *payload);

/* What bag-info.txt says beyond BagIt's four fields; any may be NULL (or
 * n_forced 0) and is then left out.  Values are one line each (the caller
 * checks text from a person: no control characters). */
struct nrm_bag_extra {
	const char *audience;      /* Audience: official | published */
	const char *data_as_at;    /* Data-As-At: the return's data_as_at, RFC 3339 */
	const char *approved_by;   /* Approved-By: the OS user who approved it */
	const char *approved_at;   /* Approved-At: RFC 3339, UTC */
	const char *approval_note; /* Approval-Note */
	const char *const *forced; /* Forced: one line per rule overridden */
	size_t n_forced;
};

/* The texts of the tag files.  Callers free.  `organization` is
 * Source-Organization (the site's name, or its code: one line, checked by
 * the caller); `date` is YYYY-MM-DD; `extra` may be NULL. */
char *nrm_bag_info_format(const char *organization, const char *bag, const char *date,
                          uint64_t octets, uint64_t streams,
                          const struct nrm_bag_extra *extra);
char *nrm_bag_manifest_format(const struct nrm_bag_payload *payload);

/* A manifest: `digest  path` lines. */
struct nrm_manifest_line {
	char *path;
	uint8_t sha512[NRM_BAG_SHA512_BYTES];
	size_t line;
};
struct nrm_manifest {
	struct nrm_manifest_line *lines;
	size_t count;
};
/* Parses a manifest named `name`: each line a 128-digit lower-case hex
 * SHA-512, one or more spaces or tabs, and a path nrm_bag_path_problem
 * accepts; no path twice.  EX_DATAERR with the line number. */
int nrm_manifest_parse(const char *text, size_t len, const char *name,
                       struct nrm_manifest *m, struct nrm_error *err);
void nrm_manifest_free(struct nrm_manifest *m);

/* bag-info.txt's fields that nrmhub needs (NULL when absent). */
struct nrm_bag_info {
	char *source_organization;
	char *external_identifier;
	char *bagging_date;
	char *payload_oxum;
	char *audience;
	char *approved_by;
	char *approved_at;
	char *approval_note;
	char **forced;   /* every Forced line, in order */
	size_t n_forced;
};
/* Parses bag-info.txt: `Label: value` lines (continuations indented);
 * each label above at most once, except Forced.  EX_DATAERR with the
 * line. */
int nrm_bag_info_parse(const char *text, size_t len, struct nrm_bag_info *info,
                       struct nrm_error *err);
void nrm_bag_info_free(struct nrm_bag_info *info);

#endif

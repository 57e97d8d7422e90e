/*
 * Inside delivery: one attempt by each transport, and the reading of the
 * file being sent (hashed as it goes, so the receipt's SHA-256 is of the
 * bytes that really left).  Not for use outside hub/deliver*.c.
 */
#ifndef NRM_DELIVER_ATTEMPT_H
#define NRM_DELIVER_ATTEMPT_H

#include "deliver.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <sodium.h>

enum nrm_attempt {
	NRM_ATTEMPT_OK,
	NRM_ATTEMPT_TEMPORARY, /* worth retrying */
	NRM_ATTEMPT_REFUSED,   /* not worth retrying */
};

struct nrm_delivery {
	const char *path;      /* the local file */
	const char *name;      /* its base name */
	int fd;
	uint64_t size;
	const struct nrm_deliver_opts *opts;
	struct nrm_receipt *receipt;
	char *target_url;      /* the URL with the file name added for folders */
	char *remote_path;     /* sftp and file: the decoded path on the receiver */
	int refusal_code;      /* sysexits code for a refusal; 0: EX_PROTOCOL */
	bool probe;            /* send nothing: only try the target (nrm_deliver_probe) */
	/* the current attempt's reading */
	crypto_hash_sha256_state hash;
	uint64_t sent;
};

/* Starts reading the file again from its first byte. */
int nrm_delivery_rewind(struct nrm_delivery *d);
/* Reads up to n bytes into buf, hashing them; 0 at the end, -1 on error. */
ssize_t nrm_delivery_read(struct nrm_delivery *d, void *buf, size_t n);
/* Puts the hash and byte count of what was read into the receipt. */
void nrm_delivery_seal(struct nrm_delivery *d);

/* Sets receipt->message (printf-style). */
void nrm_delivery_say(struct nrm_delivery *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

enum nrm_attempt nrm_deliver_https(struct nrm_delivery *d);
enum nrm_attempt nrm_deliver_sftp(struct nrm_delivery *d);
enum nrm_attempt nrm_deliver_drop(struct nrm_delivery *d);

#endif

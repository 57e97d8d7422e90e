/*
 * Delivering one file to a receiver, with libcurl: `https://` (PUT, TLS
 * always verified, optional CA file and client certificate), `sftp://`
 * (public key authentication, known_hosts always checked; uploaded under a
 * temporary name and renamed), `file://` (a drop folder: written under a
 * temporary name in the folder, synced, renamed).  A URL whose path ends in
 * '/' names a folder, and the file keeps its own name there.
 *
 * Temporary failures (the receiver down or busy, HTTP 5xx, 408, 429) are
 * retried within the call with backoff; what still fails is "pending" and
 * the caller tries again on a later run.  Failures a retry cannot mend (a
 * certificate or host key that does not verify, HTTP 4xx, a login refused)
 * are "refused": they need a person.
 */
#ifndef NRM_DELIVER_H
#define NRM_DELIVER_H

#include "deliver_retry.h"

#include <stdint.h>
#include <time.h>

#include <jansson.h>

struct nrm_error;

struct nrm_deliver_opts {
	const char *ca_file;      /* https: trust these CAs instead of the system's */
	const char *cert_file;    /* https: client certificate (PEM) */
	const char *key_file;     /* https: its private key (PEM; not group/world readable) */
	const char *ssh_key_file; /* sftp: private key (not group/world readable);
	                           * its public half is FILE.pub when that exists */
	const char *known_hosts;  /* sftp: required; an unknown or changed key is refused */
	struct nrm_retry_policy retry;
	long connect_timeout_s;   /* <= 0: 30 */
	long stall_timeout_s;     /* abort when nothing moves this long; <= 0: 120 */
};

/* Tries `url` with `opts` and sends nothing: for https:// a HEAD request
 * over the TLS a delivery uses (CA, client certificate), for sftp:// a
 * login (host key checked) and a look at the folder, for file:// a file
 * made and removed in the folder.  0, or -1 with `err`: EX_UNAVAILABLE
 * when it cannot be reached now, EX_NOPERM (or EX_CANTCREAT) when it
 * refuses, EX_USAGE for a URL or option delivery does not take. */
int nrm_deliver_probe(const char *url, const struct nrm_deliver_opts *opts,
                      struct nrm_error *err);

/* Fills opts with no files and the default retry policy. */
void nrm_deliver_opts_init(struct nrm_deliver_opts *opts);

enum nrm_delivery_status {
	NRM_DELIVERED,        /* the receiver acknowledged it: never send it again */
	NRM_DELIVERY_PENDING, /* not now: try again on a later run */
	NRM_DELIVERY_REFUSED, /* retrying will not help: a person must look */
};

struct nrm_receipt {
	enum nrm_delivery_status status;
	char *url;              /* where it went (for folders, with the file name) */
	time_t time;            /* when the last attempt ended */
	char sha256[65];        /* hex SHA-256 of the bytes sent, "" if none were */
	uint64_t bytes;
	unsigned attempts;
	long response_code;     /* https: the last HTTP status, else 0 */
	char *response_headers; /* https: the last response's header lines, else NULL */
	char message[1024];     /* why it is pending or refused; "" when delivered */
};

/* Sends `path` to `url`.  Always fills `receipt` once the file was opened
 * (free it with nrm_receipt_free).  Returns 0 when delivered; otherwise -1
 * with `err`: EX_TEMPFAIL (75) pending, EX_PROTOCOL (76) refused by or not
 * trusted in the receiver, EX_NOINPUT (66) no such file, EX_USAGE (64) a
 * URL or option that cannot work, EX_NOPERM (77) a key file others can
 * read, EX_CANTCREAT (73) a drop folder that cannot be written,
 * EX_UNAVAILABLE (69) a libcurl built without that protocol. */
int nrm_deliver_file(const char *path, const char *url, const struct nrm_deliver_opts *opts,
                     struct nrm_receipt *receipt, struct nrm_error *err);

void nrm_receipt_free(struct nrm_receipt *receipt);

/* "delivered", "pending", "refused". */
const char *nrm_delivery_status_name(enum nrm_delivery_status status);

/* The receipt as a JSON object (status, url, time, sha256, bytes, attempts,
 * response_code, response_headers as an array of lines, message). */
json_t *nrm_receipt_to_json(const struct nrm_receipt *receipt);

#endif

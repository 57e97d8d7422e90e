/*
 * Reads a bag's payload files on a thread of its own, taking each file's
 * SHA-512 as it goes, and hands the bytes over in chunks, in payload order.
 * The packer's own thread then spends its time compressing, as `tar czf`
 * spends one process reading and another compressing.
 */
#ifndef NRM_BUNDLE_READER_H
#define NRM_BUNDLE_READER_H

#include "bagit.h"

#include <stddef.h>
#include <sys/types.h>

struct nrm_error;
struct nrm_bundle_reader;

/* Starts reading every regular file of `payload`, in order.  Each file's
 * sha512 is filled in before its end (0) is handed over.  NULL when no
 * thread can be started. */
struct nrm_bundle_reader *nrm_bundle_reader_start(struct nrm_bag_payload *payload);

/* The next chunk of the current file: its length (> 0) with *data set; 0
 * at the file's end (when its sha512 is ready); -1 on a read error or a
 * file whose size changed (err filled), after which the reader must only
 * be stopped.  Each chunk stays valid until the next call. */
ssize_t nrm_bundle_reader_next(struct nrm_bundle_reader *r, const char **data,
                               struct nrm_error *err);

/* Stops the thread (early, if need be) and frees everything. */
void nrm_bundle_reader_stop(struct nrm_bundle_reader *r);

#endif

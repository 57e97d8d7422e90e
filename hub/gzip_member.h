/*
 * Where the one gzip member of a bundle ends.  libarchive, like gzip(1),
 * reads concatenated members as one stream and ignores what follows the
 * tar's end, so a signed bundle could carry a second member (another tar)
 * or any bytes after its own, unseen by the checks (issue 19).  This reads
 * the raw file with zlib's inflate, which stops at the end of the first
 * member, so that the caller can compare where it stopped with the size.
 */
#ifndef NRM_GZIP_MEMBER_H
#define NRM_GZIP_MEMBER_H

#include <stddef.h>
#include <stdint.h>

enum nrm_gzip_member {
	NRM_GZIP_ONE_MEMBER,  /* the member ends at the end of the data */
	NRM_GZIP_TRAILING,    /* bytes follow the member (*end is its end) */
	NRM_GZIP_SECOND,      /* a second gzip member starts at *end */
	NRM_GZIP_BROKEN,      /* not gzip, or a member cut short */
	NRM_GZIP_TOO_BIG,     /* inflates to more than max_out bytes */
};

/* Inflates the first gzip member of `data` into nothing, at most `max_out`
 * bytes, and says what follows it; *end is the offset just past the member
 * (when it ends).  Never allocates more than zlib's own state. */
enum nrm_gzip_member nrm_gzip_first_member(const uint8_t *data, size_t len, uint64_t max_out,
                                           size_t *end);

#endif

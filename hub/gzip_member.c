/*
 * The end of the first gzip member (gzip_member.h).  windowBits 16 + 15
 * asks zlib for gzip framing alone: it checks the header, the CRC-32 and
 * the length, and reports Z_STREAM_END at the member's end without looking
 * further, which is exactly the boundary libarchive hides.
 */
#include "gzip_member.h"

#include <string.h>
#include <zlib.h>

#define SCRATCH 16384

/* zlib counts in uInt: feed it the data in pieces it can count. */
static void feed(z_stream *z, const uint8_t *data, size_t len, size_t *fed)
{
	if (z->avail_in > 0 || *fed >= len)
		return;
	size_t n = len - *fed;
	if (n > (1u << 30))
		n = 1u << 30;
	z->next_in = (Bytef *)(uintptr_t)(data + *fed);
	z->avail_in = (uInt)n;
	*fed += n;
}

enum nrm_gzip_member nrm_gzip_first_member(const uint8_t *data, size_t len, uint64_t max_out,
                                           size_t *end)
{
	unsigned char scratch[SCRATCH]; /* output nobody reads */
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return NRM_GZIP_BROKEN;
	size_t fed = 0;
	uint64_t out = 0;
	int rc = Z_OK;
	for (;;) {
		feed(&z, data, len, &fed);
		z.next_out = scratch;
		z.avail_out = SCRATCH;
		rc = inflate(&z, Z_NO_FLUSH);
		out += SCRATCH - z.avail_out;
		if (out > max_out) {
			inflateEnd(&z);
			return NRM_GZIP_TOO_BIG;
		}
		/* With room for output, Z_BUF_ERROR means it wants more input:
		 * at the data's end, the member was cut short. */
		if (rc == Z_BUF_ERROR && fed < len)
			continue;
		if (rc != Z_OK)
			break;
	}
	size_t consumed = fed - z.avail_in;
	inflateEnd(&z);
	if (rc != Z_STREAM_END)
		return NRM_GZIP_BROKEN;
	*end = consumed;
	if (consumed == len)
		return NRM_GZIP_ONE_MEMBER;
	if (len - consumed >= 2 && data[consumed] == 0x1f && data[consumed + 1] == 0x8b)
		return NRM_GZIP_SECOND;
	return NRM_GZIP_TRAILING;
}

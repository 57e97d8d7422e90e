/*
 * Bundle names and trusted comments: the words a signature vouches for.
 * Parsing is strict because the comment decides which key is trusted and
 * which bag, site and quarter the receiver books the return under.
 */
#include "bundle.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

bool nrm_bundle_site_valid(const char *site)
{
	size_t len = strlen(site);
	if (len < 2 || len > NRM_BUNDLE_SITE_MAX || site[0] < 'a' || site[0] > 'z')
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = site[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return false;
	}
	return true;
}

bool nrm_bundle_quarter_valid(const char *q)
{
	if (strlen(q) != 6)
		return false;
	for (int i = 0; i < 4; i++)
		if (q[i] < '0' || q[i] > '9')
			return false;
	return q[4] == 'Q' && q[5] >= '1' && q[5] <= '4' && memcmp(q, "0000", 4) != 0;
}

void nrm_bundle_name(struct nrm_bundle_id *id)
{
	snprintf(id->bag, sizeof(id->bag), "%s_%s_%03lu", id->site, id->quarter, id->seq);
}

void nrm_bundle_hex(const uint8_t *digest, size_t len, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * len] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

bool nrm_bundle_unhex(const char *hex, size_t hex_len, uint8_t *out, size_t len)
{
	if (hex_len != 2 * len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

char *nrm_bundle_comment_format(const struct nrm_bundle_id *id)
{
	char hex[129];
	nrm_bundle_hex(id->tagmanifest_sha512, 64, hex);
	return nrm_xasprintf("site=%s\tquarter=%s\tseq=%lu\tbag=%s\ttagmanifest-sha512=%s",
	                     id->site, id->quarter, id->seq, id->bag, hex);
}

/* The value of field `i` (named `key`) of a tab-separated comment, checked
 * to be present and no longer than `max`. */
static int comment_field(const char *text, size_t len, size_t *pos, const char *key,
                         size_t max, char *out, struct nrm_error *err)
{
	size_t klen = strlen(key);
	if (*pos > len || len - *pos < klen + 1 || memcmp(text + *pos, key, klen) != 0 ||
	    text[*pos + klen] != '=')
		return nrm_fail(err, EX_DATAERR, "trusted comment: expected the field %s= here "
		                "(fields: site, quarter, seq, bag, tagmanifest-sha512, tab-separated)",
		                key);
	size_t start = *pos + klen + 1;
	const char *tab = memchr(text + start, '\t', len - start);
	size_t end = tab ? (size_t)(tab - text) : len;
	if (end - start > max)
		return nrm_fail(err, EX_DATAERR, "trusted comment: %s is longer than %zu bytes", key,
		                max);
	memcpy(out, text + start, end - start);
	out[end - start] = '\0';
	*pos = tab ? end + 1 : len + 1;
	return 0;
}

static int parse_seq(const char *s, unsigned long *seq, struct nrm_error *err)
{
	size_t n = strlen(s);
	bool digits = n > 0 && n <= 6 && s[0] != '0';
	for (size_t i = 0; digits && i < n; i++)
		digits = s[i] >= '0' && s[i] <= '9';
	if (!digits)
		return nrm_fail(err, EX_DATAERR, "trusted comment: seq must be a whole number from 1 "
		                "to %lu without leading zeros", NRM_BUNDLE_SEQ_MAX);
	*seq = strtoul(s, NULL, 10);
	return 0;
}

int nrm_bundle_comment_parse(const char *text, size_t len, struct nrm_bundle_id *id,
                             struct nrm_error *err)
{
	char seq[16], bag[NRM_BUNDLE_NAME_MAX + 1], hex[129];
	size_t pos = 0;
	memset(id, 0, sizeof(*id));
	if (memchr(text, '\0', len))
		return nrm_fail(err, EX_DATAERR, "trusted comment: contains a NUL byte");
	if (comment_field(text, len, &pos, "site", NRM_BUNDLE_SITE_MAX, id->site, err) ||
	    comment_field(text, len, &pos, "quarter", 6, id->quarter, err) ||
	    comment_field(text, len, &pos, "seq", sizeof(seq) - 1, seq, err) ||
	    comment_field(text, len, &pos, "bag", NRM_BUNDLE_NAME_MAX, bag, err) ||
	    comment_field(text, len, &pos, "tagmanifest-sha512", 128, hex, err))
		return -1;
	if (pos <= len)
		return nrm_fail(err, EX_DATAERR, "trusted comment: unexpected text after the "
		                "tagmanifest-sha512 field");
	if (!nrm_bundle_site_valid(id->site))
		return nrm_fail(err, EX_DATAERR, "trusted comment: site is not a valid site code");
	if (!nrm_bundle_quarter_valid(id->quarter))
		return nrm_fail(err, EX_DATAERR, "trusted comment: quarter must be YYYYQn, n from 1 "
		                "to 4");
	if (parse_seq(seq, &id->seq, err))
		return -1;
	if (!nrm_bundle_unhex(hex, strlen(hex), id->tagmanifest_sha512, 64))
		return nrm_fail(err, EX_DATAERR, "trusted comment: tagmanifest-sha512 must be 128 "
		                "lower-case hex digits");
	nrm_bundle_name(id);
	if (strcmp(bag, id->bag) != 0)
		return nrm_fail(err, EX_DATAERR, "trusted comment: bag does not agree with site, "
		                "quarter and seq (expected bag=%s)", id->bag);
	return 0;
}

bool nrm_bundle_comment_site(const char *text, size_t len, char site[NRM_BUNDLE_SITE_MAX + 1])
{
	size_t pos = 0;
	if (memchr(text, '\0', len) ||
	    comment_field(text, len, &pos, "site", NRM_BUNDLE_SITE_MAX, site, NULL))
		return false;
	return nrm_bundle_site_valid(site);
}

/*
 * The extract is written as the cases go by (a case's row depends only on
 * the case), through a buffer flushed in large writes.  Fields are codes,
 * dates and GSS codes; any that needs it is quoted as RFC 4180 says, since
 * a site name comes from the data.
 */
#include "return_extract.h"

#include "codes.h"
#include "date.h"
#include "pilot_scope.h"
#include "return_build.h"
#include "util.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define FLUSH_AT (64 * 1024)

const char nrm_extract_header[] =
	"pseudonym,site,referral_date,age_band,gender,nationality_1,nationality_2,"
	"exploitation_types,county_lines,exploitation_location,first_responder_type,"
	"local_authority,police_force,rg_decision_date,rg_outcome,cg_decision_date,"
	"cg_outcome,decision_maker,status,status_date,age_at_referral,pilot_scope\r\n";

static void put(struct nrm_extract *x, const char *s, size_t n)
{
	if (x->len + n > x->cap) {
		x->cap = (x->len + n) * 2;
		x->buf = nrm_xrealloc(x->buf, x->cap);
	}
	memcpy(x->buf + x->len, s, n);
	x->len += n;
}

/* A field, quoted when it holds a comma, quote or line break. */
static void field(struct nrm_extract *x, const char *s, bool last)
{
	if (s && strpbrk(s, ",\"\r\n")) {
		put(x, "\"", 1);
		for (const char *p = s; *p; p++)
			put(x, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
		put(x, "\"", 1);
	} else if (s) {
		put(x, s, strlen(s));
	}
	put(x, last ? "\r\n" : ",", last ? 2 : 1);
}

/* A field that cannot need quoting: a code from the hub's own tables, a
 * date, a pseudonym, or a code the canonical rules have checked (GSS,
 * ISO 3166).  Over half a million rows, the search for quotes shows. */
static void code_field(struct nrm_extract *x, const char *s)
{
	if (s)
		put(x, s, strlen(s));
	put(x, ",", 1);
}

static int flush(struct nrm_extract *x, struct nrm_error *err)
{
	size_t done = 0;
	while (done < x->len) {
		ssize_t n = write(x->file.fd, x->buf + done, x->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			x->failed = EX_IOERR;
			return nrm_fail(err, EX_IOERR, "cannot write %s: %s", x->path,
			                strerror(errno));
		}
		done += (size_t)n;
	}
	x->len = 0;
	return 0;
}

int nrm_extract_open(struct nrm_extract *x, const char *path, struct nrm_error *err)
{
	memset(x, 0, sizeof(*x));
	if (nrm_atomic_open(&x->file, path, 0640, err) != 0)
		return -1;
	x->path = nrm_xstrdup(path);
	put(x, nrm_extract_header, sizeof(nrm_extract_header) - 1);
	return 0;
}

void nrm_extract_set_key(struct nrm_extract *x, const unsigned char key[NRM_PSEUDONYM_KEY_BYTES])
{
	nrm_pseudonymiser_init(&x->pseudonyms, key);
}

static void date_field(struct nrm_extract *x, int32_t d)
{
	char buf[11];
	if (d == NRM_DATE_NONE) {
		code_field(x, NULL);
		return;
	}
	nrm_date_format_iso(d, buf);
	code_field(x, buf);
}

static void types_field(struct nrm_extract *x, uint32_t types)
{
	/* Canonical names joined by ';', in the canonical order. */
	char buf[128] = "";
	size_t len = 0;
	for (int i = 0; i < 5; i++) {
		if (!(types & (1u << i)))
			continue;
		const char *name = nrm_code_name(NRM_CODE_EXPLOITATION, (int32_t)(1u << i));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ";" : "", name);
	}
	code_field(x, len ? buf : NULL);
}

int nrm_extract_add(struct nrm_extract *x, const struct nrm_case *c, struct nrm_error *err)
{
	if (x->failed)
		return nrm_fail(err, x->failed, "cannot write %s", x->path);
	char pseudonym[NRM_PSEUDONYM_HEX + 1];
	nrm_pseudonymise(&x->pseudonyms, c->case_id, pseudonym);
	code_field(x, pseudonym);
	field(x, c->site, false);
	date_field(x, c->referral_date);
	code_field(x, nrm_age_band(c->age_at_exploitation));
	code_field(x, nrm_code_name(NRM_CODE_GENDER, c->gender));
	code_field(x, c->nationality[0]);
	code_field(x, c->nationality[1]);
	types_field(x, c->exploitation_types);
	code_field(x, c->county_lines == NRM_YES  ? "true"
	              : c->county_lines == NRM_NO ? "false"
	                                          : NULL);
	code_field(x, nrm_code_name(NRM_CODE_LOCATION, c->exploitation_location));
	code_field(x, nrm_code_name(NRM_CODE_FIRST_RESPONDER, c->first_responder_type));
	code_field(x, c->local_authority);
	code_field(x, c->police_force);
	date_field(x, c->rg_decision_date);
	code_field(x, nrm_code_name(NRM_CODE_OUTCOME, c->rg_outcome));
	date_field(x, c->cg_decision_date);
	code_field(x, nrm_code_name(NRM_CODE_OUTCOME, c->cg_outcome));
	code_field(x, nrm_code_name(NRM_CODE_DECISION_MAKER, c->decision_maker));
	code_field(x, nrm_code_name(NRM_CODE_STATUS, c->status));
	date_field(x, c->status_date);
	/* The date of birth never leaves the site: only what it gives. */
	int32_t age;
	enum nrm_pilot_scope scope = nrm_pilot_scope(c, &age);
	char years[12] = "";
	if (age != NRM_AGE_NONE)
		snprintf(years, sizeof(years), "%d", (int)age);
	code_field(x, *years ? years : NULL);
	field(x, nrm_pilot_scope_name(scope), true);
	return x->len >= FLUSH_AT ? flush(x, err) : 0;
}

static void release(struct nrm_extract *x)
{
	nrm_pseudonymiser_clear(&x->pseudonyms);
	free(x->buf);
	free(x->path);
	x->buf = x->path = NULL;
}

int nrm_extract_commit(struct nrm_extract *x, struct nrm_error *err)
{
	int rc = x->failed ? nrm_fail(err, x->failed, "cannot write %s", x->path) : flush(x, err);
	if (rc != 0)
		nrm_atomic_abort(&x->file);
	else
		rc = nrm_atomic_commit(&x->file, err);
	release(x);
	return rc;
}

void nrm_extract_abort(struct nrm_extract *x)
{
	nrm_atomic_abort(&x->file);
	release(x);
}

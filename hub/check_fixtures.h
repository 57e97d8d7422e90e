/*
 * Canonical records for `plugin check`: read once, in the parent, through
 * the bundled case-jsonl plugin, and held as deep copies so that children
 * inherit them and can compare what a plugin reads back with what it wrote.
 */
#ifndef NRM_CHECK_FIXTURES_H
#define NRM_CHECK_FIXTURES_H

#include <nrmhub/plugin.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;

struct nrm_fixtures {
	struct nrm_case *cases;
	size_t count;
};

/* Reads `path` (canonical JSON lines) with `reader`, the case-jsonl
 * plugin; every record must keep the canonical rules.  0, or -1 with err. */
int nrm_fixtures_load(struct nrm_fixtures *fx, const struct nrm_plugin *reader,
                      const char *path, struct nrm_error *err);
void nrm_fixtures_free(struct nrm_fixtures *fx);

/* Deep copy of a record's strings into `dst`; free with nrm_case_copy_free. */
void nrm_case_copy(struct nrm_case *dst, const struct nrm_case *src);
void nrm_case_copy_free(struct nrm_case *c);
/* The canonical fields, in schema order, numbered for the masks below. */
#define NRM_CASE_FIELD_COUNT 24
const char *nrm_case_field_name(unsigned field);

/*
 * How a record read back (b) differs from the one written (a): `lost` has a
 * bit for each field that a knew and b came back without (a format need not
 * carry every field); `changed` names the first field that came back with
 * another known value, which no format may do, or is NULL.
 */
struct nrm_case_diff {
	uint32_t lost;
	const char *changed;
};
void nrm_case_compare(const struct nrm_case *a, const struct nrm_case *b,
                      struct nrm_case_diff *d);

#endif

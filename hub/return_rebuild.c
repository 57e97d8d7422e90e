/*
 * A return built again from the store with an earlier one's settings
 * (return_rebuild.h).
 */
#include "return_rebuild.h"

#include "date.h"
#include "quarter.h"
#include "return_build.h"
#include "site_name.h"
#include "store.h"
#include "util.h"

#include <string.h>
#include <sysexits.h>

static int add_case(const struct nrm_case *c, void *ctx)
{
	nrm_return_builder_add(ctx, c);
	return 0;
}

static const char *text(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The builder's settings, from the return they made. */
static int params_of(const json_t *old, int64_t now, const char *version,
                     struct nrm_return_params *p, struct nrm_error *err)
{
	memset(p, 0, sizeof(*p));
	const char *site = text(old, "site"), *quarter = text(old, "quarter");
	const char *audience = text(old, "audience");
	if (!site || !quarter || nrm_quarter_parse(quarter, &p->quarter) != 0 || !audience)
		return nrm_fail(err, EX_DATAERR, "not a return: no $.site, $.quarter or $.audience");
	p->site = site;
	p->audience = strcmp(audience, "published") == 0 ? NRM_AUDIENCE_PUBLISHED
	                                                 : NRM_AUDIENCE_OFFICIAL;
	p->generated_at = now;
	p->version = version;
	p->area = text(old, "area");
	json_int_t threshold = json_integer_value(
		json_object_get(json_object_get(old, "disclosure"), "threshold"));
	p->threshold = threshold > 0 && threshold <= 100 ? (int)threshold : 0;
	const char *since = text(json_object_get(old, "comparison"), "since");
	if (since)
		nrm_date_parse_iso(since, strlen(since), &p->joined);
	return 0;
}

json_t *nrm_return_rebuild(struct store *s, const json_t *old, int64_t now, const char *version,
                           struct nrm_error *err)
{
	struct nrm_return_params p;
	if (params_of(old, now, version, &p, err) != 0)
		return NULL;
	struct nrm_return_builder *rb = nrm_return_builder_new(&p);
	json_t *ret = NULL;
	if (store_each_case_referred_by(s, p.site, p.quarter.last, add_case, rb) < 0) {
		const struct nrm_error *why = store_error(s);
		nrm_fail(err, why->code ? why->code : EX_SOFTWARE, "%s", why->msg);
	} else if ((ret = nrm_return_builder_finish(rb, err)) != NULL) {
		nrm_return_set_site_name(ret, nrm_return_site_name(old));
	}
	nrm_return_builder_free(rb);
	return ret;
}

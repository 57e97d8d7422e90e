/*
 * The size of a site's revision, for national build (national_revision.h).
 */
#include "national_revision.h"

#include "json_path.h"
#include "return_diff.h"
#include "return_tables.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* The headline counts, as the release leads with them. */
static const struct {
	const char *name, *positive, *negative, *total;
} headline[] = {
	{"referrals", NULL, NULL, "$.referrals.total"},
	{"rg_decisions", "$.decisions.rg.positive", "$.decisions.rg.negative", NULL},
	{"cg_decisions", "$.decisions.cg.positive", "$.decisions.cg.negative", NULL},
};
#define N_HEADLINE (sizeof(headline) / sizeof(headline[0]))

/* The sequence accepted before `seq` (the highest below it). */
struct before {
	int64_t seq, below;
	json_t *ret;
};

static int on_bundle(const struct store_intake_bundle *b, void *ctx)
{
	struct before *p = ctx;
	if (b->seq >= p->below || b->seq <= p->seq)
		return 0;
	json_t *ret = json_loads(b->return_json, JSON_REJECT_DUPLICATES, NULL);
	if (ret) {
		json_decref(p->ret);
		p->ret = ret;
		p->seq = b->seq;
	}
	return 0;
}

/* A headline count of `ret`, or -1 when it is hidden ("[c]"). */
static json_int_t count_of(const json_t *ret, size_t k)
{
	if (headline[k].total) {
		const json_t *v = nrm_json_path_get(ret, headline[k].total);
		return json_is_integer(v) ? json_integer_value(v) : -1;
	}
	const json_t *p = nrm_json_path_get(ret, headline[k].positive);
	const json_t *n = nrm_json_path_get(ret, headline[k].negative);
	return json_is_integer(p) && json_is_integer(n) ? json_integer_value(p) + json_integer_value(n)
	                                                : -1;
}

static void add_headline(json_t *out, const json_t *prev, const json_t *latest)
{
	json_int_t largest = -1;
	for (size_t k = 0; k < N_HEADLINE; k++) {
		json_int_t a = count_of(prev, k), b = count_of(latest, k);
		if (a < 0 || b < 0) {
			json_object_set_new(out, headline[k].name, json_null());
			continue;
		}
		json_object_set_new(out, headline[k].name, json_integer(b - a));
		json_int_t size = b > a ? b - a : a - b;
		largest = size > largest ? size : largest;
	}
	json_object_set_new(out, "largest_headline_change",
	                    largest >= 0 ? json_integer(largest) : json_null());
}

static int add_figures(json_t *out, const json_t *prev, const json_t *latest,
                       struct nrm_error *err)
{
	struct nrm_return_tables o, n;
	if (nrm_return_tables_build(prev, &o, err) != 0)
		return -1;
	if (nrm_return_tables_build(latest, &n, err) != 0) {
		nrm_return_tables_free(&o);
		return -1;
	}
	struct nrm_return_diff d;
	nrm_return_diff(&o, &n, &d);
	json_object_set_new(out, "figures_changed", json_integer((json_int_t)d.n_changes));
	json_object_set_new(out, "tables_changed", json_integer((json_int_t)d.n_tables));
	nrm_return_diff_free(&d);
	nrm_return_tables_free(&n);
	nrm_return_tables_free(&o);
	return 0;
}

json_t *nrm_national_revision_change(struct store *s, const char *site, const char *quarter,
                                     int64_t seq, const json_t *latest, struct nrm_error *err)
{
	struct before p = {.below = seq};
	if (store_intake_each_of(s, site, quarter, on_bundle, &p) < 0) {
		*err = *store_error(s);
		return NULL;
	}
	if (!p.ret)
		return json_null();
	json_t *out = json_pack("{s:I}", "previous_seq", (json_int_t)p.seq);
	struct nrm_error why = {0};
	if (add_figures(out, p.ret, latest, &why) != 0) {
		nrm_fail(err, EX_DATAERR, "the stored returns of %s %s: %s", site, quarter, why.msg);
		json_decref(out);
		json_decref(p.ret);
		return NULL;
	}
	add_headline(out, p.ret, latest);
	const char *reason = json_string_value(
		json_object_get(json_object_get(latest, "revision"), "reason"));
	json_object_set_new(out, "reason", reason ? json_string(reason) : json_null());
	json_decref(p.ret);
	return out;
}

/*
 * The published pattern an official return records (return_pattern.h):
 * made from the suppressed copy's own model, so that the list is the
 * cells the tables show as "[c]", and applied back cell by cell.
 */
#include "return_pattern.h"

#include "json_path.h"
#include "return_tables.h"
#include "util.h"

#include <string.h>
#include <sysexits.h>

json_t *nrm_return_disclosure_json(const struct nrm_dc_params *p, const json_t *published,
                                   struct nrm_error *err)
{
	json_t *d = json_pack("{s:i, s:i}", "threshold", p->threshold, "protection",
	                      p->protection);
	if (!published)
		return d;
	struct nrm_return_tables t;
	if (nrm_return_tables_build(published, &t, err) != 0) {
		json_decref(d);
		return NULL;
	}
	struct nrm_dc_model m;
	nrm_dc_model_build(&t, &m);
	json_t *hidden = json_array();
	for (size_t i = 0; i < m.n_figures; i++)
		if (m.figures[i].hidden && m.figures[i].path)
			json_array_append_new(hidden, json_string(m.figures[i].path));
	nrm_dc_model_free(&m);
	nrm_return_tables_free(&t);
	json_object_set_new(d, "published_hidden", hidden);
	return d;
}

void nrm_return_disclosure_rule(const json_t *ret, int *threshold, int *protection)
{
	const json_t *d = json_object_get(ret, "disclosure");
	json_int_t t = json_integer_value(json_object_get(d, "threshold"));
	json_int_t p = json_integer_value(json_object_get(d, "protection"));
	/* The schema bounds both; out of range here means "not said". */
	*threshold = t >= 1 && t <= 1000 ? (int)t : 0;
	*protection = p >= 1 && p <= 100000 ? (int)p : 0;
}

int nrm_return_published_from(const json_t *official, const char *where, json_t **out,
                              struct nrm_error *err)
{
	const json_t *d = json_object_get(official, "disclosure");
	const json_t *hidden = json_object_get(d, "published_hidden");
	*out = NULL;
	if (!json_is_array(hidden))
		return 0;
	json_t *pub = json_deep_copy(official);
	json_object_set_new(pub, "audience", json_string("published"));
	json_object_del(json_object_get(pub, "disclosure"), "published_hidden");
	size_t i;
	const json_t *path;
	json_array_foreach(hidden, i, path) {
		const char *text = json_string_value(path);
		const json_t *v = text ? nrm_json_path_get(pub, text) : NULL;
		if (!json_is_number(v) ||
		    nrm_json_path_set(pub, text, json_string("[c]")) != 0) {
			json_decref(pub);
			return nrm_fail(err, EX_DATAERR, "%s: disclosure.published_hidden[%zu] "
			                "names no figure of the return", where, i);
		}
	}
	*out = pub;
	return 0;
}

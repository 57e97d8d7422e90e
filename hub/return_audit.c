/*
 * A published return audited from its own figures: the tables it renders
 * to, read through the same description that wrote them.
 */
#include "return_audit.h"

#include "util.h"

#include <string.h>
#include <sysexits.h>

int nrm_return_audit(const json_t *ret, const struct nrm_dc_params *p,
                     struct nrm_return_audit *out, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	struct nrm_dc_params params = p ? *p : (struct nrm_dc_params){0};
	if (nrm_dc_params_resolve(&params) != 0)
		return nrm_fail(err, EX_USAGE, "the threshold must be 1 to 1000 and the "
		                "protection level 1 to 100000");
	if (nrm_return_tables_build(ret, &out->tables, err) != 0)
		return -1;
	nrm_dc_model_build(&out->tables, &out->model);
	if (nrm_dc_audit_run(&out->model, &params, false, &out->audit, err) != 0) {
		nrm_return_audit_free(out);
		return -1;
	}
	return 0;
}

void nrm_return_audit_free(struct nrm_return_audit *a)
{
	nrm_dc_audit_free(&a->audit);
	nrm_dc_model_free(&a->model);
	nrm_return_tables_free(&a->tables);
}

/*
 * nrm_cell_set_figure: the one place a figure of the tables becomes the
 * text every output shows, so that the site tables, the comparison and the
 * national tables print a figure alike, each as its column declares it (a
 * 90th percentile of 79 days is "79" everywhere, never "79.0" in one of
 * them).
 */
#include "return_tables.h"

#include "util.h"

#include <stdlib.h>

void nrm_cell_set_figure(struct nrm_cell *c, const json_t *v, enum nrm_column_role role)
{
	if (json_is_string(v)) { /* "[c]": only a published return holds a string here */
		c->kind = NRM_CELL_SUPPRESSED;
		c->number = 0;
		c->text = nrm_xstrdup("[c]");
		return;
	}
	if (!json_is_number(v)) {
		c->kind = NRM_CELL_NA;
		c->number = 0;
		c->text = nrm_xstrdup("[z]");
		return;
	}
	c->kind = NRM_CELL_NUMBER;
	/* A real in a column of whole numbers keeps its decimal rather than be
	 * read as the integer 0; the callers have refused one already. */
	c->text = role == NRM_COL_COUNT && json_is_integer(v)
	                  ? nrm_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v))
	                  : nrm_xasprintf("%.1f", json_number_value(v));
	c->number = strtod(c->text, NULL);
}

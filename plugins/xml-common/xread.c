/* See xread.h. */
#include "xread.h"

#include <stdlib.h>

int xread_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *in,
                    const struct xml_in_spec *spec, size_t xsd_len, const char *code_rule)
{
	struct xread *r = calloc(1, size);
	if (!r)
		return host->report(in, NULL, NULL, "out of memory");
	*state = r;
	r->host = host;
	r->spec = *spec;
	r->spec.xsd_len = xsd_len;
	r->code_rule = code_rule;
	if (xml_in_open(&r->xml, host, in, &r->spec) != NRM_OK) {
		/* The hub closes only what opened. */
		xml_in_close(r->xml);
		free(r);
		*state = NULL;
		return NRM_FAIL;
	}
	return NRM_OK;
}

void xread_close(void *state)
{
	struct xread *r = state;
	xml_in_close(r->xml);
	for (int i = 0; i < XREAD_SLOTS; i++)
		xml_slot_free(&r->slots[i]);
	free(r);
}

int xread_keep(struct xread *r, int slot, const char *text, const char **field)
{
	*field = xml_in_keep(r->xml, &r->slots[slot], text);
	return *field ? NRM_OK : NRM_FAIL;
}

int xread_keep_text(struct xread *r, int slot, const char **field)
{
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	return xread_keep(r, slot, text, field);
}

int xread_code(struct xread *r, const struct xml_code *table, const char *attr,
                    const char *field, const char *value, int32_t *out)
{
	if (!xml_code_value(table, value, out))
		return xml_in_bad_value(r->xml, attr, field, "%s", r->code_rule);
	return NRM_OK;
}

int xread_date(struct xread *r, const char *attr, const char *field,
                    const char *value, int32_t *out)
{
	size_t n;
	const char *s = xml_trim(value, &n);
	if (r->host->date_parse_iso(s, n, out) != NRM_OK)
		return xml_in_bad_value(r->xml, attr, field, "not a real date written YYYY-MM-DD");
	return NRM_OK;
}

int xread_time(struct xread *r, const char *attr, const char *field,
                    const char *value, int64_t *out)
{
	size_t n;
	const char *s = xml_trim(value, &n);
	if (r->host->time_parse_rfc3339(s, n, out) != NRM_OK)
		return xml_in_bad_value(r->xml, attr, field,
		                        "not a date and time in UTC (YYYY-MM-DDTHH:MM:SSZ)");
	return NRM_OK;
}

int xread_boolean(struct xread *r, const char *attr, const char *field,
                       const char *value, int8_t *out)
{
	if (!xml_boolean(value, out))
		return xml_in_bad_value(r->xml, attr, field, "must be true or false");
	return NRM_OK;
}

int xread_attributes(struct xread *r,
                     int (*attribute)(struct xread *r, const char *name, const char *value))
{
	const char *name, *value;
	int rc = NRM_OK;
	while (xml_in_next_attribute(r->xml, &name, &value))
		if (rc == NRM_OK)
			rc = attribute(r, name, value);
	return rc;
}

int xread_next(struct xread *r, struct nrm_case *out, struct nrm_pos *where,
                    int (*start)(struct xread *r),
                    int (*element)(struct xread *r, const char *name))
{
	int rc = xml_in_next_record(r->xml, where);
	if (rc != NRM_OK)
		return rc;
	r->c = out;
	int result = start ? start(r) : NRM_OK;
	if (result == NRM_FAIL)
		return NRM_FAIL;
	int depth;
	if (xml_in_is_empty(r->xml))
		return result; /* an empty record: the schema has already refused it */
	while ((rc = xml_in_next_element(r->xml, &depth)) == NRM_OK) {
		int one = result == NRM_OK ? element(r, xml_in_name(r->xml)) : NRM_OK;
		if (one == NRM_FAIL)
			return NRM_FAIL;
		if (one == NRM_REJECT)
			result = NRM_REJECT;
	}
	if (rc == NRM_FAIL)
		return NRM_FAIL;
	return result;
}

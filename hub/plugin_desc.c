/*
 * The cache is read by a later run, perhaps of a newer hub, and may have been
 * damaged in between: a descriptor is rebuilt only when every field is there
 * with its type, and it passes the loader's metadata checks again.
 */
#include "plugin_desc.h"

#include "options.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static json_t *options_to_json(const struct nrm_option_spec *o)
{
	json_t *a = json_array();
	for (; o && o->name; o++) {
		json_t *j = json_pack("{s:s, s:i, s:s?, s:s?, s:s?, s:I, s:I}", "name", o->name,
		                      "type", (int)o->type, "default", o->default_value,
		                      "description", o->description, "choices", o->choices,
		                      "min", (json_int_t)o->min, "max", (json_int_t)o->max);
		json_array_append_new(a, j);
	}
	return a;
}

json_t *nrm_plugin_desc_to_json(const struct nrm_plugin *p)
{
	json_t *formats = json_array();
	for (const char *const *f = p->formats; *f; f++)
		json_array_append_new(formats, json_string(*f));
	return json_pack("{s:i, s:i, s:i, s:s, s:s, s:s, s:s, s:o, s:o}", "abi_major",
	                 (int)p->abi_major, "abi_minor", (int)p->abi_minor, "caps", (int)p->caps,
	                 "name", p->name, "version", p->version, "description", p->description,
	                 "license", p->license, "formats", formats, "options",
	                 options_to_json(p->options));
}

static const char *text_or_null(const json_t *j)
{
	return json_is_string(j) ? json_string_value(j) : NULL;
}

static int options_from_json(struct nrm_plugin_desc *d, json_t *a)
{
	size_t n = json_array_size(a);
	d->options = nrm_xcalloc(n + 1, sizeof(*d->options));
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(a, i);
		struct nrm_option_spec *s = &d->options[i];
		json_int_t type = 0, min = 0, max = 0;
		if (json_unpack(o, "{s:s, s:I, s:I, s:I}", "name", &s->name, "type", &type,
		                "min", &min, "max", &max) != 0)
			return -1;
		s->type = (int32_t)type;
		s->min = min;
		s->max = max;
		s->default_value = text_or_null(json_object_get(o, "default"));
		s->description = text_or_null(json_object_get(o, "description"));
		s->choices = text_or_null(json_object_get(o, "choices"));
	}
	return 0;
}

static int formats_from_json(struct nrm_plugin_desc *d, const json_t *a)
{
	size_t n = json_array_size(a);
	d->formats = nrm_xcalloc(n + 1, sizeof(*d->formats));
	for (size_t i = 0; i < n; i++) {
		d->formats[i] = text_or_null(json_array_get(a, i));
		if (!d->formats[i])
			return -1;
	}
	d->plugin.formats = d->formats;
	return 0;
}

static int fill(struct nrm_plugin_desc *d, json_t *j)
{
	struct nrm_plugin *p = &d->plugin;
	json_int_t major, minor, caps;
	json_t *formats, *options;
	if (json_unpack(j, "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "abi_major", &major,
	                "abi_minor", &minor, "caps", &caps, "name", &p->name, "version",
	                &p->version, "description", &p->description, "license", &p->license,
	                "formats", &formats, "options", &options) != 0 ||
	    !json_is_array(formats) || !json_is_array(options))
		return -1;
	if (major != NRM_ABI_MAJOR || minor < 0 || minor > NRM_ABI_MINOR || caps < 0)
		return -1;
	p->magic = NRM_PLUGIN_MAGIC;
	p->abi_major = (uint16_t)major;
	p->abi_minor = (uint16_t)minor;
	p->caps = (uint32_t)caps;
	if (formats_from_json(d, formats) || options_from_json(d, options))
		return -1;
	p->options = d->options;
	return 0;
}

/* What the loader's metadata checks can see without callbacks. */
static int check(const struct nrm_plugin *p)
{
	char why[300];
	uint32_t known = NRM_CAP_IMPORT | NRM_CAP_EXPORT;
	if (!(p->caps & known) || (p->caps & ~known) || !*p->name || !p->formats[0])
		return -1;
	return nrm_options_check_table(p->options, why, sizeof(why));
}

struct nrm_plugin_desc *nrm_plugin_desc_from_json(json_t *j)
{
	struct nrm_plugin_desc *d = nrm_xcalloc(1, sizeof(*d));
	d->json = json_incref(j);
	if (!json_is_object(j) || fill(d, j) != 0 || check(&d->plugin) != 0) {
		nrm_plugin_desc_free(d);
		return NULL;
	}
	return d;
}

void nrm_plugin_desc_free(struct nrm_plugin_desc *d)
{
	if (!d)
		return;
	free(d->formats);
	free(d->options);
	json_decref(d->json);
	free(d);
}

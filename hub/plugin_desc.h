/*
 * A plugin's descriptor as JSON: what the scanner child sends back and what
 * the registry cache keeps, so that listing, describing and choosing a module
 * by format never need the module itself in this process.
 */
#ifndef NRM_PLUGIN_DESC_H
#define NRM_PLUGIN_DESC_H

#include <jansson.h>
#include <nrmhub/plugin.h>

/* The descriptor's data (everything but the callbacks) as a new object. */
json_t *nrm_plugin_desc_to_json(const struct nrm_plugin *p);

/* A copy of a descriptor rebuilt from nrm_plugin_desc_to_json's object: its
 * callbacks are NULL, so it describes a module but cannot run one. */
struct nrm_plugin_desc {
	struct nrm_plugin plugin;
	json_t *json;  /* owns the strings the descriptor points into */
	const char **formats;
	struct nrm_option_spec *options;
};

/* NULL when `j` is not a descriptor this hub would have written (a damaged
 * or foreign cache); the descriptor keeps a reference to `j`. */
struct nrm_plugin_desc *nrm_plugin_desc_from_json(json_t *j);
void nrm_plugin_desc_free(struct nrm_plugin_desc *d);

#endif

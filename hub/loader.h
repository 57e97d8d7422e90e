/*
 * Loading one plugin module and deciding whether to trust it.
 */
#ifndef NRM_LOADER_H
#define NRM_LOADER_H

#include <nrmhub/plugin.h>
#include <stddef.h>

struct nrm_error;

struct nrm_module {
	const struct nrm_plugin *plugin;
	void *handle;  /* from dlopen; NULL for a plugin linked into the hub */
	char *path;
};

/* Opens `path` and checks, in this order: the descriptor symbol exists and
 * is large enough to hold the fixed header; the magic value; the ABI major;
 * the ABI minor (not newer than the hub's); the metadata.  On refusal the
 * module is closed and err says which check failed. */
int nrm_module_load(const char *path, struct nrm_module *out, struct nrm_error *err);
void nrm_module_unload(struct nrm_module *m);

/* The metadata checks alone, for a descriptor already in memory: name,
 * version, description, licence, formats, capabilities with their callbacks,
 * and the options table.  0, or -1 with the reason in why. */
int nrm_plugin_check_metadata(const struct nrm_plugin *p, char *why, size_t whylen);

#endif

/*
 * The plugins this run can use, found along the search path.  Finding them
 * loads none: each module is examined in a scanner process (plugin_scan.h),
 * or known from the registry cache (registry_cache.h), and only the module a
 * command chooses by format is loaded into this process.
 */
#ifndef NRM_REGISTRY_H
#define NRM_REGISTRY_H

#include "loader.h"

#include <stdbool.h>

struct nrm_plugin_desc;
struct nrm_registry_cache;

/* A module the scanner found bad: it is never loaded. */
struct nrm_refusal {
	char *path;
	char *reason;  /* why, without the path */
};

struct nrm_registry {
	/* The good modules.  Until nrm_registry_find_format chooses one, its
	 * `plugin` is a description without callbacks and `handle` is NULL. */
	struct nrm_module *modules;
	struct nrm_plugin_desc **descs;  /* each module's description, owned */
	size_t count, cap;
	struct nrm_refusal *refused;     /* for `plugins`, in the order found */
	size_t refused_count;
	struct nrm_registry_cache *cache; /* while scanning only */
};

/* Examines every *.so in `dir`, in name order.  A module whose name is
 * already registered is skipped with a warning naming both files; refused
 * modules are logged as warnings and remembered.  A missing directory is
 * ignored. */
void nrm_registry_scan_dir(struct nrm_registry *reg, const char *dir);

/* The search path: the installed plugin directory (or, for a binary run
 * from its build tree, the build tree's plugins), then each directory of
 * $NRMHUB_PLUGIN_PATH, then `extra` (from --plugin-path), in order. */
void nrm_registry_scan_default(struct nrm_registry *reg, char *const *extra, size_t n_extra);

/* A module by name, described, not loaded: for `plugins describe`. */
const struct nrm_module *nrm_registry_find_name(const struct nrm_registry *reg,
                                                const char *name);
/* A module handling format `format` with capability `cap`, loaded into
 * this process (the loader checks it again).  NULL when there is none, or
 * when it no longer loads (warned). */
const struct nrm_module *nrm_registry_find_format(struct nrm_registry *reg,
                                                  const char *format, unsigned cap);
/* The same module, described but not loaded: for checking a configuration
 * (the module's options) without running any of its code. */
const struct nrm_module *nrm_registry_describe_format(const struct nrm_registry *reg,
                                                      const char *format, unsigned cap);
/* "a, b, c": the formats available with `cap`; caller frees. */
char *nrm_registry_format_list(const struct nrm_registry *reg, unsigned cap);
void nrm_registry_free(struct nrm_registry *reg);
/* True when this process is the uninstalled binary in its build tree (it
 * then uses the build tree's plugins and data, not the installed ones). */
bool nrm_registry_in_build_tree(void);

#endif

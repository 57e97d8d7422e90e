/*
 * The plugins this run can use, found along the search path.
 */
#ifndef NRM_REGISTRY_H
#define NRM_REGISTRY_H

#include "loader.h"

#include <stdbool.h>

struct nrm_registry {
	struct nrm_module *modules;
	size_t count, cap;
	char **refused;  /* one message per module refused, for `plugins` */
	size_t refused_count;
};

/* Loads every *.so in `dir`, in name order.  A module whose name is already
 * registered is skipped with a warning naming both files; refused modules
 * are logged as warnings and remembered.  A missing directory is ignored. */
void nrm_registry_scan_dir(struct nrm_registry *reg, const char *dir);

/* The search path: the installed plugin directory (or, for a binary run
 * from its build tree, the build tree's plugins), then each directory of
 * $NRMHUB_PLUGIN_PATH, then `extra` (from --plugin-path), in order. */
void nrm_registry_scan_default(struct nrm_registry *reg, char *const *extra, size_t n_extra);

const struct nrm_module *nrm_registry_find_name(const struct nrm_registry *reg,
                                                const char *name);
/* A module handling format `format` with capability `cap`. */
const struct nrm_module *nrm_registry_find_format(const struct nrm_registry *reg,
                                                  const char *format, unsigned cap);
/* "a, b, c": the formats available with `cap`; caller frees. */
char *nrm_registry_format_list(const struct nrm_registry *reg, unsigned cap);
void nrm_registry_free(struct nrm_registry *reg);
/* True when this process is the uninstalled binary in its build tree (it
 * then uses the build tree's plugins and data, not the installed ones). */
bool nrm_registry_in_build_tree(void);

#endif

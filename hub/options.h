/*
 * Plugin options: the hub checks a plugin's options table when it loads the
 * module, and every value a job or command line gives against that table
 * before any plugin code runs.
 */
#ifndef NRM_OPTIONS_H
#define NRM_OPTIONS_H

#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

/* Values for one plugin's options table. */
struct nrm_optset;

/* Checks a table's own consistency (names, types, descriptions, defaults).
 * 0, or -1 with the reason in why. */
int nrm_options_check_table(const struct nrm_option_spec *table, char *why, size_t whylen);

const char *nrm_option_type_name(int type);

struct nrm_optset *nrm_optset_new(const char *plugin_name, const struct nrm_option_spec *table);
void nrm_optset_free(struct nrm_optset *set);
/* True when the table declares `key`. */
bool nrm_optset_has(const struct nrm_optset *set, const char *key);
/* Sets one option from text; an unknown key or a bad value fails with a
 * message naming the plugin, the key and (for unknown keys) every allowed one. */
int nrm_optset_set(struct nrm_optset *set, const char *key, const char *value,
                   struct nrm_error *err);
const char *nrm_optset_string(const struct nrm_optset *set, const char *key);
int64_t nrm_optset_int(const struct nrm_optset *set, const char *key);
bool nrm_optset_bool(const struct nrm_optset *set, const char *key);

#endif

/*
 * The subcommands of `nrmhub`, and what they share: the plugin search path
 * given on the command line.
 */
#ifndef NRM_COMMANDS_H
#define NRM_COMMANDS_H

#include "registry.h"

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct nrm_context {
	char **plugin_paths;  /* from --plugin-path, in order */
	size_t n_plugin_paths;
	const char *store_path;  /* from --store, or NULL for the default */
	const char *config_path; /* from --config, or NULL (config.h says where to look) */
	long long now;           /* a scheduled job's run time (seconds since the
	                          * epoch) handed to the command it runs; 0: the clock */
	unsigned long long max_problems; /* --max-problems: problems printed before the
	                                  * rest are only counted; 0: the default */
};

void nrm_context_add_plugin_path(struct nrm_context *ctx, const char *dir);
/* Scans the search path into `reg`. */
void nrm_context_load_plugins(struct nrm_context *ctx, struct nrm_registry *reg);
/* Prints "Try 'nrmhub CMD --help'." after a usage error; returns EX_USAGE. */
int nrm_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int cmd_plugins(struct nrm_context *ctx, int argc, char **argv);
int cmd_plugin(struct nrm_context *ctx, int argc, char **argv);
int cmd_convert(struct nrm_context *ctx, int argc, char **argv);
int cmd_validate(struct nrm_context *ctx, int argc, char **argv);
int cmd_deliver(struct nrm_context *ctx, int argc, char **argv);
/* `deliver requeue|cancel ID` (cmd_deliver_queue.c); argv[0] is the verb. */
int nrm_deliver_queue_command(struct nrm_context *ctx, int argc, char **argv);
int cmd_return_render(struct nrm_context *ctx, int argc, char **argv);
int cmd_return_audit(struct nrm_context *ctx, int argc, char **argv);
/* `return diff OLD NEW` (cmd_return_diff.c): 0 the same, 1 different. */
int cmd_return_diff(struct nrm_context *ctx, int argc, char **argv);
/* A return.json read whole, refused when it is not a regular file, larger
 * than a return can be, or not JSON (EX_NOINPUT, EX_DATAERR, naming the
 * file and the position). */
int nrm_return_load_file(const char *path, json_t **out, struct nrm_error *err);
int cmd_import(struct nrm_context *ctx, int argc, char **argv);
int cmd_export(struct nrm_context *ctx, int argc, char **argv);
int cmd_cases(struct nrm_context *ctx, int argc, char **argv);
int cmd_audit(struct nrm_context *ctx, int argc, char **argv);

struct store;
/* The store named by --store (global or the command's own), or the default
 * ./nrmhub.db.  With `create` false a missing store is EX_NOINPUT rather than
 * a new empty one.  0 or a sysexits.h code, with a message logged. */
int nrm_context_open_store(const struct nrm_context *ctx, bool create, struct store **out);
/* The same for a command that only reads: a store on a read-only medium
 * is opened read-only (store_open_read). */
int nrm_context_open_store_read(const struct nrm_context *ctx, struct store **out);
int cmd_return(struct nrm_context *ctx, int argc, char **argv);
int cmd_keygen(struct nrm_context *ctx, int argc, char **argv);
int cmd_bundle(struct nrm_context *ctx, int argc, char **argv);
int cmd_run(struct nrm_context *ctx, int argc, char **argv);
int cmd_status(struct nrm_context *ctx, int argc, char **argv);
int cmd_alerts(struct nrm_context *ctx, int argc, char **argv);
int cmd_runs(struct nrm_context *ctx, int argc, char **argv);
int cmd_config(struct nrm_context *ctx, int argc, char **argv);
int cmd_keys(struct nrm_context *ctx, int argc, char **argv);
int cmd_intake(struct nrm_context *ctx, int argc, char **argv);
int cmd_intake_sites(struct nrm_context *ctx, int argc, char **argv);
int cmd_intake_history(struct nrm_context *ctx, int argc, char **argv);
int cmd_national(struct nrm_context *ctx, int argc, char **argv);

#endif

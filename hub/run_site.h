/*
 * What `run`, `status` and `config check` share: the site configuration
 * loaded (--config, $NRMHUB_CONFIG, ./nrmhub.json) with its plugins
 * checked, the store it names, and when each job is next due.
 */
#ifndef NRM_RUN_SITE_H
#define NRM_RUN_SITE_H

#include "site_config.h"
#include "registry.h"

#include <stdbool.h>
#include <stdint.h>

struct nrm_context;
struct store;

struct nrm_site {
	struct nrm_config cfg;
	struct nrm_registry reg;
};

/* Loads and checks the configuration and its plugins (logging every
 * problem).  0, or a sysexits.h code (78 for a broken configuration). */
int nrm_site_load(struct nrm_context *ctx, struct nrm_site *site);
void nrm_site_free(struct nrm_site *site);

/* For a command that works without a configuration (cases, export): the
 * configuration if there is one.  Without --config or $NRMHUB_CONFIG a
 * missing ./nrmhub.json only means "none" (*have false, 0).  0, or a
 * sysexits.h code with every problem logged. */
int nrm_site_config_optional(struct nrm_context *ctx, struct nrm_config *cfg, bool *have);
/* The site configuration's pseudonym key and its site (access_log.h), for
 * a command given no --key: both allocated, or both NULL when there is no
 * configuration or it names no key.  0, or a sysexits.h code. */
int nrm_site_access_key(struct nrm_context *ctx, char **site, char **key);

/* The store the site names (--store overrides it). */
const char *nrm_site_store(const struct nrm_context *ctx, const struct nrm_site *site);

/* Whether a job is due at `now`, and why, from its last run and when it
 * was first seen (already read from the ledger; last_started 0 for none,
 * last_retry true when its last run ended waiting to retry). */
struct nrm_due {
	bool due;
	int64_t when;      /* due: the scheduled time that made it due; else the next one (-1 none) */
	const char *why;   /* "scheduled", "retrying", "not yet", "no schedule" */
};
struct nrm_due nrm_job_due(const struct nrm_config_job *job, int64_t first_seen,
                           int64_t last_started, bool last_retry, int64_t now);

/* Parses --now (RFC 3339 or YYYY-MM-DD); 0 or -1. */
int nrm_parse_run_time(const char *text, int64_t *out);
/* A command's --now: `text` parsed, or the clock when it is NULL.  0, or
 * EX_USAGE after saying so as `command`'s usage error. */
int nrm_run_time_arg(const char *command, const char *text, int64_t *out);

#endif

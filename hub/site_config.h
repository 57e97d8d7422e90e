/*
 * The site configuration: one JSON file that describes a site once, for
 * unattended runs (`nrmhub run`, `status`, `config check`).  Found at
 * --config FILE, else $NRMHUB_CONFIG, else ./nrmhub.json.
 *
 * The file is checked whole before anything runs: a syntax error is
 * reported as FILE:LINE:COLUMN, a broken rule with the JSON path of the
 * value ("$.jobs[2].schedule"), an unknown key with the list of keys
 * allowed there.  Relative paths are resolved against the folder that
 * holds the configuration file, so a site's files travel together.
 *
 * {
 *   "state_dir": DIR (relative paths are resolved against it; default: the
 *                configuration's own folder),
 *   "site": {"code", "name", "local_authority", "nation", "joined",
 *            "suppression_threshold", "provisional": {"quarters": N} or {"months": N}},
 *   "store": FILE,
 *   "keys": {"secret_key": FILE, "password_file": FILE, "pseudonym_key": FILE},
 *   "plugin_path": DIR or [DIR...],
 *   "targets": {NAME: {"url" | "folder", "ca_file", "cert", "key", "ssh_key",
 *                      "known_hosts", "retry": {"attempts", "base_ms", "cap_ms"},
 *                      "audience": "official" | "published" | a list of them}},
 *   "jobs": [{"name", "kind", "schedule", "timeout", ...kind's keys}],
 *   "retention": {"years_after_closed", "years_after_last_update"},
 *   "group": a group of this machine that may read the shared outputs,
 *   "alerts": {"url", "from", "to", ...} (e-mail when a person is needed, alerts.h)
 * }
 * Kinds and their keys (see nrmhub(1), SITE CONFIGURATION):
 *   import:  "format", "input" (a glob) or "url", "options", "processed", "ca_file",
 *            "keep_going" (store the good records, set the bad aside), "rejects"
 *            (the rejects report, with {quarter} and {date})
 *   export:  "format", "output" (with {quarter} and {date}), "options", "site"
 *   return:  "audiences", "quarter" (default: the last quarter ended), "outbox",
 *            "review" ("required": held for a person to approve, review_held.h;
 *            "none", the default: signed and put in the outbox), "revision_reason"
 *            (why its builds of a quarter sent before are sent again, return_revision.h)
 *   deliver: "target", "from" (a folder whose files are sent once each)
 *   backup:  none (a copy of the store beside it, store_backup.h)
 */
#ifndef NRM_SITE_CONFIG_H
#define NRM_SITE_CONFIG_H

#include "cron.h"
#include "deliver.h"
#include "job_child.h"
#include "retention.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct nrm_error;

/* The largest configuration file read: 1 MiB. */
#define NRM_CONFIG_MAX_BYTES (1 << 20)

/* Jobs without "timeout" get 30 minutes. */
#define NRM_JOB_DEFAULT_TIMEOUT_MS_CONFIG NRM_JOB_DEFAULT_TIMEOUT_MS

enum nrm_job_kind { NRM_JOB_IMPORT, NRM_JOB_EXPORT, NRM_JOB_RETURN, NRM_JOB_DELIVER,
                   NRM_JOB_BACKUP };
#define NRM_JOB_KINDS 5

/* The audiences a target takes (its "audience"): bits of these. */
#define NRM_TARGET_OFFICIAL 1u
#define NRM_TARGET_PUBLISHED 2u

struct nrm_config_target {
	char *name;
	char *url;               /* a "folder" becomes file://ABSOLUTE/ */
	unsigned audiences;      /* NRM_TARGET_* it takes; 0: any file (no "audience") */
	struct nrm_deliver_opts opts; /* its file names point into the strings below */
	char *ca_file, *cert, *key, *ssh_key, *known_hosts;
};

struct nrm_config_job {
	char *name;
	enum nrm_job_kind kind;
	char *schedule;          /* NULL: only run with `run --job` */
	struct nrm_cron cron;
	long timeout_ms;
	long long memory_bytes;  /* "memory": its address space; 0: the default */
	long long output_bytes;  /* "log_limit": bytes it may write to its log; 0: the default */
	char *format;            /* import, export: the plugin's format */
	char **options;          /* import, export: KEY=VALUE */
	size_t n_options;
	char *input, *url, *processed, *ca_file;  /* import */
	bool keep_going;         /* import: a bad record is set aside, the rest kept */
	char *rejects;           /* import: the rejects report's path template, or NULL */
	char *output, *site;     /* export */
	char **audiences;        /* return */
	size_t n_audiences;
	char *quarter, *outbox;  /* return */
	bool review;             /* return: "review": "required" */
	char *revision_reason;   /* return: why its builds of a quarter sent before
	                            are sent again ("revision_reason"), or NULL */
	char *target, *from;     /* deliver */
	const struct nrm_config_target *target_ref;
};

struct nrm_config {
	char *path;              /* as found */
	char *dir;               /* its folder, absolute */
	char *state_dir;         /* "state_dir", absolute: where relative paths lead
	                            (NULL: dir) */
	char *site_code, *site_name, *local_authority, *nation, *joined;
	char *store;
	char *secret_key, *password_file, *pseudonym_key;
	int suppression_threshold; /* site.suppression_threshold: published returns
	                              hide counts 1..N; 0: the default, 4 */
	/* site.provisional: {"quarters": N} or {"months": N}, which quarters'
	 * figures are [p] (return_revision.h); provisional_unit NULL: the
	 * default, the quarter just ended. */
	const char *provisional_unit; /* "quarters" or "months" (static), or NULL */
	int provisional_n;
	char **plugin_paths;
	size_t n_plugin_paths;
	struct nrm_config_target *targets;
	size_t n_targets;
	struct nrm_config_job *jobs;
	size_t n_jobs;
	struct nrm_retention retention;  /* no limit set: every case is kept */
	char *group;             /* who may read the shared outputs (share_group.h); NULL: nobody */
	gid_t group_id;
	struct nrm_alerts_config *alerts; /* NULL: no "alerts" section (alerts.h) */
};

/* The file to read: `given` (--config), else $NRMHUB_CONFIG, else
 * ./nrmhub.json.  Never NULL. */
const char *nrm_config_locate(const char *given);

/* Reads and checks the file (syntax and rules, not the file system).
 * 0, or -1 with err (EX_NOINPUT missing, EX_CONFIG broken) naming the
 * position or path.  All the problems are logged; err has the first. */
int nrm_config_load(const char *path, struct nrm_config *cfg, struct nrm_error *err);
void nrm_config_free(struct nrm_config *cfg);

const struct nrm_config_job *nrm_config_find_job(const struct nrm_config *cfg,
                                                 const char *name);
const char *nrm_job_kind_name(enum nrm_job_kind kind);

/* The deeper checks of `config check`: each named plugin loads and takes
 * the job's options, folders exist and can be written, keys are readable
 * and private, targets can work.  Each problem is logged; returns the
 * number found (0 all good). */
struct nrm_registry;
int nrm_config_check_deep(const struct nrm_config *cfg, struct nrm_registry *reg);
/* Only the plugins and their options: what every run checks first. */
int nrm_config_check_plugins(const struct nrm_config *cfg, const struct nrm_registry *reg);

#endif

/*
 * The checks of a site configuration that look beyond the file: plugins
 * (every run makes these before any job starts) and, for `config check`,
 * the folders, keys and targets on this machine.  Each problem is logged
 * with the JSON path of the value it is about.
 */
#include "site_config.h"

#include "alerts.h"
#include "log.h"
#include "options.h"
#include "registry.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nrmhub/plugin.h>

/* Each import/export job's plugin exists and takes its options. */
int nrm_config_check_plugins(const struct nrm_config *cfg, const struct nrm_registry *reg)
{
	int problems = 0;
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		if (j->kind != NRM_JOB_IMPORT && j->kind != NRM_JOB_EXPORT)
			continue;
		unsigned cap = j->kind == NRM_JOB_IMPORT ? NRM_CAP_IMPORT : NRM_CAP_EXPORT;
		const struct nrm_module *m = nrm_registry_describe_format(reg, j->format, cap);
		if (!m) {
			char *list = nrm_registry_format_list(reg, cap);
			nrm_log_error("%s: $.jobs[%zu].format: no plugin can %s '%s'; formats: %s",
			              cfg->path, i, cap == NRM_CAP_IMPORT ? "read" : "write",
			              j->format, *list ? list : "none");
			free(list);
			problems++;
			continue;
		}
		struct nrm_optset *set = nrm_optset_new(m->plugin->name, m->plugin->options);
		for (size_t k = 0; k < j->n_options; k++) {
			char *key = nrm_xstrdup(j->options[k]);
			char *eq = strchr(key, '=');
			*eq = '\0';
			struct nrm_error err;
			if (nrm_optset_set(set, key, eq + 1, &err) != 0) {
				nrm_log_error("%s: $.jobs[%zu].options.%s: %s", cfg->path, i, key, err.msg);
				problems++;
			}
			free(key);
		}
		nrm_optset_free(set);
	}
	return problems;
}

/* ---- the file system (config check only) ------------------------------ */

static char *parent_of(const char *path)
{
	char *copy = nrm_xstrdup(path);
	char *slash = strrchr(copy, '/');
	if (slash && slash != copy)
		*slash = '\0';
	else if (slash)
		copy[1] = '\0';
	else
		strcpy(copy, ".");
	return copy;
}

static int check_folder(const struct nrm_config *cfg, const char *where, const char *dir,
                        bool write)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		nrm_log_error("%s: %s: the folder %s does not exist", cfg->path, where, dir);
		return 1;
	}
	if (access(dir, write ? W_OK | X_OK : R_OK | X_OK) != 0) {
		nrm_log_error("%s: %s: the folder %s cannot be %s", cfg->path, where, dir,
		              write ? "written" : "read");
		return 1;
	}
	return 0;
}

/* A folder that holds the site's state (the store, outboxes, drop
 * folders): a warning when others, or a group the configuration does not
 * name, can read or enter it.  What nrmhub makes is 0700 (share_group.h);
 * a folder made by hand may not be. */
static void warn_if_readable(const struct nrm_config *cfg, const char *where, const char *dir)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return;
	mode_t open_to = cfg->group ? (st.st_mode & 007) : (st.st_mode & 077);
	if (open_to)
		nrm_warn("%s: %s: the folder %s holds the site's state and %s can read it "
		         "(mode %04o): chmod %s %s", cfg->path, where, dir,
		         st.st_mode & 007 ? "anyone" : "its group", (unsigned)(st.st_mode & 07777),
		         cfg->group ? "o-rwx" : "go-rwx", dir);
}

/* A file that must exist and be readable; `secret`: not readable by
 * group or others. */
static int check_file(const struct nrm_config *cfg, const char *where, const char *file,
                      bool secret, bool may_be_missing)
{
	struct stat st;
	if (stat(file, &st) != 0) {
		if (may_be_missing && errno == ENOENT) {
			char *dir = parent_of(file);
			int rc = check_folder(cfg, where, dir, true);
			free(dir);
			if (rc == 0)
				nrm_info("%s: %s will be made on first use", where, file);
			return rc;
		}
		nrm_log_error("%s: %s: %s: %s", cfg->path, where, file, strerror(errno));
		return 1;
	}
	if (access(file, R_OK) != 0) {
		nrm_log_error("%s: %s: %s cannot be read", cfg->path, where, file);
		return 1;
	}
	if (secret && (st.st_mode & 077)) {
		nrm_log_error("%s: %s: %s is a secret key that others can read (mode %04o): "
		              "chmod 600 it", cfg->path, where, file, (unsigned)(st.st_mode & 07777));
		return 1;
	}
	return 0;
}

/* The folder of a job's file named with {date} or {quarter} (the job
 * makes it), unless the folder's own name has one; `state`: it holds the
 * site's state, and should not be readable by others. */
static int check_template_folder(const struct nrm_config *cfg, size_t i, const char *key,
                                 const char *file, bool state)
{
	if (!file)
		return 0;
	char where[96];
	snprintf(where, sizeof(where), "$.jobs[%zu].%s", i, key);
	char *dir = parent_of(file);
	int problems = 0;
	if (!strchr(dir, '{')) {
		problems = check_folder(cfg, where, dir, true);
		if (state)
			warn_if_readable(cfg, where, dir);
	}
	free(dir);
	return problems;
}

static int check_job_folders(const struct nrm_config *cfg, size_t i)
{
	const struct nrm_config_job *j = &cfg->jobs[i];
	char where[96];
	int problems = 0;
	char *dir = NULL;
	switch (j->kind) {
	case NRM_JOB_IMPORT:
		if (j->input) {
			snprintf(where, sizeof(where), "$.jobs[%zu].input", i);
			dir = parent_of(j->input);
			problems += check_folder(cfg, where, dir, j->processed == NULL ? false : true);
		}
		if (j->processed) {
			snprintf(where, sizeof(where), "$.jobs[%zu].processed", i);
			problems += check_folder(cfg, where, j->processed, true);
		}
		/* Where the bad records are and why: the site's state. */
		problems += check_template_folder(cfg, i, "rejects", j->rejects, true);
		break;
	case NRM_JOB_EXPORT:
		problems += check_template_folder(cfg, i, "output", j->output, false);
		break;
	case NRM_JOB_RETURN:
		snprintf(where, sizeof(where), "$.jobs[%zu].outbox", i);
		problems += check_folder(cfg, where, j->outbox, true);
		warn_if_readable(cfg, where, j->outbox);
		break;
	case NRM_JOB_DELIVER:
		snprintf(where, sizeof(where), "$.jobs[%zu].from", i);
		problems += check_folder(cfg, where, j->from, false);
		break;
	case NRM_JOB_BACKUP:
		/* Beside the store, whose folder is checked with it. */
		break;
	}
	free(dir);
	return problems;
}

static int check_target(const struct nrm_config *cfg, const struct nrm_config_target *t)
{
	char where[160];
	int problems = 0;
	snprintf(where, sizeof(where), "$.targets.%s", t->name);
	if (!strncmp(t->url, "file://", 7)) {
		char *dir = nrm_xstrdup(t->url + 7);
		size_t n = strlen(dir);
		if (n > 1 && dir[n - 1] != '/') {
			char *p = parent_of(dir);
			free(dir);
			dir = p;
		}
		problems += check_folder(cfg, where, dir, true);
		warn_if_readable(cfg, where, dir);
		free(dir);
	}
	if (t->ca_file)
		problems += check_file(cfg, where, t->ca_file, false, false);
	if (t->cert)
		problems += check_file(cfg, where, t->cert, false, false);
	if (t->key)
		problems += check_file(cfg, where, t->key, true, false);
	if (t->ssh_key)
		problems += check_file(cfg, where, t->ssh_key, true, false);
	if (t->known_hosts)
		problems += check_file(cfg, where, t->known_hosts, false, false);
	return problems;
}

int nrm_config_check_deep(const struct nrm_config *cfg, struct nrm_registry *reg)
{
	int problems = nrm_config_check_plugins(cfg, reg);
	if (cfg->state_dir) {
		problems += check_folder(cfg, "$.state_dir", cfg->state_dir, true);
		warn_if_readable(cfg, "$.state_dir", cfg->state_dir);
	}
	char *dir = parent_of(cfg->store);
	problems += check_folder(cfg, "$.store", dir, true);
	warn_if_readable(cfg, "$.store", dir);
	free(dir);
	if (cfg->secret_key)
		problems += check_file(cfg, "$.keys.secret_key", cfg->secret_key, true, false);
	if (cfg->password_file)
		problems += check_file(cfg, "$.keys.password_file", cfg->password_file, true, false);
	if (cfg->pseudonym_key)
		problems += check_file(cfg, "$.keys.pseudonym_key", cfg->pseudonym_key, true, true);
	for (size_t i = 0; i < cfg->n_plugin_paths; i++)
		problems += check_folder(cfg, "$.plugin_path", cfg->plugin_paths[i], false);
	for (size_t i = 0; i < cfg->n_jobs; i++)
		problems += check_job_folders(cfg, i);
	for (size_t i = 0; i < cfg->n_targets; i++)
		problems += check_target(cfg, &cfg->targets[i]);
	problems += nrm_alerts_config_check(cfg);
	for (size_t i = 0; i < cfg->n_jobs; i++)
		if (cfg->jobs[i].kind == NRM_JOB_RETURN && !cfg->secret_key) {
			nrm_log_error("%s: $.keys.secret_key: job '%s' signs bundles and needs it",
			              cfg->path, cfg->jobs[i].name);
			problems++;
		}
	return problems;
}

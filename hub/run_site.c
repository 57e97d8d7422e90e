/*
 * The site configuration loaded for a command (run_site.h).
 */
#include "run_site.h"

#include "commands.h"
#include "date.h"
#include "log.h"
#include "share_group.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sysexits.h>
#include <time.h>

int nrm_site_load(struct nrm_context *ctx, struct nrm_site *site)
{
	memset(site, 0, sizeof(*site));
	struct nrm_error err = {0};
	const char *path = nrm_config_locate(ctx->config_path);
	if (nrm_config_load(path, &site->cfg, &err) != 0) {
		if (err.code != EX_CONFIG)
			nrm_log_error("%s", err.msg);
		else if (strstr(err.msg, ": $") == NULL)
			nrm_log_error("%s", err.msg); /* a syntax error, not yet logged */
		return err.code;
	}
	if (site->cfg.group)
		nrm_share_group_set(site->cfg.group_id);
	for (size_t i = 0; i < site->cfg.n_plugin_paths; i++)
		nrm_context_add_plugin_path(ctx, site->cfg.plugin_paths[i]);
	nrm_context_load_plugins(ctx, &site->reg);
	if (nrm_config_check_plugins(&site->cfg, &site->reg) != 0) {
		nrm_log_error("%s: the configuration is not usable: nothing was run", path);
		return EX_CONFIG;
	}
	return 0;
}

int nrm_site_config_optional(struct nrm_context *ctx, struct nrm_config *cfg, bool *have)
{
	*have = false;
	memset(cfg, 0, sizeof(*cfg));
	const char *path = nrm_config_locate(ctx->config_path);
	bool named = (ctx->config_path && *ctx->config_path) ||
	             (getenv("NRMHUB_CONFIG") && *getenv("NRMHUB_CONFIG"));
	if (!named && access(path, F_OK) != 0)
		return 0;
	struct nrm_error err = {0};
	if (nrm_config_load(path, cfg, &err) != 0) {
		if (err.code != EX_CONFIG || strstr(err.msg, ": $") == NULL)
			nrm_log_error("%s", err.msg);
		nrm_config_free(cfg);
		return err.code;
	}
	if (cfg->group)
		nrm_share_group_set(cfg->group_id);
	*have = true;
	return 0;
}

int nrm_site_access_key(struct nrm_context *ctx, char **site, char **key)
{
	*site = *key = NULL;
	struct nrm_config cfg;
	bool have;
	int rc = nrm_site_config_optional(ctx, &cfg, &have);
	if (rc || !have)
		return rc;
	if (cfg.pseudonym_key && cfg.site_code) {
		*site = nrm_xstrdup(cfg.site_code);
		*key = nrm_xstrdup(cfg.pseudonym_key);
	}
	nrm_config_free(&cfg);
	return 0;
}

void nrm_site_free(struct nrm_site *site)
{
	nrm_registry_free(&site->reg);
	nrm_config_free(&site->cfg);
}

const char *nrm_site_store(const struct nrm_context *ctx, const struct nrm_site *site)
{
	return ctx->store_path ? ctx->store_path : site->cfg.store;
}

struct nrm_due nrm_job_due(const struct nrm_config_job *job, int64_t first_seen,
                           int64_t last_started, bool last_retry, int64_t now)
{
	struct nrm_due d = {.due = false, .when = -1, .why = "no schedule"};
	if (!job->schedule)
		return d;
	int64_t since = last_started ? last_started : first_seen;
	time_t next = nrm_cron_next(&job->cron, (time_t)since);
	if (last_retry) {
		d.due = true;
		d.when = last_started;
		d.why = "retrying";
		return d;
	}
	d.when = next;
	if (next != (time_t)-1 && next <= now) {
		d.due = true;
		d.why = "scheduled";
	} else {
		d.why = "not yet";
	}
	return d;
}

int nrm_run_time_arg(const char *command, const char *text, int64_t *out)
{
	*out = (int64_t)time(NULL);
	if (text && nrm_parse_run_time(text, out) != 0)
		return nrm_usage_error(command, "--now '%s': not an RFC 3339 time or a date", text);
	return 0;
}

int nrm_parse_run_time(const char *text, int64_t *out)
{
	size_t n = strlen(text);
	int32_t day;
	if (n == 10 && nrm_date_parse_iso(text, n, &day) == 0) {
		*out = (int64_t)day * 86400;
		return 0;
	}
	return nrm_time_parse_rfc3339(text, n, out) == 0 ? 0 : -1;
}

/*
 * Reading the site configuration (config.h): jansson parses, this file
 * checks every value against its rule and turns it into struct nrm_config.
 * Every problem is logged with the file and the JSON path; the first is
 * also returned, so that a site sees all its mistakes in one go.
 */
#include "site_config.h"
#include "revision_policy.h"

#include "alerts.h"
#include "date.h"
#include "gss.h"
#include "log.h"
#include "quarter.h"
#include "site_name.h"
#include "util.h"

#include <ctype.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include <jansson.h>

struct walk {
	const char *file;
	const char *dir;
	int problems;
	struct nrm_error *err;
};

static void bad(struct walk *w, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad(struct walk *w, const char *path, const char *fmt, ...)
{
	char why[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	nrm_log_error("%s: %s: %s", w->file, path, why);
	if (w->problems++ == 0)
		nrm_fail(w->err, EX_CONFIG, "%s: %s: %s", w->file, path, why);
}

/* Refuses keys of `obj` not in `allowed` (NULL-terminated), listing them. */
static void only_keys(struct walk *w, json_t *obj, const char *path,
                      const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		bool known = false;
		for (size_t i = 0; allowed[i] && !known; i++)
			known = strcmp(key, allowed[i]) == 0;
		if (known)
			continue;
		char list[512] = "";
		for (size_t i = 0; allowed[i]; i++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", allowed[i]);
		}
		bad(w, path, "unknown key '%s'; allowed here: %s", key, list);
	}
}

static char *sub(const char *path, const char *key)
{
	return nrm_xasprintf("%s.%s", path, key);
}

/* A string member: a copy, or NULL when absent (an error if required). */
static char *get_str(struct walk *w, json_t *obj, const char *key, const char *path,
                     bool required)
{
	json_t *v = json_object_get(obj, key);
	char *p = sub(path, key);
	char *out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			bad(w, p, "required, and missing");
	} else if (!json_is_string(v) || json_string_length(v) == 0)
		bad(w, p, "must be a non-empty string");
	else if (strlen(json_string_value(v)) != json_string_length(v))
		bad(w, p, "must not hold a NUL character");
	else
		out = nrm_xstrdup(json_string_value(v));
	free(p);
	return out;
}

/* A path, made absolute against the configuration's folder. */
static char *resolve(const struct walk *w, char *text)
{
	if (!text || text[0] == '/')
		return text;
	char *abs = nrm_xasprintf("%s/%s", w->dir, text);
	free(text);
	return abs;
}

static char *get_path(struct walk *w, json_t *obj, const char *key, const char *path,
                      bool required)
{
	return resolve(w, get_str(w, obj, key, path, required));
}

/* A true/false member; false when absent. */
static bool get_bool(struct walk *w, json_t *obj, const char *key, const char *path)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_boolean(v))
		return json_is_true(v);
	char *p = sub(path, key);
	bad(w, p, "must be true or false");
	free(p);
	return false;
}

static bool name_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' && *s != '.')
			return false;
	return true;
}

/* ---- site ------------------------------------------------------------- */

static long get_long(struct walk *w, json_t *obj, const char *key, const char *path,
                     long dflt, long min, long max);

/* site.provisional: which quarters' figures are [p] (return_revision.h),
 * {"quarters": N} (the N latest; 0: none) or {"months": N} (those that
 * ended less than N months before the return was built). */
static void read_provisional(struct walk *w, json_t *p, struct nrm_config *cfg)
{
	static const char *const keys[] = {"quarters", "months", NULL};
	if (!p)
		return;
	if (!json_is_object(p) || json_object_size(p) != 1) {
		bad(w, "$.site.provisional", "must be {\"quarters\": N} or {\"months\": N}");
		return;
	}
	only_keys(w, p, "$.site.provisional", keys);
	bool quarters = json_object_get(p, "quarters") != NULL;
	cfg->provisional_unit = quarters ? "quarters" : "months";
	cfg->provisional_n = (int)get_long(w, p, cfg->provisional_unit, "$.site.provisional", 0, 0,
	                                   quarters ? NRM_PROVISIONAL_MAX_QUARTERS
	                                            : NRM_PROVISIONAL_MAX_MONTHS);
}

static void read_site(struct walk *w, json_t *site, struct nrm_config *cfg)
{
	static const char *const keys[] = {"code", "name", "local_authority", "nation",
	                                   "joined", "suppression_threshold", "provisional", NULL};
	if (!json_is_object(site)) {
		bad(w, "$.site", "required, and must be an object");
		return;
	}
	only_keys(w, site, "$.site", keys);
	cfg->site_code = get_str(w, site, "code", "$.site", true);
	cfg->site_name = get_str(w, site, "name", "$.site", false);
	cfg->local_authority = get_str(w, site, "local_authority", "$.site", false);
	cfg->nation = get_str(w, site, "nation", "$.site", false);
	cfg->joined = get_str(w, site, "joined", "$.site", false);
	/* The published returns' small-count threshold (formats/return.md):
	 * a site with very few children may want more than the default. */
	cfg->suppression_threshold = (int)get_long(w, site, "suppression_threshold", "$.site", 0,
	                                           1, 100);
	if (cfg->site_code && !name_ok(cfg->site_code))
		bad(w, "$.site.code", "'%s': letters, digits, '-', '_' and '.' only", cfg->site_code);
	/* The name stands in every output and in bag-info.txt, one field. */
	const char *name_problem = cfg->site_name ? nrm_site_name_problem(cfg->site_name) : NULL;
	if (name_problem)
		bad(w, "$.site.name", "%s", name_problem);
	if (cfg->local_authority && !nrm_gss_is_local_authority(cfg->local_authority))
		bad(w, "$.site.local_authority", "'%s' is not a local authority's GSS code (%s)",
		    cfg->local_authority, nrm_gss_local_authority_types);
	if (cfg->nation && !nrm_gss_is_nation(cfg->nation))
		bad(w, "$.site.nation", "'%s' is not a nation's GSS code (E92000001, "
		    "W92000004, S92000003, N92000002)", cfg->nation);
	int32_t day;
	if (cfg->joined && nrm_date_parse_iso(cfg->joined, strlen(cfg->joined), &day))
		bad(w, "$.site.joined", "'%s' is not a date (YYYY-MM-DD)", cfg->joined);
	read_provisional(w, json_object_get(site, "provisional"), cfg);
}

/* ---- targets ---------------------------------------------------------- */

static long get_long(struct walk *w, json_t *obj, const char *key, const char *path,
                     long dflt, long min, long max)
{
	json_t *v = json_object_get(obj, key);
	if (!v)
		return dflt;
	char *p = sub(path, key);
	long out = dflt;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		bad(w, p, "must be a whole number from %ld to %ld", min, max);
	else
		out = (long)json_integer_value(v);
	free(p);
	return out;
}

static void read_retry(struct walk *w, json_t *r, const char *path, struct nrm_retry_policy *p)
{
	static const char *const keys[] = {"attempts", "base_ms", "cap_ms", NULL};
	if (!json_is_object(r)) {
		bad(w, path, "must be an object");
		return;
	}
	only_keys(w, r, path, keys);
	p->attempts = (unsigned)get_long(w, r, "attempts", path, (long)p->attempts, 1, 100);
	p->base_ms = get_long(w, r, "base_ms", path, p->base_ms, 0, 3600000);
	p->cap_ms = get_long(w, r, "cap_ms", path, p->cap_ms, 0, 3600000);
	struct nrm_error e;
	if (nrm_retry_check(p, &e))
		bad(w, path, "%s", e.msg);
}

/* "audience": one audience, or a list: what the target may be sent. */
static unsigned read_audiences(struct walk *w, json_t *v, const char *path)
{
	if (!v)
		return 0;
	char *p = sub(path, "audience");
	unsigned bits = 0;
	size_t n = json_is_array(v) ? json_array_size(v) : 1;
	for (size_t i = 0; i < n; i++) {
		const char *s = json_string_value(json_is_array(v) ? json_array_get(v, i) : v);
		if (s && strcmp(s, "official") == 0)
			bits |= NRM_TARGET_OFFICIAL;
		else if (s && strcmp(s, "published") == 0)
			bits |= NRM_TARGET_PUBLISHED;
		else {
			bad(w, p, "\"official\" or \"published\", or a list of them");
			break;
		}
	}
	if (n == 0)
		bad(w, p, "an empty list would take nothing: name \"official\", \"published\" or "
		    "both");
	free(p);
	return bits;
}

static void read_target(struct walk *w, const char *name, json_t *t, const char *path,
                        struct nrm_config_target *out)
{
	static const char *const keys[] = {"url", "folder", "ca_file", "cert", "key", "ssh_key",
	                                   "known_hosts", "retry", "audience", NULL};
	out->name = nrm_xstrdup(name);
	nrm_deliver_opts_init(&out->opts);
	if (!name_ok(name))
		bad(w, path, "a target's name: letters, digits, '-', '_' and '.' only");
	if (!json_is_object(t)) {
		bad(w, path, "must be an object");
		return;
	}
	only_keys(w, t, path, keys);
	out->url = get_str(w, t, "url", path, false);
	char *folder = get_path(w, t, "folder", path, false);
	if (!out->url == !folder)
		bad(w, path, "give one of \"url\" (https://, sftp:// or file://) and \"folder\"");
	if (folder) {
		out->url = nrm_xasprintf("file://%s/", folder);
		free(folder);
	} else if (out->url && strncmp(out->url, "https://", 8) && strncmp(out->url, "sftp://", 7) &&
	           strncmp(out->url, "file:///", 8)) {
		char *p = sub(path, "url");
		bad(w, p, "'%s': only https://, sftp:// and file:/// URLs can be delivered to",
		    out->url);
		free(p);
	}
	out->ca_file = get_path(w, t, "ca_file", path, false);
	out->cert = get_path(w, t, "cert", path, false);
	out->key = get_path(w, t, "key", path, false);
	out->ssh_key = get_path(w, t, "ssh_key", path, false);
	out->known_hosts = get_path(w, t, "known_hosts", path, false);
	out->audiences = read_audiences(w, json_object_get(t, "audience"), path);
	if (!out->cert != !out->key)
		bad(w, path, "\"cert\" and \"key\" go together");
	if (out->url && !strncmp(out->url, "sftp://", 7) && (!out->ssh_key || !out->known_hosts))
		bad(w, path, "an sftp:// target needs \"ssh_key\" and \"known_hosts\"");
	out->opts.ca_file = out->ca_file;
	out->opts.cert_file = out->cert;
	out->opts.key_file = out->key;
	out->opts.ssh_key_file = out->ssh_key;
	out->opts.known_hosts = out->known_hosts;
	json_t *r = json_object_get(t, "retry");
	if (r) {
		char *p = sub(path, "retry");
		read_retry(w, r, p, &out->opts.retry);
		free(p);
	}
}

static void read_targets(struct walk *w, json_t *targets, struct nrm_config *cfg)
{
	if (!targets)
		return;
	if (!json_is_object(targets)) {
		bad(w, "$.targets", "must be an object of named targets");
		return;
	}
	cfg->targets = nrm_xcalloc(json_object_size(targets) + 1, sizeof(*cfg->targets));
	const char *name;
	json_t *t;
	json_object_foreach(targets, name, t) {
		char *p = nrm_xasprintf("$.targets.%s", name);
		read_target(w, name, t, p, &cfg->targets[cfg->n_targets++]);
		free(p);
	}
}

/* ---- jobs ------------------------------------------------------------- */

/* "90", 90, "90s", "30m", "2h": 1 second to 24 hours. */
static long read_timeout(struct walk *w, json_t *v, const char *path)
{
	const long long max_ms = 24LL * 3600000;
	long long n = -1, unit = 1000;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v) && json_string_length(v) < 32) { /* longer: not a time */
		char text[32];
		snprintf(text, sizeof(text), "%s", json_string_value(v));
		size_t len = strlen(text);
		if (len > 1 && strchr("smh", text[len - 1])) {
			unit = text[len - 1] == 's' ? 1000 : text[len - 1] == 'm' ? 60000 : 3600000;
			text[len - 1] = '\0';
		}
		if (!nrm_parse_int64(text, &n))
			n = -1;
	}
	/* Compared before multiplying: a huge count must not overflow (the
	 * fuzzer's find, tests/fuzz/regressions/config/). */
	if (n < 1 || n > max_ms / unit) {
		bad(w, path, "a time limit from 1 second to 24 hours: seconds, or a number "
		    "with s, m or h (\"30m\")");
		return NRM_JOB_DEFAULT_TIMEOUT_MS_CONFIG;
	}
	return (long)(n * unit);
}

/* "512M", "2G", "64K" (binary units) or a number of bytes, from `min` to
 * `max`; -1 (reported) otherwise. */
static long long read_size(struct walk *w, json_t *v, const char *path, long long min,
                           long long max, const char *what)
{
	long long n = -1, unit = 1;
	if (json_is_integer(v))
		n = json_integer_value(v);
	else if (json_is_string(v) && json_string_length(v) < 32) {
		char text[32];
		snprintf(text, sizeof(text), "%s", json_string_value(v));
		size_t len = strlen(text);
		const char *units = "KMG";
		const char *u = len > 1 ? strchr(units, text[len - 1]) : NULL;
		if (u) {
			unit = 1LL << (10 * (u - units + 1));
			text[len - 1] = '\0';
		}
		if (!nrm_parse_int64(text, &n))
			n = -1;
	}
	if (n < 1 || n > max / unit || n * unit < min) {
		bad(w, path, "%s: a number of bytes, or a number with K, M or G (\"512M\")", what);
		return 0;
	}
	return n * unit;
}

/* Plugin options as KEY=VALUE: strings, numbers and booleans. */
static void read_options(struct walk *w, json_t *o, const char *path, struct nrm_config_job *j)
{
	if (!o)
		return;
	if (!json_is_object(o)) {
		bad(w, path, "must be an object of option names and values");
		return;
	}
	j->options = nrm_xcalloc(json_object_size(o) + 1, sizeof(char *));
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		char *value = NULL;
		if (json_is_string(v))
			value = nrm_xstrdup(json_string_value(v));
		else if (json_is_integer(v))
			value = nrm_xasprintf("%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			value = nrm_xstrdup(json_is_true(v) ? "true" : "false");
		else {
			char *p = sub(path, key);
			bad(w, p, "an option's value is a string, a whole number or true/false");
			free(p);
			continue;
		}
		j->options[j->n_options++] = nrm_xasprintf("%s=%s", key, value);
		free(value);
	}
}

static void read_import(struct walk *w, json_t *o, const char *path, struct nrm_config_job *j)
{
	j->input = get_path(w, o, "input", path, false);
	j->url = get_str(w, o, "url", path, false);
	j->processed = get_path(w, o, "processed", path, false);
	j->ca_file = get_path(w, o, "ca_file", path, false);
	j->keep_going = get_bool(w, o, "keep_going", path);
	j->rejects = get_path(w, o, "rejects", path, false);
	if (!j->input == !j->url)
		bad(w, path, "an import job takes one of \"input\" (a file pattern) and \"url\"");
	if (j->url && strncmp(j->url, "https://", 8) && strncmp(j->url, "http://", 7)) {
		char *p = sub(path, "url");
		bad(w, p, "'%s': only http:// and https:// URLs are fetched", j->url);
		free(p);
	}
	if (j->url && j->processed)
		bad(w, path, "\"processed\" is for files matched by \"input\", not for a URL");
}

static void read_return(struct walk *w, json_t *o, const char *path, struct nrm_config_job *j)
{
	j->outbox = get_path(w, o, "outbox", path, true);
	char *review = get_str(w, o, "review", path, false);
	if (review && strcmp(review, "required") == 0)
		j->review = true;
	else if (review && strcmp(review, "none") != 0) {
		char *p = sub(path, "review");
		bad(w, p, "'%s': \"required\" (held until a person approves it: nrmhub return "
		    "approve) or \"none\"", review);
		free(p);
	}
	free(review);
	j->revision_reason = get_str(w, o, "revision_reason", path, false);
	const char *why = j->revision_reason ? nrm_revision_reason_problem(j->revision_reason) : NULL;
	if (why) {
		char *p = sub(path, "revision_reason");
		bad(w, p, "%s", why);
		free(p);
	}
	j->quarter = get_str(w, o, "quarter", path, false);
	struct nrm_quarter q;
	if (j->quarter && nrm_quarter_parse(j->quarter, &q)) {
		char *p = sub(path, "quarter");
		bad(w, p, "'%s' is not a quarter (YYYYQn)", j->quarter);
		free(p);
	}
	json_t *a = json_object_get(o, "audiences");
	char *p = sub(path, "audiences");
	if (!a) {
		j->audiences = nrm_xcalloc(1, sizeof(char *));
		j->audiences[j->n_audiences++] = nrm_xstrdup("official");
	} else if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > 2) {
		bad(w, p, "a list of one or two audiences: \"official\", \"published\"");
	} else {
		j->audiences = nrm_xcalloc(json_array_size(a), sizeof(char *));
		size_t i;
		json_t *v;
		json_array_foreach(a, i, v) {
			const char *s = json_string_value(v);
			if (!s || (strcmp(s, "official") && strcmp(s, "published")))
				bad(w, p, "[%zu]: an audience is \"official\" or \"published\"", i);
			else
				j->audiences[j->n_audiences++] = nrm_xstrdup(s);
		}
	}
	free(p);
}

static void read_job_kind(struct walk *w, json_t *o, const char *path, struct nrm_config_job *j)
{
	/* "log_limit", not "output": an export's "output" is its file. */
	static const char *const common[] = {"name", "kind", "schedule", "timeout", "memory",
	                                     "log_limit"};
	static const char *const extra[][10] = {
		[NRM_JOB_IMPORT] = {"format", "input", "url", "options", "processed", "ca_file",
		                    "keep_going", "rejects"},
		[NRM_JOB_EXPORT] = {"format", "output", "options", "site"},
		[NRM_JOB_RETURN] = {"audiences", "quarter", "outbox", "review", "revision_reason"},
		[NRM_JOB_DELIVER] = {"target", "from"},
		[NRM_JOB_BACKUP] = {NULL},
	};
	const char *allowed[sizeof(common) / sizeof(common[0]) + 10 + 1];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		allowed[n++] = common[i];
	for (size_t i = 0; i < 10 && extra[j->kind][i]; i++)
		allowed[n++] = extra[j->kind][i];
	allowed[n] = NULL;
	only_keys(w, o, path, allowed);
	char *p = sub(path, "options");
	switch (j->kind) {
	case NRM_JOB_IMPORT:
		j->format = get_str(w, o, "format", path, true);
		read_options(w, json_object_get(o, "options"), p, j);
		read_import(w, o, path, j);
		break;
	case NRM_JOB_EXPORT:
		j->format = get_str(w, o, "format", path, true);
		j->output = get_path(w, o, "output", path, true);
		j->site = get_str(w, o, "site", path, false);
		read_options(w, json_object_get(o, "options"), p, j);
		break;
	case NRM_JOB_RETURN:
		read_return(w, o, path, j);
		break;
	case NRM_JOB_DELIVER:
		j->target = get_str(w, o, "target", path, true);
		j->from = get_path(w, o, "from", path, true);
		break;
	case NRM_JOB_BACKUP:
		break;
	}
	free(p);
}

static void read_job(struct walk *w, json_t *o, const char *path, struct nrm_config_job *j)
{
	j->timeout_ms = NRM_JOB_DEFAULT_TIMEOUT_MS_CONFIG;
	if (!json_is_object(o)) {
		bad(w, path, "a job is an object");
		return;
	}
	j->name = get_str(w, o, "name", path, true);
	if (j->name && !name_ok(j->name)) {
		char *p = sub(path, "name");
		bad(w, p, "'%s': letters, digits, '-', '_' and '.' only", j->name);
		free(p);
	}
	char *kind = get_str(w, o, "kind", path, true);
	int k = -1;
	for (int i = 0; kind && i < NRM_JOB_KINDS; i++)
		if (strcmp(kind, nrm_job_kind_name((enum nrm_job_kind)i)) == 0)
			k = i;
	char *p = sub(path, "kind");
	if (kind && k < 0) {
		char allowed[80] = "";
		for (int i = 0; i < NRM_JOB_KINDS; i++)
			snprintf(allowed + strlen(allowed), sizeof(allowed) - strlen(allowed), "%s%s",
			         i ? ", " : "", nrm_job_kind_name((enum nrm_job_kind)i));
		bad(w, p, "'%s' is not a kind of job; allowed: %s", kind, allowed);
	}
	free(p);
	free(kind);
	j->schedule = get_str(w, o, "schedule", path, false);
	if (j->schedule) {
		struct nrm_error e;
		p = sub(path, "schedule");
		if (nrm_cron_parse(j->schedule, &j->cron, &e))
			bad(w, p, "'%s': %s", j->schedule, e.msg);
		free(p);
	}
	json_t *t = json_object_get(o, "timeout");
	if (t) {
		p = sub(path, "timeout");
		j->timeout_ms = read_timeout(w, t, p);
		free(p);
	}
	if ((t = json_object_get(o, "memory"))) {
		p = sub(path, "memory");
		j->memory_bytes = read_size(w, t, p, 16LL << 20, 1LL << 40, "from 16M to 1024G");
		free(p);
	}
	if ((t = json_object_get(o, "log_limit"))) {
		p = sub(path, "log_limit");
		j->output_bytes = read_size(w, t, p, 1024, 1LL << 30, "from 1K to 1G");
		free(p);
	}
	if (k < 0)
		return;
	j->kind = (enum nrm_job_kind)k;
	read_job_kind(w, o, path, j);
}

static void link_jobs(struct walk *w, struct nrm_config *cfg)
{
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		struct nrm_config_job *j = &cfg->jobs[i];
		char path[64];
		snprintf(path, sizeof(path), "$.jobs[%zu]", i);
		for (size_t k = 0; k < i && j->name; k++)
			if (cfg->jobs[k].name && strcmp(cfg->jobs[k].name, j->name) == 0)
				bad(w, path, "a second job named '%s' (names are unique)", j->name);
		if (j->kind != NRM_JOB_DELIVER || !j->target)
			continue;
		for (size_t k = 0; k < cfg->n_targets; k++)
			if (strcmp(cfg->targets[k].name, j->target) == 0)
				j->target_ref = &cfg->targets[k];
		if (!j->target_ref)
			bad(w, path, "\"target\": no target named '%s' in $.targets", j->target);
	}
}

static void read_jobs(struct walk *w, json_t *jobs, struct nrm_config *cfg)
{
	if (!json_is_array(jobs)) {
		bad(w, "$.jobs", "required, and must be a list of jobs");
		return;
	}
	cfg->jobs = nrm_xcalloc(json_array_size(jobs) + 1, sizeof(*cfg->jobs));
	size_t i;
	json_t *o;
	json_array_foreach(jobs, i, o) {
		char path[64];
		snprintf(path, sizeof(path), "$.jobs[%zu]", i);
		read_job(w, o, path, &cfg->jobs[cfg->n_jobs++]);
	}
	link_jobs(w, cfg);
}

/* ---- the file --------------------------------------------------------- */

const char *nrm_config_locate(const char *given)
{
	if (given && *given)
		return given;
	const char *env = getenv("NRMHUB_CONFIG");
	if (env && *env)
		return env;
	return "./nrmhub.json";
}

static char *folder_of(const char *path)
{
	char *copy = nrm_xstrdup(path);
	char *slash = strrchr(copy, '/');
	if (slash == copy)
		copy[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(copy, ".");
	char *abs = realpath(copy, NULL);
	if (abs) {
		free(copy);
		return abs;
	}
	return copy;
}

static void read_keys(struct walk *w, json_t *keys, struct nrm_config *cfg)
{
	static const char *const allowed[] = {"secret_key", "password_file", "pseudonym_key", NULL};
	if (!keys)
		return;
	if (!json_is_object(keys)) {
		bad(w, "$.keys", "must be an object");
		return;
	}
	only_keys(w, keys, "$.keys", allowed);
	cfg->secret_key = get_path(w, keys, "secret_key", "$.keys", false);
	cfg->password_file = get_path(w, keys, "password_file", "$.keys", false);
	cfg->pseudonym_key = get_path(w, keys, "pseudonym_key", "$.keys", false);
}

static void read_plugin_path(struct walk *w, json_t *pp, struct nrm_config *cfg)
{
	if (!pp)
		return;
	size_t n = json_is_array(pp) ? json_array_size(pp) : 1;
	cfg->plugin_paths = nrm_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_is_array(pp) ? json_array_get(pp, i) : pp;
		if (!json_is_string(v) || json_string_length(v) == 0) {
			bad(w, "$.plugin_path", "a folder, or a list of folders");
			continue;
		}
		cfg->plugin_paths[cfg->n_plugin_paths++] =
			resolve(w, nrm_xstrdup(json_string_value(v)));
	}
}

/* "retention" (retention.h): each limit optional, at least one. */
static void read_retention(struct walk *w, json_t *r, struct nrm_config *cfg)
{
	static const char *const keys[] = {"years_after_closed", "years_after_last_update", NULL};
	if (!r)
		return;
	if (!json_is_object(r)) {
		bad(w, "$.retention", "must be an object, e.g. {\"years_after_closed\": 6}");
		return;
	}
	only_keys(w, r, "$.retention", keys);
	cfg->retention.years_after_closed = (int)get_long(w, r, "years_after_closed", "$.retention",
	                                                  0, 1, NRM_RETENTION_MAX_YEARS);
	cfg->retention.years_after_last_update = (int)get_long(w, r, "years_after_last_update",
	                                                       "$.retention", 0, 1,
	                                                       NRM_RETENTION_MAX_YEARS);
	if (json_object_size(r) == 0)
		bad(w, "$.retention", "names no limit: give years_after_closed, "
		    "years_after_last_update or both (or leave retention out to keep every case)");
}

/* "group": a group of this machine that may read the shared outputs. */
static void read_group(struct walk *w, json_t *root, struct nrm_config *cfg)
{
	cfg->group = get_str(w, root, "group", "$", false);
	if (!cfg->group)
		return;
	struct group *g = getgrnam(cfg->group);
	if (!g)
		bad(w, "$.group", "no group '%s' on this machine (see getent group)", cfg->group);
	else
		cfg->group_id = g->gr_gid;
}

/* "state_dir": the folder every other relative path is resolved against.
 * A deployed site keeps its configuration in /etc/nrmhub, which the
 * service cannot write, and its store, keys and outbox in /var/lib/nrmhub. */
static void read_state_dir(struct walk *w, json_t *root, struct nrm_config *cfg)
{
	cfg->state_dir = get_path(w, root, "state_dir", "$", false);
	if (cfg->state_dir)
		w->dir = cfg->state_dir;
}

/* "alerts": its own table of keys (alerts_config.c); its problems count
 * with the rest. */
static void read_alerts(struct walk *w, json_t *a, struct nrm_config *cfg)
{
	if (!a)
		return;
	struct nrm_error first = {0};
	int n = nrm_alerts_config_read(a, w->file, w->dir, &cfg->alerts, &first);
	if (n && w->problems == 0 && w->err)
		*w->err = first;
	w->problems += n;
}

static void read_root(struct walk *w, json_t *root, struct nrm_config *cfg)
{
	static const char *const keys[] = {"site", "store", "keys", "plugin_path", "targets",
	                                   "jobs", "retention", "group", "alerts", "state_dir",
	                                   NULL};
	if (!json_is_object(root)) {
		bad(w, "$", "the configuration is a JSON object");
		return;
	}
	only_keys(w, root, "$", keys);
	read_state_dir(w, root, cfg);
	read_site(w, json_object_get(root, "site"), cfg);
	cfg->store = get_path(w, root, "store", "$", true);
	read_keys(w, json_object_get(root, "keys"), cfg);
	read_plugin_path(w, json_object_get(root, "plugin_path"), cfg);
	read_targets(w, json_object_get(root, "targets"), cfg);
	read_jobs(w, json_object_get(root, "jobs"), cfg);
	read_retention(w, json_object_get(root, "retention"), cfg);
	read_group(w, root, cfg);
	read_alerts(w, json_object_get(root, "alerts"), cfg);
}

int nrm_config_load(const char *path, struct nrm_config *cfg, struct nrm_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = nrm_xstrdup(path);
	if (access(path, F_OK) != 0)
		return nrm_fail(err, EX_NOINPUT, "%s: no site configuration here (give --config "
		                "FILE or set NRMHUB_CONFIG)", path);
	/* A site's configuration is a page or two; anything far larger is not
	 * one, and is not read into memory. */
	struct stat st;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > NRM_CONFIG_MAX_BYTES)
		return nrm_fail(err, EX_CONFIG, "%s: %lld bytes: a site configuration is at most "
		                "%d bytes", path, (long long)st.st_size, NRM_CONFIG_MAX_BYTES);
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return nrm_fail(err, EX_CONFIG, "%s:%d:%d: %s", path, je.line, je.column, je.text);
	cfg->dir = folder_of(path);
	struct walk w = {.file = path, .dir = cfg->dir, .err = err};
	read_root(&w, root, cfg);
	json_decref(root);
	if (w.problems > 1)
		nrm_log_error("%s: %d problems: nothing was run", path, w.problems);
	return w.problems ? -1 : 0;
}

/* ---- lookups and freeing ---------------------------------------------- */

const struct nrm_config_job *nrm_config_find_job(const struct nrm_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_jobs; i++)
		if (cfg->jobs[i].name && strcmp(cfg->jobs[i].name, name) == 0)
			return &cfg->jobs[i];
	return NULL;
}

const char *nrm_job_kind_name(enum nrm_job_kind kind)
{
	static const char *const names[NRM_JOB_KINDS] = {"import", "export", "return", "deliver",
	                                                 "backup"};
	return names[kind];
}

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void free_job(struct nrm_config_job *j)
{
	free(j->name);
	free(j->schedule);
	free(j->format);
	free_list(j->options, j->n_options);
	free(j->input);
	free(j->url);
	free(j->processed);
	free(j->ca_file);
	free(j->rejects);
	free(j->output);
	free(j->site);
	free_list(j->audiences, j->n_audiences);
	free(j->quarter);
	free(j->outbox);
	free(j->revision_reason);
	free(j->target);
	free(j->from);
}

void nrm_config_free(struct nrm_config *cfg)
{
	for (size_t i = 0; i < cfg->n_jobs; i++)
		free_job(&cfg->jobs[i]);
	free(cfg->jobs);
	for (size_t i = 0; i < cfg->n_targets; i++) {
		struct nrm_config_target *t = &cfg->targets[i];
		free(t->name);
		free(t->url);
		free(t->ca_file);
		free(t->cert);
		free(t->key);
		free(t->ssh_key);
		free(t->known_hosts);
	}
	free(cfg->targets);
	free_list(cfg->plugin_paths, cfg->n_plugin_paths);
	free(cfg->path);
	free(cfg->dir);
	free(cfg->state_dir);
	free(cfg->site_code);
	free(cfg->site_name);
	free(cfg->local_authority);
	free(cfg->nation);
	free(cfg->joined);
	free(cfg->store);
	free(cfg->secret_key);
	free(cfg->password_file);
	free(cfg->pseudonym_key);
	free(cfg->group);
	nrm_alerts_config_free(cfg->alerts);
	memset(cfg, 0, sizeof(*cfg));
}

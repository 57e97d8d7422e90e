/*
 * The problems an alert is mailed for (alerts.h), found in the store at
 * the run's time.  Each message names a job, a target and a file, a
 * quarter, counts and times: the ledger's own words about a job, which
 * never hold a case's values, and nothing read from the cases.
 */
#include "alerts.h"

#include "date.h"
#include "ledger.h"
#include "london_time.h"
#include "quarter.h"
#include "review_held.h"
#include "site_config.h"
#include "store_alerts.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400

void nrm_alert_list_free(struct nrm_alert_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].subject);
		free(l->v[i].body);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Control characters, except the body's newlines, become '?'. */
static char *clean(const char *text, bool lines)
{
	char *out = nrm_xstrdup(text);
	for (char *p = out; *p; p++)
		if (((unsigned char)*p < ' ' && !(lines && *p == '\n')) || *p == 127)
			*p = '?';
	return out;
}

void nrm_alert_add(struct nrm_alert_list *l, const char *key, const char *subject,
                   const char *body)
{
	l->v = nrm_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (struct nrm_alert){.key = clean(key, false),
	                                  .subject = clean(subject, false),
	                                  .body = clean(body, true)};
}

static const char *site_of(const struct nrm_config *cfg)
{
	return cfg->site_code ? cfg->site_code : "site";
}

/* ---- jobs -------------------------------------------------------------- */

/* A job whose last run "failed" is one run's judge (cmd_run.c) found
 * needing a person: bad data, a crash, a refusal; "retry" is not. */
static int find_failed_job(const struct nrm_config *cfg, const struct nrm_config_job *j,
                           struct store *s, struct nrm_alert_list *l)
{
	struct ledger_run last;
	int got = ledger_job_last(s, j->name, &last);
	if (got != 0)
		return got < 0 ? -1 : 0;
	if (strcmp(last.status, "failed") != 0)
		return 0;
	char when[40];
	nrm_london_format((time_t)last.ended_at, when, sizeof(when));
	char *message = clean(last.message, false);
	char *key = nrm_xasprintf("job:%s", j->name);
	char *subject = nrm_xasprintf("[nrmhub %s] job %s needs a person", site_of(cfg), j->name);
	char *body = nrm_xasprintf("The %s job %s of site %s ended at %s and needs a person:\n"
	                           "\n  %s\n\n"
	                           "Its last runs: nrmhub --config %s status\n"
	                           "Run it again when it is mended: nrmhub --config %s run --job %s\n",
	                           nrm_job_kind_name(j->kind), j->name, site_of(cfg), when,
	                           message, cfg->path, cfg->path, j->name);
	nrm_alert_add(l, key, subject, body);
	free(message);
	free(key);
	free(subject);
	free(body);
	return 0;
}

/* ---- deliveries -------------------------------------------------------- */

static void add_pending(const struct nrm_config *cfg, json_t *d, int64_t now,
                        struct nrm_alert_list *l)
{
	const char *target = json_string_value(json_object_get(d, "target"));
	/* A file's name and a server's words are one line each in the body. */
	char *item = clean(json_string_value(json_object_get(d, "item")), false);
	const char *said = json_string_value(json_object_get(d, "message"));
	char *message = clean(said && *said ? said : "none yet", false);
	int64_t queued = json_integer_value(json_object_get(d, "queued_at"));
	char when[40];
	nrm_london_format((time_t)queued, when, sizeof(when));
	long hours = (long)((now - queued) / 3600);
	char *key = nrm_xasprintf("delivery:%s:%s", target, item);
	char *subject = nrm_xasprintf("[nrmhub %s] a delivery to %s pending for %ld hours",
	                              site_of(cfg), target, hours);
	char *body = nrm_xasprintf("A file for target %s of site %s has waited since %s "
	                           "(%ld hours) to be delivered:\n\n  %s\n\n"
	                           "The last attempt: %s\n\n"
	                           "What awaits delivery: nrmhub --config %s status\n",
	                           target, site_of(cfg), when, hours, item, message, cfg->path);
	nrm_alert_add(l, key, subject, body);
	free(item);
	free(message);
	free(key);
	free(subject);
	free(body);
}

static int find_pending(const struct nrm_config *cfg, const struct nrm_alerts_config *c,
                        struct store *s, int64_t now, struct nrm_alert_list *l)
{
	json_t *pending = ledger_deliveries(s, NULL, "pending");
	if (!pending)
		return -1;
	size_t i;
	json_t *d;
	json_array_foreach(pending, i, d)
		if (now - json_integer_value(json_object_get(d, "queued_at")) >
		    (int64_t)c->pending_hours * 3600)
			add_pending(cfg, d, now, l);
	json_decref(pending);
	return 0;
}

/* ---- review ------------------------------------------------------------ */

void nrm_alerts_add_held(struct nrm_alert_list *l, const struct nrm_held_return *held,
                         size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct nrm_held_return *h = &held[i];
		char when[40];
		nrm_london_format((time_t)h->held_at, when, sizeof(when));
		char *folder = clean(h->folder, false);
		char *key = nrm_xasprintf("review:%s:%s", h->site, h->quarter);
		char *subject = nrm_xasprintf("[nrmhub %s] the %s return waits for review", h->site,
		                              h->quarter);
		char *body = nrm_xasprintf("The %s return of site %s was built at %s and is held "
		                           "for review; nothing is signed or sent until it is "
		                           "approved.\n\n  %s\n\n"
		                           "To look: nrmhub return review %s %s\n"
		                           "To send: nrmhub return approve %s %s\n",
		                           h->quarter, h->site, when, folder, h->site, h->quarter,
		                           h->site, h->quarter);
		nrm_alert_add(l, key, subject, body);
		free(folder);
		free(key);
		free(subject);
		free(body);
	}
}

/* ---- overdue quarters -------------------------------------------------- */

static const struct nrm_config_job *return_job(const struct nrm_config *cfg)
{
	for (size_t i = 0; i < cfg->n_jobs; i++)
		if (cfg->jobs[i].kind == NRM_JOB_RETURN)
			return &cfg->jobs[i];
	return NULL;
}

static void add_overdue(const struct nrm_config *cfg, const struct nrm_config_job *j,
                        const struct nrm_quarter *q, long days, long limit,
                        struct nrm_alert_list *l)
{
	char name[7], end[11];
	nrm_quarter_format(q, name);
	nrm_date_format_iso(q->last, end);
	char *key = nrm_xasprintf("overdue:%s:%s", site_of(cfg), name);
	char *subject = nrm_xasprintf("[nrmhub %s] the %s return is overdue", site_of(cfg), name);
	char *body = nrm_xasprintf("The quarter %s ended on %s, %ld days ago, and no bundle of "
	                           "site %s's return for it has been made (alerts.overdue_days: "
	                           "%ld).\n\nTo build it: nrmhub --config %s run --job %s "
	                           "--quarter %s\n", name, end, days, site_of(cfg), limit,
	                           cfg->path, j->name, name);
	nrm_alert_add(l, key, subject, body);
	free(key);
	free(subject);
	free(body);
}

/* The latest quarter whose deadline has passed and the three before it,
 * none before the site joined: each with no bundle finished is overdue.
 * A site with no return job makes no returns, and is never late. */
static int find_overdue(const struct nrm_config *cfg, const struct nrm_alerts_config *c,
                        struct store *s, int64_t now, struct nrm_alert_list *l)
{
	const struct nrm_config_job *j = return_job(cfg);
	if (!j || !cfg->site_code)
		return 0;
	int32_t today = (int32_t)(now / DAY_S), joined = INT32_MIN;
	if (cfg->joined)
		nrm_date_parse_iso(cfg->joined, strlen(cfg->joined), &joined);
	struct nrm_quarter q;
	nrm_quarter_of_date((int32_t)(today - c->overdue_days), &q);
	for (int i = 0; i < NRM_ALERTS_OVERDUE_QUARTERS; i++) {
		struct nrm_quarter due;
		if (nrm_quarter_add(&q, -1 - i, &due) != 0 || due.last < joined)
			break;
		char name[7];
		nrm_quarter_format(&due, name);
		int made = store_bundle_finished_for(s, cfg->site_code, name);
		if (made < 0)
			return -1;
		if (made == 1)
			add_overdue(cfg, j, &due, (long)(today - due.last), c->overdue_days, l);
	}
	return 0;
}

/* The returns held for review beside the store (review_held.h); one that
 * cannot be read is left to `status` and `return review` to explain. */
static void find_held(const struct nrm_config *cfg, struct nrm_alert_list *l)
{
	json_t *list = nrm_held_list(cfg->store);
	size_t i;
	const json_t *o;
	json_array_foreach(list, i, o) {
		const char *at = json_string_value(json_object_get(o, "held_at"));
		int64_t held_at = 0;
		if (json_object_get(o, "error") || !at ||
		    nrm_time_parse_rfc3339(at, strlen(at), &held_at) != 0)
			continue;
		struct nrm_held_return h = {
			.site = json_string_value(json_object_get(o, "site")),
			.quarter = json_string_value(json_object_get(o, "quarter")),
			.folder = json_string_value(json_object_get(o, "folder")),
			.held_at = held_at,
		};
		if (h.site && h.quarter && h.folder)
			nrm_alerts_add_held(l, &h, 1);
	}
	json_decref(list);
}

int nrm_alerts_find(const struct nrm_config *cfg, const struct nrm_alerts_config *c,
                    struct store *s, int64_t now, struct nrm_alert_list *l)
{
	for (size_t i = 0; i < cfg->n_jobs; i++)
		if (find_failed_job(cfg, &cfg->jobs[i], s, l) != 0)
			return -1;
	if (find_pending(cfg, c, s, now, l) != 0)
		return -1;
	find_held(cfg, l);
	return find_overdue(cfg, c, s, now, l);
}

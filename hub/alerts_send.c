/*
 * Deciding which alerts to send, sending them, and remembering them
 * (alerts.h).  The record of an alert is written only once the server has
 * taken the message, so a message the server refused is tried again on
 * the next check; a problem no longer found is forgotten, so that it
 * alerts again when it comes back.
 */
#include "alerts.h"

#include "log.h"
#include "site_config.h"
#include "smtp_send.h"
#include "store.h"
#include "store_alerts.h"
#include "util.h"

#include <stdlib.h>

int nrm_alerts_decide(struct store *s, const struct nrm_alerts_config *c, int64_t now,
                      struct nrm_alert_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct nrm_alert *a = &l->v[i];
		int got = store_alert_get(s, a->key, &a->first_sent, &a->last_sent);
		if (got < 0)
			return -1;
		if (got == 1)
			a->state = NRM_ALERT_NEW;
		else if (c->repeat_hours && now - a->last_sent >= (int64_t)c->repeat_hours * 3600)
			a->state = NRM_ALERT_REPEAT;
		else
			a->state = NRM_ALERT_SENT_BEFORE;
	}
	return 0;
}

static int send_one(const struct nrm_config *cfg, struct store *s, int64_t now,
                    struct nrm_alert *a)
{
	char *message = nrm_smtp_message(cfg->alerts, a->subject, a->body, now);
	struct nrm_error err = {0};
	int rc = nrm_smtp_send(cfg->alerts, message, &err);
	free(message);
	if (rc != 0) {
		nrm_log_error("alert %s: %s", a->key, err.msg);
		return 1;
	}
	a->sent = true;
	nrm_info("alert %s: sent to %zu address%s", a->key, cfg->alerts->n_to,
	         cfg->alerts->n_to == 1 ? "" : "es");
	if (store_alert_sent(s, a->key, now) != 0) {
		nrm_log_error("alert %s: sent, but not recorded: %s", a->key, store_error(s)->msg);
		return -1;
	}
	return 0;
}

int nrm_alerts_send(const struct nrm_config *cfg, struct store *s, int64_t now,
                    struct nrm_alert_list *l)
{
	int unsent = 0;
	const char **keys = nrm_xcalloc(l->n + 1, sizeof(char *));
	for (size_t i = 0; i < l->n; i++) {
		keys[i] = l->v[i].key;
		if (l->v[i].state == NRM_ALERT_SENT_BEFORE)
			continue;
		int rc = send_one(cfg, s, now, &l->v[i]);
		if (rc < 0) {
			free(keys);
			return -1;
		}
		unsent += rc;
	}
	int rc = store_alert_forget_others(s, keys, l->n);
	free(keys);
	if (rc != 0) {
		nrm_log_error("alerts: %s", store_error(s)->msg);
		return -1;
	}
	return unsent;
}

void nrm_alerts_after_run(const struct nrm_config *cfg, const char *store_path, int64_t now)
{
	if (!cfg->alerts)
		return;
	struct store *s = NULL;
	struct nrm_error err = {0};
	if (store_open(store_path, &s, &err) != 0) {
		nrm_log_error("alerts: %s", err.msg);
		return;
	}
	struct nrm_alert_list l = {0};
	if (nrm_alerts_find(cfg, cfg->alerts, s, now, &l) != 0 ||
	    nrm_alerts_decide(s, cfg->alerts, now, &l) != 0)
		nrm_log_error("alerts: %s", store_error(s)->msg);
	else
		nrm_alerts_send(cfg, s, now, &l);
	nrm_alert_list_free(&l);
	store_close(s);
}

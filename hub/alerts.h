/*
 * Alerts: a site run unattended tells a person by e-mail when it needs
 * one.  The configuration's "alerts" section names an SMTP server and the
 * addresses (smtp_send.h sends); the problems looked for are a job whose
 * last run ended needing a person, a delivery pending too long, a return
 * held for review, and a quarter whose return is overdue.  Each problem
 * has a key ("job:import-council"); the store records each key sent
 * (store_alerts.h), so a problem is mailed once, not once per cron tick,
 * again only after "repeat_hours" if set, and again when it clears and
 * comes back.  An alert names jobs, files, counts and quarters, never a
 * case's values.
 *
 * "alerts": {"url": "smtp://HOST[:PORT]" or "smtps://...",
 *            "starttls": true (smtp:// only: refuse to send in clear),
 *            "user", "password_file" (mode 0600), "ca_file",
 *            "from": ADDRESS, "to": ADDRESS or [ADDRESS...],
 *            "pending_hours": 24, "overdue_days": 30, "repeat_hours"}
 */
#ifndef NRM_ALERTS_H
#define NRM_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct nrm_config;
struct nrm_error;
struct store;

#define NRM_ALERTS_DEFAULT_PENDING_HOURS 24
#define NRM_ALERTS_DEFAULT_OVERDUE_DAYS 30
/* Quarters looked back on for an overdue return: a year's. */
#define NRM_ALERTS_OVERDUE_QUARTERS 4

struct nrm_alerts_config {
	char *url;             /* smtp:// or smtps:// */
	bool starttls;         /* smtp://: STARTTLS required (the default) */
	char *user, *password_file, *ca_file;
	char *from;
	char **to;
	size_t n_to;
	long pending_hours;    /* a delivery pending longer is a problem */
	long overdue_days;     /* days after a quarter's end with no bundle */
	long repeat_hours;     /* 0: never again while the problem lasts */
};

/* Reads the "alerts" section `a` of the configuration `file` (paths made
 * absolute against `dir`) into a new *out.  Every problem is logged as
 * "FILE: $.alerts.KEY: why"; the first is put in `first`.  Returns the
 * number of problems (0: *out is usable). */
int nrm_alerts_config_read(json_t *a, const char *file, const char *dir,
                           struct nrm_alerts_config **out, struct nrm_error *first);
void nrm_alerts_config_free(struct nrm_alerts_config *c);
/* `config check`'s look at the machine: the password file exists, can be
 * read, and only by its owner (0600); the CA file can be read.  Each
 * problem logged; returns their number. */
int nrm_alerts_config_check(const struct nrm_config *cfg);

/* ---- problems ---------------------------------------------------------- */

enum nrm_alert_state {
	NRM_ALERT_NEW,         /* never sent, or cleared since */
	NRM_ALERT_REPEAT,      /* sent before, and repeat_hours have passed */
	NRM_ALERT_SENT_BEFORE, /* sent before: not again */
};

struct nrm_alert {
	char *key;             /* one problem: "job:NAME", "delivery:TARGET:ITEM",
	                        * "review:SITE:QUARTER", "overdue:SITE:QUARTER" */
	char *subject, *body;  /* the message; the body's lines end in "\n" */
	enum nrm_alert_state state;
	int64_t first_sent, last_sent; /* 0: never */
	bool sent;             /* by nrm_alerts_send, this time */
};

struct nrm_alert_list {
	struct nrm_alert *v;
	size_t n;
};

void nrm_alert_list_free(struct nrm_alert_list *l);
/* Adds one problem; the texts are copied.  Control characters in them
 * (a file name may hold any) become '?', so that no header is forged. */
void nrm_alert_add(struct nrm_alert_list *l, const char *key, const char *subject,
                   const char *body);

/* Every problem of the configured site at `now` found in the store:
 * failed jobs, deliveries pending longer than c->pending_hours, returns
 * held for review, quarters overdue.  0, or -1 with store_error() set. */
int nrm_alerts_find(const struct nrm_config *cfg, const struct nrm_alerts_config *c,
                    struct store *s, int64_t now, struct nrm_alert_list *l);

/* A return held for review (a return job with "review": "required";
 * review_held.h): nrm_alerts_find adds each one beside the store. */
struct nrm_held_return {
	const char *site, *quarter;
	const char *folder;    /* where the return waits */
	int64_t held_at;
};
void nrm_alerts_add_held(struct nrm_alert_list *l, const struct nrm_held_return *held,
                         size_t n);

/* ---- sending ------------------------------------------------------------ */

/* Sets each alert's state from the store's record of alerts sent. */
int nrm_alerts_decide(struct store *s, const struct nrm_alerts_config *c, int64_t now,
                      struct nrm_alert_list *l);
/* Sends the alerts that are new or due again, one message each, recording
 * each one sent; forgets the problems that have cleared.  A message that
 * cannot be sent is logged and tried again on the next check.  Returns the
 * number that could not be sent, or -1 when the store failed. */
int nrm_alerts_send(const struct nrm_config *cfg, struct store *s, int64_t now,
                    struct nrm_alert_list *l);

/* The end of `run --due` and `run --job`: find, decide, send.  Problems
 * (the store, the server) are logged and change nothing else. */
void nrm_alerts_after_run(const struct nrm_config *cfg, const char *store_path, int64_t now);

#endif

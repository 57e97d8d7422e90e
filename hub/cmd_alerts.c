/*
 * `nrmhub alerts`: the alerts a check would send now (alerts.h), and, but
 * for --dry-run, sends them, as the end of `run --due` does.  For a site
 * that wants to see what it would be told, and for a cron line of its own.
 */
#include "commands.h"

#include "alerts.h"
#include "log.h"
#include "london_time.h"
#include "run_lock.h"
#include "run_site.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

struct alerts_args {
	bool dry_run, json;
	const char *now;
};

static void alerts_usage(void)
{
	printf("Usage: nrmhub alerts [--dry-run] [--json] [--now TIME]\n"
	       "Look for what needs a person (a job whose last run failed, a delivery pending\n"
	       "longer than alerts.pending_hours, a quarter whose return is overdue by\n"
	       "alerts.overdue_days) and mail each problem not mailed before, once, through the\n"
	       "configuration's alerts.url, as every `run --due` and `run --job` does at its end.\n"
	       "\n"
	       "      --dry-run       list what would be sent, and send nothing\n"
	       "      --json          print {\"dry_run\", \"alerts\": [{\"problem\", \"state\",\n"
	       "                      \"subject\", \"body\", \"first_sent\", \"last_sent\", \"sent\"}]}\n"
	       "      --now TIME      the check's time (RFC 3339 or YYYY-MM-DD; default: now)\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "States: new (never sent, or cleared since), repeat (alerts.repeat_hours have\n"
	       "passed), sent-before (not sent again while the problem lasts).\n"
	       "Exit status: 0 done; 75 a message could not be sent (tried again next time) or\n"
	       "a run holds the lock; 78 no alerts section (without --dry-run) or a broken\n"
	       "configuration.\n");
}

static int parse_args(int argc, char **argv, struct alerts_args *a)
{
	enum { OPT_DRY = 1000, OPT_JSON, OPT_NOW };
	static const struct option options[] = {
		{"dry-run", no_argument, NULL, OPT_DRY},
		{"json", no_argument, NULL, OPT_JSON},
		{"now", required_argument, NULL, OPT_NOW},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_DRY: a->dry_run = true; break;
		case OPT_JSON: a->json = true; break;
		case OPT_NOW: a->now = optarg; break;
		case 'h': alerts_usage(); return 0;
		default: return nrm_usage_error("alerts", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("alerts", "unexpected argument '%s'", argv[optind]);
	return -1;
}

static const char *state_name(enum nrm_alert_state s)
{
	static const char *const names[] = {"new", "repeat", "sent-before"};
	return names[s];
}

static void print_text(const struct nrm_alert_list *l, bool dry)
{
	if (l->n == 0)
		printf("no problems: nothing to send\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct nrm_alert *a = &l->v[i];
		const char *what = a->state == NRM_ALERT_SENT_BEFORE ? "not sent again" :
		                   dry ? "would send" : a->sent ? "sent" : "NOT SENT";
		printf("%s (%s): %s: %s\n", a->key, state_name(a->state), what, a->subject);
	}
}

static void print_json(const struct nrm_alert_list *l, bool dry)
{
	json_t *list = json_array();
	for (size_t i = 0; i < l->n; i++) {
		const struct nrm_alert *a = &l->v[i];
		json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:b}",
		        "problem", a->key, "state", state_name(a->state), "subject", a->subject,
		        "body", a->body, "first_sent", (json_int_t)a->first_sent,
		        "last_sent", (json_int_t)a->last_sent, "sent", a->sent));
	}
	json_t *o = json_pack("{s:b, s:o}", "dry_run", dry, "alerts", list);
	char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text ? text : "{}");
	free(text);
	json_decref(o);
}

/* Finds, decides and (but for a dry run) sends; prints the list. */
static int check(const struct nrm_config *cfg, const char *store_path, int64_t now,
                 const struct alerts_args *a)
{
	/* Without a section a dry run still shows what the defaults find. */
	struct nrm_alerts_config dflt = {.pending_hours = NRM_ALERTS_DEFAULT_PENDING_HOURS,
	                                 .overdue_days = NRM_ALERTS_DEFAULT_OVERDUE_DAYS};
	const struct nrm_alerts_config *c = cfg->alerts ? cfg->alerts : &dflt;
	struct store *s = NULL;
	struct nrm_error err = {0};
	if ((a->dry_run ? store_open_read(store_path, &s, &err)
	                : store_open(store_path, &s, &err)) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	struct nrm_alert_list l = {0};
	int rc = 0, unsent = 0;
	if (nrm_alerts_find(cfg, c, s, now, &l) != 0 || nrm_alerts_decide(s, c, now, &l) != 0) {
		nrm_log_error("alerts: %s", store_error(s)->msg);
		rc = EX_IOERR;
	} else if (!a->dry_run && (unsent = nrm_alerts_send(cfg, s, now, &l)) < 0)
		rc = EX_IOERR;
	if (rc == 0) {
		if (a->json)
			print_json(&l, a->dry_run);
		else
			print_text(&l, a->dry_run);
		rc = unsent ? EX_TEMPFAIL : 0;
	}
	nrm_alert_list_free(&l);
	store_close(s);
	return rc;
}

/* Under the run lock: a run ending at the same moment would send the
 * same alerts. */
static int check_locked(struct nrm_site *site, const char *store_path, int64_t now,
                        const struct alerts_args *a)
{
	if (a->dry_run)
		return check(&site->cfg, store_path, now, a);
	if (!site->cfg.alerts) {
		nrm_log_error("%s: no \"alerts\" section: nothing can be sent (see nrmhub(1), "
		              "ALERTS; --dry-run lists the problems)", site->cfg.path);
		return EX_CONFIG;
	}
	struct nrm_run_lock lock = {.fd = -1};
	char *lock_path = nrm_run_lock_path(store_path);
	struct nrm_error err = {0};
	int rc;
	if (nrm_run_lock_acquire(&lock, lock_path, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	} else
		rc = check(&site->cfg, store_path, now, a);
	nrm_run_lock_release(&lock);
	free(lock_path);
	return rc;
}

int cmd_alerts(struct nrm_context *ctx, int argc, char **argv)
{
	struct alerts_args a = {0};
	int rc = parse_args(argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct nrm_error err = {0};
	if (nrm_london_init(&err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	int64_t now;
	if ((rc = nrm_run_time_arg("alerts", a.now, &now)) != 0)
		return rc;
	struct nrm_site site;
	if ((rc = nrm_site_load(ctx, &site)) == 0)
		rc = check_locked(&site, nrm_site_store(ctx, &site), now, &a);
	nrm_site_free(&site);
	return rc;
}

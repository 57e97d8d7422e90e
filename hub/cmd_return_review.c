/*
 * `nrmhub return review`, `return approve` and `return reject`: what a
 * person does with a return a job held for review (review_held.h).
 * review shows where the held return is and how its figures differ from
 * the return last sent for the quarter; approve signs it into the job's
 * outbox, as the job would have, with who approved it and when in the
 * bundle's bag-info.txt and in the store (store_review.h); reject removes
 * it, the reason kept in the store.  approve and reject take the run lock,
 * so no job holds the quarter again while they work.
 */
#include "commands.h"

#include "access_log.h"
#include "bundle.h"
#include "bundle_command.h"
#include "date.h"
#include "folder_swap.h"
#include "ledger.h"
#include "log.h"
#include "quarter.h"
#include "return_command.h"
#include "return_sent.h"
#include "review_held.h"
#include "run_lock.h"
#include "run_site.h"
#include "store.h"
#include "store_review.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>

/* The differences printed as text; --json lists them all. */
#define DIFF_LINES_MAX 40
/* A note or a reason: one line a person typed. */
#define TEXT_MAX 1000

static void review_usage(void)
{
	printf("Usage: nrmhub return review [SITE QUARTER] [--json]\n"
	       "       nrmhub return approve SITE QUARTER [--note TEXT] [--now TIME] [--json]\n"
	       "       nrmhub return reject SITE QUARTER --reason TEXT [--now TIME]\n"
	       "A return job configured with \"review\": \"required\" builds and renders its\n"
	       "returns but signs and sends nothing: it holds them beside the case store, in\n"
	       "STORE_FOLDER/held/SITE_QUARTER/ (mode 0700), one return folder per audience.\n"
	       "\n"
	       "review: where the held return is (its return.ods and report.html) and which\n"
	       "figures differ from the return last sent for the quarter (the newest bundle\n"
	       "in the job's outbox that was delivered, else the newest made); without SITE\n"
	       "QUARTER, the returns held.\n"
	       "approve: signs it (the bundle the job would have made) into the job's outbox,\n"
	       "for its deliver job to send, with Approved-By (the OS user), Approved-At and\n"
	       "Approval-Note in the bundle's bag-info.txt, and records the approval in the\n"
	       "store; the held folder goes.\n"
	       "reject: removes the held return, the reason recorded in the store.\n"
	       "\n"
	       "      --note TEXT     approve: a note that goes in bag-info.txt (one line)\n"
	       "      --reason TEXT   reject: why (one line; required)\n"
	       "      --now TIME      the decision's time (RFC 3339 or YYYY-MM-DD; default: now),\n"
	       "                      also the bundle's time\n"
	       "      --json          print it as JSON\n"
	       "  -h, --help          show this help\n"
	       "\n"
	       "The site configuration (--config, $NRMHUB_CONFIG or ./nrmhub.json) says where\n"
	       "the store, the keys and the job's outbox are.\n"
	       "Exit status: 0 done; 64 usage; 66 nothing held for SITE QUARTER, or no site\n"
	       "configuration; 75 a run holds the lock (try again when it ends); 78 the job\n"
	       "that held it is gone from the configuration; others as 'bundle create'.\n");
}

/* ---- what the three share ------------------------------------------------- */

struct decision_args {
	const char *site, *quarter;
	const char *note, *reason, *now;
	bool json;
};

static int parse_args(const char *cmd, int argc, char **argv, struct decision_args *a,
                      bool need_site)
{
	enum { OPT_NOTE = 1000, OPT_REASON, OPT_NOW, OPT_JSON };
	static const struct option options[] = {
		{"note", required_argument, NULL, OPT_NOTE},
		{"reason", required_argument, NULL, OPT_REASON},
		{"now", required_argument, NULL, OPT_NOW},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_NOTE: a->note = optarg; break;
		case OPT_REASON: a->reason = optarg; break;
		case OPT_NOW: a->now = optarg; break;
		case OPT_JSON: a->json = true; break;
		case 'h': review_usage(); return 0;
		default: return nrm_usage_error(cmd, "unknown option");
		}
	}
	int rest = argc - optind;
	if (rest == 2) {
		a->site = argv[optind];
		a->quarter = argv[optind + 1];
	} else if (rest != 0 || need_site) {
		return nrm_usage_error(cmd, "give SITE QUARTER (e.g. birmingham 2025Q1)");
	}
	struct nrm_quarter q;
	if (a->site && !nrm_bundle_site_valid(a->site))
		return nrm_usage_error(cmd, "'%s' is not a site code (lower-case letters, digits "
		                       "and hyphens)", a->site);
	if (a->quarter && nrm_quarter_parse(a->quarter, &q) != 0)
		return nrm_usage_error(cmd, "'%s' is not a quarter (YYYYQn, e.g. 2025Q1)",
		                       a->quarter);
	return -1;
}

/* A note or a reason: one line of printable UTF-8, so that it can stand in
 * bag-info.txt as one field and cannot add another. */
static int check_text(const char *cmd, const char *option, const char *text)
{
	size_t n = strlen(text);
	if (n == 0 || n > TEXT_MAX)
		return nrm_usage_error(cmd, "%s: from 1 to %d bytes", option, TEXT_MAX);
	if (!nrm_utf8_valid(text, n))
		return nrm_usage_error(cmd, "%s: not UTF-8 text", option);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return nrm_usage_error(cmd, "%s: one line of text, without control characters",
			                       option);
	if (text[0] == ' ' || text[n - 1] == ' ')
		return nrm_usage_error(cmd, "%s: no space at its start or end", option);
	return 0;
}

/* The site configuration, which every one of these needs: where the store
 * (and so the held returns), the keys and the outboxes are. */
static int load_config(struct nrm_context *ctx, const char *cmd, struct nrm_config *cfg,
                       const char **store)
{
	bool have;
	int rc = nrm_site_config_optional(ctx, cfg, &have);
	if (rc)
		return rc;
	if (!have) {
		nrm_log_error("nrmhub %s: needs the site configuration (--config FILE, "
		              "$NRMHUB_CONFIG or ./nrmhub.json): it says where the held returns, "
		              "the keys and the outboxes are", cmd);
		return EX_NOINPUT;
	}
	*store = ctx->store_path ? ctx->store_path : cfg->store;
	return 0;
}

/* The held return of SITE QUARTER, or the message that there is none. */
static int load_held(const char *store, const struct decision_args *a, struct nrm_held *h,
                     char **dir)
{
	*dir = nrm_held_dir(store, a->site, a->quarter);
	struct nrm_error err;
	int got = nrm_held_read(*dir, h, &err);
	if (got < 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	if (got == 1) {
		nrm_log_error("nothing is held for review for %s %s (in %s); 'nrmhub return review' "
		              "lists what is", a->site, a->quarter, *dir);
		return EX_NOINPUT;
	}
	if (strcmp(h->site, a->site) != 0 || strcmp(h->quarter, a->quarter) != 0) {
		nrm_log_error("%s/%s: describes %s %s, not %s %s", *dir, NRM_HELD_FILE, h->site,
		              h->quarter, a->site, a->quarter);
		nrm_held_free(h);
		return EX_DATAERR;
	}
	return 0;
}

/* The return job that held it, still in the configuration. */
static const struct nrm_config_job *held_job(const struct nrm_config *cfg,
                                             const struct nrm_held *h)
{
	const struct nrm_config_job *j = nrm_config_find_job(cfg, h->job);
	return j && j->kind == NRM_JOB_RETURN ? j : NULL;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The decision's time: --now, or the clock. */
static int decision_time(const char *cmd, const char *now, int64_t *t)
{
	return nrm_run_time_arg(cmd, now, t);
}

static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text ? text : "{}");
	free(text);
}

/* ---- comparing with the bundle made before ------------------------------- */

/* Members of a return that are about the return, not its figures. */
static bool not_a_figure(const char *path)
{
	/* Not figures: when and by what it was made, when its data was as at,
	 * its files, where it is (the area), what the site is called, the
	 * published pattern its figures give, and what it says of the returns
	 * sent before it (its revision: which return it was compared with, and
	 * why). */
	static const char *const skip[] = {"generated_at", "data_as_at", "generator", "files",
	                                   "area", "site_name", "disclosure", "revision", NULL};
	for (size_t i = 0; skip[i]; i++)
		if (strcmp(path, skip[i]) == 0)
			return true;
	return false;
}

static void diff(const char *path, json_t *sent, json_t *held, json_t *out);

static void diff_objects(const char *path, json_t *sent, json_t *held, json_t *out)
{
	const char *key;
	json_t *v;
	json_object_foreach(held, key, v) {
		char *p = *path ? nrm_xasprintf("%s.%s", path, key) : nrm_xstrdup(key);
		if (!not_a_figure(p))
			diff(p, json_object_get(sent, key), v, out);
		free(p);
	}
	json_object_foreach(sent, key, v) {
		if (json_object_get(held, key))
			continue;
		char *p = *path ? nrm_xasprintf("%s.%s", path, key) : nrm_xstrdup(key);
		if (!not_a_figure(p))
			diff(p, v, NULL, out);
		free(p);
	}
}

/* An element of a list is named by its quarter when it has one (the
 * trend), else by its place. */
static char *element_path(const char *path, json_t *a, json_t *b, size_t i)
{
	const char *q = json_string_value(json_object_get(b ? b : a, "quarter"));
	return q ? nrm_xasprintf("%s[%s]", path, q) : nrm_xasprintf("%s[%zu]", path, i);
}

static void diff(const char *path, json_t *sent, json_t *held, json_t *out)
{
	if (sent && held && json_equal(sent, held))
		return;
	if (json_is_object(sent) && json_is_object(held)) {
		diff_objects(path, sent, held, out);
		return;
	}
	if (json_is_array(sent) && json_is_array(held)) {
		size_t n = json_array_size(sent) > json_array_size(held) ? json_array_size(sent)
		                                                         : json_array_size(held);
		for (size_t i = 0; i < n; i++) {
			json_t *a = json_array_get(sent, i), *b = json_array_get(held, i);
			char *p = element_path(path, a, b, i);
			diff(p, a, b, out);
			free(p);
		}
		return;
	}
	json_array_append_new(out, json_pack("{s:s, s:O?, s:O?}", "figure", path, "sent", sent,
	                                     "held", held));
}

/* ---- review --------------------------------------------------------------- */

static json_t *audience_review(const char *dir, const char *audience, const char *outbox,
                               const struct nrm_held *h, json_t *deliveries)
{
	char *folder = nrm_xasprintf("%s/%s", dir, audience);
	char *ret_path = nrm_xasprintf("%s/return.json", folder);
	json_t *o = json_pack("{s:s, s:s, s:s+, s:s+}", "audience", audience, "folder", folder,
	                      "workbook", folder, "/return.ods", "report", folder, "/report.html");
	json_t *held = NULL, *sent = NULL;
	struct nrm_error err;
	if (!is_dir(folder)) {
		json_object_set_new(o, "error", json_string("bundled already (by an approval cut "
		                                             "short): approve again for the rest"));
	} else if (nrm_return_load_file(ret_path, &held, &err) != 0) {
		json_object_set_new(o, "error", json_string(err.msg));
	} else {
		/* The newest delivered, else the newest made in the outbox. */
		struct nrm_sent last = {0};
		if (outbox)
			nrm_return_last_sent(deliveries, outbox, h->site, h->quarter, audience, &last);
		sent = last.ret;
		last.ret = NULL;
		json_t *differences = json_array();
		if (last.bundle) {
			diff("", sent, held, differences);
			json_t *c = json_pack("{s:s}", "bundle", last.bundle);
			json_t *where = nrm_sent_delivery_of(deliveries, last.bundle);
			json_object_set_new(c, "delivery", where ? where : json_null());
			json_object_set_new(o, "compared_with", c);
		} else {
			json_object_set_new(o, "compared_with", json_null());
		}
		json_object_set_new(o, "differences", differences);
		nrm_sent_free(&last);
	}
	json_decref(held);
	json_decref(sent);
	free(ret_path);
	free(folder);
	return o;
}

static int on_decision(const struct store_review *r, void *ctx)
{
	char when[21];
	nrm_time_format_rfc3339(r->decided_at, when);
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "decision", r->decision,
	                                     "by", r->os_user, "at", when, "text", r->text,
	                                     "job", r->job));
	return 0;
}

/* The decisions taken on earlier holds of the quarter, and the ledger's
 * deliveries; both empty when the store cannot be read. */
static void read_ledger(const char *store_path, const struct nrm_held *h, json_t **decisions,
                        json_t **deliveries)
{
	*decisions = json_array();
	*deliveries = NULL;
	struct store *s;
	struct nrm_error err;
	struct stat st;
	if (stat(store_path, &st) != 0 || store_open_read(store_path, &s, &err) != 0)
		return;
	if (store_review_each(s, h->site, h->quarter, on_decision, *decisions) < 0)
		nrm_warn("%s", store_error(s)->msg);
	*deliveries = ledger_deliveries(s, NULL, NULL);
	store_close(s);
}

static void print_figure(const char *label, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	printf("%s%s", label, text ? text : "(none)");
	free(text);
}

static void print_audience(const json_t *o)
{
	printf("  %s: %s\n", json_string_value(json_object_get(o, "audience")),
	       json_string_value(json_object_get(o, "folder")));
	const char *error = json_string_value(json_object_get(o, "error"));
	if (error) {
		printf("    %s\n", error);
		return;
	}
	printf("    spreadsheet  %s\n    report       %s\n",
	       json_string_value(json_object_get(o, "workbook")),
	       json_string_value(json_object_get(o, "report")));
	json_t *c = json_object_get(o, "compared_with");
	if (!json_is_object(c)) {
		printf("    no bundle of this quarter in the job's outbox: nothing to compare with\n");
		return;
	}
	json_t *where = json_object_get(c, "delivery");
	char state[200] = "in the outbox, never queued for delivery";
	if (json_is_object(where))
		snprintf(state, sizeof(state), "%s, to %s",
		         json_string_value(json_object_get(where, "state")),
		         json_string_value(json_object_get(where, "target")));
	json_t *d = json_object_get(o, "differences");
	size_t n = json_array_size(d), i;
	const char *bundle = json_string_value(json_object_get(c, "bundle"));
	if (n == 0) {
		printf("    the same figures as %s (%s)\n", bundle, state);
		return;
	}
	printf("    %zu figure%s differ%s from %s (%s):\n", n, n == 1 ? "" : "s", n == 1 ? "s" : "",
	       bundle, state);
	json_t *f;
	json_array_foreach(d, i, f) {
		if (i == DIFF_LINES_MAX) {
			printf("      ... and %zu more (--json lists them all)\n", n - i);
			break;
		}
		printf("      %s: ", json_string_value(json_object_get(f, "figure")));
		print_figure("", json_object_get(f, "sent"));
		print_figure(" -> ", json_object_get(f, "held"));
		printf("\n");
	}
}

static void print_review(const json_t *r)
{
	const char *site = json_string_value(json_object_get(r, "site"));
	const char *quarter = json_string_value(json_object_get(r, "quarter"));
	printf("held for review: %s %s, by job %s at %s\n", site, quarter,
	       json_string_value(json_object_get(r, "job")),
	       json_string_value(json_object_get(r, "held_at")));
	json_t *forced = json_object_get(r, "forced");
	size_t i;
	json_t *v;
	json_array_foreach(forced, i, v)
		printf("  built past a sanity rule: %s\n", json_string_value(v));
	json_array_foreach(json_object_get(r, "audiences"), i, v)
		print_audience(v);
	json_array_foreach(json_object_get(r, "decisions"), i, v)
		printf("  earlier: %s by %s at %s%s%s\n", json_string_value(json_object_get(v, "decision")),
		       json_string_value(json_object_get(v, "by")),
		       json_string_value(json_object_get(v, "at")),
		       *json_string_value(json_object_get(v, "text")) ? ": " : "",
		       json_string_value(json_object_get(v, "text")));
	printf("approve: nrmhub return approve %s %s [--note TEXT]\n", site, quarter);
	printf("reject:  nrmhub return reject %s %s --reason TEXT\n", site, quarter);
}

static int review_list(const char *store, bool as_json)
{
	json_t *held = nrm_held_list(store);
	if (as_json) {
		print_json(held);
	} else if (json_array_size(held) == 0) {
		printf("nothing is held for review\n");
	} else {
		size_t i;
		json_t *o;
		json_array_foreach(held, i, o) {
			const char *site = json_string_value(json_object_get(o, "site"));
			if (!site)
				printf("%s: %s\n", json_string_value(json_object_get(o, "folder")),
				       json_string_value(json_object_get(o, "error")));
			else
				printf("%s %s  held %s by job %s: nrmhub return review %s %s\n", site,
				       json_string_value(json_object_get(o, "quarter")),
				       json_string_value(json_object_get(o, "held_at")),
				       json_string_value(json_object_get(o, "job")), site,
				       json_string_value(json_object_get(o, "quarter")));
		}
	}
	json_decref(held);
	return 0;
}

int cmd_return_review(struct nrm_context *ctx, int argc, char **argv)
{
	struct decision_args a = {0};
	int rc = parse_args("return review", argc, argv, &a, false);
	if (rc >= 0)
		return rc;
	if (a.note || a.reason || a.now)
		return nrm_usage_error("return review", "--note, --reason and --now are for approve "
		                       "and reject");
	struct nrm_config cfg;
	const char *store;
	if ((rc = load_config(ctx, "return review", &cfg, &store)) != 0)
		return rc;
	if (!a.site) {
		rc = review_list(store, a.json);
		nrm_config_free(&cfg);
		return rc;
	}
	struct nrm_held h;
	char *dir;
	if ((rc = load_held(store, &a, &h, &dir)) != 0) {
		free(dir);
		nrm_config_free(&cfg);
		return rc;
	}
	const struct nrm_config_job *job = held_job(&cfg, &h);
	json_t *decisions, *deliveries;
	read_ledger(store, &h, &decisions, &deliveries);
	json_t *r = nrm_held_to_json(&h, dir);
	json_object_set_new(r, "audiences", json_array());
	for (size_t i = 0; i < h.n_audiences; i++)
		json_array_append_new(json_object_get(r, "audiences"),
		                      audience_review(dir, h.audiences[i], job ? job->outbox : NULL, &h,
		                                      deliveries));
	json_object_set_new(r, "decisions", decisions);
	if (!job)
		nrm_warn("the job %s that held it is no longer a return job of %s: it cannot be "
		         "approved until it is (reject it, or put the job back)", h.job, cfg.path);
	if (a.json)
		print_json(r);
	else
		print_review(r);
	json_decref(r);
	json_decref(deliveries);
	nrm_held_free(&h);
	free(dir);
	nrm_config_free(&cfg);
	return 0;
}

/* ---- approve and reject --------------------------------------------------- */

/* What approve and reject hold while they work: the configuration, the
 * run lock (no job holds the quarter again meanwhile), the held return. */
struct decision {
	struct nrm_config cfg;
	const char *store;
	struct nrm_run_lock lock;
	struct nrm_held h;
	char *dir;
	int64_t at;
	char at_text[21];
	char *user;
};

static int decision_begin(struct nrm_context *ctx, const char *cmd,
                          const struct decision_args *a, struct decision *d)
{
	memset(d, 0, sizeof(*d));
	d->lock.fd = -1;
	int rc = decision_time(cmd, a->now, &d->at);
	if (rc || (rc = load_config(ctx, cmd, &d->cfg, &d->store)) != 0)
		return rc;
	struct nrm_error err;
	char *lock_path = nrm_run_lock_path(d->store);
	if (nrm_run_lock_acquire(&d->lock, lock_path, &err) != 0) {
		nrm_log_error("%s: try again when it ends", err.msg);
		free(lock_path);
		return err.code;
	}
	free(lock_path);
	if ((rc = load_held(d->store, a, &d->h, &d->dir)) != 0)
		return rc;
	nrm_time_format_rfc3339(d->at, d->at_text);
	d->user = nrm_os_user();
	return 0;
}

static void decision_end(struct decision *d)
{
	nrm_held_free(&d->h);
	free(d->dir);
	free(d->user);
	nrm_run_lock_release(&d->lock);
	nrm_config_free(&d->cfg);
}

/* The decision in the store, for good: who, when, why. */
static int record_decision(struct decision *d, const char *decision, const char *text,
                           json_t *bundles)
{
	struct nrm_error err;
	struct store *s;
	if (store_open(d->store, &s, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	char *forced = nrm_xstrdup("");
	for (size_t i = 0; i < d->h.n_forced; i++) {
		char *next = nrm_xasprintf("%s%s%s", forced, i ? "," : "", d->h.forced[i]);
		free(forced);
		forced = next;
	}
	char *list = json_dumps(bundles, JSON_COMPACT);
	struct store_review r = {.site = d->h.site, .quarter = d->h.quarter, .job = d->h.job,
	                         .decision = decision, .os_user = d->user, .decided_at = d->at,
	                         .held_at = d->h.held_at, .text = text ? text : "",
	                         .forced = forced, .bundles = list};
	int rc = 0;
	if (store_review_add(s, &r) != 0) {
		nrm_log_error("%s", store_error(s)->msg);
		rc = store_error(s)->code;
	}
	free(list);
	free(forced);
	store_close(s);
	return rc;
}

/* Each audience still held, bundled into the job's outbox as the job
 * would have made it, and its folder removed once its bundle is there. */
static int approve_bundles(struct nrm_context *ctx, struct decision *d,
                           const struct nrm_config_job *job, const char *note, json_t *made)
{
	for (size_t i = 0; i < d->h.n_audiences; i++) {
		char *folder = nrm_xasprintf("%s/%s", d->dir, d->h.audiences[i]);
		if (!is_dir(folder)) {
			free(folder);
			continue;
		}
		struct nrm_bundle_request req = {
			.payload = folder, .outdir = job->outbox, .store = d->store,
			.key = d->cfg.secret_key, .password_file = d->cfg.password_file,
			.now = d->at_text, .approved_by = d->user, .approved_at = d->at_text,
			.approval_note = note, .forced = (const char *const *)d->h.forced,
			.n_forced = d->h.n_forced,
		};
		struct nrm_bundle_made m;
		struct nrm_error err = {0};
		if (nrm_bundle_create_payload(ctx, &req, &m, &err) != 0) {
			nrm_log_error("nrmhub return approve: the %s return: %s", d->h.audiences[i],
			              err.msg);
			free(folder);
			return err.code ? err.code : EX_SOFTWARE;
		}
		json_array_append_new(made, json_string(m.archive));
		json_array_append_new(made, json_string(m.signature));
		nrm_bundle_made_free(&m);
		if (nrm_remove_tree(folder) != 0)
			nrm_warn("%s: bundled, but cannot be removed: remove it by hand", folder);
		free(folder);
	}
	return 0;
}

/* The deliver jobs that send from the outbox, for the message. */
static char *senders(const struct nrm_config *cfg, const char *outbox)
{
	char *list = NULL;
	for (size_t i = 0; i < cfg->n_jobs; i++) {
		const struct nrm_config_job *j = &cfg->jobs[i];
		if (j->kind != NRM_JOB_DELIVER || !j->from || strcmp(j->from, outbox) != 0)
			continue;
		char *next = list ? nrm_xasprintf("%s, %s", list, j->name) : nrm_xstrdup(j->name);
		free(list);
		list = next;
	}
	return list;
}

static void print_approved(const struct decision *d, const struct nrm_config_job *job,
                           json_t *made, bool as_json)
{
	if (as_json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "site", d->h.site, "quarter",
		                      d->h.quarter, "approved_by", d->user, "approved_at", d->at_text,
		                      "outbox", job->outbox, "bundles", made);
		print_json(j);
		json_decref(j);
		return;
	}
	printf("approved: %s %s, by %s at %s\n", d->h.site, d->h.quarter, d->user, d->at_text);
	size_t i;
	json_t *v;
	json_array_foreach(made, i, v)
		printf("  %s\n", json_string_value(v));
	char *by = senders(&d->cfg, job->outbox);
	if (by)
		printf("queued in %s: deliver job %s sends it on its next run\n", job->outbox, by);
	else
		printf("in %s: no deliver job sends from it\n", job->outbox);
	free(by);
}

int cmd_return_approve(struct nrm_context *ctx, int argc, char **argv)
{
	struct decision_args a = {0};
	int rc = parse_args("return approve", argc, argv, &a, true);
	if (rc >= 0)
		return rc;
	if (a.reason)
		return nrm_usage_error("return approve", "--reason is for reject; an approval takes "
		                       "--note");
	if (a.note && (rc = check_text("return approve", "--note", a.note)) != 0)
		return rc;
	struct decision d;
	if ((rc = decision_begin(ctx, "return approve", &a, &d)) != 0) {
		decision_end(&d);
		return rc;
	}
	const struct nrm_config_job *job = held_job(&d.cfg, &d.h);
	if (!job) {
		nrm_log_error("the job %s that held %s %s is no longer a return job of %s: put it "
		              "back to approve the return, or reject it", d.h.job, d.h.site,
		              d.h.quarter, d.cfg.path);
		decision_end(&d);
		return EX_CONFIG;
	}
	json_t *made = json_array();
	rc = approve_bundles(ctx, &d, job, a.note, made);
	/* What was signed is approved, even when the rest could not be. */
	int recorded = json_array_size(made) ? record_decision(&d, "approved", a.note, made) : 0;
	if (rc == 0 && recorded == 0 && nrm_remove_tree(d.dir) != 0)
		nrm_warn("%s: approved, but cannot be removed: remove it by hand", d.dir);
	if (rc == 0)
		rc = recorded;
	if (rc == 0)
		print_approved(&d, job, made, a.json);
	json_decref(made);
	decision_end(&d);
	return rc;
}

int cmd_return_reject(struct nrm_context *ctx, int argc, char **argv)
{
	struct decision_args a = {0};
	int rc = parse_args("return reject", argc, argv, &a, true);
	if (rc >= 0)
		return rc;
	if (a.note)
		return nrm_usage_error("return reject", "--note is for approve; a rejection takes "
		                       "--reason");
	if (!a.reason)
		return nrm_usage_error("return reject", "--reason TEXT is required: say why");
	if ((rc = check_text("return reject", "--reason", a.reason)) != 0)
		return rc;
	struct decision d;
	if ((rc = decision_begin(ctx, "return reject", &a, &d)) != 0) {
		decision_end(&d);
		return rc;
	}
	json_t *none = json_array();
	/* The reason first, so that it is never lost with the return. */
	rc = record_decision(&d, "rejected", a.reason, none);
	json_decref(none);
	if (rc == 0 && nrm_remove_tree(d.dir) != 0) {
		nrm_log_error("%s: rejected, but cannot be removed: remove it by hand", d.dir);
		rc = EX_CANTCREAT;
	}
	if (rc == 0 && a.json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "site", d.h.site, "quarter",
		                      d.h.quarter, "rejected_by", d.user, "rejected_at", d.at_text,
		                      "reason", a.reason);
		print_json(j);
		json_decref(j);
	} else if (rc == 0) {
		printf("rejected: %s %s, by %s at %s; the held return was removed\n", d.h.site,
		       d.h.quarter, d.user, d.at_text);
	}
	decision_end(&d);
	return rc;
}

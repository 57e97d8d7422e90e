/*
 * `nrmhub cases show CASE_ID`: one stored case, field by field, with the
 * source that set each field.  This is the one command that shows a case's
 * data: it goes to standard output only, and nothing of it is logged; the
 * access log records that it was shown (access_log.h).
 *
 * `nrmhub cases erase CASE_ID` and `nrmhub cases expire`: the erasure of
 * one case, or of those past the retention policy, from the store and the
 * files the site holds (erasure.h); this file only turns argv into
 * requests and results into text.
 */
#include "commands.h"

#include "access_log.h"
#include "codes.h"
#include "date.h"
#include "erasure.h"
#include "log.h"
#include "run_lock.h"
#include "run_site.h"
#include "site_config.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

/* The canonical fields, in schema order. */
static const char *const fields[] = {
	"case_id", "site", "nrm_ref", "referral_date", "first_responder_type",
	"first_responder_org", "local_authority", "police_force", "age_at_exploitation",
	"age_disputed", "gender", "nationality", "exploitation_types", "county_lines",
	"exploitation_location", "rg_decision_date", "rg_outcome", "cg_decision_date",
	"cg_outcome", "decision_maker", "status", "status_date", "updated_at",
	"date_of_birth",
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static void cases_usage(void)
{
	printf("Usage: nrmhub cases show CASE_ID [--site SITE] [--json] [--store FILE]\n"
	       "       nrmhub cases erase CASE_ID --site SITE --reason TEXT [OPTION]...\n"
	       "       nrmhub cases expire [--dry-run] [--now TIME] [OPTION]...\n"
	       "show: one stored case, each field with its value and the source that set it\n"
	       "(plugin, file, import time, and the record's updated_at), on standard output\n"
	       "only; nothing of it is logged, and the access log records who saw it.\n"
	       "erase: remove one case from the store (its values and the sources of its\n"
	       "fields), remove the held bundles whose cases.csv has its row and the row from\n"
	       "held cases.csv files, clear the store's free pages and WAL, and record the\n"
	       "erasure in the ledger by the case's pseudonym and the reason, never its id.\n"
	       "expire: the same for every case of the site past the configuration's\n"
	       "retention policy (see nrmhub(1), SITE CONFIGURATION).\n"
	       "\n"
	       "      --site SITE            the case's site (show: needed when the id is used\n"
	       "                             at more than one site; expire: default the\n"
	       "                             configuration's site)\n"
	       "      --json                 print the case (show) or what was erased as JSON\n"
	       "      --store FILE           the case store (default: the configuration's, or\n"
	       "                             ./nrmhub.db)\n"
	       "      --reason TEXT          erase: why (kept in the ledger; it must not hold\n"
	       "                             the case id)\n"
	       "      --key FILE             erase, expire: the site's pseudonym key (default:\n"
	       "                             the configuration's, else SITE.pseudonym.key beside\n"
	       "                             the store)\n"
	       "      --held DIR             erase, expire: also look in DIR for bundles and\n"
	       "                             return folders holding the case (repeatable; the\n"
	       "                             configuration's outboxes, deliver folders and the\n"
	       "                             ledger's queued items are always looked in)\n"
	       "      --now TIME             expire: the time the policy is applied at (RFC 3339\n"
	       "                             or YYYY-MM-DD; default: now)\n"
	       "      --dry-run              erase, expire: list what would go (pseudonyms and\n"
	       "                             files), and change nothing\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "Exit status: 0 done; 64 usage (show: the id is used at several sites and\n"
	       "--site was not given); 66 no such case (or no store); 75 the store is in use\n"
	       "(a run holds its lock, or another process has it open); 78 expire without a\n"
	       "retention policy or with a broken configuration.\n");
}

static json_t *date_json(int32_t d)
{
	if (d == NRM_DATE_NONE)
		return json_null();
	char buf[11];
	nrm_date_format_iso(d, buf);
	return json_string(buf);
}

static json_t *code_json(int kind, int32_t v)
{
	const char *name = nrm_code_name(kind, v);
	return name ? json_string(name) : json_null();
}

static json_t *tristate_json(int8_t v)
{
	return v == NRM_UNKNOWN ? json_null() : json_boolean(v == NRM_YES);
}

static json_t *text_json(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *list_json(const struct nrm_case *c, bool nationality)
{
	json_t *a = json_array();
	if (nationality) {
		for (int i = 0; i < 2; i++)
			if (c->nationality[i])
				json_array_append_new(a, json_string(c->nationality[i]));
		return a;
	}
	for (uint32_t bit = 1; bit & NRM_EXPL_ALL; bit <<= 1)
		if (c->exploitation_types & bit)
			json_array_append_new(a, code_json(NRM_CODE_EXPLOITATION, (int32_t)bit));
	return a;
}

/* One field's value, spelt as in case-jsonl. */
static json_t *value_json(const struct nrm_case *c, size_t i)
{
	switch (i) {
	case 0: return text_json(c->case_id);
	case 1: return text_json(c->site);
	case 2: return text_json(c->nrm_ref);
	case 3: return date_json(c->referral_date);
	case 4: return code_json(NRM_CODE_FIRST_RESPONDER, c->first_responder_type);
	case 5: return text_json(c->first_responder_org);
	case 6: return text_json(c->local_authority);
	case 7: return text_json(c->police_force);
	case 8:
		return c->age_at_exploitation == NRM_AGE_NONE ? json_null()
		                                              : json_integer(c->age_at_exploitation);
	case 9: return tristate_json(c->age_disputed);
	case 10: return code_json(NRM_CODE_GENDER, c->gender);
	case 11: return list_json(c, true);
	case 12: return list_json(c, false);
	case 13: return tristate_json(c->county_lines);
	case 14: return code_json(NRM_CODE_LOCATION, c->exploitation_location);
	case 15: return date_json(c->rg_decision_date);
	case 16: return code_json(NRM_CODE_OUTCOME, c->rg_outcome);
	case 17: return date_json(c->cg_decision_date);
	case 18: return code_json(NRM_CODE_OUTCOME, c->cg_outcome);
	case 19: return code_json(NRM_CODE_DECISION_MAKER, c->decision_maker);
	case 20: return code_json(NRM_CODE_STATUS, c->status);
	case 21: return date_json(c->status_date);
	case 23: return date_json(c->date_of_birth);
	default: {
		if (c->updated_at == NRM_TIME_NONE)
			return json_null();
		char buf[21];
		nrm_time_format_rfc3339(c->updated_at, buf);
		return json_string(buf);
	}
	}
}

static json_t *time_json(int64_t t)
{
	if (t == NRM_TIME_NONE)
		return json_null();
	char buf[21];
	nrm_time_format_rfc3339(t, buf);
	return json_string(buf);
}

/* The source of field i; NULL for case_id and site, which are the key. */
static const struct store_field_source *source_of(const struct store_case_detail *d, size_t i)
{
	int f = i < 2 ? -1 : store_field_of(fields[i]);
	return f < 0 || !d->source[f].known ? NULL : &d->source[f];
}

static json_t *source_json(const struct store_field_source *fs)
{
	if (!fs)
		return json_null();
	return json_pack("{s:s, s:s, s:o, s:o}", "plugin", fs->plugin, "file", fs->file,
	                 "imported_at", time_json(fs->imported_at), "updated_at",
	                 time_json(fs->updated_at));
}

static int print_json(const struct store_case_detail *d)
{
	json_t *c = json_object(), *sources = json_object();
	for (size_t i = 0; i < N_FIELDS; i++) {
		json_object_set_new(c, fields[i], value_json(&d->c, i));
		if (i >= 2)
			json_object_set_new(sources, fields[i], source_json(source_of(d, i)));
	}
	json_t *o = json_pack("{s:o, s:o, s:o}", "case", c, "changed_at",
	                      time_json(d->changed_at), "sources", sources);
	int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : EX_IOERR;
	printf("\n");
	json_decref(o);
	return rc;
}

static int print_text(const struct store_case_detail *d)
{
	char changed[21];
	nrm_time_format_rfc3339(d->changed_at, changed);
	printf("%-22s %-24s %s\n", "FIELD", "VALUE", "SOURCE (plugin, file, imported, record updated)");
	for (size_t i = 0; i < N_FIELDS; i++) {
		json_t *v = value_json(&d->c, i);
		char *text = json_is_string(v) ? nrm_xstrdup(json_string_value(v))
		                               : json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		const struct store_field_source *fs = source_of(d, i);
		printf("%-22s %-24s", fields[i], text);
		if (fs) {
			char imported[21], updated[21] = "-";
			nrm_time_format_rfc3339(fs->imported_at, imported);
			if (fs->updated_at != NRM_TIME_NONE)
				nrm_time_format_rfc3339(fs->updated_at, updated);
			printf(" %s, %s, %s, %s", fs->plugin, fs->file, imported, updated);
		} else if (i >= 2) {
			printf(" -");
		}
		printf("\n");
		free(text);
		json_decref(v);
	}
	printf("last changed %s\n", changed);
	return 0;
}

/* The access log's entry for a case about to be shown: nothing is shown
 * unless it is recorded. */
static int record_shown(struct nrm_context *ctx, struct store *store,
                        const struct store_case_detail *d)
{
	char *key_site, *key_path;
	int rc = nrm_site_access_key(ctx, &key_site, &key_path);
	if (rc)
		return rc;
	struct nrm_access a;
	struct nrm_error err;
	nrm_access_init(&a, ctx->store_path ? ctx->store_path : STORE_DEFAULT_PATH);
	nrm_access_use_key(&a, key_site, key_path);
	if (nrm_access_add(&a, &d->c, &err) != 0) {
		nrm_log_error("%s: nothing was shown", err.msg);
		rc = err.code;
	} else if (nrm_access_record(store, &a, "cases show", d->c.site, (int64_t)time(NULL))) {
		nrm_log_error("%s: nothing was shown", store_error(store)->msg);
		rc = store_error(store)->code;
	}
	nrm_access_free(&a);
	free(key_site);
	free(key_path);
	return rc;
}

static int show(struct nrm_context *ctx, const char *site, const char *case_id, bool json)
{
	struct store *store;
	int rc = nrm_context_open_store(ctx, false, &store);
	if (rc)
		return rc;
	struct store_case_detail d;
	switch (store_case_get(store, site, case_id, &d)) {
	case 0:
		rc = record_shown(ctx, store, &d);
		if (rc == 0)
			rc = json ? print_json(&d) : print_text(&d);
		break;
	/* The id is not repeated: it may be personal, and this goes to stderr. */
	case 1: nrm_log_error("no such case in the store"); rc = EX_NOINPUT; break;
	case 2:
		rc = nrm_usage_error("cases show", "that case id is used at several sites: "
		                     "give --site");
		break;
	default:
		nrm_log_error("%s", store_error(store)->msg);
		rc = store_error(store)->code;
	}
	store_close(store);
	return rc;
}

/* ---- erase and expire --------------------------------------------------- */

struct cases_args {
	const char *site, *reason, *key, *now;
	const char **held;
	size_t n_held;
	bool json, dry_run;
};

/* What erase and expire work on: the configuration when there is one (its
 * store, key and folders), the store, and the run lock. */
struct erase_site {
	struct nrm_config cfg;
	bool have_cfg;
	const char *store_path;
	char *key_path;
	json_t *places;
	struct nrm_run_lock lock;
	struct store *store;
};

static int open_site(struct nrm_context *ctx, const struct cases_args *a, const char *site,
                     struct erase_site *es)
{
	memset(es, 0, sizeof(*es));
	es->lock.fd = -1;
	es->places = json_array();
	int rc = nrm_site_config_optional(ctx, &es->cfg, &es->have_cfg);
	if (rc)
		return rc;
	es->store_path = ctx->store_path ? ctx->store_path
	               : es->have_cfg ? es->cfg.store : STORE_DEFAULT_PATH;
	if (a->key)
		es->key_path = nrm_xstrdup(a->key);
	else if (es->have_cfg && es->cfg.pseudonym_key && es->cfg.site_code &&
	         strcmp(es->cfg.site_code, site) == 0)
		es->key_path = nrm_xstrdup(es->cfg.pseudonym_key);
	else {
		struct nrm_error kerr;
		if (nrm_pseudonym_key_of_store(es->store_path, site, &es->key_path, &kerr) != 0) {
			nrm_log_error("%s", kerr.msg);
			return kerr.code;
		}
	}
	if (es->have_cfg)
		nrm_erasure_config_places(&es->cfg, es->places);
	for (size_t i = 0; i < a->n_held; i++)
		json_array_append_new(es->places, json_string(a->held[i]));
	struct nrm_error err;
	char *lock_path = nrm_run_lock_path(es->store_path);
	rc = !a->dry_run && nrm_run_lock_acquire(&es->lock, lock_path, &err) != 0 ? err.code : 0;
	free(lock_path);
	if (rc) {
		nrm_log_error("%s", err.msg);
		return rc;
	}
	struct nrm_context at = *ctx;
	at.store_path = es->store_path;
	return nrm_context_open_store(&at, false, &es->store);
}

static void close_site(struct erase_site *es)
{
	store_close(es->store);
	nrm_run_lock_release(&es->lock);
	json_decref(es->places);
	free(es->key_path);
	if (es->have_cfg)
		nrm_config_free(&es->cfg);
}

static const char **place_list(json_t *places)
{
	const char **list = nrm_xcalloc(json_array_size(places) + 1, sizeof(char *));
	for (size_t i = 0; i < json_array_size(places); i++)
		list[i] = json_string_value(json_array_get(places, i));
	return list;
}

/* The held returns that counted the case: each quarter must be built
 * again, and a person approve it again. */
static void say_discarded(json_t *discarded, bool dry_run)
{
	size_t i;
	json_t *v;
	json_array_foreach(discarded, i, v)
		printf("%s the %s %s return held for review (%s): it counted the case; build it "
		       "again: %s\n", dry_run ? "would discard" : "discarded",
		       json_string_value(json_object_get(v, "site")),
		       json_string_value(json_object_get(v, "quarter")),
		       json_string_value(json_object_get(v, "folder")),
		       json_string_value(json_object_get(v, "rebuild")));
}

static int say_erased(const struct cases_args *a, const char *site,
                      const struct nrm_erasure_result *res)
{
	size_t n = json_array_size(res->pseudonyms), i;
	json_t *v;
	if (a->json) {
		json_t *o = json_pack("{s:s, s:b, s:I, s:O, s:O, s:O}", "site", site, "dry_run",
		                      a->dry_run, "cases", (json_int_t)n, "pseudonyms",
		                      res->pseudonyms, "files", res->changed, "discarded",
		                      res->discarded);
		int rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ? EX_IOERR : 0;
		printf("\n");
		json_decref(o);
		return rc;
	}
	printf("%s %zu case%s at site %s%s\n", a->dry_run ? "would erase" : "erased", n,
	       n == 1 ? "" : "s", site, n ? ", by pseudonym:" : "");
	json_array_foreach(res->pseudonyms, i, v)
		printf("  %s\n", json_string_value(v));
	n = json_array_size(res->changed);
	if (n)
		printf("held files that %s the case%s's rows (bundles and returns removed, "
		       "extracts rewritten):\n", a->dry_run ? "would lose" : "lost",
		       json_array_size(res->pseudonyms) == 1 ? "" : "s");
	json_array_foreach(res->changed, i, v)
		printf("  %s\n", json_string_value(v));
	if (n && !a->dry_run)
		printf("build and send those quarters' returns again (nrmhub run --job NAME)\n");
	say_discarded(res->discarded, a->dry_run);
	return 0;
}

static int erase(struct nrm_context *ctx, const struct cases_args *a, const char *case_id)
{
	if (!a->site)
		return nrm_usage_error("cases erase", "--site SITE is required");
	if (!a->reason || !*a->reason)
		return nrm_usage_error("cases erase", "--reason TEXT is required (it is kept in "
		                       "the ledger)");
	/* The ledger must not hold the id, through the reason either. */
	if (strstr(a->reason, case_id))
		return nrm_usage_error("cases erase", "the reason holds the case id: the ledger "
		                       "keeps the reason, so say why without naming the case");
	struct erase_site es;
	int rc = open_site(ctx, a, a->site, &es);
	if (rc == 0) {
		const char **places = place_list(es.places);
		struct nrm_erasure_request req = {
			.site = a->site, .key_path = es.key_path, .reason = a->reason,
			.command = "cases erase", .now = (int64_t)time(NULL), .places = places,
			.n_places = json_array_size(es.places), .dry_run = a->dry_run};
		struct nrm_erasure_result res;
		struct nrm_error err = {0};
		rc = nrm_erasure_run(es.store, &req, &case_id, 1, &res, &err);
		if (rc)
			nrm_log_error("%s", err.msg);
		else
			rc = say_erased(a, a->site, &res);
		nrm_erasure_result_free(&res);
		free(places);
	}
	close_site(&es);
	return rc;
}

static int expire(struct nrm_context *ctx, const struct cases_args *a)
{
	int64_t now = (int64_t)time(NULL);
	if (a->now && nrm_parse_run_time(a->now, &now) != 0)
		return nrm_usage_error("cases expire", "--now '%s': not an RFC 3339 time or a "
		                       "date", a->now);
	struct erase_site es;
	memset(&es, 0, sizeof(es));
	int rc = nrm_site_config_optional(ctx, &es.cfg, &es.have_cfg);
	const char *given = a->site ? a->site : es.have_cfg ? es.cfg.site_code : NULL;
	char *site = given ? nrm_xstrdup(given) : NULL;
	bool policy = es.have_cfg && nrm_retention_set(&es.cfg.retention);
	if (es.have_cfg)
		nrm_config_free(&es.cfg);
	if (rc) {
		free(site);
		return rc;
	}
	if (!policy || !site) {
		free(site);
		nrm_log_error("%s: no retention policy: add \"retention\" to the site "
		              "configuration (nrmhub(1), SITE CONFIGURATION)",
		              nrm_config_locate(ctx->config_path));
		return EX_CONFIG;
	}
	if ((rc = open_site(ctx, a, site, &es)) == 0) {
		const char **places = place_list(es.places);
		struct nrm_erasure_request req = {
			.site = site, .key_path = es.key_path, .now = now, .places = places,
			.n_places = json_array_size(es.places), .dry_run = a->dry_run};
		struct nrm_erasure_result res;
		struct nrm_error err = {0};
		rc = nrm_retention_run(es.store, &req, &es.cfg.retention, &res, &err);
		if (rc)
			nrm_log_error("%s", err.msg);
		else
			rc = say_erased(a, site, &res);
		nrm_erasure_result_free(&res);
		free(places);
	}
	close_site(&es);
	free(site);
	return rc;
}

int cmd_cases(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_SITE = 1000, OPT_JSON, OPT_STORE, OPT_REASON, OPT_KEY, OPT_HELD, OPT_NOW,
	       OPT_DRY };
	static const struct option options[] = {
		{"site", required_argument, NULL, OPT_SITE},
		{"json", no_argument, NULL, OPT_JSON},
		{"store", required_argument, NULL, OPT_STORE},
		{"reason", required_argument, NULL, OPT_REASON},
		{"key", required_argument, NULL, OPT_KEY},
		{"held", required_argument, NULL, OPT_HELD},
		{"now", required_argument, NULL, OPT_NOW},
		{"dry-run", no_argument, NULL, OPT_DRY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct cases_args a = {0};
	int opt, rc;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_SITE: a.site = optarg; break;
		case OPT_JSON: a.json = true; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_REASON: a.reason = optarg; break;
		case OPT_KEY: a.key = optarg; break;
		case OPT_HELD:
			a.held = nrm_xrealloc(a.held, (a.n_held + 1) * sizeof(char *));
			a.held[a.n_held++] = optarg;
			break;
		case OPT_NOW: a.now = optarg; break;
		case OPT_DRY: a.dry_run = true; break;
		case 'h': cases_usage(); free(a.held); return 0;
		default: free(a.held); return nrm_usage_error("cases", "unknown option");
		}
	}
	const char *sub = optind < argc ? argv[optind] : "";
	bool is_show = strcmp(sub, "show") == 0, is_erase = strcmp(sub, "erase") == 0;
	if (strcmp(sub, "expire") == 0)
		rc = argc - optind != 1 ? nrm_usage_error("cases expire", "expire takes no CASE_ID")
		                        : expire(ctx, &a);
	else if (!is_show && !is_erase)
		rc = nrm_usage_error("cases", "the subcommands are 'show CASE_ID', 'erase CASE_ID' "
		                     "and 'expire'");
	else if (argc - optind != 2)
		rc = nrm_usage_error(is_show ? "cases show" : "cases erase",
		                     "give exactly one CASE_ID");
	else if (is_show && (a.reason || a.key || a.n_held || a.now || a.dry_run))
		rc = nrm_usage_error("cases show", "--reason, --key, --held, --now and --dry-run "
		                     "go with erase and expire");
	else
		rc = is_show ? show(ctx, a.site, argv[optind + 1], a.json)
		             : erase(ctx, &a, argv[optind + 1]);
	free(a.held);
	return rc;
}

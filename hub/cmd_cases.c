/*
 * `nrmhub cases show CASE_ID`: one stored case, field by field, with the
 * source that set each field.  This is the one command that shows a case's
 * data: it goes to standard output only, and nothing of it is logged.
 */
#include "commands.h"

#include "codes.h"
#include "date.h"
#include "log.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

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
	printf("Usage: nrmhub cases show CASE_ID [OPTION]...\n"
	       "Show one stored case, each field with its value and the source that set it\n"
	       "(plugin, file, import time, and the record's updated_at). The case is\n"
	       "printed on standard output only; nothing of it is logged.\n"
	       "\n"
	       "      --site SITE            the case's site (needed when the id is used at\n"
	       "                             more than one site)\n"
	       "      --json                 print the case and its sources as JSON\n"
	       "      --store FILE           the case store (default ./nrmhub.db)\n"
	       "  -h, --help                 show this help\n"
	       "\n"
	       "Exit status: 0 shown, 66 no such case (or no store), 64 the id is used at\n"
	       "several sites and --site was not given.\n");
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

static int show(struct nrm_context *ctx, const char *site, const char *case_id, bool json)
{
	struct store *store;
	int rc = nrm_context_open_store(ctx, false, &store);
	if (rc)
		return rc;
	struct store_case_detail d;
	switch (store_case_get(store, site, case_id, &d)) {
	case 0: rc = json ? print_json(&d) : print_text(&d); break;
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

int cmd_cases(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_SITE = 1000, OPT_JSON, OPT_STORE };
	static const struct option options[] = {
		{"site", required_argument, NULL, OPT_SITE},
		{"json", no_argument, NULL, OPT_JSON},
		{"store", required_argument, NULL, OPT_STORE},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *site = NULL;
	bool json = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_SITE: site = optarg; break;
		case OPT_JSON: json = true; break;
		case OPT_STORE: ctx->store_path = optarg; break;
		case 'h': cases_usage(); return 0;
		default: return nrm_usage_error("cases", "unknown option");
		}
	}
	if (optind >= argc || strcmp(argv[optind], "show") != 0)
		return nrm_usage_error("cases", "the only subcommand is 'show CASE_ID'");
	if (argc - optind != 2)
		return nrm_usage_error("cases show", "give exactly one CASE_ID");
	return show(ctx, site, argv[optind + 1], json);
}

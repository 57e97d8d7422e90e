/*
 * `nrmhub return audit [--json] DIR...`: the disclosure audit of published
 * returns, and of published national tables beside their sites' returns,
 * run on their files as a reader would run it: every suppressed count with
 * the interval the published figures allow it, and exit 65 when one is
 * pinned down or narrowed below the protection level.
 */
#include "commands.h"

#include "national_model.h"
#include "return_audit.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

static void print_usage(void)
{
	printf("Usage: nrmhub return audit [OPTION]... DIR...\n"
	       "Audit the disclosure control of published returns: for each DIR (a return\n"
	       "folder, or its return.json), every suppressed count with the interval a\n"
	       "reader can derive for it by linear programming from the published figures\n"
	       "and the relations the tables obey (breakdowns sum to totals, a type is the\n"
	       "sum of the combinations holding it, a figure shown twice is one, a suppressed\n"
	       "count is never 0). The returns are audited together: a return's series row for\n"
	       "a quarter repeats that quarter's own figures and other returns' rows for it.\n"
	       "A DIR holding national.json (national build --audience published) is audited\n"
	       "beside the published returns of every site it lists, which must be among the\n"
	       "DIRs: national = sum of sites, a nation = sum of its sites.\n"
	       "\n"
	       "  -t, --threshold N    counts 1 to N must be suppressed (default: the rule\n"
	       "                       the return records in \"disclosure\", else 4)\n"
	       "  -p, --protection N   the width an interval needs when the count may be\n"
	       "                       1 to N (default: the return's, else threshold + 1)\n"
	       "      --zero-lower-bound  take 0 as a suppressed count's lower bound (the\n"
	       "                       classic audit); by default 1, since zeros are shown\n"
	       "                       and a reader knows no suppressed count is 0\n"
	       "      --json           print the intervals as JSON\n"
	       "  -h, --help           show this help\n"
	       "\n"
	       "A suppressed count fails when its interval is one value, or when it may be\n"
	       "a small count and the interval is narrower than the protection level; a\n"
	       "shown count from 1 to the threshold fails, and so does a statistic shown\n"
	       "beside a suppressed count it is drawn from.\n"
	       "\n"
	       "Exit status: 0 every return passes; 64 usage; 65 a cell fails (named with its\n"
	       "interval) or a file is not a return; 66 missing input.\n");
}

static int positive(const char *s, int *out)
{
	long long v;
	if (!nrm_parse_int64(s, &v) || v < 1 || v > 100000)
		return -1;
	*out = (int)v;
	return 0;
}

/* "[3, 3]", "[0, unbounded)", "?" for a contradiction or a shown cell. */
static void interval_text(const struct nrm_dc_interval *c, char *buf, size_t n)
{
	if (isnan(c->lo))
		snprintf(buf, n, "?");
	else if (isinf(c->hi))
		snprintf(buf, n, "[%g, unbounded)", c->lo);
	else
		snprintf(buf, n, "[%g, %g]", c->lo, c->hi);
}

static json_t *cell_json(const struct nrm_dc_figure *f, const struct nrm_dc_interval *c)
{
	return json_pack("{s:s, s:s?, s:o, s:o, s:s, s:b}", "cell", f->name, "path", f->path,
	                 "min", isnan(c->lo) ? json_null() : json_real(c->lo), "max",
	                 isnan(c->hi) || isinf(c->hi) ? json_null() : json_real(c->hi),
	                 "verdict", nrm_dc_verdict_text(c->verdict), "ok", c->verdict == NRM_DC_OK);
}

/* The cells of return `r` as JSON. */
static json_t *audit_json(const char *dir, const struct nrm_return_audit *a, size_t r)
{
	json_t *cells = json_array();
	size_t failed = 0;
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (nrm_return_audit_owner(a, c->figure) != r)
			continue;
		failed += c->verdict != NRM_DC_OK;
		json_array_append_new(cells, cell_json(&a->model.figures[c->figure], c));
	}
	return json_pack("{s:s, s:o, s:I}", "return", dir, "cells", cells, "failed",
	                 (json_int_t)failed);
}

static void audit_text(const char *dir, const struct nrm_return_audit *a, size_t r)
{
	char iv[96];
	size_t n = 0, failed = 0;
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (nrm_return_audit_owner(a, c->figure) != r)
			continue;
		interval_text(c, iv, sizeof(iv));
		printf("%s: %s %s %s\n", dir, a->model.figures[c->figure].name, iv,
		       nrm_dc_verdict_text(c->verdict));
		n++;
		failed += c->verdict != NRM_DC_OK;
	}
	printf("%s: %zu cells audited, %zu fail\n", dir, n, failed);
}

static void report_failures(char *const *dirs, const struct nrm_return_audit *a)
{
	char iv[96];
	for (size_t i = 0; i < a->audit.n; i++) {
		const struct nrm_dc_interval *c = &a->audit.cells[i];
		if (c->verdict == NRM_DC_OK)
			continue;
		const struct nrm_dc_figure *f = &a->model.figures[c->figure];
		interval_text(c, iv, sizeof(iv));
		fprintf(stderr, "nrmhub: %s: %s (%s) %s: %s\n",
		        dirs[nrm_return_audit_owner(a, c->figure)], f->name,
		        f->path ? f->path : "-", iv, nrm_dc_verdict_text(c->verdict));
	}
}

/* DIR's JSON file: DIR/national.json when DIR holds one (a national
 * build's folder), else DIR/return.json; DIR itself when it is a file. */
static char *audited_file(const char *arg, bool *national)
{
	struct stat st;
	char *file;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		file = nrm_xasprintf("%s/national.json", arg);
		if (access(file, F_OK) == 0) {
			*national = true;
			return file;
		}
		free(file);
		file = nrm_xasprintf("%s/return.json", arg);
	} else {
		file = nrm_xstrdup(arg);
	}
	size_t n = strlen(file);
	*national = n >= 13 && strcmp(file + n - 13, "national.json") == 0;
	return file;
}

struct loaded {
	json_t **rets, **nats;
	char **ret_dirs, **nat_dirs;
	size_t n_rets, n_nats;
};

static int load_national(const char *file, json_t **out, struct nrm_error *err)
{
	json_error_t je;
	*out = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
	if (!*out)
		return nrm_fail(err, errno == ENOENT ? EX_NOINPUT : EX_DATAERR,
		                "%s: line %d: not national tables: %s", file, je.line, je.text);
	return 0;
}

/* Every DIR's return.json or national.json; the ones that cannot be read
 * are named and left out, with the worst status in *rc. */
static void load_all(char **dirs, size_t n, struct loaded *l, int *rc)
{
	l->rets = nrm_xcalloc(n, sizeof(*l->rets));
	l->nats = nrm_xcalloc(n, sizeof(*l->nats));
	l->ret_dirs = nrm_xcalloc(n, sizeof(*l->ret_dirs));
	l->nat_dirs = nrm_xcalloc(n, sizeof(*l->nat_dirs));
	for (size_t i = 0; i < n; i++) {
		bool national = false;
		char *file = audited_file(dirs[i], &national);
		struct nrm_error err;
		int got = national ? load_national(file, &l->nats[l->n_nats], &err)
		                   : nrm_return_load_file(file, &l->rets[l->n_rets], &err);
		if (got == 0 && national)
			l->nat_dirs[l->n_nats++] = dirs[i];
		else if (got == 0)
			l->ret_dirs[l->n_rets++] = dirs[i];
		else {
			fprintf(stderr, "nrmhub: %s\n", err.msg);
			if (!*rc || *rc == EX_DATAERR)
				*rc = err.code;
		}
		free(file);
	}
}

static void loaded_free(struct loaded *l)
{
	for (size_t i = 0; i < l->n_rets; i++)
		json_decref(l->rets[i]);
	for (size_t i = 0; i < l->n_nats; i++)
		json_decref(l->nats[i]);
	free(l->rets);
	free(l->nats);
	free(l->ret_dirs);
	free(l->nat_dirs);
}

static void print_json(json_t *out)
{
	char *text = json_dumps(out, JSON_INDENT(2));
	printf("%s\n", text);
	free(text);
}

/* Audits the returns together: a return's trend repeats the others'. */
static int audit_returns(const struct loaded *l, const struct nrm_dc_params *p, json_t *out)
{
	struct nrm_return_audit a;
	struct nrm_error err;
	size_t bad = 0;
	if (nrm_return_audit_set((const json_t *const *)l->rets, l->n_rets, p, &a, &bad, &err)) {
		/* The tables name the JSON path; the user needs the file too. */
		fprintf(stderr, "nrmhub: %s: %s\n", l->ret_dirs[bad], err.msg);
		return err.code ? err.code : EX_DATAERR;
	}
	for (size_t r = 0; r < l->n_rets; r++)
		if (out)
			json_array_append_new(out, audit_json(l->ret_dirs[r], &a, r));
		else
			audit_text(l->ret_dirs[r], &a, r);
	report_failures(l->ret_dirs, &a);
	int rc = a.audit.n_failed ? EX_DATAERR : 0;
	nrm_return_audit_free(&a);
	return rc;
}

/* The national tables' own cells, and every failure (a site's too). */
static void national_report(const char *dir, const struct nrm_national_model *j,
                            const struct nrm_dc_audit *a, json_t *out)
{
	char iv[96];
	json_t *cells = json_array();
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct nrm_dc_interval *c = &a->cells[i];
		const struct nrm_dc_figure *f = &j->m.figures[c->figure];
		interval_text(c, iv, sizeof(iv));
		if (c->verdict != NRM_DC_OK)
			fprintf(stderr, "nrmhub: %s: %s (%s) %s: %s\n", dir, f->name,
			        f->path ? f->path : "-", iv, nrm_dc_verdict_text(c->verdict));
		if (!nrm_national_model_is_national(j, (size_t)c->figure))
			continue;
		n++;
		if (out)
			json_array_append_new(cells, cell_json(f, c));
		else
			printf("%s: %s %s %s\n", dir, f->name, iv, nrm_dc_verdict_text(c->verdict));
	}
	if (out)
		json_array_append_new(out, json_pack("{s:s, s:o, s:I}", "national", dir, "cells",
		                                     cells, "failed", (json_int_t)a->n_failed));
	else {
		json_decref(cells);
		printf("%s: %zu national cells audited, %zu fail (beside its sites' returns)\n",
		       dir, n, a->n_failed);
	}
}

/* National tables audited beside the published returns of their sites, as
 * a reader holding them all would (national_model.h). */
static int audit_national(const char *dir, const json_t *national, const struct loaded *l,
                          const struct nrm_dc_params *given, json_t *out)
{
	struct nrm_dc_params p = *given;
	struct nrm_national_model j;
	struct nrm_error err;
	if (nrm_dc_params_resolve(&p) != 0 ||
	    nrm_national_model_match(national, l->rets, l->n_rets, &j, &err) != 0) {
		fprintf(stderr, "nrmhub: %s: %s\n", dir, err.msg);
		return err.code ? err.code : EX_DATAERR;
	}
	struct nrm_dc_audit a;
	int rc = nrm_dc_audit_run(&j.m, &p, false, &a, &err);
	if (rc == 0) {
		national_report(dir, &j, &a, out);
		rc = a.n_failed ? EX_DATAERR : 0;
		nrm_dc_audit_free(&a);
	} else {
		fprintf(stderr, "nrmhub: %s: %s\n", dir, err.msg);
		rc = err.code;
	}
	nrm_national_model_free(&j);
	return rc;
}

static int audit_all(char **dirs, size_t n, const struct nrm_dc_params *p, bool json)
{
	struct loaded l = {0};
	int rc = 0;
	load_all(dirs, n, &l, &rc);
	json_t *out = json ? json_array() : NULL;
	int got = l.n_rets ? audit_returns(&l, p, out) : 0;
	rc = rc ? rc : got;
	for (size_t i = 0; i < l.n_nats; i++) {
		got = audit_national(l.nat_dirs[i], l.nats[i], &l, p, out);
		rc = rc ? rc : got;
	}
	if (out) {
		print_json(out);
		json_decref(out);
	}
	loaded_free(&l);
	return rc;
}

int cmd_return_audit(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"threshold", required_argument, NULL, 't'},
		{"protection", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"zero-lower-bound", no_argument, NULL, 'z'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct nrm_dc_params p = {0};
	bool json = false;
	(void)ctx;
	int c;
	while ((c = getopt_long(argc, argv, "+t:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (positive(optarg, &p.threshold) || p.threshold > 1000)
				return nrm_usage_error("return audit", "--threshold takes 1 to 1000");
			break;
		case 'p':
			if (positive(optarg, &p.protection))
				return nrm_usage_error("return audit", "--protection takes 1 to 100000");
			break;
		case 'j': json = true; break;
		case 'z': p.zero_lower_bound = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("return audit", "unknown option");
		}
	}
	if (optind >= argc)
		return nrm_usage_error("return audit", "no DIR given");
	int rc = audit_all(argv + optind, (size_t)(argc - optind), &p, json);
	return rc;
}

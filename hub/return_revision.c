/*
 * $.revision worked out for a return just built (return_revision.h).
 */
#include "return_revision.h"

#include "date.h"
#include "json_path.h"
#include "quarter.h"
#include "return_diff.h"
#include "return_input.h"
#include "return_sent.h"
#include "return_series.h"
#include "return_tables.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* ---- [p] ------------------------------------------------------------------ */

/* The first day of the month `months` after the one that follows
 * quarter `q`: before it, the quarter is younger than `months` months. */
static int32_t provisional_until(const struct nrm_quarter *q, int months)
{
	int y, m, d;
	nrm_date_to_ymd(q->last + 1, &y, &m, &d);
	int index = y * 12 + (m - 1) + months;
	int32_t day = 0;
	nrm_date_from_ymd(index / 12, index % 12 + 1, 1, &day);
	return day;
}

/* The quarters of the return (its series', or an older return's trend's,
 * oldest first, the return's own last) whose figures the policy says are
 * provisional. */
static json_t *provisional_quarters(const json_t *ret, struct nrm_provisional p)
{
	json_t *out = json_array();
	const json_t *trend = json_object_get(ret, "series");
	if (!trend)
		trend = json_object_get(ret, "trend");
	int64_t at = 0;
	const char *generated = json_string_value(json_object_get(ret, "generated_at"));
	if (generated)
		nrm_time_parse_rfc3339(generated, strlen(generated), &at);
	int32_t today = (int32_t)(at / 86400);
	size_t n = json_array_size(trend);
	for (size_t i = 0; i < n; i++) {
		const char *text = json_string_value(json_object_get(json_array_get(trend, i),
		                                                      "quarter"));
		struct nrm_quarter q;
		if (!text || nrm_quarter_parse(text, &q) != 0)
			continue;
		bool young = p.unit == NRM_PROVISIONAL_QUARTERS ? n - i <= (size_t)p.n
		                                                : today < provisional_until(&q, p.n);
		if (young)
			json_array_append_new(out, json_string(text));
	}
	return out;
}

/* ---- [r] ------------------------------------------------------------------ */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static json_t *text_or_null(const struct nrm_cell *c)
{
	return c ? json_string(c->text) : json_string("");
}

static const char *change_name(enum nrm_change_kind k)
{
	return k == NRM_CHANGE_ADDED ? "added" : k == NRM_CHANGE_REMOVED ? "removed" : "changed";
}

static json_t *entry(const char *quarter, const char *table, const char *row, const char *label,
                     const char *column, const char *change, json_t *old, json_t *new,
                     const char *difference, const char *compared_with)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:s, s:s}", "quarter", quarter,
	                 "table", table, "row", row, "row_label", label, "column", column,
	                 "change", change, "old", old, "new", new, "difference", difference,
	                 "compared_with", compared_with);
}

/* "2024 Q4", the series row's key, for the quarter "2024Q4". */
static char *trend_key(const char *quarter)
{
	return nrm_xasprintf("%.4s %.2s", quarter, quarter + 4);
}

/* The quarter's figures against the return last sent for it.  Its trend's
 * earlier rows are compared with their own quarters' returns instead. */
static void revised_against(const struct nrm_return_tables *old,
                            const struct nrm_return_tables *new, const char *compared_with,
                            json_t *out)
{
	struct nrm_return_diff d;
	nrm_return_diff(old, new, &d);
	char *own_row = trend_key(new->quarter);
	for (size_t i = 0; i < d.n_changes; i++) {
		const struct nrm_return_change *c = &d.changes[i];
		/* The earlier quarters' rows of the series (and of its changes)
		 * are compared with their own quarters' returns instead. */
		bool by_quarter = strcmp(c->table->key, "trend") == 0 ||
		                  strcmp(c->table->key, "series") == 0 ||
		                  strcmp(c->table->key, "series_change") == 0;
		if (by_quarter && strcmp(c->row, own_row) != 0)
			continue;
		char *diff = c->has_difference ? nrm_return_change_difference(c) : nrm_xstrdup("");
		json_array_append_new(out, entry(new->quarter, c->table->key,
		                                 c->row_code ? c->row_code : c->row, c->row,
		                                 c->column->name, change_name(c->kind),
		                                 text_or_null(c->old_cell), text_or_null(c->new_cell),
		                                 diff, compared_with));
		free(diff);
	}
	free(own_row);
	nrm_return_diff_free(&d);
}

/* A series figure as the series' column shows it ("12", "3.5", "[z]"). */
static char *figure_text(const json_t *v, enum nrm_column_role role)
{
	struct nrm_cell c = {0};
	nrm_cell_set_figure(&c, v, role);
	return c.text;
}

static enum nrm_column_role repeat_role(size_t k)
{
	return nrm_series_repeats[k].count ? NRM_COL_COUNT : NRM_COL_DECIMAL;
}

/* One earlier quarter's series row, shown as the site sent it (`shown`,
 * the row the builder took from that quarter's return), against the same
 * quarter as counted now (`counted`): each figure that differs is revised,
 * marked [r] where it is shown, and revisions.csv lists what it is now.
 * A published return lists the recomputed figure as "[c]": it is no
 * figure the published return's suppression covered. */
static void series_row_against(const json_t *shown, const json_t *counted, bool published,
                               const char *compared_with, json_t *out)
{
	const char *quarter = json_string_value(json_object_get(shown, "quarter"));
	char *key = trend_key(quarter);
	for (size_t k = 0; k < NRM_SERIES_REPEATS; k++) {
		const char *name = nrm_series_repeats[k].key;
		const json_t *was = json_object_get(shown, name), *now = json_object_get(counted, name);
		if (!was || !now || json_equal(was, now) || json_is_string(was))
			continue;
		char *was_text = figure_text(was, repeat_role(k));
		char *now_text = figure_text(now, repeat_role(k));
		char *diff = !published && json_is_number(was) && json_is_number(now)
		                     ? nrm_xasprintf(nrm_series_repeats[k].count ? "%+.0f" : "%+.1f",
		                                     strtod(now_text, NULL) - strtod(was_text, NULL))
		                     : nrm_xstrdup("");
		json_array_append_new(out, entry(quarter, "series", key, key, name, "changed",
		                                 json_string(was_text),
		                                 json_string(published ? "[c]" : now_text), diff,
		                                 compared_with));
		free(diff);
		free(was_text);
		free(now_text);
	}
	free(key);
}

/* The series' earlier rows the builder took from returns the site sent
 * (r->sent) against the rows counted now (r->series_counted). */
static void earlier_quarters(const json_t *ret, const struct nrm_revision_request *r,
                             json_t *out)
{
	const json_t *series = json_object_get(ret, "series");
	const char *audience = json_string_value(json_object_get(ret, "audience"));
	bool published = audience && strcmp(audience, "published") == 0;
	size_t n = json_array_size(series);
	for (size_t i = 0; i + 1 < n && i < json_array_size(r->series_counted); i++) {
		const json_t *row = json_array_get(series, i);
		const char *quarter = json_string_value(json_object_get(row, "quarter"));
		for (size_t k = 0; quarter && k < r->n_sent; k++) {
			const char *q = json_string_value(json_object_get(r->sent[k], "quarter"));
			if (q && strcmp(q, quarter) == 0)
				series_row_against(row, json_array_get(r->series_counted, i), published,
				                   r->sent_names[k], out);
		}
	}
}

/* ---- the quarter sent before ---------------------------------------------- */

struct sent_before {
	json_t *ret;        /* its return.json, or NULL: never sent */
	json_t *revises;    /* $.revision.revises */
	char *name;         /* what revisions.csv says it was compared with */
};

static int given_return(const char *path, const json_t *ret, struct sent_before *out,
                        struct nrm_error *err)
{
	struct nrm_return_input in;
	if (nrm_return_input_open(path, &in, err) != 0)
		return -1;
	const char *site = json_string_value(json_object_get(ret, "site"));
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	if (strcmp(in.tables.site, site ? site : "") != 0 ||
	    strcmp(in.tables.quarter, quarter ? quarter : "") != 0) {
		nrm_fail(err, EX_USAGE, "--revises %s is %s %s, not %s %s", path, in.tables.site,
		         in.tables.quarter, site ? site : "", quarter ? quarter : "");
		nrm_return_input_close(&in);
		return -1;
	}
	out->ret = json_incref(in.json);
	out->name = nrm_xstrdup(base_name(path));
	nrm_return_input_close(&in);
	return 0;
}

static int sent_before(const json_t *ret, const struct nrm_revision_request *r,
                       struct sent_before *out, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	unsigned long seq = 0;
	if (r->revises) {
		if (given_return(r->revises, ret, out, err) != 0)
			return -1;
		/* SITE_QUARTER_NNN.tar.gz: a bundle's own number; else none. */
		const char *last = strrchr(out->name, '_');
		if (last) {
			char *prefix = nrm_xasprintf("%.*s", (int)(last + 1 - out->name), out->name);
			seq = nrm_sent_bundle_seq(out->name, prefix);
			free(prefix);
		}
	} else {
		struct nrm_sent s;
		nrm_return_last_sent(r->deliveries, NULL,
		                     json_string_value(json_object_get(ret, "site")),
		                     json_string_value(json_object_get(ret, "quarter")),
		                     json_string_value(json_object_get(ret, "audience")), &s);
		if (!s.ret)
			return 0;
		out->ret = json_incref(s.ret);
		out->name = nrm_xstrdup(base_name(s.bundle));
		seq = s.seq;
		nrm_sent_free(&s);
	}
	const json_t *at = json_object_get(out->ret, "generated_at");
	out->revises = json_pack("{s:s, s:o, s:O?}", "bundle", out->name, "seq",
	                         seq ? json_integer((json_int_t)seq) : json_null(),
	                         "generated_at", at);
	return 0;
}

static void free_sent_before(struct sent_before *s)
{
	json_decref(s->ret);
	json_decref(s->revises);
	free(s->name);
}

static int check_reason(const struct nrm_revision_request *r, const struct sent_before *sb,
                        const char *quarter, struct nrm_error *err)
{
	if (r->reason) {
		const char *problem = nrm_revision_reason_problem(r->reason);
		return problem ? nrm_fail(err, EX_USAGE, "--reason %s", problem) : 0;
	}
	if (sb->ret)
		return nrm_fail(err, EX_USAGE, "%s was sent before (%s): give --reason TEXT, why it "
		                "is sent again (one line; never a child's identifier), or the "
		                "return job's \"revision_reason\"", quarter, sb->name);
	return 0;
}

int nrm_return_revision_add(json_t *ret, const struct nrm_revision_request *r,
                            struct nrm_error *err)
{
	struct sent_before sb;
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	if (sent_before(ret, r, &sb, err) != 0)
		return -1;
	if (check_reason(r, &sb, quarter ? quarter : "the quarter", err) != 0) {
		free_sent_before(&sb);
		return -1;
	}
	struct nrm_return_tables new, old;
	if (nrm_return_tables_build(ret, &new, err) != 0) {
		free_sent_before(&sb);
		return -1;
	}
	json_t *revised = json_array();
	if (sb.ret && nrm_return_tables_build(sb.ret, &old, err) == 0) {
		revised_against(&old, &new, sb.name, revised);
		nrm_return_tables_free(&old);
	}
	if (!r->revises) /* a return given by hand stands alone: no ledger to read */
		earlier_quarters(ret, r, revised);
	nrm_return_tables_free(&new);
	json_t *rev = json_pack("{s:o, s:O?, s:o, s:o}", "provisional",
	                        provisional_quarters(ret, r->provisional), "revises", sb.revises,
	                        /* A reason says why a quarter is sent again; a first
	                         * build (a job's always gives one) has none to record. */
	                        "reason", r->reason && sb.ret ? json_string(r->reason) : json_null(),
	                        "revised", revised);
	json_object_set_new(ret, "revision", rev);
	free_sent_before(&sb);
	return 0;
}

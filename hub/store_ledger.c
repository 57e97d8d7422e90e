/*
 * The ledger (ledger.h): the store's job_seen, job_run, delivery and
 * receipt tables.  Small statements prepared per call: a run makes a few
 * dozen of them, and keeping them out of the store's cached set keeps the
 * case store's own code untouched.
 */
#include "ledger.h"

#include "date.h"
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_stmt *prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "the ledger");
		return NULL;
	}
	return st;
}

/* Steps a statement that returns no rows, and finalizes it. */
static int run_once(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : store_fail_sqlite(s, what);
}

int ledger_job_seen(struct store *s, const char *job, int64_t now, int64_t *first_seen)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR IGNORE INTO job_seen (job, first_seen) VALUES (?, ?)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (run_once(s, st, "cannot record a job") != 0)
		return -1;
	if (!(st = prepare(s, "SELECT first_seen FROM job_seen WHERE job = ?")))
		return -1;
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*first_seen = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_sqlite(s, "cannot read a job");
}

int ledger_job_first_seen(struct store *s, const char *job, int64_t *first_seen)
{
	sqlite3_stmt *st = prepare(s, "SELECT first_seen FROM job_seen WHERE job = ?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*first_seen = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read a job");
}

int ledger_job_last(struct store *s, const char *job, struct ledger_run *out)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = prepare(s, "SELECT started_at, ended_at, status, message, "
	                              "(SELECT count(*) FROM job_run WHERE job = ?1) "
	                              "FROM job_run WHERE job = ?1 ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->started_at = sqlite3_column_int64(st, 0);
		out->ended_at = sqlite3_column_int64(st, 1);
		snprintf(out->status, sizeof(out->status), "%s", sqlite3_column_text(st, 2));
		snprintf(out->message, sizeof(out->message), "%s", sqlite3_column_text(st, 3));
		out->runs = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc == SQLITE_DONE ? 1 : store_fail_sqlite(s, "cannot read the job's runs");
}

/* A string from the child, cut at LEDGER_TEXT_MAX bytes (at the start of a
 * UTF-8 character: jansson's strings are UTF-8); NULL when not a string. */
static json_t *kept_text(const json_t *v)
{
	const char *s = json_string_value(v);
	if (!s)
		return NULL;
	size_t n = json_string_length(v);
	if (n > LEDGER_TEXT_MAX) {
		n = LEDGER_TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return json_stringn(s, n);
}

static json_t *kept_text_or_null(const json_t *v)
{
	json_t *t = kept_text(v);
	return t ? t : json_null();
}

static json_t *kept_position(const json_t *v)
{
	return json_is_integer(v) && json_integer_value(v) > 0 ? json_integer(json_integer_value(v))
	                                                       : json_null();
}

/* The first problems, each rebuilt from its known members only. */
static json_t *kept_problems(const json_t *problems)
{
	json_t *kept = json_array();
	size_t i;
	const json_t *p;
	json_array_foreach(problems, i, p) {
		if (json_array_size(kept) == LEDGER_PROBLEMS)
			break;
		json_t *reason = kept_text(json_object_get(p, "reason"));
		json_t *file = kept_text(json_object_get(p, "file"));
		if (!reason || !file) {
			json_decref(reason);
			json_decref(file);
			continue;
		}
		json_t *o = json_object();
		json_object_set_new(o, "file", file);
		json_object_set_new(o, "line", kept_position(json_object_get(p, "line")));
		json_object_set_new(o, "column", kept_position(json_object_get(p, "column")));
		json_object_set_new(o, "path", kept_text_or_null(json_object_get(p, "path")));
		json_object_set_new(o, "field", kept_text_or_null(json_object_get(p, "field")));
		json_object_set_new(o, "reason", reason);
		json_array_append_new(kept, o);
	}
	return kept;
}

/* The counts: whole numbers and true/false, under short names. */
static json_t *kept_counts(json_t *counts)
{
	if (!json_is_object(counts))
		return json_null();
	json_t *kept = json_object();
	const char *key;
	json_t *v;
	json_object_foreach(counts, key, v) {
		if (json_object_size(kept) == 16)
			break;
		if (strlen(key) <= 32 && (json_is_integer(v) || json_is_boolean(v)))
			json_object_set(kept, key, v);
	}
	return kept;
}

static char *dump(json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

int ledger_run_add(struct store *s, const struct ledger_run_record *r)
{
	json_t *counts = kept_counts(r->counts), *problems = kept_problems(r->problems);
	char *outputs_text = r->outputs ? dump(r->outputs) : NULL;
	char *counts_text = dump(counts), *problems_text = dump(problems);
	json_decref(counts);
	json_decref(problems);
	sqlite3_stmt *st = prepare(s, "INSERT INTO job_run (job, started_at, ended_at, status, "
	                              "message, outputs, counts, problems, rejects) "
	                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, r->job, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, r->started_at);
		sqlite3_bind_int64(st, 3, r->ended_at);
		sqlite3_bind_text(st, 4, r->status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, r->message ? r->message : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, outputs_text ? outputs_text : "[]", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, counts_text ? counts_text : "null", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, problems_text ? problems_text : "[]", -1, SQLITE_STATIC);
		if (r->rejects)
			sqlite3_bind_text(st, 9, r->rejects, -1, SQLITE_STATIC);
		rc = run_once(s, st, "cannot record a job run");
	}
	free(outputs_text);
	free(counts_text);
	free(problems_text);
	return rc;
}

/* A JSON column as it was written; null should it not read. */
static json_t *column_json(sqlite3_stmt *st, int col)
{
	const char *text = (const char *)sqlite3_column_text(st, col);
	json_t *v = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
	return v ? v : json_null();
}

json_t *ledger_runs(struct store *s, const char *job, int64_t since, int64_t limit)
{
	sqlite3_stmt *st = prepare(s, "SELECT job, started_at, ended_at, status, message, outputs, "
	                              "counts, problems, rejects FROM job_run "
	                              "WHERE (?1 IS NULL OR job = ?1) AND started_at >= ?2 "
	                              "ORDER BY id DESC LIMIT ?3");
	if (!st)
		return NULL;
	if (job)
		sqlite3_bind_text(st, 1, job, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	sqlite3_bind_int64(st, 3, limit > 0 ? limit : -1);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rejects = (const char *)sqlite3_column_text(st, 8);
		json_t *o = json_pack("{s:s, s:I, s:I, s:s, s:s}",
		        "job", (const char *)sqlite3_column_text(st, 0),
		        "started_at", (json_int_t)sqlite3_column_int64(st, 1),
		        "ended_at", (json_int_t)sqlite3_column_int64(st, 2),
		        "status", (const char *)sqlite3_column_text(st, 3),
		        "message", (const char *)sqlite3_column_text(st, 4));
		json_object_set_new(o, "outputs", column_json(st, 5));
		json_object_set_new(o, "counts", column_json(st, 6));
		json_object_set_new(o, "problems", column_json(st, 7));
		json_object_set_new(o, "rejects", rejects ? json_string(rejects) : json_null());
		json_array_append_new(list, o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		store_fail_sqlite(s, "cannot read the job's runs");
		return NULL;
	}
	return list;
}

void ledger_result_text(const char *status, const json_t *counts, char buf[64])
{
	json_int_t bad = json_integer_value(json_object_get(counts, "rejected"));
	if (strcmp(status, "ok") == 0 && bad > 0)
		snprintf(buf, 64, "ok with %lld rejected", (long long)bad);
	else
		snprintf(buf, 64, "%s", status);
}

int ledger_delivery_queue(struct store *s, const char *target, const char *item, int64_t now)
{
	sqlite3_stmt *st = prepare(s, "INSERT OR IGNORE INTO delivery (target, item, state, "
	                              "queued_at) VALUES (?, ?, 'pending', ?)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	return run_once(s, st, "cannot queue a delivery");
}

int ledger_delivery_withdraw(struct store *s, const char *item, const char *message)
{
	sqlite3_stmt *st = prepare(s, "UPDATE delivery SET state = 'withdrawn', message = ? "
	                              "WHERE item = ? AND state = 'pending'");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, message, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	return run_once(s, st, "cannot withdraw a delivery");
}

json_t *ledger_deliveries(struct store *s, const char *target, const char *state)
{
	sqlite3_stmt *st = prepare(s, "SELECT target, item, state, queued_at, message, id "
	                              "FROM delivery "
	                              "WHERE (?1 IS NULL OR target = ?1) AND (?2 IS NULL OR state = ?2) "
	                              "ORDER BY id");
	if (!st)
		return NULL;
	if (target)
		sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
	if (state)
		sqlite3_bind_text(st, 2, state, -1, SQLITE_STATIC);
	json_t *list = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(list, json_pack("{s:I, s:s, s:s, s:s, s:I, s:s}",
		        "id", (json_int_t)sqlite3_column_int64(st, 5),
		        "target", (const char *)sqlite3_column_text(st, 0),
		        "item", (const char *)sqlite3_column_text(st, 1),
		        "state", (const char *)sqlite3_column_text(st, 2),
		        "queued_at", (json_int_t)sqlite3_column_int64(st, 3),
		        "message", (const char *)sqlite3_column_text(st, 4)));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(list);
		store_fail_sqlite(s, "cannot read the deliveries");
		return NULL;
	}
	return list;
}

static const char *str_or(json_t *o, const char *key, const char *dflt)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : dflt;
}

int ledger_receipt_add(struct store *s, const char *target, const char *item,
                       json_t *receipt, int64_t now)
{
	const char *status = str_or(receipt, "status", "pending");
	const char *when = str_or(receipt, "time", "");
	int64_t t;
	if (nrm_time_parse_rfc3339(when, strlen(when), &t) != 0)
		t = now;
	char *headers = json_dumps(json_object_get(receipt, "response_headers") ?
	                           json_object_get(receipt, "response_headers") : json_null(),
	                           JSON_COMPACT | JSON_ENCODE_ANY);
	sqlite3_stmt *st = prepare(s, "INSERT INTO receipt (delivery, status, time, sha256, bytes, "
	                              "url, response_code, response_headers, message) "
	                              "SELECT id, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 FROM delivery "
	                              "WHERE target = ?1 AND item = ?2");
	int rc = -1;
	if (st) {
		sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, t);
		sqlite3_bind_text(st, 5, str_or(receipt, "sha256", ""), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, json_integer_value(json_object_get(receipt, "bytes")));
		sqlite3_bind_text(st, 7, str_or(receipt, "url", ""), -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(receipt, "response_code")));
		sqlite3_bind_text(st, 9, headers ? headers : "null", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 10, str_or(receipt, "message", ""), -1, SQLITE_STATIC);
		rc = run_once(s, st, "cannot record a receipt");
	}
	free(headers);
	if (rc != 0 || !(st = prepare(s, "UPDATE delivery SET state = ?3, message = ?4 "
	                                 "WHERE target = ?1 AND item = ?2")))
		return -1;
	sqlite3_bind_text(st, 1, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, item, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, str_or(receipt, "message", ""), -1, SQLITE_STATIC);
	return run_once(s, st, "cannot update a delivery");
}

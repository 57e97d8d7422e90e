/*
 * Unit tests of the case store (hub/store*.c): the file's mode, WAL and
 * schema version; migrations from every earlier version, with data written
 * by raw SQL as that version's schema held it; the merge rule unit by unit
 * with the expected winner worked out by hand for each step; rollback;
 * bundle sequence numbers; the order store_each_case streams in; and what
 * the ledger keeps of a job run's result, which comes from an untrusted
 * child.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "case.h"
#include "country.h"
#include "date.h"
#include "ledger.h"
#include "store.h"
#include "store_backup.h"
#include "store_erase.h"
#include "store_internal.h"

static char dir[] = "/tmp/nrmhub-store-test.XXXXXX";

static char *path_in_dir(const char *name)
{
	return nrm_xasprintf("%s/%s", dir, name);
}

static void remove_store(const char *path)
{
	char *p;
	unlink(path);
	p = nrm_xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = nrm_xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

static struct store *open_fresh(const char *name)
{
	char *path = path_in_dir(name);
	remove_store(path);
	struct store *s = NULL;
	struct nrm_error err;
	int rc = store_open(path, &s, &err);
	if (rc != 0)
		print_error("%s\n", err.msg);
	assert_int_equal(rc, 0);
	free(path);
	return s;
}

static int32_t day(int y, int m, int d)
{
	int32_t out;
	assert_int_equal(nrm_date_from_ymd(y, m, d, &out), NRM_OK);
	return out;
}

static int64_t at(const char *rfc3339)
{
	int64_t t;
	assert_int_equal(nrm_time_parse_rfc3339(rfc3339, strlen(rfc3339), &t), NRM_OK);
	return t;
}

/* A source with a digest of its own (the digest is what tells sources
 * apart; `n` makes it unique). */
static int64_t add_source(struct store *s, const char *file, int n)
{
	struct store_source src = {.plugin = "case-jsonl", .file = file, .options = "",
	                           .imported_at = 1700000000 + n};
	memset(src.digest, n, sizeof(src.digest));
	int64_t id, before;
	assert_int_equal(store_source_add(s, &src, &id, &before), 0);
	return id;
}

static struct nrm_case record(const char *case_id, const char *site)
{
	struct nrm_case c;
	nrm_case_init(&c);
	c.case_id = case_id;
	c.site = site;
	c.referral_date = day(2025, 1, 15);
	return c;
}

static int merge(struct store *s, int64_t source, const struct nrm_case *c)
{
	struct nrm_case_problem p;
	return store_merge_case(s, source, 1700000000, c, &p);
}

static const struct store_case_detail *get(struct store *s, const char *site, const char *id)
{
	static struct store_case_detail d;
	assert_int_equal(store_case_get(s, site, id, &d), 0);
	return &d;
}

/* ---- the file --------------------------------------------------------------- */

static void test_created_mode_0600(void **state)
{
	mode_t old = umask(0);
	struct store *s = open_fresh("mode.db");
	umask(old);
	char *path = path_in_dir("mode.db");
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *wal = nrm_xasprintf("%s-wal", path);
	if (stat(wal, &st) == 0)
		assert_int_equal(st.st_mode & 0777, 0600);
	free(wal);
	free(path);
	store_close(s);
}

static const char *pragma_text(struct store *s, const char *sql)
{
	static char buf[64];
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(buf, sizeof(buf), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return buf;
}

static void test_wal_and_version(void **state)
{
	struct store *s = open_fresh("wal.db");
	assert_string_equal(pragma_text(s, "PRAGMA journal_mode"), "wal");
	assert_string_equal(pragma_text(s, "PRAGMA synchronous"), "1"); /* NORMAL */
	assert_int_equal(store_schema_version(), 12);
	assert_string_equal(pragma_text(s, "PRAGMA user_version"), "12");
	store_close(s);
}

static void test_not_a_store(void **state)
{
	char *path = path_in_dir("garbage.db");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not an SQLite database\n", f);
	fclose(f);
	chmod(path, 0600);
	struct store *s;
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_null(s);
	free(path);
}

/* ---- migrations ------------------------------------------------------------------ */

/* A store left at `version` by an earlier release, with one case and one
 * bundle number where that version has the tables. */
static char *make_old_store(int version)
{
	char *path = nrm_xasprintf("%s/v%d.db", dir, version);
	remove_store(path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	struct nrm_error err;
	assert_int_equal(store_schema_migrate(db, version, &err), 0);
	if (version >= 1) {
		/* Source 1 sets referral_date (bit 1) and gender (bit 8) of the
		 * case, with no updated_at: 20 bytes, little-endian. */
		const char *sql =
			"INSERT INTO source VALUES (1, 'council-csv', 'old.csv', '', x'01', 1600000000);"
			"INSERT INTO nrm_case (site, case_id, referral_date, gender, status, changed_at,"
			" sources) VALUES ('hull', 'OLD-1', 20103, 1, 0, 1600000000,"
			" x'0100000000000000' || x'0000000000000080' || x'02010000');";
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	if (version >= 2)
		assert_int_equal(sqlite3_exec(db, "INSERT INTO bundle_sequence VALUES "
		                              "('hull', '2025Q1', 4)", NULL, NULL, NULL), SQLITE_OK);
	if (version >= 3) /* columns added since have defaults */
		assert_int_equal(sqlite3_exec(db, "INSERT INTO job_run (job, started_at, ended_at, "
		                              "status, message, outputs) VALUES ('import', 1600000000, "
		                              "1600000001, 'ok', 'done', '[\"a\"]')", NULL, NULL, NULL),
		                 SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), version);
	sqlite3_finalize(st);
	sqlite3_close(db);
	chmod(path, 0600); /* as the store would have made it */
	return path;
}

static void test_migrate_from_every_version(void **state)
{
	for (int v = 0; v < store_schema_version(); v++) {
		char *path = make_old_store(v);
		struct store *s;
		struct nrm_error err;
		assert_int_equal(store_open(path, &s, &err), 0);
		char want[16];
		snprintf(want, sizeof(want), "%d", store_schema_version());
		assert_string_equal(pragma_text(s, "PRAGMA user_version"), want);
		int64_t n;
		assert_int_equal(store_case_count(s, NULL, &n), 0);
		assert_int_equal(n, v >= 1 ? 1 : 0);
		if (v >= 1) {
			const struct store_case_detail *d = get(s, "hull", "OLD-1");
			/* 20103: `date -u -d 2025-01-15 +%s` / 86400 */
			assert_int_equal(d->c.referral_date, day(2025, 1, 15));
			assert_int_equal(d->c.gender, NRM_GENDER_FEMALE);
			assert_true(d->source[STORE_F_GENDER].known);
			assert_string_equal(d->source[STORE_F_GENDER].file, "old.csv");
			assert_int_equal(d->source[STORE_F_GENDER].updated_at, NRM_TIME_NONE);
			assert_false(d->source[STORE_F_NRM_REF].known);
		}
		int64_t seq;
		assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q1", &seq), 0);
		assert_int_equal(seq, v >= 2 ? 5 : 1);
		/* A run recorded before runs kept their reasons: none, not an error. */
		json_t *runs = ledger_runs(s, NULL, 0, 0);
		assert_non_null(runs);
		assert_int_equal(json_array_size(runs), v >= 3 ? 1 : 0);
		if (v >= 3) {
			json_t *r = json_array_get(runs, 0);
			assert_string_equal(json_string_value(json_object_get(r, "message")), "done");
			assert_true(json_is_null(json_object_get(r, "counts")));
			assert_int_equal(json_array_size(json_object_get(r, "problems")), 0);
			assert_true(json_is_null(json_object_get(r, "rejects")));
		}
		json_decref(runs);
		store_close(s);
		/* Opening it again changes nothing more. */
		assert_int_equal(store_open(path, &s, &err), 0);
		assert_string_equal(pragma_text(s, "PRAGMA user_version"), want);
		store_close(s);
		free(path);
	}
}

static void test_newer_store_refused(void **state)
{
	char *path = make_old_store(store_schema_version());
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct store *s;
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), -1);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "schema version 99"));
	free(path);
}

/* ---- merging ------------------------------------------------------------------------- */

static void test_merge_new_then_same(void **state)
{
	struct store *s = open_fresh("merge-same.db");
	int64_t a = add_source(s, "a.jsonl", 1);
	struct nrm_case c = record("C-1", "hull");
	c.gender = NRM_GENDER_MALE;
	assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	assert_int_equal(merge(s, a, &c), STORE_MERGE_SAME);
	int64_t n;
	assert_int_equal(store_case_count(s, NULL, &n), 0);
	assert_int_equal(n, 1);
	store_close(s);
}

static void test_merge_later_updated_at_wins(void **state)
{
	struct store *s = open_fresh("merge-time.db");
	int64_t council = add_source(s, "council.csv", 1);
	int64_t police = add_source(s, "police.xml", 2);
	int64_t ho = add_source(s, "ho.json", 3);

	struct nrm_case c = record("C-1", "hull");
	c.gender = NRM_GENDER_MALE;
	c.age_at_exploitation = 15;
	c.updated_at = at("2025-03-01T00:00:00Z");
	assert_int_equal(merge(s, council, &c), STORE_MERGE_NEW);

	/* Older: its gender loses; its police force is new, so it is kept. */
	struct nrm_case p = record("C-1", "hull");
	p.gender = NRM_GENDER_OTHER;
	p.police_force = "E23000014";
	p.updated_at = at("2025-02-28T23:59:59Z");
	assert_int_equal(merge(s, police, &p), STORE_MERGE_CHANGED);

	/* Newer: its gender wins; its unknown age erases nothing. */
	struct nrm_case h = record("C-1", "hull");
	h.gender = NRM_GENDER_FEMALE;
	h.updated_at = at("2025-04-01T00:00:00Z");
	assert_int_equal(merge(s, ho, &h), STORE_MERGE_CHANGED);

	const struct store_case_detail *d = get(s, "hull", "C-1");
	assert_int_equal(d->c.gender, NRM_GENDER_FEMALE);
	assert_string_equal(d->source[STORE_F_GENDER].file, "ho.json");
	assert_int_equal(d->c.age_at_exploitation, 15);
	assert_string_equal(d->source[STORE_F_AGE_AT_EXPLOITATION].file, "council.csv");
	assert_string_equal(d->c.police_force, "E23000014");
	assert_string_equal(d->source[STORE_F_POLICE_FORCE].file, "police.xml");
	assert_int_equal(d->source[STORE_F_POLICE_FORCE].updated_at, at("2025-02-28T23:59:59Z"));
	/* updated_at is a unit too: the latest. */
	assert_int_equal(d->c.updated_at, at("2025-04-01T00:00:00Z"));
	assert_int_equal(d->source[STORE_F_UPDATED_AT].imported_at, 1700000003);
	/* The same updated_at as the setter's: the later import wins. */
	struct nrm_case again = record("C-1", "hull");
	again.gender = NRM_GENDER_MALE;
	again.updated_at = at("2025-04-01T00:00:00Z");
	assert_int_equal(merge(s, council, &again), STORE_MERGE_CHANGED);
	assert_int_equal(get(s, "hull", "C-1")->c.gender, NRM_GENDER_MALE);
	store_close(s);
}

static void test_merge_import_order_without_updated_at(void **state)
{
	struct store *s = open_fresh("merge-order.db");
	int64_t a = add_source(s, "a", 1), b = add_source(s, "b", 2);
	struct nrm_case c = record("C-1", "hull");
	c.nationality[0] = "GB";
	c.updated_at = at("2025-06-01T00:00:00Z");
	assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	/* One side has no updated_at: import order, so the later record wins,
	 * both nationalities together. */
	struct nrm_case later = record("C-1", "hull");
	later.nationality[0] = "AL";
	later.nationality[1] = "IE";
	assert_int_equal(merge(s, b, &later), STORE_MERGE_CHANGED);
	const struct store_case_detail *d = get(s, "hull", "C-1");
	assert_string_equal(d->c.nationality[0], "AL");
	assert_string_equal(d->c.nationality[1], "IE");
	assert_string_equal(d->source[STORE_F_NATIONALITY].file, "b");
	/* b's record had no updated_at: the stored one stays a's. */
	assert_int_equal(d->c.updated_at, at("2025-06-01T00:00:00Z"));
	store_close(s);
}

static void test_merge_status_open_does_not_reopen(void **state)
{
	struct store *s = open_fresh("merge-status.db");
	int64_t a = add_source(s, "a", 1), b = add_source(s, "b", 2);
	struct nrm_case c = record("C-1", "hull");
	c.status = NRM_STATUS_WITHDRAWN;
	c.status_date = day(2025, 3, 1);
	assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	struct nrm_case open = record("C-1", "hull"); /* status open, no date */
	assert_int_equal(merge(s, b, &open), STORE_MERGE_SAME);
	const struct store_case_detail *d = get(s, "hull", "C-1");
	assert_int_equal(d->c.status, NRM_STATUS_WITHDRAWN);
	assert_int_equal(d->c.status_date, day(2025, 3, 1));
	/* referral_date was re-stated by b (import order): its setter moved,
	 * its value did not. */
	assert_string_equal(d->source[STORE_F_REFERRAL_DATE].file, "b");
	assert_string_equal(d->source[STORE_F_STATUS].file, "a");
	store_close(s);
}

static void test_merge_conflict_rejected(void **state)
{
	struct store *s = open_fresh("merge-conflict.db");
	int64_t a = add_source(s, "a", 1), b = add_source(s, "b", 2);
	struct nrm_case c = record("C-1", "hull");
	c.rg_decision_date = day(2025, 2, 1);
	c.rg_outcome = NRM_OUTCOME_POSITIVE;
	c.cg_decision_date = day(2025, 5, 1);
	c.cg_outcome = NRM_OUTCOME_POSITIVE;
	assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	struct nrm_case neg = record("C-1", "hull");
	neg.rg_decision_date = day(2025, 2, 1);
	neg.rg_outcome = NRM_OUTCOME_NEGATIVE;
	struct nrm_case_problem p;
	assert_int_equal(store_merge_case(s, b, 1, &neg, &p), STORE_MERGE_CONFLICT);
	assert_string_equal(p.field, "cg_decision_date");
	const struct store_case_detail *d = get(s, "hull", "C-1");
	assert_int_equal(d->c.rg_outcome, NRM_OUTCOME_POSITIVE);
	assert_string_equal(d->source[STORE_F_REFERRAL_DATE].file, "a");
	store_close(s);
}

/* A change feed may hold several records about one case: each merges over
 * the one before, and one source's entries stay one per updated_at. */
static void test_merge_same_source_twice(void **state)
{
	struct store *s = open_fresh("merge-feed.db");
	int64_t feed = add_source(s, "feed.jsonl", 1);
	struct nrm_case first = record("C-1", "hull");
	first.gender = NRM_GENDER_MALE;
	first.county_lines = NRM_YES;
	first.updated_at = at("2025-01-01T00:00:00Z");
	assert_int_equal(merge(s, feed, &first), STORE_MERGE_NEW);
	struct nrm_case second = record("C-1", "hull");
	second.gender = NRM_GENDER_FEMALE;
	second.updated_at = at("2025-02-01T00:00:00Z");
	assert_int_equal(merge(s, feed, &second), STORE_MERGE_CHANGED);
	assert_int_equal(s->n_contribs, 2);
	const struct store_case_detail *d = get(s, "hull", "C-1");
	assert_int_equal(d->c.gender, NRM_GENDER_FEMALE);
	assert_int_equal(d->source[STORE_F_GENDER].updated_at, at("2025-02-01T00:00:00Z"));
	assert_int_equal(d->c.county_lines, NRM_YES);
	assert_int_equal(d->source[STORE_F_COUNTY_LINES].updated_at, at("2025-01-01T00:00:00Z"));
	/* The first record again: older, so it wins nothing back. */
	assert_int_equal(merge(s, feed, &first), STORE_MERGE_SAME);
	assert_int_equal(get(s, "hull", "C-1")->c.gender, NRM_GENDER_FEMALE);
	store_close(s);
}

static void test_rollback_leaves_nothing(void **state)
{
	struct store *s = open_fresh("rollback.db");
	assert_int_equal(store_begin(s), 0);
	int64_t a = add_source(s, "a", 1);
	struct nrm_case c = record("C-1", "hull");
	assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	store_rollback(s);
	int64_t n = -1;
	assert_int_equal(store_case_count(s, NULL, &n), 0);
	assert_int_equal(n, 0);
	/* The source is gone too: the same digest is new again. */
	assert_int_equal(add_source(s, "a", 1), a);
	struct store_case_detail d;
	assert_int_equal(store_case_get(s, NULL, "C-1", &d), 1);
	store_close(s);
}

static void test_source_imported_before(void **state)
{
	struct store *s = open_fresh("sources.db");
	int64_t a = add_source(s, "a", 7);
	struct store_source again = {.plugin = "case-jsonl", .file = "renamed", .options = "",
	                             .imported_at = 1800000000};
	memset(again.digest, 7, sizeof(again.digest));
	int64_t id, before;
	assert_int_equal(store_source_add(s, &again, &id, &before), 1);
	assert_int_equal(id, a);
	assert_int_equal(before, 1700000007);
	store_close(s);
}

static void test_digest_covers_plugin_options_bytes(void **state)
{
	char *path = path_in_dir("input.txt");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("abc", f);
	fclose(f);
	unsigned char d[4][32];
	const char *plugins[] = {"case-jsonl", "council-csv", "council-csv", "council-csv"};
	const char *options[] = {"", "", "site=hull", ""};
	struct nrm_error err;
	for (int i = 0; i < 4; i++) {
		if (i == 3) {
			f = fopen(path, "w");
			fputs("abd", f);
			fclose(f);
		}
		struct store_source src = {.plugin = plugins[i], .file = path, .options = options[i]};
		int fd = open(path, O_RDONLY);
		assert_int_equal(store_source_digest(&src, fd, &err), 0);
		close(fd);
		memcpy(d[i], src.digest, 32);
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			assert_memory_not_equal(d[i], d[j], 32);
	free(path);
}

/* ---- bundle numbers and streaming ------------------------------------------------------ */

static void test_bundle_seq(void **state)
{
	struct store *s = open_fresh("seq.db");
	int64_t seq;
	assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q1", &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q1", &seq), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q2", &seq), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(store_bundle_seq_next(s, "york", "2025Q1", &seq), 0);
	assert_int_equal(seq, 1);
	/* Inside a transaction that is rolled back, the number is not used. */
	assert_int_equal(store_begin(s), 0);
	assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q1", &seq), 0);
	assert_int_equal(seq, 3);
	store_rollback(s);
	assert_int_equal(store_bundle_seq_next(s, "hull", "2025Q1", &seq), 0);
	assert_int_equal(seq, 3);
	store_close(s);
}

struct seen {
	char ids[8][32];
	int n, stop_at;
};

static int cb_collect(const struct nrm_case *c, void *ctx)
{
	struct seen *seen = ctx;
	snprintf(seen->ids[seen->n++], 32, "%s/%s", c->site, c->case_id);
	return seen->n == seen->stop_at ? 42 : 0;
}

static void test_each_case_order(void **state)
{
	struct store *s = open_fresh("order.db");
	int64_t a = add_source(s, "a", 1);
	const char *keys[][2] = {{"york", "B"}, {"hull", "b"}, {"hull", "B"}, {"hull", "A-10"},
	                         {"hull", "A-9"}, {"cardiff", "Z"}};
	for (size_t i = 0; i < 6; i++) {
		struct nrm_case c = record(keys[i][1], keys[i][0]);
		assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	}
	struct seen seen = {.n = 0};
	assert_int_equal(store_each_case(s, NULL, cb_collect, &seen), 0);
	assert_int_equal(seen.n, 6);
	const char *want[] = {"cardiff/Z", "hull/A-10", "hull/A-9", "hull/B", "hull/b", "york/B"};
	for (int i = 0; i < 6; i++)
		assert_string_equal(seen.ids[i], want[i]);
	struct seen hull = {.n = 0};
	assert_int_equal(store_each_case(s, "hull", cb_collect, &hull), 0);
	assert_int_equal(hull.n, 4);
	assert_string_equal(hull.ids[3], "hull/b");
	struct seen stopped = {.stop_at = 2};
	assert_int_equal(store_each_case(s, NULL, cb_collect, &stopped), 42);
	assert_int_equal(stopped.n, 2);
	store_close(s);
}

static void test_field_names(void **state)
{
	assert_int_equal(store_field_of("rg_outcome"), STORE_F_RG);
	assert_int_equal(store_field_of("cg_decision_date"), STORE_F_CG);
	assert_int_equal(store_field_of("status_date"), STORE_F_STATUS);
	assert_int_equal(store_field_of("status"), STORE_F_STATUS);
	assert_int_equal(store_field_of("gender"), STORE_F_GENDER);
	assert_int_equal(store_field_of("rg"), -1);
	assert_int_equal(store_field_of("case_id"), -1);
	for (int f = 0; f < STORE_N_FIELDS; f++)
		assert_non_null(store_field_name((enum store_field)f));
}

static int setup(void **state)
{
	struct nrm_error err;
	if (!mkdtemp(dir) || nrm_country_load(&err) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	nrm_country_unload();
	char *cmd = nrm_xasprintf("rm -rf '%s'", dir);
	int rc = system(cmd);
	free(cmd);
	return rc == 0 ? 0 : -1;
}


/* ---- faults: backups, damage, the WAL after a failure (issue 19) ------------------ */

static int schema_of(const char *path)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A migration is preceded by a whole copy of the store as it was, 0600;
 * each later one moves the copies up, and the oldest past STORE_BACKUPS
 * goes.  A store already at the current version is not copied again. */
static void test_backup_before_migration(void **state)
{
	int old = store_schema_version() - 1;
	struct store *s;
	struct nrm_error err;
	char *b[STORE_BACKUPS + 2];
	/* test_migrate_from_every_version backed up the same store. */
	char *first = nrm_xasprintf("%s/v%d.db", dir, old);
	store_backup_remove_all(first);
	free(first);
	for (int round = 1; round <= STORE_BACKUPS + 1; round++) {
		char *path = make_old_store(old);
		assert_int_equal(store_open(path, &s, &err), 0);
		store_close(s);
		for (int n = 1; n <= STORE_BACKUPS + 1; n++)
			b[n] = store_backup_path(path, n);
		struct stat st;
		assert_int_equal(stat(b[1], &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(schema_of(b[1]), old);
		for (int n = 2; n <= STORE_BACKUPS + 1; n++)
			assert_int_equal(access(b[n], F_OK) == 0, n <= round && n <= STORE_BACKUPS);
		/* Opened again at the current version: no new copy. */
		assert_int_equal(store_open(path, &s, &err), 0);
		store_close(s);
		struct stat again;
		assert_int_equal(stat(b[1], &again), 0);
		assert_int_equal(again.st_ino, st.st_ino);
		assert_int_equal(access(b[2], F_OK) == 0, round >= 2);
		for (int n = 1; n <= STORE_BACKUPS + 1; n++)
			free(b[n]);
		free(path);
	}
}

/* Pages overwritten with garbage: refused on opening, with EX_DATAERR and
 * the way to restore it, before any write. */
static void test_damaged_store_refused(void **state)
{
	struct store *s = open_fresh("damaged.db");
	assert_int_equal(store_begin(s), 0);
	int64_t a = add_source(s, "a", 1);
	char id[32];
	for (int i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "C-%d", i);
		struct nrm_case c = record(id, "hull");
		assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	}
	assert_int_equal(store_commit(s), 0);
	store_close(s);
	char *path = path_in_dir("damaged.db");
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	char junk[16384];
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(pwrite(fd, junk, sizeof(junk), 3 * 16384), (ssize_t)sizeof(junk));
	close(fd);
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, EX_DATAERR);
	assert_non_null(strstr(err.msg, "is damaged (PRAGMA quick_check: "));
	assert_non_null(strstr(err.msg, "import the sources again"));
	assert_null(strchr(err.msg, '\n'));
	/* With a backup beside it, the message says to restore from it. */
	char *backup = store_backup_path(path, 1);
	FILE *f = fopen(backup, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(store_open(path, &s, &err), -1);
	assert_non_null(strstr(err.msg, backup));
	free(backup);
	free(path);
}

static off_t wal_size(const char *name)
{
	char *p = nrm_xasprintf("%s/%s-wal", dir, name);
	struct stat st;
	off_t size = stat(p, &st) == 0 ? st.st_size : -1;
	free(p);
	return size;
}

/* A transaction that wrote pages to the WAL and failed leaves it empty,
 * even while another connection (a run's own) keeps the store open. */
static void test_wal_truncated_after_rollback(void **state)
{
	struct store *s = open_fresh("wal.db");
	char *path = path_in_dir("wal.db");
	sqlite3 *other;
	assert_int_equal(sqlite3_open(path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "SELECT count(*) FROM nrm_case", NULL, NULL, NULL),
	                 SQLITE_OK);
	/* A small cache spills the transaction's pages into the WAL. */
	assert_int_equal(store_exec(s, "PRAGMA cache_size = 10"), 0);
	assert_int_equal(store_begin(s), 0);
	int64_t a = add_source(s, "a", 1);
	char id[32];
	for (int i = 0; i < 5000; i++) {
		snprintf(id, sizeof(id), "C-%d", i);
		struct nrm_case c = record(id, "hull");
		assert_int_equal(merge(s, a, &c), STORE_MERGE_NEW);
	}
	assert_true(wal_size("wal.db") > 100000);
	store_rollback(s);
	assert_int_equal(wal_size("wal.db"), 0);
	sqlite3_close(other);
	store_close(s);
	free(path);
}

/* An erasure removes the backups: they were made before it, and hold what
 * it erased. */
static void test_erasure_removes_backups(void **state)
{
	char *path = make_old_store(store_schema_version() - 1);
	store_backup_remove_all(path);
	struct store *s;
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), 0);
	char *backup = store_backup_path(path, 1);
	assert_int_equal(access(backup, F_OK), 0);
	assert_int_equal(store_erase_scrub(s), 0);
	assert_int_equal(access(backup, F_OK), -1);
	store_close(s);
	free(backup);
	free(path);
}

/* ---- the history: a case as the store held it at a moment ----------------------- */

static int list_case(const struct nrm_case *c, void *ctx)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 256 - n, "%s%s:%d", n ? " " : "", c->case_id, (int)c->rg_outcome);
	return 0;
}

/* The cases as at `t`, as "id:rg_outcome" joined by spaces. */
static const char *as_at_list(struct store *s, int64_t t)
{
	static char out[256];
	out[0] = '\0';
	assert_int_equal(store_each_case_as_at(s, "hull", t, INT32_MAX, list_case, out), 0);
	return out;
}

static int64_t source_at(struct store *s, int n, int64_t when)
{
	struct store_source src = {.plugin = "case-jsonl", .file = "f", .options = "",
	                           .imported_at = when};
	memset(src.digest, n, sizeof(src.digest));
	int64_t id, before;
	assert_int_equal(store_source_add(s, &src, &id, &before), 0);
	return id;
}

static int versions_of(struct store *s, const char *case_id)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM case_version "
	                                    "WHERE case_id = ?", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Imports at 100 (a and b), 200 (a decided, c new, b unchanged) and 200
 * again (a's outcome corrected in the same second: no version kept of the
 * one it replaced, which no moment saw); each moment's cases worked out by
 * hand.  Then a is erased: none of its versions stay, at any moment. */
static void test_history_as_at(void **state)
{
	(void)state;
	struct store *s = open_fresh("history.db");
	struct nrm_case_problem p;
	assert_int_equal(store_begin(s), 0);
	int64_t first = source_at(s, 1, 100);
	struct nrm_case a = record("a", "hull"), b = record("b", "hull");
	a.updated_at = 10;
	b.updated_at = 10;
	assert_int_equal(store_merge_case(s, first, 100, &a, &p), STORE_MERGE_NEW);
	assert_int_equal(store_merge_case(s, first, 100, &b, &p), STORE_MERGE_NEW);
	int64_t second = source_at(s, 2, 200);
	a.updated_at = 20;
	a.rg_decision_date = day(2025, 2, 1);
	a.rg_outcome = NRM_OUTCOME_POSITIVE;
	struct nrm_case c = record("c", "hull");
	assert_int_equal(store_merge_case(s, second, 200, &a, &p), STORE_MERGE_CHANGED);
	assert_int_equal(store_merge_case(s, second, 200, &b, &p), STORE_MERGE_SAME);
	assert_int_equal(store_merge_case(s, second, 200, &c, &p), STORE_MERGE_NEW);
	a.updated_at = 21;
	a.rg_outcome = NRM_OUTCOME_NEGATIVE;
	assert_int_equal(store_merge_case(s, second, 200, &a, &p), STORE_MERGE_CHANGED);
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(versions_of(s, "a"), 1);
	assert_int_equal(versions_of(s, "b"), 0);

	assert_string_equal(as_at_list(s, 99), "");
	assert_string_equal(as_at_list(s, 100), "a:0 b:0");
	assert_string_equal(as_at_list(s, 199), "a:0 b:0");
	assert_string_equal(as_at_list(s, 200), "a:2 b:0 c:0");
	assert_string_equal(as_at_list(s, INT64_MAX), "a:2 b:0 c:0");

	struct store_knowledge k;
	assert_int_equal(store_knowledge_at(s, 150, &k), 0);
	assert_int_equal(k.first_import, 100);
	assert_int_equal(k.latest_import, 100);
	assert_int_equal(k.store_latest, 200);
	assert_int_equal(store_knowledge_at(s, 99, &k), 0);
	assert_true(k.first_import == NRM_TIME_NONE && k.latest_import == NRM_TIME_NONE);

	struct store_erasure e = {.site = "hull", .reason = "test", .command = "cases erase",
	                          .os_user = "u", .now = 300};
	struct store_erase_item it = {.case_id = "a", .pseudonym = "00"};
	assert_int_equal(store_erase(s, &e, &it, 1), 0);
	assert_int_equal(versions_of(s, "a"), 0);
	assert_string_equal(as_at_list(s, 150), "b:0");
	assert_string_equal(as_at_list(s, 200), "b:0 c:0");
	store_close(s);
}

/* ---- the ledger's job runs -------------------------------------------------------- */

static void add_run(struct store *s, const char *job, int64_t at, json_t *counts,
                    json_t *problems)
{
	struct ledger_run_record r = {.job = job, .started_at = at, .ended_at = at + 1,
	                              .status = "failed", .message = "m", .counts = counts,
	                              .problems = problems};
	assert_int_equal(ledger_run_add(s, &r), 0);
}

/* A child that sends more, or other, than a result record holds: only the
 * first LEDGER_PROBLEMS well-formed problems, only their known members of
 * the right type, texts cut at a character's start; counts' numbers only. */
static void test_ledger_keeps_known_shapes(void **state)
{
	struct store *s = open_fresh("ledger.db");
	/* "x" and then é, two bytes each: byte LEDGER_TEXT_MAX is inside one. */
	char long_reason[2 * LEDGER_TEXT_MAX + 2] = "x";
	for (size_t i = 1; i < 2 * LEDGER_TEXT_MAX; i += 2)
		memcpy(long_reason + i, "\xc3\xa9", 2);
	long_reason[2 * LEDGER_TEXT_MAX + 1] = '\0';
	json_t *problems = json_pack("[s, {s:s}, {s:s, s:s, s:s, s:i, s:s}]", "not an object",
	                             "file", "no reason", "file", "a.csv", "reason", long_reason,
	                             "line", "5", "column", 7, "value", "BCT-2025-0001");
	for (int i = 0; i < 2 * LEDGER_PROBLEMS; i++)
		json_array_append_new(problems, json_pack("{s:s, s:i, s:s, s:s}", "file", "b.csv",
		                                          "line", i + 2, "field", "gender",
		                                          "reason", "not a gender"));
	json_t *counts = json_pack("{s:i, s:b, s:s, s:{}}", "rejected", 3, "committed", 0,
	                           "who", "BCT-2025-0001", "nested");
	add_run(s, "import", 1000, counts, problems);
	add_run(s, "export", 2000, NULL, NULL);
	add_run(s, "import", 3000, NULL, NULL);
	json_decref(counts);
	json_decref(problems);

	json_t *runs = ledger_runs(s, "import", 0, 0);
	assert_int_equal(json_array_size(runs), 2);
	json_t *r = json_array_get(runs, 1); /* the last recorded first */
	assert_int_equal(json_integer_value(json_object_get(r, "started_at")), 1000);
	json_t *kept = json_object_get(r, "problems");
	assert_int_equal(json_array_size(kept), LEDGER_PROBLEMS);
	json_t *p = json_array_get(kept, 0);
	assert_string_equal(json_string_value(json_object_get(p, "file")), "a.csv");
	assert_true(json_is_null(json_object_get(p, "line")));
	assert_int_equal(json_integer_value(json_object_get(p, "column")), 7);
	assert_null(json_object_get(p, "value"));
	const char *reason = json_string_value(json_object_get(p, "reason"));
	assert_int_equal(strlen(reason), LEDGER_TEXT_MAX - 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(kept, 1), "line")), 2);
	json_t *c = json_object_get(r, "counts");
	assert_int_equal(json_object_size(c), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "rejected")), 3);
	assert_true(json_is_false(json_object_get(c, "committed")));
	json_t *last = json_array_get(runs, 0);
	assert_int_equal(json_integer_value(json_object_get(last, "started_at")), 3000);
	assert_true(json_is_null(json_object_get(last, "counts")));
	assert_int_equal(json_array_size(json_object_get(last, "problems")), 0);
	json_decref(runs);

	runs = ledger_runs(s, NULL, 2000, 0);
	assert_int_equal(json_array_size(runs), 2);
	json_decref(runs);
	runs = ledger_runs(s, NULL, 0, 1);
	assert_int_equal(json_array_size(runs), 1);
	json_decref(runs);
	char text[64];
	json_t *aside = json_pack("{s:i}", "rejected", 2);
	ledger_result_text("ok", aside, text);
	assert_string_equal(text, "ok with 2 rejected");
	ledger_result_text("failed", aside, text);
	assert_string_equal(text, "failed");
	ledger_result_text("ok", NULL, text);
	assert_string_equal(text, "ok");
	json_decref(aside);
	store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_created_mode_0600),
		cmocka_unit_test(test_wal_and_version),
		cmocka_unit_test(test_not_a_store),
		cmocka_unit_test(test_migrate_from_every_version),
		cmocka_unit_test(test_newer_store_refused),
		cmocka_unit_test(test_merge_new_then_same),
		cmocka_unit_test(test_merge_later_updated_at_wins),
		cmocka_unit_test(test_merge_import_order_without_updated_at),
		cmocka_unit_test(test_merge_status_open_does_not_reopen),
		cmocka_unit_test(test_merge_conflict_rejected),
		cmocka_unit_test(test_merge_same_source_twice),
		cmocka_unit_test(test_rollback_leaves_nothing),
		cmocka_unit_test(test_source_imported_before),
		cmocka_unit_test(test_digest_covers_plugin_options_bytes),
		cmocka_unit_test(test_bundle_seq),
		cmocka_unit_test(test_each_case_order),
		cmocka_unit_test(test_field_names),
		cmocka_unit_test(test_backup_before_migration),
		cmocka_unit_test(test_damaged_store_refused),
		cmocka_unit_test(test_wal_truncated_after_rollback),
		cmocka_unit_test(test_erasure_removes_backups),
		cmocka_unit_test(test_ledger_keeps_known_shapes),
		cmocka_unit_test(test_history_as_at),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

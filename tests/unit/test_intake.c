/*
 * Unit tests of the intake's store tables (hub/store_intake.c) and of the
 * cases.csv checks a received extract goes through (hub/intake_cases.c):
 * a good extract is stored row for row; each broken one is refused with
 * its line and field, and nothing of it stays after the rollback.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "intake.h"
#include "intake_move.h"
#include "national.h"
#include "quarter.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#define HEADER                                                                              \
	"pseudonym,site,referral_date,age_band,gender,nationality_1,nationality_2,"          \
	"exploitation_types,county_lines,exploitation_location,first_responder_type,"        \
	"local_authority,police_force,rg_decision_date,rg_outcome,cg_decision_date,"         \
	"cg_outcome,decision_maker,status,status_date,age_at_referral,pilot_scope\r\n"
#define P64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ROW1 P64 ",hull,2025-01-06,12-15,female,GB,,criminal;sexual,true,uk,police,E06000010," \
	"E23000035,2025-01-16,positive,,,ddm_panel,open,,14,in_scope\r\n"
#define ROW2 P64 ",hull,2025-02-01,unknown,unknown,,,,,unknown,,,,,,,,,withdrawn,2025-02-10,,unknown\r\n"

static char path[64];

static int setup(void **state)
{
	snprintf(path, sizeof(path), "intake-test-%ld.db", (long)getpid());
	unlink(path);
	struct store *s;
	struct nrm_error err;
	assert_int_equal(store_open(path, &s, &err), 0);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	store_close(*state);
	unlink(path);
	char *wal = nrm_xasprintf("%s-wal", path), *shm = nrm_xasprintf("%s-shm", path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	return 0;
}

static int64_t add_bundle(struct store *s, const char *site, int64_t seq)
{
	struct store_intake_bundle b = {.site = site, .quarter = "2025Q1", .bag = "bag",
	                                .key_id = "0011223344556677", .tagmanifest = "ab",
	                                .seq = seq, .received_at = 1, .return_json = "{}"};
	int64_t id;
	assert_int_equal(store_intake_add(s, &b, &id), 0);
	return id;
}

static int count_row(const char *pseudonym, const char *const v[STORE_INTAKE_CASE_VALUES],
                     void *ctx)
{
	int *n = ctx;
	(*n)++;
	assert_string_equal(pseudonym, P64);
	assert_null(v[0]); /* the site is the bundle's */
	if (*n == 1) {
		assert_string_equal(v[1], "2025-01-06");
		assert_string_equal(v[13], "positive");
		assert_null(v[14]); /* empty is NULL */
	} else {
		assert_string_equal(v[17], "withdrawn");
		assert_string_equal(v[18], "2025-02-10");
	}
	return 0;
}

static void test_good_extract(void **state)
{
	struct store *s = *state;
	assert_int_equal(store_begin(s), 0);
	int64_t id = add_bundle(s, "hull", 1);
	const char csv[] = HEADER ROW1 ROW2;
	struct nrm_error err;
	struct nrm_extract_counts c;
	assert_int_equal(nrm_intake_store_cases(s, id, "hull", "2025Q1", csv, sizeof(csv) - 1, &c,
	                                        &err), 0);
	/* ROW1: RG dated in Q (positive, no CG: awaiting CG at 2025-03-31);
	 * ROW2: withdrawn in Q, so awaiting nothing. */
	assert_int_equal(c.rg, 1);
	assert_int_equal(c.cg, 0);
	assert_int_equal(c.await_rg, 0);
	assert_int_equal(c.await_cg, 1);
	assert_int_equal(store_commit(s), 0);
	int n = 0;
	assert_int_equal(store_intake_each_case(s, id, count_row, &n), 0);
	assert_int_equal(n, 2);
}

/* Each broken extract: refused with the message, and rolled back. */
static void refused(struct store *s, const char *csv, const char *want)
{
	assert_int_equal(store_begin(s), 0);
	int64_t id = add_bundle(s, "hull", 1);
	struct nrm_error err = {0};
	struct nrm_extract_counts c;
	assert_int_equal(nrm_intake_store_cases(s, id, "hull", "2025Q1", csv, strlen(csv), &c, &err),
	                 -1);
	assert_int_equal(err.code, EX_DATAERR);
	if (!strstr(err.msg, want))
		fail_msg("'%s' does not say '%s'", err.msg, want);
	store_rollback(s);
	int64_t seq;
	char *tm;
	assert_int_equal(store_intake_last(s, "hull", "2025Q1", &seq, &tm), 0);
	assert_int_equal(seq, 0);
	assert_null(tm);
}

static void test_bad_extracts(void **state)
{
	struct store *s = *state;
	refused(s, "", "empty, no header");
	refused(s, "pseudonym,site\r\n", "data/cases.csv:1: the header");
	refused(s, HEADER ROW1 "x,y\r\n", "data/cases.csv:3: 2 fields, not 22");
	refused(s, HEADER P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,open,,,unknown,extra\r\n",
	        "data/cases.csv:2:");
	refused(s, HEADER "ABC" P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,open,,,unknown\r\n",
	        "data/cases.csv:2: pseudonym: not 64 lower-case hex digits");
	refused(s, HEADER P64 ",york,2025-01-06,,,,,,,,,,,,,,,,open,,,unknown\r\n",
	        "data/cases.csv:2: site: not the site that signed the bundle");
	refused(s, HEADER P64 ",hull,,,,,,,,,,,,,,,,,open,,,unknown\r\n",
	        "data/cases.csv:2: referral_date: empty");
	refused(s, HEADER P64 ",hull,2025-02-30,,,,,,,,,,,,,,,,open,,,unknown\r\n",
	        "referral_date: not a date");
	refused(s, HEADER P64 ",hull,2025-01-06,,,,,,,,,,,2025-01-07,maybe,,,,open,,,unknown\r\n",
	        "data/cases.csv:2: rg_outcome: not positive or negative");
	refused(s, HEADER P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,closed,,,unknown\r\n",
	        "status: not open, withdrawn or transferred");
	refused(s, HEADER P64 ",hull,2025-01-06,,a b,,,,,,,,,,,,,,open,,,unknown\r\n",
	        "gender: not a code");
	refused(s, HEADER P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,open,,18,near_18\r\n",
	        "age_at_referral: not a child's age");
	refused(s, HEADER P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,open,,,adult\r\n",
	        "pilot_scope: not in_scope, near_18, age_disputed or unknown");
	refused(s, HEADER "\"" P64 "\",hull,2025-01-06,,,,,,,,,,,,,,,,open,,,unknown\r\n", "holds a quote");
	refused(s, HEADER ROW1 P64 ",hull,2025-01-06,,,,,,,,,,,,,,,,open,,,unknown", "no line end");
}

static int on_key(const struct store_key *k, void *ctx)
{
	char *out = ctx;
	strcat(out, k->site);
	strcat(out, k->revoked_at ? ":revoked " : ":active ");
	return 0;
}

static void test_keys(void **state)
{
	struct store *s = *state;
	struct store_key k = {.site = "hull", .nation = "england", .key_id = "AAAA",
	                      .public_key = "pub", .added_at = 10};
	assert_int_equal(store_key_add(s, &k), 0);
	assert_int_equal(store_key_add(s, &k), 1); /* one unrevoked key per site */
	char *owner = store_key_owner(s, "AAAA");
	assert_string_equal(owner, "hull");
	free(owner);
	assert_null(store_key_owner(s, "BBBB"));
	assert_false(store_key_revoked(s, "AAAA"));
	assert_int_equal(store_key_revoke(s, "hull", 20), 0);
	assert_int_equal(store_key_revoke(s, "hull", 30), 1); /* none left to revoke */
	assert_true(store_key_revoked(s, "AAAA"));
	struct store_key got;
	char *buf;
	assert_int_equal(store_key_latest(s, "hull", &got, &buf), 0);
	assert_int_equal(got.revoked_at, 20);
	assert_string_equal(got.key_id, "AAAA");
	free(buf);
	assert_int_equal(store_key_latest(s, "york", &got, &buf), 1);
	/* Its successor. */
	k.key_id = "CCCC";
	k.added_at = 40;
	assert_int_equal(store_key_add(s, &k), 0);
	assert_int_equal(store_key_latest(s, "hull", &got, &buf), 0);
	assert_int_equal(got.revoked_at, 0);
	assert_string_equal(got.key_id, "CCCC");
	free(buf);
	char list[128] = "";
	assert_int_equal(store_key_each(s, on_key, list), 0);
	assert_string_equal(list, "hull:revoked hull:active ");
}

static int on_latest(const struct store_intake_bundle *b, void *ctx)
{
	char *out = ctx;
	char line[64];
	snprintf(line, sizeof(line), "%s:%lld:%d ", b->site, (long long)b->seq, b->n_received);
	strcat(out, line);
	return 0;
}

static void test_latest_is_the_revision(void **state)
{
	struct store *s = *state;
	add_bundle(s, "hull", 1);
	add_bundle(s, "hull", 3);
	add_bundle(s, "york", 1);
	char list[128] = "";
	assert_int_equal(store_intake_each_latest(s, "2025Q1", on_latest, list), 0);
	assert_string_equal(list, "hull:3:2 york:1:1 ");
	int64_t seq;
	char *tm;
	assert_int_equal(store_intake_last(s, "hull", "2025Q1", &seq, &tm), 0);
	assert_int_equal(seq, 3);
	assert_string_equal(tm, "ab");
	free(tm);
	list[0] = '\0';
	assert_int_equal(store_intake_each_latest(s, "2025Q2", on_latest, list), 0);
	assert_string_equal(list, "");
}

/* formats/return.md's placing rules, at the edges of 2025Q1. */
static void write_text(const char *file, const char *text)
{
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *read_text(const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return NULL;
	char *buf = nrm_xcalloc(1, 256);
	size_t n = fread(buf, 1, 255, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void assert_file(const char *dir, const char *name, const char *text)
{
	char *p = nrm_xasprintf("%s/%s", dir, name);
	char *got = read_text(p);
	if (text) {
		assert_non_null(got);
		assert_string_equal(got, text);
	} else {
		assert_null(got);
	}
	free(got);
	free(p);
}

/* A move recorded in the store is finished by the next run wherever a kill
 * stopped it: the archive linked but not unlinked, the archive moved but
 * not its signature; a row that names a place outside accepted/ and
 * rejected/ moves nothing. */
static void test_moves_resume(void **state)
{
	struct store *s = *state;
	char dir[] = "intake-move-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *rej = nrm_xasprintf("%s/rejected", dir), *f = NULL;
	assert_int_equal(mkdir(rej, 0700), 0);
	char *key = nrm_intake_inbox_key(dir);
	/* a: linked into rejected/ by a run killed before the unlink. */
	write_text(f = nrm_xasprintf("%s/a.tar.gz", dir), "A");
	char *a_dest = nrm_xasprintf("%s/a.tar.gz", rej);
	assert_int_equal(link(f, a_dest), 0);
	free(f);
	write_text(f = nrm_xasprintf("%s/a.tar.gz.minisig", dir), "SA");
	free(f);
	/* b: its archive moved, its signature not. */
	write_text(f = nrm_xasprintf("%s/b.tar.gz", rej), "B");
	free(f);
	write_text(f = nrm_xasprintf("%s/b.tar.gz.minisig", dir), "SB");
	free(f);
	/* c: a row that would move a file out of the inbox's folders. */
	write_text(f = nrm_xasprintf("%s/c.tar.gz", dir), "C");
	free(f);
	char fa[] = "a.tar.gz", da[] = "rejected/a.tar.gz", ra[] = "bad a";
	char fb[] = "b.tar.gz", db[] = "rejected/b.tar.gz", rb[] = "bad b";
	char fc[] = "c.tar.gz", dc[] = "rejected/../../c.tar.gz";
	struct store_intake_move moves[] = {
		{.file = fa, .dest = da, .reason = ra},
		{.file = fb, .dest = db, .reason = rb},
		{.file = fc, .dest = dc, .reason = NULL},
	};
	for (int i = 0; i < 3; i++)
		assert_int_equal(store_intake_move_add(s, key, &moves[i]), 0);
	assert_int_equal(nrm_intake_moves_resume(s, dir, key), 1);
	assert_file(dir, "a.tar.gz", NULL);
	assert_file(dir, "a.tar.gz.minisig", NULL);
	assert_file(dir, "rejected/a.tar.gz", "A");
	assert_file(dir, "rejected/a.tar.gz.minisig", "SA");
	assert_file(dir, "rejected/a.tar.gz.reason", "bad a\n");
	assert_file(dir, "b.tar.gz.minisig", NULL);
	assert_file(dir, "rejected/b.tar.gz", "B");
	assert_file(dir, "rejected/b.tar.gz.minisig", "SB");
	assert_file(dir, "c.tar.gz", "C");
	struct store_intake_move *left;
	size_t n;
	assert_int_equal(store_intake_moves(s, key, &left, &n), 0);
	assert_int_equal(n, 1); /* only the refused row stays */
	assert_string_equal(left[0].file, "c.tar.gz");
	store_intake_moves_free(left, n);
	/* A file of the same name that is another file is never replaced. */
	struct nrm_error err;
	write_text(f = nrm_xasprintf("%s/d", dir), "D");
	free(f);
	assert_int_equal(nrm_intake_move_file(dir, "d", "rejected/a.tar.gz", &err), -1);
	assert_int_equal(err.code, EX_CANTCREAT);
	assert_file(dir, "rejected/a.tar.gz", "A");
	char *cmd = nrm_xasprintf("rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(a_dest);
	free(rej);
	free(key);
}

static void test_case_place(void **state)
{
	(void)state;
	struct nrm_quarter q;
	assert_int_equal(nrm_quarter_parse("2025Q1", &q), 0);
	int32_t jan1 = q.first, mar31 = q.last;
	struct nrm_case_dates d = {.referral = jan1 - 1, .rg = jan1, .has_rg = true,
	                           .rg_positive = true};
	/* Referred in 2024Q4, RG on the quarter's first day, no CG. */
	assert_int_equal(nrm_case_place(&d, &q), NRM_PLACE_RG | NRM_PLACE_AWAIT_CG);
	/* CG on the last day: decided, no longer awaiting. */
	d.cg = mar31;
	d.has_cg = true;
	assert_int_equal(nrm_case_place(&d, &q), NRM_PLACE_RG | NRM_PLACE_CG);
	/* RG after the quarter: awaiting RG at its end. */
	d = (struct nrm_case_dates){.referral = jan1, .rg = mar31 + 1, .has_rg = true};
	assert_int_equal(nrm_case_place(&d, &q), NRM_PLACE_AWAIT_RG);
	/* Negative RG: awaits nothing. */
	d = (struct nrm_case_dates){.referral = jan1, .rg = jan1 + 3, .has_rg = true};
	assert_int_equal(nrm_case_place(&d, &q), NRM_PLACE_RG);
	/* Withdrawn on the last day: not awaiting; withdrawn after it: awaiting. */
	d = (struct nrm_case_dates){.referral = jan1, .closed = true, .closed_on = mar31};
	assert_int_equal(nrm_case_place(&d, &q), 0);
	d.closed_on = mar31 + 1;
	assert_int_equal(nrm_case_place(&d, &q), NRM_PLACE_AWAIT_RG);
	/* Referred after the quarter: nothing. */
	d = (struct nrm_case_dates){.referral = mar31 + 1};
	assert_int_equal(nrm_case_place(&d, &q), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_extract, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_extracts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_latest_is_the_revision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_moves_resume, setup, teardown),
		cmocka_unit_test(test_case_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

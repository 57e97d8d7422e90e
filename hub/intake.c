/*
 * `nrmhub intake`: the inbox walk of intake.h.  Each bundle's fate is
 * decided inside one store transaction (so two intakes sharing a store
 * cannot both accept the same sequence number), then the files are moved
 * as intake_move.h says, so that a run killed at any moment is finished by
 * the next.
 */
#include "intake.h"
#include "share_group.h"

#include "bundle.h"
#include "bundle_verify.h"
#include "date.h"
#include "intake_move.h"
#include "log.h"
#include "minisign.h"
#include "quarter.h"
#include "return_rules.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"
#include "write_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define LOCK_NAME ".nrmhub-intake.lock"

/* One run over one inbox. */
struct inbox {
	const struct nrm_intake_opts *o;
	struct store *s;
	char *key;   /* the inbox's key for its moves in the store (intake_move.h) */
	int dirfd;
};

/* ---- the key source: the store's keys table ----------------------------- */

static int store_key_lookup(void *ctx, const char *site, struct nrm_ms_pubkey *pub,
                            struct nrm_error *err)
{
	struct store *s = ctx;
	struct store_key k;
	char *buf;
	int r = store_key_latest(s, site, &k, &buf);
	int rc = 0;
	if (r < 0)
		rc = nrm_fail(err, EX_TEMPFAIL, "%s", store_error(s)->msg);
	else if (r == 1)
		rc = nrm_fail(err, EX_NOPERM, "no key registered for site %s", site);
	else if (k.revoked_at) {
		char when[21];
		nrm_time_format_rfc3339(k.revoked_at, when);
		rc = nrm_fail(err, EX_NOPERM, "the key of site %s (key ID %s) was revoked at %s; "
		              "its new bundles are refused", site, k.key_id, when);
	} else {
		struct nrm_error e;
		if (nrm_ms_pubkey_parse(k.public_key, strlen(k.public_key), "the stored key", pub,
		                        &e))
			rc = nrm_fail(err, EX_SOFTWARE, "site %s: %s", site, e.msg);
	}
	free(buf);
	return rc ? -1 : 0;
}

static char *store_key_site(void *ctx, const uint8_t keynum[NRM_MS_KEYNUM_BYTES])
{
	char id[17];
	nrm_ms_keyid(keynum, id);
	return store_key_owner(ctx, id);
}

/* ---- files --------------------------------------------------------------- */

struct look {
	bool exists;
	struct stat st;
};

static void look_at(int dirfd, const char *name, struct look *l)
{
	l->exists = fstatat(dirfd, name, &l->st, AT_SYMLINK_NOFOLLOW) == 0;
}

static bool same_look(const struct look *a, const struct look *b)
{
	return a->exists == b->exists && a->st.st_size == b->st.st_size &&
	       a->st.st_ino == b->st.st_ino && a->st.st_mtim.tv_sec == b->st.st_mtim.tv_sec &&
	       a->st.st_mtim.tv_nsec == b->st.st_mtim.tv_nsec;
}

static bool settled(const struct look *l, const struct nrm_intake_opts *o)
{
	return l->st.st_mtim.tv_sec <= (time_t)(o->now - o->settle_seconds) &&
	       l->st.st_mtim.tv_sec <= o->now;
}

static int make_dir(const char *path, struct nrm_error *err)
{
	if (nrm_mkdir_shared(path) == 0 || errno == EEXIST)
		return 0;
	return nrm_fail(err, EX_CANTCREAT, "cannot create %s: %s", path, strerror(errno));
}

/* ---- one bundle ---------------------------------------------------------- */

static void set_reason(struct nrm_intake_outcome *oc, enum nrm_intake_fate fate, int code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void set_reason(struct nrm_intake_outcome *oc, enum nrm_intake_fate fate, int code,
                       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *r = NULL;
	if (vasprintf(&r, fmt, ap) < 0)
		r = NULL;
	va_end(ap);
	free(oc->reason);
	oc->reason = r ? r : nrm_xstrdup("(out of memory)");
	oc->fate = fate;
	oc->exit_code = code;
}

/* The bundle's return must be an official one with its extract: the
 * national figures are computed from the extract's rows. */
static int check_official(const struct nrm_verify_result *r, struct nrm_error *err)
{
	const char *aud = json_string_value(json_object_get(r->return_json, "audience"));
	if (!aud || strcmp(aud, "official") != 0)
		return nrm_fail(err, EX_DATAERR, "data/return.json: $.audience: not \"official\"; "
		                "the Home Office takes official returns only");
	if (!r->cases_csv)
		return nrm_fail(err, EX_DATAERR, "data/cases.csv is missing; an official return "
		                "carries its extract");
	return 0;
}

/* A return is taken only once its quarter has ended (London's date at the
 * intake's time), whatever its sender forced (return_rules.h): figures of
 * a quarter still running are not the quarter's. */
static int check_ended(const struct nrm_verify_result *r, time_t now, struct nrm_error *err)
{
	struct nrm_quarter q;
	if (nrm_quarter_parse(r->id.quarter, &q) != 0)
		return nrm_fail(err, EX_DATAERR, "quarter %s: not a quarter", r->id.quarter);
	struct nrm_error why;
	if (nrm_rule_quarter_ended(&q, nrm_rule_today((int64_t)now), &why) == 0)
		return 0;
	return nrm_fail(err, EX_DATAERR, "refused (%s): %s: a return is taken only once its "
	                "quarter has ended", nrm_rule_name(NRM_RULE_NOT_ENDED), why.msg);
}

/* The extract must be the one behind the return: as many rows decided, and
 * awaiting, in the quarter as the return counts. */
static int extract_agrees(json_t *ret, const struct nrm_extract_counts *c, struct nrm_error *err)
{
	const struct {
		const char *group, *stage;
		int64_t rows;
	} checks[] = {
		{"days_to_decision", "rg", c->rg}, {"days_to_decision", "cg", c->cg},
		{"awaiting", "rg", c->await_rg}, {"awaiting", "cg", c->await_cg},
	};
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		json_t *n = json_object_get(
			json_object_get(json_object_get(ret, checks[i].group), checks[i].stage), "count");
		if (json_integer_value(n) != checks[i].rows)
			return nrm_fail(err, EX_DATAERR, "data/cases.csv does not agree with "
			                "data/return.json: $.%s.%s.count is %lld, the extract has %lld "
			                "such rows", checks[i].group, checks[i].stage,
			                (long long)json_integer_value(n), (long long)checks[i].rows);
	}
	return 0;
}

/* Records the verified bundle and the move of its files to `move->dest`,
 * in one transaction.  0 accepted (new), 1 the very same bundle was recorded
 * before (sent again), -1 refused with err, -2 store failure with err. */
static int record(const struct inbox *in, const struct nrm_verify_result *r,
                  const struct store_intake_move *move, bool *revision, struct nrm_error *err)
{
	struct store *s = in->s;
	time_t now = in->o->now;
	char tm[129];
	nrm_bundle_hex(r->id.tagmanifest_sha512, 64, tm);
	if (store_begin(s)) {
		*err = *store_error(s);
		return -2;
	}
	int64_t last;
	char *last_tm;
	if (store_intake_last(s, r->id.site, r->id.quarter, &last, &last_tm))
		goto store_failed;
	int rc = 0;
	if ((int64_t)r->id.seq <= last) {
		nrm_fail(err, EX_DATAERR, "replay: sequence number %lu is not above %lld, the last "
		         "accepted for site %s quarter %s", r->id.seq, (long long)last, r->id.site,
		         r->id.quarter);
		rc = (int64_t)r->id.seq == last && strcmp(last_tm, tm) == 0 ? 1 : -1;
		free(last_tm);
		store_rollback(s);
		return rc;
	}
	free(last_tm);
	*revision = last > 0;
	char *ret = json_dumps(r->return_json, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct store_intake_bundle b = {.site = r->id.site, .quarter = r->id.quarter,
	                                .bag = r->id.bag, .key_id = r->key_id, .tagmanifest = tm,
	                                .seq = (int64_t)r->id.seq, .received_at = now,
	                                .return_json = ret};
	int64_t id;
	int bad = store_intake_add(s, &b, &id);
	free(ret);
	if (bad)
		goto store_failed;
	struct nrm_extract_counts counts;
	if (nrm_intake_store_cases(s, id, r->id.site, r->id.quarter, r->cases_csv,
	                           r->cases_csv_len, &counts, err) ||
	    extract_agrees(r->return_json, &counts, err)) {
		store_rollback(s);
		return err->code == EX_DATAERR ? -1 : -2;
	}
	if (store_intake_move_add(s, in->key, move) || store_commit(s))
		goto store_failed;
	return 0;
store_failed:
	*err = *store_error(s);
	store_rollback(s);
	return -2;
}

/* Moves a refused bundle to rejected/ beside its reason, under the first
 * free name: BAG.tar.gz, then BAG.tar.gz.2, ... */
static void reject(const struct inbox *in, struct nrm_intake_outcome *oc)
{
	char *dest = NULL;
	for (int i = 1; i < 1000 && !dest; i++) {
		char *d = i == 1 ? nrm_xasprintf("rejected/%s", oc->file)
		                 : nrm_xasprintf("rejected/%s.%d", oc->file, i);
		char *path = nrm_xasprintf("%s/%s", in->o->inbox, d);
		struct stat st;
		if (lstat(path, &st) != 0 && errno == ENOENT)
			dest = d;
		else
			free(d);
		free(path);
	}
	if (!dest) {
		nrm_log_error("%s: refused (%s) but no free name in rejected/", oc->file, oc->reason);
		return;
	}
	struct store_intake_move m = {.file = oc->file, .dest = dest, .reason = oc->reason};
	struct nrm_error e;
	if (store_intake_move_add(in->s, in->key, &m)) {
		nrm_log_error("%s: refused (%s) but could not be moved: %s", oc->file, oc->reason,
		              store_error(in->s)->msg);
		free(dest);
	} else if (nrm_intake_move_finish(in->s, in->o->inbox, in->key, &m, &e)) {
		nrm_log_error("%s: refused (%s) but not yet moved: %s", oc->file, oc->reason, e.msg);
		free(dest);
	} else {
		oc->moved_to = dest;
	}
}

static bool accepted_exists(const struct inbox *in, const struct nrm_intake_outcome *oc)
{
	char *path = nrm_xasprintf("%s/accepted/%s/%s/%s", in->o->inbox, oc->site, oc->quarter,
	                           oc->file);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

static void take_verified(const struct inbox *in, struct nrm_verify_result *r,
                          struct nrm_intake_outcome *oc)
{
	struct nrm_error e = {0};
	bool revision = false;
	char *dest = nrm_xasprintf("accepted/%s/%s/%s", oc->site, oc->quarter, oc->file);
	struct store_intake_move m = {.file = oc->file, .dest = dest};
	int rc = check_official(r, &e) || check_ended(r, in->o->now, &e)
	         ? -1
	         : record(in, r, &m, &revision, &e);
	if (rc == -2) {
		set_reason(oc, NRM_INTAKE_LEFT, e.code, "the store: %s; left for the next run", e.msg);
	} else if (rc == -1 || (rc == 1 && accepted_exists(in, oc))) {
		/* Refused, or the very bundle accepted before, sent again. */
		set_reason(oc, NRM_INTAKE_REJECTED, e.code, "%s", e.msg);
		reject(in, oc);
	} else {
		oc->fate = NRM_INTAKE_ACCEPTED;
		oc->revision = revision;
		int bad = 0;
		if (rc == 1) {
			/* Recorded before but never moved: by an earlier release,
			 * which did not record its moves, or a move that failed. */
			set_reason(oc, NRM_INTAKE_ACCEPTED, 0, "recorded by an earlier run; moved now");
			if ((bad = store_intake_move_add(in->s, in->key, &m)) != 0)
				e = *store_error(in->s);
		}
		if (bad || nrm_intake_move_finish(in->s, in->o->inbox, in->key, &m, &e))
			nrm_log_error("%s: accepted but not yet moved: %s", oc->file, e.msg);
		else
			oc->moved_to = nrm_xstrdup(dest);
	}
	free(dest);
}

static void take_one(const struct inbox *in, struct nrm_intake_outcome *oc)
{
	const struct nrm_intake_opts *o = in->o;
	int dirfd = in->dirfd;
	char *sig = nrm_xasprintf("%s.minisig", oc->file);
	struct look a0, s0, a1, s1;
	look_at(dirfd, oc->file, &a0);
	look_at(dirfd, sig, &s0);
	if (!a0.exists || !S_ISREG(a0.st.st_mode))
		set_reason(oc, NRM_INTAKE_LEFT, 0, "not a regular file");
	else if (!s0.exists)
		set_reason(oc, NRM_INTAKE_LEFT, 0, "no signature yet (%s.minisig)", oc->file);
	else if (!S_ISREG(s0.st.st_mode))
		set_reason(oc, NRM_INTAKE_LEFT, 0, "the signature is not a regular file");
	else if (!settled(&a0, o) || !settled(&s0, o))
		set_reason(oc, NRM_INTAKE_LEFT, 0, "modified within the last %d seconds: may still "
		           "be uploading", o->settle_seconds);
	if (oc->reason) {
		free(sig);
		return;
	}
	char *path = nrm_xasprintf("%s/%s", o->inbox, oc->file);
	char *sig_path = nrm_xasprintf("%s/%s", o->inbox, sig);
	const struct nrm_key_source keys = {store_key_lookup, store_key_site, in->s};
	struct nrm_verify_result r;
	struct nrm_error e = {0};
	int bad = nrm_bundle_verify_keys(path, sig_path, &keys, NULL, &r, &e);
	look_at(dirfd, oc->file, &a1);
	look_at(dirfd, sig, &s1);
	if (bad == 0 || r.failed_step > 1) {
		snprintf(oc->site, sizeof(oc->site), "%s", r.id.site);
		snprintf(oc->quarter, sizeof(oc->quarter), "%s", r.id.quarter);
		oc->seq = r.id.seq;
	}
	if (!same_look(&a0, &a1) || !same_look(&s0, &s1))
		set_reason(oc, NRM_INTAKE_LEFT, 0, "changed while being read: may still be uploading");
	else if (bad && e.code == EX_TEMPFAIL)
		set_reason(oc, NRM_INTAKE_LEFT, e.code, "%s; left for the next run", e.msg);
	else if (bad) {
		set_reason(oc, NRM_INTAKE_REJECTED, e.code, "step %d: %s", r.failed_step, e.msg);
		reject(in, oc);
	} else
		take_verified(in, &r, oc);
	nrm_verify_result_free(&r);
	free(path);
	free(sig_path);
	free(sig);
}

/* ---- the inbox ----------------------------------------------------------- */

static int bundle_name(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 7 && strcmp(d->d_name + n - 7, ".tar.gz") == 0;
}

static int lock_inbox(const char *inbox, struct nrm_error *err)
{
	char *path = nrm_xasprintf("%s/%s", inbox, LOCK_NAME);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		nrm_fail(err, EX_CANTCREAT, "cannot open the lock %s: %s", path, strerror(errno));
	else if (flock(fd, LOCK_EX) != 0) {
		nrm_fail(err, EX_IOERR, "cannot lock %s: %s", path, strerror(errno));
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

int nrm_intake_run(const struct nrm_intake_opts *o, struct store *s,
                   struct nrm_intake_outcome **out, size_t *n, struct nrm_error *err)
{
	*out = NULL;
	*n = 0;
	int dirfd = open(o->inbox, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return nrm_fail(err, EX_NOINPUT, "cannot open the inbox %s: %s", o->inbox,
		                strerror(errno));
	/* Waits for another intake of this inbox to finish: what it took is
	 * then gone from the listing made below. */
	int lock = lock_inbox(o->inbox, err);
	if (lock < 0) {
		close(dirfd);
		return -1;
	}
	char *acc = nrm_xasprintf("%s/accepted", o->inbox);
	char *rej = nrm_xasprintf("%s/rejected", o->inbox);
	int rc = make_dir(acc, err) || make_dir(rej, err) ? -1 : 0;
	free(acc);
	free(rej);
	struct inbox in = {.o = o, .s = s, .key = nrm_intake_inbox_key(o->inbox), .dirfd = dirfd};
	/* What a run killed while moving files left to do, done first: the
	 * listing below then sees the inbox as that run would have left it. */
	if (rc == 0)
		(void)nrm_intake_moves_resume(s, o->inbox, in.key);
	struct dirent **names = NULL;
	int count = rc ? 0 : scandir(o->inbox, &names, bundle_name, alphasort);
	if (count < 0)
		rc = nrm_fail(err, EX_IOERR, "cannot list the inbox %s: %s", o->inbox, strerror(errno));
	if (count > 0)
		*out = nrm_xcalloc((size_t)count, sizeof(**out));
	for (int i = 0; i < count; i++) {
		struct nrm_intake_outcome *oc = &(*out)[i];
		oc->file = nrm_xstrdup(names[i]->d_name);
		take_one(&in, oc);
		free(names[i]);
	}
	free(names);
	*n = count > 0 ? (size_t)count : 0;
	free(in.key);
	close(lock);
	close(dirfd);
	return rc;
}

void nrm_intake_outcomes_free(struct nrm_intake_outcome *o, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(o[i].file);
		free(o[i].reason);
		free(o[i].moved_to);
	}
	free(o);
}

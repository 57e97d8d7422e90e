/*
 * `nrmhub bundle create` and `nrmhub bundle verify`: a return folder made
 * into a signed BagIt bundle, and a received bundle checked without
 * trusting any of it.
 */
#include "commands.h"
#include "../plugins/common/json_syntax.h"

#include "atomic_file.h"
#include "bagit.h"
#include "bundle.h"
#include "bundle_command.h"
#include "bundle_pack.h"
#include "bundle_sweep.h"
#include "bundle_verify.h"
#include "date.h"
#include "log.h"
#include "minisign.h"
#include "return_command.h"
#include "return_payload.h"
#include "return_rules.h"
#include "share_group.h"
#include "site_name.h"
#include "store.h"
#include "util.h"
#include "write_file.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define RETURN_JSON_MAX (64 * 1024 * 1024)
/* ustar's mtime field holds 11 octal digits. */
#define TAR_TIME_MAX 8589934591LL

static void print_usage(void)
{
	printf("Usage: nrmhub bundle create (--quarter YYYYQn [--audience AUDIENCE]\n"
	       "           [--site SITE] [--joined DATE] [--area GSS] [--site-name TEXT]\n"
	       "           [--threshold N] [--pseudonym-key FILE] [--force] [--reason TEXT]\n"
	       "           [--provisional-quarters N | --provisional-months N] | --payload DIR)\n"
	       "           [--store FILE] [--seq N] [--key FILE] [--password-file FILE]\n"
	       "           [--now TIME] [-o OUTDIR] [--json]\n"
	       "       nrmhub bundle verify --keys DIR [--signature FILE] [--json] BAG.tar.gz\n"
	       "Make a quarterly return into a signed bundle, or verify one.\n"
	       "\n"
	       "create: builds the quarter's return from the case store (or takes the return\n"
	       "folder DIR, as 'nrmhub return build -o DIR' wrote it), lays it out as the BagIt\n"
	       "bag SITE_QUARTER_SEQ, packs it as OUTDIR/SITE_QUARTER_SEQ.tar.gz (reproducibly)\n"
	       "and signs it as OUTDIR/SITE_QUARTER_SEQ.tar.gz.minisig (minisign's format).\n"
	       "      --quarter YYYYQn      build this quarter's return from the store and bundle it\n"
	       "      --audience AUDIENCE   with --quarter: official (the default) or published\n"
	       "      --site SITE           with --quarter: the site (default: the store's)\n"
	       "      --joined DATE         with --quarter: the day the site joined the pilot\n"
	       "                            (YYYY-MM-DD), where its comparison starts\n"
	       "      --area GSS            with --quarter: the site's area (its local\n"
	       "                            authority's GSS code), REF_AREA in SDMX-CSV\n"
	       "      --site-name TEXT      with --quarter: the site's name, for people, in\n"
	       "                            return.json, its outputs and bag-info.txt (default:\n"
	       "                            the site configuration's site.name)\n"
	       "      --threshold N         with --quarter: counts 1 to N are suppressed in the\n"
	       "                            published return, whose pattern an official one\n"
	       "                            records (default 4)\n"
	       "      --pseudonym-key FILE  with --quarter: the site's pseudonym key (default:\n"
	       "                            keys/SITE.pseudonym.key beside the store)\n"
	       "      --force               with --quarter: bundle it even when a sanity rule\n"
	       "                            refuses it (a quarter not ended at --now, one before\n"
	       "                            the site joined, no referrals and no decisions; see\n"
	       "                            'nrmhub return build --help'); bag-info.txt then\n"
	       "                            says 'Forced: RULE' for each\n"
	       "      --reason TEXT         with --quarter: why a quarter sent before is sent\n"
	       "                            again (required then; see 'nrmhub return build')\n"
	       "      --provisional-quarters N, --provisional-months N\n"
	       "                            with --quarter: which quarters' figures are [p]\n"
	       "                            (as 'nrmhub return build')\n"
	       "      --store FILE          the case store (default: the global --store, else\n"
	       "                            ./nrmhub.db), which also counts the bundles made\n"
	       "      --payload DIR         the return folder to bundle, instead of --quarter:\n"
	       "                            exactly the files its return.json lists\n"
	       "      --seq N               the bundle's sequence number for this site and quarter\n"
	       "                            (1 to 999999; default: one above the last bundle the\n"
	       "                            store handed out); a store there is moves its count\n"
	       "                            up to N when N is higher, and records N like its own\n"
	       "      --key FILE            the site's secret key (default: nrmhub.key); refused\n"
	       "                            when group or others can read it\n"
	       "      --password-file FILE  the secret key's password, when it is encrypted\n"
	       "      --now TIME            the bundle's time (RFC 3339, e.g. 2025-04-02T09:00:00Z,\n"
	       "                            or YYYY-MM-DD): Bagging-Date and every file's time\n"
	       "  -o, --output OUTDIR       where to write the bundle (default: .)\n"
	       "      --json                print what was made as JSON (files, bag, seq, key ID)\n"
	       "\n"
	       "verify: checks the signature, the trusted comment, every archive entry, the bag\n"
	       "and return.json, stopping at the first failure, and prints a summary.\n"
	       "      --keys DIR            the registered public keys, one SITE.pub per site\n"
	       "      --signature FILE      the signature (default: BAG.tar.gz.minisig)\n"
	       "      --json                print the summary (or the failure) as JSON\n"
	       "  -h, --help                show this help\n"
	       "\n"
	       "bag-info.txt says the return's audience (Audience: official or published),\n"
	       "which a delivery target's \"audience\" checks before it sends a bundle.\n"
	       "\n"
	       "Exit status: 0 valid, 64 usage (create: also a quarter not ended or before\n"
	       "the site joined), 65 a bad bag or archive (create: also a return with no\n"
	       "referrals and no decisions), 66 an input is missing, 77 a signature or key\n"
	       "failure (also a secret key others can read).\n");
}

/* ---- create ------------------------------------------------------------------ */

struct create_opts {
	struct nrm_context *ctx;
	const char *quarter, *audience, *site, *store, *joined; /* --quarter: build first */
	const char *area;
	const char *site_name;     /* --quarter: the site's display name */
	const char *threshold;
	const char *reason;        /* --quarter: why a quarter sent before is sent again */
	const char *provisional_quarters, *provisional_months; /* --quarter: [p] policy */
	bool force;                /* --quarter: past the sanity rules */
	unsigned forced;           /* the rules forced past (nrm_rules_forced) */
	const char *const *forced_names; /* --payload (an approval): rules forced at build */
	size_t n_forced_names;
	const char *approved_by, *approved_at, *approval_note; /* an approval, or NULL */
	const char *payload;
	unsigned long seq; /* 0: not given */
	bool seq_in_store; /* --seq N recorded in the store (bundle_next_seq) */
	const char *key;
	const char *pseudonym_key; /* --quarter: the return's pseudonym key */
	const char *password_file;
	const char *now;
	const char *outdir;
	char *organization; /* Source-Organization: the return's site_name, or NULL */
	bool json;
	bool quiet;        /* print nothing: the caller takes *made */
	bool build_failed; /* --quarter: the build said why (a rule refused it, say) */
	struct nrm_bundle_made *made; /* NULL, or filled with what was made */
};

/* The site and quarter the return folder is for, from its return.json,
 * and the site's display name (*name, NULL when it records none). */
static int read_return_identity(const char *dir, struct nrm_bundle_id *id, char audience[16],
                                char **name, char data_as_at[21], struct nrm_error *err)
{
	*name = NULL;
	data_as_at[0] = '\0';
	char *path = nrm_xasprintf("%s/return.json", dir);
	char *text;
	size_t len;
	int rc = nrm_ms_read_file(path, RETURN_JSON_MAX, &text, &len, err);
	if (rc) {
		free(path);
		return -1;
	}
	json_error_t je;
	json_t *ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	free(text);
	const char *site = json_string_value(json_object_get(ret, "site"));
	const char *quarter = json_string_value(json_object_get(ret, "quarter"));
	const char *aud = json_string_value(json_object_get(ret, "audience"));
	const char *site_name = nrm_return_site_name(ret);
	const char *name_problem = site_name ? nrm_site_name_problem(site_name) : NULL;
	/* Optional: a return built before it was recorded has none. */
	const json_t *as_at = json_object_get(ret, "data_as_at");
	int64_t as_at_time = 0;
	bool as_at_bad = as_at && (!json_is_string(as_at) ||
	                           nrm_time_parse_rfc3339(json_string_value(as_at),
	                                                  json_string_length(as_at),
	                                                  &as_at_time) != NRM_OK);
	char why[200];
	if (!ret) {
		json_syntax_reason(je.text, why, sizeof(why));
		rc = nrm_fail(err, EX_DATAERR, "%s:%d:%d: %s", path, je.line, je.column, why);
	}
	else if (!site || !nrm_bundle_site_valid(site))
		rc = nrm_fail(err, EX_DATAERR, "%s: $.site: missing or not a valid site code", path);
	else if (!quarter || !nrm_bundle_quarter_valid(quarter))
		rc = nrm_fail(err, EX_DATAERR, "%s: $.quarter: missing or not YYYYQn", path);
	else if (!aud || (strcmp(aud, "official") != 0 && strcmp(aud, "published") != 0))
		rc = nrm_fail(err, EX_DATAERR, "%s: $.audience: missing, or neither official nor "
		              "published", path);
	else if (name_problem || (json_object_get(ret, "site_name") && !site_name))
		rc = nrm_fail(err, EX_DATAERR, "%s: $.site_name: %s", path,
		              name_problem ? name_problem : "must be a string");
	else if (as_at_bad)
		rc = nrm_fail(err, EX_DATAERR, "%s: $.data_as_at: not an RFC 3339 time", path);
	else {
		if (as_at)
			nrm_time_format_rfc3339(as_at_time, data_as_at);
		*name = site_name ? nrm_xstrdup(site_name) : NULL;
		snprintf(id->site, sizeof(id->site), "%s", site);
		snprintf(id->quarter, sizeof(id->quarter), "%s", quarter);
		snprintf(audience, 16, "%s", aud);
	}
	json_decref(ret);
	free(path);
	return rc;
}

/* The store the bundles are counted in (and --quarter's cases come from). */
static struct nrm_context store_context(const struct create_opts *o)
{
	struct nrm_context at = *o->ctx;
	if (o->store)
		at.store_path = o->store;
	return at;
}

/* --seq N: the store, when there is one, moves its count up to N (so that
 * its next number is above it) and records N as reserved, like its own;
 * without a store the number is the caller's alone, as before. */
static int bundle_given_seq(struct create_opts *o, struct nrm_bundle_id *id,
                            struct nrm_error *err)
{
	id->seq = o->seq;
	struct nrm_context at = store_context(o);
	const char *path = at.store_path ? at.store_path : STORE_DEFAULT_PATH;
	struct stat st;
	if (stat(path, &st) != 0)
		return 0;
	struct store *store;
	int rc = nrm_context_open_store(&at, false, &store);
	if (rc)
		return nrm_fail(err, rc, "the store %s cannot count bundle %lu (see above)", path,
		                o->seq);
	if (store_bundle_seq_reserve(store, id->site, id->quarter, (int64_t)o->seq) != 0)
		rc = nrm_fail(err, store_error(store)->code, "%s", store_error(store)->msg);
	else
		o->seq_in_store = true;
	store_close(store);
	return rc ? -1 : 0;
}

/* The bundle's sequence number: --seq, or the store's next for the site
 * and quarter, reserved there so that no two bundles share one (a bundle
 * that then fails leaves a gap, which the receiver does not mind: it asks
 * only that numbers go up). */
static int bundle_next_seq(struct create_opts *o, struct nrm_bundle_id *id,
                           struct nrm_error *err)
{
	if (o->seq)
		return bundle_given_seq(o, id, err);
	struct nrm_context at = store_context(o);
	struct store *store;
	int rc = nrm_context_open_store(&at, false, &store);
	if (rc)
		return nrm_fail(err, rc, "bundles are counted in the case store: give --seq N to "
		                "number this one by hand");
	int64_t seq = 0;
	if (store_bundle_seq_next(store, id->site, id->quarter, &seq) != 0)
		rc = nrm_fail(err, store_error(store)->code, "%s", store_error(store)->msg);
	else if (seq < 1 || (uint64_t)seq > NRM_BUNDLE_SEQ_MAX)
		rc = nrm_fail(err, EX_DATAERR, "%s %s: more than %lu bundles", id->site,
		              id->quarter, NRM_BUNDLE_SEQ_MAX);
	store_close(store);
	id->seq = (unsigned long)seq;
	return rc ? -1 : 0;
}

/* The earlier creates of the same site and quarter whose end was never
 * recorded: killed, or killed just after finishing. */
struct unsettled {
	const struct nrm_bundle_id *id;
	int64_t *seq;
	size_t n;
};

static int collect_unsettled(const struct store_bundle_gap *g, void *ctx)
{
	struct unsettled *u = ctx;
	if (!g->failure && (uint64_t)g->seq < u->id->seq && strcmp(g->site, u->id->site) == 0 &&
	    strcmp(g->quarter, u->id->quarter) == 0) {
		u->seq = nrm_xrealloc(u->seq, (u->n + 1) * sizeof(*u->seq));
		u->seq[u->n++] = g->seq;
	}
	return 0;
}

/* Each of them by what it left in this folder: its bundle, or nothing (the
 * sweep removed the rest). */
static int settle_earlier(struct store *store, const char *outdir,
                          const struct nrm_bundle_id *id)
{
	struct unsettled u = {id, NULL, 0};
	int rc = store_bundle_each_unfinished(store, collect_unsettled, &u) < 0 ? -1 : 0;
	for (size_t i = 0; rc == 0 && i < u.n; i++) {
		char *path = nrm_xasprintf("%s/%s_%s_%03lld.tar.gz", outdir, id->site, id->quarter,
		                           (long long)u.seq[i]);
		struct stat st;
		bool made = lstat(path, &st) == 0 && S_ISREG(st.st_mode);
		free(path);
		rc = store_bundle_ended(store, id->site, id->quarter, u.seq[i],
		                        made ? NULL
		                             : "interrupted: no bundle was finished (what the "
		                               "create left in the outbox was removed)");
	}
	free(u.seq);
	return rc;
}

/* Records in the store how the create of a numbered bundle ended, so that
 * a number spent on no bundle is a gap with its reason (`status`), and
 * settles the earlier creates of the quarter into this folder that were
 * killed before they could record theirs.  A number given with --seq is
 * recorded the same way when the store recorded it (bundle_given_seq). */
static void record_end(const struct create_opts *o, const struct nrm_bundle_id *id,
                       const struct nrm_error *failed)
{
	if (o->seq && !o->seq_in_store)
		return;
	struct nrm_context at = store_context(o);
	struct store *store;
	if (nrm_context_open_store(&at, false, &store) != 0)
		return; /* the create's own result stands; the number stays reserved */
	if (store_bundle_ended(store, id->site, id->quarter, (int64_t)id->seq,
	                       failed ? failed->msg : NULL) != 0 ||
	    settle_earlier(store, o->outdir, id) != 0)
		nrm_warn("%s", store_error(store)->msg);
	store_close(store);
}

static int parse_now(const char *text, int64_t *t, struct nrm_error *err)
{
	int32_t day;
	if (!text) {
		*t = (int64_t)time(NULL);
	} else if (nrm_date_parse_iso(text, strlen(text), &day) == 0 && strlen(text) == 10) {
		*t = (int64_t)day * 86400;
	} else if (nrm_time_parse_rfc3339(text, strlen(text), t) != 0) {
		return nrm_fail(err, EX_USAGE, "--now '%s': not an RFC 3339 time or a date", text);
	}
	if (*t < 0 || *t > TAR_TIME_MAX)
		return nrm_fail(err, EX_USAGE, "--now: the time must be from 1970 to 2242");
	return 0;
}

static int load_key(const struct create_opts *o, struct nrm_ms_seckey *sec,
                    struct nrm_error *err)
{
	char *password = NULL;
	size_t password_len = 0;
	if (o->password_file &&
	    nrm_ms_password_load(o->password_file, &password, &password_len, err))
		return -1;
	int rc = nrm_ms_seckey_load(o->key, password, password_len, sec, err);
	nrm_ms_free_secret(password);
	return rc;
}

static bool path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static void print_created(const struct create_opts *o, const struct nrm_bundle_id *id,
                          const char *tar_path, const char *sig_path,
                          const struct nrm_ms_seckey *sec, uint64_t archive_bytes)
{
	if (o->made) {
		o->made->archive = nrm_xstrdup(tar_path);
		o->made->signature = nrm_xstrdup(sig_path);
		snprintf(o->made->bag, sizeof(o->made->bag), "%s", id->bag);
		o->made->seq = id->seq;
	}
	if (o->quiet)
		return;
	if (!o->json) {
		printf("%s\n%s\n", tar_path, sig_path);
		return;
	}
	char key_id[17], hex[129];
	nrm_ms_keyid(sec->keynum, key_id);
	nrm_bundle_hex(id->tagmanifest_sha512, 64, hex);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s}", "archive", tar_path,
	                      "signature", sig_path, "bag", id->bag, "site", id->site, "quarter",
	                      id->quarter, "seq", (json_int_t)id->seq, "key_id", key_id,
	                      "archive_bytes", (json_int_t)archive_bytes, "tagmanifest_sha512",
	                      hex);
	json_t *forced = json_array();
	const char *names[NRM_RULES];
	size_t n = nrm_rules_forced_names(o->forced, names);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(forced, json_string(names[i]));
	for (size_t i = 0; i < o->n_forced_names; i++)
		json_array_append_new(forced, json_string(o->forced_names[i]));
	json_object_set_new(j, "forced", forced);
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(text ? text : "{}");
	free(text);
	json_decref(j);
}

/* Writes the signature `sig` under `path` through a temporary file that is
 * locked before it takes the name (a lock goes with the file through the
 * rename), so that no other create's sweep (bundle_sweep.h) sees it
 * without its archive and unlocked.  *hold: the lock, for the caller to
 * close once the archive is in place. */
static int write_held_signature(const char *path, const char *sig, int *hold,
                                struct nrm_error *err)
{
	struct nrm_atomic_file f;
	*hold = -1;
	if (nrm_atomic_open(&f, path, 0640, err) != 0)
		return -1;
	if (nrm_write_all(f.fd, sig, strlen(sig)) != 0 ||
	    (*hold = fcntl(f.fd, F_DUPFD_CLOEXEC, 0)) < 0 || nrm_bundle_hold(*hold) != 0) {
		int e = errno;
		if (*hold >= 0)
			close(*hold);
		*hold = -1;
		nrm_atomic_abort(&f);
		return nrm_fail(err, EX_IOERR, "writing %s: %s", path, strerror(e));
	}
	if (nrm_atomic_commit(&f, err) != 0) {
		close(*hold);
		*hold = -1;
		return -1;
	}
	return 0;
}

/* Writes the archive into its temporary file, then the signature under its
 * name, and only then renames the archive into place: so a bundle's
 * archive is never seen under its name without its signature, whenever the
 * program is killed (tests/e2e/crash_safety.sh once found an unsigned
 * archive that the next run refused to replace).  A signature left alone
 * by a run killed before that last rename signs nothing that exists, and
 * is removed by the next run: by this one when it makes the same bag, or
 * by bundle_sweep.c's sweep when the next run takes the next number. */
static int write_bundle(const struct create_opts *o, struct nrm_bundle_id *id,
                        struct nrm_bag_payload *payload, int64_t mtime,
                        const struct nrm_bag_extra *extra, const struct nrm_ms_seckey *sec,
                        struct nrm_error *err)
{
	char date[11];
	nrm_date_format_iso((int32_t)(mtime / 86400), date);
	char *tar_path = nrm_xasprintf("%s/%s.tar.gz", o->outdir, id->bag);
	char *sig_path = nrm_xasprintf("%s.minisig", tar_path);
	nrm_mkdir_parents(tar_path); /* -o a folder not made yet */
	int rc = 0;
	if (path_exists(tar_path))
		rc = nrm_fail(err, EX_CANTCREAT, "%s already exists: a bundle is never replaced "
		              "(use the next sequence number)", tar_path);
	else if (path_exists(sig_path) && unlink(sig_path) != 0)
		rc = nrm_fail(err, EX_CANTCREAT, "cannot remove %s, left by an interrupted run: %s",
		              sig_path, strerror(errno));
	struct nrm_atomic_file f = {.fd = -1};
	if (rc == 0)
		rc = nrm_atomic_open(&f, tar_path, 0640, err);
	struct nrm_pack_result res;
	if (rc == 0) {
		struct nrm_pack_request req = {id, payload, mtime, date, extra, o->organization};
		rc = nrm_bundle_pack(&req, f.fd, tar_path, &res, err);
		if (rc)
			nrm_atomic_abort(&f);
	}
	if (rc == 0) {
		memcpy(id->tagmanifest_sha512, res.tagmanifest_sha512, sizeof(res.tagmanifest_sha512));
		char *comment = nrm_bundle_comment_format(id);
		char *untrusted = nrm_xasprintf("nrmhub bundle %s", id->bag);
		char *sig = nrm_ms_sign(sec, res.archive_hash, untrusted, comment);
		int hold;
		rc = write_held_signature(sig_path, sig, &hold, err);
		if (rc) {
			nrm_atomic_abort(&f);
		} else if ((rc = nrm_atomic_commit(&f, err)) != 0) {
			unlink(sig_path);
		} else {
			print_created(o, id, tar_path, sig_path, sec, res.archive_bytes);
		}
		if (hold >= 0)
			close(hold);
		free(sig);
		free(untrusted);
		free(comment);
	}
	free(tar_path);
	free(sig_path);
	return rc;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* With --quarter: the return, built from the store into a private folder
 * beside the bundle (so the bundle holds exactly what was built), which
 * is removed again whatever happens. */
static int bundle_create(struct create_opts *o, struct nrm_error *err);

/* The private folder, held against the sweep (bundle_sweep.h) for as long
 * as *hold is open.  Another create's sweep that came between mkdtemp and
 * the lock removed it: then another is made. */
static char *make_return_folder(const char *outdir, int *hold, struct nrm_error *err)
{
	for (int tries = 0; tries < 5; tries++) {
		char *dir = nrm_xasprintf("%s/.nrmhub-return.XXXXXX", outdir);
		nrm_mkdir_parents(dir); /* the outbox itself, when it is not made yet */
		if (!mkdtemp(dir)) {
			nrm_fail(err, EX_CANTCREAT, "cannot make a folder in %s: %s", outdir,
			         strerror(errno));
			free(dir);
			return NULL;
		}
		int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat held, named;
		if (fd >= 0 && nrm_bundle_hold(fd) == 0 && fstat(fd, &held) == 0 &&
		    stat(dir, &named) == 0 && held.st_dev == named.st_dev &&
		    held.st_ino == named.st_ino) {
			*hold = fd;
			return dir;
		}
		if (fd >= 0)
			close(fd);
		free(dir);
	}
	nrm_fail(err, EX_TEMPFAIL, "cannot keep a folder in %s: it is removed as soon as made",
	         outdir);
	return NULL;
}

static int bundle_create_quarter(struct create_opts *o, struct nrm_error *err)
{
	int hold;
	char *dir = make_return_folder(o->outdir, &hold, err);
	if (!dir)
		return -1;
	struct nrm_context at = store_context(o);
	struct nrm_return_request req = {
		.quarter = o->quarter, .site = o->site, .audience = o->audience,
		.now = o->now, .dir = dir, .store = o->store, .key = o->pseudonym_key,
		.joined = o->joined, .area = o->area, .site_name = o->site_name,
		.threshold = o->threshold, .force = o->force, .forced = &o->forced,
		.reason = o->reason, .provisional_quarters = o->provisional_quarters,
		.provisional_months = o->provisional_months,
	};
	int code = nrm_return_build_into(&at, &req);
	int rc = 0;
	if (code) {
		rc = nrm_fail(err, code, "the %s return could not be built (see above)", o->quarter);
		o->build_failed = true;
	}
	else {
		o->payload = dir;
		rc = bundle_create(o, err);
	}
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	close(hold);
	free(dir);
	return rc;
}

/* The first bytes of a payload file, enough to tell a secret or a store. */
static size_t read_head(const char *path, char *head, size_t cap)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, head, cap);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

/* The folder holds exactly the return's file set and nothing secret
 * (return_payload.h), before a sequence number is taken for it. */
static int check_payload_dir(const char *dir, const struct nrm_bag_payload *p,
                             struct nrm_error *err)
{
	char *path = nrm_xasprintf("%s/return.json", dir);
	char *text;
	size_t len;
	if (nrm_ms_read_file(path, RETURN_JSON_MAX, &text, &len, err)) {
		free(path);
		return -1;
	}
	free(path);
	json_t *ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	struct nrm_payload_file *files = nrm_xcalloc(p->count + 1, sizeof(*files));
	char(*heads)[1024] = nrm_xcalloc(p->count + 1, sizeof(*heads));
	for (size_t i = 0; i < p->count; i++) {
		const struct nrm_bag_file *f = &p->files[i];
		size_t n = f->is_dir ? 0 : read_head(f->source, heads[i], sizeof(heads[i]));
		files[i] = (struct nrm_payload_file){f->path + 5, heads[i], n, f->is_dir};
	}
	int rc = nrm_return_payload_check(ret, files, p->count, dir, err);
	free(heads);
	free(files);
	json_decref(ret);
	return rc;
}

/* What bag-info.txt says beyond BagIt's fields: the audience, an
 * approval, the rules forced (at this build, or at the held build that
 * was approved).  names[] holds the forced rules' names. */
static void bag_extra(const struct create_opts *o, const char *audience,
                      const char *data_as_at, const char *names[],
                      struct nrm_bag_extra *extra)
{
	size_t n = nrm_rules_forced_names(o->forced, names);
	for (size_t i = 0; i < o->n_forced_names; i++)
		names[n++] = o->forced_names[i];
	*extra = (struct nrm_bag_extra){.audience = audience,
	                                .data_as_at = *data_as_at ? data_as_at : NULL,
	                                .approved_by = o->approved_by,
	                                .approved_at = o->approved_at,
	                                .approval_note = o->approval_note, .forced = names,
	                                .n_forced = n};
}

static int bundle_create(struct create_opts *o, struct nrm_error *err)
{
	struct nrm_bundle_id id = {0};
	int64_t mtime;
	char audience[16], data_as_at[21];
	if (parse_now(o->now, &mtime, err) ||
	    read_return_identity(o->payload, &id, audience, &o->organization, data_as_at, err))
		return -1;
	struct nrm_bag_payload payload;
	if (nrm_bag_payload_collect(o->payload, &payload, err)) {
		free(o->organization);
		return -1;
	}
	const char **names = nrm_xcalloc(NRM_RULES + o->n_forced_names + 1, sizeof(char *));
	struct nrm_bag_extra extra;
	bag_extra(o, audience, data_as_at, names, &extra);
	int rc = check_payload_dir(o->payload, &payload, err);
	if (rc == 0)
		rc = bundle_next_seq(o, &id, err);
	struct nrm_ms_seckey sec;
	if (rc == 0) {
		nrm_bundle_name(&id);
		/* What earlier creates of this quarter were killed before finishing
		 * would otherwise stay for ever: each takes its own number. */
		nrm_bundle_sweep(o->outdir, id.site, id.quarter);
		rc = load_key(o, &sec, err);
		if (rc == 0) {
			rc = write_bundle(o, &id, &payload, mtime, &extra, &sec, err);
			sodium_memzero(&sec, sizeof(sec));
		}
		record_end(o, &id, rc ? err : NULL);
	}
	nrm_bag_payload_free(&payload);
	free(names);
	free(o->organization);
	o->organization = NULL;
	return rc;
}

static int parse_seq(const char *text, unsigned long *seq)
{
	long long v;
	if (!nrm_parse_int64(text, &v) || v < 1 || v > (long long)NRM_BUNDLE_SEQ_MAX)
		return -1;
	*seq = (unsigned long)v;
	return 0;
}

static int cmd_bundle_create(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"quarter", required_argument, NULL, 'q'},
		{"audience", required_argument, NULL, 'a'},
		{"site", required_argument, NULL, 'S'},
		{"joined", required_argument, NULL, 'J'},
		{"area", required_argument, NULL, 'A'},
		{"site-name", required_argument, NULL, 'N'},
		{"store", required_argument, NULL, 'D'},
		{"payload", required_argument, NULL, 'P'},
		{"seq", required_argument, NULL, 's'},
		{"key", required_argument, NULL, 'k'},
		{"password-file", required_argument, NULL, 'p'},
		{"pseudonym-key", required_argument, NULL, 'K'},
		{"threshold", required_argument, NULL, 't'},
		{"force", no_argument, NULL, 'F'},
		{"reason", required_argument, NULL, 'R'},
		{"provisional-quarters", required_argument, NULL, 'Q'},
		{"provisional-months", required_argument, NULL, 'M'},
		{"now", required_argument, NULL, 'n'},
		{"output", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct create_opts o = {.ctx = ctx, .key = "nrmhub.key", .outdir = "."};
	int opt;
	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'q': o.quarter = optarg; break;
		case 'a': o.audience = optarg; break;
		case 'S': o.site = optarg; break;
		case 'J': o.joined = optarg; break;
		case 'A': o.area = optarg; break;
		case 'N': o.site_name = optarg; break;
		case 'D': o.store = optarg; break;
		case 'P': o.payload = optarg; break;
		case 's':
			if (parse_seq(optarg, &o.seq))
				return nrm_usage_error("bundle create", "--seq '%s': not a whole number "
				                       "from 1 to %lu", optarg, NRM_BUNDLE_SEQ_MAX);
			break;
		case 'k': o.key = optarg; break;
		case 'p': o.password_file = optarg; break;
		case 'K': o.pseudonym_key = optarg; break;
		case 't': o.threshold = optarg; break;
		case 'F': o.force = true; break;
		case 'R': o.reason = optarg; break;
		case 'Q': o.provisional_quarters = optarg; break;
		case 'M': o.provisional_months = optarg; break;
		case 'n': o.now = optarg; break;
		case 'o': o.outdir = optarg; break;
		case 'j': o.json = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("bundle create", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("bundle create", "unexpected argument '%s'", argv[optind]);
	if (!o.payload == !o.quarter)
		return nrm_usage_error("bundle create", "give one of --quarter YYYYQn and "
		                       "--payload DIR");
	if (o.payload && (o.audience || o.site || o.joined || o.area || o.site_name ||
	                  o.threshold || o.force || o.reason || o.provisional_quarters ||
	                  o.provisional_months))
		return nrm_usage_error("bundle create", "--audience, --site, --joined, --area, "
		                       "--site-name, --threshold, --reason, --provisional-quarters, "
		                       "--provisional-months and --force go with --quarter");
	struct nrm_error err = {0};
	if (o.quarter ? bundle_create_quarter(&o, &err) : bundle_create(&o, &err)) {
		if (err.code == EX_USAGE && !o.build_failed)
			return nrm_usage_error("bundle create", "%s", err.msg);
		fprintf(stderr, "nrmhub bundle create: %s\n", err.msg);
		return err.code;
	}
	return 0;
}

int nrm_bundle_create_payload(struct nrm_context *ctx, const struct nrm_bundle_request *req,
                              struct nrm_bundle_made *made, struct nrm_error *err)
{
	memset(made, 0, sizeof(*made));
	struct create_opts o = {
		.ctx = ctx, .payload = req->payload, .outdir = req->outdir, .store = req->store,
		.key = req->key ? req->key : "nrmhub.key", .password_file = req->password_file,
		.now = req->now, .approved_by = req->approved_by, .approved_at = req->approved_at,
		.approval_note = req->approval_note, .forced_names = req->forced,
		.n_forced_names = req->n_forced, .quiet = true, .made = made,
	};
	return bundle_create(&o, err);
}

void nrm_bundle_made_free(struct nrm_bundle_made *made)
{
	free(made->archive);
	free(made->signature);
	memset(made, 0, sizeof(*made));
}

/* ---- verify ------------------------------------------------------------------ */

static const char *figure(json_t *j, char buf[32])
{
	if (json_is_integer(j))
		snprintf(buf, 32, "%lld", (long long)json_integer_value(j));
	else if (json_is_string(j) && strlen(json_string_value(j)) < 8)
		snprintf(buf, 32, "%s", json_string_value(j));
	else
		snprintf(buf, 32, "?");
	return buf;
}

static json_t *figure_json(json_t *j)
{
	return json_is_integer(j) || json_is_string(j) ? json_incref(j) : json_null();
}

static json_t *decisions_json(json_t *ret, const char *stage)
{
	json_t *d = json_object_get(json_object_get(ret, "decisions"), stage);
	return json_pack("{s:o, s:o}", "positive", figure_json(json_object_get(d, "positive")),
	                 "negative", figure_json(json_object_get(d, "negative")));
}

static void print_summary(const struct nrm_verify_result *r, bool as_json)
{
	json_t *ret = r->return_json;
	json_t *total = json_object_get(json_object_get(ret, "referrals"), "total");
	const char *audience = json_string_value(json_object_get(ret, "audience"));
	if (as_json) {
		json_t *j = json_pack("{s:b, s:s, s:s, s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o}",
		                      "valid", 1, "site", r->id.site, "quarter", r->id.quarter, "seq",
		                      (json_int_t)r->id.seq, "bag", r->id.bag, "key_id", r->key_id,
		                      "files", (json_int_t)r->payload_files, "payload_bytes",
		                      (json_int_t)r->payload_bytes, "audience",
		                      audience ? json_string(audience) : json_null(), "referrals",
		                      figure_json(total), "rg_decisions", decisions_json(ret, "rg"),
		                      "cg_decisions", decisions_json(ret, "cg"));
		nrm_return_set_site_name(j, nrm_return_site_name(ret));
		char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "{}");
		free(s);
		json_decref(j);
		return;
	}
	char a[32], b[32];
	printf("valid: %s, signed with key ID %s\n", r->id.bag, r->key_id);
	printf("site: %s\n", r->id.site);
	if (nrm_return_site_name(ret))
		printf("site name: %s\n", nrm_return_site_name(ret));
	printf("quarter: %s\nsequence: %lu\n", r->id.quarter, r->id.seq);
	printf("files: %llu (%llu bytes)\n", (unsigned long long)r->payload_files,
	       (unsigned long long)r->payload_bytes);
	printf("audience: %s\nreferrals: %s\n", audience ? audience : "?", figure(total, a));
	for (int i = 0; i < 2; i++) {
		const char *stage = i == 0 ? "rg" : "cg";
		json_t *d = json_object_get(json_object_get(ret, "decisions"), stage);
		printf("%s decisions: %s positive, %s negative\n", i == 0 ? "RG" : "CG",
		       figure(json_object_get(d, "positive"), a),
		       figure(json_object_get(d, "negative"), b));
	}
}

static void print_failure_json(const struct nrm_verify_result *r, const struct nrm_error *err)
{
	json_t *j = json_pack("{s:b, s:i, s:i, s:s}", "valid", 0, "step", r->failed_step, "exit",
	                      err->code, "error", err->msg);
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "{}");
	free(s);
	json_decref(j);
}

static int cmd_bundle_verify(int argc, char **argv)
{
	static const struct option options[] = {
		{"keys", required_argument, NULL, 'k'},
		{"signature", required_argument, NULL, 'x'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *keys = NULL, *signature = NULL;
	bool as_json = false;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'k': keys = optarg; break;
		case 'x': signature = optarg; break;
		case 'j': as_json = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("bundle verify", "unknown option");
		}
	}
	if (!keys)
		return nrm_usage_error("bundle verify", "--keys DIR is required");
	if (optind + 1 != argc)
		return nrm_usage_error("bundle verify", "give exactly one BAG.tar.gz");
	const char *archive = argv[optind];
	char *sig_path = signature ? nrm_xstrdup(signature) : nrm_xasprintf("%s.minisig", archive);
	struct nrm_verify_result r;
	struct nrm_error err = {0};
	int rc = 0;
	if (nrm_bundle_verify(archive, sig_path, keys, NULL, &r, &err) != 0) {
		fprintf(stderr, "nrmhub bundle verify: step %d: %s\n", r.failed_step, err.msg);
		if (as_json)
			print_failure_json(&r, &err);
		rc = err.code;
	} else {
		print_summary(&r, as_json);
	}
	nrm_verify_result_free(&r);
	free(sig_path);
	return rc;
}

int cmd_bundle(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "create") == 0)
		return cmd_bundle_create(ctx, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return cmd_bundle_verify(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_usage();
		return 0;
	}
	if (argc < 2)
		return nrm_usage_error("bundle", "give a subcommand: create or verify");
	return nrm_usage_error("bundle", "no such subcommand '%s'", argv[1]);
}

/*
 * Opening the store, its transactions, sources and bundle numbers.  The
 * file is created before SQLite opens it, so its mode is ours (0600) and
 * SQLite gives the WAL and shared-memory files the same mode.
 */
#include "store_internal.h"

#include "case.h"
#include "log.h"
#include "store_backup.h"
#include "store_check.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* Case data is personal data: the store is readable by its owner only. */
#define STORE_MODE 0600
/* A bounded page cache keeps an import's memory flat (~20 MiB peak for a
 * million cases); 64 MiB measured no faster on a 1M-case import. */
#define STORE_CACHE_KIB 16384
#define STORE_BUSY_MS 10000

static const char *const statements[ST_N_STMTS] = {
	[ST_CASE_INSERT] =
		"INSERT INTO nrm_case (site, case_id, " STORE_CASE_COLUMNS ", changed_at, sources) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (site, case_id) DO NOTHING",
	[ST_CASE_SELECT] = "SELECT site, case_id, " STORE_CASE_COLUMNS ", changed_at, sources "
	                   "FROM nrm_case WHERE site = ? AND case_id = ?",
	[ST_CASE_UPDATE] =
		"UPDATE nrm_case SET (" STORE_CASE_COLUMNS ", changed_at, sources) = "
		"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"WHERE site = ? AND case_id = ?",
	[ST_SOURCES_UPDATE] = "UPDATE nrm_case SET sources = ? WHERE site = ? AND case_id = ?",
	[ST_SOURCE_FIND] = "SELECT id, imported_at FROM source WHERE digest = ?",
	[ST_SOURCE_INSERT] = "INSERT INTO source (plugin, file, options, digest, imported_at) "
	                     "VALUES (?, ?, ?, ?, ?)",
	[ST_SOURCE_GET] = "SELECT plugin, file, imported_at FROM source WHERE id = ?",
};

static const char *const field_names[STORE_N_FIELDS] = {
	[STORE_F_NRM_REF] = "nrm_ref",
	[STORE_F_REFERRAL_DATE] = "referral_date",
	[STORE_F_FIRST_RESPONDER_TYPE] = "first_responder_type",
	[STORE_F_FIRST_RESPONDER_ORG] = "first_responder_org",
	[STORE_F_LOCAL_AUTHORITY] = "local_authority",
	[STORE_F_POLICE_FORCE] = "police_force",
	[STORE_F_AGE_AT_EXPLOITATION] = "age_at_exploitation",
	[STORE_F_AGE_DISPUTED] = "age_disputed",
	[STORE_F_GENDER] = "gender",
	[STORE_F_NATIONALITY] = "nationality",
	[STORE_F_EXPLOITATION_TYPES] = "exploitation_types",
	[STORE_F_COUNTY_LINES] = "county_lines",
	[STORE_F_EXPLOITATION_LOCATION] = "exploitation_location",
	[STORE_F_RG] = "rg",
	[STORE_F_CG] = "cg",
	[STORE_F_DECISION_MAKER] = "decision_maker",
	[STORE_F_STATUS] = "status",
	[STORE_F_UPDATED_AT] = "updated_at",
	[STORE_F_DATE_OF_BIRTH] = "date_of_birth",
};

const char *store_field_name(enum store_field f)
{
	return (unsigned)f < STORE_N_FIELDS ? field_names[f] : NULL;
}

int store_field_of(const char *name)
{
	static const struct {
		const char *name;
		enum store_field f;
	} pairs[] = {
		{"rg_decision_date", STORE_F_RG}, {"rg_outcome", STORE_F_RG},
		{"cg_decision_date", STORE_F_CG}, {"cg_outcome", STORE_F_CG},
		{"status_date", STORE_F_STATUS},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (strcmp(name, pairs[i].name) == 0)
			return (int)pairs[i].f;
	for (int f = 0; f < STORE_N_FIELDS; f++)
		if (f != STORE_F_RG && f != STORE_F_CG && strcmp(name, field_names[f]) == 0)
			return f;
	return -1;
}

bool store_field_known(const struct nrm_case *c, enum store_field f)
{
	switch (f) {
	case STORE_F_NRM_REF: return c->nrm_ref != NULL;
	case STORE_F_REFERRAL_DATE: return c->referral_date != NRM_DATE_NONE;
	case STORE_F_FIRST_RESPONDER_TYPE: return c->first_responder_type != NRM_FR_NONE;
	case STORE_F_FIRST_RESPONDER_ORG: return c->first_responder_org != NULL;
	case STORE_F_LOCAL_AUTHORITY: return c->local_authority != NULL;
	case STORE_F_POLICE_FORCE: return c->police_force != NULL;
	case STORE_F_AGE_AT_EXPLOITATION: return c->age_at_exploitation != NRM_AGE_NONE;
	case STORE_F_AGE_DISPUTED: return c->age_disputed != NRM_UNKNOWN;
	case STORE_F_GENDER: return c->gender != NRM_GENDER_UNKNOWN;
	case STORE_F_NATIONALITY: return c->nationality[0] != NULL;
	case STORE_F_EXPLOITATION_TYPES: return c->exploitation_types != 0;
	case STORE_F_COUNTY_LINES: return c->county_lines != NRM_UNKNOWN;
	case STORE_F_EXPLOITATION_LOCATION: return c->exploitation_location != NRM_LOC_UNKNOWN;
	case STORE_F_RG: return c->rg_decision_date != NRM_DATE_NONE;
	case STORE_F_CG: return c->cg_decision_date != NRM_DATE_NONE;
	case STORE_F_DECISION_MAKER: return c->decision_maker != NRM_DM_NONE;
	case STORE_F_STATUS:
		return c->status != NRM_STATUS_OPEN || c->status_date != NRM_DATE_NONE;
	case STORE_F_UPDATED_AT: return c->updated_at != NRM_TIME_NONE;
	case STORE_F_DATE_OF_BIRTH: return c->date_of_birth != NRM_DATE_NONE;
	case STORE_N_FIELDS: break;
	}
	return false;
}

const struct nrm_error *store_error(const struct store *s)
{
	return &s->err;
}

int store_fail_sqlite(struct store *s, const char *what)
{
	int code = sqlite3_errcode(s->db);
	int ex = code == SQLITE_BUSY || code == SQLITE_LOCKED ? EX_TEMPFAIL
	       : code == SQLITE_READONLY || code == SQLITE_PERM ? EX_NOPERM
	       : code == SQLITE_CORRUPT || code == SQLITE_NOTADB ? EX_DATAERR
	       : EX_IOERR;
	return nrm_fail(&s->err, ex, "the store: %s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *store_stmt(struct store *s, enum store_stmt which)
{
	if (!s->stmt[which] &&
	    sqlite3_prepare_v3(s->db, statements[which], -1, SQLITE_PREPARE_PERSISTENT,
	                       &s->stmt[which], NULL) != SQLITE_OK) {
		store_fail_sqlite(s, "cannot prepare a statement");
		return NULL;
	}
	return s->stmt[which];
}

sqlite3_stmt *store_prepare_for(struct store *s, const char *sql, const char *site,
                                const char *quarter, const char *what)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		store_fail_sqlite(s, what);
		return NULL;
	}
	sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, quarter, -1, SQLITE_STATIC);
	return st;
}

int store_exec(struct store *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	return store_fail_sqlite(s, sql);
}

/* Creates the file with our mode (or checks an existing one is a regular
 * file), so SQLite never creates it with the umask's. */
static int create_file(const char *path, struct nrm_error *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, STORE_MODE);
	if (fd < 0) {
		int ex = errno == EACCES || errno == EPERM ? EX_NOPERM : EX_CANTCREAT;
		return nrm_fail(err, ex, "cannot open the store %s: %s", path, strerror(errno));
	}
	struct stat st;
	int rc = 0;
	if (fstat(fd, &st) != 0)
		rc = nrm_fail(err, EX_IOERR, "cannot stat the store %s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		rc = nrm_fail(err, EX_CANTCREAT, "the store %s is not a regular file", path);
	else if (st.st_mode & 077)
		nrm_warn("the store %s is readable by others (mode %03o): it holds children's "
		         "case data; chmod 600 it", path, (unsigned)(st.st_mode & 0777));
	close(fd);
	return rc;
}

static int configure(struct store *s)
{
	char cache[64];
	snprintf(cache, sizeof(cache), "PRAGMA cache_size = -%d", STORE_CACHE_KIB);
	if (s->read_only)
		return store_exec(s, cache) || store_exec(s, "PRAGMA temp_store = MEMORY");
	/* WAL: readers (a return being built) do not block an import.  NORMAL
	 * sync in WAL mode: a commit survives a crash of the process, and a
	 * power cut can lose only the last commits, never corrupt the store.
	 * 16 KiB pages (for a new store; an existing one keeps its own): a
	 * case row is ~130 bytes, and bigger pages split less often, which
	 * measured ~10% less CPU on a 1M-case import than 4 KiB. */
	return store_exec(s, "PRAGMA page_size = 16384") ||
	       store_exec(s, "PRAGMA journal_mode = WAL") ||
	       store_exec(s, "PRAGMA synchronous = NORMAL") || store_exec(s, cache) ||
	       store_exec(s, "PRAGMA temp_store = MEMORY");
}

static int schema_version(struct store *s, int *version)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot read its schema version");
	int rc = sqlite3_step(st);
	*version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_sqlite(s, "cannot read its schema version");
}

/* A store that a migration is about to change is copied first; a new
 * (empty) one has nothing to keep. */
static int migrate(struct store *s, const char *path)
{
	int version;
	if (schema_version(s, &version) != 0)
		return -1;
	if (version > 0 && version < store_schema_version()) {
		if (store_backup_make(s->db, path, &s->err) != 0)
			return -1;
		nrm_info("backed up the store to %s.backup-1 before migrating it from schema "
		         "version %d to %d", path, version, store_schema_version());
	}
	return store_schema_migrate(s->db, store_schema_version(), &s->err);
}

/* A store that cannot be migrated here is used only at this build's
 * version: reading commands rely on its tables being what they know. */
static int check_read_only_version(struct store *s, const char *path)
{
	int version;
	if (schema_version(s, &version) != 0)
		return -1;
	if (version == store_schema_version())
		return 0;
	return nrm_fail(&s->err, EX_NOPERM, "the store %s cannot be written (a read-only medium?) "
	                "and is at schema version %d, not this nrmhub's %d: open it once where "
	                "it can be written", path, version, store_schema_version());
}

/* "file:PATH?immutable=1" or "?mode=ro": the path escaped for a URI.  A
 * store with a WAL beside it must read the WAL (mode=ro, with its -shm);
 * without one, immutable tells SQLite no other process can change it, so
 * it needs no -shm file it could not create on a read-only medium. */
static char *read_only_uri(const char *path)
{
	char *wal = nrm_xasprintf("%s-wal", path);
	bool has_wal = access(wal, F_OK) == 0;
	free(wal);
	size_t n = strlen(path);
	char *uri = nrm_xmalloc(3 * n + 32), *o = uri;
	o += sprintf(o, "file:");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c == '%' || c == '?' || c == '#' || c < 0x20 || c >= 0x7f)
			o += sprintf(o, "%%%02X", c);
		else
			*o++ = (char)c;
	}
	sprintf(o, "%s", has_wal ? "?mode=ro" : "?immutable=1");
	return uri;
}

static int open_db(struct store *s, const char *path, struct nrm_error *err)
{
	/* One connection, used by one thread at a time: no per-call mutex. */
	int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX;
	char *uri = s->read_only ? read_only_uri(path) : NULL;
	flags |= s->read_only ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI : SQLITE_OPEN_READWRITE;
	int rc = sqlite3_open_v2(uri ? uri : path, &s->db, flags, NULL);
	free(uri);
	if (rc != SQLITE_OK)
		return nrm_fail(err, EX_CANTCREAT, "cannot open the store %s: %s", path,
		                s->db ? sqlite3_errmsg(s->db) : "out of memory");
	sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
	return 0;
}

static int open_store(const char *path, bool read_only, struct store **out,
                      struct nrm_error *err)
{
	*out = NULL;
	if (!read_only && create_file(path, err) != 0)
		return -1;
	/* Memory statistics take a global mutex on every allocation; the
	 * call fails harmlessly if SQLite is already initialised. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	struct store *s = nrm_xcalloc(1, sizeof(*s));
	s->read_only = read_only;
	s->path = nrm_xstrdup(path);
	if (open_db(s, path, err) != 0) {
		store_close(s);
		return -1;
	}
	/* Checked before anything else reads or writes it (store_check.h). */
	if (store_check_health(s->db, path, &s->err) != 0 || configure(s) != 0 ||
	    (read_only ? check_read_only_version(s, path) : migrate(s, path)) != 0) {
		*err = s->err;
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

int store_open(const char *path, struct store **out, struct nrm_error *err)
{
	return open_store(path, false, out, err);
}

/* Root may write where its modes say no; a read-only mount refuses even
 * root, and access(2) says so (EROFS). */
static bool writable(const char *path)
{
	char *copy = nrm_xstrdup(path);
	bool ok = access(path, W_OK) == 0 && access(dirname(copy), W_OK) == 0;
	free(copy);
	return ok;
}

int store_open_read(const char *path, struct store **out, struct nrm_error *err)
{
	bool absent = access(path, F_OK) != 0 && errno == ENOENT;
	return open_store(path, !absent && !writable(path), out, err);
}

bool store_is_read_only(const struct store *s)
{
	return s->read_only;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_tx)
		store_rollback(s);
	for (int i = 0; i < ST_N_STMTS; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s->strings);
	free(s->source_strings);
	free(s->contribs);
	free(s->blob);
	free(s);
}

/* After a failed transaction the WAL still holds every page it wrote (an
 * import that filled the disk leaves it at full size), and it shrinks only
 * when the last connection closes: a `run` keeps its own open while the
 * next job fails for want of space.  Truncating it gives the space back.
 * Best effort: a reader that holds frames keeps them until it is done. */
static void shrink_wal(struct store *s)
{
	if (!s->read_only && sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
}

int store_begin(struct store *s)
{
	if (store_exec(s, "BEGIN IMMEDIATE") != 0)
		return -1;
	s->in_tx = true;
	return 0;
}

int store_commit(struct store *s)
{
	if (store_exec(s, "COMMIT") != 0) {
		/* A full disk or an I/O error rolls the transaction back itself. */
		if (sqlite3_get_autocommit(s->db)) {
			s->in_tx = false;
			shrink_wal(s);
		}
		return -1;
	}
	s->in_tx = false;
	return 0;
}

void store_rollback(struct store *s)
{
	/* Statements left mid-step would keep the transaction's locks. */
	for (int i = 0; i < ST_N_STMTS; i++)
		if (s->stmt[i])
			sqlite3_reset(s->stmt[i]);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	shrink_wal(s);
}

/* ---- sources --------------------------------------------------------- */

/* Each part is length-prefixed, so ("ab", "c") and ("a", "bc") differ. */
static void hash_part(crypto_generichash_state *h, const char *text)
{
	uint64_t len = strlen(text);
	crypto_generichash_update(h, (const unsigned char *)&len, sizeof(len));
	crypto_generichash_update(h, (const unsigned char *)text, len);
}

int store_source_digest(struct store_source *src, int fd, struct nrm_error *err)
{
	if (sodium_init() < 0)
		return nrm_fail(err, EX_SOFTWARE, "libsodium could not be initialised");
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof(src->digest));
	hash_part(&h, src->plugin);
	hash_part(&h, src->options);
	enum { CHUNK = 1 << 16 };
	unsigned char *buf = nrm_xmalloc(CHUNK);
	for (;;) {
		ssize_t n = read(fd, buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return nrm_fail(err, EX_IOERR, "cannot read %s: %s", src->file,
			                strerror(errno));
		}
		if (n == 0)
			break;
		crypto_generichash_update(&h, buf, (size_t)n);
	}
	free(buf);
	crypto_generichash_final(&h, src->digest, sizeof(src->digest));
	return 0;
}

int store_source_add(struct store *s, const struct store_source *src, int64_t *id,
                     int64_t *previous_time)
{
	sqlite3_stmt *find = store_stmt(s, ST_SOURCE_FIND);
	sqlite3_stmt *ins = store_stmt(s, ST_SOURCE_INSERT);
	if (!find || !ins)
		return -1;
	sqlite3_bind_blob(find, 1, src->digest, sizeof(src->digest), SQLITE_STATIC);
	int rc = sqlite3_step(find);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(find, 0);
		*previous_time = sqlite3_column_int64(find, 1);
	}
	sqlite3_reset(find);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot look up a source");
	sqlite3_bind_text(ins, 1, src->plugin, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, src->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 3, src->options, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 4, src->digest, sizeof(src->digest), SQLITE_STATIC);
	sqlite3_bind_int64(ins, 5, src->imported_at);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return store_fail_sqlite(s, "cannot record a source");
	*id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* ---- bundle sequence numbers ----------------------------------------- */

int store_backup_now(struct store *s)
{
	return store_backup_make(s->db, s->path, &s->err);
}

int store_case_count(struct store *s, const char *site, int64_t *n)
{
	sqlite3_stmt *st;
	const char *sql = site ? "SELECT count(*) FROM nrm_case WHERE site = ?"
	                       : "SELECT count(*) FROM nrm_case";
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_fail_sqlite(s, "cannot count cases");
	if (site)
		sqlite3_bind_text(st, 1, site, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : store_fail_sqlite(s, "cannot count cases");
}

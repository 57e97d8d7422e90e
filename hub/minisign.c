/*
 * minisign's key and signature formats, with libsodium for every primitive:
 * Ed25519 (crypto_sign), BLAKE2b (crypto_generichash) and scrypt
 * (crypto_pwhash_scryptsalsa208sha256).  The layouts are minisign's own,
 * described in formats/bundle.md.
 */
#include "minisign.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "
#define COMMENT_LINE_MAX 1024 /* minisign's limit on an untrusted comment */

/* The secret key block, 158 bytes: algorithm ids, the scrypt salt and cost
 * (little-endian), then the part that is encrypted: key number, secret key
 * and the BLAKE2b-256 checksum of "Ed" || key number || secret key. */
enum {
	SK_SIG_ALG = 0,
	SK_KDF_ALG = 2,
	SK_CHK_ALG = 4,
	SK_SALT = 6,
	SK_OPSLIMIT = 38,
	SK_MEMLIMIT = 46,
	SK_KEYNUM = 54,
	SK_SK = 62,
	SK_CHK = 126,
	SK_BYTES = 158,
	SK_SECRET_BYTES = SK_BYTES - SK_KEYNUM,
	SK_CHK_BYTES = 32,
};
#define PK_BLOCK_BYTES (2 + NRM_MS_KEYNUM_BYTES + NRM_MS_PK_BYTES)
#define SIG_BLOCK_BYTES (2 + NRM_MS_KEYNUM_BYTES + NRM_MS_SIG_BYTES)

static void init_sodium(void)
{
	if (sodium_init() < 0) {
		fputs("nrmhub: libsodium cannot be initialised\n", stderr);
		exit(EX_SOFTWARE);
	}
}

void nrm_ms_keyid(const uint8_t keynum[NRM_MS_KEYNUM_BYTES], char out[17])
{
	static const char hex[] = "0123456789ABCDEF";
	for (int i = 0; i < NRM_MS_KEYNUM_BYTES; i++) {
		uint8_t b = keynum[NRM_MS_KEYNUM_BYTES - 1 - i];
		out[2 * i] = hex[b >> 4];
		out[2 * i + 1] = hex[b & 15];
	}
	out[16] = '\0';
}

void nrm_ms_keypair(struct nrm_ms_pubkey *pub, struct nrm_ms_seckey *sec)
{
	init_sodium();
	randombytes_buf(sec->keynum, sizeof(sec->keynum));
	crypto_sign_keypair(pub->pk, sec->sk);
	memcpy(pub->keynum, sec->keynum, sizeof(pub->keynum));
}

static char *base64(const uint8_t *bin, size_t len)
{
	size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
	char *s = nrm_xmalloc(n);
	sodium_bin2base64(s, n, bin, len, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

/* Decodes exactly `want` bytes from a whole line of base64. */
static bool unbase64(const char *text, size_t len, uint8_t *out, size_t want)
{
	size_t got = 0;
	const char *end = NULL;
	if (sodium_base642bin(out, want, text, len, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return false;
	return got == want && end == text + len;
}

static void le64_store(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le64_load(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* ---- reading files ----------------------------------------------------- */

struct lines {
	const char *text[4];
	size_t len[4];
	size_t count;
};

/* Splits a minisign file into exactly `want` LF-terminated lines (the last
 * line end may be missing).  Anything else is refused: CR line ends, NUL
 * bytes, fewer or more lines. */
static int split_lines(const char *text, size_t len, size_t want, const char *name,
                       const char *what, int code, struct lines *out, struct nrm_error *err)
{
	if (memchr(text, '\0', len))
		return nrm_fail(err, code, "%s: contains a NUL byte; not a %s", name, what);
	const char *cr = memchr(text, '\r', len);
	if (cr) {
		size_t line = 1;
		for (const char *p = text; p < cr; p++)
			line += *p == '\n';
		return nrm_fail(err, code,
		                "%s:%zu: CR (Windows) line ending; a %s has LF line endings only",
		                name, line, what);
	}
	out->count = 0;
	size_t pos = 0, total = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (total < want) {
			out->text[total] = text + pos;
			out->len[total] = end - pos;
		}
		total++;
		pos = nl ? end + 1 : len;
	}
	if (total > want)
		return nrm_fail(err, code, "%s: has %zu lines (extra lines after line %zu); a %s has "
		                "exactly %zu", name, total, want, what, want);
	if (total < want)
		return nrm_fail(err, code, "%s: is truncated: %zu lines, a %s has %zu", name, total,
		                what, want);
	out->count = total;
	return 0;
}

static bool has_prefix(const char *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && memcmp(text, prefix, n) == 0;
}

static int check_untrusted_line(const struct lines *l, size_t i, const char *name,
                                const char *what, int code, struct nrm_error *err)
{
	if (!has_prefix(l->text[i], l->len[i], UNTRUSTED_PREFIX))
		return nrm_fail(err, code, "%s:%zu: a %s's line %zu starts with \"%s\"", name, i + 1,
		                what, i + 1, UNTRUSTED_PREFIX);
	if (l->len[i] > COMMENT_LINE_MAX)
		return nrm_fail(err, code, "%s:%zu: untrusted comment longer than %d bytes", name,
		                i + 1, COMMENT_LINE_MAX);
	return 0;
}

int nrm_ms_read_file(const char *path, size_t max, char **out, size_t *len,
                     struct nrm_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return nrm_fail(err, EX_NOINPUT, "cannot read %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nrm_fail(err, EX_NOINPUT, "cannot read %s: not a regular file", path);
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return nrm_fail(err, EX_DATAERR, "%s: larger than %zu bytes", path, max);
	}
	char *buf = nrm_xmalloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			free(buf);
			close(fd);
			return nrm_fail(err, EX_IOERR, "reading %s: %s", path, strerror(e));
		}
		got += (size_t)n;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return 0;
}

void nrm_ms_free_secret(char *s)
{
	if (s) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
}

/* ---- public keys --------------------------------------------------------- */

char *nrm_ms_pubkey_format(const struct nrm_ms_pubkey *pub)
{
	uint8_t block[PK_BLOCK_BYTES];
	memcpy(block, "Ed", 2);
	memcpy(block + 2, pub->keynum, NRM_MS_KEYNUM_BYTES);
	memcpy(block + 2 + NRM_MS_KEYNUM_BYTES, pub->pk, NRM_MS_PK_BYTES);
	char id[17];
	nrm_ms_keyid(pub->keynum, id);
	char *b64 = base64(block, sizeof(block));
	char *text = nrm_xasprintf(UNTRUSTED_PREFIX "minisign public key %s\n%s\n", id, b64);
	free(b64);
	return text;
}

int nrm_ms_pubkey_parse(const char *text, size_t len, const char *name,
                        struct nrm_ms_pubkey *pub, struct nrm_error *err)
{
	static const char what[] = "minisign public key file";
	struct lines l;
	if (split_lines(text, len, 2, name, what, EX_DATAERR, &l, err) ||
	    check_untrusted_line(&l, 0, name, what, EX_DATAERR, err))
		return -1;
	uint8_t block[PK_BLOCK_BYTES];
	if (!unbase64(l.text[1], l.len[1], block, sizeof(block)))
		return nrm_fail(err, EX_DATAERR, "%s:2: not a public key: expected %d bytes in base64",
		                name, PK_BLOCK_BYTES);
	if (memcmp(block, "Ed", 2) != 0)
		return nrm_fail(err, EX_DATAERR, "%s:2: unknown key algorithm (only Ed25519, \"Ed\")",
		                name);
	memcpy(pub->keynum, block + 2, NRM_MS_KEYNUM_BYTES);
	memcpy(pub->pk, block + 2 + NRM_MS_KEYNUM_BYTES, NRM_MS_PK_BYTES);
	return 0;
}

int nrm_ms_pubkey_load(const char *path, struct nrm_ms_pubkey *pub, struct nrm_error *err)
{
	char *text;
	size_t len;
	if (nrm_ms_read_file(path, 4096, &text, &len, err))
		return -1;
	int rc = nrm_ms_pubkey_parse(text, len, path, pub, err);
	free(text);
	return rc;
}

/* ---- secret keys --------------------------------------------------------- */

static void seckey_checksum(const uint8_t *block, uint8_t out[SK_CHK_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, SK_CHK_BYTES);
	crypto_generichash_update(&st, block + SK_SIG_ALG, 2);
	crypto_generichash_update(&st, block + SK_KEYNUM, NRM_MS_KEYNUM_BYTES);
	crypto_generichash_update(&st, block + SK_SK, NRM_MS_SK_BYTES);
	crypto_generichash_final(&st, out, SK_CHK_BYTES);
}

/* XORs the secret part of the block with the scrypt stream of the password:
 * the same operation encrypts and decrypts. */
static int seckey_crypt(uint8_t *block, const char *password, size_t password_len,
                        const char *name, struct nrm_error *err)
{
	uint64_t ops = le64_load(block + SK_OPSLIMIT), mem = le64_load(block + SK_MEMLIMIT);
	/* The cost is read from the key file: one claiming more than minisign
	 * itself ever writes (its "sensitive" limits: 1 GiB) would make the
	 * hub spend that memory and time before finding the file bad. */
	if (mem > crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE ||
	    ops > crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE)
		return nrm_fail(err, EX_DATAERR, "%s: scrypt cost out of range (more than minisign "
		                "uses)", name);
	uint8_t *stream = sodium_malloc(SK_SECRET_BYTES);
	if (!stream)
		return nrm_fail(err, EX_OSERR, "out of memory for the key");
	int rc = crypto_pwhash_scryptsalsa208sha256(stream, SK_SECRET_BYTES, password,
	                                            password_len, block + SK_SALT, ops,
	                                            (size_t)mem);
	if (rc == 0)
		for (size_t i = 0; i < SK_SECRET_BYTES; i++)
			block[SK_KEYNUM + i] ^= stream[i];
	sodium_free(stream);
	if (rc != 0)
		return nrm_fail(err, EX_OSERR, "%s: scrypt failed (not enough memory for its cost?)",
		                name);
	return 0;
}

char *nrm_ms_seckey_format(const struct nrm_ms_seckey *sec, const char *password,
                           size_t password_len, struct nrm_error *err)
{
	init_sodium();
	uint8_t block[SK_BYTES] = {0};
	memcpy(block + SK_SIG_ALG, "Ed", 2);
	memcpy(block + SK_CHK_ALG, "B2", 2);
	memcpy(block + SK_KEYNUM, sec->keynum, NRM_MS_KEYNUM_BYTES);
	memcpy(block + SK_SK, sec->sk, NRM_MS_SK_BYTES);
	seckey_checksum(block, block + SK_CHK);
	const char *comment = "minisign secret key (not encrypted)";
	if (password) {
		/* minisign's own choice of cost: its "sensitive" scrypt limits. */
		memcpy(block + SK_KDF_ALG, "Sc", 2);
		randombytes_buf(block + SK_SALT, 32);
		le64_store(block + SK_OPSLIMIT, crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE);
		le64_store(block + SK_MEMLIMIT, crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE);
		if (seckey_crypt(block, password, password_len, "the new key", err)) {
			sodium_memzero(block, sizeof(block));
			return NULL;
		}
		comment = "minisign encrypted secret key";
	}
	char *b64 = base64(block, sizeof(block));
	sodium_memzero(block, sizeof(block));
	char *text = nrm_xasprintf(UNTRUSTED_PREFIX "%s\n%s\n", comment, b64);
	nrm_ms_free_secret(b64);
	return text;
}

/* The public half stored in a secret key must be the one its seed makes:
 * this catches a corrupt key even when it has no checksum. */
static bool seckey_consistent(const uint8_t *sk)
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	crypto_sign_seed_keypair(pk, sk2, sk);
	bool ok = sodium_memcmp(sk2, sk, crypto_sign_SECRETKEYBYTES) == 0;
	sodium_memzero(sk2, sizeof(sk2));
	return ok;
}

static int seckey_decode(const struct lines *l, const char *name, uint8_t *block,
                         struct nrm_error *err)
{
	if (!unbase64(l->text[1], l->len[1], block, SK_BYTES))
		return nrm_fail(err, EX_DATAERR, "%s:2: not a secret key: expected %d bytes in base64",
		                name, SK_BYTES);
	if (memcmp(block + SK_SIG_ALG, "Ed", 2) != 0)
		return nrm_fail(err, EX_DATAERR, "%s:2: unknown key algorithm (only Ed25519, \"Ed\")",
		                name);
	if (memcmp(block + SK_CHK_ALG, "B2", 2) != 0)
		return nrm_fail(err, EX_DATAERR, "%s:2: unknown checksum algorithm (only \"B2\")",
		                name);
	return 0;
}

int nrm_ms_seckey_parse(const char *text, size_t len, const char *name,
                        const char *password, size_t password_len,
                        struct nrm_ms_seckey *sec, struct nrm_error *err)
{
	init_sodium();
	static const char what[] = "minisign secret key file";
	struct lines l;
	if (split_lines(text, len, 2, name, what, EX_DATAERR, &l, err) ||
	    check_untrusted_line(&l, 0, name, what, EX_DATAERR, err))
		return -1;
	uint8_t block[SK_BYTES];
	int rc = seckey_decode(&l, name, block, err);
	bool encrypted = false;
	if (rc == 0 && memcmp(block + SK_KDF_ALG, "Sc", 2) == 0) {
		encrypted = true;
		if (!password)
			rc = nrm_fail(err, EX_NOPERM, "%s: the secret key is encrypted: give its "
			              "password with --password-file FILE", name);
		else
			rc = seckey_crypt(block, password, password_len, name, err);
	} else if (rc == 0 && memcmp(block + SK_KDF_ALG, "\0\0", 2) != 0) {
		rc = nrm_fail(err, EX_DATAERR, "%s:2: unknown key derivation (only scrypt, \"Sc\")",
		              name);
	}
	if (rc == 0) {
		uint8_t chk[SK_CHK_BYTES], zero[SK_CHK_BYTES] = {0};
		seckey_checksum(block, chk);
		/* `minisign -G -W` leaves the checksum of an unencrypted key empty. */
		bool unchecked = !encrypted && sodium_memcmp(block + SK_CHK, zero, SK_CHK_BYTES) == 0;
		if (!unchecked && sodium_memcmp(chk, block + SK_CHK, SK_CHK_BYTES) != 0)
			rc = nrm_fail(err, encrypted ? EX_NOPERM : EX_DATAERR,
			              encrypted ? "%s: wrong password for the secret key"
			                        : "%s: the secret key's checksum does not match: the "
			                          "file is corrupt", name);
		else if (!seckey_consistent(block + SK_SK))
			rc = nrm_fail(err, EX_DATAERR, "%s: the secret key is corrupt (its public half "
			              "does not match its seed)", name);
	}
	if (rc == 0) {
		memcpy(sec->keynum, block + SK_KEYNUM, NRM_MS_KEYNUM_BYTES);
		memcpy(sec->sk, block + SK_SK, NRM_MS_SK_BYTES);
	}
	sodium_memzero(block, sizeof(block));
	return rc;
}

int nrm_ms_seckey_load(const char *path, const char *password, size_t password_len,
                       struct nrm_ms_seckey *sec, struct nrm_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return nrm_fail(err, EX_NOINPUT, "cannot read the secret key %s: %s", path,
		                strerror(errno));
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return nrm_fail(err, EX_NOPERM,
		                "%s: the secret key can be read or written by group or others "
		                "(mode %04o); refusing to use it. Make it private with: chmod 600 %s",
		                path, (unsigned)(st.st_mode & 07777), path);
	char *text;
	size_t len;
	if (nrm_ms_read_file(path, 4096, &text, &len, err))
		return -1;
	int rc = nrm_ms_seckey_parse(text, len, path, password, password_len, sec, err);
	nrm_ms_free_secret(text);
	return rc;
}

int nrm_ms_password_load(const char *path, char **password, size_t *len,
                         struct nrm_error *err)
{
	char *text;
	size_t n;
	if (nrm_ms_read_file(path, NRM_MS_PASSWORD_MAX + 2, &text, &n, err))
		return -1;
	char *nl = memchr(text, '\n', n);
	if (nl)
		n = (size_t)(nl - text);
	if (n > 0 && text[n - 1] == '\r')
		n--;
	text[n] = '\0';
	if (n == 0 || strlen(text) != n) {
		nrm_ms_free_secret(text);
		return nrm_fail(err, EX_DATAERR, "%s: the password file's first line is empty or "
		                "holds a NUL byte", path);
	}
	if (n > NRM_MS_PASSWORD_MAX) {
		nrm_ms_free_secret(text);
		return nrm_fail(err, EX_DATAERR, "%s: a password has at most %d bytes", path,
		                NRM_MS_PASSWORD_MAX);
	}
	*password = text;
	*len = n;
	return 0;
}

/* ---- signatures ---------------------------------------------------------- */

void nrm_ms_hash(const void *data, size_t len, uint8_t out[NRM_MS_HASH_BYTES])
{
	init_sodium();
	crypto_generichash(out, NRM_MS_HASH_BYTES, data, len, NULL, 0);
}

char *nrm_ms_sign(const struct nrm_ms_seckey *sec, const uint8_t hash[NRM_MS_HASH_BYTES],
                  const char *untrusted_comment, const char *trusted_comment)
{
	init_sodium();
	uint8_t block[SIG_BLOCK_BYTES];
	memcpy(block, "ED", 2);
	memcpy(block + 2, sec->keynum, NRM_MS_KEYNUM_BYTES);
	uint8_t *sig = block + 2 + NRM_MS_KEYNUM_BYTES;
	crypto_sign_detached(sig, NULL, hash, NRM_MS_HASH_BYTES, sec->sk);

	size_t tc_len = strlen(trusted_comment);
	uint8_t *global_msg = nrm_xmalloc(NRM_MS_SIG_BYTES + tc_len);
	memcpy(global_msg, sig, NRM_MS_SIG_BYTES);
	memcpy(global_msg + NRM_MS_SIG_BYTES, trusted_comment, tc_len);
	uint8_t global_sig[NRM_MS_SIG_BYTES];
	crypto_sign_detached(global_sig, NULL, global_msg, NRM_MS_SIG_BYTES + tc_len, sec->sk);
	free(global_msg);

	char *b64_sig = base64(block, sizeof(block));
	char *b64_global = base64(global_sig, sizeof(global_sig));
	char *text = nrm_xasprintf(UNTRUSTED_PREFIX "%s\n%s\n" TRUSTED_PREFIX "%s\n%s\n",
	                           untrusted_comment, b64_sig, trusted_comment, b64_global);
	free(b64_sig);
	free(b64_global);
	return text;
}

int nrm_ms_signature_parse(const char *text, size_t len, const char *name,
                           struct nrm_ms_signature *sig, struct nrm_error *err)
{
	static const char what[] = "minisign signature file";
	memset(sig, 0, sizeof(*sig));
	struct lines l;
	if (split_lines(text, len, 4, name, what, EX_NOPERM, &l, err) ||
	    check_untrusted_line(&l, 0, name, what, EX_NOPERM, err))
		return -1;
	uint8_t block[SIG_BLOCK_BYTES];
	if (!unbase64(l.text[1], l.len[1], block, sizeof(block)))
		return nrm_fail(err, EX_NOPERM, "%s:2: not a signature: expected %d bytes in base64",
		                name, SIG_BLOCK_BYTES);
	if (memcmp(block, "Ed", 2) == 0)
		return nrm_fail(err, EX_NOPERM, "%s:2: legacy \"Ed\" signature (over the whole file) "
		                "refused: only the hashed \"ED\" algorithm is accepted", name);
	if (memcmp(block, "ED", 2) != 0)
		return nrm_fail(err, EX_NOPERM, "%s:2: unknown signature algorithm (only \"ED\")",
		                name);
	if (!has_prefix(l.text[2], l.len[2], TRUSTED_PREFIX))
		return nrm_fail(err, EX_NOPERM, "%s:3: a signature's line 3 starts with \"%s\"", name,
		                TRUSTED_PREFIX);
	size_t tc_len = l.len[2] - strlen(TRUSTED_PREFIX);
	if (tc_len > NRM_MS_TRUSTED_COMMENT_MAX)
		return nrm_fail(err, EX_NOPERM, "%s:3: trusted comment longer than %d bytes", name,
		                NRM_MS_TRUSTED_COMMENT_MAX);
	if (!unbase64(l.text[3], l.len[3], sig->global_sig, NRM_MS_SIG_BYTES))
		return nrm_fail(err, EX_NOPERM, "%s:4: not a global signature: expected %d bytes in "
		                "base64", name, NRM_MS_SIG_BYTES);
	memcpy(sig->keynum, block + 2, NRM_MS_KEYNUM_BYTES);
	memcpy(sig->sig, block + 2 + NRM_MS_KEYNUM_BYTES, NRM_MS_SIG_BYTES);
	sig->trusted_comment = nrm_xmalloc(tc_len + 1);
	memcpy(sig->trusted_comment, l.text[2] + strlen(TRUSTED_PREFIX), tc_len);
	sig->trusted_comment[tc_len] = '\0';
	sig->trusted_comment_len = tc_len;
	return 0;
}

void nrm_ms_signature_free(struct nrm_ms_signature *sig)
{
	free(sig->trusted_comment);
	sig->trusted_comment = NULL;
}

int nrm_ms_verify(const struct nrm_ms_signature *sig, const struct nrm_ms_pubkey *pub,
                  const uint8_t hash[NRM_MS_HASH_BYTES], const char *name,
                  struct nrm_error *err)
{
	init_sodium();
	char want[17], got[17];
	nrm_ms_keyid(pub->keynum, want);
	nrm_ms_keyid(sig->keynum, got);
	if (memcmp(sig->keynum, pub->keynum, NRM_MS_KEYNUM_BYTES) != 0)
		return nrm_fail(err, EX_NOPERM, "%s: signed with key ID %s, not with key ID %s", name,
		                got, want);
	if (crypto_sign_verify_detached(sig->sig, hash, NRM_MS_HASH_BYTES, pub->pk) != 0)
		return nrm_fail(err, EX_NOPERM, "%s: the signature does not match the archive "
		                "(altered, or signed for another file)", name);
	size_t n = NRM_MS_SIG_BYTES + sig->trusted_comment_len;
	uint8_t *msg = nrm_xmalloc(n);
	memcpy(msg, sig->sig, NRM_MS_SIG_BYTES);
	memcpy(msg + NRM_MS_SIG_BYTES, sig->trusted_comment, sig->trusted_comment_len);
	int rc = crypto_sign_verify_detached(sig->global_sig, msg, n, pub->pk);
	free(msg);
	if (rc != 0)
		return nrm_fail(err, EX_NOPERM, "%s: the global signature does not match the trusted "
		                "comment (the comment was altered)", name);
	return 0;
}

/*
 * Delivery: see deliver.h.  This file checks the request, picks the
 * transport by the URL's scheme, retries, and keeps the receipt; the
 * transports are deliver_curl.c (https, sftp) and deliver_drop.c (file).
 */
#include "deliver.h"

#include "deliver_attempt.h"
#include "util.h"

#include <curl/curl.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

void nrm_deliver_opts_init(struct nrm_deliver_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->retry = nrm_retry_default();
}

const char *nrm_delivery_status_name(enum nrm_delivery_status status)
{
	switch (status) {
	case NRM_DELIVERED: return "delivered";
	case NRM_DELIVERY_PENDING: return "pending";
	case NRM_DELIVERY_REFUSED: return "refused";
	}
	return "unknown";
}

void nrm_delivery_say(struct nrm_delivery *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->receipt->message, sizeof(d->receipt->message), fmt, ap);
	va_end(ap);
}

/* ---- reading the file -------------------------------------------------- */

int nrm_delivery_rewind(struct nrm_delivery *d)
{
	if (lseek(d->fd, 0, SEEK_SET) != 0)
		return -1;
	crypto_hash_sha256_init(&d->hash);
	d->sent = 0;
	return 0;
}

ssize_t nrm_delivery_read(struct nrm_delivery *d, void *buf, size_t n)
{
	ssize_t got;
	do
		got = read(d->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got > 0) {
		crypto_hash_sha256_update(&d->hash, buf, (unsigned long long)got);
		d->sent += (uint64_t)got;
	}
	return got;
}

void nrm_delivery_seal(struct nrm_delivery *d)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&d->hash, digest);
	sodium_bin2hex(d->receipt->sha256, sizeof(d->receipt->sha256), digest, sizeof(digest));
	d->receipt->bytes = d->sent;
}

/* ---- checking the request ---------------------------------------------- */

/* Secret keys must be the owner's alone. */
static int check_private_file(const char *what, const char *path, struct nrm_error *err)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return nrm_fail(err, EX_NOINPUT, "%s %s: %s", what, path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return nrm_fail(err, EX_NOINPUT, "%s %s is not a regular file", what, path);
	if (st.st_mode & 077)
		return nrm_fail(err, EX_NOPERM,
		                "%s %s can be read by others (mode %04o): chmod 600 it",
		                what, path, (unsigned)(st.st_mode & 07777));
	return 0;
}

static int check_readable(const char *what, const char *path, struct nrm_error *err)
{
	if (access(path, R_OK) != 0)
		return nrm_fail(err, EX_NOINPUT, "%s %s: %s", what, path, strerror(errno));
	return 0;
}

/* The URL's parts; refuses what delivery does not do. */
static int parse_target(struct nrm_delivery *d, const char *url, char **scheme,
                        struct nrm_error *err)
{
	CURLU *u = curl_url();
	if (!u)
		return nrm_fail(err, EX_OSERR, "out of memory");
	int rc = -1;
	char *s = NULL, *pass = NULL, *path = NULL, *host = NULL, *user = NULL;
	/* GUESS_SCHEME off: a URL without a scheme is an error, not http. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
		nrm_fail(err, EX_USAGE, "'%s' is not a URL (expected https://, sftp:// or file://)", url);
		goto out;
	}
	curl_url_get(u, CURLUPART_SCHEME, &s, 0);
	if (!s || (strcmp(s, "https") != 0 && strcmp(s, "sftp") != 0 && strcmp(s, "file") != 0)) {
		nrm_fail(err, EX_USAGE, "cannot deliver to %s:// (expected https://, sftp:// or file://)",
		         s ? s : "?");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK && pass) {
		nrm_fail(err, EX_USAGE, "a password in the URL is not accepted: use a key "
		                        "(--ssh-key) or a client certificate (--cert)");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK || !path ||
	    !*path || strlen(path) != strcspn(path, "\n\r")) {
		nrm_fail(err, EX_USAGE, "'%s' has no usable path", url);
		goto out;
	}
	if (strcmp(s, "sftp") == 0 &&
	    (curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK || !user || !*user)) {
		nrm_fail(err, EX_USAGE, "sftp:// needs a user name: sftp://USER@HOST/PATH");
		goto out;
	}
	if (strcmp(s, "file") == 0 && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    host && *host && strcmp(host, "localhost") != 0) {
		nrm_fail(err, EX_USAGE, "file:// URLs name a folder on this machine, not on %s", host);
		goto out;
	}
	bool folder = path[strlen(path) - 1] == '/';
	if (folder) {
		char *joined = nrm_xasprintf("%s%s", path, d->name);
		curl_url_set(u, CURLUPART_PATH, joined, CURLU_URLENCODE);
		d->remote_path = joined;
	} else
		d->remote_path = nrm_xstrdup(path);
	char *full = NULL;
	curl_url_get(u, CURLUPART_URL, &full, 0);
	d->target_url = nrm_xstrdup(full ? full : url);
	curl_free(full);
	*scheme = nrm_xstrdup(s);
	rc = 0;
out:
	curl_free(s);
	curl_free(pass);
	curl_free(path);
	curl_free(host);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

static bool curl_speaks(const char *protocol)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	for (const char *const *p = v->protocols; p && *p; p++)
		if (strcmp(*p, protocol) == 0)
			return true;
	return false;
}

static int check_options(const char *scheme, const struct nrm_deliver_opts *o,
                         struct nrm_error *err)
{
	if (strcmp(scheme, "file") != 0 && !curl_speaks(scheme))
		return nrm_fail(err, EX_UNAVAILABLE,
		                "this libcurl cannot do %s:// (Debian's libcurl4-openssl-dev "
		                "can: it is built with OpenSSL and libssh2)", scheme);
	if (nrm_retry_check(&o->retry, err) != 0)
		return -1;
	bool https = strcmp(scheme, "https") == 0, sftp = strcmp(scheme, "sftp") == 0;
	if (!https && (o->ca_file || o->cert_file || o->key_file))
		return nrm_fail(err, EX_USAGE, "--ca-file, --cert and --key are for https:// only");
	if (!sftp && (o->ssh_key_file || o->known_hosts))
		return nrm_fail(err, EX_USAGE, "--ssh-key and --known-hosts are for sftp:// only");
	if (https) {
		if ((o->cert_file != NULL) != (o->key_file != NULL))
			return nrm_fail(err, EX_USAGE, "a client certificate needs both --cert and --key");
		if ((o->ca_file && check_readable("CA file", o->ca_file, err) != 0) ||
		    (o->cert_file && check_readable("certificate", o->cert_file, err) != 0) ||
		    (o->key_file && check_private_file("key", o->key_file, err) != 0))
			return -1;
	}
	if (sftp) {
		if (!o->ssh_key_file || !o->known_hosts)
			return nrm_fail(err, EX_USAGE,
			                "sftp:// needs --ssh-key and --known-hosts (the receiver's "
			                "host key is always checked)");
		if (check_private_file("SSH key", o->ssh_key_file, err) != 0 ||
		    check_readable("known_hosts file", o->known_hosts, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- sending ----------------------------------------------------------- */

static void init_curl_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static int open_source(struct nrm_delivery *d, struct nrm_error *err)
{
	d->fd = open(d->path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0)
		return nrm_fail(err, EX_NOINPUT, "cannot read %s: %s", d->path, strerror(errno));
	struct stat st;
	if (fstat(d->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(d->fd);
		d->fd = -1;
		return nrm_fail(err, EX_NOINPUT, "%s is not a regular file", d->path);
	}
	d->size = (uint64_t)st.st_size;
	return 0;
}

static enum nrm_attempt attempt(struct nrm_delivery *d, const char *scheme)
{
	if (nrm_delivery_rewind(d) != 0) {
		nrm_delivery_say(d, "cannot read %s again: %s", d->path, strerror(errno));
		return NRM_ATTEMPT_REFUSED;
	}
	if (strcmp(scheme, "https") == 0)
		return nrm_deliver_https(d);
	if (strcmp(scheme, "sftp") == 0)
		return nrm_deliver_sftp(d);
	return nrm_deliver_drop(d);
}

static int retry_loop(struct nrm_delivery *d, const char *scheme, struct nrm_error *err)
{
	struct nrm_receipt *r = d->receipt;
	const struct nrm_retry_policy *p = &d->opts->retry;
	for (unsigned n = 1;; n++) {
		r->message[0] = '\0';
		r->response_code = 0;
		enum nrm_attempt a = attempt(d, scheme);
		r->attempts = n;
		r->time = time(NULL);
		if (a == NRM_ATTEMPT_OK) {
			r->status = NRM_DELIVERED;
			r->message[0] = '\0';
			return 0;
		}
		if (a == NRM_ATTEMPT_REFUSED) {
			r->status = NRM_DELIVERY_REFUSED;
			return nrm_fail(err, d->refusal_code ? d->refusal_code : EX_PROTOCOL,
			                "%s: refused: %s", d->target_url, r->message);
		}
		if (n >= p->attempts) {
			r->status = NRM_DELIVERY_PENDING;
			return nrm_fail(err, EX_TEMPFAIL, "%s: pending after %u attempt%s: %s",
			                d->target_url, n, n == 1 ? "" : "s", r->message);
		}
		nrm_retry_sleep_ms(nrm_retry_delay_ms(p, n, randombytes_random()));
	}
}

int nrm_deliver_file(const char *path, const char *url, const struct nrm_deliver_opts *opts,
                     struct nrm_receipt *receipt, struct nrm_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	memset(receipt, 0, sizeof(*receipt));
	receipt->status = NRM_DELIVERY_REFUSED;
	if (sodium_init() < 0)
		return nrm_fail(err, EX_SOFTWARE, "libsodium could not start");
	pthread_once(&once, init_curl_once);
	char *pcopy = nrm_xstrdup(path);
	struct nrm_delivery d = {.path = path, .name = NULL, .fd = -1, .opts = opts,
	                         .receipt = receipt};
	char *name = nrm_xstrdup(basename(pcopy));
	d.name = name;
	char *scheme = NULL;
	int rc = -1;
	if (parse_target(&d, url, &scheme, err) != 0 || check_options(scheme, opts, err) != 0 ||
	    open_source(&d, err) != 0)
		goto out;
	receipt->url = nrm_xstrdup(d.target_url);
	rc = retry_loop(&d, scheme, err);
out:
	if (d.fd >= 0)
		close(d.fd);
	free(scheme);
	free(d.target_url);
	free(d.remote_path);
	free(name);
	free(pcopy);
	return rc;
}

int nrm_deliver_probe(const char *url, const struct nrm_deliver_opts *opts,
                      struct nrm_error *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, init_curl_once);
	struct nrm_receipt receipt = {0};
	struct nrm_delivery d = {.name = "nrmhub-probe", .fd = -1, .opts = opts,
	                         .receipt = &receipt, .probe = true};
	char *scheme = NULL;
	int rc = parse_target(&d, url, &scheme, err);
	if (rc == 0)
		rc = check_options(scheme, opts, err);
	if (rc == 0 && strcmp(scheme, "https") == 0) {
		/* HEAD the URL as configured (a folder, not a file in it). */
		free(d.target_url);
		d.target_url = nrm_xstrdup(url);
	}
	if (rc == 0) {
		enum nrm_attempt a = strcmp(scheme, "https") == 0  ? nrm_deliver_https(&d)
		                     : strcmp(scheme, "sftp") == 0 ? nrm_deliver_sftp(&d)
		                                                   : nrm_deliver_drop(&d);
		if (a != NRM_ATTEMPT_OK)
			rc = nrm_fail(err, a == NRM_ATTEMPT_TEMPORARY ? EX_UNAVAILABLE
			                   : d.refusal_code             ? d.refusal_code
			                                                : EX_NOPERM,
			              "%s: %s", url, receipt.message);
	}
	free(scheme);
	free(d.target_url);
	free(d.remote_path);
	nrm_receipt_free(&receipt);
	return rc;
}

void nrm_receipt_free(struct nrm_receipt *receipt)
{
	free(receipt->url);
	free(receipt->response_headers);
	receipt->url = receipt->response_headers = NULL;
}

static json_t *header_lines(const char *headers)
{
	json_t *a = json_array();
	for (const char *p = headers; p && *p;) {
		size_t len = strcspn(p, "\r\n");
		/* A receiver's bytes are not trusted to be UTF-8. */
		if (len > 0)
			json_array_append_new(a, nrm_utf8_valid(p, len) ? json_stringn(p, len)
			                                                : json_string("(not UTF-8)"));
		p += len;
		p += strspn(p, "\r\n");
	}
	return a;
}

json_t *nrm_receipt_to_json(const struct nrm_receipt *r)
{
	char when[32] = "";
	struct tm tm;
	if (r->time && gmtime_r(&r->time, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *o = json_object();
	json_object_set_new(o, "status", json_string(nrm_delivery_status_name(r->status)));
	json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
	json_object_set_new(o, "time", when[0] ? json_string(when) : json_null());
	json_object_set_new(o, "sha256", r->sha256[0] ? json_string(r->sha256) : json_null());
	json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes));
	json_object_set_new(o, "attempts", json_integer(r->attempts));
	json_object_set_new(o, "response_code",
	                    r->response_code ? json_integer(r->response_code) : json_null());
	json_object_set_new(o, "response_headers",
	                    r->response_headers ? header_lines(r->response_headers) : json_null());
	json_object_set_new(o, "message", r->message[0] ? json_string(r->message) : json_null());
	return o;
}

/*
 * Delivery over the network with libcurl: HTTPS PUT and SFTP upload.
 * Certificate and host key checks are always on; there is deliberately no
 * option to turn them off.
 */
#include "deliver_attempt.h"

#include "util.h"

#include <curl/curl.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

#define MAX_HEADER_BYTES (64 * 1024)

/* ---- what a failure means ---------------------------------------------- */

/* Failures a retry cannot mend: trust, identity, permission, a wrong URL.
 * Anything else (connections refused or cut, timeouts) is temporary. */
static bool curl_refusal(CURLcode c)
{
	switch (c) {
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_USE_SSL_FAILED:
	case CURLE_LOGIN_DENIED:
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_REMOTE_FILE_NOT_FOUND:
	case CURLE_QUOTE_ERROR:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_REMOTE_DISK_FULL:
		return true;
	default:
		return false;
	}
}

/* 408 Request Timeout, 425 Too Early, 429 Too Many Requests and 5xx are
 * the receiver's passing trouble; other codes are its answer. */
static bool http_temporary(long code)
{
	return code == 408 || code == 425 || code == 429 || code >= 500;
}

/* ---- callbacks --------------------------------------------------------- */

struct transfer {
	struct nrm_delivery *d;
	char *headers;
	size_t headers_len;
	bool read_failed;
};

static size_t cb_deliver_read(char *buf, size_t size, size_t n, void *ud)
{
	struct transfer *t = ud;
	ssize_t got = nrm_delivery_read(t->d, buf, size * n);
	if (got < 0) {
		t->read_failed = true;
		return CURL_READFUNC_ABORT;
	}
	return (size_t)got;
}

/* libcurl rewinds when it must send the body again (e.g. after a 100
 * Continue exchange): start the hash again too. */
static int cb_deliver_seek(void *ud, curl_off_t offset, int origin)
{
	struct transfer *t = ud;
	if (offset != 0 || origin != SEEK_SET || nrm_delivery_rewind(t->d) != 0)
		return CURL_SEEKFUNC_CANTSEEK;
	return CURL_SEEKFUNC_OK;
}

/* Keeps the header block of the last response only (a "100 Continue"
 * block comes first), within a bound: the receiver is not trusted. */
static size_t cb_deliver_header(char *buf, size_t size, size_t n, void *ud)
{
	struct transfer *t = ud;
	size_t len = size * n;
	if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0)
		t->headers_len = 0;
	if (t->headers_len + len <= MAX_HEADER_BYTES) {
		t->headers = nrm_xrealloc(t->headers, t->headers_len + len + 1);
		memcpy(t->headers + t->headers_len, buf, len);
		t->headers_len += len;
		t->headers[t->headers_len] = '\0';
	}
	return len;
}

/* The response body is not kept: a receipt is the status and headers. */
static size_t cb_deliver_discard(char *buf, size_t size, size_t n, void *ud)
{
	return size * n;
}

/* sftp: only a key that matches known_hosts is accepted; the reason is
 * kept so that the message can say "changed" rather than just "failed". */
static int cb_deliver_hostkey(CURL *curl, const struct curl_khkey *known,
                              const struct curl_khkey *found, enum curl_khmatch match,
                              void *ud)
{
	struct transfer *t = ud;
	if (match == CURLKHMATCH_OK)
		return CURLKHSTAT_FINE;
	if (match == CURLKHMATCH_MISMATCH)
		nrm_delivery_say(t->d,
		                 "the receiver's SSH host key has CHANGED since it was recorded in "
		                 "%s: refused (if the receiver really changed its key, confirm the "
		                 "new fingerprint with them and update that file)",
		                 t->d->opts->known_hosts);
	else
		nrm_delivery_say(t->d, "the receiver is not in %s: refused (add its host key, "
		                       "checked with the receiver, to that file)",
		                 t->d->opts->known_hosts);
	return CURLKHSTAT_REJECT;
}

/* ---- common setup ------------------------------------------------------ */

static CURL *start(struct transfer *t, const char *url, const char *protocol, char *errbuf)
{
	const struct nrm_deliver_opts *o = t->d->opts;
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocol);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "nrmhub/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
	                 o->connect_timeout_s > 0 ? o->connect_timeout_s : 30L);
	/* A stalled receiver is dropped rather than waited on for ever. */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, o->stall_timeout_s > 0 ? o->stall_timeout_s : 120L);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)t->d->size);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, cb_deliver_read);
	curl_easy_setopt(c, CURLOPT_READDATA, t);
	curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, cb_deliver_seek);
	curl_easy_setopt(c, CURLOPT_SEEKDATA, t);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, cb_deliver_discard);
	return c;
}

static enum nrm_attempt failed(struct transfer *t, CURLcode rc, const char *errbuf)
{
	if (t->read_failed) {
		nrm_delivery_say(t->d, "cannot read %s", t->d->path);
		return NRM_ATTEMPT_REFUSED;
	}
	/* The host key callback has said it better already. */
	if (t->d->receipt->message[0] == '\0')
		nrm_delivery_say(t->d, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	return curl_refusal(rc) ? NRM_ATTEMPT_REFUSED : NRM_ATTEMPT_TEMPORARY;
}

/* ---- https ------------------------------------------------------------- */

/* A probe's HEAD: an answer means the connection and TLS (with the client
 * certificate) work, unless it asks for credentials or rejects the
 * certificate (nginx answers 400, 495 or 496 then) or cannot serve now.
 * An upload folder may well not serve HEAD (403, 404, 405): fine, for
 * uploads are PUTs. */
static enum nrm_attempt probe_answer(struct nrm_delivery *d, long code)
{
	if (code == 400 || code == 401 || code == 407 || code == 495 || code == 496) {
		nrm_delivery_say(d, "the receiver refused our request or credentials (HTTP %ld)",
		                 code);
		return NRM_ATTEMPT_REFUSED;
	}
	if (http_temporary(code)) {
		nrm_delivery_say(d, "the receiver answered HTTP %ld: not ready now", code);
		return NRM_ATTEMPT_TEMPORARY;
	}
	return NRM_ATTEMPT_OK;
}

enum nrm_attempt nrm_deliver_https(struct nrm_delivery *d)
{
	const struct nrm_deliver_opts *o = d->opts;
	struct transfer t = {.d = d};
	char errbuf[CURL_ERROR_SIZE];
	CURL *c = start(&t, d->target_url, "https", errbuf);
	if (!c) {
		nrm_delivery_say(d, "libcurl could not start");
		return NRM_ATTEMPT_TEMPORARY;
	}
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->cert_file) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, o->cert_file);
		curl_easy_setopt(c, CURLOPT_SSLKEY, o->key_file);
	}
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, cb_deliver_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/octet-stream");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (d->probe) {
		/* The same connection and credentials, and nothing sent. */
		curl_easy_setopt(c, CURLOPT_UPLOAD, 0L);
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	}

	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	d->receipt->response_code = code;
	free(d->receipt->response_headers);
	d->receipt->response_headers = t.headers;
	if (rc != CURLE_OK)
		return failed(&t, rc, errbuf);
	if (d->probe)
		return probe_answer(d, code);
	nrm_delivery_seal(d);
	if (code >= 200 && code < 300)
		return NRM_ATTEMPT_OK;
	nrm_delivery_say(d, "the receiver answered HTTP %ld", code);
	return http_temporary(code) ? NRM_ATTEMPT_TEMPORARY : NRM_ATTEMPT_REFUSED;
}

/* ---- sftp -------------------------------------------------------------- */

/* A path as one argument of an SFTP quote command. */
static char *quoted(const char *path)
{
	size_t n = strlen(path);
	char *q = nrm_xmalloc(2 * n + 3), *p = q;
	*p++ = '"';
	for (const char *s = path; *s; s++) {
		if (*s == '"' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '"';
	*p = '\0';
	return q;
}

/* The URL of the temporary name the file is uploaded under. */
static char *temporary_url(struct nrm_delivery *d, char **tmp_path)
{
	char *dcopy = nrm_xstrdup(d->remote_path), *bcopy = nrm_xstrdup(d->remote_path);
	*tmp_path = nrm_xasprintf("%s/.%s.part", dirname(dcopy), basename(bcopy));
	free(dcopy);
	free(bcopy);
	CURLU *u = curl_url();
	char *url = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, d->target_url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PATH, *tmp_path, CURLU_URLENCODE) == CURLUE_OK) {
		char *s = NULL;
		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
			url = nrm_xstrdup(s);
		curl_free(s);
	}
	curl_url_cleanup(u);
	return url;
}

/* The SFTP commands after the upload: renamed into place only once
 * complete; an older copy under the final name is removed first ('*': no
 * error when there is none), because SFTP's rename does not replace. */
static struct curl_slist *rename_into_place(const char *tmp_path, const char *final)
{
	char *qtmp = quoted(tmp_path), *qfinal = quoted(final);
	char *rm = nrm_xasprintf("*rm %s", qfinal);
	char *mv = nrm_xasprintf("rename %s %s", qtmp, qfinal);
	struct curl_slist *post = curl_slist_append(NULL, rm);
	post = curl_slist_append(post, mv);
	free(rm);
	free(mv);
	free(qtmp);
	free(qfinal);
	return post;
}

/* The URL of the folder the file goes into, with its trailing slash. */
static char *folder_url(struct nrm_delivery *d)
{
	char *dcopy = nrm_xstrdup(d->remote_path);
	char *folder = nrm_xasprintf("%s/", dirname(dcopy));
	free(dcopy);
	CURLU *u = curl_url();
	char *url = NULL, *s = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, d->target_url, 0) == CURLUE_OK &&
	    curl_url_set(u, CURLUPART_PATH, folder, CURLU_URLENCODE) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK)
		url = nrm_xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	free(folder);
	return url;
}

enum nrm_attempt nrm_deliver_sftp(struct nrm_delivery *d)
{
	const struct nrm_deliver_opts *o = d->opts;
	struct transfer t = {.d = d};
	char errbuf[CURL_ERROR_SIZE];
	char *tmp_path = NULL;
	/* A probe logs in and looks at the folder, and writes nothing. */
	char *url = d->probe ? folder_url(d) : temporary_url(d, &tmp_path);
	CURL *c = url ? start(&t, url, "sftp", errbuf) : NULL;
	if (!c) {
		nrm_delivery_say(d, "cannot prepare the upload to %s", d->target_url);
		free(url);
		free(tmp_path);
		return NRM_ATTEMPT_REFUSED;
	}
	curl_easy_setopt(c, CURLOPT_SSH_AUTH_TYPES, (long)CURLSSH_AUTH_PUBLICKEY);
	curl_easy_setopt(c, CURLOPT_SSH_PRIVATE_KEYFILE, o->ssh_key_file);
	char *pub = nrm_xasprintf("%s.pub", o->ssh_key_file);
	/* "" asks libssh2 to work the public key out from the private one. */
	curl_easy_setopt(c, CURLOPT_SSH_PUBLIC_KEYFILE, access(pub, R_OK) == 0 ? pub : "");
	curl_easy_setopt(c, CURLOPT_SSH_KNOWNHOSTS, o->known_hosts);
	curl_easy_setopt(c, CURLOPT_SSH_KEYFUNCTION, cb_deliver_hostkey);
	curl_easy_setopt(c, CURLOPT_SSH_KEYDATA, &t);
	if (d->probe) {
		curl_easy_setopt(c, CURLOPT_UPLOAD, 0L);
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	}
	struct curl_slist *post = d->probe ? NULL : rename_into_place(tmp_path, d->remote_path);
	if (post)
		curl_easy_setopt(c, CURLOPT_POSTQUOTE, post);

	CURLcode rc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	curl_slist_free_all(post);
	free(pub);
	free(url);
	free(tmp_path);
	if (rc != CURLE_OK)
		return failed(&t, rc, errbuf);
	if (!d->probe)
		nrm_delivery_seal(d);
	return NRM_ATTEMPT_OK;
}

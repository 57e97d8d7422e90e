/*
 * The return a site last sent for a quarter (return_sent.h), lifted from
 * `return review` so that review and `return build` agree on it.
 */
#include "return_sent.h"

#include "bundle.h"
#include "bundle_peek.h"
#include "util.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A bundle's return.json, read out of its archive. */
#define RETURN_MAX (64 * 1024 * 1024)

unsigned long nrm_sent_bundle_seq(const char *name, const char *prefix)
{
	size_t n = strlen(name), k = strlen(prefix);
	if (n <= k + 7 || strncmp(name, prefix, k) != 0 || strcmp(name + n - 7, ".tar.gz") != 0)
		return 0;
	unsigned long seq = 0;
	for (size_t i = k; i < n - 7; i++) {
		if (name[i] < '0' || name[i] > '9' || seq > NRM_BUNDLE_SEQ_MAX)
			return 0;
		seq = seq * 10 + (unsigned long)(name[i] - '0');
	}
	return seq;
}

json_t *nrm_sent_delivery_of(const json_t *deliveries, const char *path)
{
	size_t i;
	json_t *d, *found = NULL;
	json_array_foreach(deliveries, i, d) {
		const char *item = json_string_value(json_object_get(d, "item"));
		if (!item || strcmp(item, path) != 0)
			continue;
		if (!found || strcmp(json_string_value(json_object_get(d, "state")), "delivered") == 0)
			found = d;
	}
	return found ? json_pack("{s:O, s:O}", "state", json_object_get(found, "state"), "target",
	                         json_object_get(found, "target"))
	             : NULL;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The newest so far of each kind: [0] delivered, [1] made (outbox only). */
struct best {
	char *path[2];
	unsigned long seq[2];
	const char *prefix, *audience;
};

static void consider(struct best *b, const char *path, bool delivered)
{
	unsigned long seq = nrm_sent_bundle_seq(base_name(path), b->prefix);
	if (seq == 0 || (seq <= b->seq[0] && seq <= b->seq[1]))
		return;
	char aud[16];
	struct nrm_error err;
	struct stat st;
	if (stat(path, &st) != 0 || nrm_bundle_audience(path, aud, &err) != 0 ||
	    strcmp(aud, b->audience) != 0)
		return;
	for (int k = 0; k < 2; k++)
		if (seq > b->seq[k] && (k == 1 || delivered)) {
			free(b->path[k]);
			b->path[k] = nrm_xstrdup(path);
			b->seq[k] = seq;
		}
}

static bool is_delivered(const json_t *deliveries, const char *path)
{
	json_t *where = nrm_sent_delivery_of(deliveries, path);
	bool yes = where && strcmp(json_string_value(json_object_get(where, "state")),
	                           "delivered") == 0;
	json_decref(where);
	return yes;
}

static void scan_outbox(struct best *b, const char *outbox, const json_t *deliveries)
{
	DIR *d = opendir(outbox);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (nrm_sent_bundle_seq(e->d_name, b->prefix) == 0)
			continue;
		char *path = nrm_xasprintf("%s/%s", outbox, e->d_name);
		consider(b, path, is_delivered(deliveries, path));
		free(path);
	}
	if (d)
		closedir(d);
}

static void scan_ledger(struct best *b, const json_t *deliveries)
{
	size_t i;
	json_t *d;
	json_array_foreach(deliveries, i, d) {
		const char *item = json_string_value(json_object_get(d, "item"));
		const char *state = json_string_value(json_object_get(d, "state"));
		if (item && state && strcmp(state, "delivered") == 0)
			consider(b, item, true);
	}
}

static json_t *read_return(const char *bundle)
{
	char *text;
	size_t len;
	struct nrm_error err;
	if (nrm_bundle_peek(bundle, "data/return.json", RETURN_MAX, &text, &len, &err) != 0)
		return NULL;
	json_t *ret = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	return ret;
}

void nrm_return_last_sent(const json_t *deliveries, const char *outbox, const char *site,
                          const char *quarter, const char *audience, struct nrm_sent *out)
{
	memset(out, 0, sizeof(*out));
	char *prefix = nrm_xasprintf("%s_%s_", site, quarter);
	struct best b = {.prefix = prefix, .audience = audience};
	scan_ledger(&b, deliveries);
	if (outbox) /* only here does a bundle made but not delivered count */
		scan_outbox(&b, outbox, deliveries);
	int k = b.path[0] ? 0 : 1;
	free(b.path[1 - k]);
	free(prefix);
	if (!b.path[k])
		return;
	out->ret = read_return(b.path[k]);
	if (!out->ret) {
		free(b.path[k]);
		return;
	}
	out->bundle = b.path[k];
	out->seq = b.seq[k];
	out->delivered = k == 0;
}

void nrm_sent_free(struct nrm_sent *s)
{
	free(s->bundle);
	json_decref(s->ret);
	memset(s, 0, sizeof(*s));
}

/*
 * `nrmhub keys add|list|revoke`: the sites' public signing keys, kept in the
 * intake store (store_intake.h), never loose in a folder.  A site has at
 * most one unrevoked key; revoking it refuses that key's new bundles, while
 * what it signed before stays accepted and is marked as signed by a key
 * since revoked.
 */
#include "commands.h"

#include "bundle.h"
#include "date.h"
#include "log.h"
#include "minisign.h"
#include "nation.h"
#include "store.h"
#include "store_intake.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

#define PUBKEY_FILE_MAX 4096

static void print_usage(void)
{
	printf("Usage: nrmhub keys add [--nation NATION] [--store FILE] SITE FILE.pub\n"
	       "       nrmhub keys list [--json] [--store FILE]\n"
	       "       nrmhub keys revoke [--store FILE] SITE\n"
	       "Register, list and revoke the sites' public signing keys (minisign .pub\n"
	       "files, as 'nrmhub keygen' writes them) in the intake store.  'intake' accepts a\n"
	       "site's bundles only when signed with its unrevoked key.  A site has at most one\n"
	       "unrevoked key: revoke it before adding its successor.  Bundles accepted before a\n"
	       "revocation stay accepted and are marked.\n"
	       "\n"
	       "      --nation NATION  england, wales, scotland, northern_ireland, or its GSS\n"
	       "                       code (W92000004) or name (default unknown): the\n"
	       "                       nation the site's figures count under\n"
	       "      --json           list as a JSON array\n"
	       "      --store FILE     the intake store (default ./nrmhub.db, created 0600)\n"
	       "  -h, --help           show this help\n");
}

/* The key the store keeps a nation by, from its key, GSS code or name (a
 * site configuration says W92000004, a person may say Wales); "unknown" as
 * it is; NULL for anything else. */
static const char *nation_key(const char *text)
{
	if (strcmp(text, "unknown") == 0)
		return text;
	const struct nrm_nation *n = nrm_nation_find(text);
	return n ? n->key : NULL;
}

static int fail_store(struct store *s, const char *cmd)
{
	const struct nrm_error *e = store_error(s);
	fprintf(stderr, "nrmhub keys %s: %s\n", cmd, e->msg);
	return e->code ? e->code : EX_IOERR;
}

static int keys_add(struct nrm_context *ctx, const char *site, const char *file,
                    const char *nation)
{
	if (!nrm_bundle_site_valid(site))
		return nrm_usage_error("keys add", "'%s' is not a site code (2 to 40 lower-case "
		                       "letters, digits or hyphens, starting with a letter)", site);
	char *text;
	size_t len;
	struct nrm_error err;
	struct nrm_ms_pubkey pub;
	if (nrm_ms_read_file(file, PUBKEY_FILE_MAX, &text, &len, &err)) {
		fprintf(stderr, "nrmhub keys add: %s\n", err.msg);
		return err.code ? err.code : EX_NOINPUT;
	}
	if (nrm_ms_pubkey_parse(text, len, file, &pub, &err)) {
		free(text);
		fprintf(stderr, "nrmhub keys add: %s\n", err.msg);
		return EX_DATAERR;
	}
	/* Stored as we would write it, so nothing but the key is kept. */
	free(text);
	char *canonical = nrm_ms_pubkey_format(&pub);
	char key_id[17];
	nrm_ms_keyid(pub.keynum, key_id);
	struct store *s;
	int rc = nrm_context_open_store(ctx, true, &s);
	if (rc) {
		free(canonical);
		return rc;
	}
	char *owner = store_key_owner(s, key_id);
	if (owner) {
		fprintf(stderr, "nrmhub keys add: key ID %s is already registered, for site %s\n",
		        key_id, owner);
		rc = EX_DATAERR;
	} else {
		struct store_key k = {.site = site, .nation = nation, .key_id = key_id,
		                      .public_key = canonical, .added_at = (int64_t)time(NULL)};
		int r = store_key_add(s, &k);
		if (r < 0)
			rc = fail_store(s, "add");
		else if (r == 1) {
			fprintf(stderr, "nrmhub keys add: site %s already has an unrevoked key: "
			        "revoke it first ('nrmhub keys revoke %s')\n", site, site);
			rc = EX_DATAERR;
		} else {
			nrm_info("registered key ID %s for site %s (%s)", key_id, site, nation);
		}
	}
	free(owner);
	free(canonical);
	store_close(s);
	return rc;
}

static int keys_revoke(struct nrm_context *ctx, const char *site)
{
	struct store *s;
	int rc = nrm_context_open_store(ctx, false, &s);
	if (rc)
		return rc;
	int r = store_key_revoke(s, site, (int64_t)time(NULL));
	if (r < 0)
		rc = fail_store(s, "revoke");
	else if (r == 1) {
		fprintf(stderr, "nrmhub keys revoke: site %s has no unrevoked key\n", site);
		rc = EX_DATAERR;
	} else {
		nrm_info("revoked the key of site %s", site);
	}
	store_close(s);
	return rc;
}

static void time_text(int64_t t, char buf[21])
{
	if (t)
		nrm_time_format_rfc3339(t, buf);
	else
		snprintf(buf, 21, "-");
}

static int print_key(const struct store_key *k, void *ctx)
{
	json_t *arr = ctx;
	char added[21], revoked[21];
	time_text(k->added_at, added);
	time_text(k->revoked_at, revoked);
	if (arr) {
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "site", k->site,
		                                     "nation", k->nation, "key_id", k->key_id, "status",
		                                     k->revoked_at ? "revoked" : "active", "added_at",
		                                     added, "revoked_at",
		                                     k->revoked_at ? json_string(revoked)
		                                                   : json_null()));
		return 0;
	}
	printf("%-20s %-16s %s  %-7s added %s%s%s\n", k->site, k->nation, k->key_id,
	       k->revoked_at ? "revoked" : "active", added, k->revoked_at ? ", revoked " : "",
	       k->revoked_at ? revoked : "");
	return 0;
}

static int keys_list(struct nrm_context *ctx, bool as_json)
{
	struct store *s;
	int rc = nrm_context_open_store_read(ctx, &s);
	if (rc)
		return rc;
	json_t *arr = as_json ? json_array() : NULL;
	if (store_key_each(s, print_key, arr) < 0)
		rc = fail_store(s, "list");
	else if (arr) {
		char *out = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(out ? out : "[]");
		free(out);
	}
	json_decref(arr);
	store_close(s);
	return rc;
}

int cmd_keys(struct nrm_context *ctx, int argc, char **argv)
{
	enum { OPT_STORE = 256, OPT_NATION, OPT_JSON };
	static const struct option options[] = {
		{"store", required_argument, NULL, OPT_STORE},
		{"nation", required_argument, NULL, OPT_NATION},
		{"json", no_argument, NULL, OPT_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	if (argc < 2)
		return nrm_usage_error("keys", "give a subcommand: add, list or revoke");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		print_usage();
		return 0;
	}
	const char *nation = "unknown";
	bool as_json = false;
	int opt;
	argc--, argv++;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case OPT_STORE: ctx->store_path = optarg; break;
		case OPT_NATION: nation = optarg; break;
		case OPT_JSON: as_json = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("keys", "unknown option");
		}
	}
	int nargs = argc - optind;
	if (strcmp(sub, "add") == 0) {
		const char *key = nation_key(nation);
		if (!key)
			return nrm_usage_error("keys add", "--nation: '%s' is not a nation: england, "
			                       "wales, scotland, northern_ireland (or their GSS codes, "
			                       "E92000001, W92000004, S92000003, N92000002), or "
			                       "unknown", nation);
		if (nargs != 2)
			return nrm_usage_error("keys add", "give SITE and FILE.pub");
		return keys_add(ctx, argv[optind], argv[optind + 1], key);
	}
	if (strcmp(sub, "revoke") == 0) {
		if (nargs != 1)
			return nrm_usage_error("keys revoke", "give exactly one SITE");
		return keys_revoke(ctx, argv[optind]);
	}
	if (strcmp(sub, "list") == 0) {
		if (nargs != 0)
			return nrm_usage_error("keys list", "unexpected argument '%s'", argv[optind]);
		return keys_list(ctx, as_json);
	}
	return nrm_usage_error("keys", "no such subcommand '%s'", sub);
}

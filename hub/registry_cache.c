/*
 * One JSON object, {"abi": "1.1", "modules": {PATH: ENTRY}}.  An entry whose
 * module vanished is dropped, but the entries of modules that are only off
 * this run's search path are kept: `--plugin-path` for one command must not
 * cost the next command a rescan of everything else.
 */
#include "registry_cache.h"

#include "log.h"
#include "plugin_desc.h"
#include "plugin_scan.h"
#include "util.h"
#include "write_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nrmhub/plugin.h>

#define ABI_TEXT_(a, b) #a "." #b
#define ABI_TEXT(a, b) ABI_TEXT_(a, b)
#define CACHE_ABI ABI_TEXT(NRM_ABI_MAJOR, NRM_ABI_MINOR)

static char *cache_path(void)
{
	const char *env = getenv("NRMHUB_REGISTRY");
	if (env)
		return *env ? nrm_xstrdup(env) : NULL;
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	/* XDG: a relative path is to be ignored. */
	if (xdg && *xdg == '/')
		return nrm_xasprintf("%s/nrmhub/registry-%s.json", xdg, CACHE_ABI);
	if (home && *home == '/')
		return nrm_xasprintf("%s/.cache/nrmhub/registry-%s.json", home, CACHE_ABI);
	return NULL;
}

void nrm_registry_cache_open(struct nrm_registry_cache *c)
{
	memset(c, 0, sizeof(*c));
	c->path = cache_path();
	json_t *root = c->path ? json_load_file(c->path, JSON_REJECT_DUPLICATES, NULL) : NULL;
	json_t *abi = json_object_get(root, "abi");
	json_t *modules = json_object_get(root, "modules");
	if (json_is_string(abi) && strcmp(json_string_value(abi), CACHE_ABI) == 0 &&
	    json_is_object(modules))
		c->entries = json_incref(modules);
	else
		c->entries = json_object();
	json_decref(root);
}

static int64_t mtime_ns(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

/* The recorded verdict, when the entry still describes this file. */
static json_t *recorded(const json_t *entry, const struct stat *st)
{
	json_t *size = json_object_get(entry, "size");
	json_t *mtime = json_object_get(entry, "mtime_ns");
	if (!json_is_integer(size) || !json_is_integer(mtime) ||
	    json_integer_value(size) != (json_int_t)st->st_size ||
	    json_integer_value(mtime) != (json_int_t)mtime_ns(st))
		return NULL;
	json_t *v = json_object();
	json_t *ok = json_object_get(entry, "ok");
	json_t *bad = json_object_get(entry, "bad");
	/* A description this hub cannot read back (a damaged cache) is a
	 * reason to look at the module again, not to refuse it. */
	struct nrm_plugin_desc *d = json_is_object(ok) ? nrm_plugin_desc_from_json(ok) : NULL;
	bool readable = d != NULL;
	nrm_plugin_desc_free(d);
	if (readable)
		json_object_set(v, "ok", ok);
	else if (json_is_string(bad))
		json_object_set(v, "bad", bad);
	else {
		json_decref(v);
		return NULL;
	}
	return v;
}

json_t *nrm_registry_cache_verdict(struct nrm_registry_cache *c, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return NULL;
	json_t *v = recorded(json_object_get(c->entries, path), &st);
	if (v) {
		nrm_debug("plugin %s: as the registry recorded it", path);
		return v;
	}
	v = nrm_plugin_scan(path);
	if (json_is_true(json_object_get(v, "transient")))
		return v;
	json_t *entry = json_deep_copy(v);
	json_object_set_new(entry, "size", json_integer((json_int_t)st.st_size));
	json_object_set_new(entry, "mtime_ns", json_integer((json_int_t)mtime_ns(&st)));
	json_object_set_new(c->entries, path, entry);
	c->changed = true;
	return v;
}

static void drop_vanished(struct nrm_registry_cache *c)
{
	const char *path;
	json_t *entry, *tmp;
	struct stat st;
	json_object_foreach_safe(c->entries, tmp, path, entry) {
		(void)entry;
		if (stat(path, &st) != 0 && errno == ENOENT) {
			json_object_del(c->entries, path);
			c->changed = true;
		}
	}
}

/* The folders up to the file, made 0700: the cache says which modules a
 * user runs, nobody else's business. */
static void make_folders(const char *path)
{
	char *copy = nrm_xstrdup(path);
	for (char *slash = strchr(copy + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(copy, 0700);
		*slash = '/';
	}
	free(copy);
}

static void write_cache(const struct nrm_registry_cache *c)
{
	json_t *root = json_pack("{s:s, s:O}", "abi", CACHE_ABI, "modules", c->entries);
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS);
	json_decref(root);
	if (!text)
		return;
	make_folders(c->path);
	struct nrm_error err;
	if (nrm_write_file_atomic(c->path, 0600, text, strlen(text), &err) != 0)
		nrm_debug("plugin registry not saved, working without it: %s", err.msg);
	free(text);
}

void nrm_registry_cache_close(struct nrm_registry_cache *c)
{
	if (c->path) {
		drop_vanished(c);
		if (c->changed)
			write_cache(c);
	}
	json_decref(c->entries);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

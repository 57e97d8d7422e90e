/*
 * The registry cache: what the scanner said about each module, keyed by the
 * module's path, size and modification time (like GStreamer's registry.bin),
 * so that a module is examined again only when its file changed.  It lives
 * in $NRMHUB_REGISTRY, else $XDG_CACHE_HOME/nrmhub/registry-MAJOR.MINOR.json,
 * else ~/.cache/nrmhub/...; it is written whole (a temporary file and a
 * rename), 0600.  The cache is only ever a shortcut: when it cannot be read
 * or written (a read-only home) every module is examined, nothing fails.
 */
#ifndef NRM_REGISTRY_CACHE_H
#define NRM_REGISTRY_CACHE_H

#include <jansson.h>
#include <stdbool.h>

struct nrm_registry_cache {
	char *path;       /* NULL: no cache this run */
	json_t *entries;  /* path -> {"size", "mtime_ns", "ok" | "bad"} */
	bool changed;     /* entries differ from the file */
};

/* Reads the cache (an unreadable or foreign one is taken as empty). */
void nrm_registry_cache_open(struct nrm_registry_cache *c);

/* The scanner's verdict (plugin_scan.h) for the module at `path`: from the
 * cache when the file's size and mtime are those recorded, else from a new
 * scan, which is recorded.  A new reference; NULL when the file cannot be
 * examined at all (stat failed). */
json_t *nrm_registry_cache_verdict(struct nrm_registry_cache *c, const char *path);

/* Drops the entries of modules that no longer exist, writes the cache if
 * it changed (failures are logged at debug level only), frees it. */
void nrm_registry_cache_close(struct nrm_registry_cache *c);

#endif

/*
 * Plugin discovery.  The first module to claim a name wins, so a site can't
 * silently shadow an installed plugin: the later one is skipped and both
 * files are named in a warning.  Discovery runs no module code here: a
 * module's constructor could abort, and would take every command with it,
 * whichever format it asked for.
 */
#include "registry.h"

#include "log.h"
#include "plugin_desc.h"
#include "registry_cache.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_module(const struct dirent *d)
{
	size_t len = strlen(d->d_name);
	return len > 3 && strcmp(d->d_name + len - 3, ".so") == 0 && d->d_name[0] != '.';
}

static void add_refusal(struct nrm_registry *reg, const char *path, const char *reason)
{
	nrm_warn("refusing plugin %s: %s", path, reason);
	reg->refused = nrm_xrealloc(reg->refused, (reg->refused_count + 1) * sizeof(*reg->refused));
	reg->refused[reg->refused_count++] = (struct nrm_refusal){
		.path = nrm_xstrdup(path), .reason = nrm_xstrdup(reason)};
}

static void add_described(struct nrm_registry *reg, const char *path, struct nrm_plugin_desc *d)
{
	const struct nrm_module *first = nrm_registry_find_name(reg, d->plugin.name);
	if (first) {
		nrm_warn("plugin '%s' in %s is ignored: %s has the same name and was found first",
		         d->plugin.name, path, first->path);
		nrm_plugin_desc_free(d);
		return;
	}
	if (reg->count == reg->cap) {
		reg->cap = reg->cap ? reg->cap * 2 : 8;
		reg->modules = nrm_xrealloc(reg->modules, reg->cap * sizeof(*reg->modules));
		reg->descs = nrm_xrealloc(reg->descs, reg->cap * sizeof(*reg->descs));
	}
	reg->modules[reg->count] = (struct nrm_module){.plugin = &d->plugin,
	                                               .path = nrm_xstrdup(path)};
	reg->descs[reg->count++] = d;
}

/* The scanner's verdict, from the cache when there is one this run. */
static json_t *verdict_of(struct nrm_registry *reg, const char *path)
{
	if (reg->cache)
		return nrm_registry_cache_verdict(reg->cache, path);
	/* A lone scan_dir, outside scan_default, keeps no cache. */
	struct nrm_registry_cache none = {.entries = json_object()};
	json_t *v = nrm_registry_cache_verdict(&none, path);
	nrm_registry_cache_close(&none);
	return v;
}

static void add_module(struct nrm_registry *reg, const char *path)
{
	json_t *v = verdict_of(reg, path);
	if (!v) {
		nrm_debug("plugin %s: vanished while being looked at, skipped", path);
		return;
	}
	json_t *bad = json_object_get(v, "bad");
	struct nrm_plugin_desc *d = bad ? NULL : nrm_plugin_desc_from_json(json_object_get(v, "ok"));
	if (bad)
		add_refusal(reg, path, json_string_value(bad));
	else if (!d)
		add_refusal(reg, path, "its description could not be read back from the scanner");
	else
		add_described(reg, path, d);
	json_decref(v);
}

void nrm_registry_scan_dir(struct nrm_registry *reg, const char *dir)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, is_module, by_name);
	if (n < 0) {
		nrm_debug("plugin directory %s: not readable, skipped", dir);
		return;
	}
	for (int i = 0; i < n; i++) {
		char *path = nrm_xasprintf("%s/%s", dir, entries[i]->d_name);
		add_module(reg, path);
		free(path);
		free(entries[i]);
	}
	free(entries);
}

/* True when this process is the uninstalled binary in the build tree. */
static bool running_from_build_tree(void)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	char *expected = nrm_xasprintf("%s/hub/nrmhub", NRM_BUILD_DIR);
	char *real = realpath(expected, NULL);
	bool same = real && strcmp(real, self) == 0;
	free(real);
	free(expected);
	return same;
}

static void scan_path_list(struct nrm_registry *reg, const char *list)
{
	char *copy = nrm_xstrdup(list), *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		nrm_registry_scan_dir(reg, dir);
	free(copy);
}

void nrm_registry_scan_default(struct nrm_registry *reg, char *const *extra, size_t n_extra)
{
	struct nrm_registry_cache cache;
	nrm_registry_cache_open(&cache);
	reg->cache = &cache;
	if (running_from_build_tree())
		nrm_registry_scan_dir(reg, NRM_BUILD_DIR "/plugins/.libs");
	else
		nrm_registry_scan_dir(reg, NRM_PLUGIN_DIR);
	const char *env = getenv("NRMHUB_PLUGIN_PATH");
	if (env && *env)
		scan_path_list(reg, env);
	for (size_t i = 0; i < n_extra; i++)
		scan_path_list(reg, extra[i]);
	reg->cache = NULL;
	nrm_registry_cache_close(&cache);
}

const struct nrm_module *nrm_registry_find_name(const struct nrm_registry *reg,
                                                const char *name)
{
	for (size_t i = 0; i < reg->count; i++)
		if (strcmp(reg->modules[i].plugin->name, name) == 0)
			return &reg->modules[i];
	return NULL;
}

static bool handles(const struct nrm_plugin *p, const char *format, unsigned cap)
{
	if (!(p->caps & cap))
		return false;
	for (const char *const *f = p->formats; *f; f++)
		if (strcmp(*f, format) == 0)
			return true;
	return false;
}

/* Replaces a described module by the module itself, now that it is used. */
static int load_in_place(struct nrm_module *m)
{
	if (m->handle)
		return 0;
	struct nrm_module loaded;
	struct nrm_error err;
	if (nrm_module_load(m->path, &loaded, &err) != 0) {
		nrm_warn("%s", err.msg);
		return -1;
	}
	if (strcmp(loaded.plugin->name, m->plugin->name) != 0) {
		/* The file was replaced since it was examined. */
		nrm_warn("refusing plugin %s: it changed since it was examined (it now says it "
		         "is '%s'); run the command again", m->path, loaded.plugin->name);
		nrm_module_unload(&loaded);
		return -1;
	}
	free(m->path);
	*m = loaded;
	return 0;
}

const struct nrm_module *nrm_registry_describe_format(const struct nrm_registry *reg,
                                                      const char *format, unsigned cap)
{
	for (size_t i = 0; i < reg->count; i++)
		if (handles(reg->modules[i].plugin, format, cap))
			return &reg->modules[i];
	return NULL;
}

const struct nrm_module *nrm_registry_find_format(struct nrm_registry *reg,
                                                  const char *format, unsigned cap)
{
	const struct nrm_module *found = nrm_registry_describe_format(reg, format, cap);
	if (!found)
		return NULL;
	/* The registry owns its modules: this one is reg->modules[i]. */
	struct nrm_module *m = &reg->modules[found - reg->modules];
	return load_in_place(m) == 0 ? m : NULL;
}

char *nrm_registry_format_list(const struct nrm_registry *reg, unsigned cap)
{
	size_t len = 1;
	for (size_t i = 0; i < reg->count; i++)
		for (const char *const *f = reg->modules[i].plugin->formats; *f; f++)
			len += strlen(*f) + 2;
	char *list = nrm_xcalloc(1, len);
	for (size_t i = 0; i < reg->count; i++) {
		const struct nrm_plugin *p = reg->modules[i].plugin;
		if (!(p->caps & cap))
			continue;
		for (const char *const *f = p->formats; *f; f++) {
			if (*list)
				strcat(list, ", ");
			strcat(list, *f);
		}
	}
	return list;
}

void nrm_registry_free(struct nrm_registry *reg)
{
	for (size_t i = 0; i < reg->count; i++) {
		nrm_module_unload(&reg->modules[i]);
		nrm_plugin_desc_free(reg->descs[i]);
	}
	for (size_t i = 0; i < reg->refused_count; i++) {
		free(reg->refused[i].path);
		free(reg->refused[i].reason);
	}
	free(reg->refused);
	free(reg->descs);
	free(reg->modules);
	memset(reg, 0, sizeof(*reg));
}

bool nrm_registry_in_build_tree(void)
{
	return running_from_build_tree();
}

/*
 * Plugin discovery.  The first module to claim a name wins, so a site can't
 * silently shadow an installed plugin: the later one is skipped and both
 * files are named in a warning.
 */
#include "registry.h"

#include "log.h"
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

static void add_refusal(struct nrm_registry *reg, const char *msg)
{
	nrm_warn("%s", msg);
	reg->refused = nrm_xrealloc(reg->refused, (reg->refused_count + 1) * sizeof(char *));
	reg->refused[reg->refused_count++] = nrm_xstrdup(msg);
}

static void add_module(struct nrm_registry *reg, const char *path)
{
	struct nrm_module m;
	struct nrm_error err;
	if (nrm_module_load(path, &m, &err) != 0) {
		add_refusal(reg, err.msg);
		return;
	}
	const struct nrm_module *first = nrm_registry_find_name(reg, m.plugin->name);
	if (first) {
		nrm_warn("plugin '%s' in %s is ignored: %s has the same name and was found first",
		         m.plugin->name, path, first->path);
		nrm_module_unload(&m);
		return;
	}
	if (reg->count == reg->cap) {
		reg->cap = reg->cap ? reg->cap * 2 : 8;
		reg->modules = nrm_xrealloc(reg->modules, reg->cap * sizeof(*reg->modules));
	}
	reg->modules[reg->count++] = m;
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
	if (running_from_build_tree())
		nrm_registry_scan_dir(reg, NRM_BUILD_DIR "/plugins/.libs");
	else
		nrm_registry_scan_dir(reg, NRM_PLUGIN_DIR);
	const char *env = getenv("NRMHUB_PLUGIN_PATH");
	if (env && *env)
		scan_path_list(reg, env);
	for (size_t i = 0; i < n_extra; i++)
		scan_path_list(reg, extra[i]);
}

const struct nrm_module *nrm_registry_find_name(const struct nrm_registry *reg,
                                                const char *name)
{
	for (size_t i = 0; i < reg->count; i++)
		if (strcmp(reg->modules[i].plugin->name, name) == 0)
			return &reg->modules[i];
	return NULL;
}

const struct nrm_module *nrm_registry_find_format(const struct nrm_registry *reg,
                                                  const char *format, unsigned cap)
{
	for (size_t i = 0; i < reg->count; i++) {
		const struct nrm_plugin *p = reg->modules[i].plugin;
		if (!(p->caps & cap))
			continue;
		for (const char *const *f = p->formats; *f; f++)
			if (strcmp(*f, format) == 0)
				return &reg->modules[i];
	}
	return NULL;
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
	for (size_t i = 0; i < reg->count; i++)
		nrm_module_unload(&reg->modules[i]);
	for (size_t i = 0; i < reg->refused_count; i++)
		free(reg->refused[i]);
	free(reg->refused);
	free(reg->modules);
	memset(reg, 0, sizeof(*reg));
}

bool nrm_registry_in_build_tree(void)
{
	return running_from_build_tree();
}

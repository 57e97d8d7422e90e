/*
 * The loader trusts nothing in a module until it has checked it, and it
 * reads the descriptor in the order its layout guarantees: the magic value
 * and the ABI version sit at fixed offsets in every ABI version, so they can
 * be read before the hub knows how to read anything else.
 */
#include "loader.h"

#include "options.h"
#include "util.h"

#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Bytes of the descriptor that every ABI version shares. */
#define FIXED_HEADER_SIZE (offsetof(struct nrm_plugin, caps))

static int refuse(struct nrm_error *err, const char *path, const char *reason)
{
	return nrm_fail(err, EX_CONFIG, "refusing plugin %s: %s", path, reason);
}

/* The size the module's symbol table gives its descriptor, or 0 unknown. */
static size_t symbol_size(const void *sym)
{
	Dl_info info;
	void *entry = NULL;
	if (!dladdr1(sym, &info, &entry, RTLD_DL_SYMENT) || !entry)
		return 0;
	return ((const ElfW(Sym) *)entry)->st_size;
}

static int check_version(const struct nrm_plugin *p, const char *path, struct nrm_error *err)
{
	char reason[200];
	if (p->abi_major != NRM_ABI_MAJOR) {
		snprintf(reason, sizeof(reason),
		         "it was built for plugin ABI %u.%u, and this hub speaks ABI %d.%d: "
		         "rebuild the plugin against this hub's plugin.h",
		         p->abi_major, p->abi_minor, NRM_ABI_MAJOR, NRM_ABI_MINOR);
		return refuse(err, path, reason);
	}
	if (p->abi_minor > NRM_ABI_MINOR) {
		snprintf(reason, sizeof(reason),
		         "it was built for plugin ABI %u.%u, newer than this hub's %d.%d: "
		         "upgrade nrmhub or rebuild the plugin",
		         p->abi_major, p->abi_minor, NRM_ABI_MAJOR, NRM_ABI_MINOR);
		return refuse(err, path, reason);
	}
	return 0;
}

static const char *missing_text(const char *s)
{
	return !s || !*s ? "missing" : NULL;
}

static int check_callbacks(const struct nrm_plugin *p, char *why, size_t whylen)
{
	if (!(p->caps & (NRM_CAP_IMPORT | NRM_CAP_EXPORT)) ||
	    (p->caps & ~(uint32_t)(NRM_CAP_IMPORT | NRM_CAP_EXPORT))) {
		snprintf(why, whylen, "its capabilities must be import, export or both");
		return -1;
	}
	if ((p->caps & NRM_CAP_IMPORT) &&
	    (!p->import_open || !p->import_next || !p->import_close)) {
		snprintf(why, whylen, "it says it imports but lacks an import callback");
		return -1;
	}
	if ((p->caps & NRM_CAP_EXPORT) && (!p->export_open || !p->export_write ||
	                                   !p->export_finish || !p->export_close)) {
		snprintf(why, whylen, "it says it exports but lacks an export callback");
		return -1;
	}
	return 0;
}

int nrm_plugin_check_metadata(const struct nrm_plugin *p, char *why, size_t whylen)
{
	const struct {
		const char *field;
		const char *value;
	} texts[] = {
		{"name", p->name}, {"version", p->version},
		{"description", p->description}, {"license", p->license},
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		if (missing_text(texts[i].value)) {
			snprintf(why, whylen, "its %s is missing", texts[i].field);
			return -1;
		}
	}
	if (!p->formats || !p->formats[0] || !*p->formats[0]) {
		snprintf(why, whylen, "it names no format");
		return -1;
	}
	if (check_callbacks(p, why, whylen))
		return -1;
	return nrm_options_check_table(p->options, why, whylen);
}

int nrm_module_load(const char *path, struct nrm_module *out, struct nrm_error *err)
{
	memset(out, 0, sizeof(*out));
	void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!handle)
		return refuse(err, path, dlerror());
	const struct nrm_plugin *p = dlsym(handle, NRM_PLUGIN_SYMBOL);
	char reason[300];
	size_t size = p ? symbol_size(p) : 0;
	if (!p) {
		snprintf(reason, sizeof(reason), "it does not export the descriptor symbol '%s'",
		         NRM_PLUGIN_SYMBOL);
	} else if (size && size < FIXED_HEADER_SIZE) {
		snprintf(reason, sizeof(reason), "its descriptor is %zu bytes, too small to be one",
		         size);
	} else if (p->magic != NRM_PLUGIN_MAGIC) {
		snprintf(reason, sizeof(reason),
		         "its descriptor has the wrong magic value: it is not an nrmhub plugin, "
		         "or it is damaged");
	} else if (check_version(p, path, err) != 0) {
		dlclose(handle);
		return -1;
	} else if (size && size < sizeof(struct nrm_plugin)) {
		snprintf(reason, sizeof(reason), "its descriptor is %zu bytes, smaller than "
		         "ABI %d.x's %zu", size, NRM_ABI_MAJOR, sizeof(struct nrm_plugin));
	} else if (nrm_plugin_check_metadata(p, reason, sizeof(reason)) == 0) {
		out->plugin = p;
		out->handle = handle;
		out->path = nrm_xstrdup(path);
		return 0;
	}
	dlclose(handle);
	return refuse(err, path, reason);
}

void nrm_module_unload(struct nrm_module *m)
{
	if (m->handle)
		dlclose(m->handle);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

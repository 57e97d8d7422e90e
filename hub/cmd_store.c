/*
 * What the store's commands share: finding and opening the store.
 */
#include "commands.h"

#include "log.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

int nrm_context_open_store(const struct nrm_context *ctx, bool create, struct store **out)
{
	const char *path = ctx->store_path ? ctx->store_path : STORE_DEFAULT_PATH;
	struct stat st;
	if (!create && stat(path, &st) != 0) {
		nrm_log_error("no case store at %s: %s (import cases first, or give --store FILE)",
		              path, strerror(errno));
		return EX_NOINPUT;
	}
	struct nrm_error err;
	if (store_open(path, out, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	return 0;
}

int nrm_context_open_store_read(const struct nrm_context *ctx, struct store **out)
{
	const char *path = ctx->store_path ? ctx->store_path : STORE_DEFAULT_PATH;
	struct stat st;
	if (stat(path, &st) != 0) {
		nrm_log_error("no case store at %s: %s (import cases first, or give --store FILE)",
		              path, strerror(errno));
		return EX_NOINPUT;
	}
	struct nrm_error err;
	if (store_open_read(path, out, &err) != 0) {
		nrm_log_error("%s", err.msg);
		return err.code;
	}
	return 0;
}

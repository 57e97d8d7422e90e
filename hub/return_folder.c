/*
 * A return's own folder (return_folder.h).  Its file set is read from its
 * return.json, as `bundle create --payload` reads it (return_payload.h):
 * the folder is judged by what it says it is, and anything it does not
 * list (a hidden file, a store, a key) makes it someone else's folder.
 */
#include "return_folder.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A return.json is a few hundred kilobytes; a larger one is not ours. */
#define RETURN_JSON_MAX (64L * 1024 * 1024)

static json_t *listed_files(const char *dir)
{
	char path[4096];
	struct stat st;
	if (snprintf(path, sizeof(path), "%s/return.json", dir) >= (int)sizeof(path) ||
	    lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > RETURN_JSON_MAX)
		return NULL;
	json_t *ret = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	json_t *files = json_incref(json_object_get(ret, "files"));
	json_decref(ret);
	if (!json_is_array(files)) {
		json_decref(files);
		return NULL;
	}
	return files;
}

static bool is_listed(const json_t *files, const char *name)
{
	size_t i;
	const json_t *f;
	json_array_foreach(files, i, f)
		if (json_is_string(json_object_get(f, "name")) &&
		    strcmp(json_string_value(json_object_get(f, "name")), name) == 0)
			return true;
	return strcmp(name, "return.json") == 0;
}

static bool is_current_folder(const char *dir)
{
	struct stat a, b;
	return stat(dir, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

bool nrm_return_folder_replaceable(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) != 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode) || is_current_folder(dir))
		return false;
	DIR *d = opendir(dir);
	if (!d)
		return false;
	json_t *files = NULL;
	bool ok = true, looked = false;
	struct dirent *e;
	while (ok && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (!looked) {
			files = listed_files(dir);
			looked = true;
		}
		ok = files && e->d_name[0] != '.' && is_listed(files, e->d_name);
	}
	closedir(d);
	json_decref(files);
	return ok;
}

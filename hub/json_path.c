/*
 * Paths are written by return_tables.c, never read from a user, but they
 * are parsed with every length checked all the same.
 */
#include "json_path.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The next step of `*p`: an object key (into `key`) or an array index. */
static int step(const char **p, char **key, size_t *index)
{
	const char *s = *p;
	*key = NULL;
	if (s[0] == '.') {
		size_t n = strcspn(s + 1, ".[");
		if (n == 0)
			return -1;
		*key = nrm_xasprintf("%.*s", (int)n, s + 1);
		*p = s + 1 + n;
		return 0;
	}
	if (s[0] == '[' && s[1] == '"') {
		const char *end = strstr(s + 2, "\"]");
		if (!end)
			return -1;
		*key = nrm_xasprintf("%.*s", (int)(end - s - 2), s + 2);
		*p = end + 2;
		return 0;
	}
	if (s[0] == '[') {
		char *end;
		unsigned long long i = strtoull(s + 1, &end, 10);
		if (end == s + 1 || *end != ']')
			return -1;
		*index = (size_t)i;
		*p = end + 1;
		return 0;
	}
	return -1;
}

int nrm_json_path_set(json_t *root, const char *path, json_t *value)
{
	if (!path || path[0] != '$' || !root) {
		json_decref(value);
		return -1;
	}
	const char *p = path + 1;
	json_t *node = root;
	while (node) {
		char *key;
		size_t index = 0;
		if (step(&p, &key, &index) != 0)
			break;
		bool last = *p == '\0';
		if (last) {
			int rc = key ? (json_is_object(node) && json_object_get(node, key)
			                    ? json_object_set_new(node, key, value)
			                    : (json_decref(value), -1))
			             : json_array_set_new(node, index, value);
			free(key);
			return rc == 0 ? 0 : -1;
		}
		node = key ? json_object_get(node, key) : json_array_get(node, index);
		free(key);
	}
	json_decref(value);
	return -1;
}

json_t *nrm_json_path_get(const json_t *root, const char *path)
{
	if (!path || path[0] != '$')
		return NULL;
	const char *p = path + 1;
	const json_t *cur = root;
	json_t *node = NULL;
	while (cur && *p) {
		char *key;
		size_t index = 0;
		if (step(&p, &key, &index) != 0)
			return NULL;
		node = key ? json_object_get(cur, key) : json_array_get(cur, index);
		cur = node;
		free(key);
	}
	return node;
}

/*
 * The schema is checked whole when it is loaded (keywords, their types,
 * references, patterns), so validation itself never meets a malformed
 * schema.  Validation stops at the first error and reports it with the
 * instance's JSON path; inside oneOf/anyOf the alternatives' own errors are
 * not reported, only that none (or more than one) matched.
 */
#include "json_schema.h"
#include "../plugins/common/json_syntax.h"

#include "util.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

/* Deeper than any of our documents; stops a $ref cycle that consumes
 * nothing from recursing for ever. */
#define MAX_DEPTH 200

struct pattern {
	json_t *source;  /* the schema's pattern string */
	regex_t re;
};

struct nrm_json_schema {
	json_t *root;
	char *name;
	struct pattern *patterns;
	size_t n_patterns;
};

/* ---- loading ------------------------------------------------------------- */

static const char *const annotations[] = {"$schema", "$id", "$comment", "title",
                                          "description", "default", "examples", NULL};
static const char *const keywords[] = {
	"type", "properties", "required", "additionalProperties", "propertyNames", "enum",
	"const", "pattern", "minimum", "maximum", "minLength", "maxLength", "items",
	"minItems", "maxItems", "oneOf", "anyOf", "$ref", "$defs", "definitions", NULL};
static const char *const type_names[] = {"null", "boolean", "integer", "number",
                                         "string", "object", "array", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

struct loader {
	struct nrm_json_schema *s;
	struct nrm_error *err;
};

static int schema_error(struct loader *l, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int schema_error(struct loader *l, const char *where, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return nrm_fail(l->err, EX_DATAERR, "%s: schema at %s: %s", l->s->name, where, what);
}

/* The schema a "$ref" names, or NULL. */
static json_t *resolve(json_t *root, const char *ref)
{
	if (strcmp(ref, "#") == 0)
		return root;
	const char *name = NULL, *section = NULL;
	if (strncmp(ref, "#/$defs/", 8) == 0)
		section = "$defs", name = ref + 8;
	else if (strncmp(ref, "#/definitions/", 14) == 0)
		section = "definitions", name = ref + 14;
	if (!name || !*name || strchr(name, '/') || strchr(name, '~') || strchr(name, '%'))
		return NULL;
	return json_object_get(json_object_get(root, section), name);
}

/* Refuses the ECMA-262 syntax POSIX would read differently. */
static bool portable_pattern(const char *p)
{
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x80 || ch < 0x20)
			return false;
		if (ch == '\\') {
			unsigned char next = (unsigned char)p[1];
			if (!next || (next >= '0' && next <= '9') || (next >= 'a' && next <= 'z') ||
			    (next >= 'A' && next <= 'Z'))
				return false;
			p++;
		} else if (ch == '(' && p[1] == '?') {
			return false;  /* lookaround, non-capturing group */
		}
	}
	return true;
}

static int load_pattern(struct loader *l, json_t *pat, const char *where)
{
	const char *text = json_string_value(pat);
	if (!text || strlen(text) != json_string_length(pat) || !portable_pattern(text))
		return schema_error(l, where, "pattern '%s' uses syntax POSIX and ECMA-262 read "
		                    "differently", text ? text : "");
	struct nrm_json_schema *s = l->s;
	s->patterns = nrm_xrealloc(s->patterns, (s->n_patterns + 1) * sizeof(*s->patterns));
	struct pattern *p = &s->patterns[s->n_patterns];
	if (regcomp(&p->re, text, REG_EXTENDED | REG_NOSUB) != 0)
		return schema_error(l, where, "pattern '%s' does not compile", text);
	p->source = pat;
	s->n_patterns++;
	return 0;
}

static int load_node(struct loader *l, json_t *node, const char *where, int depth);

static int load_map(struct loader *l, json_t *map, const char *where, int depth)
{
	if (!json_is_object(map))
		return schema_error(l, where, "must be an object of schemas");
	const char *key;
	json_t *sub;
	json_object_foreach(map, key, sub)
		if (load_node(l, sub, key, depth + 1) != 0)
			return -1;
	return 0;
}

static int load_list(struct loader *l, json_t *list, const char *where, int depth)
{
	if (!json_is_array(list) || json_array_size(list) == 0)
		return schema_error(l, where, "must be a non-empty array of schemas");
	size_t i;
	json_t *sub;
	json_array_foreach(list, i, sub)
		if (load_node(l, sub, where, depth + 1) != 0)
			return -1;
	return 0;
}

static int load_type(struct loader *l, json_t *t, const char *where)
{
	if (json_is_string(t))
		return in_list(type_names, json_string_value(t))
		       ? 0 : schema_error(l, where, "unknown type '%s'", json_string_value(t));
	if (!json_is_array(t) || json_array_size(t) == 0)
		return schema_error(l, where, "type must be a string or an array");
	size_t i;
	json_t *v;
	json_array_foreach(t, i, v) {
		if (!json_is_string(v))
			return schema_error(l, where, "type arrays must list type names");
		if (load_type(l, v, where) != 0)
			return -1;
	}
	return 0;
}

static int load_keyword(struct loader *l, const char *key, json_t *v, const char *where,
                        int depth)
{
	if (strcmp(key, "type") == 0)
		return load_type(l, v, where);
	if (strcmp(key, "properties") == 0 || strcmp(key, "$defs") == 0 ||
	    strcmp(key, "definitions") == 0)
		return load_map(l, v, key, depth);
	if (strcmp(key, "additionalProperties") == 0 || strcmp(key, "items") == 0 ||
	    strcmp(key, "propertyNames") == 0)
		return load_node(l, v, key, depth + 1);
	if (strcmp(key, "oneOf") == 0 || strcmp(key, "anyOf") == 0)
		return load_list(l, v, key, depth);
	if (strcmp(key, "pattern") == 0)
		return load_pattern(l, v, where);
	if (strcmp(key, "$ref") == 0)
		return json_is_string(v) && resolve(l->s->root, json_string_value(v))
		       ? 0 : schema_error(l, where, "$ref '%s' names no schema of this file",
		                          json_is_string(v) ? json_string_value(v) : "");
	if (strcmp(key, "required") == 0 || strcmp(key, "enum") == 0) {
		if (!json_is_array(v))
			return schema_error(l, where, "%s must be an array", key);
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
			if (strcmp(key, "required") == 0 && !json_is_string(item))
				return schema_error(l, where, "%s must list strings", key);
		return 0;
	}
	if (strcmp(key, "minimum") == 0 || strcmp(key, "maximum") == 0)
		return json_is_number(v) ? 0 : schema_error(l, where, "%s must be a number", key);
	if (strcmp(key, "const") == 0)
		return 0;
	/* minLength, maxLength, minItems, maxItems */
	return json_is_integer(v) && json_integer_value(v) >= 0
	       ? 0 : schema_error(l, where, "%s must be an integer >= 0", key);
}

static int load_node(struct loader *l, json_t *node, const char *where, int depth)
{
	if (depth > MAX_DEPTH)
		return schema_error(l, where, "is nested too deeply");
	if (json_is_boolean(node))
		return 0;
	if (!json_is_object(node))
		return schema_error(l, where, "a schema must be an object or a boolean");
	const char *key;
	json_t *v;
	json_object_foreach(node, key, v) {
		if (in_list(annotations, key))
			continue;
		if (!in_list(keywords, key))
			return schema_error(l, where, "uses the keyword '%s', which this validator "
			                    "does not implement", key);
		if (load_keyword(l, key, v, where, depth) != 0)
			return -1;
	}
	return 0;
}

struct nrm_json_schema *nrm_json_schema_parse(const char *text, size_t len, const char *name,
                                              struct nrm_error *err)
{
	json_error_t jerr;
	struct nrm_json_schema *s = nrm_xcalloc(1, sizeof(*s));
	s->name = nrm_xstrdup(name);
	s->root = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!s->root) {
		char why[200];
		json_syntax_reason(jerr.text, why, sizeof(why));
		nrm_fail(err, EX_DATAERR, "%s:%d:%d: %s", name, jerr.line, jerr.column, why);
		nrm_json_schema_free(s);
		return NULL;
	}
	struct loader l = {s, err};
	if (load_node(&l, s->root, "(root)", 0) != 0) {
		nrm_json_schema_free(s);
		return NULL;
	}
	return s;
}

void nrm_json_schema_free(struct nrm_json_schema *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_patterns; i++)
		regfree(&s->patterns[i].re);
	free(s->patterns);
	json_decref(s->root);
	free(s->name);
	free(s);
}

/* ---- validating ---------------------------------------------------------- */

/* The instance's path, grown and shrunk as validation descends. */
struct walk {
	const struct nrm_json_schema *s;
	char *path;
	size_t len, cap;
	bool quiet;  /* inside an alternative: do not fill err */
	struct nrm_error *err;
	size_t err_depth;  /* the path's length where err was filled */
};

static size_t path_append(struct walk *w, const char *piece)
{
	size_t old = w->len, n = strlen(piece);
	if (w->len + n + 1 > w->cap) {
		w->cap = (w->len + n + 1) * 2;
		w->path = nrm_xrealloc(w->path, w->cap);
	}
	memcpy(w->path + w->len, piece, n + 1);
	w->len += n;
	return old;
}

/* ".name", or ["name"] for a key that is not a plain word. */
static size_t path_push_key(struct walk *w, const char *key)
{
	bool plain = *key != '\0';
	for (const char *p = key; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			plain = false;
	char *piece = plain ? nrm_xasprintf(".%s", key) : nrm_xasprintf("[\"%s\"]", key);
	size_t old = path_append(w, piece);
	free(piece);
	return old;
}

static size_t path_push_index(struct walk *w, size_t i)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "[%zu]", i);
	return path_append(w, buf);
}

static void path_pop(struct walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

static int invalid(struct walk *w, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int invalid(struct walk *w, const char *rule, const char *fmt, ...)
{
	if (w->quiet)
		return -1;
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	w->err_depth = w->len;
	return nrm_fail(w->err, EX_DATAERR, "%s: %s: %s (%s)", w->s->name, w->path, what, rule);
}

static bool is_integer(json_t *v)
{
	if (json_is_integer(v))
		return true;
	double d = json_is_real(v) ? json_real_value(v) : NAN;
	return isfinite(d) && d == floor(d);
}

static bool has_type(json_t *v, const char *t)
{
	if (strcmp(t, "null") == 0)
		return json_is_null(v);
	if (strcmp(t, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(t, "integer") == 0)
		return is_integer(v);
	if (strcmp(t, "number") == 0)
		return json_is_number(v);
	if (strcmp(t, "string") == 0)
		return json_is_string(v);
	if (strcmp(t, "object") == 0)
		return json_is_object(v);
	return json_is_array(v);
}

static const char *type_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE: case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* JSON equality as JSON Schema defines it: 1 and 1.0 are equal. */
static bool json_same(json_t *a, json_t *b)
{
	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		return json_number_value(a) == json_number_value(b);
	}
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!json_same(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		const char *key;
		json_t *v;
		json_object_foreach(a, key, v) {
			json_t *other = json_object_get(b, key);
			if (!other || !json_same(v, other))
				return false;
		}
		return true;
	}
	return json_equal(a, b);
}

static int check(struct walk *w, json_t *schema, json_t *v, int depth);

static int check_type(struct walk *w, json_t *t, json_t *v)
{
	if (json_is_string(t)) {
		if (has_type(v, json_string_value(t)))
			return 0;
		return invalid(w, "type", "is %s, not %s", type_of(v), json_string_value(t));
	}
	size_t i;
	json_t *one;
	json_array_foreach(t, i, one)
		if (has_type(v, json_string_value(one)))
			return 0;
	return invalid(w, "type", "is %s, which the schema does not allow here", type_of(v));
}

/* A string's length in Unicode code points (jansson strings are UTF-8). */
static size_t code_points(json_t *v)
{
	const char *s = json_string_value(v);
	size_t n = 0, len = json_string_length(v);
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int check_string(struct walk *w, json_t *schema, json_t *v)
{
	json_t *k;
	if ((k = json_object_get(schema, "minLength")) &&
	    code_points(v) < (size_t)json_integer_value(k))
		return invalid(w, "minLength", "is shorter than %lld characters",
		               (long long)json_integer_value(k));
	if ((k = json_object_get(schema, "maxLength")) &&
	    code_points(v) > (size_t)json_integer_value(k))
		return invalid(w, "maxLength", "is longer than %lld characters",
		               (long long)json_integer_value(k));
	if (!(k = json_object_get(schema, "pattern")))
		return 0;
	const char *text = json_string_value(v);
	bool ok = false;
	for (size_t i = 0; i < w->s->n_patterns; i++)
		if (w->s->patterns[i].source == k)
			ok = strlen(text) == json_string_length(v) &&
			     regexec(&w->s->patterns[i].re, text, 0, NULL, 0) == 0;
	return ok ? 0 : invalid(w, "pattern", "does not match %s", json_string_value(k));
}

static int check_number(struct walk *w, json_t *schema, json_t *v)
{
	json_t *k;
	double x = json_number_value(v);
	if ((k = json_object_get(schema, "minimum")) && x < json_number_value(k))
		return invalid(w, "minimum", "is less than %g", json_number_value(k));
	if ((k = json_object_get(schema, "maximum")) && x > json_number_value(k))
		return invalid(w, "maximum", "is more than %g", json_number_value(k));
	return 0;
}

static int check_object(struct walk *w, json_t *schema, json_t *v, int depth)
{
	json_t *props = json_object_get(schema, "properties");
	json_t *extra = json_object_get(schema, "additionalProperties");
	json_t *names = json_object_get(schema, "propertyNames");
	json_t *req = json_object_get(schema, "required");
	size_t i;
	json_t *item;
	json_array_foreach(req, i, item)
		if (!json_object_get(v, json_string_value(item)))
			return invalid(w, "required", "has no '%s'", json_string_value(item));
	const char *key;
	json_t *value;
	json_object_foreach(v, key, value) {
		size_t old = path_push_key(w, key);
		json_t *sub = json_object_get(props, key);
		int rc = 0;
		if (names) {
			json_t *name = json_string(key);
			bool was_quiet = w->quiet;
			w->quiet = true;
			rc = check(w, names, name, depth + 1);
			w->quiet = was_quiet;
			json_decref(name);
			if (rc != 0)
				rc = invalid(w, "propertyNames", "is not an allowed name");
		}
		if (rc == 0 && sub)
			rc = check(w, sub, value, depth + 1);
		else if (rc == 0 && extra)
			rc = json_is_false(extra) ? invalid(w, "additionalProperties",
			                                     "is not a property the schema allows")
			                          : check(w, extra, value, depth + 1);
		path_pop(w, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static int check_array(struct walk *w, json_t *schema, json_t *v, int depth)
{
	json_t *k;
	size_t n = json_array_size(v);
	if ((k = json_object_get(schema, "minItems")) && n < (size_t)json_integer_value(k))
		return invalid(w, "minItems", "has %zu items, fewer than %lld", n,
		               (long long)json_integer_value(k));
	if ((k = json_object_get(schema, "maxItems")) && n > (size_t)json_integer_value(k))
		return invalid(w, "maxItems", "has %zu items, more than %lld", n,
		               (long long)json_integer_value(k));
	if (!(k = json_object_get(schema, "items")))
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t old = path_push_index(w, i);
		int rc = check(w, k, json_array_get(v, i), depth + 1);
		path_pop(w, old);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* How many alternatives of `list` accept v (stops counting at 2). */
static int count_matches(struct walk *w, json_t *list, json_t *v, int depth)
{
	bool was_quiet = w->quiet;
	int matches = 0;
	w->quiet = true;
	size_t i;
	json_t *alt;
	json_array_foreach(list, i, alt)
		if (matches < 2 && check(w, alt, v, depth + 1) == 0)
			matches++;
	w->quiet = was_quiet;
	return matches;
}

/*
 * None of the alternatives matched: the error worth showing is the one
 * found deepest inside the document (in a return, the official or published
 * variant that got furthest), not "matches none".
 */
static int explain_no_match(struct walk *w, json_t *list, json_t *v, int depth, const char *rule)
{
	if (w->quiet)
		return -1;
	struct nrm_error best = {0}, one;
	size_t best_depth = 0;
	size_t i;
	json_t *alt;
	json_array_foreach(list, i, alt) {
		struct walk sub = *w;
		sub.err = &one;
		sub.err_depth = 0;
		if (check(&sub, alt, v, depth + 1) != 0 && (i == 0 || sub.err_depth > best_depth)) {
			best = one;
			best_depth = sub.err_depth;
		}
		w->path = sub.path;  /* it may have grown */
		w->cap = sub.cap;
	}
	w->err_depth = best_depth;
	if (strstr(best.msg, "alternative matched"))
		return nrm_fail(w->err, EX_DATAERR, "%s", best.msg);
	return nrm_fail(w->err, EX_DATAERR, "%s (no %s alternative matched; the closest "
	                "failed here)", best.msg, rule);
}

static int check_choices(struct walk *w, json_t *schema, json_t *v, int depth)
{
	json_t *k;
	if ((k = json_object_get(schema, "anyOf")) && count_matches(w, k, v, depth) == 0)
		return explain_no_match(w, k, v, depth, "anyOf");
	if ((k = json_object_get(schema, "oneOf"))) {
		int m = count_matches(w, k, v, depth);
		if (m > 1)
			return invalid(w, "oneOf", "matches more than one alternative");
		if (m == 0)
			return explain_no_match(w, k, v, depth, "oneOf");
	}
	return 0;
}

static int check_values(struct walk *w, json_t *schema, json_t *v)
{
	json_t *k;
	if ((k = json_object_get(schema, "const")) && !json_same(k, v))
		return invalid(w, "const", "is not the one value allowed");
	if (!(k = json_object_get(schema, "enum")))
		return 0;
	size_t i;
	json_t *item;
	json_array_foreach(k, i, item)
		if (json_same(item, v))
			return 0;
	return invalid(w, "enum", "is not one of the allowed values");
}

static int check(struct walk *w, json_t *schema, json_t *v, int depth)
{
	if (depth > MAX_DEPTH)
		return invalid(w, "depth", "is nested more than %d levels deep", MAX_DEPTH);
	if (json_is_true(schema))
		return 0;
	if (json_is_false(schema))
		return invalid(w, "false", "is not allowed here");
	json_t *k;
	if ((k = json_object_get(schema, "$ref")) &&
	    check(w, resolve(w->s->root, json_string_value(k)), v, depth + 1) != 0)
		return -1;
	if ((k = json_object_get(schema, "type")) && check_type(w, k, v) != 0)
		return -1;
	if (check_values(w, schema, v) != 0 || check_choices(w, schema, v, depth) != 0)
		return -1;
	if (json_is_string(v))
		return check_string(w, schema, v);
	if (json_is_number(v))
		return check_number(w, schema, v);
	if (json_is_object(v))
		return check_object(w, schema, v, depth);
	if (json_is_array(v))
		return check_array(w, schema, v, depth);
	return 0;
}

int nrm_json_schema_validate(const struct nrm_json_schema *s, json_t *instance,
                             struct nrm_error *err)
{
	struct walk w = {.s = s, .err = err};
	path_append(&w, "$");
	int rc = check(&w, s->root, instance, 0);
	free(w.path);
	return rc;
}

/* See json_read.h. */
#include "json_read.h"

#include "labels.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void jread_start(struct jread *r, const char *base)
{
	r->path_len = (size_t)snprintf(r->path, sizeof(r->path), "%s", base);
	if (r->path_len >= sizeof(r->path))
		r->path_len = sizeof(r->path) - 1;
}

static size_t append(struct jread *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static size_t append(struct jread *r, const char *fmt, ...)
{
	size_t mark = r->path_len;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(r->path + r->path_len, sizeof(r->path) - r->path_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		r->path_len += (size_t)n;
	if (r->path_len >= sizeof(r->path))
		r->path_len = sizeof(r->path) - 1;
	return mark;
}

/* Runs for every member read: a copy, not a formatted print. */
size_t jread_enter(struct jread *r, const char *key)
{
	size_t mark = r->path_len, len = strlen(key);
	if (mark + 1 + len >= sizeof(r->path))
		return mark; /* a path this long is cut; the member names it stays short */
	r->path[mark] = '.';
	memcpy(r->path + mark + 1, key, len + 1);
	r->path_len = mark + 1 + len;
	return mark;
}

size_t jread_enter_index(struct jread *r, size_t i)
{
	return append(r, "[%zu]", i);
}

void jread_leave(struct jread *r, size_t mark)
{
	r->path_len = mark;
	r->path[mark] = '\0';
}

int jread_reject(struct jread *r, const char *field, const char *fmt, ...)
{
	char reason[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	struct nrm_pos pos = r->pos;
	pos.path = r->path;
	r->host->report(r->in, &pos, field, "%s", reason);
	return NRM_REJECT;
}

static bool is_plain_name(const char *key)
{
	size_t n = strlen(key);
	return n > 0 && n <= 40 &&
	       strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == n;
}

int jread_members(struct jread *r, json_t *obj, const char *const *allowed)
{
	if (!json_is_object(obj))
		return jread_reject(r, NULL, "must be an object");
	const char *key;
	json_t *value;
	json_object_foreach(obj, key, value) {
		bool known = false;
		for (const char *const *a = allowed; *a && !known; a++)
			known = strcmp(*a, key) == 0;
		if (!known) {
			bool plain = is_plain_name(key);
			return jread_reject(r, NULL, "unknown member %s%s%s", plain ? "'" : "",
			                    plain ? key : "(name not shown)", plain ? "'" : "");
		}
	}
	return NRM_OK;
}

int jread_object(struct jread *r, json_t *obj, const char *key, const char *const *allowed,
                 json_t **out)
{
	json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v || json_is_null(v))
		return NRM_OK;
	size_t mark = jread_enter(r, key);
	int rc = jread_members(r, v, allowed);
	jread_leave(r, mark);
	if (rc == NRM_OK)
		*out = v;
	return rc;
}

/* Gets a member that is present and not null, entering its path; NULL (and
 * nothing entered) otherwise. */
static json_t *member(struct jread *r, json_t *obj, const char *key, size_t *mark)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return NULL;
	*mark = jread_enter(r, key);
	return v;
}

static int done(struct jread *r, size_t mark, int rc)
{
	jread_leave(r, mark);
	return rc;
}

int jread_text(struct jread *r, json_t *obj, const char *key, const char *field,
               const char **out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_string(v))
		return done(r, mark, jread_reject(r, field, "must be a string or null"));
	*out = json_string_value(v);
	return done(r, mark, NRM_OK);
}

int jread_date(struct jread *r, json_t *obj, const char *key, const char *field,
               int32_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_string(v) ||
	    r->host->date_parse_iso(json_string_value(v), json_string_length(v), out) != NRM_OK)
		return done(r, mark, jread_reject(r, field, "must be a real date written "
		                                  "YYYY-MM-DD, or null"));
	return done(r, mark, NRM_OK);
}

int jread_time(struct jread *r, json_t *obj, const char *key, const char *field,
               int64_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (!s || len == 0 || s[len - 1] != 'Z' ||
	    r->host->time_parse_rfc3339(s, len, out) != NRM_OK)
		return done(r, mark, jread_reject(r, field, "must be an RFC 3339 time in UTC "
		                                  "(ending in Z), or null"));
	return done(r, mark, NRM_OK);
}

int jread_age(struct jread *r, json_t *obj, const char *key, const char *field, int32_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	json_int_t age = json_is_integer(v) ? json_integer_value(v) : -1;
	/* 0..1000 is read; the hub's validator owns the 0..17 rule. */
	if (age < 0 || age > 1000)
		return done(r, mark, jread_reject(r, field, "must be a whole number of years "
		                                  "(0 to 17), or null"));
	*out = (int32_t)age;
	return done(r, mark, NRM_OK);
}

int jread_bool(struct jread *r, json_t *obj, const char *key, const char *field, int8_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_boolean(v))
		return done(r, mark, jread_reject(r, field, "must be true, false or null"));
	*out = json_is_true(v) ? NRM_YES : NRM_NO;
	return done(r, mark, NRM_OK);
}

int jread_label(struct jread *r, json_t *obj, const char *key, const char *field, int kind,
                const char *expected, int32_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_string(v) || !label_parse(kind, json_string_value(v), out))
		return done(r, mark, jread_reject(r, field, "must be %s", expected));
	return done(r, mark, NRM_OK);
}

int jread_nationality(struct jread *r, json_t *obj, const char *key, const char *field,
                      const char *out[2])
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_array(v) || json_array_size(v) > 2)
		return done(r, mark, jread_reject(r, field, "must be an array of at most two "
		                                  "ISO 3166-1 alpha-2 codes"));
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *code = json_array_get(v, i);
		if (!json_is_string(code)) {
			size_t inner = jread_enter_index(r, i);
			jread_reject(r, field, "must be a country code string");
			jread_leave(r, inner);
			return done(r, mark, NRM_REJECT);
		}
		out[i] = json_string_value(code);
	}
	return done(r, mark, NRM_OK);
}

int jread_exploitation(struct jread *r, json_t *obj, const char *key, const char *field,
                       uint32_t *out)
{
	size_t mark;
	json_t *v = member(r, obj, key, &mark);
	if (!v)
		return NRM_OK;
	if (!json_is_array(v))
		return done(r, mark, jread_reject(r, field, "must be an array of exploitation "
		                                  "types"));
	for (size_t i = 0; i < json_array_size(v); i++) {
		json_t *item = json_array_get(v, i);
		uint32_t bit;
		size_t inner = jread_enter_index(r, i);
		int rc = NRM_OK;
		if (!json_is_string(item) || !label_parse_exploitation(json_string_value(item), &bit))
			rc = jread_reject(r, field, "must be one of Criminal, Domestic, Labour, "
			                  "Sexual, Organ Harvesting");
		else if (*out & bit)
			rc = jread_reject(r, field, "names a type twice");
		else
			*out |= bit;
		jread_leave(r, inner);
		if (rc != NRM_OK)
			return done(r, mark, rc);
	}
	return done(r, mark, NRM_OK);
}

/*
 * Reading one record's values out of a jansson object, for the JSON import
 * plugins.  Every problem is reported with the record's position and the
 * JSON path of the value ($.cases[3].referral.date), and the record is
 * rejected (NRM_REJECT); a missing member or null means "unknown".  Member
 * names from the input appear in messages only when they are short and
 * plain, since the input is untrusted.
 */
#ifndef NRM_PLUGINS_JSON_READ_H
#define NRM_PLUGINS_JSON_READ_H

#include <nrmhub/plugin.h>

#include <jansson.h>
#include <stdint.h>

#define JREAD_PATH_MAX 256

struct jread {
	const struct nrm_host *host;
	nrm_stream *in;
	struct nrm_pos pos;         /* the record's line and column */
	char path[JREAD_PATH_MAX];  /* the value being read */
	size_t path_len;
};

/* Starts a record whose own path is `base` ("$.cases[3]", "$"). */
void jread_start(struct jread *r, const char *base);
/* Appends ".key" or "[i]" to the path; returns the mark to go back to. */
size_t jread_enter(struct jread *r, const char *key);
size_t jread_enter_index(struct jread *r, size_t i);
void jread_leave(struct jread *r, size_t mark);

int jread_reject(struct jread *r, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* `obj` must be an object whose members are all in `allowed` (NULL-ended). */
int jread_members(struct jread *r, json_t *obj, const char *const *allowed);
/* The member `key` of `obj` as an object with only `allowed` members, or
 * *out = NULL when it is missing or null. */
int jread_object(struct jread *r, json_t *obj, const char *key, const char *const *allowed,
                 json_t **out);

/* Typed members.  `field` is the canonical field, named in messages. */
int jread_text(struct jread *r, json_t *obj, const char *key, const char *field,
               const char **out);
int jread_date(struct jread *r, json_t *obj, const char *key, const char *field,
               int32_t *out);
int jread_time(struct jread *r, json_t *obj, const char *key, const char *field,
               int64_t *out);
int jread_age(struct jread *r, json_t *obj, const char *key, const char *field, int32_t *out);
int jread_bool(struct jread *r, json_t *obj, const char *key, const char *field, int8_t *out);
/* A label of labels.h's `kind`, in English exactly; `expected` lists them. */
int jread_label(struct jread *r, json_t *obj, const char *key, const char *field, int kind,
                const char *expected, int32_t *out);
int jread_nationality(struct jread *r, json_t *obj, const char *key, const char *field,
                      const char *out[2]);
/* An array of Home Office exploitation labels, each at most once. */
int jread_exploitation(struct jread *r, json_t *obj, const char *key, const char *field,
                       uint32_t *out);

#endif

/*
 * Option values are parsed once, when set, into text plus an integer (ints,
 * sizes and booleans), so a plugin's lookups during a run cannot fail.
 */
#include "options.h"

#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>
#include <sysexits.h>

struct option_value {
	char *text;
	int64_t number;
	bool set;
};

struct nrm_optset {
	const char *plugin;
	const struct nrm_option_spec *table;
	size_t count;
	struct option_value *values;
};

const char *nrm_option_type_name(int type)
{
	switch (type) {
	case NRM_OPT_STRING: return "string";
	case NRM_OPT_INT: return "int";
	case NRM_OPT_BOOL: return "bool";
	case NRM_OPT_SIZE: return "size";
	case NRM_OPT_CHOICE: return "choice";
	default: return NULL;
	}
}

static bool parse_bool(const char *s, int64_t *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"};
	static const char *const no[] = {"false", "no", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = 1;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = 0;
			return true;
		}
	}
	return false;
}

static bool parse_size(const char *s, int64_t *out)
{
	errno = 0;
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long long v = strtoull(s, &end, 10);
	int shift = 0;
	if (*end == 'k' || *end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || v > (unsigned long long)(INT64_MAX >> shift))
		return false;
	*out = (int64_t)(v << shift);
	return true;
}

static bool choice_allowed(const char *choices, const char *value)
{
	size_t len = strlen(value);
	for (const char *p = choices; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == len && memcmp(p, value, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

/* Parses `text` for option `spec`; 0, or -1 with the reason in why. */
static int parse_value(const struct nrm_option_spec *spec, const char *text,
                       int64_t *number, char *why, size_t whylen)
{
	*number = 0;
	switch (spec->type) {
	case NRM_OPT_STRING:
		return 0;
	case NRM_OPT_BOOL:
		if (parse_bool(text, number))
			return 0;
		snprintf(why, whylen, "expects true or false");
		return -1;
	case NRM_OPT_CHOICE:
		if (choice_allowed(spec->choices, text))
			return 0;
		snprintf(why, whylen, "expects one of %s", spec->choices ? spec->choices : "");
		return -1;
	case NRM_OPT_INT:
	case NRM_OPT_SIZE: {
		long long parsed = 0;
		int64_t v = 0;
		bool ok = spec->type == NRM_OPT_INT ? nrm_parse_int64(text, &parsed)
		                                    : parse_size(text, &v);
		if (spec->type == NRM_OPT_INT)
			v = parsed;
		if (!ok) {
			snprintf(why, whylen, spec->type == NRM_OPT_INT
			         ? "expects a whole number" : "expects a size such as 512k or 16M");
			return -1;
		}
		if ((spec->min || spec->max) && (v < spec->min || v > spec->max)) {
			snprintf(why, whylen, "must be between %lld and %lld",
			         (long long)spec->min, (long long)spec->max);
			return -1;
		}
		*number = v;
		return 0;
	}
	}
	snprintf(why, whylen, "has an unknown type %d", (int)spec->type);
	return -1;
}

/* Lower-case words joined by single hyphens: "max-field-size". */
static bool valid_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (const char *p = s; *p; p++) {
		bool word = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
		if (!word && !(*p == '-' && p[1] && p[1] != '-'))
			return false;
	}
	return true;
}

/* '|'-separated words, none empty. */
static bool valid_choices(const char *choices)
{
	size_t len = choices ? strlen(choices) : 0;
	return len && choices[0] != '|' && choices[len - 1] != '|' && !strstr(choices, "||");
}

/* The reason one table entry is malformed, or NULL when it is sound. */
static const char *spec_problem(const struct nrm_option_spec *o, char *buf, size_t len)
{
	int64_t ignored;
	char why[200];
	if (!valid_name(o->name))
		return "is not lower-case words joined by '-'";
	if (!nrm_option_type_name(o->type))
		return "has an unknown type";
	if (!o->description || !*o->description)
		return "has no description";
	if (o->type == NRM_OPT_CHOICE && !valid_choices(o->choices))
		return "is a choice without a list of non-empty choices";
	if (o->min > o->max)
		return "has a minimum above its maximum";
	if (o->default_value && parse_value(o, o->default_value, &ignored, why, sizeof(why))) {
		snprintf(buf, len, "has a default that %s", why);
		return buf;
	}
	return NULL;
}

int nrm_options_check_table(const struct nrm_option_spec *table, char *why, size_t whylen)
{
	for (const struct nrm_option_spec *o = table; o && o->name; o++) {
		char buf[256];
		const char *problem = spec_problem(o, buf, sizeof(buf));
		for (const struct nrm_option_spec *q = table; !problem && q < o; q++)
			if (strcmp(q->name, o->name) == 0)
				problem = "is declared twice";
		if (problem) {
			snprintf(why, whylen, "option '%s' %s", o->name, problem);
			return -1;
		}
	}
	return 0;
}

struct nrm_optset *nrm_optset_new(const char *plugin_name, const struct nrm_option_spec *table)
{
	struct nrm_optset *set = nrm_xcalloc(1, sizeof(*set));
	set->plugin = plugin_name;
	set->table = table;
	while (table && table[set->count].name)
		set->count++;
	set->values = nrm_xcalloc(set->count, sizeof(*set->values));
	for (size_t i = 0; i < set->count; i++) {
		const struct nrm_option_spec *spec = &table[i];
		if (!spec->default_value)
			continue;
		char why[200];
		/* Defaults were checked at load time, so this cannot fail. */
		parse_value(spec, spec->default_value, &set->values[i].number, why, sizeof(why));
		set->values[i].text = nrm_xstrdup(spec->default_value);
		set->values[i].set = true;
	}
	return set;
}

void nrm_optset_free(struct nrm_optset *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->count; i++)
		free(set->values[i].text);
	free(set->values);
	free(set);
}

static long find(const struct nrm_optset *set, const char *key)
{
	for (size_t i = 0; set && i < set->count; i++)
		if (strcmp(set->table[i].name, key) == 0)
			return (long)i;
	return -1;
}

bool nrm_optset_has(const struct nrm_optset *set, const char *key)
{
	return find(set, key) >= 0;
}

static int unknown_key(const struct nrm_optset *set, const char *key, struct nrm_error *err)
{
	size_t len = 0;
	for (size_t i = 0; i < set->count; i++)
		len += strlen(set->table[i].name) + 2;
	char *allowed = nrm_xcalloc(1, len + 1);
	for (size_t i = 0; i < set->count; i++) {
		if (i)
			strcat(allowed, ", ");
		strcat(allowed, set->table[i].name);
	}
	nrm_fail(err, EX_USAGE, "%s has no option '%s'; %s%s", set->plugin, key,
	         set->count ? "its options are: " : "it takes no options",
	         allowed);
	free(allowed);
	return -1;
}

/* True when `s` can be echoed to a terminal as it is. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int nrm_optset_set(struct nrm_optset *set, const char *key, const char *value,
                   struct nrm_error *err)
{
	long i = find(set, key);
	if (i < 0)
		return unknown_key(set, key, err);
	char why[200];
	int64_t number;
	if (parse_value(&set->table[i], value, &number, why, sizeof(why)) != 0)
		return nrm_fail(err, EX_USAGE, "%s option '%s': '%s' is not valid: %s",
		                set->plugin, key, printable(value) ? value : "(value)", why);
	struct option_value *v = &set->values[i];
	free(v->text);
	v->text = nrm_xstrdup(value);
	v->number = number;
	v->set = true;
	return 0;
}

const char *nrm_optset_string(const struct nrm_optset *set, const char *key)
{
	long i = find(set, key);
	return i >= 0 && set->values[i].set ? set->values[i].text : NULL;
}

int64_t nrm_optset_int(const struct nrm_optset *set, const char *key)
{
	long i = find(set, key);
	return i >= 0 ? set->values[i].number : 0;
}

bool nrm_optset_bool(const struct nrm_optset *set, const char *key)
{
	return nrm_optset_int(set, key) != 0;
}

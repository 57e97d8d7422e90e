/*
 * The "alerts" section of the site configuration (alerts.h), read from a
 * table of its keys, and its look at the machine for `config check`.
 * Checked with the rest of the configuration (site_config.c calls in), so
 * a broken section stops a run like any other mistake.
 */
#include "alerts.h"

#include "log.h"
#include "site_config.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

enum key_type { K_STR, K_PATH, K_BOOL, K_HOURS, K_DAYS, K_ADDRESSES };

struct key {
	const char *name;
	enum key_type type;
	size_t offset;
	bool required;
};

#define AT(field) offsetof(struct nrm_alerts_config, field)
static const struct key keys[] = {
	{"url", K_STR, AT(url), true},
	{"starttls", K_BOOL, AT(starttls), false},
	{"user", K_STR, AT(user), false},
	{"password_file", K_PATH, AT(password_file), false},
	{"ca_file", K_PATH, AT(ca_file), false},
	{"from", K_ADDRESSES, AT(from), true},
	{"to", K_ADDRESSES, AT(to), true},
	{"pending_hours", K_HOURS, AT(pending_hours), false},
	{"overdue_days", K_DAYS, AT(overdue_days), false},
	{"repeat_hours", K_HOURS, AT(repeat_hours), false},
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

struct reader {
	const char *file, *dir;
	int problems;
	struct nrm_error *first;
};

static void bad(struct reader *r, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void bad(struct reader *r, const char *key, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	nrm_log_error("%s: $.alerts%s%s: %s", r->file, key ? "." : "", key ? key : "", why);
	if (r->problems++ == 0)
		nrm_fail(r->first, EX_CONFIG, "%s: $.alerts%s%s: %s", r->file, key ? "." : "",
		         key ? key : "", why);
}

/* An address as SMTP takes it: local@domain, printable, no spaces or
 * angle brackets (it goes into MAIL FROM, RCPT TO and the headers). */
static bool address_ok(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s >= 127 || strchr("<>(),;:\"[]\\", *s))
			return false;
	return true;
}

static char *read_address(struct reader *r, const struct key *k, json_t *v)
{
	if (!json_is_string(v) || !address_ok(json_string_value(v))) {
		bad(r, k->name, "an e-mail address (name@example.org)%s", k->offset == AT(to) ?
		    ", or a list of them" : "");
		return NULL;
	}
	return nrm_xstrdup(json_string_value(v));
}

static void read_addresses(struct reader *r, const struct key *k, json_t *v,
                           struct nrm_alerts_config *c)
{
	if (k->offset == AT(from)) {
		c->from = read_address(r, k, v);
		return;
	}
	size_t n = json_is_array(v) ? json_array_size(v) : 1;
	if (n == 0 || n > 32) {
		bad(r, k->name, "one to 32 e-mail addresses");
		return;
	}
	c->to = nrm_xcalloc(n, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		char *a = read_address(r, k, json_is_array(v) ? json_array_get(v, i) : v);
		if (a)
			c->to[c->n_to++] = a;
	}
}

static long read_number(struct reader *r, const struct key *k, json_t *v, long max,
                        const char *unit)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > max) {
		bad(r, k->name, "a whole number of %s from 1 to %ld", unit, max);
		return 0;
	}
	return (long)json_integer_value(v);
}

static void read_key(struct reader *r, const struct key *k, json_t *v,
                     struct nrm_alerts_config *c)
{
	void *field = (char *)c + k->offset;
	switch (k->type) {
	case K_STR:
	case K_PATH:
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			bad(r, k->name, "must be a non-empty string");
			return;
		}
		*(char **)field = k->type == K_PATH && json_string_value(v)[0] != '/' ?
			nrm_xasprintf("%s/%s", r->dir, json_string_value(v)) :
			nrm_xstrdup(json_string_value(v));
		return;
	case K_BOOL:
		if (!json_is_boolean(v))
			bad(r, k->name, "true or false");
		*(bool *)field = json_is_true(v);
		return;
	case K_HOURS:
		*(long *)field = read_number(r, k, v, 24L * 366, "hours");
		return;
	case K_DAYS:
		*(long *)field = read_number(r, k, v, 366, "days");
		return;
	case K_ADDRESSES:
		read_addresses(r, k, v, c);
		return;
	}
}

static void check_rules(struct reader *r, const struct nrm_alerts_config *c)
{
	if (c->url && strncmp(c->url, "smtp://", 7) && strncmp(c->url, "smtps://", 8))
		bad(r, "url", "'%s': an smtp:// or smtps:// URL", c->url);
	else if (c->url && strchr(c->url, '@'))
		bad(r, "url", "no user or password in the URL: give \"user\" and \"password_file\"");
	if (!c->user != !c->password_file)
		bad(r, NULL, "\"user\" and \"password_file\" go together");
}

int nrm_alerts_config_read(json_t *a, const char *file, const char *dir,
                           struct nrm_alerts_config **out, struct nrm_error *first)
{
	struct reader r = {.file = file, .dir = dir, .first = first};
	*out = NULL;
	if (!json_is_object(a)) {
		bad(&r, NULL, "must be an object: {\"url\", \"from\", \"to\", ...}");
		return r.problems;
	}
	struct nrm_alerts_config *c = nrm_xcalloc(1, sizeof(*c));
	c->starttls = true;
	c->pending_hours = NRM_ALERTS_DEFAULT_PENDING_HOURS;
	c->overdue_days = NRM_ALERTS_DEFAULT_OVERDUE_DAYS;
	const char *name;
	json_t *v;
	json_object_foreach(a, name, v) {
		size_t i = 0;
		while (i < N_KEYS && strcmp(keys[i].name, name))
			i++;
		if (i < N_KEYS) {
			read_key(&r, &keys[i], v, c);
			continue;
		}
		char list[256] = "";
		for (size_t k = 0; k < N_KEYS; k++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
			         keys[k].name);
		bad(&r, NULL, "unknown key '%s'; allowed here: %s", name, list);
	}
	for (size_t i = 0; i < N_KEYS; i++)
		if (keys[i].required && !json_object_get(a, keys[i].name))
			bad(&r, keys[i].name, "required, and missing");
	check_rules(&r, c);
	*out = c;
	return r.problems;
}

void nrm_alerts_config_free(struct nrm_alerts_config *c)
{
	if (!c)
		return;
	free(c->url);
	free(c->user);
	free(c->password_file);
	free(c->ca_file);
	free(c->from);
	for (size_t i = 0; i < c->n_to; i++)
		free(c->to[i]);
	free(c->to);
	free(c);
}

/* ---- config check ------------------------------------------------------- */

static int check_readable(const struct nrm_config *cfg, const char *key, const char *file,
                          bool secret)
{
	struct stat st;
	if (stat(file, &st) != 0 || access(file, R_OK) != 0) {
		nrm_log_error("%s: $.alerts.%s: %s: %s", cfg->path, key, file,
		              errno ? strerror(errno) : "cannot be read");
		return 1;
	}
	if (secret && (st.st_mode & 077)) {
		nrm_log_error("%s: $.alerts.%s: %s holds the mail server's password and others "
		              "can read it (mode %04o): chmod 600 it", cfg->path, key, file,
		              (unsigned)(st.st_mode & 07777));
		return 1;
	}
	return 0;
}

int nrm_alerts_config_check(const struct nrm_config *cfg)
{
	const struct nrm_alerts_config *c = cfg->alerts;
	if (!c)
		return 0;
	int problems = 0;
	if (c->password_file)
		problems += check_readable(cfg, "password_file", c->password_file, true);
	if (c->ca_file)
		problems += check_readable(cfg, "ca_file", c->ca_file, false);
	if (c->url && !strncmp(c->url, "smtp://", 7) && !c->starttls && c->user)
		nrm_warn("%s: $.alerts: \"starttls\": false sends the mail server's password in "
		         "clear", cfg->path);
	return problems;
}

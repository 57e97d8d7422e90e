/*
 * Code lists of the XML formats: each format spells the canonical values its
 * own way, and a table maps one to the other in both directions.  Tables end
 * with a NULL text.
 */
#ifndef NRM_XML_CODES_H
#define NRM_XML_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct xml_code {
	const char *text;  /* as the format writes it */
	int32_t value;     /* the canonical enumeration value (or bit) */
};

/* The value of `text`; false when the table does not have it. */
static inline bool xml_code_value(const struct xml_code *table, const char *text, int32_t *value)
{
	for (; table->text; table++) {
		if (strcmp(table->text, text) == 0) {
			*value = table->value;
			return true;
		}
	}
	return false;
}

/* The text for `value`, or NULL when the table does not have it. */
static inline const char *xml_code_text(const struct xml_code *table, int32_t value)
{
	for (; table->text; table++)
		if (table->value == value)
			return table->text;
	return NULL;
}

/* XML Schema whitespace (space, tab, CR, LF) around a value whose type
 * collapses it (xs:boolean, xs:date, xs:dateTime, xs:integer): the schema
 * accepts " 2025-01-06 ", so the reader must too.  Sets *len. */
static inline const char *xml_trim(const char *s, size_t *len)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

/* xs:boolean: true, false, 1, 0 (after trimming); false when it is none. */
static inline bool xml_boolean(const char *s, int8_t *out)
{
	size_t n;
	s = xml_trim(s, &n);
	if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 1 && *s == '1'))
		*out = 1;
	else if ((n == 5 && memcmp(s, "false", 5) == 0) || (n == 1 && *s == '0'))
		*out = 0;
	else
		return false;
	return true;
}

/* A child's age: one or two digits, 0 to 99 (the hub refuses 18 and over). */
static inline bool xml_age(const char *s, int32_t *out)
{
	size_t n;
	s = xml_trim(s, &n);
	if (n > 1 && *s == '+') /* xs:nonNegativeInteger allows "+15" and "015" */
		s++, n--;
	while (n > 1 && *s == '0')
		s++, n--;
	if (n < 1 || n > 2 || s[0] < '0' || s[0] > '9' || (n == 2 && (s[1] < '0' || s[1] > '9')))
		return false;
	*out = n == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

#endif

/*
 * jansson's syntax errors said as the rule broken, for every reader of JSON
 * that is untrusted input: the JSON import plugins and the hub's readers of
 * return.json.  jansson's own text ends in "near '...'", quoting the token
 * it stopped at, which may be an NRM reference or a child's name; that part
 * never reaches a message.  Depends on nothing but libc, so the hub
 * compiles the same file.
 */
#ifndef NRM_JSON_SYNTAX_H
#define NRM_JSON_SYNTAX_H

#include <stddef.h>

/* The rule broken ("duplicate member name in an object (not allowed)",
 * "not valid JSON: ':' expected"), from jansson's error text, into out;
 * nothing of the input is copied. */
void json_syntax_reason(const char *jansson_text, char *out, size_t cap);

/* jansson gives the column of the last character it read; for bytes that
 * are not UTF-8 that is the one before them.  Returns what to add to it to
 * name the bad byte itself: 1 for that error, else 0. */
int json_syntax_column_shift(const char *jansson_text);

#endif

/* See json_syntax.h. */
#include "json_syntax.h"

#include <stdio.h>
#include <string.h>

void json_syntax_reason(const char *text, char *out, size_t cap)
{
	static const struct {
		const char *jansson, *rule;
	} rules[] = {
		{"duplicate object key", "duplicate member name in an object (not allowed)"},
		{"maximum parsing depth reached", "nested deeper than 2048 levels (not allowed)"},
		{"too big integer", "number out of range (integers must fit in 64 bits)"},
		{"too big negative integer", "number out of range (integers must fit in 64 bits)"},
		{"real number overflow", "number out of range (too large for a double)"},
		{"\\u0000 is not allowed", "\\u0000 in a string (NUL is not allowed)"},
		{"unable to decode byte", "not valid UTF-8"},
		{"invalid UTF-8", "not valid UTF-8"},
		{"premature end of input", "truncated: the document ends in the middle of a value"},
		{"near end of file", "truncated: the document ends in the middle of a value"},
		{"end of file expected", "unexpected text after the value"},
		{"invalid Unicode", "not valid JSON: a \\u escape that is not a character"},
		{"control character", "not valid JSON: a control character in a string "
		                      "(write it as a \\u escape)"},
	};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		if (strstr(text, rules[i].jansson)) {
			snprintf(out, cap, "%s", rules[i].rule);
			return;
		}
	}
	/* What is left is jansson's own fixed words ("':' expected", "invalid
	 * token"); the token it quotes after " near " is the input's. */
	const char *near = strstr(text, " near ");
	int len = near ? (int)(near - text) : (int)strlen(text);
	snprintf(out, cap, "not valid JSON: %.*s", len, text);
}

int json_syntax_column_shift(const char *text)
{
	return strstr(text, "unable to decode byte") ? 1 : 0;
}

/* See csv_write.h. */
#include "csv_write.h"

#include <string.h>

void csv_row_begin(struct csv_row *row, struct out_buffer *out, bool guard_formulas)
{
	row->out = out;
	row->started = false;
	row->guard_formulas = guard_formulas;
}

static bool needs_quotes(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

static bool looks_like_formula(const char *s, size_t len)
{
	return len > 0 && strchr("=+-@\t\r", s[0]) != NULL;
}

int csv_row_field_len(struct csv_row *row, const char *s, size_t len)
{
	struct out_buffer *b = row->out;
	if (row->started && out_buffer_put(b, ",", 1) != NRM_OK)
		return NRM_FAIL;
	row->started = true;
	bool guard = row->guard_formulas && looks_like_formula(s, len);
	if (!guard && !needs_quotes(s, len))
		return out_buffer_put(b, s, len);
	if (out_buffer_put(b, "\"", 1) != NRM_OK ||
	    (guard && out_buffer_put(b, "'", 1) != NRM_OK))
		return NRM_FAIL;
	const char *run = s;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		/* The quote goes out twice: once with the run before it, once here. */
		if (out_buffer_put(b, run, (size_t)(s + i + 1 - run)) != NRM_OK ||
		    out_buffer_put(b, "\"", 1) != NRM_OK)
			return NRM_FAIL;
		run = s + i + 1;
	}
	if (out_buffer_put(b, run, (size_t)(s + len - run)) != NRM_OK)
		return NRM_FAIL;
	return out_buffer_put(b, "\"", 1);
}

int csv_row_field(struct csv_row *row, const char *text)
{
	return csv_row_field_len(row, text ? text : "", text ? strlen(text) : 0);
}

int csv_row_end(struct csv_row *row)
{
	row->started = false;
	return out_buffer_put(row->out, "\r\n", 2);
}

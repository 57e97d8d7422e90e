/* See csv_write.h. */
#include "csv_write.h"

#include <stdio.h>
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

int csv_row_date_dmy(struct csv_row *row, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return csv_row_field(row, NULL);
	int y, m, d;
	char text[16];
	row->out->host->date_to_ymd(date, &y, &m, &d);
	int n = snprintf(text, sizeof(text), "%02d/%02d/%04d", d, m, y);
	return csv_row_field_len(row, text, (size_t)n);
}

int csv_row_time(struct csv_row *row, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return csv_row_field(row, NULL);
	char text[21];
	row->out->host->time_format_rfc3339(t, text);
	return csv_row_field_len(row, text, 20);
}

int csv_row_int(struct csv_row *row, int32_t value, int32_t none)
{
	char text[16];
	if (value == none)
		return csv_row_field(row, NULL);
	int n = snprintf(text, sizeof(text), "%d", (int)value);
	return csv_row_field_len(row, text, (size_t)n);
}

int csv_row_nationality(struct csv_row *row, const char *const nationality[2])
{
	char text[64];
	if (!nationality[0])
		return csv_row_field(row, NULL);
	int n = nationality[1]
	                ? snprintf(text, sizeof(text), "%s;%s", nationality[0], nationality[1])
	                : snprintf(text, sizeof(text), "%s", nationality[0]);
	/* Validated codes are two letters; anything longer is cut, never overrun. */
	if (n < 0 || (size_t)n >= sizeof(text))
		n = (int)sizeof(text) - 1;
	return csv_row_field_len(row, text, (size_t)n);
}

int csv_write_header(struct out_buffer *out, bool guard_formulas, const char *const *names,
                     size_t n)
{
	struct csv_row row;
	csv_row_begin(&row, out, guard_formulas);
	if (out_buffer_put(out, "\xEF\xBB\xBF", 3) != NRM_OK)
		return NRM_FAIL;
	for (size_t i = 0; i < n; i++)
		if (csv_row_field(&row, names[i]) != NRM_OK)
			return NRM_FAIL;
	return csv_row_end(&row);
}

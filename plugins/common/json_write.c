/* See json_write.h. */
#include "json_write.h"

#include "labels.h"

#include <stdio.h>

int jw_string(struct out_buffer *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	if (!s)
		return jw_raw(b, "null");
	if (out_buffer_put(b, "\"", 1) != NRM_OK)
		return NRM_FAIL;
	const char *run = s;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		char esc[6] = {'\\', (char)ch};
		size_t n = 2;
		if (ch < 0x20) {
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 15];
			n = 6;
		}
		if (out_buffer_put(b, run, (size_t)(s - run)) != NRM_OK ||
		    out_buffer_put(b, esc, n) != NRM_OK)
			return NRM_FAIL;
		run = s + 1;
	}
	if (out_buffer_put(b, run, (size_t)(s - run)) != NRM_OK)
		return NRM_FAIL;
	return out_buffer_put(b, "\"", 1);
}

int jw_date(struct out_buffer *b, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return jw_raw(b, "null");
	char text[16] = "\"";
	b->host->date_format_iso(date, text + 1);
	text[11] = '"';
	return out_buffer_put(b, text, 12);
}

int jw_time(struct out_buffer *b, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return jw_raw(b, "null");
	char text[24] = "\"";
	b->host->time_format_rfc3339(t, text + 1);
	text[21] = '"';
	return out_buffer_put(b, text, 22);
}

int jw_int(struct out_buffer *b, int32_t value, int32_t none)
{
	if (value == none)
		return jw_raw(b, "null");
	char text[16];
	int n = snprintf(text, sizeof(text), "%d", (int)value);
	return out_buffer_put(b, text, (size_t)n);
}

int jw_tristate(struct out_buffer *b, int8_t v)
{
	if (v == NRM_YES)
		return jw_raw(b, "true");
	if (v == NRM_NO)
		return jw_raw(b, "false");
	return jw_raw(b, "null");
}

int jw_nationality(struct out_buffer *b, const char *const nationality[2])
{
	int bad = jw_raw(b, "[");
	for (int i = 0; i < 2 && nationality[i]; i++) {
		if (i)
			bad |= jw_raw(b, ",");
		bad |= jw_string(b, nationality[i]);
	}
	bad |= jw_raw(b, "]");
	return bad ? NRM_FAIL : NRM_OK;
}

int jw_label(struct out_buffer *b, int kind, int32_t value)
{
	return jw_string(b, label_of(kind, value, LABEL_ENGLISH));
}

int jw_exploitation_labels(struct out_buffer *b, uint32_t types)
{
	int bad = jw_raw(b, "[");
	int n = 0;
	for (const uint32_t *bit = label_exploitation_order; *bit; bit++) {
		if (!(types & *bit))
			continue;
		if (n++)
			bad |= jw_raw(b, ",");
		bad |= jw_string(b, label_exploitation(*bit, LABEL_ENGLISH));
	}
	bad |= jw_raw(b, "]");
	return bad ? NRM_FAIL : NRM_OK;
}

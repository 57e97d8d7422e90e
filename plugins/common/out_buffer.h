/*
 * A plugin's output buffer: records are gathered into large blocks and
 * handed to the host's write in one call, so an export costs one host call
 * per 256 KiB rather than one per field.  Shared by the export plugins.
 */
#ifndef NRM_PLUGINS_OUT_BUFFER_H
#define NRM_PLUGINS_OUT_BUFFER_H

#include <nrmhub/plugin.h>

#include <stddef.h>
#include <string.h>

struct out_buffer {
	const struct nrm_host *host;
	nrm_stream *out;
	char *buf;
	size_t len, cap;
};

/* NRM_OK, or NRM_FAIL (reported) when there is no memory. */
int out_buffer_init(struct out_buffer *b, const struct nrm_host *host, nrm_stream *out);
void out_buffer_free(struct out_buffer *b);
/* Hands what is gathered to the host; NRM_OK or NRM_FAIL (reported). */
int out_buffer_flush(struct out_buffer *b);
int out_buffer_put_slow(struct out_buffer *b, const void *data, size_t len);

/* An export plugin's writer that starts with its out_buffer (the plugin's
 * own fields, if any, after it).  out_buffer_open allocates `size` zeroed
 * bytes, readies the buffer and sets *state; NRM_OK, or NRM_FAIL (reported)
 * with *state untouched.  The other two serve as export_finish (flushes)
 * and export_close. */
int out_buffer_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *out);
int out_buffer_export_finish(void *state);
void out_buffer_export_close(void *state);

/* Inline: it runs for every field written. */
static inline int out_buffer_put(struct out_buffer *b, const void *data, size_t len)
{
	if (b->cap - b->len < len)
		return out_buffer_put_slow(b, data, len);
	memcpy(b->buf + b->len, data, len);
	b->len += len;
	return NRM_OK;
}

static inline int out_buffer_puts(struct out_buffer *b, const char *s)
{
	return out_buffer_put(b, s, strlen(s));
}

#endif

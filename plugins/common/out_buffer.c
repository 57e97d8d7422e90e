/* See out_buffer.h. */
#include "out_buffer.h"

#include <stdlib.h>

#define BLOCK (256 * 1024)

int out_buffer_init(struct out_buffer *b, const struct nrm_host *host, nrm_stream *out)
{
	b->host = host;
	b->out = out;
	b->len = 0;
	b->cap = BLOCK;
	b->buf = malloc(BLOCK);
	if (!b->buf)
		return host->report(out, NULL, NULL, "out of memory");
	return NRM_OK;
}

void out_buffer_free(struct out_buffer *b)
{
	free(b->buf);
	b->buf = NULL;
}

int out_buffer_flush(struct out_buffer *b)
{
	int rc = b->len ? b->host->write(b->out, b->buf, b->len) : NRM_OK;
	b->len = 0;
	return rc;
}

int out_buffer_put_slow(struct out_buffer *b, const void *data, size_t len)
{
	if (out_buffer_flush(b) != NRM_OK)
		return NRM_FAIL;
	if (len > b->cap) /* larger than a block: straight through */
		return b->host->write(b->out, data, len);
	memcpy(b->buf, data, len);
	b->len = len;
	return NRM_OK;
}

int out_buffer_open(void **state, size_t size, const struct nrm_host *host, nrm_stream *out)
{
	struct out_buffer *b = calloc(1, size);
	if (!b)
		return host->report(out, NULL, NULL, "out of memory");
	if (out_buffer_init(b, host, out) != NRM_OK) {
		free(b);
		return NRM_FAIL;
	}
	*state = b;
	return NRM_OK;
}

int out_buffer_export_finish(void *state)
{
	return out_buffer_flush(state);
}

void out_buffer_export_close(void *state)
{
	if (!state)
		return;
	out_buffer_free(state);
	free(state);
}

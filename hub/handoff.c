/*
 * The handoff is a ring of full batches and a stack of spare ones, under one
 * mutex and one condition variable.  Threads meet only when a batch changes
 * hands (every few hundred records), so locking costs nothing measurable.
 *
 * A record's strings are copied into its batch's text area.  Validated
 * records have short strings (case_id 64 bytes, organisation 200, codes a
 * few), so a record's text is well under RECORD_TEXT_MAX; a longer one is
 * refused rather than overflowing.
 */
#include "handoff.h"

#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_RECORDS 512
#define RECORD_TEXT_MAX 1024
#define BATCH_TEXT (BATCH_RECORDS * RECORD_TEXT_MAX / 2)
#define N_BATCHES 4

struct batch {
	size_t count, text_len;
	struct nrm_case cases[BATCH_RECORDS];
	struct nrm_handoff_tag tags[BATCH_RECORDS];
	char text[BATCH_TEXT];
};

struct nrm_handoff {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct batch *full[N_BATCHES];  /* ring, oldest at full_head */
	size_t full_head, full_count;
	struct batch *spare[N_BATCHES]; /* stack */
	size_t spare_count;
	struct batch *filling;          /* the producer's, outside both */
	bool closed;                    /* no more batches will come */
	bool failed;                    /* the consumer gave up */
	nrm_consume_fn consume;
	void *ctx;
};

static struct batch *take_full(struct nrm_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	while (h->full_count == 0 && !h->closed)
		pthread_cond_wait(&h->changed, &h->lock);
	struct batch *b = NULL;
	if (h->full_count) {
		b = h->full[h->full_head];
		h->full_head = (h->full_head + 1) % N_BATCHES;
		h->full_count--;
	}
	pthread_mutex_unlock(&h->lock);
	return b;
}

static void return_spare(struct nrm_handoff *h, struct batch *b, bool failed)
{
	pthread_mutex_lock(&h->lock);
	h->spare[h->spare_count++] = b;
	h->failed = h->failed || failed;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

static void *export_thread(void *arg)
{
	struct nrm_handoff *h = arg;
	bool failed = false;
	struct batch *b;
	while ((b = take_full(h)) != NULL) {
		for (size_t i = 0; i < b->count && !failed; i++)
			failed = h->consume(h->ctx, &b->cases[i], &b->tags[i]) != NRM_OK;
		b->count = b->text_len = 0;
		return_spare(h, b, failed);
	}
	return NULL;
}

struct nrm_handoff *nrm_handoff_start(nrm_consume_fn consume, void *ctx)
{
	struct nrm_handoff *h = nrm_xcalloc(1, sizeof(*h));
	h->consume = consume;
	h->ctx = ctx;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->changed, NULL);
	for (int i = 0; i < N_BATCHES - 1; i++)
		h->spare[h->spare_count++] = nrm_xcalloc(1, sizeof(struct batch));
	h->filling = nrm_xcalloc(1, sizeof(struct batch));
	if (pthread_create(&h->thread, NULL, export_thread, h) != 0) {
		for (size_t i = 0; i < h->spare_count; i++)
			free(h->spare[i]);
		free(h->filling);
		free(h);
		return NULL;
	}
	return h;
}

/* Passes the filling batch on and takes a spare one; false on failure. */
static bool submit(struct nrm_handoff *h)
{
	pthread_mutex_lock(&h->lock);
	h->full[(h->full_head + h->full_count) % N_BATCHES] = h->filling;
	h->full_count++;
	pthread_cond_broadcast(&h->changed);
	while (h->spare_count == 0)
		pthread_cond_wait(&h->changed, &h->lock);
	h->filling = h->spare[--h->spare_count];
	bool ok = !h->failed;
	pthread_mutex_unlock(&h->lock);
	return ok;
}

static const char *copy_text(struct batch *b, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = b->text + b->text_len;
	memcpy(d, s, n);
	b->text_len += n;
	return d;
}

static size_t text_size(const struct nrm_case *c)
{
	const char *const texts[] = {c->case_id, c->site, c->nrm_ref, c->first_responder_org,
	                             c->local_authority, c->police_force, c->nationality[0],
	                             c->nationality[1]};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		n += texts[i] ? strlen(texts[i]) + 1 : 0;
	return n;
}

bool nrm_handoff_put(struct nrm_handoff *h, const struct nrm_case *c,
                     const struct nrm_handoff_tag *tag)
{
	size_t need = text_size(c);
	if (need > RECORD_TEXT_MAX)
		return false;
	struct batch *b = h->filling;
	if (b->count == BATCH_RECORDS || BATCH_TEXT - b->text_len < need) {
		if (!submit(h))
			return false;
		b = h->filling;
	}
	b->tags[b->count] = *tag;
	struct nrm_case *copy = &b->cases[b->count++];
	*copy = *c;
	copy->case_id = copy_text(b, c->case_id);
	copy->site = copy_text(b, c->site);
	copy->nrm_ref = copy_text(b, c->nrm_ref);
	copy->first_responder_org = copy_text(b, c->first_responder_org);
	copy->local_authority = copy_text(b, c->local_authority);
	copy->police_force = copy_text(b, c->police_force);
	copy->nationality[0] = copy_text(b, c->nationality[0]);
	copy->nationality[1] = copy_text(b, c->nationality[1]);
	return true;
}

int nrm_handoff_finish(struct nrm_handoff *h)
{
	if (h->filling->count)
		submit(h);
	pthread_mutex_lock(&h->lock);
	h->closed = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	bool failed = h->failed;
	for (size_t i = 0; i < h->spare_count; i++)
		free(h->spare[i]);
	free(h->filling);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->changed);
	free(h);
	return failed ? NRM_FAIL : NRM_OK;
}

/*
 * The payload reader thread: a ring of a few large buffers between one
 * producer (reading and hashing files) and one consumer (the packer).
 */
#include "bundle_reader.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define SLOTS 4
#define CHUNK (1024 * 1024)

struct slot {
	char *buf;
	ssize_t len; /* > 0 data, 0 end of file, -1 error */
};

struct nrm_bundle_reader {
	struct nrm_bag_payload *payload;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct slot slots[SLOTS];
	size_t head, count; /* the consumer's next slot; slots filled */
	bool consumer_holds;  /* the consumer still uses the slot at head */
	bool cancel;
	struct nrm_error err; /* the producer's, handed over with a -1 slot */
};

/* Waits for a free slot; NULL when cancelled. */
static struct slot *claim(struct nrm_bundle_reader *r)
{
	pthread_mutex_lock(&r->lock);
	while (!r->cancel && r->count == SLOTS)
		pthread_cond_wait(&r->changed, &r->lock);
	struct slot *s = r->cancel ? NULL : &r->slots[(r->head + r->count) % SLOTS];
	pthread_mutex_unlock(&r->lock);
	return s;
}

static void publish(struct nrm_bundle_reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->count++;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

/* Reads one file into the ring; false when reading must stop. */
static bool produce_file(struct nrm_bundle_reader *r, struct nrm_bag_file *f)
{
	int fd = open(f->source, O_RDONLY | O_CLOEXEC);
	crypto_hash_sha512_state sha;
	crypto_hash_sha512_init(&sha);
	uint64_t done = 0;
	for (;;) {
		struct slot *s = claim(r);
		if (!s) {
			if (fd >= 0)
				close(fd);
			return false;
		}
		ssize_t n = fd < 0 ? -1 : read(fd, s->buf, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			nrm_fail(&r->err, fd < 0 ? EX_NOINPUT : EX_IOERR, "cannot read %s: %s",
			         f->source, strerror(errno));
		else if ((n == 0 && done != f->size) || done + (uint64_t)n > f->size) {
			n = -1;
			nrm_fail(&r->err, EX_DATAERR, "%s changed size while it was being bundled",
			         f->source);
		}
		if (n > 0) {
			crypto_hash_sha512_update(&sha, (unsigned char *)s->buf, (size_t)n);
			done += (uint64_t)n;
		} else if (n == 0) {
			crypto_hash_sha512_final(&sha, f->sha512);
		}
		s->len = n;
		publish(r);
		if (n <= 0) {
			if (fd >= 0)
				close(fd);
			return n == 0;
		}
	}
}

static void *cb_reader_thread(void *arg)
{
	struct nrm_bundle_reader *r = arg;
	for (size_t i = 0; i < r->payload->count; i++)
		if (!r->payload->files[i].is_dir && !produce_file(r, &r->payload->files[i]))
			break;
	return NULL;
}

struct nrm_bundle_reader *nrm_bundle_reader_start(struct nrm_bag_payload *payload)
{
	struct nrm_bundle_reader *r = nrm_xcalloc(1, sizeof(*r));
	r->payload = payload;
	for (int i = 0; i < SLOTS; i++)
		r->slots[i].buf = nrm_xmalloc(CHUNK);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->changed, NULL);
	if (pthread_create(&r->thread, NULL, cb_reader_thread, r) != 0) {
		for (int i = 0; i < SLOTS; i++)
			free(r->slots[i].buf);
		pthread_mutex_destroy(&r->lock);
		pthread_cond_destroy(&r->changed);
		free(r);
		return NULL;
	}
	return r;
}

ssize_t nrm_bundle_reader_next(struct nrm_bundle_reader *r, const char **data,
                               struct nrm_error *err)
{
	pthread_mutex_lock(&r->lock);
	if (r->consumer_holds) { /* the previous chunk is done with */
		r->consumer_holds = false;
		r->head = (r->head + 1) % SLOTS;
		r->count--;
		pthread_cond_broadcast(&r->changed);
	}
	while (r->count == 0)
		pthread_cond_wait(&r->changed, &r->lock);
	struct slot *s = &r->slots[r->head];
	ssize_t n = s->len;
	*data = s->buf;
	r->consumer_holds = true;
	if (n < 0 && err)
		*err = r->err;
	pthread_mutex_unlock(&r->lock);
	return n;
}

void nrm_bundle_reader_stop(struct nrm_bundle_reader *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->cancel = true;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	for (int i = 0; i < SLOTS; i++)
		free(r->slots[i].buf);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->changed);
	free(r);
}

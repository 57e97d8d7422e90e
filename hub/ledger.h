/*
 * The ledger of unattended runs, kept in the case store (schema version 3,
 * store_schema.c): every job run, the items waiting to be delivered, and
 * the receipts of deliveries, so that an item a receiver acknowledged is
 * never sent again.  Functions return 0, or -1 with store_error() set;
 * lookups return 1 for "none".
 */
#ifndef NRM_LEDGER_H
#define NRM_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

struct store;

/* When `job` was first seen; records `now` when it never was. */
int ledger_job_seen(struct store *s, const char *job, int64_t now, int64_t *first_seen);
/* The same, read only (a dry run records nothing): 0 with *first_seen set,
 * 1 when the job was never seen (*first_seen left as it is), or -1. */
int ledger_job_first_seen(struct store *s, const char *job, int64_t *first_seen);

struct ledger_run {
	int64_t started_at, ended_at;
	char status[16];       /* "ok", "retry", "failed" */
	char message[1024];
	int64_t runs;          /* how many runs the job has had */
};

/* The job's last run; 1 when it never ran. */
int ledger_job_last(struct store *s, const char *job, struct ledger_run *out);

/* What a run keeps of the problems its job sent: the first few, each text
 * cut at LEDGER_TEXT_MAX bytes. */
#define LEDGER_PROBLEMS 5
#define LEDGER_TEXT_MAX 512

/* One run of a job, as recorded. */
struct ledger_run_record {
	const char *job;
	int64_t started_at, ended_at;
	const char *status;   /* "ok", "retry", "failed" */
	const char *message;
	json_t *outputs;      /* a JSON list of paths; NULL: [] */
	json_t *counts;       /* what an import counted ({records, new, changed, unchanged,
	                       * rejected, files_skipped, committed}); NULL: none */
	json_t *problems;     /* its first problems in the input; NULL: none */
	const char *rejects;  /* the rejects report it wrote, or NULL */
};

/* Records one run.  What came from the job's child is as untrusted as its
 * plugin, and is kept only in these shapes: the counts' whole numbers and
 * true/false values; at most LEDGER_PROBLEMS problems, each {file, line,
 * column, path, field, reason} (strings, whole numbers or null). */
int ledger_run_add(struct store *s, const struct ledger_run_record *r);

/* The runs of `job` (NULL: every job) started at or after `since` (0: any
 * time), the last recorded first, at most `limit` (0: all), as a JSON list
 * of {job, started_at, ended_at, status, message, outputs, counts,
 * problems, rejects}; caller decrefs.  NULL on failure. */
json_t *ledger_runs(struct store *s, const char *job, int64_t since, int64_t limit);

/* A run's result as a person reads it: its status, and for an import that
 * kept going past bad records (its counts) "ok with N rejected".  buf[64]. */
void ledger_result_text(const char *status, const json_t *counts, char buf[64]);

/* Adds `item` (a file's absolute path) for `target` unless it is there
 * already, in whatever state. */
int ledger_delivery_queue(struct store *s, const char *target, const char *item, int64_t now);

/* The items of `target` (NULL: every target) in `state` (NULL: any), in
 * the order queued, as a JSON list of {id, target, item, state, queued_at,
 * message}; caller decrefs.  NULL on failure. */
json_t *ledger_deliveries(struct store *s, const char *target, const char *state);

/* An item still pending whose file was removed because it held an erased
 * case (erase_held.h) becomes "withdrawn", with `message`, and is never
 * sent.  An item in another state is left as it is. */
int ledger_delivery_withdraw(struct store *s, const char *item, const char *message);

/* A person's change to delivery `id` (ledger_queue.c): requeue puts a
 * delivered, refused or cancelled item back as pending, to be sent by the
 * next deliver job; cancel makes a pending or refused one "cancelled",
 * never sent.  `note` (who and why) is kept as the item's message and in a
 * receipt row.  0; 1 when there is no such delivery; 2 when its state
 * (copied into `was`) does not allow the move; -1 on a store error. */
enum ledger_move { LEDGER_REQUEUE, LEDGER_CANCEL };
int ledger_delivery_move(struct store *s, int64_t id, enum ledger_move move, const char *note,
                         int64_t now, char *was, size_t was_size);

/* Stores a receipt (nrm_receipt_to_json's object) for the item and moves
 * it to the receipt's state (delivered, pending, refused). */
int ledger_receipt_add(struct store *s, const char *target, const char *item,
                       json_t *receipt, int64_t now);

#endif

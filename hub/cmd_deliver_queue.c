/*
 * `nrmhub deliver requeue ID` and `nrmhub deliver cancel ID`: a person's
 * hand on the site's delivery queue (the ledger in its store, IDs as
 * `status` shows them): a bundle the receiver lost is sent again by the
 * next deliver job; one that must not leave is never sent.  Who asked,
 * when and why is kept with the item (ledger_queue.c).
 */
#include "commands.h"

#include "access_log.h"
#include "ledger.h"
#include "log.h"
#include "run_site.h"
#include "store.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

static int parse_id(const char *text, int64_t *id)
{
	long long v;
	if (!nrm_parse_int64(text, &v) || v < 1)
		return -1;
	*id = (int64_t)v;
	return 0;
}

/* "requeued by USER: REASON" */
static char *note_for(enum ledger_move move, const char *reason)
{
	char *user = nrm_os_user();
	char *note = nrm_xasprintf("%s by %s%s%s", move == LEDGER_REQUEUE ? "requeued" : "cancelled",
	                           user ? user : "?", reason ? ": " : "", reason ? reason : "");
	free(user);
	return note;
}

static int explain(int got, int64_t id, enum ledger_move move, const char *was,
                   struct store *s)
{
	if (got == 1) {
		nrm_log_error("no delivery #%lld in the ledger (see 'nrmhub status')", (long long)id);
		return EX_NOINPUT;
	}
	if (got == 2) {
		nrm_log_error("delivery #%lld is %s: %s", (long long)id, was,
		              move == LEDGER_REQUEUE ? "it is waiting to be sent already"
		                                     : "only a pending or refused item can be cancelled");
		return EX_DATAERR;
	}
	nrm_log_error("%s", store_error(s)->msg);
	return store_error(s)->code;
}

static int move_one(struct nrm_context *ctx, enum ledger_move move, int64_t id,
                    const char *reason)
{
	struct nrm_site site;
	int rc = nrm_site_load(ctx, &site);
	struct store *s = NULL;
	struct nrm_error err;
	if (rc == 0 && store_open(nrm_site_store(ctx, &site), &s, &err) != 0) {
		nrm_log_error("%s", err.msg);
		rc = err.code;
	}
	if (rc == 0) {
		char *note = note_for(move, reason), was[32] = "";
		int got = ledger_delivery_move(s, id, move, note, (int64_t)time(NULL), was, sizeof(was));
		if (got == 0)
			printf("delivery #%lld: %s\n", (long long)id,
			       move == LEDGER_REQUEUE ? "pending again: the next deliver job sends it"
			                              : "cancelled: it will not be sent");
		else
			rc = explain(got, id, move, was, s);
		free(note);
	}
	store_close(s);
	nrm_site_free(&site);
	return rc;
}

int nrm_deliver_queue_command(struct nrm_context *ctx, int argc, char **argv)
{
	static const struct option options[] = {
		{"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	enum ledger_move move = strcmp(argv[0], "requeue") == 0 ? LEDGER_REQUEUE : LEDGER_CANCEL;
	const char *reason = NULL;
	int opt;
	optind = 0; /* GNU getopt: start again, from argv[1] */
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'r': reason = optarg; break;
		case 'h':
			printf("Usage: nrmhub deliver %s ID [--reason TEXT]\n"
			       "%s delivery ID of the site's queue (IDs as 'nrmhub status' shows them),\n"
			       "recording who (the OS user), when and --reason with it.\n",
			       argv[0], move == LEDGER_REQUEUE ? "Send again, with the next deliver job,"
			                                       : "Never send");
			return 0;
		default: return nrm_usage_error("deliver", "unknown option");
		}
	}
	int64_t id;
	if (optind + 1 != argc || parse_id(argv[optind], &id) != 0)
		return nrm_usage_error("deliver", "%s takes one delivery ID, a whole number (see "
		                       "'nrmhub status')", argv[0]);
	return move_one(ctx, move, id, reason);
}

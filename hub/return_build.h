/*
 * The quarterly return of one site for one calendar quarter, built from
 * canonical cases handed over one at a time, in any order, from any source
 * (an import pipeline, the case store).  Only counters and one day count per
 * decision or waiting case are kept, never the cases.
 *
 * The figures and their definitions are issue 4's and formats/return.md's;
 * the JSON shape is schemas/return.schema.json (RETURN.md).
 */
#ifndef NRM_RETURN_BUILD_H
#define NRM_RETURN_BUILD_H

#include "quarter.h"

#include <jansson.h>
#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stdint.h>

struct nrm_error;

enum nrm_audience {
	NRM_AUDIENCE_OFFICIAL = 0,  /* exact counts, to the Home Office */
	NRM_AUDIENCE_PUBLISHED,     /* small counts "[c]", secondary suppression */
};

/* The number of quarters in the `trend` of returns made before the series
 * (return_series.h) replaced it: read still, never written. */
#define NRM_RETURN_TREND_QUARTERS 8

struct nrm_return_params {
	/* The site whose cases count; cases of any other site are ignored.
	 * NULL: the site of the first case, and then the inputs must hold no
	 * other site (finish fails otherwise, since the choice would depend on
	 * the order of the cases). */
	const char *site;
	struct nrm_quarter quarter;
	enum nrm_audience audience;
	int64_t generated_at;       /* seconds since the epoch, UTC */
	/* $.data_as_at: when the data was as at (the case store's latest
	 * import the return used); 0: the latest updated_at of the site's
	 * cases, but no later than generated_at (generated_at when none has
	 * one), for cases read from files. */
	int64_t data_as_at;
	const char *version;        /* generator.version */
	/* The day the site joined the pilot (site.joined): its cases referred
	 * before it are no pilot cases, and the comparison's cumulative
	 * figures start there.  0 or a day before June 2021: from the pilot's
	 * start. */
	int32_t joined;
	const char *area;           /* the site's GSS area code ($.area), or NULL */
	int threshold;              /* published: counts 1..threshold are "[c]"; 0: 4 */
	bool no_earlier;            /* published: do not follow the earlier quarters'
	                               own suppression in the series (internal) */
	/* The returns the site last sent for past quarters of the series
	 * (n_sent of them, any order; either audience): a past quarter's
	 * series row is that return's figures, so the series agrees with what
	 * was sent, and the published series hides what that return's
	 * published pattern hides.  NULL: every row as counted now. */
	const json_t *const *sent;
	size_t n_sent;
};

struct nrm_return_builder;

struct nrm_return_builder *nrm_return_builder_new(const struct nrm_return_params *p);
/*
 * Counts one case.  Returns true when the case is the site's, in scope (not
 * age-disputed) and appears in one of the quarter's tables (referred,
 * decided, withdrawn or transferred in it, or awaiting a decision at its
 * end): the cases a record-level extract of the quarter holds.
 */
bool nrm_return_builder_add(struct nrm_return_builder *rb, const struct nrm_case *c);
/* The day the site joined, when it is known only once the cases are read
 * (the site's configuration, for a site adopted from its cases): the
 * series begins at its quarter (or the pilot's start) however `joined` in
 * the params had it; a day earlier than that changes nothing.  Call
 * before finish. */
void nrm_return_builder_set_joined(struct nrm_return_builder *rb, int32_t joined);
/* The returns the site last sent for past quarters of the series, when
 * they are known only once the cases are read (the site adopted from its
 * cases): as params.sent, which they replace.  Kept, not copied: they
 * must outlive the builder's finish.  Call before finish. */
void nrm_return_builder_set_sent(struct nrm_return_builder *rb, const json_t *const *sent,
                                 size_t n_sent);
/* After finish: the series' rows as counted now, one for each row of the
 * return's $.series, in its order (a past quarter's row there may be the
 * one the site sent instead).  A new array. */
json_t *nrm_return_builder_series_counted(const struct nrm_return_builder *rb);
/* The site the return is for: the one given, or the one adopted from the
 * first case (NULL before any case when none was given). */
const char *nrm_return_builder_site(const struct nrm_return_builder *rb);
/*
 * The return as a new JSON object (with the audience's suppression applied),
 * or NULL with `err` filled (EX_DATAERR: no site given and the inputs held
 * none, or held several, or the published return failed its disclosure
 * audit; EX_SOFTWARE: no suppression pattern was found).  Call once.
 */
json_t *nrm_return_builder_finish(struct nrm_return_builder *rb, struct nrm_error *err);
void nrm_return_builder_free(struct nrm_return_builder *rb);

/* The Home Office label of a set of exploitation types (nrm_case bits):
 * "Criminal", "Sexual & Criminal", "Sexual, Labour & Criminal", or "Not
 * specified or unknown" for none.  Static storage. */
const char *nrm_exploitation_label(uint32_t types);

/* The age band of an age at exploitation: "0-11", "12-15", "16-17" or
 * "unknown". */
const char *nrm_age_band(int32_t age);

#endif

/*
 * The interval audit of suppressed figures, as a determined reader would
 * run it: for each hidden count, the smallest and largest value it can take
 * given every shown figure and the relations of the model, by linear
 * programming (GLPK).  The LP relaxation (counts real, not whole) gives an
 * interval at least as wide as the whole-number one, so a figure it passes
 * is protected; this is the audit tau-ARGUS and sdcTable run too, with one
 * fact more that a reader of these tables has: a hidden count is never 0.
 */
#ifndef NRM_DISCLOSURE_AUDIT_H
#define NRM_DISCLOSURE_AUDIT_H

#include "disclosure_model.h"

#include <stdbool.h>
#include <stddef.h>

struct nrm_error;

/* The default threshold: counts from 1 to 4 are suppressed. */
#define NRM_DC_THRESHOLD 4

struct nrm_dc_params {
	int threshold;   /* counts 1..threshold are primary; 0: NRM_DC_THRESHOLD */
	int protection;  /* the width a small count's interval needs; 0: threshold + 1 */
	/* Suppression only: JSON paths that must be hidden whatever the audit
	 * says (the trend's rows of quarters whose own published return hides
	 * them), or NULL. */
	const char *const *forced;
	size_t n_forced;
	/* Zeros are shown and only non-zero counts are ever hidden, so a
	 * reader knows every "[c]" count is at least 1, and the audit starts
	 * hidden counts there.  true: start them at 0 instead, the classic
	 * (tau-ARGUS) audit, which that reader would beat. */
	bool zero_lower_bound;
};

enum nrm_dc_verdict {
	NRM_DC_OK,
	NRM_DC_EXACT,         /* the interval is one value: the cell is disclosed */
	NRM_DC_NARROW,        /* may be a small count, and narrower than the protection */
	NRM_DC_SMALL_SHOWN,   /* a count from 1 to the threshold is shown */
	NRM_DC_STAT_SHOWN,    /* a statistic is shown while a count it is drawn from is hidden */
	NRM_DC_CONTRADICTION, /* the shown figures break a relation: not these tables */
};

struct nrm_dc_interval {
	int figure;
	double lo, hi;  /* hi is INFINITY when nothing bounds the figure */
	enum nrm_dc_verdict verdict;
};

struct nrm_dc_audit {
	size_t n;  /* every hidden count, in model order, then every other failure */
	struct nrm_dc_interval *cells;
	size_t n_failed;
};

/* Defaults filled in; -1 when a value is out of range (threshold 1..1000,
 * protection 1..100000). */
int nrm_dc_params_resolve(struct nrm_dc_params *p);

/*
 * Audits `m` (hidden figures as marked, shown ones at their values; hidden
 * counts at least 1, or 0 with p->zero_lower_bound).  With
 * `stop_at_first` it returns at the first failure (what the suppression
 * loop needs).  A hidden count passes when its interval [lo, hi] has
 * hi > lo and, when lo <= threshold (it may be a small count), hi - lo >=
 * protection.  The same rule serves the builder, which knows which cells
 * are primary, and a reader's audit of a published file, which does not.
 * Returns 0, or -1 with `err` when GLPK fails.
 */
int nrm_dc_audit_run(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                     bool stop_at_first, struct nrm_dc_audit *out, struct nrm_error *err);
/*
 * The suppression loop's audit (return_suppress.c), which stops at the
 * first failure and may pass over figures it knows the answer for:
 * `skip[f]` (n_figures long, NULL for none) leaves hidden count f
 * unaudited.  `wide` (NULL, or n_figures long) is set for each hidden
 * count audited whose interval is at least its protection wide, or which
 * is derived: hiding more figures only widens every interval, so such a
 * figure stays protected while the loop hides more.
 */
int nrm_dc_audit_search(const struct nrm_dc_model *m, const struct nrm_dc_params *p,
                        const bool *skip, bool *wide, struct nrm_dc_audit *out,
                        struct nrm_error *err);
void nrm_dc_audit_free(struct nrm_dc_audit *a);
const char *nrm_dc_verdict_text(enum nrm_dc_verdict v);

#endif

/*
 * The comparison the pilot exists for (formats/national.md, "The
 * comparison"): in-scope children decided by a DDM panel at pilot sites,
 * against in-scope children decided by the Home Office (SCA or IECA) from
 * areas outside the pilot, with pilot-site children decided by the Home
 * Office as a third group that joins neither side.  nrm_comparison_group()
 * is the one place a record is given its group, so a record is in one
 * group at most.
 */
#ifndef NRM_COMPARISON_H
#define NRM_COMPARISON_H

#include "return_stats.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum nrm_cmp_group {
	NRM_CMP_NONE = -1,
	NRM_CMP_PILOT = 0,             /* pilot site, DDM panel */
	NRM_CMP_HOME_OFFICE,           /* outside the pilot, SCA or IECA */
	NRM_CMP_PILOT_SITE_HOME_OFFICE, /* pilot site, SCA or IECA */
	NRM_CMP_GROUPS
};

/* Where a record comes from: a site's return (its cases.csv), or the Home
 * Office's own cases imported into the intake store. */
enum nrm_cmp_source { NRM_CMP_FROM_SITE, NRM_CMP_FROM_HOME_OFFICE };

/* What the grouping needs of one record. */
struct nrm_cmp_record {
	enum nrm_cmp_source source;
	bool in_scope;       /* pilot_scope in_scope */
	int decision_maker;  /* enum nrm_decision_maker */
	bool area_known;     /* its local authority is known */
	bool pilot_area;     /* ... and was a pilot area on the referral date */
};

/* The group of a record, or NRM_CMP_NONE.  A site's record counts when in
 * scope and not from an area that joined the pilot after its referral; the
 * Home Office's own record only when in scope, decided by SCA or IECA, and
 * from a known area outside the pilot (a pilot area's cases are counted
 * from the site's return, so a child the two sources share counts once). */
enum nrm_cmp_group nrm_comparison_group(const struct nrm_cmp_record *r);

/* The figures of one group for one decision. */
struct nrm_cmp_stage {
	struct nrm_days days;
	int64_t positive;
};
struct nrm_cmp_figures {
	struct nrm_cmp_stage rg, cg;
};

struct nrm_comparison {
	int32_t began;      /* the pilot's first day, 2021-06-01 */
	int32_t first, last; /* the quarter */
	struct nrm_cmp_figures quarter[NRM_CMP_GROUPS], cumulative[NRM_CMP_GROUPS];
};
#define NRM_PILOT_BEGAN_YMD 2021, 6, 1

void nrm_comparison_init(struct nrm_comparison *c, int32_t first, int32_t last);
void nrm_comparison_free(struct nrm_comparison *c);
/* Adds one decision (RG when cg is false) of a grouped record, dated `on`,
 * `days` after referral: to the quarter's figures when dated in it, to the
 * cumulative ones when dated from the pilot's start to the quarter's end. */
void nrm_comparison_add(struct nrm_comparison *c, enum nrm_cmp_group g, bool cg, int32_t on,
                        int32_t days, bool positive);

/* The group's code and its label ("pilot", "home_office",
 * "pilot_site_home_office"). */
const char *nrm_cmp_group_code(enum nrm_cmp_group g);
const char *nrm_cmp_group_label(enum nrm_cmp_group g);

/* {"began", "groups": [{group, label, quarter: {rg, cg}, cumulative: {rg,
 * cg}}]}, each stage {count, positive, percent_positive, mean, median,
 * p90, within_45_days, percent_within_45_days}. */
json_t *nrm_comparison_json(struct nrm_comparison *c);
/* A site return's comparison (formats/return.md, "The comparison"): the
 * two groups a site can know, pilot and pilot_site_home_office, as
 * {"since", "groups": [...]}, each group as in nrm_comparison_json, with
 * `since` (c->began) the day cumulative figures start. */
json_t *nrm_comparison_site_json(struct nrm_comparison *c);
/* The headline in the Home Office's form, from the cumulative conclusive
 * grounds figures: {text, statistic, decision, population, period}. */
json_t *nrm_comparison_headline(struct nrm_comparison *c, const char *quarter);

#endif

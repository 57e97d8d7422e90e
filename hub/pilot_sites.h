/*
 * The register of pilot sites (formats/pilot-sites.md): each local authority
 * of a site with the day the site joined, kept in the intake store and
 * loaded whole from a CSV file by `nrmhub intake sites load`.  An area is a
 * pilot area from the day its site joined; the national comparison reads
 * the register to keep the Home Office's own cases from pilot areas out of
 * the Home Office group.
 */
#ifndef NRM_PILOT_SITES_H
#define NRM_PILOT_SITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nrm_error;
struct store;

struct nrm_site_area {
	char *site;            /* the site's code, as in its bundles */
	char *local_authority; /* ONS GSS code */
	char nation[10];       /* GSS nation code, from the area's prefix */
	int32_t joined;        /* days since 1970-01-01 */
	bool approximate;      /* the join date is not known to the day */
	char *basis;           /* where the date comes from */
};

struct nrm_site_register {
	struct nrm_site_area *areas;
	size_t n;
};

/* Reads a register file: every row checked (site code, GSS local
 * authority code, date, yes/no, a basis), an area named twice refused.
 * 0, or -1 with err (EX_DATAERR naming FILE:LINE and the column; EX_NOINPUT). */
int nrm_sites_read(const char *path, struct nrm_site_register *out, struct nrm_error *err);
/* Replaces the store's register with `reg`, in one transaction.  0 or -1
 * with store_error(). */
int nrm_sites_store(struct store *s, const struct nrm_site_register *reg);
/* The store's register (empty when none was loaded).  0 or -1. */
int nrm_sites_load(struct store *s, struct nrm_site_register *out);
void nrm_sites_free(struct nrm_site_register *reg);

/* The area's entry, or NULL when it is no pilot site's. */
const struct nrm_site_area *nrm_sites_find(const struct nrm_site_register *reg,
                                           const char *local_authority);
/* True when `local_authority` was a pilot area on `day`. */
bool nrm_sites_pilot_area(const struct nrm_site_register *reg, const char *local_authority,
                          int32_t day);

#endif

/*
 * The series' tables (return_series_tables.c): a return's `series` as the
 * table of every quarter's figures and the table of the headline figures'
 * changes, with their relations, for the tables of return_tables.h.
 */
#ifndef NRM_RETURN_SERIES_TABLES_H
#define NRM_RETURN_SERIES_TABLES_H

#include "return_tables.h"

#include <jansson.h>

/* Appends the two tables of `ret`'s series to `o` (built so far from the
 * rest of `ret`, whose own figures the last row repeats).  On a broken
 * series fills `err` (EX_DATAERR, naming the JSON path and the rule) and
 * returns -1; `o` is then the caller's to free. */
int nrm_return_series_tables(const json_t *ret, struct nrm_return_tables *o,
                             struct nrm_error *err);

/* Appends the series' notes (12 and 13, after the comparison's 11) to
 * `o`'s, for tables holding the series. */
void nrm_return_series_notes(struct nrm_return_tables *o);

#endif

/*
 * council-csv's export: the columns the import reads, written as a council's
 * Excel-saved export would have them.
 */
#ifndef NRM_COUNCIL_CSV_EXPORT_H
#define NRM_COUNCIL_CSV_EXPORT_H

#include <nrmhub/plugin.h>

int cb_council_export_open(const struct nrm_host *host, nrm_stream *out, void **state);
int cb_council_export_write(void *state, const struct nrm_case *c);
/* export_finish and export_close are out_buffer_export_finish and
 * out_buffer_export_close. */

#endif

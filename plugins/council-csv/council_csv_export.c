/*
 * council-csv's export.  It writes every column the import reads, in the
 * order of formats/council-csv.md, so that council-csv -> council-csv gives
 * back every field: a byte order mark (Excel opens the file as UTF-8), CRLF
 * line ends, dates as dd/mm/yyyy, the Home Office's labels, quoting only
 * where RFC 4180 needs it.  Formula guarding is off: this file is data for
 * a system, and an apostrophe would change the values it carries.
 */
#include "council_csv_export.h"

#include "csv_write.h"
#include "labels.h"
#include "out_buffer.h"

static const char *const header[] = {
	"Case ID", "Site", "NRM Reference", "Referral Date", "First Responder Type",
	"First Responder Organisation", "Local Authority Code", "Police Force Code",
	"Age at Exploitation", "Age Disputed", "Gender", "Nationality", "Exploitation Type",
	"County Lines", "Exploitation Location", "RG Decision Date", "RG Outcome",
	"CG Decision Date", "CG Outcome", "Decision Maker", "Status", "Status Date",
	"Last Updated", "Date of Birth",
};
#define N_COLUMNS (sizeof(header) / sizeof(header[0]))

int cb_council_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	if (out_buffer_open(state, sizeof(struct out_buffer), host, out) != NRM_OK)
		return NRM_FAIL;
	return csv_write_header(*state, false, header, N_COLUMNS);
}

static int put_label(struct csv_row *row, int kind, int32_t value)
{
	return csv_row_field(row, label_of(kind, value, LABEL_ENGLISH));
}

/* Y, N, or empty for unknown: the spelling of the council's own files. */
static int put_yes_no(struct csv_row *row, int8_t v)
{
	return csv_row_field(row, v == NRM_YES ? "Y" : v == NRM_NO ? "N" : NULL);
}

int cb_council_export_write(void *state, const struct nrm_case *c)
{
	struct csv_row row;
	char types[LABEL_JOIN_MAX];
	csv_row_begin(&row, state, false);
	int bad = 0;
	bad |= csv_row_field(&row, c->case_id);
	bad |= csv_row_field(&row, c->site);
	bad |= csv_row_field(&row, c->nrm_ref);
	bad |= csv_row_date_dmy(&row, c->referral_date);
	bad |= put_label(&row, LABEL_FIRST_RESPONDER, c->first_responder_type);
	bad |= csv_row_field(&row, c->first_responder_org);
	bad |= csv_row_field(&row, c->local_authority);
	bad |= csv_row_field(&row, c->police_force);
	bad |= csv_row_int(&row, c->age_at_exploitation, NRM_AGE_NONE);
	bad |= put_yes_no(&row, c->age_disputed);
	bad |= put_label(&row, LABEL_GENDER, c->gender);
	bad |= csv_row_nationality(&row, c->nationality);
	bad |= csv_row_field(&row, label_exploitation_join(c->exploitation_types, LABEL_ENGLISH,
	                                                   types));
	bad |= put_yes_no(&row, c->county_lines);
	bad |= put_label(&row, LABEL_LOCATION, c->exploitation_location);
	bad |= csv_row_date_dmy(&row, c->rg_decision_date);
	bad |= put_label(&row, LABEL_RG_OUTCOME, c->rg_outcome);
	bad |= csv_row_date_dmy(&row, c->cg_decision_date);
	bad |= put_label(&row, LABEL_CG_OUTCOME, c->cg_outcome);
	bad |= put_label(&row, LABEL_DECISION_MAKER, c->decision_maker);
	bad |= put_label(&row, LABEL_STATUS, c->status);
	bad |= csv_row_date_dmy(&row, c->status_date);
	bad |= csv_row_time(&row, c->updated_at);
	bad |= csv_row_date_dmy(&row, c->date_of_birth);
	bad |= csv_row_end(&row);
	/* NRM_FAIL is -1: any failure leaves bits set. */
	return bad ? NRM_FAIL : NRM_OK;
}

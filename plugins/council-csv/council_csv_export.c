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

#include <stdio.h>
#include <stdlib.h>

static const char *const header[] = {
	"Case ID", "Site", "NRM Reference", "Referral Date", "First Responder Type",
	"First Responder Organisation", "Local Authority Code", "Police Force Code",
	"Age at Exploitation", "Age Disputed", "Gender", "Nationality", "Exploitation Type",
	"County Lines", "Exploitation Location", "RG Decision Date", "RG Outcome",
	"CG Decision Date", "CG Outcome", "Decision Maker", "Status", "Status Date",
	"Last Updated",
};
#define N_COLUMNS (sizeof(header) / sizeof(header[0]))

struct council_export {
	struct out_buffer out;  /* first: out_buffer_open's writer */
	const struct nrm_host *host;
};

int cb_council_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	if (out_buffer_open(state, sizeof(struct council_export), host, out) != NRM_OK)
		return NRM_FAIL;
	struct council_export *ex = *state;
	ex->host = host;
	struct csv_row row;
	csv_row_begin(&row, &ex->out, false);
	if (out_buffer_put(&ex->out, "\xEF\xBB\xBF", 3) != NRM_OK)
		return NRM_FAIL;
	for (size_t i = 0; i < N_COLUMNS; i++)
		if (csv_row_field(&row, header[i]) != NRM_OK)
			return NRM_FAIL;
	return csv_row_end(&row);
}

/* dd/mm/yyyy, or an empty field. */
static int put_date(struct council_export *ex, struct csv_row *row, int32_t date)
{
	if (date == NRM_DATE_NONE)
		return csv_row_field(row, NULL);
	int y, m, d;
	char text[16];
	ex->host->date_to_ymd(date, &y, &m, &d);
	int n = snprintf(text, sizeof(text), "%02d/%02d/%04d", d, m, y);
	return csv_row_field_len(row, text, (size_t)n);
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

static int put_age(struct csv_row *row, int32_t age)
{
	char text[16];
	if (age == NRM_AGE_NONE)
		return csv_row_field(row, NULL);
	int n = snprintf(text, sizeof(text), "%d", (int)age);
	return csv_row_field_len(row, text, (size_t)n);
}

static int put_nationality(struct csv_row *row, const struct nrm_case *c)
{
	char text[64];
	if (!c->nationality[0])
		return csv_row_field(row, NULL);
	int n = c->nationality[1]
	                ? snprintf(text, sizeof(text), "%s;%s", c->nationality[0], c->nationality[1])
	                : snprintf(text, sizeof(text), "%s", c->nationality[0]);
	/* Validated codes are two letters; anything longer is cut, never overrun. */
	if (n < 0 || (size_t)n >= sizeof(text))
		n = (int)sizeof(text) - 1;
	return csv_row_field_len(row, text, (size_t)n);
}

static int put_time(struct council_export *ex, struct csv_row *row, int64_t t)
{
	if (t == NRM_TIME_NONE)
		return csv_row_field(row, NULL);
	char text[21];
	ex->host->time_format_rfc3339(t, text);
	return csv_row_field_len(row, text, 20);
}

int cb_council_export_write(void *state, const struct nrm_case *c)
{
	struct council_export *ex = state;
	struct csv_row row;
	char types[LABEL_JOIN_MAX];
	csv_row_begin(&row, &ex->out, false);
	int bad = 0;
	bad |= csv_row_field(&row, c->case_id);
	bad |= csv_row_field(&row, c->site);
	bad |= csv_row_field(&row, c->nrm_ref);
	bad |= put_date(ex, &row, c->referral_date);
	bad |= put_label(&row, LABEL_FIRST_RESPONDER, c->first_responder_type);
	bad |= csv_row_field(&row, c->first_responder_org);
	bad |= csv_row_field(&row, c->local_authority);
	bad |= csv_row_field(&row, c->police_force);
	bad |= put_age(&row, c->age_at_exploitation);
	bad |= put_yes_no(&row, c->age_disputed);
	bad |= put_label(&row, LABEL_GENDER, c->gender);
	bad |= put_nationality(&row, c);
	bad |= csv_row_field(&row, label_exploitation_join(c->exploitation_types, LABEL_ENGLISH,
	                                                   types));
	bad |= put_yes_no(&row, c->county_lines);
	bad |= put_label(&row, LABEL_LOCATION, c->exploitation_location);
	bad |= put_date(ex, &row, c->rg_decision_date);
	bad |= put_label(&row, LABEL_RG_OUTCOME, c->rg_outcome);
	bad |= put_date(ex, &row, c->cg_decision_date);
	bad |= put_label(&row, LABEL_CG_OUTCOME, c->cg_outcome);
	bad |= put_label(&row, LABEL_DECISION_MAKER, c->decision_maker);
	bad |= put_label(&row, LABEL_STATUS, c->status);
	bad |= put_date(ex, &row, c->status_date);
	bad |= put_time(ex, &row, c->updated_at);
	bad |= csv_row_end(&row);
	/* NRM_FAIL is -1: any failure leaves bits set. */
	return bad ? NRM_FAIL : NRM_OK;
}

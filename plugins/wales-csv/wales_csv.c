/*
 * wales-csv: the Welsh Government's monitoring layout for pilot sites in
 * Wales.  Export only: the Welsh Government receives it, nobody sends it
 * back.  Every heading and every category label is bilingual, Welsh first
 * as the Welsh Language Standards ask ("Dyddiad atgyfeirio / Referral
 * date", "Troseddol / Criminal"), the English half being the Home Office's
 * label exactly.  UTF-8 with a byte order mark so Excel opens it as UTF-8
 * (the Welsh text has ô and other accents), CRLF, RFC 4180 quoting, and
 * cells a spreadsheet would run as formulas defused with an apostrophe
 * since this file is meant to be opened in Excel.  formats/wales-csv.md
 * documents every column.
 */
#include <nrmhub/plugin.h>

#include "csv_write.h"
#include "labels.h"
#include "out_buffer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const header[] = {
	"Cyfeirnod yr achos / Case ID",
	"Safle / Site",
	"Cyfeirnod NRM / NRM reference",
	"Dyddiad atgyfeirio / Referral date",
	"Math o ymatebydd cyntaf / First responder type",
	"Sefydliad yr ymatebydd cyntaf / First responder organisation",
	"Cod yr awdurdod lleol / Local authority code",
	"Cod ardal yr heddlu / Police force area code",
	"Oedran adeg y camfanteisio / Age at exploitation",
	"Oedran yn destun anghydfod / Age disputed",
	"Rhywedd / Gender",
	"Cenedligrwydd / Nationality",
	"Math o gamfanteisio / Exploitation type",
	"Llinellau cyffuriau / County lines",
	"Lleoliad y camfanteisio / Location of exploitation",
	"Dyddiad y penderfyniad sail resymol / Reasonable grounds decision date",
	"Canlyniad sail resymol / Reasonable grounds outcome",
	"Dyddiad y penderfyniad sail derfynol / Conclusive grounds decision date",
	"Canlyniad sail derfynol / Conclusive grounds outcome",
	"Penderfynwr / Decision maker",
	"Statws yr achos / Case status",
	"Dyddiad y statws / Status date",
	"Diweddarwyd ddiwethaf / Last updated",
};
#define N_COLUMNS (sizeof(header) / sizeof(header[0]))

/* "Troseddol / Criminal": the longest pair is two joins of five types. */
#define PAIR_MAX (2 * LABEL_JOIN_MAX + 4)

static int cb_wales_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	if (out_buffer_open(state, sizeof(struct out_buffer), host, out) != NRM_OK)
		return NRM_FAIL;
	return csv_write_header(*state, true, header, N_COLUMNS);
}

/* "Cymraeg / English", or an empty cell when there is no label; a label
 * the same in both languages (SCA, IECA) once. */
static int put_pair(struct csv_row *row, const char *cy, const char *en)
{
	if (!cy || !en)
		return csv_row_field(row, NULL);
	if (strcmp(cy, en) == 0)
		return csv_row_field(row, en);
	char text[PAIR_MAX];
	int n = snprintf(text, sizeof(text), "%s / %s", cy, en);
	return csv_row_field_len(row, text, (size_t)n);
}

static int put_label(struct csv_row *row, int kind, int32_t value)
{
	return put_pair(row, label_of(kind, value, LABEL_WELSH),
	                label_of(kind, value, LABEL_ENGLISH));
}

static int put_exploitation(struct csv_row *row, uint32_t types)
{
	char cy[LABEL_JOIN_MAX], en[LABEL_JOIN_MAX];
	return put_pair(row, label_exploitation_join(types, LABEL_WELSH, cy),
	                label_exploitation_join(types, LABEL_ENGLISH, en));
}

static int cb_wales_export_write(void *state, const struct nrm_case *c)
{
	struct csv_row row;
	csv_row_begin(&row, state, true);
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
	bad |= put_label(&row, LABEL_YES_NO, c->age_disputed);
	bad |= put_label(&row, LABEL_GENDER, c->gender);
	bad |= csv_row_nationality(&row, c->nationality);
	bad |= put_exploitation(&row, c->exploitation_types);
	bad |= put_label(&row, LABEL_YES_NO, c->county_lines);
	bad |= put_label(&row, LABEL_LOCATION, c->exploitation_location);
	bad |= csv_row_date_dmy(&row, c->rg_decision_date);
	bad |= put_label(&row, LABEL_RG_OUTCOME, c->rg_outcome);
	bad |= csv_row_date_dmy(&row, c->cg_decision_date);
	bad |= put_label(&row, LABEL_CG_OUTCOME, c->cg_outcome);
	bad |= put_label(&row, LABEL_DECISION_MAKER, c->decision_maker);
	bad |= put_label(&row, LABEL_STATUS, c->status);
	bad |= csv_row_date_dmy(&row, c->status_date);
	bad |= csv_row_time(&row, c->updated_at);
	bad |= csv_row_end(&row);
	return bad ? NRM_FAIL : NRM_OK;
}

static const char *const formats[] = {"wales-csv", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_EXPORT,
	.name = "wales-csv",
	.version = "1.0.0",
	.description = "The Welsh Government's bilingual (Welsh and English) CSV layout: "
	               "UTF-8 with BOM, CRLF, dd/mm/yyyy.",
	.license = "MIT",
	.formats = formats,
	.options = NULL,
	.export_open = cb_wales_export_open,
	.export_write = cb_wales_export_write,
	.export_finish = out_buffer_export_finish,
	.export_close = out_buffer_export_close,
);

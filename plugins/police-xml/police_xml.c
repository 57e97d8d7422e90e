/*
 * police-xml: a police force's extract of the NRM cases about children that
 * its records management system holds, and what the hub sends back to it.
 * One <Case> per child, in the namespace urn:nrmhub:police-xml:1, valid
 * against schemas/police-xml.xsd (built into this module).  The format and
 * every element's canonical field are in formats/police-xml.md.
 *
 * Reading is streamed and validated by xml_in.c; this file maps elements and
 * attributes onto the canonical case.  The canonical rules between fields
 * are the hub's to check, for every format alike.
 */
#include <nrmhub/plugin.h>

#include "xml_codes.h"
#include "xml_in.h"
#include "xml_out.h"
#include "xread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "urn:nrmhub:police-xml:1"

extern const unsigned char police_xml_xsd[];
extern const size_t police_xml_xsd_len;

static const struct xml_code first_responders[] = {
	{"GOVERNMENT_AGENCY", NRM_FR_GOVERNMENT_AGENCY}, {"NGO", NRM_FR_NGO},
	{"POLICE", NRM_FR_POLICE}, {"LOCAL_AUTHORITY", NRM_FR_LOCAL_AUTHORITY}, {NULL, 0},
};
static const struct xml_code genders[] = {
	{"F", NRM_GENDER_FEMALE}, {"M", NRM_GENDER_MALE}, {"O", NRM_GENDER_OTHER},
	{"U", NRM_GENDER_UNKNOWN}, {NULL, 0},
};
static const struct xml_code exploitation_types[] = {
	{"CRIMINAL", NRM_EXPL_CRIMINAL}, {"DOMESTIC", NRM_EXPL_DOMESTIC},
	{"LABOUR", NRM_EXPL_LABOUR}, {"SEXUAL", NRM_EXPL_SEXUAL},
	{"ORGAN_HARVESTING", NRM_EXPL_ORGAN_HARVESTING}, {NULL, 0},
};
static const struct xml_code locations[] = {
	{"UK", NRM_LOC_UK}, {"OVERSEAS", NRM_LOC_OVERSEAS},
	{"UK_AND_OVERSEAS", NRM_LOC_UK_AND_OVERSEAS}, {"UNKNOWN", NRM_LOC_UNKNOWN}, {NULL, 0},
};
static const struct xml_code outcomes[] = {
	{"POSITIVE", NRM_OUTCOME_POSITIVE}, {"NEGATIVE", NRM_OUTCOME_NEGATIVE}, {NULL, 0},
};
static const struct xml_code decision_makers[] = {
	{"DDM_PANEL", NRM_DM_DDM_PANEL}, {"SCA", NRM_DM_SCA}, {"IECA", NRM_DM_IECA}, {NULL, 0},
};
static const struct xml_code statuses[] = {
	{"OPEN", NRM_STATUS_OPEN}, {"WITHDRAWN", NRM_STATUS_WITHDRAWN},
	{"TRANSFERRED", NRM_STATUS_TRANSFERRED}, {NULL, 0},
};

static const struct nrm_option_spec options[] = {
	XML_IN_OPTIONS,
	{.name = NULL},
};

static const struct xml_in_spec spec = {
	.format = "police-xml",
	.ns = NS,
	.root = "NrmCaseExtract",
	.record = "Case",
	.xsd = police_xml_xsd,
};

/* ---- reading ------------------------------------------------------------- */

enum slot {
	SLOT_CASE_ID, SLOT_SITE, SLOT_NRM_REF, SLOT_ORG, SLOT_LA, SLOT_FORCE,
	SLOT_NAT1, SLOT_NAT2, SLOT_COUNT,
};
_Static_assert(SLOT_COUNT <= XREAD_SLOTS, "more slots than xread keeps");

struct reader {
	struct xread base;  /* first: xread's functions are given this */
	int nationalities;
};

static int cb_police_xml_import_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	return xread_open(state, sizeof(struct reader), host, in, &spec, police_xml_xsd_len,
	                       "not one of the format's codes");
}

static void cb_police_xml_import_close(void *state)
{
	xread_close(state);
}

/* Each read_*_attribute maps one attribute, given to it by xread_attributes. */

static int read_case_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "caseId") == 0)
		return xread_keep(r, SLOT_CASE_ID, value, &r->c->case_id);
	if (strcmp(name, "site") == 0)
		return xread_keep(r, SLOT_SITE, value, &r->c->site);
	if (strcmp(name, "lastUpdated") == 0)
		return xread_time(r, name, "updated_at", value, &r->c->updated_at);
	return NRM_OK;
}

static int read_referral_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "date") == 0)
		return xread_date(r, name, "referral_date", value, &r->c->referral_date);
	if (strcmp(name, "localAuthority") == 0)
		return xread_keep(r, SLOT_LA, value, &r->c->local_authority);
	return NRM_OK;
}

static int read_first_responder_attribute(struct xread *r, const char *name,
                                          const char *value)
{
	if (strcmp(name, "type") == 0)
		return xread_code(r, first_responders, name, "first_responder_type", value,
		                  &r->c->first_responder_type);
	return NRM_OK;
}

static int read_first_responder(struct xread *r)
{
	int rc = xread_attributes(r, read_first_responder_attribute);
	if (rc != NRM_OK)
		return rc;
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	/* An empty element: the type is known, the organisation is not. */
	return *text ? xread_keep(r, SLOT_ORG, text, &r->c->first_responder_org) : NRM_OK;
}

static int read_child_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "gender") == 0)
		return xread_code(r, genders, name, "gender", value, &r->c->gender);
	if (strcmp(name, "ageAtExploitation") == 0 && !xml_age(value, &r->c->age_at_exploitation))
		return xml_in_bad_value(r->xml, name, "age_at_exploitation",
		                        "not a whole number of years");
	if (strcmp(name, "ageDisputed") == 0)
		return xread_boolean(r, name, "age_disputed", value, &r->c->age_disputed);
	return NRM_OK;
}

static int read_nationality(struct xread *r)
{
	struct reader *p = (struct reader *)r;
	if (p->nationalities >= 2)
		return xml_in_bad_value(r->xml, NULL, "nationality", "more than two nationalities");
	int i = p->nationalities++;
	return xread_keep_text(r, i ? SLOT_NAT2 : SLOT_NAT1, &r->c->nationality[i]);
}

static int read_exploitation_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "location") == 0)
		return xread_code(r, locations, name, "exploitation_location", value,
		                  &r->c->exploitation_location);
	if (strcmp(name, "countyLines") == 0)
		return xread_boolean(r, name, "county_lines", value, &r->c->county_lines);
	return NRM_OK;
}

static int read_exploitation_type(struct xread *r)
{
	const char *text;
	int32_t bit = 0;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	if (xread_code(r, exploitation_types, NULL, "exploitation_types", text, &bit) != NRM_OK)
		return NRM_REJECT;
	if (r->c->exploitation_types & (uint32_t)bit)
		return xml_in_bad_value(r->xml, NULL, "exploitation_types",
		                        "the same type is given twice");
	r->c->exploitation_types |= (uint32_t)bit;
	return NRM_OK;
}

static int read_decisions_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "decisionMaker") == 0)
		return xread_code(r, decision_makers, name, "decision_maker", value,
		                  &r->c->decision_maker);
	return NRM_OK;
}

/* <ReasonableGrounds> or <ConclusiveGrounds>; notifiedToPolice is the
 * force's own record and has no canonical field. */
static int read_decision_attribute(struct xread *r, bool rg, const char *name,
                                   const char *value)
{
	if (strcmp(name, "date") == 0)
		return xread_date(r, name, rg ? "rg_decision_date" : "cg_decision_date", value,
		                  rg ? &r->c->rg_decision_date : &r->c->cg_decision_date);
	if (strcmp(name, "outcome") == 0)
		return xread_code(r, outcomes, name, rg ? "rg_outcome" : "cg_outcome", value,
		                  rg ? &r->c->rg_outcome : &r->c->cg_outcome);
	return NRM_OK;
}

static int read_rg_attribute(struct xread *r, const char *name, const char *value)
{
	return read_decision_attribute(r, true, name, value);
}

static int read_cg_attribute(struct xread *r, const char *name, const char *value)
{
	return read_decision_attribute(r, false, name, value);
}

static int read_status_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "code") == 0)
		return xread_code(r, statuses, name, "status", value, &r->c->status);
	if (strcmp(name, "date") == 0)
		return xread_date(r, name, "status_date", value, &r->c->status_date);
	return NRM_OK;
}

/* One element inside <Case>; the schema has checked where it may appear. */
static int read_element(struct xread *r, const char *name)
{
	if (strcmp(name, "ForceCode") == 0)
		return xread_keep_text(r, SLOT_FORCE, &r->c->police_force);
	if (strcmp(name, "NrmReference") == 0)
		return xread_keep_text(r, SLOT_NRM_REF, &r->c->nrm_ref);
	if (strcmp(name, "Referral") == 0)
		return xread_attributes(r, read_referral_attribute);
	if (strcmp(name, "FirstResponder") == 0)
		return read_first_responder(r);
	if (strcmp(name, "Child") == 0)
		return xread_attributes(r, read_child_attribute);
	if (strcmp(name, "Nationality") == 0)
		return read_nationality(r);
	if (strcmp(name, "Exploitation") == 0)
		return xread_attributes(r, read_exploitation_attribute);
	if (strcmp(name, "Type") == 0)
		return read_exploitation_type(r);
	if (strcmp(name, "Decisions") == 0)
		return xread_attributes(r, read_decisions_attribute);
	if (strcmp(name, "ReasonableGrounds") == 0)
		return xread_attributes(r, read_rg_attribute);
	if (strcmp(name, "ConclusiveGrounds") == 0)
		return xread_attributes(r, read_cg_attribute);
	if (strcmp(name, "Status") == 0)
		return xread_attributes(r, read_status_attribute);
	return NRM_OK; /* CrimeReference: police-only, not carried */
}

/* <Case>'s own attributes, at the start of each record. */
static int read_case(struct xread *r)
{
	((struct reader *)r)->nationalities = 0;
	return xread_attributes(r, read_case_attribute);
}

static int cb_police_xml_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	return xread_next(state, out, where, read_case, read_element);
}

/* ---- writing ------------------------------------------------------------- */

static int cb_police_xml_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	return xml_export_open(state, sizeof(struct xml_export), host, out, "NrmCaseExtract", NS,
	                       "schemaVersion", "1");
}

static void write_referral(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "Referral");
	xml_out_attr_date(x, "date", c->referral_date);
	xml_out_attr_opt(x, "localAuthority", c->local_authority);
	if (c->first_responder_type != NRM_FR_NONE || c->first_responder_org) {
		xml_out_start(x, "FirstResponder");
		xml_out_attr_opt(x, "type", xml_code_text(first_responders, c->first_responder_type));
		if (c->first_responder_org)
			xml_out_text(x, c->first_responder_org);
		xml_out_end(x);
	}
	xml_out_end(x);
}

static void write_tristate(struct xml_out *x, const char *name, int8_t v)
{
	if (v != NRM_UNKNOWN)
		xml_out_attr(x, name, v == NRM_YES ? "true" : "false");
}

static void write_child(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "Child");
	xml_out_attr_opt(x, "gender", xml_code_text(genders, c->gender));
	if (c->age_at_exploitation != NRM_AGE_NONE) {
		char age[12];
		snprintf(age, sizeof(age), "%d", (int)c->age_at_exploitation);
		xml_out_attr(x, "ageAtExploitation", age);
	}
	write_tristate(x, "ageDisputed", c->age_disputed);
	for (int i = 0; i < 2; i++)
		xml_out_element(x, "Nationality", c->nationality[i]);
	xml_out_end(x);
}

static void write_exploitation(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "Exploitation");
	xml_out_attr_opt(x, "location", xml_code_text(locations, c->exploitation_location));
	write_tristate(x, "countyLines", c->county_lines);
	for (const struct xml_code *t = exploitation_types; t->text; t++)
		if (c->exploitation_types & (uint32_t)t->value)
			xml_out_element(x, "Type", t->text);
	xml_out_end(x);
}

static void write_decision(struct xml_out *x, const char *element, int32_t date, int32_t outcome)
{
	if (date == NRM_DATE_NONE)
		return;
	xml_out_start(x, element);
	xml_out_attr_date(x, "date", date);
	xml_out_attr_opt(x, "outcome", xml_code_text(outcomes, outcome));
	xml_out_end(x);
}

static void write_decisions(struct xml_out *x, const struct nrm_case *c)
{
	if (c->decision_maker == NRM_DM_NONE && c->rg_decision_date == NRM_DATE_NONE &&
	    c->cg_decision_date == NRM_DATE_NONE)
		return;
	xml_out_start(x, "Decisions");
	xml_out_attr_opt(x, "decisionMaker", xml_code_text(decision_makers, c->decision_maker));
	write_decision(x, "ReasonableGrounds", c->rg_decision_date, c->rg_outcome);
	write_decision(x, "ConclusiveGrounds", c->cg_decision_date, c->cg_outcome);
	xml_out_end(x);
}

static int cb_police_xml_export_write(void *state, const struct nrm_case *c)
{
	struct xml_export *w = state;
	struct xml_out *x = w->xml;
	if (xml_out_check_case(x, c) != NRM_OK)
		return NRM_FAIL;
	xml_out_start(x, "Case");
	xml_out_attr(x, "caseId", c->case_id);
	xml_out_attr(x, "site", c->site);
	xml_out_attr_time(x, "lastUpdated", c->updated_at);
	xml_out_element(x, "ForceCode", c->police_force);
	xml_out_element(x, "NrmReference", c->nrm_ref);
	write_referral(x, c);
	write_child(x, c);
	write_exploitation(x, c);
	write_decisions(x, c);
	xml_out_start(x, "Status");
	xml_out_attr_opt(x, "code", xml_code_text(statuses, c->status));
	xml_out_attr_date(x, "date", c->status_date);
	xml_out_end(x);
	return xml_out_end(x);
}

static const char *const formats[] = {"police-xml", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "police-xml",
	.version = "1.0.0",
	.description = "A police force's NRM case extract: namespaced XML valid against "
	               "schemas/police-xml.xsd, read as a validated stream.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_police_xml_import_open,
	.import_next = cb_police_xml_import_next,
	.import_close = cb_police_xml_import_close,
	.export_open = cb_police_xml_export_open,
	.export_write = cb_police_xml_export_write,
	.export_finish = xml_export_finish,
	.export_close = xml_export_close,
);

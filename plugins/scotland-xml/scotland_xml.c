/*
 * scotland-xml: the Scottish Government's record-level layout for child NRM
 * referrals in the Scottish pilot sites.  One <referral> per child, in the
 * namespace urn:nrmhub:scotland-xml:1, valid against
 * schemas/scotland-xml.xsd (built into this module); formats/scotland-xml.md
 * gives every element's canonical field.
 *
 * It differs from police-xml where the parties differ: Scottish codes only
 * (S12 council areas, Police Scotland as S92000003), the Home Office's
 * published labels as values, exploitation types as yes/no flags, a closure
 * element instead of a status, and no free text.  A case from outside
 * Scotland cannot be written: it is refused, or left out with the
 * outside-scotland=skip option.
 */
#include <nrmhub/plugin.h>

#include "xml_codes.h"
#include "xml_in.h"
#include "xml_out.h"
#include "xread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS "urn:nrmhub:scotland-xml:1"
#define POLICE_SCOTLAND "S92000003"

extern const unsigned char scotland_xml_xsd[];
extern const size_t scotland_xml_xsd_len;

static const struct xml_code first_responders[] = {
	{"Government agency", NRM_FR_GOVERNMENT_AGENCY}, {"NGO and third sector", NRM_FR_NGO},
	{"Police", NRM_FR_POLICE}, {"Local Authority", NRM_FR_LOCAL_AUTHORITY}, {NULL, 0},
};
static const struct xml_code genders[] = {
	{"Female", NRM_GENDER_FEMALE}, {"Male", NRM_GENDER_MALE}, {"Other", NRM_GENDER_OTHER},
	{"Not specified or unknown", NRM_GENDER_UNKNOWN}, {NULL, 0},
};
static const struct xml_code exploitation_flags[] = {
	{"criminal", NRM_EXPL_CRIMINAL}, {"domestic", NRM_EXPL_DOMESTIC},
	{"labour", NRM_EXPL_LABOUR}, {"sexual", NRM_EXPL_SEXUAL},
	{"organ-harvesting", NRM_EXPL_ORGAN_HARVESTING}, {NULL, 0},
};
static const struct xml_code locations[] = {
	{"UK", NRM_LOC_UK}, {"Overseas", NRM_LOC_OVERSEAS},
	{"UK and Overseas", NRM_LOC_UK_AND_OVERSEAS},
	{"Not specified or unknown", NRM_LOC_UNKNOWN}, {NULL, 0},
};
/* Outcome labels name the decision too: the value is stage * 10 + outcome. */
#define RG 1
#define CG 2
static const struct xml_code outcomes[] = {
	{"Positive reasonable grounds", RG * 10 + NRM_OUTCOME_POSITIVE},
	{"Negative reasonable grounds", RG * 10 + NRM_OUTCOME_NEGATIVE},
	{"Positive conclusive grounds", CG * 10 + NRM_OUTCOME_POSITIVE},
	{"Negative conclusive grounds", CG * 10 + NRM_OUTCOME_NEGATIVE}, {NULL, 0},
};
static const struct xml_code decision_makers[] = {
	{"DDM panel", NRM_DM_DDM_PANEL}, {"SCA", NRM_DM_SCA}, {"IECA", NRM_DM_IECA}, {NULL, 0},
};
static const struct xml_code closures[] = {
	{"Withdrawn", NRM_STATUS_WITHDRAWN}, {"Transferred", NRM_STATUS_TRANSFERRED}, {NULL, 0},
};
static const struct xml_code yes_no[] = {{"Yes", NRM_YES}, {"No", NRM_NO}, {NULL, 0}};

static const struct nrm_option_spec options[] = {
	XML_IN_OPTIONS,
	{.name = "outside-scotland", .type = NRM_OPT_CHOICE, .default_value = "refuse",
	 .choices = "refuse|skip",
	 .description = "Export: what to do with a case whose council area or police force is "
	                "not Scottish: refuse it (the conversion fails) or skip it with a warning."},
	{.name = NULL},
};

static const struct xml_in_spec spec = {
	.format = "scotland-xml",
	.ns = NS,
	.root = "child-nrm-referrals",
	.record = "referral",
	.xsd = scotland_xml_xsd,
};

/* ---- reading ------------------------------------------------------------- */

enum slot {
	SLOT_CASE_ID, SLOT_SITE, SLOT_NRM_REF, SLOT_LA, SLOT_FORCE, SLOT_NAT1, SLOT_NAT2,
	SLOT_COUNT,
};
_Static_assert(SLOT_COUNT <= XREAD_SLOTS, "more slots than xread keeps");

static int cb_scotland_xml_import_open(const struct nrm_host *host, nrm_stream *in, void **state)
{
	return xread_open(state, sizeof(struct xread), host, in, &spec, scotland_xml_xsd_len,
	                  "not one of the layout's labels");
}

static void cb_scotland_xml_import_close(void *state)
{
	xread_close(state);
}

/* An element whose text is one of a table's labels. */
static int text_code(struct xread *r, const struct xml_code *table, const char *field,
                     int32_t *out)
{
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	return xread_code(r, table, NULL, field, text, out);
}

static int yes_no_text(struct xread *r, const char *field, int8_t *out)
{
	int32_t v = NRM_UNKNOWN;
	int rc = text_code(r, yes_no, field, &v);
	*out = (int8_t)v;
	return rc;
}

static int date_text(struct xread *r, const char *field, int32_t *out)
{
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	return xread_date(r, NULL, field, text, out);
}

/* Each read_*_attribute maps one attribute, given to it by xread_attributes. */

static int read_identifiers_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "site") == 0)
		return xread_keep(r, SLOT_SITE, value, &r->c->site);
	if (strcmp(name, "case-reference") == 0)
		return xread_keep(r, SLOT_CASE_ID, value, &r->c->case_id);
	if (strcmp(name, "nrm-reference") == 0)
		return xread_keep(r, SLOT_NRM_REF, value, &r->c->nrm_ref);
	return NRM_OK;
}

static int read_age(struct xread *r)
{
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	if (!xml_age(text, &r->c->age_at_exploitation))
		return xml_in_bad_value(r->xml, NULL, "age_at_exploitation",
		                        "not a whole number of years");
	return NRM_OK;
}

static int read_nationality_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "first") == 0)
		return xread_keep(r, SLOT_NAT1, value, &r->c->nationality[0]);
	if (strcmp(name, "second") == 0)
		return xread_keep(r, SLOT_NAT2, value, &r->c->nationality[1]);
	return NRM_OK;
}

static int read_types_attribute(struct xread *r, const char *name, const char *value)
{
	int32_t bit = 0, flag = NRM_NO;
	if (!xml_code_value(exploitation_flags, name, &bit))
		return NRM_OK;
	int rc = xread_code(r, yes_no, name, "exploitation_types", value, &flag);
	if (rc == NRM_OK && flag == NRM_YES)
		r->c->exploitation_types |= (uint32_t)bit;
	return rc;
}

static int read_decisions_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "decision-maker") == 0)
		return xread_code(r, decision_makers, name, "decision_maker", value,
		                  &r->c->decision_maker);
	return NRM_OK;
}

/* <decision date outcome>: the outcome's label says which decision. */
static int read_decision(struct xread *r)
{
	const char *name, *value;
	int32_t date = NRM_DATE_NONE, label = 0;
	int rc = NRM_OK;
	while (xml_in_next_attribute(r->xml, &name, &value)) {
		if (rc != NRM_OK)
			continue;
		if (strcmp(name, "outcome") == 0)
			rc = xread_code(r, outcomes, name, "rg_outcome", value, &label);
		else if (strcmp(name, "date") == 0)
			rc = xread_date(r, name, "rg_decision_date", value, &date);
	}
	if (rc != NRM_OK)
		return rc;
	bool rg = label / 10 == RG;
	int32_t *when = rg ? &r->c->rg_decision_date : &r->c->cg_decision_date;
	int32_t *outcome = rg ? &r->c->rg_outcome : &r->c->cg_outcome;
	if (*outcome != NRM_OUTCOME_NONE)
		return xml_in_bad_value(r->xml, "outcome", rg ? "rg_outcome" : "cg_outcome",
		                        "a second %s grounds decision",
		                        rg ? "reasonable" : "conclusive");
	*when = date;
	*outcome = label % 10;
	return NRM_OK;
}

static int read_closure_attribute(struct xread *r, const char *name, const char *value)
{
	if (strcmp(name, "reason") == 0)
		return xread_code(r, closures, name, "status", value, &r->c->status);
	if (strcmp(name, "date") == 0)
		return xread_date(r, name, "status_date", value, &r->c->status_date);
	return NRM_OK;
}

static int read_last_updated(struct xread *r)
{
	const char *text;
	if (xml_in_text(r->xml, &text) != NRM_OK)
		return NRM_FAIL;
	return xread_time(r, NULL, "updated_at", text, &r->c->updated_at);
}

/* One element inside <referral>; the schema has checked where it may be. */
static int read_element(struct xread *r, const char *name)
{
	struct nrm_case *c = r->c;
	if (strcmp(name, "identifiers") == 0)
		return xread_attributes(r, read_identifiers_attribute);
	if (strcmp(name, "referral-date") == 0)
		return date_text(r, "referral_date", &c->referral_date);
	if (strcmp(name, "council-area") == 0)
		return xread_keep_text(r, SLOT_LA, &c->local_authority);
	if (strcmp(name, "police-force") == 0)
		return xread_keep_text(r, SLOT_FORCE, &c->police_force);
	if (strcmp(name, "first-responder-type") == 0)
		return text_code(r, first_responders, "first_responder_type",
		                 &c->first_responder_type);
	if (strcmp(name, "gender") == 0)
		return text_code(r, genders, "gender", &c->gender);
	if (strcmp(name, "age-at-exploitation") == 0)
		return read_age(r);
	if (strcmp(name, "age-disputed") == 0)
		return yes_no_text(r, "age_disputed", &c->age_disputed);
	if (strcmp(name, "nationality") == 0)
		return xread_attributes(r, read_nationality_attribute);
	if (strcmp(name, "types") == 0)
		return xread_attributes(r, read_types_attribute);
	if (strcmp(name, "county-lines") == 0)
		return yes_no_text(r, "county_lines", &c->county_lines);
	if (strcmp(name, "location") == 0)
		return text_code(r, locations, "exploitation_location", &c->exploitation_location);
	if (strcmp(name, "decisions") == 0)
		return xread_attributes(r, read_decisions_attribute);
	if (strcmp(name, "decision") == 0)
		return read_decision(r);
	if (strcmp(name, "case-closure") == 0)
		return xread_attributes(r, read_closure_attribute);
	if (strcmp(name, "last-updated") == 0)
		return read_last_updated(r);
	return NRM_OK; /* child, exploitation: containers */
}

static int cb_scotland_xml_import_next(void *state, struct nrm_case *out, struct nrm_pos *where)
{
	return xread_next(state, out, where, NULL, read_element);
}

/* ---- writing ------------------------------------------------------------- */

struct writer {
	struct xml_export base;  /* first: xml_export_open's writer */
	bool skip_outside;
	uint64_t cases;    /* given to the plugin so far */
	uint64_t skipped;
};

static int cb_scotland_xml_export_open(const struct nrm_host *host, nrm_stream *out, void **state)
{
	if (xml_export_open(state, sizeof(struct writer), host, out, "child-nrm-referrals", NS,
	                    "layout-version", "1") != NRM_OK)
		return NRM_FAIL;
	struct writer *w = *state;
	const char *outside = host->option_string(out, "outside-scotland");
	w->skip_outside = outside && strcmp(outside, "skip") == 0;
	return NRM_OK;
}

/* The field that makes a case not Scottish, or NULL. */
static const char *outside_scotland(const struct nrm_case *c)
{
	if (c->local_authority && strncmp(c->local_authority, "S12", 3) != 0)
		return "local_authority";
	if (c->police_force && strcmp(c->police_force, POLICE_SCOTLAND) != 0)
		return "police_force";
	return NULL;
}

static void write_yes_no(struct xml_out *x, const char *element, int8_t v)
{
	if (v != NRM_UNKNOWN)
		xml_out_element(x, element, v == NRM_YES ? "Yes" : "No");
}

static void write_child(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "child");
	xml_out_element(x, "gender", xml_code_text(genders, c->gender));
	if (c->age_at_exploitation != NRM_AGE_NONE) {
		char age[12];
		snprintf(age, sizeof(age), "%d", (int)c->age_at_exploitation);
		xml_out_element(x, "age-at-exploitation", age);
	}
	write_yes_no(x, "age-disputed", c->age_disputed);
	if (c->nationality[0]) {
		xml_out_start(x, "nationality");
		xml_out_attr(x, "first", c->nationality[0]);
		xml_out_attr_opt(x, "second", c->nationality[1]);
		xml_out_end(x);
	}
	xml_out_end(x);
}

static void write_exploitation(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "exploitation");
	xml_out_start(x, "types");
	for (const struct xml_code *t = exploitation_flags; t->text; t++)
		xml_out_attr(x, t->text, (c->exploitation_types & (uint32_t)t->value) ? "Yes" : "No");
	xml_out_end(x);
	write_yes_no(x, "county-lines", c->county_lines);
	xml_out_element(x, "location", xml_code_text(locations, c->exploitation_location));
	xml_out_end(x);
}

static void write_decision(struct xml_out *x, int stage, int32_t date, int32_t outcome)
{
	if (date == NRM_DATE_NONE)
		return;
	xml_out_start(x, "decision");
	xml_out_attr_date(x, "date", date);
	xml_out_attr_opt(x, "outcome", xml_code_text(outcomes, stage * 10 + outcome));
	xml_out_end(x);
}

static void write_decisions(struct xml_out *x, const struct nrm_case *c)
{
	if (c->decision_maker == NRM_DM_NONE && c->rg_decision_date == NRM_DATE_NONE &&
	    c->cg_decision_date == NRM_DATE_NONE)
		return;
	xml_out_start(x, "decisions");
	xml_out_attr_opt(x, "decision-maker", xml_code_text(decision_makers, c->decision_maker));
	write_decision(x, RG, c->rg_decision_date, c->rg_outcome);
	write_decision(x, CG, c->cg_decision_date, c->cg_outcome);
	xml_out_end(x);
}

static void write_referral(struct xml_out *x, const struct nrm_case *c)
{
	xml_out_start(x, "referral");
	xml_out_start(x, "identifiers");
	xml_out_attr(x, "site", c->site);
	xml_out_attr(x, "case-reference", c->case_id);
	xml_out_attr_opt(x, "nrm-reference", c->nrm_ref);
	xml_out_end(x);
	xml_out_element_date(x, "referral-date", c->referral_date);
	xml_out_element(x, "council-area", c->local_authority);
	xml_out_element(x, "police-force", c->police_force);
	xml_out_element(x, "first-responder-type",
	                xml_code_text(first_responders, c->first_responder_type));
	write_child(x, c);
	write_exploitation(x, c);
	write_decisions(x, c);
	/* An open case has no closure, so its status_date is not carried. */
	if (c->status != NRM_STATUS_OPEN) {
		xml_out_start(x, "case-closure");
		xml_out_attr_opt(x, "reason", xml_code_text(closures, c->status));
		xml_out_attr_date(x, "date", c->status_date);
		xml_out_end(x);
	}
	xml_out_element_time(x, "last-updated", c->updated_at);
	xml_out_end(x);
}

static int cb_scotland_xml_export_write(void *state, const struct nrm_case *c)
{
	struct writer *w = state;
	const char *field = outside_scotland(c);
	w->cases++;
	if (field && w->skip_outside) {
		w->skipped++;
		return NRM_OK;
	}
	if (field) {
		/* The code has passed the canonical rules, so it is a GSS code and
		 * may be quoted. */
		bool la = strcmp(field, "local_authority") == 0;
		w->base.host->report(w->base.out, NULL, field,
		                     "case %llu has %s, which is not Scottish: scotland-xml carries "
		                     "only Scottish cases (S12 council areas, Police Scotland "
		                     "S92000003); leave such cases out with "
		                     "--option scotland-xml.outside-scotland=skip",
		                     (unsigned long long)w->cases,
		                     la ? c->local_authority : c->police_force);
		return NRM_FAIL;
	}
	if (xml_out_check_case(w->base.xml, c) != NRM_OK)
		return NRM_FAIL;
	write_referral(w->base.xml, c);
	return xml_out_status(w->base.xml);
}

static int cb_scotland_xml_export_finish(void *state)
{
	struct writer *w = state;
	if (w->skipped)
		w->base.host->warn(w->base.out, "left out %llu cases from outside Scotland "
		                   "(outside-scotland=skip)", (unsigned long long)w->skipped);
	return xml_export_finish(w);
}

static const char *const formats[] = {"scotland-xml", NULL};

NRM_PLUGIN_DEFINE(
	.caps = NRM_CAP_IMPORT | NRM_CAP_EXPORT,
	.name = "scotland-xml",
	.version = "1.0.0",
	.description = "The Scottish Government's child NRM referral layout: Scottish cases "
	               "only, XML valid against schemas/scotland-xml.xsd.",
	.license = "MIT",
	.formats = formats,
	.options = options,
	.import_open = cb_scotland_xml_import_open,
	.import_next = cb_scotland_xml_import_next,
	.import_close = cb_scotland_xml_import_close,
	.export_open = cb_scotland_xml_export_open,
	.export_write = cb_scotland_xml_export_write,
	.export_finish = cb_scotland_xml_export_finish,
	.export_close = xml_export_close,
);

/*
 * The plugin ABI's layout, member by member, against the table committed in
 * tests/unit/abi-layout.txt.  A change here means built plugins would read
 * the wrong bytes: if it is deliberate, follow the rules at the top of
 * plugin.h, then regenerate the table with
 *     tests/unit/test_abi_layout --write $SRCDIR/tests/unit/abi-layout.txt
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <nrmhub/plugin.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct member {
	const char *name;
	size_t offset, size;
	bool is_value;    /* a constant of the ABI, not a member */
	long long value;
};

#define M(type, member) \
	{#type "." #member, offsetof(struct type, member), sizeof(((struct type *)0)->member), \
	 false, 0}
#define S(type) {#type, 0, sizeof(struct type), false, 0}
/* Values are ABI too: a module compiled with the old value of a constant
 * would mean something else by it. */
#define V(name) {#name, 0, 0, true, (long long)(name)}

static const struct member layout[] = {
	S(nrm_case),
	M(nrm_case, case_id), M(nrm_case, site), M(nrm_case, nrm_ref),
	M(nrm_case, first_responder_org), M(nrm_case, local_authority),
	M(nrm_case, police_force), M(nrm_case, nationality), M(nrm_case, updated_at),
	M(nrm_case, referral_date), M(nrm_case, first_responder_type),
	M(nrm_case, age_at_exploitation), M(nrm_case, gender),
	M(nrm_case, exploitation_types), M(nrm_case, exploitation_location),
	M(nrm_case, rg_decision_date), M(nrm_case, rg_outcome),
	M(nrm_case, cg_decision_date), M(nrm_case, cg_outcome),
	M(nrm_case, decision_maker), M(nrm_case, status), M(nrm_case, status_date),
	M(nrm_case, age_disputed), M(nrm_case, county_lines), M(nrm_case, pad_),
	M(nrm_case, date_of_birth), M(nrm_case, pad_1_1_), M(nrm_case, reserved),
	S(nrm_pos),
	M(nrm_pos, line), M(nrm_pos, column), M(nrm_pos, path), M(nrm_pos, reserved),
	S(nrm_option_spec),
	M(nrm_option_spec, name), M(nrm_option_spec, type), M(nrm_option_spec, pad_),
	M(nrm_option_spec, default_value), M(nrm_option_spec, description),
	M(nrm_option_spec, choices), M(nrm_option_spec, min), M(nrm_option_spec, max),
	M(nrm_option_spec, reserved),
	S(nrm_host),
	M(nrm_host, abi_major), M(nrm_host, abi_minor), M(nrm_host, report),
	M(nrm_host, warn), M(nrm_host, read), M(nrm_host, write), M(nrm_host, name),
	M(nrm_host, option_string), M(nrm_host, option_int), M(nrm_host, option_bool),
	M(nrm_host, case_init), M(nrm_host, date_from_ymd), M(nrm_host, date_to_ymd),
	M(nrm_host, date_parse_iso), M(nrm_host, date_format_iso),
	M(nrm_host, time_parse_rfc3339), M(nrm_host, time_format_rfc3339),
	M(nrm_host, code_name), M(nrm_host, code_parse), M(nrm_host, reserved),
	S(nrm_plugin),
	M(nrm_plugin, magic), M(nrm_plugin, abi_major), M(nrm_plugin, abi_minor),
	M(nrm_plugin, caps), M(nrm_plugin, name), M(nrm_plugin, version),
	M(nrm_plugin, description), M(nrm_plugin, license), M(nrm_plugin, formats),
	M(nrm_plugin, options), M(nrm_plugin, import_open), M(nrm_plugin, import_next),
	M(nrm_plugin, import_close), M(nrm_plugin, export_open),
	M(nrm_plugin, export_write), M(nrm_plugin, export_finish),
	M(nrm_plugin, export_close), M(nrm_plugin, reserved),
	V(NRM_PLUGIN_MAGIC), V(NRM_ABI_MAJOR), V(NRM_CASE_SCHEMA_VERSION),
	V(NRM_OK), V(NRM_EOF), V(NRM_REJECT), V(NRM_FAIL),
	V(NRM_DATE_NONE), V(NRM_TIME_NONE), V(NRM_AGE_NONE),
	V(NRM_UNKNOWN), V(NRM_NO), V(NRM_YES),
	V(NRM_FR_NONE), V(NRM_FR_GOVERNMENT_AGENCY), V(NRM_FR_NGO), V(NRM_FR_POLICE),
	V(NRM_FR_LOCAL_AUTHORITY),
	V(NRM_GENDER_UNKNOWN), V(NRM_GENDER_FEMALE), V(NRM_GENDER_MALE), V(NRM_GENDER_OTHER),
	V(NRM_EXPL_CRIMINAL), V(NRM_EXPL_DOMESTIC), V(NRM_EXPL_LABOUR), V(NRM_EXPL_SEXUAL),
	V(NRM_EXPL_ORGAN_HARVESTING), V(NRM_EXPL_ALL),
	V(NRM_LOC_UNKNOWN), V(NRM_LOC_UK), V(NRM_LOC_OVERSEAS), V(NRM_LOC_UK_AND_OVERSEAS),
	V(NRM_OUTCOME_NONE), V(NRM_OUTCOME_POSITIVE), V(NRM_OUTCOME_NEGATIVE),
	V(NRM_DM_NONE), V(NRM_DM_DDM_PANEL), V(NRM_DM_SCA), V(NRM_DM_IECA),
	V(NRM_STATUS_OPEN), V(NRM_STATUS_WITHDRAWN), V(NRM_STATUS_TRANSFERRED),
	V(NRM_CODE_FIRST_RESPONDER), V(NRM_CODE_GENDER), V(NRM_CODE_EXPLOITATION),
	V(NRM_CODE_LOCATION), V(NRM_CODE_OUTCOME), V(NRM_CODE_DECISION_MAKER),
	V(NRM_CODE_STATUS),
	V(NRM_OPT_STRING), V(NRM_OPT_INT), V(NRM_OPT_BOOL), V(NRM_OPT_SIZE), V(NRM_OPT_CHOICE),
	V(NRM_CAP_IMPORT), V(NRM_CAP_EXPORT),
};
#define N_MEMBERS (sizeof(layout) / sizeof(layout[0]))

static void format_line(char *buf, size_t len, const struct member *m)
{
	if (m->is_value)
		snprintf(buf, len, "%s = %lld\n", m->name, m->value);
	else
		snprintf(buf, len, "%s %zu %zu\n", m->name, m->offset, m->size);
}

static void layout_matches_committed_table(void **state)
{
	(void)state;
	const char *src = getenv("SRCDIR");
	assert_non_null(src);
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/unit/abi-layout.txt", src);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	char want[256], got[256];
	size_t i = 0, differences = 0;
	while (fgets(want, sizeof(want), f)) {
		if (want[0] == '#' || want[0] == '\n')
			continue;
		if (i >= N_MEMBERS) {
			print_error("committed table has an extra line: %s", want);
			differences++;
			continue;
		}
		format_line(got, sizeof(got), &layout[i++]);
		if (strcmp(want, got) != 0) {
			print_error("ABI layout changed: committed %s         now %s", want, got);
			differences++;
		}
	}
	fclose(f);
	if (i < N_MEMBERS) {
		print_error("committed table lacks %zu members, from %s", N_MEMBERS - i,
		            layout[i].name);
		differences++;
	}
	assert_int_equal(differences, 0);
}

/* The fixed header every ABI version shares is where the loader expects it. */
static void fixed_header_never_moves(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct nrm_plugin, magic), 0);
	assert_int_equal(offsetof(struct nrm_plugin, abi_major), 8);
	assert_int_equal(offsetof(struct nrm_plugin, abi_minor), 10);
}

static int write_table(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "# The plugin ABI's layout: struct.member offset size (x86_64, LP64),\n"
	           "# then its constants: NAME = value.  NRM_ABI_MINOR is left out: it grows.\n"
	           "# Generated by tests/unit/test_abi_layout --write; see plugin.h before changing.\n");
	for (size_t i = 0; i < N_MEMBERS; i++) {
		char line[256];
		format_line(line, sizeof(line), &layout[i]);
		fputs(line, f);
	}
	return fclose(f) != 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_table(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(layout_matches_committed_table),
		cmocka_unit_test(fixed_header_never_moves),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

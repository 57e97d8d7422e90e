/*
 * schemas/national.schema.json, built into the binary (as return_schema.c
 * does for the return's), so national.json is checked against the schema
 * shipped with this very build.
 */
#include "national.h"

#include "json_schema.h"

#include <string.h>

#ifndef NRM_NATIONAL_SCHEMA_FILE
#error "NRM_NATIONAL_SCHEMA_FILE must name schemas/national.schema.json"
#endif

__asm__(".pushsection .rodata\n"
        ".hidden nrm_national_schema_bytes\n"
        ".globl nrm_national_schema_bytes\n"
        ".type nrm_national_schema_bytes, @object\n"
        "nrm_national_schema_bytes:\n"
        ".incbin \"" NRM_NATIONAL_SCHEMA_FILE "\"\n"
        ".byte 0\n"
        ".popsection\n");
extern const char nrm_national_schema_bytes[];

struct nrm_json_schema *nrm_national_schema_load(struct nrm_error *err)
{
	const char *text = nrm_national_schema_bytes;
	return nrm_json_schema_parse(text, strlen(text), "national.schema.json", err);
}

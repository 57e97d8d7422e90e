/*
 * The schema file is pulled into .rodata by the assembler (.incbin), which
 * needs no generated source; Makefile.am makes this object depend on the
 * file so an edited schema is rebuilt in.
 */
#include "return_schema.h"

#include "json_schema.h"

#include <string.h>

#ifndef NRM_RETURN_SCHEMA_FILE
#error "NRM_RETURN_SCHEMA_FILE must name schemas/return.schema.json"
#endif

__asm__(".pushsection .rodata\n"
        ".hidden nrm_return_schema_bytes\n"
        ".globl nrm_return_schema_bytes\n"
        ".type nrm_return_schema_bytes, @object\n"
        "nrm_return_schema_bytes:\n"
        ".incbin \"" NRM_RETURN_SCHEMA_FILE "\"\n"
        ".byte 0\n"
        ".popsection\n");
extern const char nrm_return_schema_bytes[];

const char *nrm_return_schema_text(void)
{
	return nrm_return_schema_bytes;
}

struct nrm_json_schema *nrm_return_schema_load(struct nrm_error *err)
{
	const char *text = nrm_return_schema_text();
	return nrm_json_schema_parse(text, strlen(text), "return.schema.json", err);
}

/* See return_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "return_fixture.h"
#include "util.h"

json_t *return_fixture(const char *name)
{
	const char *src = getenv("SRCDIR");
	char *path = nrm_xasprintf("%s/tests/data/returns/%s", src ? src : ".", name);
	json_error_t jerr;
	json_t *j = json_load_file(path, 0, &jerr);
	if (!j)
		fail_msg("%s: %s", path, jerr.text);
	free(path);
	return j;
}

/*
 * A return.json from tests/data/returns/, for the unit tests that read the
 * hand-checked fixtures there (SRCDIR, set by the harness, or the current
 * folder).  Fails the test when the file cannot be read.
 */
#ifndef NRM_TEST_RETURN_FIXTURE_H
#define NRM_TEST_RETURN_FIXTURE_H

#include <jansson.h>

json_t *return_fixture(const char *name);

#endif

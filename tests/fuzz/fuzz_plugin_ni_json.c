/*
 * The ni-json import plugin (see fuzz_plugin.h).
 */
// seeds: tests/data/formats/all-fields.ni.jsonl examples/site/data/ni-referrals.jsonl
#define FUZZ_PLUGIN "ni-json"
#include "fuzz_plugin.h"

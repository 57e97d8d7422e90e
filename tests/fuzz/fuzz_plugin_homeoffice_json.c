/*
 * The homeoffice-json import plugin (see fuzz_plugin.h).
 */
// seeds: tests/data/formats/all-fields.homeoffice.json tests/data/store/homeoffice.json examples/site/data/homeoffice-cases.json
#define FUZZ_PLUGIN "homeoffice-json"
#include "fuzz_plugin.h"

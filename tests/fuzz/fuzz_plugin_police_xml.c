/*
 * The police-xml import plugin (see fuzz_plugin.h).
 */
// seeds: tests/data/store/police.xml examples/site/data/police-cases.xml
#define FUZZ_PLUGIN "police-xml"
#include "fuzz_plugin.h"

/*
 * The scotland-xml import plugin (see fuzz_plugin.h).
 */
// seeds: examples/site/data/scotland-referrals.xml
#define FUZZ_PLUGIN "scotland-xml"
#include "fuzz_plugin.h"

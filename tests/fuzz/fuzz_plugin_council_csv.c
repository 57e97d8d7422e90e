/*
 * The council-csv import plugin (see fuzz_plugin.h).
 */
// seeds: tests/data/council/*.csv tests/data/formats/*.council.csv tests/data/store/council.csv examples/site/data/council-cases.csv plugins/council-csv/sample.csv
#define FUZZ_PLUGIN "council-csv"
#include "fuzz_plugin.h"

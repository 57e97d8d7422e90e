/*
 * The case-jsonl import plugin (see fuzz_plugin.h).
 */
// seeds: tests/data/case/valid/* tests/data/case/invalid/* tests/data/case/valid-canonical.jsonl tests/data/formats/*.jsonl tests/data/returns/cases.jsonl
#define FUZZ_PLUGIN "case-jsonl"
#include "fuzz_plugin.h"

/*
 * Welsh beside English in the outputs for people of a site in Wales
 * (return_tables.h, `welsh`): the one table of Welsh words is
 * plugins/common/labels.h's label_welsh(), shared with the wales-csv
 * export; this names it for the hub and fills its formats.
 */
#ifndef NRM_WELSH_H
#define NRM_WELSH_H

#include "util.h"

#include "../plugins/common/labels.h"

/* The Welsh of printf format `fmt` (a string literal, so that the compiler
 * checks the arguments against it) filled with the English's arguments, or
 * NULL when `welsh` is false or the table has no Welsh for it.  Callers
 * free. */
#define NRM_WELSH_PRINTF(welsh, fmt, ...)                                               \
	((welsh) && label_welsh(fmt) ? nrm_xasprintf(label_welsh(fmt), __VA_ARGS__) : NULL)

#endif

/*
 * nrmhub plugin ABI, version 1.
 *
 * This is the only header a plugin needs.  A plugin is a shared module that
 * exports exactly one symbol, NRM_PLUGIN_SYMBOL, a `struct nrm_plugin`
 * descriptor.  The hub checks the descriptor's magic value first, then its ABI
 * major and minor, then its metadata, before it calls anything in the module.
 *
 * Records cross the boundary as `struct nrm_case`, one at a time.  A plugin
 * never prints and never exits: it reads and writes bytes through the host
 * table it is given, and reports every problem with nrm_host.report(), naming
 * the position in its input.
 *
 * Changing the ABI
 * ----------------
 * - Adding a member to a public struct, by taking it from that struct's
 *   `reserved` array (so its size and the offsets of every existing member are
 *   unchanged), or adding a function to the end of `struct nrm_host`, or a new
 *   value to an enumeration: bump NRM_ABI_MINOR.  Old modules keep loading; the
 *   hub must read a new descriptor member only when the module's abi_minor says
 *   it is there (reserved members of older modules are zero).
 * - Anything else (removing, reordering or retyping a member, changing a
 *   callback's signature, changing what a value means): bump NRM_ABI_MAJOR,
 *   reset NRM_ABI_MINOR to 0.  Every module must then be rebuilt.
 * tests/unit/test_abi_layout.c compares every struct's size and offsets, and
 * every constant of this header, with tests/unit/abi-layout.txt, so an
 * accidental change fails the build.
 *
 * Bumping the minor version, step by step:
 *   1. shrink the `reserved` array by exactly the room the new member takes
 *      (its size in pointers), and add the member just before it;
 *   2. increase NRM_ABI_MINOR by one;
 *   3. run `tests/unit/test_abi_layout --write tests/unit/abi-layout.txt` in
 *      the build tree (with the source path) and check with `git diff` that
 *      the only changes are the new member's line, the reserved array's
 *      offset and size, and new constants: no existing line may change;
 *   4. in the hub, read the new member only from modules whose abi_minor is
 *      at least the new minor (tests/unit/test_abi_minor.c builds a hub one
 *      minor ahead and loads modules built for 1.0; keep it passing);
 *   5. note the change and its minor version in this comment.
 * Bumping the major version: make the change, set NRM_ABI_MAJOR one higher
 * and NRM_ABI_MINOR to 0, regenerate the table, and say in the release notes
 * that every plugin must be rebuilt (the loader refuses the old ones, naming
 * the ABI they were built for).
 *
 * History: 1.0, the first ABI.  1.1: nrm_case.date_of_birth (canonical case
 * schema 2), taken from nrm_case.reserved; a 1.0 module's records have it
 * unknown whatever the module left in those bytes.
 */
#ifndef NRMHUB_PLUGIN_H
#define NRMHUB_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "NRMHUBP1" read as a little-endian 64-bit integer: a garbled or foreign
 * module is told apart from one built for another ABI version. */
#define NRM_PLUGIN_MAGIC UINT64_C(0x31504255484d524e)
#define NRM_ABI_MAJOR 1
#define NRM_ABI_MINOR 1
#define NRM_PLUGIN_SYMBOL "nrmhub_plugin"

/* Return codes of plugin callbacks and host functions. */
enum nrm_status {
	NRM_OK = 0,      /* a record was produced or consumed */
	NRM_EOF = 1,     /* import: no more records in this input */
	NRM_REJECT = 2,  /* import: this record is bad (already reported); the
	                    next call continues after it */
	NRM_FAIL = -1,   /* this input or output cannot go on (already reported) */
};

/* ---- The canonical case, schema version 2 ---------------------------- */

/* 2 (ABI 1.1) added date_of_birth; version 1 input is still read. */
#define NRM_CASE_SCHEMA_VERSION 2

/* Dates are days since 1970-01-01 (proleptic Gregorian). */
#define NRM_DATE_NONE INT32_MIN
/* Times are seconds since 1970-01-01T00:00:00Z. */
#define NRM_TIME_NONE INT64_MIN
#define NRM_AGE_NONE (-1)

/* Three-valued booleans: an unknown answer is not "no". */
enum nrm_tristate { NRM_UNKNOWN = -1, NRM_NO = 0, NRM_YES = 1 };

enum nrm_first_responder {
	NRM_FR_NONE = 0,
	NRM_FR_GOVERNMENT_AGENCY,
	NRM_FR_NGO,
	NRM_FR_POLICE,
	NRM_FR_LOCAL_AUTHORITY,
};

enum nrm_gender {
	NRM_GENDER_UNKNOWN = 0,
	NRM_GENDER_FEMALE,
	NRM_GENDER_MALE,
	NRM_GENDER_OTHER,
};

/* Bits of nrm_case.exploitation_types; no bit set means not specified. */
enum nrm_exploitation {
	NRM_EXPL_CRIMINAL = 1u << 0,
	NRM_EXPL_DOMESTIC = 1u << 1,
	NRM_EXPL_LABOUR = 1u << 2,
	NRM_EXPL_SEXUAL = 1u << 3,
	NRM_EXPL_ORGAN_HARVESTING = 1u << 4,
	NRM_EXPL_ALL = (1u << 5) - 1,
};

enum nrm_location {
	NRM_LOC_UNKNOWN = 0,
	NRM_LOC_UK,
	NRM_LOC_OVERSEAS,
	NRM_LOC_UK_AND_OVERSEAS,
};

enum nrm_outcome { NRM_OUTCOME_NONE = 0, NRM_OUTCOME_POSITIVE, NRM_OUTCOME_NEGATIVE };

enum nrm_decision_maker {
	NRM_DM_NONE = 0,
	NRM_DM_DDM_PANEL,
	NRM_DM_SCA,
	NRM_DM_IECA,
};

enum nrm_case_status { NRM_STATUS_OPEN = 0, NRM_STATUS_WITHDRAWN, NRM_STATUS_TRANSFERRED };

/*
 * One child's case.  Strings are NUL-terminated UTF-8 and NULL when unknown.
 * In an import, the hub initialises the record with nrm_host.case_init()
 * before each call, and the strings the plugin points to must stay valid until
 * its next call.  Enumerations are stored in fixed-width integers so the
 * layout never depends on the compiler's choice of enum size.
 */
struct nrm_case {
	const char *case_id;             /* required */
	const char *site;                /* required: the pilot site's code */
	const char *nrm_ref;
	const char *first_responder_org;
	const char *local_authority;     /* ONS GSS code */
	const char *police_force;        /* ONS GSS code, or a nation code */
	const char *nationality[2];      /* ISO 3166-1 alpha-2; [0] first */
	int64_t updated_at;              /* NRM_TIME_NONE when unknown */
	int32_t referral_date;           /* required */
	int32_t first_responder_type;    /* enum nrm_first_responder */
	int32_t age_at_exploitation;     /* 0..17, or NRM_AGE_NONE */
	int32_t gender;                  /* enum nrm_gender */
	uint32_t exploitation_types;     /* enum nrm_exploitation bits */
	int32_t exploitation_location;   /* enum nrm_location */
	int32_t rg_decision_date;
	int32_t rg_outcome;              /* enum nrm_outcome */
	int32_t cg_decision_date;
	int32_t cg_outcome;              /* enum nrm_outcome */
	int32_t decision_maker;          /* enum nrm_decision_maker */
	int32_t status;                  /* enum nrm_case_status */
	int32_t status_date;
	int8_t age_disputed;             /* enum nrm_tristate */
	int8_t county_lines;             /* enum nrm_tristate */
	uint8_t pad_[2];
	/* ABI 1.1: NRM_DATE_NONE when unknown.  The site keeps it: it never
	 * reaches a return, only the exports whose format documents it. */
	int32_t date_of_birth;
	uint8_t pad_1_1_[4];
	void *reserved[15];
};

/* Named value sets of the canonical case, for nrm_host.code_name/code_parse. */
enum nrm_code_kind {
	NRM_CODE_FIRST_RESPONDER = 0,
	NRM_CODE_GENDER,
	NRM_CODE_EXPLOITATION,  /* values are single bits */
	NRM_CODE_LOCATION,
	NRM_CODE_OUTCOME,
	NRM_CODE_DECISION_MAKER,
	NRM_CODE_STATUS,
};

/* ---- Positions and options ------------------------------------------- */

/* Where in an input something was found.  Zero means "not known". */
struct nrm_pos {
	uint64_t line;     /* 1-based */
	uint64_t column;   /* 1-based, in characters of the line */
	const char *path;  /* element or JSON path, or NULL */
	void *reserved[2];
};

enum nrm_option_type {
	NRM_OPT_STRING = 1,
	NRM_OPT_INT,    /* a decimal integer, within [min, max] */
	NRM_OPT_BOOL,   /* true/false, yes/no, 1/0, on/off */
	NRM_OPT_SIZE,   /* bytes, with an optional k, M or G suffix (powers of 1024) */
	NRM_OPT_CHOICE, /* one of the '|'-separated words in `choices` */
};

struct nrm_option_spec {
	const char *name;          /* lower-case, words joined by '-' */
	int32_t type;              /* enum nrm_option_type */
	int32_t pad_;
	const char *default_value; /* as text; NULL means "no default, unset" */
	const char *description;   /* one sentence */
	const char *choices;       /* NRM_OPT_CHOICE only */
	int64_t min, max;          /* NRM_OPT_INT and NRM_OPT_SIZE; both 0 = any */
	void *reserved[4];
};

/* ---- What the hub offers a plugin ------------------------------------ */

/* One open input or output, owned by the hub. */
typedef struct nrm_stream nrm_stream;

struct nrm_host {
	uint32_t abi_major, abi_minor;

	/* Reports a problem at `pos` (may be NULL) in field `field` (may be
	 * NULL).  The hub adds the file name.  Returns NRM_FAIL, so a plugin
	 * can write `return host->report(...)` for a fatal problem, or report
	 * then return NRM_REJECT for a bad record. */
	int (*report)(nrm_stream *s, const struct nrm_pos *pos, const char *field,
	              const char *fmt, ...) __attribute__((format(printf, 4, 5)));
	/* A warning that does not stop anything (e.g. an ignored column). */
	void (*warn)(nrm_stream *s, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));

	/* Reads up to `len` bytes of the input; 0 at its end, -1 on an I/O
	 * error (already reported).  Never returns more than was asked. */
	ssize_t (*read)(nrm_stream *s, void *buf, size_t len);
	/* Writes all of `buf` to the output; NRM_OK or NRM_FAIL (reported). */
	int (*write)(nrm_stream *s, const void *buf, size_t len);
	/* The input or output's name as the user gave it ("-" for stdio). */
	const char *(*name)(nrm_stream *s);

	/* The value of one of the plugin's own options, after the hub has
	 * checked it against the options table.  Unset strings are NULL. */
	const char *(*option_string)(nrm_stream *s, const char *option);
	int64_t (*option_int)(nrm_stream *s, const char *option);
	int (*option_bool)(nrm_stream *s, const char *option);

	/* Resets a record to "everything unknown". */
	void (*case_init)(struct nrm_case *c);

	/* Dates: NRM_OK, or NRM_FAIL when the date does not exist. */
	int (*date_from_ymd)(int year, int month, int day, int32_t *out);
	void (*date_to_ymd)(int32_t date, int *year, int *month, int *day);
	/* "YYYY-MM-DD" exactly; NRM_OK or NRM_FAIL. */
	int (*date_parse_iso)(const char *text, size_t len, int32_t *out);
	/* Writes "YYYY-MM-DD" and a NUL into buf[11]. */
	void (*date_format_iso)(int32_t date, char buf[11]);
	/* RFC 3339 date-time with a time zone; NRM_OK or NRM_FAIL. */
	int (*time_parse_rfc3339)(const char *text, size_t len, int64_t *out);
	/* Writes "YYYY-MM-DDTHH:MM:SSZ" and a NUL into buf[21]. */
	void (*time_format_rfc3339)(int64_t t, char buf[21]);

	/* The canonical name of a code value ("female", "uk_and_overseas").
	 * Gender and location name their unknown value "unknown" and status
	 * names its 0 "open"; the other sets give NULL for 0 (JSON null). */
	const char *(*code_name)(int kind, int32_t value);
	/* Parses a canonical name; NRM_OK or NRM_FAIL. */
	int (*code_parse)(int kind, const char *text, size_t len, int32_t *out);

	void *reserved[24];
};

/* ---- What a plugin offers the hub ------------------------------------ */

enum nrm_plugin_caps { NRM_CAP_IMPORT = 1u << 0, NRM_CAP_EXPORT = 1u << 1 };

struct nrm_plugin {
	/* These three never move, in any ABI version. */
	uint64_t magic;             /* NRM_PLUGIN_MAGIC */
	uint16_t abi_major;         /* NRM_ABI_MAJOR the module was built for */
	uint16_t abi_minor;
	uint32_t caps;              /* enum nrm_plugin_caps */

	const char *name;           /* unique, e.g. "council-csv" */
	const char *version;
	const char *description;    /* one sentence */
	const char *license;        /* SPDX identifier */
	const char *const *formats; /* NULL-terminated format names */
	const struct nrm_option_spec *options; /* ends with a NULL name; may be NULL */

	/* Import: open one input, then produce one record per call. */
	int (*import_open)(const struct nrm_host *host, nrm_stream *in, void **state);
	/* Fills `out` and sets `where` to the record's first line (and column,
	 * if known), so the hub can name it when it breaks a canonical rule. */
	int (*import_next)(void *state, struct nrm_case *out, struct nrm_pos *where);
	void (*import_close)(void *state);

	/* Export: open the output, consume one record per call, then finish
	 * (write any trailer) when every record has been written. */
	int (*export_open)(const struct nrm_host *host, nrm_stream *out, void **state);
	int (*export_write)(void *state, const struct nrm_case *c);
	int (*export_finish)(void *state);
	void (*export_close)(void *state);

	void *reserved[16];
};

/* Defines the module's one exported symbol. */
#define NRM_PLUGIN_DEFINE(...)                                                 \
	__attribute__((visibility("default"))) const struct nrm_plugin         \
		nrmhub_plugin = {                                              \
			.magic = NRM_PLUGIN_MAGIC,                             \
			.abi_major = NRM_ABI_MAJOR,                            \
			.abi_minor = NRM_ABI_MINOR,                            \
			__VA_ARGS__}

#ifdef __cplusplus
}
#endif
#endif /* NRMHUB_PLUGIN_H */

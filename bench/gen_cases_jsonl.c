/*
 * gen-cases-jsonl: writes synthetic canonical cases (case-jsonl) for the
 * return benchmark (bench/return-build).  `gen-cases-jsonl N [SITE]` prints
 * N cases, one JSON object a line, every one valid under the canonical case
 * rules: referrals spread over 2022-01-01..2024-06-30, nine in ten of SITE
 * (default "bench") and the rest of another site, with RG and CG decisions,
 * withdrawals, transfers and age-disputed cases in realistic shares.  Unknown
 * fields are left out rather than written null, as case-jsonl allows, to
 * keep the file small.  The output depends only on N and SITE (a fixed-seed
 * splitmix64 generator, integer day counts); no real child's data is used.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64
#define EX_IOERR 74

static uint64_t rng_state = UINT64_C(0x52455455524e5321); /* fixed seed */

static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t rng_below(uint32_t bound)
{
	return (uint32_t)(rng_next() % bound);
}

static int rng_chance(uint32_t percent)
{
	return rng_below(100) < percent;
}

/* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
static void format_date(int32_t days, char out[32])
{
	int64_t z = (int64_t)days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	int y = (int)(yoe + era * 400 + (m <= 2));
	snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
}

#define FIRST_DAY 18993 /* 2022-01-01 */
#define SPAN_DAYS 912   /* to 2024-06-30 */

static const char *const nationalities[] = {"GB", "GB", "GB", "GB", "GB", "GB",
                                            "VN", "AL", "ER", "SD", "AF", "RO"};
static const char *const genders[] = {"male", "male", "male", "female", "female", "other",
                                      "unknown"};
static const char *const types[] = {"criminal", "domestic", "labour", "sexual",
                                    "organ_harvesting"};
static const char *const locations[] = {"uk", "uk", "uk", "overseas", "uk_and_overseas",
                                        "unknown"};
static const char *const responders[] = {"police", "police", "local_authority", "ngo",
                                          "government_agency"};
static const char *const makers[] = {"ddm_panel", "ddm_panel", "ddm_panel", "sca", "ieca"};

static void write_case(FILE *out, uint64_t i, const char *site)
{
	char ref[32], rg[32], cg[32], st[32];
	int32_t referral = FIRST_DAY + (int32_t)rng_below(SPAN_DAYS);
	format_date(referral, ref);
	fprintf(out, "{\"case_id\":\"C%09" PRIu64 "\",\"site\":\"%s\",\"referral_date\":\"%s\"",
	        i, rng_chance(90) ? site : "elsewhere", ref);
	if (rng_chance(95))
		fprintf(out, ",\"age_at_exploitation\":%u", rng_below(18));
	if (rng_chance(1))
		fputs(",\"age_disputed\":true", out);
	fprintf(out, ",\"gender\":\"%s\"", genders[rng_below(7)]);
	if (rng_chance(97))
		fprintf(out, ",\"nationality\":[\"%s\"]", nationalities[rng_below(12)]);
	uint32_t bits = rng_chance(90) ? 1u + rng_below(31) : 0;
	fputs(",\"exploitation_types\":[", out);
	for (int t = 0, n = 0; t < 5; t++)
		if (bits & (1u << t))
			fprintf(out, "%s\"%s\"", n++ ? "," : "", types[t]);
	fputc(']', out);
	if (rng_chance(80))
		fprintf(out, ",\"county_lines\":%s", rng_chance(30) ? "true" : "false");
	fprintf(out, ",\"exploitation_location\":\"%s\"", locations[rng_below(6)]);
	fprintf(out, ",\"first_responder_type\":\"%s\"", responders[rng_below(5)]);
	if (rng_chance(85)) {
		int32_t rg_day = referral + (int32_t)rng_below(120);
		int positive = rng_chance(80);
		format_date(rg_day, rg);
		fprintf(out, ",\"rg_decision_date\":\"%s\",\"rg_outcome\":\"%s\",\"decision_maker\":\"%s\"",
		        rg, positive ? "positive" : "negative", makers[rng_below(5)]);
		if (positive && rng_chance(70)) {
			format_date(rg_day + (int32_t)rng_below(300), cg);
			fprintf(out, ",\"cg_decision_date\":\"%s\",\"cg_outcome\":\"%s\"", cg,
			        rng_chance(85) ? "positive" : "negative");
		}
	}
	if (rng_chance(5)) {
		format_date(referral + (int32_t)rng_below(200), st);
		fprintf(out, ",\"status\":\"%s\",\"status_date\":\"%s\"",
		        rng_chance(60) ? "withdrawn" : "transferred", st);
	}
	fputs("}\n", out);
}

int main(int argc, char **argv)
{
	char *end;
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen-cases-jsonl N [SITE]\n");
		return EX_USAGE;
	}
	errno = 0;
	unsigned long long n = strtoull(argv[1], &end, 10);
	if (errno || *end || !*argv[1] || n > 999999999ULL) {
		fprintf(stderr, "gen-cases-jsonl: N must be a number from 0 to 999999999\n");
		return EX_USAGE;
	}
	static char buf[1 << 20];
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	for (uint64_t i = 1; i <= n; i++)
		write_case(stdout, i, argc == 3 ? argv[2] : "bench");
	if (fflush(stdout) != 0) {
		fprintf(stderr, "gen-cases-jsonl: cannot write the output: %s\n", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

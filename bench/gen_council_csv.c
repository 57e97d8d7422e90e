/*
 * gen-council-csv: writes a synthetic council case export for the convert
 * benchmark (bench/convert).  `gen-council-csv N [SITE]` prints the header row
 * and N rows to stdout, about 120 bytes a row, every one of them valid under
 * the canonical case rules, so a conversion never stops early and the timing
 * measures the whole file.  The output depends only on N and SITE: the random
 * numbers come from a fixed-seed splitmix64 generator of our own (not rand(),
 * whose sequence differs between C libraries), and dates are computed with
 * integer day counts, so two machines produce byte-identical files.  No real
 * child's data is involved: every value is drawn from fixed lists.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EX_USAGE 64
#define EX_IOERR 74

/* Far beyond any benchmark, but keeps Case IDs at nine digits. */
#define MAX_ROWS UINT64_C(999999999)

/* Rows are assembled here and written in large blocks: a row never comes
 * near 1 KiB, so flushing when less than that is left is always enough. */
#define OUT_BUFFER_SIZE (1u << 20)
#define ROW_ROOM 1024u

static const char header[] =
	"Case ID,Site,NRM Reference,Referral Date,First Responder Type,"
	"First Responder Organisation,Local Authority Code,Police Force Code,"
	"Age at Exploitation,Age Disputed,Gender,Nationality,Exploitation Type,"
	"County Lines,Exploitation Location,RG Decision Date,RG Outcome,"
	"CG Decision Date,CG Outcome,Decision Maker,Status,Status Date,"
	"Last Updated\n";

/* ---- deterministic random numbers ------------------------------------ */

static uint64_t rng_state = UINT64_C(0x4e524d2d48554221); /* fixed seed */

/* splitmix64: tiny, fast, and good enough that the value mix looks real. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* A number in [0, bound); the modulo bias is irrelevant for test data. */
static uint32_t rng_below(uint32_t bound)
{
	return (uint32_t)(rng_next() % bound);
}

/* True `percent` times in a hundred. */
static int rng_chance(uint32_t percent)
{
	return rng_below(100) < percent;
}

/* ---- dates as day counts --------------------------------------------- */

static int is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int length[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return month == 2 && is_leap_year(year) ? 29 : length[month - 1];
}

/* Leap years in [1, year]: Gregorian rule, counted rather than looped. */
static int32_t leap_years_through(int year)
{
	return year / 4 - year / 100 + year / 400;
}

/* Days from 1970-01-01 to January 1st of `year` (year >= 1970). */
static int32_t days_before_year(int year)
{
	return 365 * (year - 1970) + leap_years_through(year - 1) - leap_years_through(1969);
}

static int32_t date_from_ymd(int year, int month, int day)
{
	int32_t days = days_before_year(year);

	for (int m = 1; m < month; m++)
		days += days_in_month(year, m);
	return days + day - 1;
}

static void date_to_ymd(int32_t days, int *year, int *month, int *day)
{
	/* days/365 can overshoot by a year near 31 December, never undershoot. */
	int y = 1970 + days / 365;

	while (days_before_year(y) > days)
		y--;
	days -= days_before_year(y);
	int m = 1;

	while (days >= days_in_month(y, m))
		days -= days_in_month(y, m++);
	*year = y;
	*month = m;
	*day = days + 1;
}

/* ---- the output buffer ------------------------------------------------ */

static char out_buffer[OUT_BUFFER_SIZE];
static size_t out_length;

static void flush_output(void)
{
	if (out_length > 0 && fwrite(out_buffer, 1, out_length, stdout) != out_length) {
		fprintf(stderr, "gen-council-csv: cannot write the output: %s\n", strerror(errno));
		exit(EX_IOERR);
	}
	out_length = 0;
}

static void put_bytes(const char *text, size_t length)
{
	memcpy(out_buffer + out_length, text, length);
	out_length += length;
}

static void put_text(const char *text)
{
	put_bytes(text, strlen(text));
}

static void put_char(char c)
{
	out_buffer[out_length++] = c;
}

/* Writes `value` with at least `width` digits, zero-padded. */
static void put_number(uint64_t value, int width)
{
	char digits[24];
	int count = 0;

	do {
		digits[count++] = (char)('0' + value % 10);
		value /= 10;
	} while (value > 0);
	while (count < width)
		digits[count++] = '0';
	while (count > 0)
		put_char(digits[--count]);
}

/* Councils export dates the British way, from Excel: dd/mm/yyyy. */
static void put_uk_date(int32_t date)
{
	int year, month, day;

	date_to_ymd(date, &year, &month, &day);
	put_number((uint64_t)day, 2);
	put_char('/');
	put_number((uint64_t)month, 2);
	put_char('/');
	put_number((uint64_t)year, 4);
}

/* RFC 3339 in UTC, to the minute, as case-management systems stamp rows. */
static void put_timestamp(int32_t date, int minute_of_day)
{
	int year, month, day;

	date_to_ymd(date, &year, &month, &day);
	put_number((uint64_t)year, 4);
	put_char('-');
	put_number((uint64_t)month, 2);
	put_char('-');
	put_number((uint64_t)day, 2);
	put_char('T');
	put_number((uint64_t)(minute_of_day / 60), 2);
	put_char(':');
	put_number((uint64_t)(minute_of_day % 60), 2);
	put_text(":00Z");
}

/* ---- value lists -------------------------------------------------------- */

struct site_codes {
	const char *site;
	const char *case_prefix;
	const char *local_authority;
	const char *police_force;
};

/* Codes from DOMAIN.md; any other site gets Birmingham's area codes. */
static const struct site_codes known_sites[] = {
	{ "birmingham", "BHM", "E08000025", "E23000014" },
	{ "southwark", "SWK", "E09000028", "E23000001" },
	{ "shropshire", "SHR", "E06000051", "E23000016" },
	{ "telford-and-wrekin", "TFW", "E06000020", "E23000016" },
	{ "hampshire", "HAM", "E10000014", "E23000030" },
	{ "west-sussex", "WSX", "E10000032", "E23000033" },
	{ "cardiff", "CDF", "W06000015", "W15000003" },
	{ "newport", "NWP", "W06000022", "W15000002" },
	{ "glasgow", "GLA", "S12000049", "S92000003" },
	{ "edinburgh", "EDI", "S12000036", "S92000003" },
	{ "belfast", "BFS", "N09000003", "N92000002" },
};

struct responder {
	const char *type;
	const char *organisations[3]; /* already quoted for CSV where needed */
};

static const struct responder responders[] = {
	{ "Police", { "West Midlands Police", "BTP", "WMP" } },
	{ "Local Authority", { "Children's Trust", "Youth Justice", "MASH" } },
	{ "NGO and third sector",
	  { "\"Barnardo's, Birmingham\"", "The Children's Society",
	    "\"Refugee \"\"Youth\"\" Project\"" } },
	{ "Government agency", { "UKVI", "Border Force", "Home Office" } },
};

/* Mostly police and local authorities, as for child referrals nationally:
 * indexes into responders[]. */
static const unsigned char responder_mix[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1,
					       2, 2, 3, 3 };

/* About four boys to one girl, as in the 2025 child referrals. */
static const char *const genders[] = { "Male", "Male", "Male", "Male", "Male", "Male",
				       "Male", "Female", "Female", "Other", "Not specified" };

/* Every one is in Debian's iso-codes; the generator does not read that file
 * itself, so that its output never depends on the installed version. */
static const char *const nationalities[] = { "GB", "GB", "GB", "GB", "AL", "VN", "ER", "SD",
					     "AF", "IR", "RO", "PL", "NG", "IQ", "SY", "ET" };

static const char *const exploitation_types[] = {
	"Criminal", "Criminal", "Criminal", "Criminal", "Criminal", "Criminal",
	"Criminal", "Criminal", "Sexual", "Sexual", "Labour", "Domestic",
	"Sexual & Criminal", "Labour & Criminal", "\"Sexual, Labour & Criminal\"",
	"Not specified or unknown",
};

static const char *const locations[] = { "UK", "UK", "UK", "UK", "UK", "UK", "UK", "UK",
					 "Overseas", "UK and Overseas" };

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))
#define PICK(array) ((array)[rng_below((uint32_t)COUNT(array))])

/* ---- one row -------------------------------------------------------------- */

struct decisions {
	int32_t rg_date, cg_date, status_date; /* -1 when absent */
	int rg_positive, cg_positive;
	const char *status;
};

/* Draws the decision history so the dates are ordered the way the rules
 * require: referral <= RG <= CG, CG only after a positive RG, and a status
 * date (only for a closed case) on or after the referral. */
static struct decisions draw_decisions(int32_t referral)
{
	struct decisions d = { -1, -1, -1, 0, 0, "Open" };

	if (rng_chance(50)) {
		d.rg_date = referral + (int32_t)rng_below(60);
		d.rg_positive = rng_chance(85);
		if (d.rg_positive && rng_chance(40)) {
			d.cg_date = d.rg_date + (int32_t)rng_below(180);
			d.cg_positive = rng_chance(90);
		}
	}
	uint32_t roll = rng_below(100);

	if (roll < 6)
		d.status = "Withdrawn";
	else if (roll < 10)
		d.status = "Transferred";
	if (roll < 10)
		d.status_date = referral + 1 + (int32_t)rng_below(120);
	return d;
}

static int32_t latest_of(int32_t a, int32_t b)
{
	return a > b ? a : b;
}

static void put_row(uint64_t row, const struct site_codes *codes, int32_t first_day,
		    uint32_t day_span)
{
	int32_t referral = first_day + (int32_t)rng_below(day_span);
	const struct responder *fr = &responders[PICK(responder_mix)];
	struct decisions d = draw_decisions(referral);
	int year, month, day;

	put_text(codes->case_prefix);
	put_char('-');
	put_number(row, 9);
	put_char(',');
	put_text(codes->site);
	put_char(',');
	if (rng_chance(30)) {
		date_to_ymd(referral, &year, &month, &day);
		put_text("NRM-");
		put_number((uint64_t)year, 4);
		put_char('-');
		put_number(row % 1000000, 6);
	}
	put_char(',');
	put_uk_date(referral);
	put_char(',');
	put_text(fr->type);
	put_char(',');
	if (rng_chance(40))
		put_text(PICK(fr->organisations));
	put_char(',');
	put_text(codes->local_authority);
	put_char(',');
	put_text(codes->police_force);
	put_char(',');
	if (rng_chance(93))
		put_number(rng_chance(80) ? 12 + rng_below(6) : rng_below(12), 1);
	put_char(',');
	put_text(rng_chance(97) ? "N" : "");
	put_char(',');
	put_text(PICK(genders));
	put_char(',');
	if (rng_chance(95)) {
		const char *first = PICK(nationalities);

		put_text(first);
		if (rng_chance(5)) {
			const char *second = PICK(nationalities);

			if (strcmp(first, second) != 0) {
				put_char(';');
				put_text(second);
			}
		}
	}
	put_char(',');
	put_text(PICK(exploitation_types));
	put_char(',');
	put_text(rng_chance(30) ? "Y" : "N");
	put_char(',');
	put_text(PICK(locations));
	put_char(',');
	if (d.rg_date >= 0) {
		put_uk_date(d.rg_date);
		put_char(',');
		put_text(d.rg_positive ? "Positive" : "Negative");
	} else {
		put_char(',');
	}
	put_char(',');
	if (d.cg_date >= 0) {
		put_uk_date(d.cg_date);
		put_char(',');
		put_text(d.cg_positive ? "Positive" : "Negative");
	} else {
		put_char(',');
	}
	put_char(',');
	if (d.rg_date >= 0)
		put_text("DDM panel");
	put_char(',');
	put_text(d.status);
	put_char(',');
	if (d.status_date >= 0)
		put_uk_date(d.status_date);
	put_char(',');
	if (rng_chance(30)) {
		int32_t last = latest_of(latest_of(referral, d.rg_date),
					 latest_of(d.cg_date, d.status_date));

		put_timestamp(last + (int32_t)rng_below(15), 8 * 60 + (int)rng_below(10 * 60));
	}
	put_char('\n');
}

/* ---- command line ----------------------------------------------------------- */

static void usage(void)
{
	fputs("usage: gen-council-csv N [SITE]\n"
	      "Writes a council CSV export with N synthetic, valid case rows to stdout.\n",
	      stderr);
	exit(EX_USAGE);
}

static uint64_t parse_row_count(const char *text)
{
	char *end;

	if (text[0] < '0' || text[0] > '9')
		usage();
	errno = 0;
	unsigned long long value = strtoull(text, &end, 10);

	if (errno != 0 || *end != '\0' || value > MAX_ROWS) {
		fprintf(stderr, "gen-council-csv: N must be a whole number from 0 to %" PRIu64 "\n",
			MAX_ROWS);
		exit(EX_USAGE);
	}
	return value;
}

/* Same rule as the canonical case: ^[a-z][a-z0-9-]{1,39}$. */
static int is_valid_site(const char *site)
{
	size_t length = strlen(site);

	if (length < 2 || length > 40 || site[0] < 'a' || site[0] > 'z')
		return 0;
	for (size_t i = 1; i < length; i++) {
		char c = site[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
	}
	return 1;
}

/* A site not in the table keeps Birmingham's area codes and gets a Case ID
 * prefix made of its first three letters or digits, upper-cased. */
static struct site_codes codes_for_site(const char *site, char prefix[4])
{
	for (size_t i = 0; i < COUNT(known_sites); i++)
		if (strcmp(known_sites[i].site, site) == 0)
			return known_sites[i];

	struct site_codes codes = known_sites[0];
	size_t used = 0;

	for (const char *p = site; *p != '\0' && used < 3; p++)
		if (*p != '-')
			prefix[used++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	prefix[used] = '\0';
	codes.site = site;
	codes.case_prefix = prefix;
	return codes;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		usage();
	uint64_t rows = parse_row_count(argv[1]);
	const char *site = argc == 3 ? argv[2] : "birmingham";

	if (!is_valid_site(site)) {
		fputs("gen-council-csv: SITE must match ^[a-z][a-z0-9-]{1,39}$\n", stderr);
		return EX_USAGE;
	}
	char prefix[4];
	struct site_codes codes = codes_for_site(site, prefix);
	int32_t first_day = date_from_ymd(2023, 1, 1);
	uint32_t day_span = (uint32_t)(date_from_ymd(2026, 1, 1) - first_day);

	put_text(header);
	for (uint64_t row = 1; row <= rows; row++) {
		if (OUT_BUFFER_SIZE - out_length < ROW_ROOM)
			flush_output();
		put_row(row, &codes, first_day, day_span);
	}
	flush_output();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "gen-council-csv: cannot write the output: %s\n", strerror(errno));
		return EX_IOERR;
	}
	return 0;
}

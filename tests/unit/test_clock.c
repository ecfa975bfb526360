/* The one clock and its RFC 3339 formatting and parsing (base/clock.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "tests/unit/unit.h"

#define DAY_MS 86400000LL

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {0, ms * 1000000L};

	nanosleep(&ts, NULL);
}

static const char *fmt(int64_t ms, bool millis)
{
	static char out[CLOCK_RFC3339_MAX];

	memset(out, 'x', sizeof(out));
	clock_format_rfc3339(ms, millis, out);
	return out;
}

static const char *date(int64_t ms)
{
	static char out[CLOCK_RFC3339_MAX];

	clock_format_date(ms, out);
	return out;
}

/* The parse of s, which must succeed. */
static int64_t parse(const char *s, bool date_only_ok)
{
	int64_t ms = -42;

	if (clock_parse_rfc3339(s, date_only_ok, &ms) != 0)
		fail_msg("clock_parse_rfc3339 refused '%s'", s);
	return ms;
}

static void refused(const char *s, bool date_only_ok)
{
	int64_t ms = -42;

	if (clock_parse_rfc3339(s, date_only_ok, &ms) == 0)
		fail_msg("clock_parse_rfc3339 accepted '%s'", s);
	assert_int_equal(ms, -42);
}

static void days_from_civil(void **state)
{
	(void)state;
	assert_int_equal(clock_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(clock_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(clock_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(clock_days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(clock_days_from_civil(2023, 11, 14), 19675);
	assert_int_equal(clock_days_from_civil(1600, 1, 1), -135140);
	assert_int_equal(clock_days_from_civil(2025, 1, 1) - clock_days_from_civil(2024, 1, 1),
	                 366);
	assert_int_equal(clock_days_from_civil(2101, 1, 1) - clock_days_from_civil(2100, 1, 1),
	                 365);
}

static void formats_utc_with_and_without_millis(void **state)
{
	(void)state;
	assert_string_equal(fmt(0, false), "1970-01-01T00:00:00Z");
	assert_string_equal(fmt(0, true), "1970-01-01T00:00:00.000Z");
	assert_string_equal(fmt(1700000000000LL, false), "2023-11-14T22:13:20Z");
	assert_string_equal(fmt(1700000000007LL, true), "2023-11-14T22:13:20.007Z");
	assert_string_equal(fmt(1700000000999LL, false), "2023-11-14T22:13:20Z"); /* truncated */
	assert_string_equal(fmt(-1, true), "1969-12-31T23:59:59.999Z");
	assert_string_equal(fmt(-DAY_MS, false), "1969-12-31T00:00:00Z");
	assert_string_equal(fmt(951782400000LL, false), "2000-02-29T00:00:00Z");
	assert_string_equal(fmt(4107542399999LL, true), "2100-02-28T23:59:59.999Z");
	assert_string_equal(fmt(4107542400000LL, true), "2100-03-01T00:00:00.000Z");
	assert_string_equal(fmt(253402300799000LL, false), "9999-12-31T23:59:59Z");
}

static void formats_dates(void **state)
{
	(void)state;
	assert_string_equal(date(0), "1970-01-01");
	assert_string_equal(date(-1), "1969-12-31");
	assert_string_equal(date(1700000000000LL), "2023-11-14");
	assert_string_equal(date(1709208000000LL), "2024-02-29");
	assert_string_equal(date(1709251199999LL), "2024-02-29");
	assert_string_equal(date(1709251200000LL), "2024-03-01");
}

static void parses_utc_offsets_and_fractions(void **state)
{
	(void)state;
	assert_int_equal(parse("1970-01-01T00:00:00Z", false), 0);
	assert_int_equal(parse("2023-11-14T22:13:20Z", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14t22:13:20z", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14T22:13:20.350Z", false), 1700000000350LL);
	assert_int_equal(parse("2023-11-14T22:13:20.5Z", false), 1700000000500LL);
	assert_int_equal(parse("2023-11-14T22:13:20.05Z", false), 1700000000050LL);
	assert_int_equal(parse("2023-11-14T22:13:20.123456789Z", false), 1700000000123LL);
	assert_int_equal(parse("2023-11-15T00:13:20+02:00", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14T16:43:20-05:30", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14T22:13:20+00:00", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14T22:13:20-00:00", false), 1700000000000LL);
	assert_int_equal(parse("2023-11-14T22:13:20.250+01:00", false),
	                 1700000000250LL - 3600000LL);
	assert_int_equal(parse("1969-12-31T23:59:59.999Z", false), -1);
	/* A leap second is accepted, as RFC 3339 allows. */
	assert_int_equal(parse("2016-12-31T23:59:60Z", false),
	                 parse("2017-01-01T00:00:00Z", false));
}

static void parses_bare_dates_only_when_asked(void **state)
{
	(void)state;
	assert_int_equal(parse("2023-11-14", true), 1699920000000LL);
	assert_int_equal(parse("1970-01-01", true), 0);
	refused("2023-11-14", false);
	assert_int_equal(parse("2023-11-14T00:00:00Z", true), 1699920000000LL);
}

static void leap_years(void **state)
{
	(void)state;
	assert_int_equal(parse("2024-02-29T12:00:00Z", false), 1709208000000LL);
	assert_int_equal(parse("2000-02-29", true), 951782400000LL);
	parse("2400-02-29", true);
	refused("2023-02-29", true);
	refused("1900-02-29", true);
	refused("2100-02-29T00:00:00Z", false);
	refused("2024-02-30", true);
	parse("2023-02-28", true);
}

static void refuses_what_is_not_rfc3339(void **state)
{
	static const char *const bad[] = {
	        "",
	        "2026",
	        "2026-11",
	        "2026-11-2",
	        "26-11-23T08:08:48Z",
	        "2026/11/23T08:08:48Z",
	        "2026-00-23T08:08:48Z",
	        "2026-13-23T08:08:48Z",
	        "2026-11-00T08:08:48Z",
	        "2026-11-31T08:08:48Z",
	        "2026-04-31T08:08:48Z",
	        "2026-11-23 08:08:48Z",
	        "2026-11-23T08:08:48",
	        "2026-11-23T8:08:48Z",
	        "2026-11-23T24:00:00Z",
	        "2026-11-23T08:60:00Z",
	        "2026-11-23T08:08:61Z",
	        "2026-11-23T08:08Z",
	        "2026-11-23T08:08:48.Z",
	        "2026-11-23T08:08:48,5Z",
	        "2026-11-23T08:08:48ZZ",
	        "2026-11-23T08:08:48Z ",
	        " 2026-11-23T08:08:48Z",
	        "2026-11-23T08:08:48+2:00",
	        "2026-11-23T08:08:48+0200",
	        "2026-11-23T08:08:48+02",
	        "2026-11-23T08:08:48+24:00",
	        "2026-11-23T08:08:48+05:60",
	        "2026-11-23T08:08:48UTC",
	        "2026-11-23T",
	        "2026-11-23x",
	        "+2026-11-23T08:08:48Z",
	        "-2026-11-23T08:08:48Z",
	        "2026-1a-23T08:08:48Z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i], true);
}

static void format_and_parse_round_trip(void **state)
{
	(void)state;
	/* Every 7 days and 13 hours and a bit, over four centuries around the epoch. */
	for (int64_t ms = -6000000000000LL; ms < 10000000000000LL; ms += 7 * DAY_MS + 46801337) {
		char text[CLOCK_RFC3339_MAX];
		int64_t back = 0;

		clock_format_rfc3339(ms, true, text);
		assert_int_equal(clock_parse_rfc3339(text, false, &back), 0);
		assert_int_equal(back, ms);
		clock_format_date(ms, text);
		assert_int_equal(clock_parse_rfc3339(text, true, &back), 0);
		assert_true(back <= ms && ms - back < DAY_MS);
	}
}

/* The clock under test: each emulator owns one (struct api's), as this file does. */
static struct clock *clk;

static int make_clock(void **state)
{
	(void)state;
	clk = clock_new();
	return 0;
}

static int free_clock(void **state)
{
	(void)state;
	clock_free(clk);
	return 0;
}

static void two_clocks_keep_their_own_time(void **state)
{
	struct clock *other = clock_new();

	(void)state;
	clock_reset(clk);
	clock_freeze(clk, true);
	clock_set_ms(clk, 86400000);
	assert_int_equal(clock_now_ms(clk), 86400000);
	assert_false(clock_is_frozen(other));
	assert_true(clock_now_ms(other) > 1700000000000LL); /* still the wall clock's time */
	clock_free(other);
	clock_reset(clk);
}

static void the_clock_follows_the_wall_until_moved(void **state)
{
	int64_t before, now;

	(void)state;
	clock_reset(clk);
	assert_false(clock_is_frozen(clk));
	before = wall_ms();
	now = clock_now_ms(clk);
	assert_true(now >= before && now - before < 1000);

	clock_advance_ms(clk, DAY_MS);
	now = clock_now_ms(clk);
	assert_true(now - wall_ms() > DAY_MS - 1000 && now - wall_ms() <= DAY_MS);
	clock_advance_ms(clk, -2 * DAY_MS);
	now = clock_now_ms(clk);
	assert_true(wall_ms() - now > DAY_MS - 1000 && wall_ms() - now <= DAY_MS + 1000);

	/* set while running: it runs on from there. */
	clock_set_ms(clk, 1700000000000LL);
	now = clock_now_ms(clk);
	assert_true(now >= 1700000000000LL && now < 1700000001000LL);
	sleep_ms(20);
	assert_true(clock_now_ms(clk) >= now + 15);

	clock_reset(clk);
	now = clock_now_ms(clk);
	assert_true(now - wall_ms() < 1000 && wall_ms() - now < 1000);
}

static void a_frozen_clock_moves_only_when_told(void **state)
{
	int64_t at, now;

	(void)state;
	clock_reset(clk);
	clock_freeze(clk, true);
	assert_true(clock_is_frozen(clk));
	at = clock_now_ms(clk);
	sleep_ms(20);
	assert_int_equal(clock_now_ms(clk), at);
	clock_freeze(clk, true); /* freezing again keeps the instant */
	assert_int_equal(clock_now_ms(clk), at);

	clock_advance_ms(clk, 1500);
	assert_int_equal(clock_now_ms(clk), at + 1500);
	clock_advance_ms(clk, -500);
	assert_int_equal(clock_now_ms(clk), at + 1000);
	clock_set_ms(clk, 1700000000000LL);
	assert_int_equal(clock_now_ms(clk), 1700000000000LL);
	assert_true(clock_is_frozen(clk));

	/* Thawing resumes from the frozen instant. */
	clock_freeze(clk, false);
	assert_false(clock_is_frozen(clk));
	now = clock_now_ms(clk);
	assert_true(now >= 1700000000000LL && now < 1700000001000LL);
	sleep_ms(20);
	assert_true(clock_now_ms(clk) >= now + 15);
	clock_freeze(clk, false); /* thawing a running clock changes nothing */
	now = clock_now_ms(clk);
	assert_true(now >= 1700000000000LL && now < 1700000001000LL);

	clock_freeze(clk, true);
	clock_reset(clk);
	assert_false(clock_is_frozen(clk));
	now = clock_now_ms(clk);
	assert_true(now - wall_ms() < 1000 && wall_ms() - now < 1000);
}

static void monotonic_never_goes_back(void **state)
{
	int64_t a, b;

	(void)state;
	a = clock_monotonic_ms();
	clock_set_ms(clk, 0); /* the test clock does not move it */
	sleep_ms(10);
	b = clock_monotonic_ms();
	assert_true(b >= a + 5);
	clock_reset(clk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("two clocks keep their own time", two_clocks_keep_their_own_time),
	        TEST("days from civil dates", days_from_civil),
	        TEST("RFC 3339 is written in UTC, with or without millis",
	             formats_utc_with_and_without_millis),
	        TEST("dates are written as YYYY-MM-DD", formats_dates),
	        TEST("RFC 3339 is read with offsets and fractions",
	             parses_utc_offsets_and_fractions),
	        TEST("a bare date is read only when asked", parses_bare_dates_only_when_asked),
	        TEST("February 29 exists in leap years only", leap_years),
	        TEST("what is not RFC 3339 is refused", refuses_what_is_not_rfc3339),
	        TEST("format and parse round-trip", format_and_parse_round_trip),
	        TEST("the clock follows the wall until advanced or set",
	             the_clock_follows_the_wall_until_moved),
	        TEST("a frozen clock moves only when advanced or set",
	             a_frozen_clock_moves_only_when_told),
	        TEST("the monotonic clock never goes back", monotonic_never_goes_back),
	};

	return cmocka_run_group_tests(tests, make_clock, free_clock);
}

#ifndef EKV_BASE_CLOCK_H
#define EKV_BASE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The one clock every rule reads (docs/architecture.md "Time"): the wall clock
 * plus an offset, or a frozen instant. struct api owns one (api->clock), so
 * two emulators in one process keep their own time. Times are milliseconds
 * since the Unix epoch, UTC. All functions are thread-safe.
 */
struct clock;

/* A running clock at the wall clock's time; caller frees with clock_free(). */
struct clock *clock_new(void);
void clock_free(struct clock *c);

int64_t clock_now_ms(struct clock *c);

/* Moves the clock; a frozen clock stays frozen at the new instant. */
void clock_advance_ms(struct clock *c, int64_t delta_ms);
void clock_set_ms(struct clock *c, int64_t now_ms);

/* Freezing keeps now where it is; thawing resumes from there. */
void clock_freeze(struct clock *c, bool frozen);
bool clock_is_frozen(struct clock *c);

/* Back to the wall clock, running. */
void clock_reset(struct clock *c);

/* The real wall clock, never moved: for what the outside world stamps (EdgeGrid timestamps). */
int64_t clock_wall_ms(void);

/* Milliseconds of the real, monotonic clock, for measuring durations only. */
int64_t clock_monotonic_ms(void);

#define CLOCK_RFC3339_MAX 48

/*
 * Writes "2026-11-23T08:08:48Z" (or "…48.350Z" with millis) into out, which
 * holds CLOCK_RFC3339_MAX bytes.
 */
void clock_format_rfc3339(int64_t ms, bool millis, char *out);

/* The day number (days since 1970-01-01 UTC) of ms, rounding down before 1970 too. */
int64_t clock_day(int64_t ms);

/* The day months calendar months after day, clamped to the end of a shorter month. */
int64_t clock_add_months(int64_t day, int64_t months);

/* Writes "2026-11-23" into out (CLOCK_RFC3339_MAX bytes). */
void clock_format_date(int64_t ms, char *out);

/*
 * Parses an RFC 3339 date-time ("2026-11-23T08:08:48Z", fractional seconds
 * and ±hh:mm offsets allowed) or, with date_only_ok, a bare date "2026-11-23"
 * (midnight UTC). Returns 0 and sets *ms, or -1 for anything else.
 */
int clock_parse_rfc3339(const char *s, bool date_only_ok, int64_t *ms);

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif

#include "base/clock.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/xalloc.h"

/*
 * Every request reads the clock, several times, on every worker: reads take
 * no lock (two workers contended for one). The few writers (the control
 * API) still take turns. A reader sees either the frozen instant or the
 * running clock, each whole: a writer that unfreezes stores the offset
 * before it clears frozen_at_ms.
 */
#define RUNNING INT64_MIN /* frozen_at_ms of a clock that runs */

struct clock {
	pthread_mutex_t lock; /* writers only */
	_Atomic int64_t offset_ms;
	_Atomic int64_t frozen_at_ms; /* RUNNING, or the frozen instant */
};

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_wall_ms(void)
{
	return wall_ms();
}

int64_t clock_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct clock *clock_new(void)
{
	struct clock *c = xcalloc(1, sizeof(*c));

	pthread_mutex_init(&c->lock, NULL);
	atomic_init(&c->offset_ms, 0);
	atomic_init(&c->frozen_at_ms, RUNNING);
	return c;
}

void clock_free(struct clock *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

int64_t clock_now_ms(struct clock *c)
{
	int64_t frozen = atomic_load(&c->frozen_at_ms);

	return frozen != RUNNING ? frozen : wall_ms() + atomic_load(&c->offset_ms);
}

void clock_advance_ms(struct clock *c, int64_t delta_ms)
{
	pthread_mutex_lock(&c->lock);
	if (atomic_load(&c->frozen_at_ms) != RUNNING)
		atomic_fetch_add(&c->frozen_at_ms, delta_ms);
	else
		atomic_fetch_add(&c->offset_ms, delta_ms);
	pthread_mutex_unlock(&c->lock);
}

void clock_set_ms(struct clock *c, int64_t now_ms)
{
	pthread_mutex_lock(&c->lock);
	if (atomic_load(&c->frozen_at_ms) != RUNNING)
		atomic_store(&c->frozen_at_ms, now_ms);
	else
		atomic_store(&c->offset_ms, now_ms - wall_ms());
	pthread_mutex_unlock(&c->lock);
}

void clock_freeze(struct clock *c, bool freeze)
{
	int64_t frozen;

	pthread_mutex_lock(&c->lock);
	frozen = atomic_load(&c->frozen_at_ms);
	if (freeze && frozen == RUNNING) {
		atomic_store(&c->frozen_at_ms, wall_ms() + atomic_load(&c->offset_ms));
	} else if (!freeze && frozen != RUNNING) {
		atomic_store(&c->offset_ms, frozen - wall_ms());
		atomic_store(&c->frozen_at_ms, RUNNING);
	}
	pthread_mutex_unlock(&c->lock);
}

bool clock_is_frozen(struct clock *c)
{
	return atomic_load(&c->frozen_at_ms) != RUNNING;
}

void clock_reset(struct clock *c)
{
	pthread_mutex_lock(&c->lock);
	atomic_store(&c->offset_ms, 0);
	atomic_store(&c->frozen_at_ms, RUNNING);
	pthread_mutex_unlock(&c->lock);
}

/* Howard Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void clock_format_rfc3339(int64_t ms, bool millis, char *out)
{
	int64_t days = floor_div(ms, 86400000), rem = ms - days * 86400000, y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	if (millis)
		snprintf(out, CLOCK_RFC3339_MAX, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
		         (long long)y, m, d, (long long)(rem / 3600000),
		         (long long)(rem / 60000 % 60), (long long)(rem / 1000 % 60),
		         (long long)(rem % 1000));
	else
		snprintf(out, CLOCK_RFC3339_MAX, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
		         (long long)y, m, d, (long long)(rem / 3600000),
		         (long long)(rem / 60000 % 60), (long long)(rem / 1000 % 60));
}

int64_t clock_day(int64_t ms)
{
	return floor_div(ms, 86400000);
}

int64_t clock_add_months(int64_t day, int64_t months)
{
	int64_t y, total;
	unsigned m, d, last;

	civil_from_days(day, &y, &m, &d);
	total = y * 12 + (int64_t)m - 1 + months;
	y = floor_div(total, 12);
	m = (unsigned)(total - y * 12) + 1;
	last = (unsigned)(clock_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
	                  clock_days_from_civil(y, m, 1));
	return clock_days_from_civil(y, m, d < last ? d : last);
}

void clock_format_date(int64_t ms, char *out)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(floor_div(ms, 86400000), &y, &m, &d);
	snprintf(out, CLOCK_RFC3339_MAX, "%04lld-%02u-%02u", (long long)y, m, d);
}

/* Reads exactly n digits; returns -1 if any is missing. */
static int64_t digits(const char **s, int n)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*s)[i];

		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*s += n;
	return v;
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int clock_parse_rfc3339(const char *s, bool date_only_ok, int64_t *ms)
{
	static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, frac = 0, off = 0;

	y = digits(&s, 4);
	if (y < 0 || *s++ != '-' || (mo = digits(&s, 2)) < 1 || mo > 12 || *s++ != '-' ||
	    (d = digits(&s, 2)) < 1)
		return -1;
	if (d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return -1;
	if (*s == '\0') {
		if (!date_only_ok)
			return -1;
		goto done;
	}
	if (*s != 'T' && *s != 't')
		return -1;
	s++;
	if ((h = digits(&s, 2)) < 0 || h > 23 || *s++ != ':' || (mi = digits(&s, 2)) < 0 ||
	    mi > 59 || *s++ != ':' || (sec = digits(&s, 2)) < 0 || sec > 60)
		return -1;
	if (*s == '.') {
		int64_t scale = 100;

		s++;
		if (*s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++, scale /= 10)
			frac += (*s - '0') * scale;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s++ == '-' ? -1 : 1;
		int64_t oh = digits(&s, 2), om;

		if (oh < 0 || oh > 23 || *s++ != ':' || (om = digits(&s, 2)) < 0 || om > 59)
			return -1;
		off = sign * (oh * 60 + om) * 60000;
	} else {
		return -1;
	}
	if (*s != '\0')
		return -1;
done:
	*ms = clock_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400000 +
	      (h * 3600 + mi * 60 + sec) * 1000 + frac - off;
	return 0;
}

#include "server/delay.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

struct held {
	void *conn;
	int64_t due_ms; /* clock_monotonic_ms() */
	struct held *next;
};

struct delay {
	delay_conn_fn *suspend, *resume;
	pthread_t timer;
	bool timer_started; /* at the first hold: most runs inject no latency */
	bool timer_warned;  /* it could not start (tried again at the next hold) */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	bool stopping;
	struct held *held; /* by due time */
};

static void *timer_main(void *arg);

/* Under the lock. */
static bool timer_running(struct delay *d)
{
	if (!d->timer_started) {
		d->timer_started = pthread_create(&d->timer, NULL, timer_main, d) == 0;
		if (!d->timer_started && !d->timer_warned)
			log_warn("http: no timer thread: a held reply goes out at once");
		d->timer_warned |= !d->timer_started;
	}
	return d->timer_started;
}

bool delay_hold(struct delay *d, void *conn, int64_t delay_ms, bool suspend)
{
	struct held *h, **p;

	if (!d)
		return false;
	pthread_mutex_lock(&d->lock);
	if (d->stopping || !timer_running(d)) {
		pthread_mutex_unlock(&d->lock);
		return false;
	}
	h = xcalloc(1, sizeof(*h));
	h->conn = conn;
	h->due_ms = clock_monotonic_ms() + delay_ms;
	for (p = &d->held; *p && (*p)->due_ms <= h->due_ms; p = &(*p)->next)
		;
	h->next = *p;
	*p = h;
	/* Suspended under the lock, so the timer cannot resume it first. */
	if (suspend)
		d->suspend(conn);
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	return true;
}

static void resume_due(struct delay *d, int64_t now, bool all)
{
	while (d->held && (all || d->held->due_ms <= now)) {
		struct held *h = d->held;

		d->held = h->next;
		d->resume(h->conn);
		free(h);
	}
}

static void *timer_main(void *arg)
{
	struct delay *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		int64_t now = clock_monotonic_ms();

		resume_due(d, now, false);
		if (!d->held) {
			pthread_cond_wait(&d->cond, &d->lock);
		} else {
			struct timespec until;
			int64_t due = d->held->due_ms;

			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += (due - now) / 1000;
			until.tv_nsec += (long)((due - now) % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&d->cond, &d->lock, &until);
		}
	}
	/* Stopping: every held reply goes out now. */
	resume_due(d, 0, true);
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct delay *delay_start(delay_conn_fn *suspend, delay_conn_fn *resume)
{
	struct delay *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t attr;

	d->suspend = suspend;
	d->resume = resume;
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &attr);
	pthread_condattr_destroy(&attr);
	return d;
}

void delay_stop(struct delay *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->cond);
	pthread_mutex_unlock(&d->lock);
	if (d->timer_started)
		pthread_join(d->timer, NULL);
}

void delay_free(struct delay *d)
{
	if (!d)
		return;
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}

#include "server/delay.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/lazy_thread.h"
#include "base/xalloc.h"

struct held {
	void *conn;
	int64_t due_ms; /* clock_monotonic_ms() */
	struct held *next;
};

struct delay {
	delay_conn_fn *suspend, *resume;
	struct lazy_thread timer; /* at the first hold: most runs inject no latency */
	pthread_mutex_t lock;
	pthread_cond_t cond; /* on CLOCK_MONOTONIC */
	bool stopping;
	struct held *held; /* by due time */
};

bool delay_hold(struct delay *d, void *conn, int64_t delay_ms, bool suspend)
{
	struct held *h, **p;

	if (!d)
		return false;
	pthread_mutex_lock(&d->lock);
	if (d->stopping || !lazy_thread_start(&d->timer)) {
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

struct delay *delay_new(delay_conn_fn *suspend, delay_conn_fn *resume)
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
	lazy_thread_init(&d->timer, timer_main, d,
	                 "http: no timer thread: a held reply goes out at once");
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
	lazy_thread_join(&d->timer);
}

void delay_free(struct delay *d)
{
	if (!d)
		return;
	pthread_mutex_destroy(&d->lock);
	pthread_cond_destroy(&d->cond);
	free(d);
}

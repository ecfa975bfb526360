#include "server/guard.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "base/clock.h"
#include "base/lazy_thread.h"
#include "base/xalloc.h"

/* How often the reaper looks: a deadline is late by at most this much. */
#define TICK_MS 250

enum phase { PHASE_FIRST, PHASE_BODY, PHASE_BUSY, PHASE_IDLE };

struct guard_conn {
	int fd;
	bool reaped;              /* shut down once already; under the guard's lock */
	_Atomic int phase;        /* enum phase */
	_Atomic int64_t since_ms; /* clock_monotonic_ms() when the phase began */
	_Atomic uint64_t body;    /* body bytes received in PHASE_BODY */
	struct guard_conn *prev, *next;
};

struct guard {
	struct guard_options opt;
	struct lazy_thread reaper; /* at the first connection */
	pthread_mutex_t lock;
	pthread_cond_t wake; /* on CLOCK_MONOTONIC */
	bool stopping;
	struct guard_conn *head, *tail; /* oldest first */
	_Atomic uint64_t reaped;
};

static void set_phase(struct guard_conn *c, enum phase p)
{
	if (!c)
		return;
	atomic_store(&c->since_ms, clock_monotonic_ms());
	atomic_store(&c->body, 0);
	atomic_store(&c->phase, (int)p);
}

void guard_body_started(struct guard_conn *c)
{
	set_phase(c, PHASE_BODY);
}

void guard_body(struct guard_conn *c, size_t n)
{
	if (c)
		atomic_fetch_add(&c->body, (uint64_t)n);
}

void guard_busy(struct guard_conn *c)
{
	set_phase(c, PHASE_BUSY);
}

void guard_idle(struct guard_conn *c)
{
	set_phase(c, PHASE_IDLE);
}

/* Whether c has missed its deadline at now. */
static bool late(const struct guard *g, struct guard_conn *c, int64_t now)
{
	int64_t elapsed = now - atomic_load(&c->since_ms);
	int64_t grace = (int64_t)g->opt.header_timeout_s * 1000;

	switch ((enum phase)atomic_load(&c->phase)) {
	case PHASE_FIRST:
		return elapsed > grace;
	case PHASE_IDLE:
		return elapsed > (int64_t)g->opt.idle_timeout_s * 1000;
	case PHASE_BODY:
		return g->opt.min_body_rate > 0 && elapsed > grace &&
		       atomic_load(&c->body) <
		               (uint64_t)(elapsed - grace) * g->opt.min_body_rate / 1000;
	case PHASE_BUSY:
		break;
	}
	return false;
}

/* Under the lock: the descriptor is still open, since guard_close() takes the lock first. */
static void reap(struct guard *g, struct guard_conn *c)
{
	c->reaped = true;
	shutdown(c->fd, SHUT_RDWR);
	atomic_fetch_add(&g->reaped, 1);
}

static void sweep(struct guard *g, int64_t now)
{
	unsigned high = g->opt.max_connections / 10 * 9, low = g->opt.max_connections / 10 * 8;
	unsigned open = 0;

	for (struct guard_conn *c = g->head; c; c = c->next) {
		if (!c->reaped && late(g, c, now))
			reap(g, c);
		open += c->reaped ? 0 : 1;
	}
	if (!g->opt.max_connections || open <= high)
		return;
	/* Under pressure the oldest connections that wait for a request make room. */
	for (struct guard_conn *c = g->head; c && open > low; c = c->next) {
		int p = atomic_load(&c->phase);

		if (!c->reaped && (p == PHASE_FIRST || p == PHASE_IDLE)) {
			reap(g, c);
			open--;
		}
	}
}

static void *reaper_main(void *arg)
{
	struct guard *g = arg;
	struct timespec until;

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		sweep(g, clock_monotonic_ms());
		/* Nothing to watch: sleep until a connection comes, not every tick. */
		if (!g->head) {
			pthread_cond_wait(&g->wake, &g->lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct guard *guard_new(const struct guard_options *opt)
{
	struct guard *g = xcalloc(1, sizeof(*g));
	pthread_condattr_t attr;

	g->opt = *opt;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &attr);
	pthread_condattr_destroy(&attr);
	lazy_thread_init(&g->reaper, reaper_main, g,
	                 "http: no reaper thread: slow clients are not dropped");
	return g;
}

void guard_stop(struct guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	lazy_thread_join(&g->reaper);
	while (g->head) /* none by now; freed all the same */
		guard_close(g, g->head);
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->wake);
	free(g);
}

struct guard_conn *guard_open(struct guard *g, int fd)
{
	struct guard_conn *c;

	if (!g || fd < 0)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->fd = fd;
	set_phase(c, PHASE_FIRST);
	pthread_mutex_lock(&g->lock);
	if (!g->stopping) /* if it cannot start, the connection is kept all the same */
		lazy_thread_start(&g->reaper);
	c->prev = g->tail;
	if (g->tail) {
		g->tail->next = c;
	} else {
		g->head = c;
		pthread_cond_signal(&g->wake); /* the reaper may sleep untimed */
	}
	g->tail = c;
	pthread_mutex_unlock(&g->lock);
	return c;
}

void guard_close(struct guard *g, struct guard_conn *c)
{
	if (!g || !c)
		return;
	pthread_mutex_lock(&g->lock);
	if (c->prev)
		c->prev->next = c->next;
	else
		g->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->tail = c->prev;
	pthread_mutex_unlock(&g->lock);
	free(c);
}

uint64_t guard_reaped(const struct guard *g)
{
	return g ? atomic_load(&g->reaped) : 0;
}

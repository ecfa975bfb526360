#ifndef EKV_SERVER_GUARD_H
#define EKV_SERVER_GUARD_H

#include <stddef.h>
#include <stdint.h>

/*
 * Deadlines libmicrohttpd 0.9.75 does not have (docs/security.md
 * "Slow clients"): its only timeout is reset by every byte, so a client
 * trickling one byte every few seconds is never dropped. A guard keeps every
 * open connection of one listener with its phase, and a reaper thread shuts
 * down (shutdown(2), never close: the descriptor stays libmicrohttpd's) the
 * socket of one that is late:
 *   - the headers of a new connection's first request within header_timeout_s;
 *   - the next request's headers within idle_timeout_s of the previous reply;
 *   - a body at min_body_rate bytes a second on average, after a grace of
 *     header_timeout_s;
 *   - above 90% of max_connections, the oldest connections waiting for a
 *     request go first, so that fresh clients find room.
 * A connection whose request is being handled or answered is never reaped.
 */
struct guard;
struct guard_conn;

struct guard_options {
	int header_timeout_s;
	int idle_timeout_s;
	size_t min_body_rate;
	unsigned max_connections; /* the listener's limit; 0: no pressure reaping */
};

/*
 * A guard, no thread yet: its reaper thread starts with the first connection and
 * sleeps while there is none. guard_stop() joins it and frees the guard.
 */
struct guard *guard_new(const struct guard_options *opt);

/* Joins the reaper and frees; every connection must be closed by then. */
void guard_stop(struct guard *g);

/*
 * A new connection on fd, waiting for its first request's headers. Should the reaper thread
 * not start (logged once; tried again at the next connection), none is reaped meanwhile.
 */
struct guard_conn *guard_open(struct guard *g, int fd);

/* The headers are in: from now on the body must keep its rate. */
void guard_body_started(struct guard_conn *c);

/* n more body bytes arrived. */
void guard_body(struct guard_conn *c, size_t n);

/* The request is being handled or answered: no deadline. */
void guard_busy(struct guard_conn *c);

/* The reply is done: the next request's headers are due within the idle timeout. */
void guard_idle(struct guard_conn *c);

/* The connection is closing (before its descriptor is): forget it. */
void guard_close(struct guard *g, struct guard_conn *c);

/* Connections shut down by the reaper so far (for the log and the soak figures). */
uint64_t guard_reaped(const struct guard *g);

#endif

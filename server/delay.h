#ifndef EKV_SERVER_DELAY_H
#define EKV_SERVER_DELAY_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Replies held back by injected latency: a held connection is suspended,
 * never a worker thread asleep, and a timer thread resumes it when due.
 * The connection is opaque here; the listener passes how to suspend and
 * resume one.
 */
struct delay;

typedef void delay_conn_fn(void *conn);

/*
 * A delay, no thread yet: the timer thread starts at the first hold (most runs
 * inject no latency). Stop with delay_stop(), then free with delay_free().
 */
struct delay *delay_new(delay_conn_fn *suspend, delay_conn_fn *resume);

/*
 * Holds conn for delay_ms, suspending it first when suspend is true (else it
 * is suspended already). False when stopping or when the timer thread cannot
 * start (logged once): reply now.
 */
bool delay_hold(struct delay *d, void *conn, int64_t delay_ms, bool suspend);

/* Resumes every held connection now and joins the thread; later holds answer false. */
void delay_stop(struct delay *d);

/* Frees d, once nothing can call delay_hold() (the listener has stopped). */
void delay_free(struct delay *d);

#endif

#ifndef EKV_BASE_LAZY_THREAD_H
#define EKV_BASE_LAZY_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/*
 * A helper thread that starts with its first job rather than with its owner:
 * most runs never need it, and an idle server holds no thread it does not use.
 * Should the thread not start, the next job tries again and the warning is
 * logged only the first time. Not locked: the owner calls lazy_thread_start()
 * under the lock that guards its own state, and lazy_thread_join() once no
 * job can start it any more (the owner is stopping).
 */
typedef int lazy_thread_create_fn(pthread_t *id, const pthread_attr_t *attr, void *(*run)(void *),
                                  void *arg);

struct lazy_thread {
	void *(*run)(void *);
	void *arg;
	const char *warning;           /* logged once when the thread does not start */
	lazy_thread_create_fn *create; /* pthread_create; a test may put a failing one here */
	pthread_t id;
	bool started;
	bool warned;
};

/* Once started, t runs run(arg); warning says what is lost while it cannot start. */
void lazy_thread_init(struct lazy_thread *t, void *(*run)(void *), void *arg, const char *warning);

/* Starts the thread unless it runs already; whether it runs. */
bool lazy_thread_start(struct lazy_thread *t);

/* Joins the thread if it was started (the owner has told it to end). */
void lazy_thread_join(struct lazy_thread *t);

#endif

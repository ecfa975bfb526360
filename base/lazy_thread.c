#include "base/lazy_thread.h"

#include "base/log.h"

void lazy_thread_init(struct lazy_thread *t, void *(*run)(void *), void *arg, const char *warning)
{
	*t = (struct lazy_thread){
	        .run = run, .arg = arg, .warning = warning, .create = pthread_create};
}

bool lazy_thread_start(struct lazy_thread *t)
{
	if (t->started)
		return true;
	t->started = t->create(&t->id, NULL, t->run, t->arg) == 0;
	if (!t->started && !t->warned)
		log_warn("%s", t->warning);
	t->warned |= !t->started;
	return t->started;
}

void lazy_thread_join(struct lazy_thread *t)
{
	if (t->started)
		pthread_join(t->id, NULL);
}

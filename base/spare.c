#include "base/spare.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Thread_local size_t kept_size; /* of the block the key holds, if any */

static void make_key(void)
{
	if (pthread_key_create(&key, free) != 0)
		abort(); /* out of thread keys at the first request: a defect */
}

void *spare_calloc(size_t size)
{
	void *p;

	pthread_once(&once, make_key);
	p = pthread_getspecific(key);
	if (!p || kept_size != size)
		return xcalloc(1, size);
	pthread_setspecific(key, NULL);
	return memset(p, 0, size);
}

void spare_free(void *p, size_t size)
{
	if (!p)
		return;
	pthread_once(&once, make_key);
	if (pthread_getspecific(key) || pthread_setspecific(key, p) != 0) {
		free(p);
		return;
	}
	kept_size = size;
}

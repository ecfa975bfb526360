#ifndef EKV_BASE_SPARE_H
#define EKV_BASE_SPARE_H

#include <stddef.h>

/*
 * One freed block per thread, kept for that thread's next allocation of the
 * same size. For a structure of a few KB made and freed for every request:
 * glibc treats such a size as a large chunk and merges its freed small
 * chunks each time it hands one out (malloc_consolidate). The block a thread
 * still keeps is freed when the thread ends.
 */

/* A zeroed block of size bytes: the calling thread's spare if it has one of that size. */
void *spare_calloc(size_t size);

/* Keeps p (from spare_calloc(size)) as the calling thread's spare, or frees it. NULL: nothing. */
void spare_free(void *p, size_t size);

#endif

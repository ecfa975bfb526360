#ifndef EKV_BASE_ARRAY_H
#define EKV_BASE_ARRAY_H

#include <stddef.h>

/*
 * The one growable array (git's ALLOC_GROW): an element pointer, a count the
 * caller keeps, and a capacity. ARRAY_GROW(ptr, count, cap) makes room for
 * ptr[count], doubling the allocation (xrealloc: aborts on OOM). The caller
 * owns ptr and frees it with free().
 */
#define ARRAY_GROW(ptr, count, cap)                                                                \
	do {                                                                                       \
		if ((count) >= (cap))                                                              \
			(ptr) = array_grow((ptr), &(cap), sizeof(*(ptr)));                         \
	} while (0)

/* ptr reallocated to twice *cap elements of elem bytes (8 at first); *cap updated. */
void *array_grow(void *ptr, size_t *cap, size_t elem);

#endif

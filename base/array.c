#include "base/array.h"

#include "base/xalloc.h"

void *array_grow(void *ptr, size_t *cap, size_t elem)
{
	size_t n = *cap ? 2 * *cap : 8;

	ptr = xrealloc(ptr, n * elem);
	*cap = n;
	return ptr;
}

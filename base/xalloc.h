#ifndef EKV_BASE_XALLOC_H
#define EKV_BASE_XALLOC_H

#include <stddef.h>

/*
 * Checked allocation: each of these aborts the process on out-of-memory, so
 * callers never test for NULL. Everything they return is freed with free().
 */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

/* Copies len bytes of p and appends a NUL; caller frees. */
char *xmemdupz(const void *p, size_t len);

#endif

#ifndef EKV_BASE_BUF_H
#define EKV_BASE_BUF_H

#include <stddef.h>

/*
 * A growable byte buffer, always NUL-terminated once anything was added
 * (strbuf in git). Embed it and start with BUF_INIT or buf_init(); the buffer
 * owns ptr until buf_detach() hands it over or buf_release() frees it.
 */
struct buf {
	char *ptr;
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void buf_init(struct buf *b);
void buf_release(struct buf *b);

/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);

void buf_add(struct buf *b, const void *data, size_t len);
void buf_addstr(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Hands the bytes to the caller, who frees them with free(); never NULL, even
 * for an empty buffer. Leaves b empty and reusable.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif

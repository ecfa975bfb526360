#ifndef EKV_SERVER_SPOOL_H
#define EKV_SERVER_SPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/*
 * A request body written to a file as it arrives (bulk uploads: the API
 * names them, api_spools_body()), decoded on the way when the client sent it
 * gzip-coded, so that a body of any size costs no memory.
 */
struct spool {
	char *path;            /* the file, in the upload folder; NULL if none could be made */
	void *file;            /* FILE *, open until spool_finish() */
	struct gunzip *gunzip; /* Content-Encoding: gzip */
	size_t size;           /* bytes written, after decoding */
	bool too_large;        /* past the cap: the rest was dropped */
	bool encoding_unknown; /* a Content-Encoding other than gzip or identity */
	bool encoding_invalid; /* gzip that does not decode */
	int write_error; /* errno of a failed create, write or close (0: none): the rest dropped */
};

/* Creates the file in dir; content_encoding is the request's header or NULL. Never fails: a
 * spool without a file refuses the body as not written (write_error). */
void spool_open(struct spool *s, const char *dir, const char *content_encoding);

/*
 * Of a spooled body, the bytes kept in memory as sent: every EdgeGrid client
 * signs at most the first 128 KiB of a POST body, and the API checks them.
 */
#define SPOOL_SIGNED_PREFIX 131072

/*
 * One chunk of the body as sent: its first SPOOL_SIGNED_PREFIX bytes also go
 * to sent; past max bytes (decoded) the body is too large.
 */
void spool_add(struct spool *s, struct buf *sent, const void *data, size_t len, size_t max);

struct api_request;

/*
 * Closes the file once the body is complete (a cut gzip stream is invalid)
 * and tells in: body_file, the too-large and encoding flags, and whether the
 * disk refused it (body_write_failed; body_disk_full for ENOSPC, EFBIG, EDQUOT).
 */
void spool_finish(struct spool *s, struct api_request *in);

/* Closes and removes the file (unless it was moved away) and frees; a zeroed spool is fine. */
void spool_release(struct spool *s);

#endif

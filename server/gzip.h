#ifndef EKV_SERVER_GZIP_H
#define EKV_SERVER_GZIP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/*
 * gzip content coding for the HTTP layer (zlib), the only place that
 * compresses or decompresses: replies the API marks compressible, and
 * request bodies sent with Content-Encoding: gzip (bulk uploads).
 */

/*
 * Whether an Accept-Encoding value lets a reply be gzip-coded (RFC 9110
 * §12.5.3): "gzip", "x-gzip" or "*" listed with a q-value above 0; an
 * explicit gzip entry wins over "*". NULL (no header) is false.
 */
bool gzip_accepted(const char *accept_encoding);

/* Appends one gzip member holding in[0..len) to out. Returns 0, or -1 after logging. */
int gzip_encode(const void *in, size_t len, struct buf *out);

struct api_request;
struct api_response;

/*
 * Replaces a compressible reply body with its gzip coding when req's
 * Accept-Encoding allows it; true when it did (then add Content-Encoding).
 * A body that does not shrink is coded all the same: the client asked.
 */
bool gzip_reply(const struct api_request *req, struct api_response *out);

/* A streaming gzip decoder: feed it the coded bytes as they arrive. */
struct gunzip;

/* A new decoder; caller frees with gunzip_free(). */
struct gunzip *gunzip_new(void);
void gunzip_free(struct gunzip *z);

/*
 * Decodes in[0..len) and appends what comes out to out. Returns 0, or -1
 * when the bytes are not gzip (the decoder then stays failed). Concatenated
 * members decode one after another, as gzip(1) does.
 */
int gunzip_feed(struct gunzip *z, const void *in, size_t len, struct buf *out);

/* Whether the input so far ends exactly at the end of a member (false: truncated). */
bool gunzip_done(const struct gunzip *z);

#endif

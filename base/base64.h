#ifndef EKV_BASE_BASE64_H
#define EKV_BASE_BASE64_H

#include <stddef.h>

#include "base/buf.h"

/*
 * Base64 (RFC 4648) on GnuTLS's encoder, the one every layer uses: padded
 * for EdgeGrid signatures and exported values, unpadded base64url for JWTs.
 * Each appends to out (which always ends up allocated, "" for no bytes);
 * on -1 out may hold a partial result the caller discards.
 */

/* Padded base64 of data. Returns 0, or -1 when GnuTLS fails. */
int base64_encode(const void *data, size_t len, struct buf *out);

/* The bytes of padded base64 text s. Returns 0, or -1 for text that is not base64. */
int base64_decode(const char *s, size_t len, struct buf *out);

/* base64url of data, without padding (RFC 4648 §5, as JWTs use it). Returns 0 or -1. */
int base64url_encode(const void *data, size_t len, struct buf *out);

/*
 * The bytes of unpadded base64url text s, strictly: -1 for padding, a
 * character outside the alphabet, or a non-canonical last character.
 */
int base64url_decode(const char *s, size_t len, struct buf *out);

#endif

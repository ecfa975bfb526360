#ifndef EKV_API_STATE_JOURNAL_H
#define EKV_API_STATE_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/core/request.h"

/*
 * The request journal (GET /_emulator/requests): the last JOURNAL_SIZE
 * requests, oldest overwritten first, credentials redacted. One per
 * struct api (api_init makes it, api_release frees it); thread-safe.
 */
#define JOURNAL_SIZE         1000
#define JOURNAL_TARGET_MAX   512
#define JOURNAL_HEADER_BYTES 1024 /* every header of a request, packed, cut */
#define JOURNAL_BODY_MAX     1024 /* the first bytes of each body */

/*
 * One request. Bodies are kept as raw bytes and headers packed, so recording
 * one is a few copies (every request pays it) and the ring stays small; the
 * readers turn them into text (journal_body_text(), journal_header_next()).
 */
struct journal_entry {
	int64_t seq;
	int64_t at_ms; /* the one clock */
	char method[8];
	char target[JOURNAL_TARGET_MAX]; /* path and query, cut */
	int status;
	char account[65];
	char request_id[17];
	int64_t latency_ms;                 /* injected */
	size_t header_bytes;                /* of headers[], in use */
	char headers[JOURNAL_HEADER_BYTES]; /* pairs "name\0value\0": journal_header_next() */
	size_t request_len;                 /* the whole bodies' lengths */
	size_t response_len;
	size_t request_kept; /* of those, the bytes below: at most JOURNAL_BODY_MAX */
	size_t response_kept;
	char response_type[96]; /* cut */
	unsigned char request_body[JOURNAL_BODY_MAX];
	unsigned char response_body[JOURNAL_BODY_MAX];
};

struct journal;
struct journal *journal_new(void);
void journal_free(struct journal *j);

/* Records a finished request; secret headers are stored as "[redacted]". */
void journal_add(struct journal *j, const struct api_request *req, const struct api_response *res,
                 const char *account, int64_t at_ms);

/* Whether the header's value is a credential (Authorization, the admin secret, EdgeDB tokens). */
bool journal_header_secret(const char *name);

/* The next header of e: *pos (a byte offset) starts at 0; false after the last. */
bool journal_header_next(const struct journal_entry *e, size_t *pos, const char **name,
                         const char **value);

/*
 * n kept bytes of a body as text that a JSON string carries exactly (dst: n + 1 bytes):
 * bytes that are not UTF-8, or a sequence the cut splits, read '.'.
 */
void journal_body_text(char *dst, const unsigned char *src, size_t n);

typedef void journal_fn(void *ctx, const struct journal_entry *e);

/* Calls fn for each entry after sequence number since (0: every one), oldest first. */
void journal_each(struct journal *j, int64_t since, journal_fn *fn, void *ctx);
void journal_clear(struct journal *j);

#endif

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
#define JOURNAL_SIZE        1000
#define JOURNAL_TARGET_MAX  512
#define JOURNAL_HEADERS_MAX 16
#define JOURNAL_BODY_MAX    1024 /* the first bytes of each body */

struct journal_entry {
	int64_t seq;
	int64_t at_ms; /* the one clock */
	char method[8];
	char target[JOURNAL_TARGET_MAX]; /* path and query, cut */
	int status;
	char account[65];
	char request_id[17];
	int64_t latency_ms; /* injected */
	size_t header_count;
	struct {
		char name[48];
		char value[160];
	} headers[JOURNAL_HEADERS_MAX];
	size_t request_len; /* the whole bodies' lengths */
	size_t response_len;
	char response_type[96]; /* cut */
	/* The first JOURNAL_BODY_MAX bytes as text: bytes that are not UTF-8 read '.'. */
	char request_body[JOURNAL_BODY_MAX + 1];
	char response_body[JOURNAL_BODY_MAX + 1];
};

struct journal;
struct journal *journal_new(void);
void journal_free(struct journal *j);

/* Records a finished request; secret headers are stored as "[redacted]". */
void journal_add(struct journal *j, const struct api_request *req, const struct api_response *res,
                 const char *account, int64_t at_ms);

/* Whether the header's value is a credential (Authorization, the admin secret, EdgeDB tokens). */
bool journal_header_secret(const char *name);

typedef void journal_fn(void *ctx, const struct journal_entry *e);

/* Calls fn for each entry after sequence number since (0: every one), oldest first. */
void journal_each(struct journal *j, int64_t since, journal_fn *fn, void *ctx);
void journal_clear(struct journal *j);

#endif

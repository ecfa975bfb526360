#include "api/state/journal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/xalloc.h"

struct journal {
	pthread_mutex_t lock;
	struct journal_entry *ring; /* JOURNAL_SIZE entries, made on first use */
	int64_t next_seq;
	int64_t first_seq; /* the oldest entry since the last clear */
};

struct journal *journal_new(void)
{
	struct journal *j = xcalloc(1, sizeof(*j));

	pthread_mutex_init(&j->lock, NULL);
	j->next_seq = 1;
	j->first_seq = 1;
	return j;
}

void journal_free(struct journal *j)
{
	if (!j)
		return;
	pthread_mutex_destroy(&j->lock);
	free(j->ring);
	free(j);
}

bool journal_header_secret(const char *name)
{
	static const char *const secret[] = {"Authorization", "X-Emulator-Admin-Secret",
	                                     "X-Akamai-EdgeDB-Auth", "X-Akamai-EdgeDB-Auth-Ref",
	                                     "Cookie"};

	for (size_t i = 0; i < sizeof(secret) / sizeof(secret[0]); i++)
		if (strcasecmp(name, secret[i]) == 0)
			return true;
	return false;
}

/* The length of the well-formed UTF-8 sequence at p (n > 0 bytes left), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	size_t len = 0;

	if (p[0] > 0 && p[0] < 0x80)
		len = 1;
	else if (p[0] >= 0xc2 && p[0] < 0xe0)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] < 0xf0)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] < 0xf5)
		len = 4;
	if (len == 0 || len > n)
		return 0;
	/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not UTF-8. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

void journal_body_text(char *dst, const unsigned char *src, size_t n)
{
	size_t out = 0;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(src + i, n - i);

		if (len == 0) {
			dst[out++] = '.';
			i++;
			continue;
		}
		memcpy(dst + out, src + i, len);
		out += len;
		i += len;
	}
	dst[out] = '\0';
}

bool journal_header_next(const struct journal_entry *e, size_t *pos, const char **name,
                         const char **value)
{
	if (*pos >= e->header_bytes)
		return false;
	*name = e->headers + *pos;
	*value = *name + strlen(*name) + 1;
	*pos = (size_t)(*value - e->headers) + strlen(*value) + 1;
	return true;
}

/* Copies src cut to size - 1 bytes; the length copied. */
static size_t copy_cut(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

/*
 * The request's headers into e, packed, secrets redacted, names cut at 47 bytes and values at
 * 159; a header that no longer fits is left out, and the shorter ones after it still go in.
 */
static void pack_headers(struct journal_entry *e, const struct api_request *req)
{
	size_t off = 0;

	e->header_bytes = 0;
	for (size_t i = 0; i < req->header_count; i++) {
		const struct api_header *h = &req->headers[i];
		const char *value = journal_header_secret(h->name) ? "[redacted]" : h->value;
		size_t nlen = strnlen(h->name, 47), vlen = strnlen(value, 159);

		if (off + nlen + vlen + 2 > sizeof(e->headers))
			continue;
		off += copy_cut(e->headers + off, nlen + 1, h->name) + 1;
		off += copy_cut(e->headers + off, vlen + 1, value) + 1;
		e->header_bytes = off;
	}
}

static size_t keep_body(unsigned char *dst, const void *src, size_t len)
{
	size_t n = src ? (len < JOURNAL_BODY_MAX ? len : JOURNAL_BODY_MAX) : 0;

	if (n)
		memcpy(dst, src, n);
	return n;
}

void journal_add(struct journal *j, const struct api_request *req, const struct api_response *res,
                 const char *account, int64_t at_ms)
{
	struct journal_entry *e;

	/* Written in place under the lock: a few short copies, no formatting. */
	pthread_mutex_lock(&j->lock);
	if (!j->ring)
		j->ring = xcalloc(JOURNAL_SIZE, sizeof(*j->ring));
	e = &j->ring[(size_t)(j->next_seq % JOURNAL_SIZE)];
	e->seq = j->next_seq++;
	e->at_ms = at_ms;
	copy_cut(e->method, sizeof(e->method), http_method_name(req->method));
	copy_cut(e->target, sizeof(e->target), req->target);
	e->status = res->status;
	copy_cut(e->account, sizeof(e->account), account ? account : "");
	copy_cut(e->request_id, sizeof(e->request_id), req->request_id);
	e->latency_ms = res->delay_ms;
	pack_headers(e, req);
	e->request_len = req->body_len;
	e->request_kept = keep_body(e->request_body, req->body, req->body_len);
	e->response_len = res->body.len;
	e->response_kept = keep_body(e->response_body, res->body.ptr, res->body.len);
	copy_cut(e->response_type, sizeof(e->response_type), res->content_type);
	pthread_mutex_unlock(&j->lock);
}

void journal_each(struct journal *j, int64_t since, journal_fn *fn, void *ctx)
{
	int64_t first;

	pthread_mutex_lock(&j->lock);
	first = j->next_seq > JOURNAL_SIZE ? j->next_seq - JOURNAL_SIZE : 1;
	if (first < j->first_seq)
		first = j->first_seq;
	if (first <= since)
		first = since + 1;
	for (int64_t seq = first; j->ring && seq < j->next_seq; seq++)
		fn(ctx, &j->ring[(size_t)(seq % JOURNAL_SIZE)]);
	pthread_mutex_unlock(&j->lock);
}

void journal_clear(struct journal *j)
{
	pthread_mutex_lock(&j->lock);
	free(j->ring);
	j->ring = NULL;
	j->first_seq = j->next_seq;
	pthread_mutex_unlock(&j->lock);
}

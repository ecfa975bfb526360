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

/* The first bytes of a body as text that a JSON string carries exactly (dst: max + 1). */
static void copy_text(char *dst, size_t max, const void *src, size_t n)
{
	const unsigned char *p = src;
	size_t out = 0;

	if (n > max)
		n = max;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(p + i, n - i);

		if (len == 0) {
			dst[out++] = '.';
			i++;
			continue;
		}
		memcpy(dst + out, p + i, len);
		out += len;
		i += len;
	}
	dst[out] = '\0';
}

void journal_add(struct journal *j, const struct api_request *req, const struct api_response *res,
                 const char *account, int64_t at_ms)
{
	struct journal_entry e;

	/* Formatted outside the lock, which then covers one copy. */
	memset(&e, 0, sizeof(e));
	e.at_ms = at_ms;
	snprintf(e.method, sizeof(e.method), "%s", http_method_name(req->method));
	snprintf(e.target, sizeof(e.target), "%s", req->target);
	e.status = res->status;
	snprintf(e.account, sizeof(e.account), "%s", account ? account : "");
	snprintf(e.request_id, sizeof(e.request_id), "%s", req->request_id);
	e.latency_ms = res->delay_ms;
	e.request_len = req->body_len;
	copy_text(e.request_body, JOURNAL_BODY_MAX, req->body, req->body ? req->body_len : 0);
	e.response_len = res->body.len;
	copy_text(e.response_body, JOURNAL_BODY_MAX, res->body.ptr,
	          res->body.ptr ? res->body.len : 0);
	snprintf(e.response_type, sizeof(e.response_type), "%.95s", res->content_type);
	for (size_t i = 0; i < req->header_count && e.header_count < JOURNAL_HEADERS_MAX; i++) {
		const struct api_header *h = &req->headers[i];

		snprintf(e.headers[e.header_count].name, sizeof(e.headers[0].name), "%s", h->name);
		snprintf(e.headers[e.header_count].value, sizeof(e.headers[0].value), "%s",
		         journal_header_secret(h->name) ? "[redacted]" : h->value);
		e.header_count++;
	}
	pthread_mutex_lock(&j->lock);
	if (!j->ring)
		j->ring = xcalloc(JOURNAL_SIZE, sizeof(*j->ring));
	e.seq = j->next_seq++;
	j->ring[(size_t)(e.seq % JOURNAL_SIZE)] = e;
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

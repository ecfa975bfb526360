/* The request journal (api/state/journal.c): bounded, oldest first, credentials redacted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "api/state/journal.h"

struct seen {
	int n;
	int64_t first, last;
	char auth[160], secret[160], type[160];
};

static void see(void *ctx, const struct journal_entry *e)
{
	struct seen *s = ctx;
	const char *name, *value;
	size_t pos = 0;

	if (s->n++ == 0)
		s->first = e->seq;
	s->last = e->seq;
	while (journal_header_next(e, &pos, &name, &value)) {
		if (strcmp(name, "Authorization") == 0)
			snprintf(s->auth, sizeof(s->auth), "%s", value);
		if (strcmp(name, "x-emulator-admin-secret") == 0)
			snprintf(s->secret, sizeof(s->secret), "%s", value);
		if (strcmp(name, "Content-Type") == 0)
			snprintf(s->type, sizeof(s->type), "%s", value);
	}
}

static void add(struct journal *j, int status)
{
	static const struct api_header headers[] = {
	        {"Authorization", "EG1-HMAC-SHA256 client_token=akab-x;access_token=akab-y;"
	                          "timestamp=20260101T00:00:00+0000;nonce=n;signature=s"},
	        {"x-emulator-admin-secret", "hunter2"},
	        {"Content-Type", "application/json"},
	};
	struct api_request req = {0};
	struct api_response res;

	req.method = HTTP_GET;
	req.target = "/edgekv/v1/initialize";
	req.headers = headers;
	req.header_count = 3;
	req.request_id = "0123456789abcdef";
	api_response_init(&res);
	res.status = status;
	journal_add(j, &req, &res, "1-A", 1000);
	api_response_release(&res);
}

static void test_bounded_oldest_first(void **state)
{
	struct journal *j = journal_new();
	struct seen s = {0};

	(void)state;
	for (int i = 0; i < JOURNAL_SIZE + 5; i++)
		add(j, 200);
	journal_each(j, 0, see, &s);
	assert_int_equal(s.n, JOURNAL_SIZE);
	assert_int_equal(s.last - s.first + 1, JOURNAL_SIZE);
	journal_free(j);
}

static void test_credentials_redacted(void **state)
{
	struct journal *j = journal_new();
	struct seen s = {0};

	(void)state;
	add(j, 401);
	journal_each(j, 0, see, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.auth, "[redacted]");
	assert_string_equal(s.secret, "[redacted]"); /* header names in any case */
	assert_string_equal(s.type, "application/json");
	assert_true(journal_header_secret("X-Akamai-EdgeDB-Auth"));
	assert_false(journal_header_secret("Host"));
	journal_free(j);
}

static void test_clear_forgets_everything_before(void **state)
{
	struct journal *j = journal_new();
	struct seen s = {0};

	(void)state;
	add(j, 200);
	add(j, 200);
	journal_clear(j);
	journal_each(j, 0, see, &s);
	assert_int_equal(s.n, 0);
	add(j, 500);
	journal_each(j, 0, see, &s);
	assert_int_equal(s.n, 1);
	journal_free(j);
}

static void test_since_gives_newer_entries(void **state)
{
	struct seen s = {0};
	struct journal *j = journal_new();
	int64_t first;

	(void)state;
	for (int i = 0; i < 5; i++)
		add(j, 200);
	journal_each(j, 0, see, &s);
	first = s.first;
	memset(&s, 0, sizeof(s));
	journal_each(j, first + 2, see, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.first, first + 3);
	memset(&s, 0, sizeof(s));
	journal_each(j, first + 4, see, &s);
	assert_int_equal(s.n, 0);
	journal_free(j);
}

static char body_seen[JOURNAL_BODY_MAX + 1];
static size_t body_len_seen;

static void see_body(void *ctx, const struct journal_entry *e)
{
	(void)ctx;
	journal_body_text(body_seen, e->request_body, e->request_kept);
	body_len_seen = e->request_len;
}

/* Bodies are kept as JSON-safe text: bytes that are not UTF-8 (or a cut sequence) read '.'. */
static void test_body_text(void **state)
{
	/* A byte that is never UTF-8, a NUL, "é", and a "€" that the cut splits. */
	static const unsigned char tail[] = {0xff, 0x00, 0xc3, 0xa9, 0xe2, 0x82, 0xac};
	static char body[JOURNAL_BODY_MAX + 8];
	char want[JOURNAL_BODY_MAX + 1];
	struct api_request req = {0};
	struct api_response res;
	struct journal *j = journal_new();

	(void)state;
	memset(body, 'a', JOURNAL_BODY_MAX - 5);
	memcpy(body + JOURNAL_BODY_MAX - 5, tail, sizeof(tail));
	req.method = HTTP_PUT;
	req.target = "/api/v1/x";
	req.request_id = "0123456789abcdef";
	req.body = body;
	req.body_len = JOURNAL_BODY_MAX + 2;
	api_response_init(&res);
	res.status = 200;
	journal_add(j, &req, &res, "1-A", 1000);
	api_response_release(&res);
	journal_each(j, 0, see_body, NULL);
	memset(want, 'a', JOURNAL_BODY_MAX - 5);
	snprintf(want + JOURNAL_BODY_MAX - 5, 6, "%s", "..\xc3\xa9.");
	assert_string_equal(body_seen, want);
	assert_int_equal(body_len_seen, JOURNAL_BODY_MAX + 2);
	journal_free(j);
}

struct header_seen {
	size_t count;
	char last_name[64], long_value[200];
};

static void see_headers(void *ctx, const struct journal_entry *e)
{
	struct header_seen *s = ctx;
	const char *name, *value;
	size_t pos = 0;

	s->count = 0;
	while (journal_header_next(e, &pos, &name, &value)) {
		s->count++;
		snprintf(s->last_name, sizeof(s->last_name), "%s", name);
		if (strcmp(name, "X-Long") == 0)
			snprintf(s->long_value, sizeof(s->long_value), "%s", value);
	}
}

/* Names cut at 47, values at 159, 1 KiB in all: one that does not fit is left out, not the rest. */
static void test_headers_cut_and_bounded(void **state)
{
	static char big[400], long_name[80];
	static struct api_header headers[12];
	struct api_request req = {0};
	struct api_response res;
	struct journal *j = journal_new();
	struct header_seen s = {0};

	(void)state;
	memset(big, 'v', sizeof(big) - 1);
	memset(long_name, 'n', sizeof(long_name) - 1);
	headers[0] = (struct api_header){"X-Long", big};
	/* X-Long takes 167 bytes packed, each of 5 more 208: the fifth no longer fits in 1 KiB. */
	for (size_t i = 1; i < 6; i++)
		headers[i] = (struct api_header){long_name, big};
	headers[6] = (struct api_header){"Host", "example.net"};
	req.method = HTTP_GET;
	req.target = "/edgekv/v1/initialize";
	req.headers = headers;
	req.header_count = 7;
	req.request_id = "0123456789abcdef";
	api_response_init(&res);
	res.status = 200;
	journal_add(j, &req, &res, "1-A", 1000);
	journal_each(j, 0, see_headers, &s);
	assert_int_equal(strlen(s.long_value), 159);
	assert_int_equal(s.count, 6); /* X-Long, four long names, Host (17 bytes: it fits) */
	assert_string_equal(s.last_name, "Host");
	/* The same ring slot reused by a request with fewer headers shows only those. */
	for (int i = 0; i < JOURNAL_SIZE - 1; i++)
		journal_add(j, &req, &res, "1-A", 1000);
	req.header_count = 1;
	journal_add(j, &req, &res, "1-A", 1000);
	memset(&s, 0, sizeof(s));
	journal_each(j, JOURNAL_SIZE, see_headers, &s);
	assert_int_equal(s.count, 1);
	assert_string_equal(s.last_name, "X-Long");
	api_response_release(&res);
	journal_free(j);
}

/* Entries in sequence order, each whole (its status is its writer's). */
struct ordered {
	int n;
	int64_t last;
	bool in_order;
};

static void see_order(void *ctx, const struct journal_entry *e)
{
	struct ordered *o = ctx;

	o->in_order = o->in_order && e->seq > o->last && (e->status == 201 || e->status == 202);
	o->last = e->seq;
	o->n++;
}

static void *add_many(void *arg)
{
	struct journal *j = *(struct journal **)arg;
	int status = ((struct journal **)arg)[1] ? 202 : 201;

	for (int i = 0; i < 5000; i++)
		add(j, status);
	return NULL;
}

/* Two workers write while a reader reads: every entry read is whole and in order. */
static void test_writers_in_parallel(void **state)
{
	struct journal *j = journal_new();
	struct journal *a[2] = {j, NULL}, *b[2] = {j, j};
	pthread_t ta, tb;
	struct ordered o;

	(void)state;
	assert_int_equal(pthread_create(&ta, NULL, add_many, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, add_many, b), 0);
	for (int i = 0; i < 20; i++) {
		o = (struct ordered){0, 0, true};
		journal_each(j, 0, see_order, &o);
		assert_true(o.in_order);
		assert_true(o.n <= JOURNAL_SIZE);
	}
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	o = (struct ordered){0, 0, true};
	journal_each(j, 0, see_order, &o);
	assert_true(o.in_order);
	assert_int_equal(o.n, JOURNAL_SIZE);
	assert_int_equal(o.last, 10000);
	journal_free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bounded_oldest_first),
	        cmocka_unit_test(test_credentials_redacted),
	        cmocka_unit_test(test_clear_forgets_everything_before),
	        cmocka_unit_test(test_since_gives_newer_entries),
	        cmocka_unit_test(test_body_text),
	        cmocka_unit_test(test_headers_cut_and_bounded),
	        cmocka_unit_test(test_writers_in_parallel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

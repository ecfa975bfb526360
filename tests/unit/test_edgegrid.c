/* EdgeGrid signing: every public test vector, plus the header parser's edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/edgegrid.h"
#include "base/buf.h"

static cJSON *load(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	FILE *f = fopen(path, "rb");
	size_t n;
	cJSON *json;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	json = cJSON_Parse(b.ptr);
	buf_release(&b);
	assert_non_null(json);
	return json;
}

static const char *str(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void test_signing_key_vector(void **state)
{
	cJSON *data = load("tests/unit/data/edgegrid/testdata.json");
	char key[EDGEGRID_B64_MAX];

	(void)state;
	assert_int_equal(
	        edgegrid_signing_key(str(data, "client_secret"), str(data, "timestamp"), key), 0);
	assert_string_equal(key, str(data, "sign_key_test"));
	cJSON_Delete(data);
}

/* Signs each case as its client would and compares with expectedAuthorization. */
static void test_every_public_vector(void **state)
{
	cJSON *data = load("tests/unit/data/edgegrid/testdata.json");
	cJSON *cases = load("tests/unit/data/edgegrid/testcases.json");
	const cJSON *tc;
	const char *names[3] = {"X-Test1", "X-Test2", "X-Test3"};
	char host[256];
	int count = 0;

	(void)state;
	/* base_url "https://host/" */
	snprintf(host, sizeof(host), "%s", str(data, "base_url") + strlen("https://"));
	host[strcspn(host, "/")] = '\0';
	cJSON_ArrayForEach(tc, cases)
	{
		const cJSON *req = cJSON_GetObjectItemCaseSensitive(tc, "request");
		const cJSON *headers = cJSON_GetObjectItemCaseSensitive(req, "headers"), *h;
		const cJSON *body = cJSON_GetObjectItemCaseSensitive(req, "data");
		const char *values[3] = {NULL, NULL, NULL};
		struct edgegrid_request r = {0};
		struct edgegrid_header parsed;
		struct buf unsigned_part = BUF_INIT;
		char sig[EDGEGRID_B64_MAX];

		cJSON_ArrayForEach(h, headers)
		{
			for (int i = 0; i < 3; i++)
				if (h->child && strcmp(h->child->string, names[i]) == 0)
					values[i] = h->child->valuestring;
		}
		buf_addf(&unsigned_part,
		         "EG1-HMAC-SHA256 client_token=%s;access_token=%s;timestamp=%s;nonce=%s;",
		         str(data, "client_token"), str(data, "access_token"),
		         str(data, "timestamp"), str(data, "nonce"));
		r.method = str(req, "method");
		r.scheme = "https";
		r.host = host;
		r.target = str(req, "path");
		r.sign_names = names;
		r.sign_values = values;
		r.sign_count = 3;
		r.body = cJSON_IsString(body) ? body->valuestring : "";
		r.body_len = cJSON_IsString(body) ? strlen(body->valuestring) : 0;
		r.max_body = (size_t)cJSON_GetObjectItemCaseSensitive(data, "max_body")->valueint;
		r.auth_unsigned = unsigned_part.ptr;
		r.auth_unsigned_len = unsigned_part.len;
		assert_int_equal(
		        edgegrid_sign(str(data, "client_secret"), str(data, "timestamp"), &r, sig),
		        0);
		assert_int_equal(edgegrid_parse(str(tc, "expectedAuthorization"), &parsed), 0);
		if (strcmp(sig, parsed.signature) != 0)
			fail_msg("vector '%s': got %s, want %s", str(tc, "testName"), sig,
			         parsed.signature);
		assert_int_equal(parsed.unsigned_len, unsigned_part.len);
		buf_release(&unsigned_part);
		count++;
	}
	assert_int_equal(count, 15);
	cJSON_Delete(cases);
	cJSON_Delete(data);
}

static void test_parse_rejects_malformed_headers(void **state)
{
	/* Adjacent literals below are single headers, wrapped to fit the line. */
	/* NOLINTBEGIN(bugprone-suspicious-missing-comma) */
	static const char *const bad[] = {
	        "",
	        "EG1-HMAC-SHA256",
	        "EG1-HMAC-SHA256 ",
	        "Basic abc",
	        "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d",
	        "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d;signature=",
	        "EG1-HMAC-SHA256 client_token=a;client_token=a;access_token=b;timestamp=c;nonce=d;"
	        "signature=e",
	        "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d;signature=e;x=1",
	        "EG1-HMAC-SHA256 client_token=a;access_token=b;timestamp=c;nonce=d;bogus=1;"
	        "signature=e",
	        "EG1-HMAC-SHA256 client_token=;access_token=b;timestamp=c;nonce=d;signature=e",
	};
	/* NOLINTEND(bugprone-suspicious-missing-comma) */
	struct edgegrid_header h;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(edgegrid_parse(bad[i], &h), -1);
	assert_int_equal(edgegrid_parse(NULL, &h), -1);
}

static void test_parse_keeps_the_signed_prefix(void **state)
{
	const char *v = "EG1-HMAC-SHA256 client_token=ct;access_token=at;"
	                "timestamp=20261123T08:08:48+0000;nonce=n-1;signature=c2ln";
	struct edgegrid_header h;

	(void)state;
	assert_int_equal(edgegrid_parse(v, &h), 0);
	assert_string_equal(h.client_token, "ct");
	assert_string_equal(h.access_token, "at");
	assert_string_equal(h.nonce, "n-1");
	assert_string_equal(h.signature, "c2ln");
	assert_int_equal(h.unsigned_len, strlen(v) - strlen("signature=c2ln"));
}

static void test_timestamp(void **state)
{
	int64_t ms = 0;

	(void)state;
	assert_int_equal(edgegrid_timestamp_ms("20140321T19:34:21+0000", &ms), 0);
	assert_true(ms == 1395430461000LL);
	assert_int_equal(edgegrid_timestamp_ms("20140321T19:34:21+0100", &ms), -1);
	assert_int_equal(edgegrid_timestamp_ms("2014-03-21T19:34:21Z", &ms), -1);
	assert_int_equal(edgegrid_timestamp_ms("20141321T19:34:21+0000", &ms), -1);
}

static void test_signature_equal(void **state)
{
	(void)state;
	assert_true(edgegrid_signature_equal("abc=", "abc="));
	assert_false(edgegrid_signature_equal("abc=", "abd="));
	assert_false(edgegrid_signature_equal("abc=", "abc"));
	assert_false(edgegrid_signature_equal("", "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_signing_key_vector),
	        cmocka_unit_test(test_every_public_vector),
	        cmocka_unit_test(test_parse_rejects_malformed_headers),
	        cmocka_unit_test(test_parse_keeps_the_signed_prefix),
	        cmocka_unit_test(test_timestamp),
	        cmocka_unit_test(test_signature_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

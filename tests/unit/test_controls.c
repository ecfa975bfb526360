/*
 * The control API through api_dispatch() on a ":memory:" store: who may call
 * it, and what injected faults leave for the HTTP layer (latency as data).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
#include "api/auth/edgegrid.h"
#include "api/state/faults.h"
#include "api/state/settings.h"
#include "base/clock.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

#define T0 1700000000000LL

static struct store_db *db;
static struct api api;
static struct api_response res;

static int setup(void **state)
{
	(void)state;
	memset(&api, 0, sizeof(api));
	api_init(&api);
	clock_freeze(api.clock, true);
	clock_set_ms(api.clock, T0);
	db = store_db_open(":memory:", 3600000LL * 1000);
	if (!db)
		return -1;
	api.db = db;
	api.config.default_account = "1-DEFAULT";
	api.config.max_body = 1 << 20;
	api.config.auth_mode = AUTH_OFF;
	api.config.admin_secret = "s3cret";
	api_response_init(&res);
	return world_default(&api, true, true);
}

static int teardown(void **state)
{
	(void)state;
	api_response_release(&res);
	api_release(&api);
	store_db_close(db);
	return 0;
}

static void call_host(enum http_method m, const char *target, const char *body, const char *peer,
                      const char *secret, const char *host)
{
	struct api_header headers[3] = {{"Content-Type", "application/json"},
	                                {"Host", host},
	                                {"X-Emulator-Admin-Secret", secret ? secret : ""}};
	struct api_request req = {0};

	api_response_release(&res);
	api_response_init(&res);
	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = secret ? 3 : 2;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.request_id = "a1b2c3d4e5f60718";
	req.peer = peer;
	api_dispatch(&api, &req, &res);
}

static void call(enum http_method m, const char *target, const char *body, const char *peer,
                 const char *secret)
{
	call_host(m, target, body, peer, secret, "localhost:8080");
}

static void health_answers_everyone_other_controls_loopback_or_secret(void **state)
{
	(void)state;
	call(HTTP_GET, "/_emulator/health", NULL, "203.0.113.7", NULL);
	assert_int_equal(res.status, 200);
	call(HTTP_GET, "/_emulator/ready", NULL, "203.0.113.7", NULL);
	assert_int_equal(res.status, 503); /* nothing said it was ready yet */
	api_set_ready(&api, true);
	call(HTTP_GET, "/_emulator/ready", NULL, "203.0.113.7", NULL);
	assert_int_equal(res.status, 200);
	call(HTTP_GET, "/_emulator/clock", NULL, "203.0.113.7", NULL);
	assert_int_equal(res.status, 403);
	call(HTTP_GET, "/_emulator/clock", NULL, "203.0.113.7", "wrong");
	assert_int_equal(res.status, 403);
	call(HTTP_GET, "/_emulator/clock", NULL, "203.0.113.7", "s3cret");
	assert_int_equal(res.status, 200);
	call(HTTP_POST, "/_emulator/reset", "{}", "::1", NULL);
	assert_int_equal(res.status, 200);
}

static void latency_is_left_to_the_http_layer(void **state)
{
	(void)state;
	call(HTTP_POST, "/_emulator/faults",
	     "{\"route\":\"/edgekv/v1/initialize\",\"latencyMs\":{\"min\":200,\"max\":200}}",
	     "127.0.0.1", NULL);
	assert_int_equal(res.status, 201);
	call(HTTP_GET, "/edgekv/v1/initialize", NULL, "127.0.0.1", NULL);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.delay_ms, 200);
	call(HTTP_GET, "/edgekv/v1/networks/staging/namespaces", NULL, "127.0.0.1", NULL);
	assert_int_equal(res.delay_ms, 0);
}

static void a_fault_status_writes_the_real_body(void **state)
{
	cJSON *body;

	(void)state;
	call(HTTP_POST, "/_emulator/faults", "{\"status\":429,\"hits\":9,\"limit\":4}", "127.0.0.1",
	     NULL);
	assert_int_equal(res.status, 201);
	call(HTTP_GET, "/edgekv/v1/networks/staging/namespaces", NULL, "127.0.0.1", NULL);
	assert_int_equal(res.status, 429);
	body = cJSON_ParseWithLength(res.body.ptr, res.body.len);
	assert_non_null(body);
	assert_string_equal(cJSON_GetObjectItem(body, "errorCode")->valuestring, "EKV_9100");
	assert_string_equal(cJSON_GetObjectItem(body, "detail")->valuestring,
	                    "Your request has been denied: 9 hits per second too high. limit set "
	                    "at 4. Please try again soon.");
	cJSON_Delete(body);
	/* The control API itself is never faulted. */
	call(HTTP_GET, "/_emulator/faults", NULL, "127.0.0.1", NULL);
	assert_int_equal(res.status, 200);
}

static const char *body_text(void)
{
	static char text[1024];

	snprintf(text, sizeof(text), "%.*s", (int)res.body.len, res.body.ptr ? res.body.ptr : "");
	return text;
}

static const char *error_code(void)
{
	static char code[16];
	cJSON *body = cJSON_ParseWithLength(res.body.ptr, res.body.len);
	const cJSON *v = cJSON_GetObjectItem(body, "errorCode");

	snprintf(code, sizeof(code), "%s", cJSON_IsString(v) ? v->valuestring : "");
	cJSON_Delete(body);
	return code;
}

/* The Docker case: the host's calls arrive from the bridge, addressed to localhost. */
static void control_any_peer_opens_the_peer_check_only(void **state)
{
	(void)state;
	api.config.admin_secret = NULL;
	call(HTTP_GET, "/_emulator/clock", NULL, "172.17.0.1", NULL);
	assert_int_equal(res.status, 403);
	api.config.control_any_peer = true;
	call(HTTP_GET, "/_emulator/clock", NULL, "172.17.0.1", NULL);
	assert_int_equal(res.status, 200);
	/* A rebound name is still refused. */
	call_host(HTTP_GET, "/_emulator/export", NULL, "172.17.0.1", NULL, "attacker.example");
	assert_int_equal(res.status, 403);
	assert_string_equal(error_code(), "EKV_1000");
	api.config.control_any_peer = false;
}

/* A holder of the secret may use any name for the emulator; a web page cannot know it. */
static void the_secret_lifts_the_host_check(void **state)
{
	(void)state;
	call_host(HTTP_GET, "/_emulator/clock", NULL, "203.0.113.7", "s3cret", "emulator.lan:8080");
	assert_int_equal(res.status, 200);
	call_host(HTTP_GET, "/_emulator/clock", NULL, "127.0.0.1", NULL, "emulator.lan:8080");
	assert_int_equal(res.status, 403);
	assert_non_null(strstr(body_text(), "Host 'emulator.lan:8080' is neither."));
	call_host(HTTP_GET, "/_emulator/clock", NULL, "127.0.0.1", NULL, "[::1]:8080");
	assert_int_equal(res.status, 200);
	call_host(HTTP_GET, "/_emulator/clock", NULL, "127.0.0.1", NULL, "127.0.0.1");
	assert_int_equal(res.status, 200);
	/* The listen address is a name too, unless it is the wildcard. */
	api.config.listen = "10.1.2.3";
	call_host(HTTP_GET, "/_emulator/clock", NULL, "127.0.0.1", NULL, "10.1.2.3:8080");
	assert_int_equal(res.status, 200);
	api.config.listen = "0.0.0.0";
	call_host(HTTP_GET, "/_emulator/clock", NULL, "127.0.0.1", NULL, "0.0.0.0:8080");
	assert_int_equal(res.status, 403);
	api.config.listen = NULL;
}

/* A signed GET /edgekv/v1/initialize by the published development client, from peer. */
static void dev_client_call(const char *peer)
{
	const char *secret = "ZW11bGF0b3ItZGV2ZWxvcG1lbnQtc2VjcmV0LTAwMDA=";
	char stamp[32], unsigned_part[256], auth[320], sig[EDGEGRID_B64_MAX];
	static int nonce;
	struct edgegrid_request r = {0};
	struct api_header headers[2] = {{"Host", "emulator.lan"}, {"Authorization", auth}};
	struct api_request req = {0};
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H:%M:%S+0000", &tm);
	snprintf(unsigned_part, sizeof(unsigned_part),
	         "EG1-HMAC-SHA256 client_token=akab-emulator-client-token-000000;"
	         "access_token=akab-emulator-access-token-000000;timestamp=%s;nonce=n-%d;",
	         stamp, ++nonce);
	r.method = "GET";
	r.scheme = "http";
	r.host = "emulator.lan";
	r.target = "/edgekv/v1/initialize";
	r.max_body = 131072;
	r.auth_unsigned = unsigned_part;
	r.auth_unsigned_len = strlen(unsigned_part);
	assert_int_equal(edgegrid_sign(secret, stamp, &r, sig), 0);
	snprintf(auth, sizeof(auth), "%ssignature=%s", unsigned_part, sig);
	api_response_release(&res);
	api_response_init(&res);
	req.method = HTTP_GET;
	req.target = r.target;
	req.headers = headers;
	req.header_count = 2;
	req.body = "";
	req.request_id = "a1b2c3d4e5f60718";
	req.peer = peer;
	api_dispatch(&api, &req, &res);
}

static void the_switch_any_account_client_is_loopback_only(void **state)
{
	(void)state;
	api.config.auth_mode = AUTH_STRICT;
	api.config.auth_window_s = 300;
	dev_client_call("127.0.0.1");
	assert_int_equal(res.status, 200);
	dev_client_call("192.0.2.10");
	assert_int_equal(res.status, 403);
	assert_non_null(strstr(body_text(), "accepted from loopback only"));
	api.config.remote_dev_client = true;
	dev_client_call("192.0.2.10");
	assert_int_equal(res.status, 200);
	api.config.remote_dev_client = false;
	api.config.auth_mode = AUTH_OFF;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                health_answers_everyone_other_controls_loopback_or_secret, setup, teardown),
	        cmocka_unit_test_setup_teardown(latency_is_left_to_the_http_layer, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_fault_status_writes_the_real_body, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(control_any_peer_opens_the_peer_check_only, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(the_secret_lifts_the_host_check, setup, teardown),
	        cmocka_unit_test_setup_teardown(the_switch_any_account_client_is_loopback_only,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

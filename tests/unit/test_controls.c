/*
 * The control API through api_dispatch() on a ":memory:" store: who may call
 * it, and what injected faults leave for the HTTP layer (latency as data).
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
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
	clock_reset();
	clock_freeze(true);
	clock_set_ms(T0);
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
	clock_reset();
	return 0;
}

static void call(enum http_method m, const char *target, const char *body, const char *peer,
                 const char *secret)
{
	struct api_header headers[2] = {{"Content-Type", "application/json"},
	                                {"X-Emulator-Admin-Secret", secret ? secret : ""}};
	struct api_request req = {0};

	api_response_release(&res);
	api_response_init(&res);
	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = secret ? 2 : 1;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.request_id = "a1b2c3d4e5f60718";
	req.peer = peer;
	api_dispatch(&api, &req, &res);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                health_answers_everyone_other_controls_loopback_or_secret, setup, teardown),
	        cmocka_unit_test_setup_teardown(latency_is_left_to_the_http_layer, setup, teardown),
	        cmocka_unit_test_setup_teardown(a_fault_status_writes_the_real_body, setup,
	                                        teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * api_dispatch() for the control and data-plane route kinds, on a ":memory:" store:
 * control routes answer loopback peers only, and data-plane routes take
 * their account from the token instead of the default account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
#include "base/clock.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

#define ACCOUNT "1-DEFAULT"
#define NEVER   (3600000LL * 1000)
#define T0      1900000000000LL

static struct store_db *db;
static struct api api;
static struct api_response res;

static int setup(void **state)
{
	(void)state;
	db = store_db_open(":memory:", NEVER);
	if (!db)
		return -1;
	memset(&api, 0, sizeof(api));
	api_init(&api);
	clock_freeze(api.clock, true);
	clock_set_ms(api.clock, T0);
	api_config_defaults(&api.config);
	api.db = db;
	api.config.default_account = ACCOUNT;
	api.config.token_activation_ms = 0;
	api.config.auth_mode = AUTH_OFF; /* EdgeGrid has tests of its own */
	api_response_init(&res);
	return world_account_ensure(&api, ACCOUNT, true, true);
}

static int teardown(void **state)
{
	(void)state;
	api_response_release(&res);
	api_release(&api);
	store_db_close(db);
	db = NULL;
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}

static void send(enum http_method m, const char *target, const char *peer,
                 const struct api_header *headers, size_t count, const char *body)
{
	struct api_request req = {0};

	api_response_release(&res);
	api_response_init(&res);
	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = count;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.request_id = "a1b2c3d4e5f60718";
	req.peer = peer;
	api_dispatch(&api, &req, &res);
}

static const char *body_text(void)
{
	return res.body.ptr ? res.body.ptr : "";
}

static void control_routes_answer_loopback_peers_only(void **state)
{
	static const char *const local[] = {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1",
	                                    NULL};
	static const char *const remote[] = {"10.0.0.1",    "192.168.1.5", "::ffff:10.0.0.1",
	                                     "2001:db8::1", "-",           "128.0.0.1"};
	static const struct api_header host[] = {{"Host", "localhost:8080"}};

	(void)state;
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		send(HTTP_GET, "/_emulator/clock", local[i], host, 1, NULL);
		assert_int_equal(res.status, 200);
		assert_non_null(strstr(body_text(), "\"frozen\":true"));
	}
	for (size_t i = 0; i < sizeof(remote) / sizeof(remote[0]); i++) {
		send(HTTP_POST, "/_emulator/clock", remote[i], NULL, 0, "{\"advanceSeconds\":60}");
		assert_int_equal(res.status, 403);
		assert_non_null(strstr(body_text(), "The emulator control API answers only on "
		                                    "loopback or with the admin secret."));
	}
	assert_int_equal(clock_now_ms(api.clock), T0); /* nothing moved the clock */
	/* The management API is not restricted by peer (EdgeGrid decides, here off). */
	send(HTTP_GET, "/edgekv/v1/initialize", "10.0.0.1", NULL, 0, NULL);
	assert_int_equal(res.status, 200);
}

static void data_plane_takes_the_account_from_the_token(void **state)
{
	struct api_header h[1];
	char uuid[40];
	const char *p;

	(void)state;
	send(HTTP_GET, "/api/v1/namespaces/default/groups/g/items/k", "127.0.0.1", NULL, 0, NULL);
	assert_int_equal(res.status, 401);
	send(HTTP_POST, "/edgekv/v1/tokens", "127.0.0.1", NULL, 0,
	     "{\"name\":\"t\",\"allowOnProduction\":false,\"allowOnStaging\":true,"
	     "\"namespacePermissions\":{\"default\":[\"r\",\"w\"]}}");
	assert_int_equal(res.status, 200);
	p = strstr(body_text(), "\"uuid\":\"");
	assert_non_null(p);
	snprintf(uuid, sizeof(uuid), "%.36s", p + 8);
	h[0].name = "x-akamai-edgedb-auth-ref"; /* header names in any case */
	h[0].value = uuid;
	send(HTTP_PUT, "/api/v1/namespaces/default/groups/g/items/k", "10.9.9.9", h, 1, "v");
	assert_int_equal(res.status, 200);
	send(HTTP_GET, "/api/v1/namespaces/default/groups/g/items/k", "10.9.9.9", h, 1, NULL);
	assert_int_equal(res.status, 200);
	assert_int_equal(res.body.len, 1);
	assert_memory_equal(res.body.ptr, "v", 1);
	/* The same item through the management API. */
	send(HTTP_GET, "/edgekv/v1/networks/staging/namespaces/default/groups/g/items/k",
	     "127.0.0.1", NULL, 0, NULL);
	assert_int_equal(res.status, 200);
	/* An unknown reference is no token at all. */
	h[0].value = "00000000-0000-5000-8000-000000000000";
	send(HTTP_GET, "/api/v1/namespaces/default/groups/g/items/k", "127.0.0.1", h, 1, NULL);
	assert_int_equal(res.status, 401);
}

static void a_legacy_token_signs_once_and_the_key_is_released(void **state)
{
	struct api_header h[1];
	char *value, *end;
	const char *p;

	(void)state;
	send(HTTP_POST, "/edgekv/v1/tokens", "127.0.0.1", NULL, 0,
	     "{\"name\":\"l\",\"allowOnProduction\":true,\"allowOnStaging\":false,"
	     "\"expiry\":\"2030-04-01\",\"namespacePermissions\":{\"default\":[\"r\"]}}");
	assert_int_equal(res.status, 200);
	assert_non_null(api.jwt_key);
	p = strstr(body_text(), "\"value\":\"");
	assert_non_null(p);
	value = strdup(p + 9);
	end = strchr(value, '"');
	assert_non_null(end);
	*end = '\0';
	h[0].name = "X-Akamai-EdgeDB-Auth";
	h[0].value = value;
	/* Staging is the default network and this token is production-only. */
	send(HTTP_GET, "/api/v1/namespaces/default/groups/g/items/k", "127.0.0.1", h, 1, NULL);
	assert_int_equal(res.status, 403);
	api.config.data_plane_network = NETWORK_PRODUCTION;
	send(HTTP_GET, "/api/v1/namespaces/default/groups/g/items/k", "127.0.0.1", h, 1, NULL);
	assert_int_equal(res.status, 404);
	free(value);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST_FX("control routes answer loopback peers only",
	                control_routes_answer_loopback_peers_only),
	        TEST_FX("the data plane takes the account from the token",
	                data_plane_takes_the_account_from_the_token),
	        TEST_FX("a legacy token is signed with the lazily made key, released with the api",
	                a_legacy_token_signs_once_and_the_key_is_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

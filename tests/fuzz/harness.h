#ifndef EKV_TESTS_FUZZ_HARNESS_H
#define EKV_TESTS_FUZZ_HARNESS_H

/*
 * Shared by the fuzz targets that go through api_dispatch(): a ":memory:"
 * store holding one initialized account (with Standard TLS, so every body
 * parser is reachable), a few namespaces and items, reopened now and then so
 * that runs do not drift into a store where everything is FULL or deleted;
 * and the checks every response must pass, whatever the input.
 */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/dispatch/routes.h"
#include "api/edgekv/handlers.h"
#include "api/auth/caller.h"
#include "base/clock.h"
#include "storage/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define HARNESS_ACCOUNT "1-DEFAULT"
#define HARNESS_T0      1700000000000LL
#define HARNESS_RESET   2000 /* runs between fresh stores */
#define HARNESS_NS      "/edgekv/v1/networks/staging/namespaces"

static struct store_db *harness_db;
static struct api harness_api;
static unsigned harness_runs;

static inline void harness_request(enum http_method m, const char *target, const char *body,
                                   size_t len, const char *content_type, bool too_large,
                                   struct api_response *res)
{
	struct api_header headers[2] = {{"Content-Type", content_type ? content_type : ""},
	                                {"Accept", "application/json"}};
	struct api_request req = {0};

	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = content_type ? 2 : 1;
	req.body = body ? body : "";
	req.body_len = len;
	req.body_too_large = too_large;
	req.request_id = "0123456789abcdef";
	req.peer = "fuzz";
	api_response_init(res);
	api_dispatch(&harness_api, &req, res);
}

static inline bool is_json_type(const char *content_type)
{
	return strcmp(content_type, "application/json") == 0 ||
	       strcmp(content_type, "application/problem+json") == 0;
}

/* Does target name an item, whose GET replies with the stored bytes verbatim? */
static inline bool is_item_read(enum http_method m, const char *target)
{
	static struct route_params params;
	const struct route *route = NULL;
	size_t len = strcspn(target, "?");
	unsigned allow;

	return route_match(api_routes, api_route_count, m, target, len, &route, &params, &allow) ==
	               ROUTE_FOUND &&
	       route->handler == items_get;
}

/*
 * What holds for every response: a known status, never 500, problem bodies
 * that parse with their status inside, and JSON that parses except an item's
 * value, which is whatever was written.
 */
static inline void harness_check(enum http_method m, const char *target,
                                 const struct api_response *res)
{
	static const int known[] = {200, 201, 202, 204, 400, 403, 404, 405, 409, 413, 414, 422};
	bool ok = false;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok = ok || res->status == known[i];
	CHECK(ok);
	CHECK(res->header_count <= API_RESPONSE_HEADERS);
	if (res->status == 204)
		CHECK(res->body.len == 0 && res->content_type[0] == '\0');
	if (is_json_type(res->content_type) && !(res->status == 200 && is_item_read(m, target))) {
		cJSON *body = cJSON_ParseWithLength(res->body.ptr, res->body.len);

		CHECK(body != NULL);
		if (strcmp(res->content_type, "application/problem+json") == 0 &&
		    cJSON_GetObjectItemCaseSensitive(body, "errorCode")) {
			const cJSON *status = cJSON_GetObjectItemCaseSensitive(body, "status");

			CHECK(cJSON_IsNumber(status) && status->valueint == res->status);
		}
		cJSON_Delete(body);
	}
}

/* Runs one request that must succeed with want (setting up the store). */
static inline void harness_setup_request(enum http_method m, const char *target, const char *body,
                                         int want)
{
	struct api_response res;

	harness_request(m, target, body, body ? strlen(body) : 0, "application/json", false, &res);
	CHECK(res.status == want);
	api_response_release(&res);
}

static inline void harness_open(void)
{
	harness_db = store_db_open(":memory:", 3600000LL * 1000);
	CHECK(harness_db != NULL);
	harness_api.db = harness_db;
	harness_api.config.default_account = HARNESS_ACCOUNT;
	harness_api.config.max_body = 1024 * 1024;
	/* The fuzzers drive the handlers, not EdgeGrid (which has its own tests): auth off. */
	harness_api.config.auth_mode = AUTH_OFF;
	CHECK(world_account_ensure(&harness_api, HARNESS_ACCOUNT, true, true) == 0);
	harness_setup_request(HTTP_POST, HARNESS_NS,
	                      "{\"namespace\":\"fz\",\"retentionInSeconds\":86400}", 200);
	harness_setup_request(HTTP_POST, "/edgekv/v1/networks/production/namespaces",
	                      "{\"namespace\":\"fz\",\"retentionInSeconds\":0,"
	                      "\"geoLocation\":\"EU\",\"groupId\":\"4284\"}",
	                      200);
	harness_setup_request(HTTP_POST, HARNESS_NS,
	                      "{\"namespace\":\"gone\",\"retentionInSeconds\":0}", 200);
	harness_setup_request(HTTP_DELETE, HARNESS_NS "/gone", NULL, 202);
	harness_setup_request(HTTP_PUT, HARNESS_NS "/fz/groups/g/items/k", "{\"v\":1}", 200);
	harness_setup_request(HTTP_PUT, HARNESS_NS "/default/groups/g/items/k?sandboxId=sb", "x",
	                      200);
}

static inline void harness_init(void)
{
	api_init(&harness_api);
	clock_freeze(harness_api.clock, true);
	clock_set_ms(harness_api.clock, HARNESS_T0);
	harness_open();
}

/* Call at the start of each run. */
static inline void harness_next_run(void)
{
	if (++harness_runs % HARNESS_RESET == 0) {
		store_db_close(harness_db);
		clock_set_ms(harness_api.clock, HARNESS_T0);
		harness_open();
	}
}

#endif

/*
 * api_dispatch() end to end on a ":memory:" store with hand-built requests:
 * routing, validation, handlers and storage together, no sockets.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
#include "base/clock.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

#define ACCOUNT  "1-DEFAULT"
#define MAX_BODY ((size_t)1024 * 1024)
#define NEVER    (3600000LL * 1000)
#define T0       1700000000000LL
#define STG      "/edgekv/v1/networks/staging/namespaces"
#define PROD     "/edgekv/v1/networks/production/namespaces"
#define ITEM     STG "/default/groups/g1/items/k1"

static struct store_db *db;
static struct api api;

static int setup_with(bool initialized, bool standard_tls)
{
	db = store_db_open(":memory:", NEVER);
	if (!db)
		return -1;
	memset(&api, 0, sizeof(api));
	api_init(&api); /* fresh settings, faults and journal for every test */
	clock_freeze(api.clock, true);
	clock_set_ms(api.clock, T0);
	api.db = db;
	api.config.default_account = ACCOUNT;
	api.config.max_body = MAX_BODY;
	api.config.auth_mode =
	        AUTH_OFF; /* EdgeGrid has tests of its own: test_edgegrid.c, identity.test.mjs */
	return world_account_ensure(&api, ACCOUNT, initialized, standard_tls);
}

static int setup(void **state)
{
	(void)state;
	return setup_with(true, false);
}

static int setup_uninitialized(void **state)
{
	(void)state;
	return setup_with(false, false);
}

static int setup_standard_tls(void **state)
{
	(void)state;
	return setup_with(true, true);
}

static int teardown(void **state)
{
	(void)state;
	api_release(&api);
	store_db_close(db);
	db = NULL;
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}
#define TEST_UNINIT(sentence, fn)                                                                  \
	{                                                                                          \
		sentence, fn, setup_uninitialized, teardown, NULL                                  \
	}
#define TEST_TLS(sentence, fn)                                                                     \
	{                                                                                          \
		sentence, fn, setup_standard_tls, teardown, NULL                                   \
	}

/* The last response, valid until the next request. */
static struct api_response res;
static bool res_live;

static void request_full(enum http_method m, const char *target, const char *body, size_t len,
                         const char *content_type, bool too_large)
{
	struct api_header headers[2] = {{"Accept", "application/json"},
	                                {"Content-Type", content_type}};
	struct api_request req = {0};

	if (res_live)
		api_response_release(&res);
	api_response_init(&res);
	res_live = true;
	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = content_type ? 2 : 1;
	req.body = body;
	req.body_len = len;
	req.body_too_large = too_large;
	req.request_id = "a1b2c3d4e5f60718";
	req.peer = "127.0.0.1";
	api_dispatch(&api, &req, &res);
}

static void request(enum http_method m, const char *target, const char *body)
{
	request_full(m, target, body, body ? strlen(body) : 0, body ? "application/json" : NULL,
	             false);
}

static int release_response(void **state)
{
	(void)state;
	if (res_live)
		api_response_release(&res);
	res_live = false;
	return 0;
}

static const char *header(const char *name)
{
	for (size_t i = 0; i < res.header_count; i++)
		if (strcmp(res.headers[i].name, name) == 0)
			return res.headers[i].value;
	return NULL;
}

static const char *body_text(void)
{
	return res.body.ptr ? res.body.ptr : "";
}

/* The response is status with a JSON body that prints exactly as want. */
static void expect_json(int status, const char *want)
{
	cJSON *got = cJSON_ParseWithLength(body_text(), res.body.len);
	char *text;

	if (res.status != status)
		fail_msg("status %d, want %d: %s", res.status, status, body_text());
	assert_string_equal(res.content_type, "application/json;charset=utf-8");
	assert_non_null(got);
	text = cJSON_PrintUnformatted(got);
	assert_string_equal(text, want);
	free(text);
	cJSON_Delete(got);
}

/* The response is the problem with this status, errorCode and detail. */
static void expect_problem(int status, const char *code, const char *detail)
{
	cJSON *got = cJSON_ParseWithLength(body_text(), res.body.len);

	if (res.status != status)
		fail_msg("status %d, want %d: %s", res.status, status, body_text());
	assert_string_equal(res.content_type, "application/problem+json");
	assert_non_null(got);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(got, "errorCode")->valuestring, code);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(got, "detail")->valuestring, detail);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(got, "status")->valueint, status);
	assert_string_equal(
	        cJSON_GetObjectItemCaseSensitive(
	                cJSON_GetObjectItemCaseSensitive(got, "additionalDetail"), "requestId")
	                ->valuestring,
	        "a1b2c3d4e5f60718");
	cJSON_Delete(got);
}

static void expect_text(int status, const char *content_type, const char *text)
{
	if (res.status != status)
		fail_msg("status %d, want %d: %s", res.status, status, body_text());
	assert_string_equal(res.content_type, content_type);
	assert_string_equal(body_text(), text);
}

static void put_item(const char *target, const char *value, const char *content_type)
{
	request_full(HTTP_PUT, target, value, strlen(value), content_type, false);
	if (res.status != 200)
		fail_msg("put %s: %d %s", target, res.status, body_text());
}

static const char *cpcode(void)
{
	static char code[16];
	cJSON *got;

	request(HTTP_GET, "/edgekv/v1/initialize", NULL);
	got = cJSON_ParseWithLength(body_text(), res.body.len);
	assert_non_null(got);
	snprintf(code, sizeof(code), "%s",
	         cJSON_GetObjectItemCaseSensitive(got, "cpcode")->valuestring);
	cJSON_Delete(got);
	return code;
}

#define NS_MARKETING                                                                               \
	"{\"namespace\":\"marketing\",\"retentionInSeconds\":86400,\"geoLocation\":\"US\","        \
	"\"groupId\":0,\"dataAccessPolicy\":{\"restrictDataAccess\":true,"                         \
	"\"policyType\":\"inherited\"}}"

static void initialized_account_reports_its_status(void **state)
{
	char want[512];

	(void)state;
	snprintf(want, sizeof(want),
	         "{\"accountStatus\":\"INITIALIZED\",\"cpcode\":\"%s\",\"productionStatus\":"
	         "\"INITIALIZED\",\"stagingStatus\":\"INITIALIZED\",\"dataAccessPolicy\":{"
	         "\"restrictDataAccess\":true,\"allowNamespacePolicyOverride\":false}}",
	         cpcode());
	assert_int_equal(strlen(cpcode()), 7);
	request(HTTP_GET, "/edgekv/v1/initialize", NULL);
	expect_json(200, want);
	/* PUT once initialized: 201 and the same status (Go and Terraform accept only 201). */
	request(HTTP_PUT, "/edgekv/v1/initialize", NULL);
	expect_json(201, want);
}

static void uninitialized_account_initializes_once(void **state)
{
	static const char before[] =
	        "{\"accountStatus\":\"UNINITIALIZED\",\"cpcode\":null,\"productionStatus\":"
	        "\"UNINITIALIZED\",\"stagingStatus\":\"UNINITIALIZED\",\"dataAccessPolicy\":null}";

	(void)state;
	request(HTTP_GET, "/edgekv/v1/initialize", NULL);
	assert_int_equal(res.status, 404);
	assert_string_equal(res.content_type, "application/problem+json");
	assert_string_equal(body_text(), before);
	request(HTTP_GET, STG, NULL);
	expect_problem(404, "EKV_9000", "The EdgeKV database is not initialized.");
	request(HTTP_PUT, ITEM, "x");
	expect_problem(404, "EKV_9000", "The EdgeKV database is not initialized.");

	/* The CLI sends PUT /initialize with an empty JSON body (docs/clients.md §2). */
	request_full(HTTP_PUT, "/edgekv/v1/initialize", "", 0, "application/json", false);
	assert_int_equal(res.status, 201);
	request(HTTP_PUT, "/edgekv/v1/initialize", NULL);
	assert_int_equal(res.status, 201);
	request(HTTP_GET, STG, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"}]}");
	request(HTTP_GET, PROD "?details=on", NULL);
	expect_json(200,
	            "{\"namespaces\":[{\"namespace\":\"default\",\"retentionInSeconds\":15724800,"
	            "\"geoLocation\":\"US\",\"groupId\":0,\"dataAccessPolicy\":{"
	            "\"restrictDataAccess\":true,\"policyType\":\"inherited\"}}]}");
}

static void initialize_refuses_an_unrestricted_policy_without_standard_tls(void **state)
{
	(void)state;
	request(HTTP_PUT, "/edgekv/v1/initialize",
	        "{\"dataAccessPolicy\":{\"restrictDataAccess\":false,"
	        "\"allowNamespacePolicyOverride\":true}}");
	expect_problem(400, "EKV_1005",
	               "You cannot set `restrictDataAccess` to false. Your account entitlement "
	               "doesn't allow EdgeKV data access to Akamai's Standard TLS network.");
	request(HTTP_GET, "/edgekv/v1/initialize", NULL);
	assert_int_equal(res.status, 404);
}

static void auth_database_needs_standard_tls(void **state)
{
	(void)state;
	request(HTTP_PUT, "/edgekv/v1/auth/database",
	        "{\"dataAccessPolicy\":{\"restrictDataAccess\":false,"
	        "\"allowNamespacePolicyOverride\":true}}");
	expect_problem(403, "EKV_1005", "This feature requires the Standard TLS Support product.");
}

static void auth_database_sets_the_policy(void **state)
{
	(void)state;
	request(HTTP_PUT, "/edgekv/v1/auth/database",
	        "{\"dataAccessPolicy\":{\"restrictDataAccess\":false,"
	        "\"allowNamespacePolicyOverride\":true}}");
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_text(), "\"dataAccessPolicy\":{\"restrictDataAccess\":false,"
	                                    "\"allowNamespacePolicyOverride\":true}"));
	request(HTTP_PUT, "/edgekv/v1/auth/database", "{}");
	expect_problem(400, "EKV_2000",
	               "dataAccessPolicy must have the booleans restrictDataAccess and "
	               "allowNamespacePolicyOverride.");
	request(HTTP_PUT, "/edgekv/v1/auth/database",
	        "{\"dataAccessPolicy\":{\"restrictDataAccess\":false}}");
	assert_int_equal(res.status, 400);
}

static void namespace_create_get_list(void **state)
{
	(void)state;
	/* groupId as a string, as the CLI sends it. */
	request(HTTP_POST, STG,
	        "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400,\"groupId\":\"0\"}");
	expect_json(200, NS_MARKETING);
	request(HTTP_POST, STG, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	expect_json(200, NS_MARKETING);
	request(HTTP_GET, STG "/marketing", NULL);
	expect_json(200, NS_MARKETING);
	request(HTTP_GET, "/edgekv/v1/networks/STAGING/namespaces/marketing", NULL);
	expect_json(200, NS_MARKETING);
	request(HTTP_GET, PROD "/marketing", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_GET, STG, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"},{\"namespace\":"
	                 "\"marketing\"}]}");
	request(HTTP_GET, STG "?details=true", NULL);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_text(), NS_MARKETING));
	request(HTTP_GET, PROD, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"}]}");
}

static void namespace_create_refusals(void **state)
{
	(void)state;
	request(HTTP_POST, STG, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	assert_int_equal(res.status, 200);
	request(HTTP_POST, STG, "{\"namespace\":\"marketing\",\"retentionInSeconds\":0}");
	expect_problem(409, "EKV_3000",
	               "A namespace with the name marketing already exists with a different "
	               "configuration");
	request(HTTP_POST, STG, "{\"namespace\":\"ns2\"}");
	expect_problem(400, "EKV_2000", "Retention period must be specified.");
	request(HTTP_POST, STG, "{\"namespace\":\"ns2\",\"retentionInSeconds\":86399}");
	expect_problem(400, "EKV_2000",
	               "Retention period must be 0 or between 86400 and 315360000 seconds.");
	request(HTTP_POST, STG, "{\"namespace\":\"-ns\",\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_2000", "Name contains invalid characters.");
	request(HTTP_POST, STG, "{\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_2000", "Name contains invalid characters.");
	request(HTTP_POST, STG,
	        "{\"namespace\":\"ns2\",\"retentionInSeconds\":0,\"geoLocation\":\"EU\"}");
	expect_problem(400, "EKV_2000", "The staging network only supports US location.");
	request(HTTP_POST, PROD,
	        "{\"namespace\":\"ns2\",\"retentionInSeconds\":0,\"geoLocation\":\"MARS\"}");
	expect_problem(400, "EKV_2000",
	               "Specified geoLocation not supported. Please specify one of US, EU, JP, "
	               "GLOBAL");
	request(HTTP_POST, STG, "{\"namespace\":\"ns2\",\"retentionInSeconds\":0,\"groupId\":-1}");
	expect_problem(400, "EKV_2000", "groupId must be an integer of 0 or more.");
	request(HTTP_POST, "/edgekv/v1/networks/qa/namespaces",
	        "{\"namespace\":\"ns2\",\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_2000",
	               "Network 'qa' is not valid. Please specify one of staging, production.");
	/* Nothing was created by any of these. */
	request(HTTP_GET, STG, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"},{\"namespace\":"
	                 "\"marketing\"}]}");
	request(HTTP_GET, PROD, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"}]}");
}

static void namespace_limit_is_413(void **state)
{
	char body[128];

	(void)state;
	for (int i = 1; i < 20; i++) {
		snprintf(body, sizeof(body), "{\"namespace\":\"ns%02d\",\"retentionInSeconds\":0}",
		         i);
		request(HTTP_POST, PROD, body);
		assert_int_equal(res.status, 200);
	}
	request(HTTP_POST, PROD, "{\"namespace\":\"ns20\",\"retentionInSeconds\":0}");
	expect_problem(
	        413, "EKV_9000",
	        "Each account is allowed 20 namespaces. This limit has already been reached.");
	request(HTTP_POST, STG, "{\"namespace\":\"ns20\",\"retentionInSeconds\":0}");
	assert_int_equal(res.status, 200);
}

static void namespace_update(void **state)
{
	(void)state;
	request(HTTP_POST, STG, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	request(HTTP_PUT, STG "/marketing",
	        "{\"namespace\":\"marketing\",\"retentionInSeconds\":0}");
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_text(), "\"retentionInSeconds\":0,"));
	request(HTTP_PUT, STG "/marketing", "{\"namespace\":\"other\",\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_2000",
	               "The namespace in the request body must match the namespace in the path.");
	request(HTTP_PUT, STG "/marketing",
	        "{\"namespace\":\"marketing\",\"retentionInSeconds\":0,\"groupId\":7}");
	expect_problem(400, "EKV_3000",
	               "groupId changes must be made through the reauthorize endpoint.");
	request(HTTP_PUT, STG "/default", "{\"namespace\":\"default\",\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_2000",
	               "You cannot modify the retention period for the \"default\" namespace.");
	request(HTTP_PUT, STG "/nope", "{\"namespace\":\"nope\",\"retentionInSeconds\":0}");
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
}

static void namespace_delete_is_scheduled(void **state)
{
	char when[CLOCK_RFC3339_MAX], body[128];

	(void)state;
	request(HTTP_POST, STG, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	put_item(STG "/marketing/groups/g/items/k", "v", "text/plain");
	request(HTTP_DELETE, STG "/marketing", NULL);
	assert_int_equal(res.status, 202);
	assert_string_equal(
	        header("Location"),
	        "/edgekv/v1/networks/staging/namespaces/marketing/status/scheduled-delete");
	assert_non_null(header("Retry-After"));
	assert_true(strtoll(header("Retry-After"), NULL, 10) > 0);
	request(HTTP_GET, STG "/marketing/status/scheduled-delete", NULL);
	assert_int_equal(res.status, 200);
	assert_non_null(strstr(body_text(), "\"scheduledDeleteTime\":\""));

	/* Reschedule to one hour from now; then cancel. */
	clock_format_rfc3339(T0 + 3600000, false, when);
	snprintf(body, sizeof(body), "{\"scheduledDeleteTime\":\"%s\"}", when);
	request(HTTP_PUT, STG "/marketing/status/scheduled-delete", body);
	snprintf(body, sizeof(body), "{\"scheduledDeleteTime\":\"%s\"}", when);
	expect_json(200, body);
	assert_string_equal(header("Retry-After"), "3600");
	clock_format_rfc3339(T0 + 60000, false, when);
	snprintf(body, sizeof(body), "{\"scheduledDeleteTime\":\"%s\"}", when);
	request(HTTP_PUT, STG "/marketing/status/scheduled-delete", body);
	expect_problem(400, "EKV_2000",
	               "scheduledDeleteTime must be a date-time more than five minutes in the "
	               "future.");
	request(HTTP_DELETE, STG "/marketing/status/scheduled-delete", NULL);
	assert_int_equal(res.status, 204);
	assert_int_equal(res.body.len, 0);
	request(HTTP_GET, STG "/marketing/status/scheduled-delete", NULL);
	expect_problem(400, "EKV_1002",
	               "That resource does not exist or you are missing the "
	               "'DELETE_STAGING_NAMESPACE' permission for it.");

	/* Scheduled again, within five minutes it can no longer be cancelled; then it is gone. */
	request(HTTP_DELETE, STG "/marketing", NULL);
	assert_int_equal(res.status, 202);
	clock_format_rfc3339(T0 + 600000, false, when);
	snprintf(body, sizeof(body), "{\"scheduledDeleteTime\":\"%s\"}", when);
	request(HTTP_PUT, STG "/marketing/status/scheduled-delete", body);
	assert_int_equal(res.status, 200);
	clock_advance_ms(api.clock, 300000);
	request(HTTP_DELETE, STG "/marketing/status/scheduled-delete", NULL);
	expect_problem(400, "EKV_2000",
	               "You can't cancel a namespace delete scheduled to occur in five minutes or "
	               "less.");
	clock_advance_ms(api.clock, 300000);
	request(HTTP_GET, STG "/marketing", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_GET, STG "/marketing/groups/g/items/k", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
}

static void namespace_delete_sync(void **state)
{
	char want[256];

	(void)state;
	snprintf(want, sizeof(want),
	         "{\"operationPerformed\":\"DELETED\",\"description\":\"Namespace 'marketing' was "
	         "successfully deleted.\",\"id\":\"%s\"}",
	         cpcode());
	request(HTTP_POST, PROD, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	put_item(PROD "/marketing/groups/g/items/k", "v", "text/plain");
	request(HTTP_DELETE, PROD "/marketing?sync=true", NULL);
	expect_json(200, want);
	request(HTTP_GET, PROD "/marketing", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_DELETE, PROD "/marketing", NULL);
	expect_problem(400, "EKV_1002",
	               "That resource does not exist or you are missing the 'DELETE_NAMESPACE' "
	               "permission for it.");
	/* Created again, it starts empty. */
	request(HTTP_POST, PROD, "{\"namespace\":\"marketing\",\"retentionInSeconds\":86400}");
	assert_int_equal(res.status, 200);
	request(HTTP_GET, PROD "/marketing/groups", NULL);
	expect_problem(404, "EKV_9000", "There are no groups.");
}

static void item_put_get_delete(void **state)
{
	char want[256];

	(void)state;
	request_full(HTTP_PUT, ITEM, "hello", 5, "text/plain", false);
	expect_text(200, "text/plain;charset=utf-8",
	            "Item was upserted in database, namespace default, group g1, and key k1.");
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "text/plain", "hello");
	request(HTTP_HEAD, ITEM, NULL);
	assert_int_equal(res.status, 200);

	/* JSON values come back byte for byte with their content type. */
	put_item(ITEM, "{ \"b\" : [1, 2] }", "application/json");
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "application/json", "{ \"b\" : [1, 2] }");

	/* The CLI sends DELETE with a "" JSON body (docs/clients.md §2). */
	request(HTTP_DELETE, ITEM, "\"\"");
	snprintf(want, sizeof(want),
	         "Item was deleted in the KV store with database %s namespace default group g1 "
	         "key k1.",
	         cpcode());
	request(HTTP_DELETE, ITEM, "\"\"");
	expect_text(200, "text/plain", want);
	request(HTTP_GET, ITEM, "\"\"");
	expect_problem(404, "EKV_9000", "Item 'k1' or group 'g1' was not found in the database.");
}

static void item_values_keep_every_byte(void **state)
{
	static const char bytes[] = "a\0b\xff\r\n";

	(void)state;
	request_full(HTTP_PUT, ITEM, bytes, sizeof(bytes), "application/octet-stream", false);
	assert_int_equal(res.status, 200);
	request(HTTP_GET, ITEM, NULL);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, "application/octet-stream");
	assert_int_equal(res.body.len, sizeof(bytes));
	assert_memory_equal(res.body.ptr, bytes, sizeof(bytes));

	/* No Content-Type: text/plain. An empty value is a value. */
	request_full(HTTP_PUT, ITEM, "", 0, NULL, false);
	assert_int_equal(res.status, 200);
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "text/plain", "");
}

static void item_content_type_is_kept_whole(void **state)
{
	char ctype[STORE_CTYPE_MAX + 1];

	(void)state;
	memset(ctype, 'x', sizeof(ctype) - 1);
	ctype[sizeof(ctype) - 1] = '\0';
	memcpy(ctype, "text/", 5);
	put_item(ITEM, "value", ctype);
	request(HTTP_GET, ITEM, NULL);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.content_type, ctype);
	assert_int_equal(res.body.len, 5);
	assert_memory_equal(res.body.ptr, "value", 5);
}

static void item_list_and_groups(void **state)
{
	(void)state;
	request(HTTP_GET, STG "/default/groups", NULL);
	expect_problem(404, "EKV_9000", "There are no groups.");
	request(HTTP_GET, STG "/default/groups/g1", NULL);
	expect_problem(404, "EKV_9000", "The requested group is empty or not found.");
	put_item(STG "/default/groups/g1/items/b", "1", "text/plain");
	put_item(STG "/default/groups/g1/items/a", "2", "text/plain");
	put_item(STG "/default/groups/g2/items/c", "3", "text/plain");
	request(HTTP_GET, STG "/default/groups/g1", NULL);
	expect_json(200, "[\"a\",\"b\"]");
	request(HTTP_GET, STG "/default/groups/g1?maxItems=1", NULL);
	expect_json(200, "[\"a\"]");
	request(HTTP_GET, STG "/default/groups/g1?maxItems=0", NULL);
	expect_problem(400, "EKV_2000", "The value of query parameter 'maxItems' is not valid.");
	request(HTTP_GET, STG "/default/groups/g1?maxItems=x", NULL);
	expect_problem(400, "EKV_2000", "The value of query parameter 'maxItems' is not valid.");
	request(HTTP_GET, STG "/default/groups/g1?maxItems=", NULL);
	expect_problem(400, "EKV_2000", "The value of query parameter 'maxItems' is not valid.");
	request(HTTP_GET, STG "/default/groups", NULL);
	expect_json(200, "[\"g1\",\"g2\"]");
	request(HTTP_GET, PROD "/default/groups", NULL);
	expect_problem(404, "EKV_9000", "There are no groups.");
}

static void item_identifiers_are_checked(void **state)
{
	(void)state;
	request(HTTP_PUT, STG "/default/groups/g1/items/k.1", "v");
	expect_problem(400, "EKV_9000",
	               "Key must only use a string that matches A-Z a-z 0-9 _ or -..");
	request(HTTP_PUT, STG "/default/groups/g1/items/k%001", "v");
	expect_problem(400, "EKV_9000",
	               "Key must only use a string that matches A-Z a-z 0-9 _ or -..");
	request(HTTP_GET, STG "/default/groups/g%20/items/k1", NULL);
	expect_problem(400, "EKV_9000",
	               "Group must only use a string that matches A-Z a-z 0-9 _ or -..");
	request(HTTP_GET, STG "/default/groups/g%2F1", NULL);
	expect_problem(400, "EKV_9000",
	               "Group must only use a string that matches A-Z a-z 0-9 _ or -..");
	request(HTTP_GET, STG "/nope/groups/g1/items/k1", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_GET, STG "/-bad/groups/g1/items/k1", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	/* Percent-encoded valid names are the same names. */
	put_item(STG "/default/groups/g1/items/%6B1", "v", "text/plain");
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "text/plain", "v");
}

/* A %00 ends a C string early: "default%00x" must not reach namespace default. */
static void a_nul_in_network_or_namespace_names_nothing(void **state)
{
	(void)state;
	put_item(ITEM, "v", "text/plain");
	request(HTTP_GET, STG "/default%00x", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_GET, STG "/default%00/groups/g1/items/k1", NULL);
	expect_problem(400, "EKV_9000", "The requested namespace does not exist.");
	request(HTTP_DELETE, STG "/default%00x?sync=true", NULL);
	expect_problem(400, "EKV_1002",
	               "That resource does not exist or you are missing the "
	               "'DELETE_STAGING_NAMESPACE' permission for it.");
	request(HTTP_GET, "/edgekv/v1/networks/staging%00x/namespaces", NULL);
	expect_problem(
	        400, "EKV_2000",
	        "Network 'staging' is not valid. Please specify one of staging, production.");
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "text/plain", "v");
}

static void item_value_limit_is_in_characters(void **state)
{
	size_t n = 262144;
	char *big = malloc(2 * n + 2);

	(void)state;
	assert_non_null(big);
	put_item(ITEM, "old", "text/plain");
	memset(big, 'a', n + 1);
	request_full(HTTP_PUT, ITEM, big, n + 1, "text/plain", false);
	expect_problem(413, "EKV_9000", "Value cannot exceed 262144 characters.");
	request(HTTP_GET, ITEM, NULL);
	expect_text(200, "text/plain", "old");
	request_full(HTTP_PUT, ITEM, big, n, "text/plain", false);
	assert_int_equal(res.status, 200);
	/* 262144 two-byte characters are 524288 bytes and still fit. */
	for (size_t i = 0; i < n; i++) {
		big[2 * i] = '\xc3';
		big[2 * i + 1] = '\xa9';
	}
	request_full(HTTP_PUT, ITEM, big, 2 * n, "text/plain;charset=utf-8", false);
	assert_int_equal(res.status, 200);
	big[2 * n] = 'a';
	request_full(HTTP_PUT, ITEM, big, 2 * n + 1, "text/plain;charset=utf-8", false);
	expect_problem(413, "EKV_9000", "Value cannot exceed 262144 characters.");
	free(big);
}

static void bodies_over_the_server_limit(void **state)
{
	(void)state;
	request_full(HTTP_PUT, ITEM, "", 0, "text/plain", true);
	expect_problem(413, "EKV_9000", "Value cannot exceed 262144 characters.");
	request_full(HTTP_POST, STG, "", 0, "application/json", true);
	expect_problem(413, "EKV_9000", "The request body cannot exceed 1048576 bytes.");
	request(HTTP_GET, STG, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"}]}");
}

static void sandboxes_are_staging_only_and_separate(void **state)
{
	(void)state;
	put_item(ITEM "?sandboxId=sb1", "sandboxed", "text/plain");
	request(HTTP_GET, ITEM, NULL);
	assert_int_equal(res.status, 404);
	request(HTTP_GET, ITEM "?sandboxId=sb1", NULL);
	expect_text(200, "text/plain", "sandboxed");
	request(HTTP_GET, STG "/default/groups/g1?sandboxId=sb1", NULL);
	expect_json(200, "[\"k1\"]");
	request(HTTP_PUT, PROD "/default/groups/g1/items/k1?sandboxId=sb1", "v");
	expect_problem(400, "EKV_2000", "Sandbox is only supported on the staging network.");
	request(HTTP_PUT, ITEM "?sandboxId=a.b", "v");
	expect_problem(400, "EKV_2000",
	               "sandboxId must only use a string that matches A-Z a-z 0-9 _ or -.");
	/* Neither a %00 nor the buffer's end may cut a sandboxId into another, valid one. */
	request(HTTP_GET, ITEM "?sandboxId=sb1%00x", NULL);
	expect_problem(400, "EKV_2000",
	               "sandboxId must only use a string that matches A-Z a-z 0-9 _ or -.");
}

static void sandbox_ids_are_at_most_128_characters(void **state)
{
	char target[512];
	int n;

	(void)state;
	n = snprintf(target, sizeof(target), "%s?sandboxId=", ITEM);
	memset(target + n, 's', 128);
	target[n + 128] = '\0';
	put_item(target, "v", "text/plain");
	request(HTTP_GET, target, NULL);
	expect_text(200, "text/plain", "v");
	target[n + 128] = 's';
	target[n + 129] = '\0';
	request(HTTP_GET, target, NULL);
	expect_problem(400, "EKV_2000",
	               "sandboxId must only use a string that matches A-Z a-z 0-9 _ or -.");
}

static void retention_decides_when_an_item_stops_existing(void **state)
{
	(void)state;
	request(HTTP_POST, STG, "{\"namespace\":\"short\",\"retentionInSeconds\":86400}");
	assert_int_equal(res.status, 200);
	put_item(STG "/short/groups/g/items/k", "v", "text/plain");
	clock_advance_ms(api.clock, 86400000 - 1);
	request(HTTP_GET, STG "/short/groups/g/items/k", NULL);
	expect_text(200, "text/plain", "v");
	clock_advance_ms(api.clock, 1);
	request(HTTP_GET, STG "/short/groups/g/items/k", NULL);
	expect_problem(404, "EKV_9000", "Item 'k' or group 'g' was not found in the database.");
	request(HTTP_GET, STG "/short/groups/g", NULL);
	expect_problem(404, "EKV_9000", "The requested group is empty or not found.");
}

static void bad_json_bodies(void **state)
{
	(void)state;
	request(HTTP_POST, STG, "{");
	expect_problem(422, "EKV_2001",
	               "The JSON request body contained a syntax error or duplicate attributes.");
	request(HTTP_POST, STG,
	        "{\"namespace\":\"a\",\"namespace\":\"b\",\"retentionInSeconds\":0}");
	expect_problem(422, "EKV_2001",
	               "The JSON request body contained a syntax error or duplicate attributes.");
	request(HTTP_POST, STG, "[]");
	expect_problem(400, "EKV_2000", "The request body must be a JSON object.");
	request_full(HTTP_POST, STG, "", 0, "application/json", false);
	expect_problem(422, "EKV_2001",
	               "The JSON request body contained a syntax error or duplicate attributes.");
	request(HTTP_POST, STG, "{\"namespace\":\"a\",\"retentionInSeconds\":0,\"color\":\"red\"}");
	expect_problem(400, "EKV_2000", "Unrecognized field 'color'.");
	request(HTTP_POST, STG, "{\"namespace\":\"a\",\"retentionInSeconds\":\"1 day\"}");
	expect_problem(400, "EKV_2000",
	               "Retention period must be 0 or between 86400 and 315360000 seconds.");
	request(HTTP_PUT, "/edgekv/v1/initialize", "{\"dataAccessPolicy\":{");
	/* initialized already: 201 before the body is read */
	assert_int_equal(res.status, 201);
	request(HTTP_GET, STG, NULL);
	expect_json(200, "{\"namespaces\":[{\"namespace\":\"default\"}]}");
}

static void unknown_route_and_method(void **state)
{
	(void)state;
	request(HTTP_GET, "/edgekv/v1/nope", NULL);
	expect_problem(404, "EKV_9000", "The requested resource '/edgekv/v1/nope' was not found.");
	request(HTTP_GET, "/edgekv/v1/nope?x=1", NULL);
	expect_problem(404, "EKV_9000", "The requested resource '/edgekv/v1/nope' was not found.");
	request(HTTP_GET, "/edgekv/v1/initialize/", NULL);
	expect_problem(404, "EKV_9000",
	               "The requested resource '/edgekv/v1/initialize/' was not found.");
	request(HTTP_POST, "/edgekv/v1/initialize", "{}");
	expect_problem(405, "EKV_9000", "The POST method is not allowed for this resource.");
	assert_string_equal(header("Allow"), "GET, HEAD, PUT");
	request(HTTP_OTHER, ITEM, NULL);
	expect_problem(405, "EKV_9000", "The OTHER method is not allowed for this resource.");
	assert_string_equal(header("Allow"), "GET, HEAD, PUT, DELETE");
}

static void overlong_targets(void **state)
{
	size_t n = 5000;
	char *target = malloc(n + 1);

	(void)state;
	assert_non_null(target);
	memset(target, 'a', n);
	memcpy(target, "/edgekv/v1/", 11);
	target[n] = '\0';
	request(HTTP_GET, target, NULL);
	expect_problem(414, "EKV_9000", "The request URI is too long.");
	/* The detail of a 404 quotes at most 200 bytes of the path. */
	target[300] = '\0';
	request(HTTP_GET, target, NULL);
	assert_int_equal(res.status, 404);
	assert_non_null(strstr(body_text(), "aaaa' was not found."));
	assert_true(res.body.len < 600);
	/* A long query does not make the path too long. */
	memcpy(target, "/edgekv/v1/initialize?", 22);
	target[300] = 'a';
	request(HTTP_GET, target, NULL);
	assert_int_equal(res.status, 200);
	free(target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST_FX("an initialized account reports its status; PUT /initialize is then 201",
	                initialized_account_reports_its_status),
	        TEST_UNINIT(
	                "an uninitialized account is 404 until PUT /initialize, then always 201",
	                uninitialized_account_initializes_once),
	        TEST_UNINIT("initialize refuses an unrestricted policy without Standard TLS",
	                    initialize_refuses_an_unrestricted_policy_without_standard_tls),
	        TEST_FX("PUT /auth/database needs Standard TLS", auth_database_needs_standard_tls),
	        TEST_TLS("PUT /auth/database sets the policy and requires both booleans",
	                 auth_database_sets_the_policy),
	        TEST_FX("a namespace is created (200), read and listed", namespace_create_get_list),
	        TEST_FX("namespace create refusals carry the real texts and change nothing",
	                namespace_create_refusals),
	        TEST_FX("the 21st namespace of a network is 413", namespace_limit_is_413),
	        TEST_FX("namespace update changes only the retention", namespace_update),
	        TEST_FX("namespace delete is scheduled, rescheduled, cancelled, then happens",
	                namespace_delete_is_scheduled),
	        TEST_FX("namespace delete with sync=true deletes now", namespace_delete_sync),
	        TEST_FX("an item is put, read and deleted with the real messages",
	                item_put_get_delete),
	        TEST_FX("item values keep every byte", item_values_keep_every_byte),
	        TEST_FX("an item's content type of 256 characters comes back whole",
	                item_content_type_is_kept_whole),
	        TEST_FX("items and groups are listed; empty ones are 404", item_list_and_groups),
	        TEST_FX("keys, groups and namespaces in item paths are checked",
	                item_identifiers_are_checked),
	        TEST_FX("a %00 in a network or namespace name names nothing",
	                a_nul_in_network_or_namespace_names_nothing),
	        TEST_FX("an item value is limited to 262144 characters, not bytes",
	                item_value_limit_is_in_characters),
	        TEST_FX("bodies over the server limit are 413 and change nothing",
	                bodies_over_the_server_limit),
	        TEST_FX("sandboxes are staging only and separate",
	                sandboxes_are_staging_only_and_separate),
	        TEST_FX("sandbox ids are at most 128 characters",
	                sandbox_ids_are_at_most_128_characters),
	        TEST_FX("retention decides when an item stops existing",
	                retention_decides_when_an_item_stops_existing),
	        TEST_FX("bad JSON bodies get 422 or 400 and change nothing", bad_json_bodies),
	        TEST_FX("an unknown path is 404 and an unknown method 405 with Allow",
	                unknown_route_and_method),
	        TEST_FX("an overlong target is 414", overlong_targets),
	};
	int failed;

	failed = cmocka_run_group_tests(tests, NULL, release_response);
	return failed;
}

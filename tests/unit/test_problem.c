/*
 * The error catalogue (api/core/errors.def) and the problem+json builders (api/core/problem.c),
 * compared with tests/unit/golden/problems.json (one EdgeKV body per EKV_ERROR row, the
 * instance masked) and tests/unit/golden/gateway.json (one API gateway body per
 * GATEWAY_ERROR row, the requestTime masked).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"
#include "api/core/problem.h"
#include "tests/unit/unit.h"

#define REQUEST_ID      "0123456789abcdef"
#define INSTANCE_PREFIX "/edgekv/error-instances/"
#define INSTANCE_MASK   INSTANCE_PREFIX "<uuid>"

static const char *const names[] = {
#define EKV_ERROR(name, status, code, type, detail) #name,
#include "api/core/errors.def"
#undef EKV_ERROR
};

static const char *const gateway_names[] = {
#define GATEWAY_ERROR(name, status, kind, title, detail) #name,
#include "api/core/errors.def"
#undef GATEWAY_ERROR
};

static cJSON *golden, *gateway_golden;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		text = calloc(1, (size_t)len + 1);
		if (text && fread(text, 1, (size_t)len, f) != (size_t)len) {
			free(text);
			text = NULL;
		}
	}
	fclose(f);
	return text;
}

static cJSON *load_json(const char *path)
{
	char *text = slurp(path);
	cJSON *json;

	if (!text) {
		fprintf(stderr, "cannot read %s (run from the repo)\n", path);
		return NULL;
	}
	json = cJSON_Parse(text);
	free(text);
	return json;
}

static int load_golden(void **state)
{
	(void)state;
	golden = load_json("tests/unit/golden/problems.json");
	gateway_golden = load_json("tests/unit/golden/gateway.json");
	return golden && gateway_golden ? 0 : -1;
}

static int free_golden(void **state)
{
	(void)state;
	cJSON_Delete(golden);
	cJSON_Delete(gateway_golden);
	return 0;
}

/* A call with only what reply_problem reads: the request id and the response. */
struct fake {
	struct api_request req;
	struct api_response res;
	struct api_call c;
};

static void fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->req.request_id = REQUEST_ID;
	f->req.target = "/";
	api_response_init(&f->res);
	f->c.req = &f->req;
	f->c.res = &f->res;
}

static int is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
}

/* "<prefix><uuid v4, lowercase>" */
static void assert_instance(const char *s)
{
	const char *u = s + strlen(INSTANCE_PREFIX);

	/* /edgeKV/: the Known issues page's sandbox body (api/core/errors.def
	 * SANDBOX_NOT_SUPPORTED). */
	assert_true(strncmp(s, INSTANCE_PREFIX, strlen(INSTANCE_PREFIX)) == 0 ||
	            strncmp(s, "/edgeKV/error-instances/", strlen(INSTANCE_PREFIX)) == 0);
	assert_int_equal(strlen(u), 36);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_true(is_hex(u[i]));
	}
	assert_int_equal(u[14], '4');
	assert_non_null(strchr("89ab", u[19]));
}

/* Parses the body, checks and masks its instance; caller frees with cJSON_Delete. */
static cJSON *parse_problem(const struct api_response *res)
{
	cJSON *body, *instance;

	assert_string_equal(res->content_type, "application/problem+json");
	body = cJSON_ParseWithLength(res->body.ptr, res->body.len);
	assert_non_null(body);
	instance = cJSON_GetObjectItemCaseSensitive(body, "instance");
	assert_true(cJSON_IsString(instance));
	assert_instance(instance->valuestring);
	cJSON_ReplaceItemInObjectCaseSensitive(
	        body, "instance",
	        cJSON_CreateString(strncmp(instance->valuestring, "/edgeKV/", 8) == 0
	                                   ? "/edgeKV/error-instances/<uuid>"
	                                   : INSTANCE_MASK));
	return body;
}

/* The kind of type each status goes with (docs/behaviour.md §2.1; 405 and 414 are the emulator's).
 */
static const char *kind_of(int status)
{
	switch (status) {
	case 400:
		return "bad-request";
	case 401:
		return "unauthorized";
	case 403:
		return "forbidden";
	case 404:
	case 410:
		return "not-found";
	case 405:
		return "method-not-allowed";
	case 409:
		return "conflict";
	case 413:
		return "payload-too-large";
	case 414:
		return "uri-too-long";
	case 422:
		return "unprocessable-entity";
	case 429:
		return "too-many-requests";
	case 500:
	case 503: /* EKV_0000 as the 503 in the initialize test of the Go client */
		return "internal-server-error";
	case 507: /* the emulator's full disk */
		return "insufficient-storage";
	default:
		return "?";
	}
}

/* Same members, same order, same values. */
static void assert_same_json(const char *name, const cJSON *got, const cJSON *want)
{
	char *got_text = cJSON_PrintUnformatted(got), *want_text = cJSON_PrintUnformatted(want);

	if (strcmp(got_text, want_text) != 0)
		fail_msg("%s:\n got  %s\n want %s", name, got_text, want_text);
	free(got_text);
	free(want_text);
}

static void every_row_has_a_consistent_status_code_and_kind(void **state)
{
	(void)state;
	assert_int_equal(sizeof(names) / sizeof(names[0]), EKV_ERROR_COUNT);
	for (int e = 0; e < EKV_ERROR_COUNT; e++) {
		const struct ekv_error_row *row = problem_row((enum ekv_error)e);

		/* The Known issues page's sandbox body has "type": "" (api/core/errors.def). */
		assert_string_equal(row->type,
		                    e == EKV_SANDBOX_NOT_SUPPORTED ? "" : kind_of(row->status));
		assert_int_equal(strlen(row->code), 8);
		assert_int_equal(strncmp(row->code, "EKV_", 4), 0);
		for (int i = 4; i < 8; i++)
			assert_true(row->code[i] >= '0' && row->code[i] <= '9');
		assert_true(row->detail[0] != '\0');
	}
}

static void every_row_writes_its_golden_body(void **state)
{
	(void)state;
	for (int e = 0; e < EKV_ERROR_COUNT; e++) {
		const struct ekv_error_row *row = problem_row((enum ekv_error)e);
		const cJSON *want = cJSON_GetObjectItemCaseSensitive(golden, names[e]);
		struct fake f;
		cJSON *got;

		if (!want)
			fail_msg("tests/unit/golden/problems.json has no body for %s", names[e]);
		fake_init(&f);
		reply_problem(&f.c, (enum ekv_error)e, "ARG1", "ARG2");
		assert_int_equal(f.res.status, row->status);
		got = parse_problem(&f.res);
		assert_same_json(names[e], got, want);
		cJSON_Delete(got);
		api_response_release(&f.res);
	}
}

static void golden_holds_no_row_the_catalogue_lacks(void **state)
{
	(void)state;
	assert_int_equal(cJSON_GetArraySize(golden), EKV_ERROR_COUNT);
	for (const cJSON *g = golden->child; g; g = g->next) {
		int e = 0;

		while (e < EKV_ERROR_COUNT && strcmp(names[e], g->string) != 0)
			e++;
		if (e == EKV_ERROR_COUNT)
			fail_msg("golden body %s has no catalogue row", g->string);
	}
}

static void body_has_every_member_of_the_error_schema(void **state)
{
	struct fake f;
	cJSON *body, *more;

	(void)state;
	fake_init(&f);
	f.req.request_id = "f60f61cda34a0657";
	reply_problem(&f.c, EKV_INTERNAL);
	body = parse_problem(&f.res);
	assert_int_equal(cJSON_GetArraySize(body), 7);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "type")->valuestring,
	                    "/edgekv/error-types/edgekv-internal-server-error");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "title")->valuestring,
	                    "Internal Server Error");
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(body, "status")->valueint, 500);
	assert_true(cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(body, "status")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "detail")->valuestring,
	                    "An internal error occurred.");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "errorCode")->valuestring,
	                    "EKV_0000");
	more = cJSON_GetObjectItemCaseSensitive(body, "additionalDetail");
	assert_true(cJSON_IsObject(more));
	assert_int_equal(cJSON_GetArraySize(more), 1);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(more, "requestId")->valuestring,
	                    "f60f61cda34a0657");
	cJSON_Delete(body);
	api_response_release(&f.res);
}

static void each_problem_has_a_new_instance(void **state)
{
	char first[80];
	struct fake f;
	cJSON *body;

	(void)state;
	fake_init(&f);
	reply_problem(&f.c, EKV_NO_GROUPS);
	body = cJSON_ParseWithLength(f.res.body.ptr, f.res.body.len);
	snprintf(first, sizeof(first), "%s",
	         cJSON_GetObjectItemCaseSensitive(body, "instance")->valuestring);
	cJSON_Delete(body);
	reply_problem(&f.c, EKV_NO_GROUPS); /* replaces the body */
	body = cJSON_ParseWithLength(f.res.body.ptr, f.res.body.len);
	assert_non_null(body);
	assert_instance(first);
	assert_string_not_equal(cJSON_GetObjectItemCaseSensitive(body, "instance")->valuestring,
	                        first);
	cJSON_Delete(body);
	api_response_release(&f.res);
}

static void detail_interpolates_strings_verbatim(void **state)
{
	struct fake f;
	cJSON *body;

	(void)state;
	fake_init(&f);
	reply_problem(&f.c, EKV_ITEM_NOT_FOUND, "item1", "group1");
	body = parse_problem(&f.res);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "detail")->valuestring,
	                    "Item 'item1' or group 'group1' was not found in the database.");
	cJSON_Delete(body);

	/* Arguments are data: a % or a quote in them stays as it is, escaped by JSON. */
	reply_problem(&f.c, EKV_NAMESPACE_EXISTS, "m%sr\"k");
	body = parse_problem(&f.res);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "detail")->valuestring,
	                    "A namespace with the name m%sr\"k already exists with a different "
	                    "configuration");
	cJSON_Delete(body);

	/* A NULL argument reads as "". */
	reply_problem(&f.c, EKV_FIELD_UNKNOWN, (const char *)NULL);
	body = parse_problem(&f.res);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "detail")->valuestring,
	                    "Unrecognized field ''.");
	cJSON_Delete(body);
	api_response_release(&f.res);
}

/* A signed request as the gateway sees it, with every member reply_gateway reads set. */
static void gateway_fake_init(struct fake *f)
{
	static const struct api_header headers[] = {
	        {"Host", "akab-emulator.luna.akamaiapis.net:8443"},
	};

	fake_init(f);
	f->req.method = HTTP_DELETE;
	f->req.target = "/edgekv/v1/tokens/t1?accountSwitchKey=1-A";
	f->req.headers = headers;
	f->req.header_count = 1;
	f->req.peer = "192.0.2.7";
	f->req.tls = true;
}

/* "YYYY-MM-DDTHH:MM:SSZ", as the gateway writes requestTime. */
static void assert_request_time(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	assert_int_equal(strlen(s), strlen(shape));
	for (size_t i = 0; i < strlen(shape); i++) {
		if (shape[i] == 'd')
			assert_true(s[i] >= '0' && s[i] <= '9');
		else
			assert_int_equal(s[i], shape[i]);
	}
}

static void every_gateway_row_writes_its_golden_body(void **state)
{
	(void)state;
	assert_int_equal(sizeof(gateway_names) / sizeof(gateway_names[0]), GW_ERROR_COUNT);
	assert_int_equal(cJSON_GetArraySize(gateway_golden), GW_ERROR_COUNT);
	for (int e = 0; e < GW_ERROR_COUNT; e++) {
		const cJSON *want =
		        cJSON_GetObjectItemCaseSensitive(gateway_golden, gateway_names[e]);
		const cJSON *when;
		struct fake f;
		cJSON *got;

		if (!want)
			fail_msg("tests/unit/golden/gateway.json has no body for %s",
			         gateway_names[e]);
		gateway_fake_init(&f);
		reply_gateway(&f.c, (enum gateway_error)e);
		assert_int_equal(f.res.status,
		                 cJSON_GetObjectItemCaseSensitive(want, "status")->valueint);
		assert_string_equal(f.res.content_type, "application/problem+json");
		got = cJSON_ParseWithLength(f.res.body.ptr, f.res.body.len);
		assert_non_null(got);
		when = cJSON_GetObjectItemCaseSensitive(got, "requestTime");
		assert_true(cJSON_IsString(when));
		assert_request_time(when->valuestring);
		cJSON_ReplaceItemInObjectCaseSensitive(got, "requestTime",
		                                       cJSON_CreateString("<time>"));
		assert_same_json(gateway_names[e], got, want);
		cJSON_Delete(got);
		api_response_release(&f.res);
	}
}

static void gateway_body_without_host_or_peer_keeps_every_member(void **state)
{
	struct fake f;
	cJSON *body;

	(void)state;
	fake_init(
	        &f); /* plain HTTP, no Host header (HTTP/1.0), no peer: a request built in memory */
	f.req.method = HTTP_GET;
	f.req.target = "/edgekv/v1/initialize";
	reply_gateway(&f.c, GW_BAD_SIGNATURE);
	body = cJSON_ParseWithLength(f.res.body.ptr, f.res.body.len);
	assert_non_null(body);
	assert_int_equal(cJSON_GetArraySize(body), 10);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "instance")->valuestring,
	                    "http:///edgekv/v1/initialize");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "method")->valuestring, "GET");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "serverIp")->valuestring, "");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(body, "clientIp")->valuestring, "");
	cJSON_Delete(body);
	api_response_release(&f.res);
}

static void status_titles_follow_the_spec(void **state)
{
	static const struct {
		int status;
		const char *title;
	} want[] = {
	        {400, "Bad Request"},
	        {401, "Unauthorized"},
	        {403, "Forbidden"},
	        {404, "Not Found"},
	        {405, "Method Not Allowed"},
	        {409, "Conflict"},
	        {410, "Not Found"}, /* sic: example token-410 of the 2023 spec */
	        {413, "Payload Too Large"},
	        {414, "URI Too Long"},
	        {422, "Unprocessable Entity"},
	        {429, "Too Many Requests"},
	        {500, "Internal Server Error"},
	        {501, "Not Implemented"},
	        {503, "Service Unavailable Error"}, /* sic: the initialize test of the Go client */
	        {504, "Gateway Timeout"},
	        {599, "Internal Server Error"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(status_title(want[i].status), want[i].title);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("every catalogue row has a status, an EKV_#### code and the kind of its "
	             "status",
	             every_row_has_a_consistent_status_code_and_kind),
	        TEST("every catalogue row writes its golden problem+json body",
	             every_row_writes_its_golden_body),
	        TEST("the golden file holds no row the catalogue lacks",
	             golden_holds_no_row_the_catalogue_lacks),
	        TEST("a problem body has exactly the members of error.yaml",
	             body_has_every_member_of_the_error_schema),
	        TEST("each problem gets a new uuid v4 instance", each_problem_has_a_new_instance),
	        TEST("%s in a detail takes the arguments verbatim",
	             detail_interpolates_strings_verbatim),
	        TEST("titles come from the status, 410 being Not Found",
	             status_titles_follow_the_spec),
	        TEST("every gateway row writes its golden gateway body",
	             every_gateway_row_writes_its_golden_body),
	        TEST("a gateway body keeps every member without a Host header or a peer",
	             gateway_body_without_host_or_peer_keeps_every_member),
	};

	return cmocka_run_group_tests(tests, load_golden, free_golden);
}

/* The route table and the pure router (api/dispatch/routes.c): docs/behaviour.md §3. */
#include <stdio.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/dataplane/handlers.h"
#include "api/dispatch/routes.h"
#include "api/edgekv/handlers.h"
#include "api/core/router.h"
#include "tests/unit/unit.h"

#define NS "/edgekv/v1/networks/staging/namespaces/ns1"

struct result {
	enum route_result r;
	const struct route *route;
	struct route_params params;
	unsigned allow;
};

static struct result *run(enum http_method m, const char *path, size_t len)
{
	static struct result res;

	memset(&res, 0, sizeof(res));
	res.r = route_match(api_routes, api_route_count, m, path, len, &res.route, &res.params,
	                    &res.allow);
	return &res;
}

static struct result *find(enum http_method m, const char *path)
{
	return run(m, path, strlen(path));
}

static unsigned mask(enum http_method a, enum http_method b, enum http_method c, enum http_method d)
{
	return 1u << a | 1u << b | 1u << c | 1u << d;
}

/* Turns a pattern into a path, each {name} becoming "v-name". */
static void concrete(const char *pattern, char *out, size_t size)
{
	size_t n = 0;

	for (const char *p = pattern; *p && n + 1 < size; p++) {
		if (*p == '{') {
			out[n++] = 'v';
			out[n++] = '-';
			continue;
		}
		if (*p != '}')
			out[n++] = *p;
	}
	out[n] = '\0';
}

static void every_row_matches_its_pattern(void **state)
{
	(void)state;
	for (size_t i = 0; i < api_route_count; i++) {
		const struct route *row = &api_routes[i];
		char path[ROUTE_PATH_MAX];
		size_t captures = 0;
		struct result *res;

		concrete(row->pattern, path, sizeof(path));
		res = find(row->method, path);
		assert_int_equal(res->r, ROUTE_FOUND);
		assert_ptr_equal(res->route, row);
		for (const char *p = row->pattern; (p = strchr(p, '{')) != NULL; p++) {
			const char *end = strchr(p, '}');
			char name[32], want[40];

			assert_non_null(end);
			snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
			snprintf(want, sizeof(want), "v-%s", name);
			assert_string_equal(route_param(&res->params, name), want);
			captures++;
		}
		assert_int_equal(res->params.count, captures);
	}
}

#define DP "/api/v1/namespaces/ns1/groups/g1/items/k1"

/*
 * The management API surface of docs/behaviour.md §3 (rows 1-24) and the data plane
 * (docs/behaviour.md §6), in the table's order, each row with its flags and the capability it
 * needs; every
 * /_emulator row, and only those, is a control route.
 */
static void the_table_is_the_api_surface(void **state)
{
	static const struct {
		enum http_method m;
		unsigned flags;
		const char *path;
		api_handler_fn *handler;
		enum capability cap;
	} want[] = {
	        {HTTP_GET, 0, "/edgekv/v1/initialize", initialize_get, CAP_NONE},
	        {HTTP_PUT, ROUTE_ISSUE_FAILS_ONCE, "/edgekv/v1/initialize", initialize_put,
	         CAP_NONE},
	        {HTTP_PUT, ROUTE_NEEDS_INIT, "/edgekv/v1/auth/database", auth_database_put,
	         CAP_NONE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, "/edgekv/v1/auth/groups", auth_groups_list, CAP_NONE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, "/edgekv/v1/auth/groups/4284", auth_groups_get,
	         CAP_NONE},
	        {HTTP_PUT, ROUTE_NEEDS_INIT, "/edgekv/v1/auth/namespaces/marketing",
	         auth_namespaces_put, CAP_AUTHORIZE_NAMESPACE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, "/edgekv/v1/networks/production/namespaces",
	         namespaces_list, CAP_VIEW_NAMESPACE},
	        {HTTP_POST, ROUTE_NEEDS_INIT | ROUTE_ISSUE_TIMES_OUT,
	         "/edgekv/v1/networks/production/namespaces", namespaces_create,
	         CAP_CREATE_NAMESPACE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS, namespaces_get, CAP_VIEW_NAMESPACE},
	        {HTTP_PUT, ROUTE_NEEDS_INIT, NS, namespaces_update, CAP_MODIFY_NAMESPACE},
	        {HTTP_DELETE, ROUTE_NEEDS_INIT, NS, namespaces_delete, CAP_DELETE_NAMESPACE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/status/scheduled-delete",
	         namespaces_delete_status, CAP_DELETE_NAMESPACE},
	        {HTTP_PUT, ROUTE_NEEDS_INIT, NS "/status/scheduled-delete",
	         namespaces_delete_reschedule, CAP_DELETE_NAMESPACE},
	        {HTTP_DELETE, ROUTE_NEEDS_INIT, NS "/status/scheduled-delete",
	         namespaces_delete_cancel, CAP_DELETE_NAMESPACE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/groups", groups_list, CAP_READ_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/groups/g1", items_list, CAP_READ_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/groups/g1/items/k1", items_get, CAP_READ_DATA},
	        {HTTP_PUT, ROUTE_NEEDS_INIT | ROUTE_VALUE_BODY | ROUTE_BATCH,
	         NS "/groups/g1/items/k1", items_put, CAP_WRITE_DATA},
	        {HTTP_DELETE, ROUTE_NEEDS_INIT | ROUTE_BATCH, NS "/groups/g1/items/k1",
	         items_delete, CAP_DELETE_DATA},
	        /* Rows 20-24: access tokens; their permissions are checked in api/edgekv/tokens.c.
	         */
	        {HTTP_POST, ROUTE_NEEDS_INIT, "/edgekv/v1/tokens", tokens_create, CAP_NONE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, "/edgekv/v1/tokens", tokens_list, CAP_NONE},
	        {HTTP_GET, ROUTE_NEEDS_INIT, "/edgekv/v1/tokens/t1", tokens_get, CAP_NONE},
	        {HTTP_DELETE, ROUTE_NEEDS_INIT, "/edgekv/v1/tokens/t1", tokens_revoke, CAP_NONE},
	        {HTTP_POST, ROUTE_NEEDS_INIT, "/edgekv/v1/tokens/t1/refresh", tokens_refresh,
	         CAP_NONE},
	        /* Bulk data (the newest endpoints: the API summary, Akamai's PowerShell module). */
	        {HTTP_POST, ROUTE_NEEDS_INIT | ROUTE_SPOOL_BODY, NS "/upload", bulk_upload,
	         CAP_WRITE_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/upload", bulk_jobs_list, CAP_WRITE_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/jobs/j1", bulk_jobs_get, CAP_WRITE_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/download", bulk_download, CAP_READ_DATA},
	        {HTTP_GET, ROUTE_NEEDS_INIT, NS "/groups/g1/download", bulk_download,
	         CAP_READ_DATA},
	        /* The EdgeWorkers API's group list (the CLI's list auth-groups -incewg). */
	        {HTTP_GET, ROUTE_EDGEWORKERS, "/edgeworkers/v1/groups", edgeworkers_groups_list,
	         CAP_NONE},
	        {HTTP_GET, ROUTE_EDGEWORKERS, "/edgeworkers/v1/groups/grp_1",
	         edgeworkers_groups_get, CAP_NONE},
	        /* The data plane (docs/behaviour.md §6): the token, not EdgeGrid, decides. */
	        {HTTP_GET, ROUTE_DATA_PLANE | ROUTE_NEEDS_INIT, DP, dataplane_get, CAP_NONE},
	        {HTTP_PUT, ROUTE_DATA_PLANE | ROUTE_NEEDS_INIT | ROUTE_VALUE_BODY | ROUTE_BATCH, DP,
	         dataplane_put, CAP_NONE},
	        {HTTP_DELETE, ROUTE_DATA_PLANE | ROUTE_NEEDS_INIT | ROUTE_BATCH, DP,
	         dataplane_delete, CAP_NONE},
	};
	size_t management = 0, last = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct result *res = find(want[i].m, want[i].path);
		size_t row;

		assert_int_equal(res->r, ROUTE_FOUND);
		row = (size_t)(res->route - api_routes);
		assert_true(i == 0 || row > last); /* in the table's order */
		last = row;
		assert_ptr_equal(res->route->handler, want[i].handler);
		assert_int_equal(res->route->flags, want[i].flags);
		assert_int_equal(res->route->cap, want[i].cap);
	}
	for (size_t i = 0; i < api_route_count; i++) {
		bool control = strncmp(api_routes[i].pattern, "/_emulator/", 11) == 0;

		management += strncmp(api_routes[i].pattern, "/edgekv/v1/", 11) == 0 ||
		              strncmp(api_routes[i].pattern, "/edgeworkers/v1/", 16) == 0 ||
		              strncmp(api_routes[i].pattern, "/api/v1/", 8) == 0;
		assert_int_equal((api_routes[i].flags & ROUTE_CONTROL) != 0, control);
		/* api_spools_body() routes POSTs only. */
		if (api_routes[i].flags & ROUTE_SPOOL_BODY)
			assert_int_equal(api_routes[i].method, HTTP_POST);
	}
	assert_int_equal(management, sizeof(want) / sizeof(want[0]));
}

static void item_route_captures_every_parameter(void **state)
{
	struct result *res = find(HTTP_GET, "/edgekv/v1/networks/PRODUCTION/namespaces/marketing"
	                                    "/groups/countries/items/US");

	(void)state;
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_int_equal(res->params.count, 4);
	assert_string_equal(route_param(&res->params, "network"), "PRODUCTION");
	assert_string_equal(route_param(&res->params, "namespace"), "marketing");
	assert_string_equal(route_param(&res->params, "group"), "countries");
	assert_string_equal(route_param(&res->params, "item"), "US");
	assert_int_equal(res->params.value_len[3], 2);
	assert_null(route_param(&res->params, "token"));
	assert_null(route_param(&res->params, "it"));
}

static void unknown_path_is_no_path(void **state)
{
	static const char *const paths[] = {
	        "",
	        "/",
	        "/edgekv",
	        "/edgekv/v1",
	        "/edgekv/v1/",
	        "/edgekv/v2/initialize",
	        "/edgekv/v1/Initialize",
	        "/edgekv/v1/initialize/x",
	        "/edgekv/v1/tokens/t1/x",
	        "/api/v1/namespaces/ns1/groups/g1",
	        "/_emulator",
	        "/edgekv/v1/auth",
	        "/edgekv/v1/networks/staging",
	        "/edgekv/v1/networks/staging/namespaces/ns1/groups/g1/items",
	        "/edgekv/v1/networks/staging/namespaces/ns1/groups/g1/items/k1/x",
	        "edgekv/v1/initialize",
	        "//edgekv/v1/initialize",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct result *res = find(HTTP_GET, paths[i]);

		assert_int_equal(res->r, ROUTE_NO_PATH);
		assert_int_equal(res->allow, 0);
	}
}

static void known_path_with_another_method_is_no_method_with_allow(void **state)
{
	struct result *res;

	(void)state;
	res = find(HTTP_DELETE, "/edgekv/v1/initialize");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_PUT, HTTP_PUT));

	res = find(HTTP_GET, "/edgekv/v1/auth/database");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, 1u << HTTP_PUT);

	res = find(HTTP_PATCH, "/edgekv/v1/networks/staging/namespaces");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_POST));

	res = find(HTTP_POST, NS);
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_PUT, HTTP_DELETE));

	res = find(HTTP_POST, NS "/status/scheduled-delete");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_PUT, HTTP_DELETE));

	res = find(HTTP_DELETE, NS "/groups/g1");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_GET, HTTP_GET));

	res = find(HTTP_OPTIONS, NS "/groups/g1/items/k1");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_PUT, HTTP_DELETE));

	res = find(HTTP_OTHER, NS "/groups");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, mask(HTTP_GET, HTTP_HEAD, HTTP_GET, HTTP_GET));
}

static void head_routes_as_get(void **state)
{
	struct result *res;

	(void)state;
	res = find(HTTP_HEAD, NS "/groups/g1/items/k1");
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_ptr_equal(res->route->handler, items_get);
	assert_int_equal(res->route->method, HTTP_GET);

	res = find(HTTP_HEAD, "/edgekv/v1/initialize");
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_ptr_equal(res->route->handler, initialize_get);

	/* A path without GET has no HEAD either. */
	res = find(HTTP_HEAD, "/edgekv/v1/auth/database");
	assert_int_equal(res->r, ROUTE_NO_METHOD);
	assert_int_equal(res->allow, 1u << HTTP_PUT);
}

static void captures_are_percent_decoded(void **state)
{
	struct result *res;

	(void)state;
	res = find(HTTP_GET, "/edgekv/v1/networks/st%61ging/namespaces/a%2Fb/groups/%41%62"
	                     "/items/x%20y%2");
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_string_equal(route_param(&res->params, "network"), "staging");
	/* %2F decodes inside the segment: it never splits the path. */
	assert_string_equal(route_param(&res->params, "namespace"), "a/b");
	assert_string_equal(route_param(&res->params, "group"), "Ab");
	/* A truncated escape stays as it is. */
	assert_string_equal(route_param(&res->params, "item"), "x y%2");

	res = find(HTTP_GET, NS "/groups/%zz%/items/%e2%82%AC");
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_string_equal(route_param(&res->params, "group"), "%zz%");
	assert_string_equal(route_param(&res->params, "item"), "\xe2\x82\xac");
	assert_int_equal(res->params.value_len[3], 3);
}

static void percent_00_keeps_its_length(void **state)
{
	struct result *res = find(HTTP_GET, NS "/groups/a%00b/items/%00");

	(void)state;
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_int_equal(res->params.value_len[2], 3);
	assert_memory_equal(res->params.value[2], "a\0b", 4);
	assert_int_equal(res->params.value_len[3], 1);
	assert_int_equal(res->params.value[3][0], '\0');
	assert_int_equal(strlen(route_param(&res->params, "group")), 1);
	assert_int_equal(route_param_len(&res->params, "group"), 3);
	assert_int_equal(route_param_len(&res->params, "item"), 1);
	assert_int_equal(route_param_len(&res->params, "network"), 7);
	assert_int_equal(route_param_len(&res->params, "token"), 0);
}

static void literal_segments_are_not_decoded(void **state)
{
	(void)state;
	assert_int_equal(find(HTTP_GET, "/edgekv/v1/initializ%65")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, "/edgekv%2Fv1/initialize")->r, ROUTE_NO_PATH);
}

static void empty_segments_do_not_match(void **state)
{
	(void)state;
	assert_int_equal(find(HTTP_GET, "/edgekv/v1/networks//namespaces")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, "/edgekv/v1/networks/staging/namespaces//groups")->r,
	                 ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, NS "/groups//items/k1")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, NS "/groups/g1/items/")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, "/edgekv//v1/initialize")->r, ROUTE_NO_PATH);
}

static void trailing_slash_is_another_path(void **state)
{
	(void)state;
	assert_int_equal(find(HTTP_GET, "/edgekv/v1/initialize/")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, "/edgekv/v1/networks/staging/namespaces/")->r,
	                 ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_GET, NS "/")->r, ROUTE_NO_PATH);
	assert_int_equal(find(HTTP_PUT, NS "/groups/g1/items/k1/")->r, ROUTE_NO_PATH);
}

static void only_path_len_bytes_are_read(void **state)
{
	const char *path = "/edgekv/v1/initialize?x=1";
	struct result *res;

	(void)state;
	res = run(HTTP_GET, path, strlen("/edgekv/v1/initialize"));
	assert_int_equal(res->r, ROUTE_FOUND);
	res = run(HTTP_GET, NS "/groups/g1/items/k1xyz", strlen(NS "/groups/g1/items/k1"));
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_string_equal(route_param(&res->params, "item"), "k1");
	/* Embedded NUL: the length, not the terminator, ends the path. */
	res = run(HTTP_GET, "/edgekv/v1/initialize\0/x", sizeof("/edgekv/v1/initialize\0/x") - 1);
	assert_int_equal(res->r, ROUTE_NO_PATH);
}

static void overlong_path_is_too_long(void **state)
{
	static char path[ROUTE_PATH_MAX + 64];
	size_t prefix = strlen(NS "/groups/g1/items/");
	struct result *res;

	(void)state;
	snprintf(path, sizeof(path), "%s", NS "/groups/g1/items/");
	memset(path + prefix, 'k', sizeof(path) - prefix - 1);

	/* ROUTE_PATH_MAX - 1 bytes still route; the key's own rules reject it later. */
	res = run(HTTP_GET, path, ROUTE_PATH_MAX - 1);
	assert_int_equal(res->r, ROUTE_FOUND);
	assert_int_equal(res->params.value_len[3], ROUTE_PATH_MAX - 1 - prefix);

	res = run(HTTP_GET, path, ROUTE_PATH_MAX);
	assert_int_equal(res->r, ROUTE_TOO_LONG);
	assert_int_equal(res->allow, 0);
	res = run(HTTP_GET, path, sizeof(path) - 1);
	assert_int_equal(res->r, ROUTE_TOO_LONG);
	res = run(HTTP_DELETE, "/x", ROUTE_PATH_MAX + 10);
	assert_int_equal(res->r, ROUTE_TOO_LONG);
}

static void dummy(struct api_call *c)
{
	(void)c;
}

static void more_captures_than_params_never_match(void **state)
{
	static const struct route table[] = {
	        {HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", dummy, 0, CAP_NONE},
	        {HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", dummy, 0, CAP_NONE},
	};
	const struct route *out = NULL;
	struct route_params params;
	unsigned allow;

	(void)state;
	assert_int_equal(
	        route_match(table, 2, HTTP_GET, "/1/2/3/4/5/6/7/8", 16, &out, &params, &allow),
	        ROUTE_FOUND);
	assert_ptr_equal(out, &table[0]);
	assert_int_equal(params.count, ROUTE_PARAMS);
	assert_string_equal(route_param(&params, "h"), "8");
	assert_int_equal(
	        route_match(table, 2, HTTP_GET, "/1/2/3/4/5/6/7/8/9", 18, &out, &params, &allow),
	        ROUTE_NO_PATH);
}

static void first_matching_row_wins(void **state)
{
	static const struct route table[] = {
	        {HTTP_GET, "/a/{x}", dummy, 1, CAP_NONE},
	        {HTTP_GET, "/a/b", dummy, 2, CAP_NONE},
	        {HTTP_PUT, "/a/b", dummy, 3, CAP_NONE},
	};
	const struct route *out = NULL;
	struct route_params params;
	unsigned allow;

	(void)state;
	assert_int_equal(route_match(table, 3, HTTP_GET, "/a/b", 4, &out, &params, &allow),
	                 ROUTE_FOUND);
	assert_int_equal(out->flags, 1);
	assert_int_equal(route_match(table, 3, HTTP_PUT, "/a/b", 4, &out, &params, &allow),
	                 ROUTE_FOUND);
	assert_int_equal(out->flags, 3);
	assert_int_equal(route_match(table, 3, HTTP_PUT, "/a/c", 4, &out, &params, &allow),
	                 ROUTE_NO_METHOD);
	assert_int_equal(allow, 1u << HTTP_GET | 1u << HTTP_HEAD);
	assert_int_equal(route_match(table, 0, HTTP_GET, "/a/b", 4, &out, &params, &allow),
	                 ROUTE_NO_PATH);
}

static void method_names_round_trip(void **state)
{
	(void)state;
	for (int m = 0; m < HTTP_OTHER; m++)
		assert_int_equal(http_method_parse(http_method_name((enum http_method)m)), m);
	assert_int_equal(http_method_parse("get"), HTTP_OTHER);
	assert_int_equal(http_method_parse("PROPFIND"), HTTP_OTHER);
	assert_int_equal(http_method_parse(""), HTTP_OTHER);
	assert_string_equal(http_method_name(HTTP_DELETE), "DELETE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("every row of the route table matches its own pattern and captures",
	             every_row_matches_its_pattern),
	        TEST("the route table is the API surface of docs/behaviour.md §3, in order",
	             the_table_is_the_api_surface),
	        TEST("an item route captures network, namespace, group and item",
	             item_route_captures_every_parameter),
	        TEST("a path no row matches is ROUTE_NO_PATH (404)", unknown_path_is_no_path),
	        TEST("a known path with another method is ROUTE_NO_METHOD with the Allow mask",
	             known_path_with_another_method_is_no_method_with_allow),
	        TEST("HEAD routes as GET", head_routes_as_get),
	        TEST("captures are percent-decoded", captures_are_percent_decoded),
	        TEST("a %00 in a capture keeps the capture's full length",
	             percent_00_keeps_its_length),
	        TEST("literal segments are compared undecoded", literal_segments_are_not_decoded),
	        TEST("empty segments match nothing", empty_segments_do_not_match),
	        TEST("a trailing slash makes another, unknown path",
	             trailing_slash_is_another_path),
	        TEST("only path_len bytes of the path are read", only_path_len_bytes_are_read),
	        TEST("a path of ROUTE_PATH_MAX bytes or more is ROUTE_TOO_LONG",
	             overlong_path_is_too_long),
	        TEST("a pattern with more captures than ROUTE_PARAMS never matches",
	             more_captures_than_params_never_match),
	        TEST("the first matching row wins", first_matching_row_wins),
	        TEST("method names round-trip and are case-sensitive", method_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * route_match() on arbitrary paths and methods. Input: one byte choosing the
 * method, then the path (any bytes, NULs included). Checks the router's
 * promises rather than only surviving: the result agrees with the length cap,
 * a match names the requested method and fills every capture of its pattern,
 * and a 405 mask never includes the requested method.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/router.h"
#include "api/dispatch/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

/* Every {name} of the pattern is a capture, and in order. */
static void check_captures(const struct route *route, const struct route_params *params)
{
	size_t i = 0;

	for (const char *p = strchr(route->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		const char *value;

		CHECK(end && i < params->count);
		CHECK(params->name_len[i] == (size_t)(end - p - 1));
		CHECK(memcmp(params->name[i], p + 1, params->name_len[i]) == 0);
		value = params->value[i];
		CHECK(value >= params->buf &&
		      value + params->value_len[i] < params->buf + ROUTE_PATH_MAX);
		CHECK(value[params->value_len[i]] == '\0');
		CHECK(params->value_len[i] > 0);
		i++;
	}
	CHECK(i == params->count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct route_params params;
	const struct route *route = NULL;
	enum http_method method, want;
	enum route_result result;
	unsigned allow = 0xdead;
	const char *path;

	if (size < 1)
		return 0;
	method = (enum http_method)(data[0] % HTTP_METHOD_COUNT);
	want = method == HTTP_HEAD ? HTTP_GET : method;
	path = (const char *)data + 1;
	size--;
	result = route_match(api_routes, api_route_count, method, path, size, &route, &params,
	                     &allow);
	/* Every route starts with /edgekv/v1/. */
	if (size < 11 || memcmp(path, "/edgekv/v1/", 11) != 0)
		CHECK(result == ROUTE_NO_PATH || result == ROUTE_TOO_LONG);
	switch (result) {
	case ROUTE_FOUND:
		CHECK(size < ROUTE_PATH_MAX);
		CHECK(route >= api_routes && route < api_routes + api_route_count);
		CHECK(route->method == want);
		check_captures(route, &params);
		break;
	case ROUTE_NO_METHOD:
		CHECK(size < ROUTE_PATH_MAX);
		CHECK(allow != 0 && !(allow & (1u << want)));
		/* A GET route always answers HEAD too. */
		CHECK(!(allow & (1u << HTTP_GET)) || (allow & (1u << HTTP_HEAD)));
		break;
	case ROUTE_NO_PATH:
		CHECK(size < ROUTE_PATH_MAX);
		CHECK(allow == 0);
		break;
	case ROUTE_TOO_LONG:
		CHECK(size >= ROUTE_PATH_MAX);
		break;
	default:
		abort();
	}
	return 0;
}

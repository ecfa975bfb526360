/*
 * api_dispatch() with arbitrary request targets: the router's path split and
 * percent-decoding, the query split (query_param) and every query parameter a
 * handler reads (details, sync, maxItems, sandboxId), on a ":memory:" store.
 * Input: one byte choosing the method, one choosing a prefix ("" for none),
 * then the rest of the target.
 */
#include <stdio.h>

#include "tests/fuzz/harness.h"

static const char *const prefixes[] = {
        "",
        "/edgekv/v1/",
        "/edgekv/v1/networks/",
        HARNESS_NS "?",
        HARNESS_NS "/",
        HARNESS_NS "/fz/groups/g?",
        HARNESS_NS "/fz/groups/g/items/k?",
        HARNESS_NS "/default/groups/",
        HARNESS_NS "/gone?",
        HARNESS_NS "/gone/status/scheduled-delete?",
        "/edgekv/v1/networks/production/namespaces/fz/groups/g/items/",
};

static const enum http_method methods[] = {HTTP_GET,  HTTP_GET,  HTTP_PUT,   HTTP_DELETE,
                                           HTTP_HEAD, HTTP_POST, HTTP_PATCH, HTTP_OTHER};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char target[8192];
	struct api_response res;
	const char *prefix;
	enum http_method method;
	size_t n;

	if (size < 2)
		return 0;
	harness_next_run();
	method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	prefix = prefixes[data[1] % (sizeof(prefixes) / sizeof(prefixes[0]))];
	n = strlen(prefix);
	if (n + size - 2 >= sizeof(target))
		return 0;
	memcpy(target, prefix, n);
	memcpy(target + n, data + 2, size - 2);
	target[n + size - 2] = '\0'; /* a NUL in the input ends the target, as in C */

	/* PUT with an empty body: an item write, an empty JSON body elsewhere. */
	harness_request(method, target, "", 0, method == HTTP_PUT ? "text/plain" : NULL, false,
	                &res);
	harness_check(method, target, &res);
	if (strlen(target) >= 2048 && strchr(target, '?') == NULL)
		CHECK(res.status == 414);
	api_response_release(&res);
	return 0;
}

/*
 * api_dispatch() of every request that carries a body (POST/PUT of
 * namespaces, the policy, the delete schedule, items) with arbitrary bytes as
 * that body, on a ":memory:" store. Input: one byte choosing the request, one
 * of flags (content type, body_too_large), then the body.
 */
#include "tests/fuzz/harness.h"

static const struct {
	enum http_method method;
	const char *target;
} targets[] = {
        {HTTP_POST, HARNESS_NS},
        {HTTP_POST, "/edgekv/v1/networks/production/namespaces"},
        {HTTP_PUT, HARNESS_NS "/fz"},
        {HTTP_PUT, "/edgekv/v1/networks/production/namespaces/fz"},
        {HTTP_PUT, HARNESS_NS "/gone/status/scheduled-delete"},
        {HTTP_PUT, "/edgekv/v1/auth/database"},
        {HTTP_PUT, "/edgekv/v1/initialize"},
        {HTTP_PUT, HARNESS_NS "/fz/groups/g/items/k"},
        {HTTP_PUT, HARNESS_NS "/default/groups/g/items/k?sandboxId=sb"},
        {HTTP_GET, HARNESS_NS "/fz/groups/g/items/k"}, /* a body where none is read */
        {HTTP_DELETE, HARNESS_NS "/fz/groups/g/items/other"},
};

static const char *const content_types[] = {
        "application/json",
        "text/plain",
        "application/json; charset=utf-8",
        NULL,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	harness_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct api_response res;
	size_t which;
	uint8_t flags;
	bool stored;

	if (size < 2)
		return 0;
	harness_next_run();
	which = data[0] % (sizeof(targets) / sizeof(targets[0]));
	flags = data[1];
	harness_request(targets[which].method, targets[which].target, (const char *)data + 2,
	                size - 2, content_types[flags % 4], (flags & 0x80) != 0, &res);
	harness_check(targets[which].method, targets[which].target, &res);
	if (flags & 0x80)
		CHECK(res.status == 413);
	stored = res.status == 200;
	api_response_release(&res);

	/* An item written from the body reads back byte for byte. */
	if (targets[which].method == HTTP_PUT && strstr(targets[which].target, "/items/k") &&
	    !(flags & 0x80)) {
		struct api_response got;

		harness_request(HTTP_GET, targets[which].target, NULL, 0, NULL, false, &got);
		harness_check(HTTP_GET, targets[which].target, &got);
		if (stored) {
			CHECK(got.status == 200);
			CHECK(got.body.len == size - 2);
			CHECK(size == 2 || memcmp(got.body.ptr, data + 2, size - 2) == 0);
		}
		api_response_release(&got);
	}
	return 0;
}

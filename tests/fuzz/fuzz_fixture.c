/*
 * The fixture reader (fixture_import: what --seed DIR and POST /_emulator/import
 * read) and the control API's JSON bodies, with arbitrary bytes, on a
 * ":memory:" store. Input: one byte choosing the target, then the body.
 * Whatever the input, the default account's API client must still sign
 * afterwards unless the fixture replaced that account.
 */
#include "api/control/import.h"
#include "api/state/faults.h"
#include "api/state/settings.h"
#include "tests/fuzz/harness.h"

static const struct {
	enum http_method method;
	const char *target;
} targets[] = {
        {HTTP_POST, "/_emulator/import"},      {HTTP_PUT, "/_emulator/settings"},
        {HTTP_PUT, "/_emulator/known-issues"}, {HTTP_POST, "/_emulator/faults"},
        {HTTP_POST, "/_emulator/reset"},       {HTTP_POST, "/_emulator/snapshots"},
};

/* harness_request from loopback, where the control API answers. */
static void control_request(enum http_method m, const char *target, const char *body, size_t len,
                            struct api_response *res)
{
	struct api_header headers[2] = {{"Content-Type", "application/json"},
	                                {"Host", "127.0.0.1"}};
	struct api_request req = {0};

	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = 2;
	req.body = body;
	req.body_len = len;
	req.request_id = "0123456789abcdef";
	req.peer = "127.0.0.1";
	api_response_init(res);
	api_dispatch(&harness_api, &req, res);
}

static void collect(void *ctx, const char *name, size_t len)
{
	struct buf *names = ctx;

	buf_add(names, name, len + 1); /* with its NUL */
}

/* Snapshots are whole copies of the store: drop them so memory stays flat. */
static void drop_snapshots(void)
{
	struct store *st = store_db_thread(harness_db);
	struct buf names = BUF_INIT;

	CHECK(store_snapshot_list(st, collect, &names) == STORE_OK);
	for (size_t off = 0; off < names.len; off += strlen(names.ptr + off) + 1)
		CHECK(store_snapshot_delete(st, names.ptr + off) == STORE_OK);
	buf_release(&names);
}

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
	struct import_error err;

	if (size < 1)
		return 0;
	harness_next_run();
	which = data[0] % (sizeof(targets) / sizeof(targets[0]));
	if (which == 0 && (data[0] & 0x80)) {
		/* Straight into the reader, as --seed does. */
		if (fixture_import(&harness_api, (const char *)data + 1, size - 1, NULL, &err) != 0)
			CHECK(err.code == EKV_INTERNAL ||
			      (err.code >= EKV_IMPORT_NOT_FIXTURE &&
			       err.code <= EKV_IMPORT_TOKEN)); /* a row */
		return 0;
	}
	control_request(targets[which].method, targets[which].target, (const char *)data + 1,
	                size - 1, &res);
	CHECK(res.status != 403); /* loopback: the control API answers */
	harness_check(targets[which].method, targets[which].target, &res);
	api_response_release(&res);
	drop_snapshots();
	/* Rules and settings must not leak into the next input's requests. */
	faults_clear(harness_api.faults, NULL);
	settings_reset(harness_api.settings, NULL);
	return 0;
}

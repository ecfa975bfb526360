/*
 * Storage faults as a client sees them, through api_dispatch() on a file
 * store behind a SQLite VFS that fails writes: a full disk answers 507 and an
 * I/O error 503 with their catalogue bodies, the next request is not tainted,
 * and a group commit that fails turns its replies into the 500 problem body,
 * or the 507 one when the disk is full, with nothing of the batch kept.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "api/auth/caller.h"
#include "api/control/world.h"
#include "base/clock.h"
#include "storage/store.h"
#include "tests/unit/unit.h"
#include "tests/unit/vfs_shim.h"

#define ACCOUNT    "1-DEFAULT"
#define NEVER      (3600000LL * 1000)
#define T0         1700000000000LL
#define ITEM       "/edgekv/v1/networks/staging/namespaces/default/groups/g1/items/"
#define REQUEST_ID "a1b2c3d4e5f60718"

static char tmpdir[64];
static char path[128];
static struct store_db *db;
static struct api api;
static struct api_response res;

static int setup(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, 0);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ekv-dispatch-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/edgekv.db", tmpdir);
	db = store_db_open(path, NEVER);
	if (!db)
		return -1;
	memset(&api, 0, sizeof(api));
	api_init(&api);
	clock_freeze(api.clock, true);
	clock_set_ms(api.clock, T0);
	api.db = db;
	api.config.default_account = ACCOUNT;
	api.config.max_body = (size_t)1024 * 1024;
	api.config.auth_mode = AUTH_OFF;
	api_response_init(&res);
	return world_account_ensure(&api, ACCOUNT, true, false);
}

static int teardown(void **state)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char name[160];

	(void)state;
	atomic_store(&vfs_shim.fail_writes, 0);
	api_response_release(&res);
	store_db_close(db);
	api_release(&api);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		unlink(name);
	}
	rmdir(tmpdir);
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}

static struct api_request request_of(enum http_method m, const char *target, const char *value)
{
	static struct api_header headers[1] = {{"Content-Type", "text/plain"}};
	struct api_request req = {0};

	req.method = m;
	req.target = target;
	req.headers = headers;
	req.header_count = value ? 1 : 0;
	req.body = value;
	req.body_len = value ? strlen(value) : 0;
	req.request_id = REQUEST_ID;
	req.peer = "127.0.0.1";
	return req;
}

/* Dispatches and returns the status; the reply stays in res until the next call. */
static int call(enum http_method m, const char *key, const char *value)
{
	char target[256];
	struct api_request req;

	snprintf(target, sizeof(target), ITEM "%s", key);
	req = request_of(m, target, value);
	api_response_release(&res);
	api_response_init(&res);
	api_dispatch(&api, &req, &res);
	return res.status;
}

/* Checks res is the catalogue's problem body for status, kind and detail. */
static void assert_problem(int status, const char *title, const char *kind, const char *detail)
{
	cJSON *body = cJSON_ParseWithLength(res.body.ptr, res.body.len);
	char type[128];

	assert_non_null(body);
	assert_int_equal(res.status, status);
	assert_string_equal(res.content_type, "application/problem+json");
	snprintf(type, sizeof(type), "/edgekv/error-types/edgekv-%s", kind);
	assert_string_equal(cJSON_GetObjectItem(body, "type")->valuestring, type);
	assert_string_equal(cJSON_GetObjectItem(body, "title")->valuestring, title);
	assert_int_equal(cJSON_GetObjectItem(body, "status")->valueint, status);
	assert_string_equal(cJSON_GetObjectItem(body, "detail")->valuestring, detail);
	assert_string_equal(cJSON_GetObjectItem(body, "errorCode")->valuestring, "EKV_0000");
	assert_string_equal(
	        cJSON_GetObjectItem(cJSON_GetObjectItem(body, "additionalDetail"), "requestId")
	                ->valuestring,
	        REQUEST_ID);
	cJSON_Delete(body);
}

#define FULL_DETAIL                                                                                \
	"The emulator's disk is full: nothing was changed. Free some space and try again."
#define IO_DETAIL                                                                                  \
	"The emulator could not read or write its database: nothing was changed. Try again."
#define INTERNAL_DETAIL "An internal error occurred."

static void full_disk_answers_507_and_recovers(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, SQLITE_FULL);
	call(HTTP_PUT, "k1", "one");
	assert_problem(507, "Insufficient Storage", "insufficient-storage", FULL_DETAIL);
	atomic_store(&vfs_shim.fail_writes, 0);
	/* The next request's own answer: not the earlier fault's. */
	assert_int_equal(call(HTTP_GET, "k1", NULL), 404);
	assert_int_equal(call(HTTP_PUT, "k1", "one"), 200);
	assert_int_equal(call(HTTP_GET, "k1", NULL), 200);
}

static void io_error_answers_503(void **state)
{
	(void)state;
	atomic_store(&vfs_shim.fail_writes, SQLITE_IOERR_WRITE);
	call(HTTP_PUT, "k1", "one");
	assert_problem(503, "Service Unavailable Error", "internal-server-error", IO_DETAIL);
	atomic_store(&vfs_shim.fail_writes, 0);
	assert_int_equal(call(HTTP_PUT, "k1", "one"), 200);
}

static void batch_failed_turns_a_reply_into_the_500_body(void **state)
{
	struct api_request req = request_of(HTTP_PUT, ITEM "k1", "one");

	(void)state;
	api_dispatch(&api, &req, &res);
	assert_int_equal(res.status, 200);
	api_batch_failed(&api, &req, &res);
	assert_problem(500, "Internal Server Error", "internal-server-error", INTERNAL_DETAIL);
}

static void failed_group_commit_on_a_full_disk_answers_507_and_keeps_nothing(void **state)
{
	struct api_request req = request_of(HTTP_PUT, ITEM "k1", "one");
	struct api_response second;

	(void)state;
	api_response_init(&second);
	assert_true(api_batch_begin(&api));
	api_dispatch(&api, &req, &res);
	assert_int_equal(res.status, 200);
	req.target = ITEM "k2";
	api_dispatch(&api, &req, &second);
	assert_int_equal(second.status, 200);
	atomic_store(&vfs_shim.fail_writes, SQLITE_FULL); /* the disk fills before the commit */
	assert_false(api_batch_end(&api));
	api_batch_failed(&api, &req, &res);
	assert_problem(507, "Insufficient Storage", "insufficient-storage", FULL_DETAIL);
	api_batch_failed(&api, &req, &second);
	assert_int_equal(second.status, 507);
	api_response_release(&second);
	atomic_store(&vfs_shim.fail_writes, 0);
	assert_int_equal(call(HTTP_GET, "k1", NULL), 404);
	assert_int_equal(call(HTTP_GET, "k2", NULL), 404);
	/* The writer goes on. */
	assert_true(api_batch_begin(&api));
	assert_int_equal(call(HTTP_PUT, "k1", "one"), 200);
	assert_true(api_batch_end(&api));
	assert_int_equal(call(HTTP_GET, "k1", NULL), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST_FX("a write on a full disk answers 507 with its catalogue body, and the "
	                "next write succeeds",
	                full_disk_answers_507_and_recovers),
	        TEST_FX("a write that meets an I/O error answers 503 with its catalogue body",
	                io_error_answers_503),
	        TEST_FX("api_batch_failed turns a reply into the 500 problem body",
	                batch_failed_turns_a_reply_into_the_500_body),
	        TEST_FX("a group commit that fails on a full disk answers 507 for each write "
	                "and keeps none of them",
	                failed_group_commit_on_a_full_disk_answers_507_and_keeps_nothing),
	};

	if (vfs_shim_install() != SQLITE_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

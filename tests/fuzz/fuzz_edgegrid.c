/*
 * libFuzzer target for the EdgeGrid Authorization header: the parser's
 * promises on any bytes, and the whole strict-mode check through
 * api_dispatch(), which must refuse every forged header with the gateway's
 * 400 or 401 (the fuzzer cannot find an HMAC-SHA256 signature) and never
 * crash, leak or answer anything else.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/edgegrid.h"
#include "base/clock.h"
#include "base/xalloc.h"
#include "storage/store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static struct store_db *db;
static struct api api;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	api_init(&api);
	db = store_db_open(":memory:", 3600000);
	CHECK(db != NULL);
	api_config_defaults(&api.config); /* strict EdgeGrid */
	api.db = db;
	api.config.default_account = "1-DEFAULT";
	CHECK(world_default(&api, true, true) == 0);
	return 0;
}

/* What a parsed header must look like, whatever the input was. */
static void check_parsed(const char *text, const struct edgegrid_header *h)
{
	const char *fields[] = {h->client_token, h->access_token, h->timestamp, h->nonce,
	                        h->signature};

	CHECK(h->unsigned_len < strlen(text));
	CHECK(strncmp(text, "EG1-HMAC-SHA256 ", 16) == 0);
	CHECK(strncmp(text + h->unsigned_len, "signature=", 10) == 0);
	CHECK(text[h->unsigned_len - 1] == ';');
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		CHECK(fields[i][0] != '\0' && strchr(fields[i], ';') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmemdupz(data, size);
	struct api_header headers[2] = {{"Host", "127.0.0.1:8443"}, {"Authorization", text}};
	struct api_request req = {0};
	struct api_response res;
	struct edgegrid_header h;

	if (edgegrid_parse(text, &h) == 0)
		check_parsed(text, &h);
	req.method = HTTP_GET;
	req.target = "/edgekv/v1/initialize";
	req.headers = headers;
	req.header_count = 2;
	req.body = "";
	req.request_id = "0123456789abcdef";
	req.peer = "127.0.0.1";
	req.tls = true;
	api_response_init(&res);
	api_dispatch(&api, &req, &res);
	CHECK(res.status == 400 || res.status == 401);
	CHECK(strcmp(res.content_type, "application/problem+json") == 0);
	api_response_release(&res);
	free(text);
	return 0;
}

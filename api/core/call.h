#ifndef EKV_API_CORE_CALL_H
#define EKV_API_CORE_CALL_H

#include <stdint.h>

#include "api/core/context.h"
#include "api/core/identity.h"
#include "api/core/request.h"
#include "api/core/router.h"
#include "storage/store.h"

/*
 * Everything a handler works with, for one request (Redis's client *c):
 * built by api_dispatch(), borrowed by the handler.
 */
struct api_call {
	struct api *api;
	struct store *st; /* this thread's connection */
	const struct api_request *req;
	struct api_response *res;
	const struct route *route;
	const struct route *table; /* the route table this call was matched in */
	size_t table_len;
	struct route_params params;
	const char *query; /* raw query after '?', or "" */
	struct caller caller;
	struct account_rec account;
	int64_t now_ms;          /* read once per request from the one clock */
	struct token_rec *token; /* data-plane routes: the caller's token, else NULL */
};

/*
 * The value of query parameter name, percent-decoded into out (size bytes);
 * %00 is left as it is. Returns false when absent; a value that does not fit
 * is cut.
 */
bool query_param(const struct api_call *c, const char *name, char *out, size_t size);

#endif

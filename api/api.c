#include "api/api.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api/auth/jwt.h"
#include "api/auth/nonces.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/dispatch/dispatch.h"
#include "api/dispatch/routes.h"
#include "api/edgekv/bulk_runner.h"
#include "api/state/faults.h"
#include "api/state/journal.h"
#include "api/state/settings.h"
#include "base/clock.h"
#include "base/xalloc.h"

void api_config_defaults(struct api_config *config)
{
	config->max_body = 1048576;
	config->token_workflow = TOKEN_WORKFLOW_AUTO;
	config->token_limit = 100;
	config->token_activation_ms = 5000;
	config->data_plane_network = NETWORK_STAGING;
	config->auth_mode = AUTH_STRICT;
	config->auth_window_s = 300;
}

void api_release(struct api *api)
{
	jwt_key_free(api->jwt_key);
	api->jwt_key = NULL;
	faults_free(api->faults);
	settings_free(api->settings);
	journal_free(api->journal);
	nonce_store_free(api->nonces);
	clock_free(api->clock);
	api->clock = NULL;
	api->nonces = NULL;
	api->faults = NULL;
	api->settings = NULL;
	api->journal = NULL;
	pthread_mutex_destroy(&api->key_lock);
	pthread_mutex_destroy(&api->notice_lock);
}

static void *cjson_malloc(size_t size)
{
	return xmalloc(size);
}

void api_init(struct api *api)
{
	cJSON_Hooks hooks = {cjson_malloc, free};

	cJSON_InitHooks(&hooks);
	api->faults = faults_new();
	api->settings = settings_new();
	api->journal = journal_new();
	api->nonces = nonce_store_new(NONCE_STORE_MAX);
	api->clock = clock_new();
	atomic_init(&api->ready, false);
	pthread_mutex_init(&api->key_lock, NULL);
	pthread_mutex_init(&api->notice_lock, NULL);
}

void api_set_ready(struct api *api, bool ready)
{
	atomic_store(&api->ready, ready);
}

/*
 * The management API's answers carry the headers of a real one (the list-groups answer in
 * docs/behaviour.md §8 item 20): Cache-Control, and gzip when the client offers it,
 * for every body (docs/architecture.md "Response headers"). The data plane
 * and the control API answer plainly.
 */
static void management_headers(const struct api_request *req, struct api_response *res)
{
	if (strncmp(req->target, "/edgekv/", 8) != 0 &&
	    strncmp(req->target, "/edgeworkers/", 13) != 0)
		return;
	res->cache_control = "no-cache, no-store, max-age=0, must-revalidate";
	res->compressible = res->status >= 200 && res->status != 204 && res->body.len > 0;
}

void api_dispatch(struct api *api, const struct api_request *req, struct api_response *res)
{
	struct api_call c = {.api = api, .req = req, .res = res};
	struct token_rec token;

	dispatch_request(&c, &token);
	management_headers(req, res);
	/* The journal records the API, not the controls that read it. */
	if (strncmp(req->target, "/_emulator/", 11) != 0)
		journal_add(api->journal, req, res,
		            c.account.id[0] ? c.account.id : c.caller.account,
		            c.now_ms ? c.now_ms : clock_now_ms(api->clock));
}

bool api_batchable(const struct api *api, const struct api_request *req)
{
	const char *q = strchr(req->target, '?');
	size_t path_len = q ? (size_t)(q - req->target) : strlen(req->target);
	const struct route *route;
	struct route_params params;
	unsigned allow = 0;

	(void)api;
	if ((req->method != HTTP_PUT && req->method != HTTP_DELETE) || req->framing_invalid)
		return false;
	return route_match(api_routes, api_route_count, req->method, req->target, path_len, &route,
	                   &params, &allow) == ROUTE_FOUND &&
	       (route->flags & ROUTE_BATCH);
}

bool api_spools_body(const struct api *api, enum http_method method, const char *target)
{
	const char *q = strchr(target, '?');
	size_t path_len = q ? (size_t)(q - target) : strlen(target);
	const struct route *route;
	struct route_params params;
	unsigned allow = 0;

	/* Only a POST streams its body (the bulk upload): others skip the routing. */
	return method == HTTP_POST && api->config.upload_dir &&
	       route_match(api_routes, api_route_count, method, target, path_len, &route, &params,
	                   &allow) == ROUTE_FOUND &&
	       (route->flags & ROUTE_SPOOL_BODY);
}

void api_jobs_start(struct api *api)
{
	api->bulk = bulk_runner_start(api);
}

void api_jobs_stop(struct api *api)
{
	bulk_runner_stop(api->bulk);
	api->bulk = NULL;
}

bool api_batch_begin(struct api *api)
{
	struct store *st = store_db_thread(api->db);

	return st && store_batch_begin(st) == STORE_OK;
}

bool api_batch_end(struct api *api)
{
	struct store *st = store_db_thread(api->db);

	return st && store_batch_end(st, true) == STORE_OK;
}

void api_batch_failed(struct api *api, const struct api_request *req, struct api_response *res)
{
	/* The writer's connection: a full disk at the commit answers 507 (api/core/problem.c). */
	struct api_call c = {.api = api, .st = store_db_thread(api->db), .req = req, .res = res};

	api_response_release(res);
	api_response_init(res);
	reply_problem(&c, EKV_INTERNAL);
}

const char *api_json_library_version(void)
{
	return cJSON_Version();
}

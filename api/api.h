#ifndef EKV_API_API_H
#define EKV_API_API_H

#include <stdbool.h>

#include "api/core/context.h"
#include "api/core/request.h"

/*
 * The entry the server calls: server/http.c fills a struct api_request,
 * api_dispatch() fills a struct api_response. Nothing here knows about
 * sockets or libmicrohttpd, so handlers can be driven from memory in unit
 * tests.
 */

/* The defaults a bare start uses, for the fields of config that are not pointers. */
void api_config_defaults(struct api_config *config);

/*
 * Makes what api owns besides its configuration (the test state of
 * api/state/, the locks; not ready), and installs cJSON's allocator hooks
 * (bodies go to the HTTP layer as malloc'd memory). Call before any request;
 * api_release() undoes it.
 */
void api_init(struct api *api);

/* Frees what api_init and the requests made (the token signing key); api->db is left alone. */
void api_release(struct api *api);

/* Whether GET /_emulator/ready answers 200: set once the start world is in place. */
void api_set_ready(struct api *api, bool ready);

/* The version of the cJSON library this process runs with (static text). */
const char *api_json_library_version(void);

/* Routes, authenticates, runs the handler and fills res; never fails to fill it. */
void api_dispatch(struct api *api, const struct api_request *req, struct api_response *res);

/*
 * Group commit (docs/architecture.md "Threads"). api_batchable(): req is an
 * item write (PUT or DELETE of an item, management API or data plane), whose
 * handler may run between api_batch_begin() and api_batch_end() on one
 * thread: its writes then become durable and visible together, at
 * api_batch_end(), which returns false when they did not (rolled back).
 * The replies of a batch must not be sent before it returns; when it
 * returns false, api_batch_failed() turns each of them into a 500.
 */
bool api_batchable(const struct api *api, const struct api_request *req);

/*
 * Whether a request of method to target takes a body too large to hold in
 * memory (a bulk upload): the HTTP layer then writes it to a file in
 * api->config.upload_dir as it arrives, up to config.max_upload bytes, and
 * passes the file as body_file.
 */
bool api_spools_body(const struct api *api, enum http_method method, const char *target);

/*
 * The thread that runs bulk upload jobs in the background, resuming the ones
 * a previous run left unfinished; it starts with the first job. Start once
 * the database is ready (the check for unfinished jobs uses the calling
 * thread's connection); stop before closing it (a job under way stops
 * between two batches and resumes at the next start).
 */
void api_jobs_start(struct api *api);
void api_jobs_stop(struct api *api);
bool api_batch_begin(struct api *api);
bool api_batch_end(struct api *api);
void api_batch_failed(struct api *api, const struct api_request *req, struct api_response *res);

#endif

#ifndef EKV_API_API_H
#define EKV_API_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "storage/store.h"

/*
 * The boundary between the HTTP glue and the API: server/http.c fills a
 * struct api_request, api_dispatch() fills a struct api_response. Nothing
 * here knows about sockets or libmicrohttpd, so handlers can be driven from
 * memory in unit tests.
 */
struct store_db;

enum http_method {
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_PATCH,
	HTTP_OPTIONS,
	HTTP_OTHER,
	HTTP_METHOD_COUNT
};

/* HTTP_OTHER for anything unknown; name is case-sensitive, as in HTTP. */
enum http_method http_method_parse(const char *name);
const char *http_method_name(enum http_method m);

struct api_header {
	const char *name;
	const char *value;
};

/* Everything borrowed; it lives as long as the request. */
struct api_request {
	enum http_method method;
	const char *method_name; /* as received, for methods outside the enum; may be NULL */
	const char *target;      /* raw request target, path and query, byte for byte */
	const struct api_header *headers;
	size_t header_count;
	const char *body;
	size_t body_len;
	bool body_too_large;
	bool framing_invalid;   /* conflicting Content-Length headers: refused, connection closed */
	const char *request_id; /* 16 lowercase hex characters */
	const char *peer;       /* client address, for logs */
	bool tls;
};

/* The method as the client sent it. */
const char *api_request_method(const struct api_request *req);

/* Case-insensitive header lookup; NULL when absent. */
const char *api_request_header(const struct api_request *req, const char *name);

#define API_RESPONSE_HEADERS 6
#define API_HEADER_VALUE_MAX 512

struct api_response {
	int status;
	int64_t delay_ms;       /* injected latency: the HTTP layer holds the reply this long */
	char content_type[257]; /* "" for no body; an item's holds 256 characters */
	struct buf body;
	size_t header_count;
	struct {
		const char *name; /* a string literal */
		char value[API_HEADER_VALUE_MAX];
	} headers[API_RESPONSE_HEADERS];
};

void api_response_init(struct api_response *res);
void api_response_release(struct api_response *res);

struct api_config {
	const char *default_account; /* the account of the bare start, and of auth off */
	size_t max_body;             /* bytes; larger bodies arrive as body_too_large */
	int auth_mode;               /* enum auth_mode of api/caller.h */
	int64_t auth_window_s;       /* EdgeGrid timestamps older or newer than this fail */
	bool auth_any_scheme;        /* accept signatures made for http as https and back */
	const char *admin_secret;    /* lets non-loopback callers use /_emulator; NULL: none */
	const char *seed_dir;        /* --seed DIR: the start world; NULL: the built-in one */
	bool start_uninitialized;    /* the built-in world's default account: --uninitialized */
	bool start_no_standard_tls;  /* and --no-standard-tls */
	/* Access tokens (#5): defaults for accounts without their own setting. */
	enum token_workflow token_workflow;
	int64_t token_limit;         /* tokens per account, expired ones under 30 days included */
	int64_t token_activation_ms; /* enhanced tokens are IN_PROGRESS this long */
	enum network data_plane_network; /* when a request has no X-EdgeKV-Network */
};

struct jwt_key;

struct api {
	struct store_db *db; /* borrowed */
	struct api_config config;
	struct jwt_key *jwt_key; /* owned; loaded on first use under a lock (api/tokens.c) */
};

/* The defaults a bare start uses, for the fields of config that are not pointers. */
void api_config_defaults(struct api_config *config);

/* Frees what the API made lazily (the token signing key); api->db is left alone. */
void api_release(struct api *api);

/*
 * Installs cJSON's allocator hooks (bodies go to the HTTP layer as malloc'd
 * memory). Call once before any request.
 */
void api_init(void);

/*
 * Creates the account id unless it exists (an existing one is left as it
 * is), initialized like PUT /initialize with the default policy when asked.
 * Returns 0, or -1 after logging.
 */
int api_account_ensure(struct api *api, const char *id, bool initialized, bool standard_tls);

/*
 * The bare-start world: the default account of fixtures/default/world.json,
 * compiled in and loaded through api_import's code path (its top-level
 * access group, admin user and the development API client of
 * fixtures/default/edgerc). initialized false leaves it uninitialized as
 * --uninitialized does; standard_tls false as --no-standard-tls. Does
 * nothing when the default account exists (an earlier start made it).
 */
int api_default_world(struct api *api, bool initialized, bool standard_tls);

/*
 * Loads every *.json fixture of dir, in name order (docs/control-api.md
 * "Fixture format"); each account named replaces the one of that id.
 * Returns 0, or -1 after logging which file failed.
 */
int api_seed_dir(struct api *api, const char *dir);

/*
 * Imports one fixture document, or with only set just the account of that
 * id in it; -1 with a reason in err (size bytes).
 */
int api_import(struct api *api, const char *text, size_t len, const char *only, char *err,
               size_t size);

/* Whether GET /_emulator/ready answers 200: set once the start world is in place. */
void api_set_ready(bool ready);

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
bool api_batch_begin(struct api *api);
bool api_batch_end(struct api *api);
void api_batch_failed(struct api *api, const struct api_request *req, struct api_response *res);

#endif

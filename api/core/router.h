#ifndef EKV_API_CORE_ROUTER_H
#define EKV_API_CORE_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "api/core/request.h"
#include "api/core/capability.h"

/*
 * The pure router over a route table (the table is api/dispatch/routes.c): a path is split into
 * segments, each matched against a literal or a whole-segment {name}
 * capture. Captures are percent-decoded. Nothing is allocated.
 */
struct api_call;
typedef void api_handler_fn(struct api_call *c);

enum route_flags {
	ROUTE_NEEDS_INIT = 1 << 0, /* 404 "not initialized" until the account is */
	ROUTE_VALUE_BODY = 1 << 1, /* the body is an item value: its limit message */
	ROUTE_DATA_PLANE = 1 << 2, /* /api/v1: an access token, not EdgeGrid, names the account */
	ROUTE_CONTROL = 1 << 3,    /* /_emulator: loopback or the admin secret, no EdgeGrid */
	ROUTE_OPEN = 1 << 4,       /* with ROUTE_CONTROL: anyone (health and readiness probes) */
	ROUTE_BATCH = 1 << 5,      /* an item write: may run in a group commit (api_batchable) */
	/* Known issues of the real service that hit this route (docs/known-issues.md): */
	ROUTE_ISSUE_TIMES_OUT = 1 << 6,  /* the first call may time out at the gateway (504) */
	ROUTE_ISSUE_FAILS_ONCE = 1 << 7, /* the first call before initialization fails (500) */
	ROUTE_ACCOUNT = 1 << 8,     /* with ROUTE_CONTROL: acts on ?account=ID or the default one */
	ROUTE_EDGEWORKERS = 1 << 9, /* /edgeworkers/v1: EdgeGrid, none of EdgeKV's quirks */
	ROUTE_SPOOL_BODY = 1 << 10, /* the body streams to a file (api_spools_body) */
};

struct route {
	enum http_method method;
	const char *pattern;
	api_handler_fn *handler;
	unsigned flags;
	enum capability cap; /* needed in the namespace's access group (production name) */
};

#define ROUTE_PATH_MAX 2048
#define ROUTE_PARAMS   8

struct route_params {
	char buf[ROUTE_PATH_MAX];
	size_t count;
	const char *name[ROUTE_PARAMS];
	size_t name_len[ROUTE_PARAMS];
	const char *value[ROUTE_PARAMS]; /* NUL-terminated, inside buf */
	size_t value_len[ROUTE_PARAMS];  /* may contain NULs from %00 */
};

enum route_result { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD, ROUTE_TOO_LONG };

/*
 * Matches path (without the query) and method against table. On ROUTE_FOUND
 * sets *out and fills params; on ROUTE_NO_METHOD sets *allow to a bit mask
 * of the methods that path accepts (1 << enum http_method). HEAD matches GET.
 */
enum route_result route_match(const struct route *table, size_t n, enum http_method method,
                              const char *path, size_t path_len, const struct route **out,
                              struct route_params *params, unsigned *allow);

/* The capture called name, or NULL. */
const char *route_param(const struct route_params *params, const char *name);

/* Its length, which counts NULs decoded from %00 (0 when absent). */
size_t route_param_len(const struct route_params *params, const char *name);

#endif

#ifndef EKV_API_CORE_REQUEST_H
#define EKV_API_CORE_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

/*
 * The boundary between the HTTP glue and the API: server/http.c fills a
 * struct api_request, api_dispatch() fills a struct api_response. Nothing
 * here knows about sockets or libmicrohttpd, so handlers can be driven from
 * memory in unit tests.
 */
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
	bool framing_invalid; /* conflicting Content-Length headers: refused, connection closed */
	/*
	 * A body the HTTP layer wrote to this file as it arrived (routes that
	 * api_spools_body() names: bulk uploads), decoded from gzip when sent
	 * so; body then holds only the first 128 KiB as sent (what EdgeGrid
	 * signs). NULL otherwise. The handler may rename the file; the HTTP
	 * layer removes it afterwards.
	 */
	const char *body_file;
	bool body_encoding_unknown; /* a Content-Encoding other than gzip or identity */
	bool body_encoding_invalid; /* Content-Encoding: gzip, but the bytes did not decode */
	bool body_write_failed;     /* body_file could not be written: the disk refused it */
	bool body_disk_full;        /* of those, for want of room (ENOSPC, EFBIG, EDQUOT) */
	const char *request_id;     /* 16 lowercase hex characters */
	const char *peer;           /* client address, for logs */
	bool tls;
};

/* The method as the client sent it. */
const char *api_request_method(const struct api_request *req);

/* Case-insensitive header lookup; NULL when absent. */
const char *api_request_header(const struct api_request *req, const char *name);

/* Whether addr (a numeric IPv4 or IPv6 address) is a loopback one. */
bool api_address_is_loopback(const char *addr);

#define API_RESPONSE_HEADERS 6
#define API_HEADER_VALUE_MAX 512

struct api_response {
	int status;
	int64_t delay_ms;       /* injected latency: the HTTP layer holds the reply this long */
	char content_type[257]; /* "" for no body; an item's holds 256 characters */
	struct buf body;
	const char *cache_control; /* a string literal; NULL: no Cache-Control header */
	bool compressible;         /* the HTTP layer gzips the body when the client accepts gzip */
	size_t header_count;
	struct {
		const char *name; /* a string literal */
		char value[API_HEADER_VALUE_MAX];
	} headers[API_RESPONSE_HEADERS];
};

void api_response_init(struct api_response *res);
void api_response_release(struct api_response *res);

#endif

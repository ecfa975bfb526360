#include "api/core/request.h"

#include <string.h>
#include <strings.h>

static const char *const method_names[HTTP_METHOD_COUNT] = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER",
};

enum http_method http_method_parse(const char *name)
{
	for (int m = 0; m < HTTP_OTHER; m++)
		if (strcmp(name, method_names[m]) == 0)
			return (enum http_method)m;
	return HTTP_OTHER;
}

const char *http_method_name(enum http_method m)
{
	return method_names[m];
}

const char *api_request_method(const struct api_request *req)
{
	return req->method_name ? req->method_name : http_method_name(req->method);
}

const char *api_request_header(const struct api_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

/* Field by field: the header values (3 KB) are read only up to header_count. */
void api_response_init(struct api_response *res)
{
	res->status = 500;
	res->delay_ms = 0;
	res->content_type[0] = '\0';
	buf_init(&res->body);
	res->cache_control = NULL;
	res->compressible = false;
	res->header_count = 0;
}

void api_response_release(struct api_response *res)
{
	buf_release(&res->body);
}

bool api_address_is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strncmp(addr, "::ffff:127.", 11) == 0;
}

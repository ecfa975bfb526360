#include "api/core/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/core/call.h"
#include "base/log.h"

static void set_content_type(struct api_response *res, const char *content_type)
{
	snprintf(res->content_type, sizeof(res->content_type), "%s", content_type);
}

void reply_json_steal_as(struct api_call *c, int status, const char *content_type, cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root);

	cJSON_Delete(root);
	buf_reset(&c->res->body);
	if (!text) {
		log_error("json: cannot print a reply");
		c->res->status = 500;
		set_content_type(c->res, "application/problem+json");
		buf_addstr(&c->res->body, "{}");
		return;
	}
	c->res->status = status;
	set_content_type(c->res, content_type);
	buf_addstr(&c->res->body, text);
	free(text);
}

void reply_json_steal(struct api_call *c, int status, cJSON *root)
{
	reply_json_steal_as(c, status, "application/json", root);
}

void reply_bytes(struct api_call *c, int status, const char *content_type, const void *body,
                 size_t len)
{
	c->res->status = status;
	set_content_type(c->res, content_type);
	buf_reset(&c->res->body);
	buf_add(&c->res->body, body, len);
}

void reply_textf(struct api_call *c, int status, const char *content_type, const char *fmt, ...)
{
	char text[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	reply_bytes(c, status, content_type, text,
	            (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1);
}

void reply_empty(struct api_call *c, int status)
{
	c->res->status = status;
	c->res->content_type[0] = '\0';
	buf_reset(&c->res->body);
}

void reply_header(struct api_call *c, const char *name, const char *fmt, ...)
{
	struct api_response *res = c->res;
	va_list ap;

	if (res->header_count == API_RESPONSE_HEADERS) {
		log_error("reply: header '%s' dropped: too many headers", name);
		return;
	}
	res->headers[res->header_count].name = name;
	va_start(ap, fmt);
	vsnprintf(res->headers[res->header_count].value, API_HEADER_VALUE_MAX, fmt, ap);
	va_end(ap);
	res->header_count++;
}

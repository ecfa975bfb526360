#include "api/core/problem.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/reply.h"
#include "base/buf.h"
#include "base/clock.h"

static const struct ekv_error_row rows[] = {
#define EKV_ERROR(name, status, code, type, detail) {status, code, type, detail},
#include "api/core/errors.def"
#undef EKV_ERROR
};

static const struct {
	int status;
	const char *kind;
	const char *title;
	const char *detail;
} gateway_rows[] = {
#define GATEWAY_ERROR(name, status, kind, title, detail) {status, kind, title, detail},
#include "api/core/errors.def"
#undef GATEWAY_ERROR
};

const struct ekv_error_row *problem_row(enum ekv_error err)
{
	return &rows[err];
}

const char *status_title(int status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 410:
		return "Not Found"; /* sic: example token-410 of the 2023 spec */
	case 413:
		return "Payload Too Large";
	case 414:
		return "URI Too Long";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable Error"; /* sic: the initialize test of the Go client */
	case 504:
		return "Gateway Timeout";
	case 507:
		return "Insufficient Storage";
	default:
		return "Internal Server Error";
	}
}

/* Substitutes each %s of fmt by the next string argument; "%%" is a literal '%'. */
static void format_detail(struct buf *out, const char *fmt, va_list ap)
{
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 's') {
			const char *arg = va_arg(ap, const char *);

			/* Echo printable ASCII only: client bytes must not break the JSON's UTF-8.
			 */
			for (const char *a = arg ? arg : ""; *a; a++) {
				char ch = *a;

				if (ch < 0x20 || ch >= 0x7f)
					ch = '?';
				buf_addch(out, ch);
			}
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			buf_addch(out, '%');
			p++;
		} else {
			buf_addch(out, *p);
		}
	}
}

/*
 * An internal error the storage traces to its disk (storage/store.h: a full
 * disk, an I/O error) gets its own answer, so a client and its operator
 * can tell it from a bug; every handler answers EKV_INTERNAL alike.
 */
static enum ekv_error storage_cause(const struct api_call *c, enum ekv_error err)
{
	if (err != EKV_INTERNAL)
		return err;
	switch (store_fault(c->st)) {
	case STORE_FAULT_NO_SPACE:
		return EKV_STORAGE_FULL;
	case STORE_FAULT_IO:
		return EKV_STORAGE_IO;
	default:
		return err;
	}
}

void reply_problem(struct api_call *c, enum ekv_error err, ...)
{
	const struct ekv_error_row *row = &rows[storage_cause(c, err)];
	struct buf detail = BUF_INIT, text = BUF_INIT;
	char instance[80], uuid[IDS_UUID_LEN + 1];
	cJSON *root = cJSON_CreateObject(), *more;
	va_list ap;

	va_start(ap, err);
	format_detail(&detail, row->detail, ap);
	va_end(ap);
	/* An empty kind is the Known issues page's sandbox body: "type": "" and a /edgeKV/
	 * instance. */
	if (row->type[0])
		buf_addf(&text, "/edgekv/error-types/edgekv-%s", row->type);
	ids_uuid_v4(uuid);
	snprintf(instance, sizeof(instance), "/%s/error-instances/%s",
	         row->type[0] ? "edgekv" : "edgeKV", uuid);

	cJSON_AddStringToObject(root, "type", text.ptr ? text.ptr : "");
	cJSON_AddStringToObject(root, "title", status_title(row->status));
	cJSON_AddNumberToObject(root, "status", row->status);
	cJSON_AddStringToObject(root, "detail", detail.ptr ? detail.ptr : "");
	cJSON_AddStringToObject(root, "instance", instance);
	cJSON_AddStringToObject(root, "errorCode", row->code);
	more = cJSON_AddObjectToObject(root, "additionalDetail");
	cJSON_AddStringToObject(more, "requestId", c->req->request_id);
	reply_json_steal_as(c, row->status, "application/problem+json", root);
	buf_release(&detail);
	buf_release(&text);
}

void reply_gateway(struct api_call *c, enum gateway_error err)
{
	const char *host = api_request_header(c->req, "Host");
	char type[160], instance[512], server_ip[128], when[CLOCK_RFC3339_MAX];
	cJSON *root = cJSON_CreateObject();

	snprintf(type, sizeof(type), "https://problems.luna.akamaiapis.net/-/%s",
	         gateway_rows[err].kind);
	snprintf(instance, sizeof(instance), "%s://%s%.400s", c->req->tls ? "https" : "http",
	         host ? host : "", c->req->target);
	snprintf(server_ip, sizeof(server_ip), "%s", host ? host : "");
	server_ip[strcspn(server_ip, ":")] = '\0';
	clock_format_rfc3339(clock_wall_ms(), false, when);
	cJSON_AddStringToObject(root, "type", type);
	cJSON_AddStringToObject(root, "title", gateway_rows[err].title);
	cJSON_AddNumberToObject(root, "status", gateway_rows[err].status);
	cJSON_AddStringToObject(root, "detail", gateway_rows[err].detail);
	cJSON_AddStringToObject(root, "instance", instance);
	cJSON_AddStringToObject(root, "method", api_request_method(c->req));
	cJSON_AddStringToObject(root, "serverIp", server_ip);
	cJSON_AddStringToObject(root, "clientIp", c->req->peer ? c->req->peer : "");
	cJSON_AddStringToObject(root, "requestId", c->req->request_id);
	cJSON_AddStringToObject(root, "requestTime", when);
	reply_json_steal_as(c, gateway_rows[err].status, "application/problem+json", root);
}

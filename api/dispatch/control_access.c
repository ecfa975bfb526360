#include "api/dispatch/control_access.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/auth/edgegrid.h"
#include "api/core/call.h"
#include "api/core/problem.h"

#define HOST_MAX 256

static bool has_secret(const struct api_call *c)
{
	const char *secret = c->api->config.admin_secret;
	const char *given = api_request_header(c->req, "X-Emulator-Admin-Secret");

	return secret && *secret && given && edgegrid_signature_equal(secret, given);
}

/* The host of a Host value ("[::1]:8080" → "::1", "localhost:80" → "localhost"); false if odd. */
static bool host_name(const char *value, char *out, size_t size)
{
	const char *end;
	size_t len;

	if (value[0] == '[') {
		value++;
		end = strchr(value, ']');
		if (!end || (end[1] && end[1] != ':'))
			return false;
	} else {
		end = strchr(value, ':');
		end = end ? end : value + strlen(value);
	}
	len = (size_t)(end - value);
	if (len == 0 || len >= size)
		return false;
	memcpy(out, value, len);
	out[len] = '\0';
	return true;
}

/*
 * A page on a name the attacker controls can point that name at 127.0.0.1
 * (DNS rebinding) and then reads the answers as its own: its requests still
 * say the attacker's name in Host, so only names that are loopback whatever
 * DNS says, and the listen address, are answered.
 */
static bool host_allowed(const struct api_call *c, const char *value)
{
	const char *listen = c->api->config.listen;
	char host[HOST_MAX];

	if (!value || !host_name(value, host, sizeof(host)))
		return false;
	if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
		return true;
	if (strspn(host, "0123456789.") == strlen(host) || strchr(host, ':'))
		return api_address_is_loopback(host) ||
		       (listen && strcmp(listen, "0.0.0.0") != 0 && strcmp(listen, "::") != 0 &&
		        strcmp(host, listen) == 0);
	return false;
}

/*
 * A browser names the page's origin; any other than the request's own scheme
 * and Host is another site.
 */
static bool origin_foreign(const struct api_call *c, const char *host)
{
	const char *origin = api_request_header(c->req, "Origin");
	const char *site = api_request_header(c->req, "Sec-Fetch-Site");
	const char *scheme = c->req->tls ? "https://" : "http://";
	size_t n = strlen(scheme);

	if (site && strcasecmp(site, "same-origin") != 0 && strcasecmp(site, "none") != 0)
		return true;
	if (!origin)
		return false;
	return !host || strncasecmp(origin, scheme, n) != 0 || strcasecmp(origin + n, host) != 0;
}

/* HTML forms and no-preflight fetches can send only form, multipart or text bodies. */
static bool body_not_json(const struct api_call *c)
{
	const char *type = api_request_header(c->req, "Content-Type");
	size_t n = strlen("application/json");

	if (!type)
		return c->req->body_len > 0;
	return strncasecmp(type, "application/json", n) != 0 ||
	       (type[n] && type[n] != ';' && type[n] != ' ');
}

bool control_access(struct api_call *c)
{
	const char *host = api_request_header(c->req, "Host");
	const char *origin = api_request_header(c->req, "Origin");
	bool secret;

	/* A request built in memory (unit tests, fuzzing) has no peer. */
	if (!c->req->peer)
		return true;
	secret = has_secret(c);
	if (!secret && !c->api->config.control_any_peer && !api_address_is_loopback(c->req->peer)) {
		reply_problem(c, EKV_CONTROL_FORBIDDEN);
		return false;
	}
	if (!secret && !host_allowed(c, host)) {
		reply_problem(c, EKV_CONTROL_BAD_HOST, host ? host : "");
		return false;
	}
	if (origin_foreign(c, host)) {
		reply_problem(c, EKV_CONTROL_FOREIGN_ORIGIN,
		              origin ? origin : api_request_header(c->req, "Sec-Fetch-Site"));
		return false;
	}
	if (c->req->method != HTTP_GET && c->req->method != HTTP_HEAD && body_not_json(c)) {
		reply_problem(c, EKV_CONTROL_NOT_JSON);
		return false;
	}
	return true;
}

/*
 * /_emulator/requests: the request journal (docs/control-api.md "The
 * request journal"), kept by api/state/journal.c.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/journal.h"
#include "base/clock.h"

struct journal_filter {
	char path[JOURNAL_TARGET_MAX];
	char account[STORE_ACCOUNT_MAX + 1];
	long status;
	cJSON *list;
};

static void add_entry(void *ctx, const struct journal_entry *e)
{
	struct journal_filter *f = ctx;
	char when[CLOCK_RFC3339_MAX], text[JOURNAL_BODY_MAX + 1];
	const char *name, *value;
	size_t pos = 0;
	cJSON *o, *headers;

	if ((f->path[0] && strncmp(e->target, f->path, strlen(f->path)) != 0) ||
	    (f->account[0] && strcmp(e->account, f->account) != 0) ||
	    (f->status && e->status != f->status))
		return;
	o = cJSON_CreateObject();
	clock_format_rfc3339(e->at_ms, true, when);
	cJSON_AddNumberToObject(o, "seq", (double)e->seq);
	cJSON_AddStringToObject(o, "time", when);
	cJSON_AddStringToObject(o, "method", e->method);
	cJSON_AddStringToObject(o, "target", e->target);
	cJSON_AddNumberToObject(o, "status", e->status);
	cJSON_AddStringToObject(o, "account", e->account);
	cJSON_AddStringToObject(o, "requestId", e->request_id);
	cJSON_AddNumberToObject(o, "latencyMs", (double)e->latency_ms);
	headers = cJSON_AddObjectToObject(o, "headers");
	while (journal_header_next(e, &pos, &name, &value))
		cJSON_AddStringToObject(headers, name, value);
	cJSON_AddNumberToObject(o, "requestBodyBytes", (double)e->request_len);
	journal_body_text(text, e->request_body, e->request_kept);
	cJSON_AddStringToObject(o, "requestBody", text);
	cJSON_AddStringToObject(o, "responseContentType", e->response_type);
	cJSON_AddNumberToObject(o, "responseBodyBytes", (double)e->response_len);
	journal_body_text(text, e->response_body, e->response_kept);
	cJSON_AddStringToObject(o, "responseBody", text);
	cJSON_AddItemToArray(f->list, o);
}

/*
 * GET /_emulator/requests[?path=PREFIX][&status=N][&account=ID][&since=SEQ]:
 * oldest first; since= gives only the entries after that sequence number, so a
 * poller reads each entry once.
 */
void control_requests(struct api_call *c)
{
	struct journal_filter f = {0};
	char status[8], since_text[24], *end;
	long long since = 0;
	cJSON *root;

	if (query_param(c, "since", since_text, sizeof(since_text))) {
		errno = 0;
		since = strtoll(since_text, &end, 10);
		if (since_text[0] < '0' || since_text[0] > '9' || *end || errno) {
			reply_problem(c, EKV_QUERY_INVALID, "since");
			return;
		}
	}
	root = cJSON_CreateObject();
	query_param(c, "path", f.path, sizeof(f.path));
	/* The account of ?account= (api/control/account.c); none: every account. */
	snprintf(f.account, sizeof(f.account), "%s", c->account.id);
	if (query_param(c, "status", status, sizeof(status)))
		f.status = strtol(status, NULL, 10);
	f.list = cJSON_AddArrayToObject(root, "requests");
	journal_each(c->api->journal, since, add_entry, &f);
	reply_json_steal(c, 200, root);
}

/* DELETE /_emulator/requests */
void control_requests_clear(struct api_call *c)
{
	journal_clear(c->api->journal);
	reply_empty(c, 204);
}

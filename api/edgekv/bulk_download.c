/*
 * Bulk download: GET …/namespaces/{ns}/download and …/groups/{g}/download
 * write the items as the CSV the upload takes (groupId,itemId,value, no
 * header row), with showExpires=true a fourth field, the expiry in epoch
 * seconds (0: never). Served as text/csv; charset=utf-8, never bare
 * text/csv: Akamai's PowerShell module parses bare text/csv into objects.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/csv.h"
#include "api/edgekv/handlers.h"
#include "api/edgekv/require.h"
#include "storage/jobs.h"

struct download {
	struct buf *out;
	bool expires;
	int64_t count;
};

static void add_line(void *ctx, const char *group, const char *key, const void *value, size_t len,
                     int64_t expires_at_ms)
{
	struct download *d = ctx;

	csv_field_add(d->out, group, strlen(group));
	buf_addch(d->out, ',');
	csv_field_add(d->out, key, strlen(key));
	buf_addch(d->out, ',');
	csv_field_add(d->out, len ? value : "", len);
	if (d->expires)
		buf_addf(d->out, ",%lld", (long long)(expires_at_ms / 1000));
	buf_addch(d->out, '\n');
	d->count++;
}

/* maxItems (digits, at least 1; all items when absent) and showExpires (true/false). */
static bool download_options(struct api_call *c, int64_t *limit, bool *expires)
{
	char text[24], *end;
	long long v;

	*limit = INT64_MAX;
	*expires = false;
	if (query_param(c, "maxItems", text, sizeof(text))) {
		v = strtoll(text, &end, 10);
		if (text[0] < '0' || text[0] > '9' || *end || v < 1 || v == LLONG_MAX) {
			reply_problem(c, EKV_QUERY_INVALID, "maxItems");
			return false;
		}
		*limit = v;
	}
	if (query_param(c, "showExpires", text, sizeof(text))) {
		if (strcasecmp(text, "true") != 0 && strcasecmp(text, "false") != 0) {
			reply_problem(c, EKV_QUERY_INVALID, "showExpires");
			return false;
		}
		*expires = strcasecmp(text, "true") == 0;
	}
	return true;
}

void bulk_download(struct api_call *c)
{
	char sandbox[STORE_SANDBOX_MAX + 1];
	struct namespace_rec ns;
	struct item_ref ref = {0};
	struct download d = {&c->res->body, false, 0};
	enum network net;
	int64_t limit;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns) ||
	    !require_sandbox(c, net, sandbox) || !download_options(c, &limit, &d.expires))
		return;
	ref.group = route_param(&c->params, "group");
	if (ref.group && !require_group_and_key(c, &ref))
		return;
	ref.account = c->account.id;
	ref.network = net;
	ref.namespace = ns.name;
	ref.sandbox = sandbox;
	buf_reset(&c->res->body);
	if (store_item_export(c->st, &ref, c->now_ms, limit, add_line, &d) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	if (d.count == 0) {
		reply_problem(c, EKV_BULK_NOT_FOUND);
		return;
	}
	c->res->status = 200;
	snprintf(c->res->content_type, sizeof(c->res->content_type), "text/csv; charset=utf-8");
}

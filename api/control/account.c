/* Which account a control acts on (api/control/account.h). */
#include "api/control/account.h"

#include <string.h>

#include "api/core/call.h"
#include "api/core/problem.h"

/* Room for an ?account= longer than any account id, so that the 404 names what was sent. */
#define ACCOUNT_PARAM_MAX 256

bool control_account_find(struct api_call *c, const char *id, struct account_rec *out)
{
	size_t n = strlen(id);
	enum store_status status = STORE_NOT_FOUND;

	if (n > 0 && n <= STORE_ACCOUNT_MAX)
		status = store_account_get(c->st, id, out);
	if (status == STORE_OK)
		return true;
	if (status == STORE_NOT_FOUND)
		reply_problem(c, EKV_ACCOUNT_NOT_FOUND, id);
	else
		reply_problem(c, EKV_INTERNAL);
	return false;
}

bool control_account_resolve(struct api_call *c)
{
	const char *path = route_param(&c->params, "account");
	char query[ACCOUNT_PARAM_MAX];

	if (path)
		return control_account_find(c, path, &c->account);
	if (query_param(c, "account", query, sizeof(query)))
		return control_account_find(c, query, &c->account);
	if (c->route->flags & ROUTE_ACCOUNT)
		return control_account_find(c, c->api->config.default_account, &c->account);
	memset(&c->account, 0, sizeof(c->account));
	return true;
}

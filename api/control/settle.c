/*
 * POST /_emulator/settle[?account=ID]: the consistency window of
 * docs/control-api.md "Settings per account" closed at once.
 */
#include <cjson/cJSON.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"

/* Every delayed write visible, every delayed delete done: of the account, or of all. */
void control_settle(struct api_call *c)
{
	bool one = c->account.id[0] != '\0';
	cJSON *root;

	if (store_settle(c->st, one ? c->account.id : NULL) != STORE_OK) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	cJSON_AddBoolToObject(root, "settled", true);
	if (one)
		cJSON_AddStringToObject(root, "account", c->account.id);
	reply_json_steal(c, 200, root);
}

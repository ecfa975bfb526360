/*
 * GET /_emulator/notifications: the token expiration notices that the
 * daily checks of api/edgekv/notifications.c recorded, as JSON.
 */
#include <cjson/cJSON.h>

#include "api/control/handlers.h"
#include "api/core/call.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/notifications.h"
#include "base/clock.h"

static void add_notice(void *ctx, const struct notice_rec *n)
{
	cJSON *array = ctx, *entry = cJSON_CreateObject(), *tokens;
	char when[CLOCK_RFC3339_MAX];

	clock_format_rfc3339(n->created_ms, false, when);
	cJSON_AddNumberToObject(entry, "id", (double)n->id);
	cJSON_AddStringToObject(entry, "account", n->account);
	cJSON_AddStringToObject(entry, "createdAt", when);
	cJSON_AddStringToObject(entry, "type", "token-expiration");
	cJSON_AddNumberToObject(entry, "daysBeforeExpiry", (double)n->days);
	cJSON_AddStringToObject(entry, "channel", n->channel);
	if (n->recipient[0])
		cJSON_AddStringToObject(entry, "recipient", n->recipient);
	cJSON_AddStringToObject(entry, "subject", n->subject ? n->subject : "");
	cJSON_AddStringToObject(entry, "message", n->body ? n->body : "");
	tokens = cJSON_Parse(n->tokens_json ? n->tokens_json : "[]");
	cJSON_AddItemToObject(entry, "tokens", tokens ? tokens : cJSON_CreateArray());
	cJSON_AddItemToArray(array, entry);
}

/* GET /_emulator/notifications: the account's notices, oldest first, after catching up. */
void control_notifications_list(struct api_call *c)
{
	cJSON *root, *array;

	if (!tokens_daily_checks(c)) {
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = cJSON_CreateObject();
	array = cJSON_AddArrayToObject(root, "notifications");
	if (store_notice_list(c->st, c->account.id, add_notice, array) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

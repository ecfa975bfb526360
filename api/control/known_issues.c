/*
 * GET and PUT /_emulator/known-issues?account=ID: the account's profile of
 * the real service's known issues (docs/known-issues.md).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/handlers.h"
#include "api/control/known_issues.h"
#include "api/core/call.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/state/settings.h"

/* Reads {"name": bool, ...} of known issues into *bits; NULL obj changes nothing. */
bool require_issue_map(struct api_call *c, const cJSON *obj, unsigned *bits)
{
	const cJSON *e;

	if (!obj)
		return true;
	if (!cJSON_IsObject(obj)) {
		reply_problem(c, EKV_FIELD_INVALID, "knownIssues");
		return false;
	}
	cJSON_ArrayForEach(e, obj)
	{
		unsigned bit = known_issue_parse(e->string);

		if (!bit) {
			reply_problem(c, EKV_FIELD_UNKNOWN, e->string);
			return false;
		}
		if (!cJSON_IsBool(e)) {
			reply_problem(c, EKV_FIELD_INVALID, e->string);
			return false;
		}
		*bits = cJSON_IsTrue(e) ? *bits | bit : *bits & ~bit;
	}
	return true;
}

static cJSON *issues_json(const char *account, unsigned bits)
{
	cJSON *root = cJSON_CreateObject(), *list;

	cJSON_AddStringToObject(root, "account", account);
	list = cJSON_AddArrayToObject(root, "issues");
	for (unsigned i = 0; i < ISSUE_COUNT; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", known_issue_name(1u << i));
		cJSON_AddStringToObject(o, "seedSection", known_issue_section(1u << i));
		cJSON_AddBoolToObject(o, "enabled", (bits & (1u << i)) != 0);
		cJSON_AddItemToArray(list, o);
	}
	return root;
}

/* GET /_emulator/known-issues?account=ID */
void control_known_issues_get(struct api_call *c)
{
	const char *account = c->account.id;
	struct account_settings s;

	settings_get(c->api->settings, account, &s);
	reply_json_steal(c, 200, issues_json(account, s.issues));
}

/*
 * PUT /_emulator/known-issues?account=ID {"profile": "all"|"none"|"default",
 * name: bool, ...}: the profile first, then each named issue.
 */
void control_known_issues_put(struct api_call *c)
{
	const char *account = c->account.id;
	cJSON *profile;
	struct account_settings s;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	settings_get(c->api->settings, account, &s);
	profile = cJSON_DetachItemFromObjectCaseSensitive(body, "profile");
	if (profile) {
		const char *p = cJSON_IsString(profile) ? profile->valuestring : "";

		if (strcmp(p, "all") == 0)
			s.issues = (1u << ISSUE_COUNT) - 1;
		else if (strcmp(p, "none") == 0)
			s.issues = 0;
		else if (strcmp(p, "default") == 0)
			s.issues = ISSUES_DEFAULT;
		else
			s.issues = ~0u;
		cJSON_Delete(profile);
		if (s.issues == ~0u) {
			reply_problem(c, EKV_FIELD_INVALID, "profile");
			goto out;
		}
	}
	if (!require_issue_map(c, body, &s.issues))
		goto out;
	settings_put(c->api->settings, account, &s);
	reply_json_steal(c, 200, issues_json(account, s.issues));
out:
	cJSON_Delete(body);
}

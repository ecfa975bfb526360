/*
 * GET and PUT /_emulator/settings?account=ID: the account's consistency,
 * retention delay, rate limit, initialization delay and known issues
 * (docs/control-api.md "Settings per account"). The dispatcher found the
 * account (api/control/account.c).
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

/* The real service's documented window: "10 seconds or less in the majority of cases". */
#define EVENTUAL_DELAY_S 10LL
#define DELAY_MAX_S      (366LL * 86400)

static cJSON *settings_json(const char *account, const struct account_settings *s)
{
	cJSON *root = cJSON_CreateObject(), *issues;

	cJSON_AddStringToObject(root, "account", account);
	cJSON_AddStringToObject(root, "consistency",
	                        s->consistency_delay_ms ? "eventual" : "immediate");
	cJSON_AddNumberToObject(root, "consistencyDelaySeconds",
	                        (double)s->consistency_delay_ms / 1000.0);
	cJSON_AddNumberToObject(root, "retentionDelaySeconds",
	                        (double)s->retention_delay_ms / 1000.0);
	cJSON_AddNumberToObject(root, "rateLimit", (double)s->rate_limit);
	cJSON_AddNumberToObject(root, "initPendingSeconds", (double)s->init_pending_ms / 1000.0);
	issues = cJSON_AddObjectToObject(root, "knownIssues");
	for (unsigned i = 0; i < ISSUE_COUNT; i++)
		cJSON_AddBoolToObject(issues, known_issue_name(1u << i),
		                      (s->issues & (1u << i)) != 0);
	return root;
}

/* GET /_emulator/settings?account=ID */
void control_settings_get(struct api_call *c)
{
	const char *account = c->account.id;
	struct account_settings s;

	settings_get(c->api->settings, account, &s);
	reply_json_steal(c, 200, settings_json(account, &s));
}

/* A number of seconds into milliseconds; leaves *ms alone when absent. */
static bool require_seconds(struct api_call *c, const cJSON *body, const char *name, int64_t *ms)
{
	int64_t s = 0;
	bool present = false;

	if (!require_int(c, body, name, 0, DELAY_MAX_S, EKV_FIELD_INVALID, &s, &present))
		return false;
	if (present)
		*ms = s * 1000;
	return true;
}

/*
 * PUT /_emulator/settings?account=ID {"consistency": "immediate"|"eventual",
 * "consistencyDelaySeconds", "retentionDelaySeconds", "rateLimit",
 * "initPendingSeconds", "knownIssues": {name: bool}}: only what is given changes.
 */
void control_settings_put(struct api_call *c)
{
	static const char *const fields[] = {
	        "consistency", "consistencyDelaySeconds", "retentionDelaySeconds",
	        "rateLimit",   "initPendingSeconds",      "knownIssues",
	        NULL};
	const char *account = c->account.id;
	const char *mode = NULL;
	bool has_mode = false;
	struct account_settings s;
	cJSON *body;

	body = require_json_object(c, false);
	if (!body)
		return;
	settings_get(c->api->settings, account, &s);
	if (!require_known_fields(c, body, fields) ||
	    !require_string(c, body, "consistency", EKV_FIELD_INVALID, &mode, &has_mode))
		goto out;
	if (has_mode) {
		if (strcmp(mode, "immediate") == 0) {
			s.consistency_delay_ms = 0;
		} else if (strcmp(mode, "eventual") == 0) {
			if (!s.consistency_delay_ms)
				s.consistency_delay_ms = EVENTUAL_DELAY_S * 1000;
		} else {
			reply_problem(c, EKV_FIELD_INVALID, "consistency");
			goto out;
		}
	}
	if (!require_seconds(c, body, "consistencyDelaySeconds", &s.consistency_delay_ms) ||
	    !require_seconds(c, body, "retentionDelaySeconds", &s.retention_delay_ms) ||
	    !require_int(c, body, "rateLimit", 0, 1000000000, EKV_FIELD_INVALID, &s.rate_limit,
	                 NULL) ||
	    !require_seconds(c, body, "initPendingSeconds", &s.init_pending_ms) ||
	    !require_issue_map(c, cJSON_GetObjectItemCaseSensitive(body, "knownIssues"), &s.issues))
		goto out;
	settings_put(c->api->settings, account, &s);
	reply_json_steal(c, 200, settings_json(account, &s));
out:
	cJSON_Delete(body);
}

/*
 * The one clock under control: GET /_emulator/clock reads it,
 * POST moves it. Every time-driven rule (retention, the sandbox's two days,
 * scheduled namespace deletes and their five-minute cut-off, retention
 * change delays, consistency windows, initialization's pending phase) reads
 * base/clock.c, so moving it moves them all.
 */
#include <cjson/cJSON.h>

#include "api/core/call.h"
#include "api/control/handlers.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "base/clock.h"

/* A century either way is more than any rule needs and keeps milliseconds in range. */
#define ADVANCE_MAX_S (100LL * 366 * 86400)

static void reply_clock(struct api_call *c)
{
	char now[CLOCK_RFC3339_MAX];
	cJSON *root = cJSON_CreateObject();

	int64_t ms = clock_now_ms(c->api->clock);

	clock_format_rfc3339(ms, true, now);
	cJSON_AddStringToObject(root, "now", now);
	cJSON_AddNumberToObject(root, "nowMs", (double)ms); /* what the token tests compute with */
	cJSON_AddBoolToObject(root, "frozen", clock_is_frozen(c->api->clock));
	reply_json_steal(c, 200, root);
}

/* GET /_emulator/clock: {"now": RFC 3339 with milliseconds, "nowMs", "frozen": bool} */
void control_clock_get(struct api_call *c)
{
	reply_clock(c);
}

/*
 * POST /_emulator/clock {"reset": true, "set": RFC 3339, "advanceSeconds": N,
 * "freeze": bool}: any of them, applied in that order.
 */
void control_clock_post(struct api_call *c)
{
	static const char *const fields[] = {"reset", "set", "advanceSeconds", "freeze", NULL};
	bool reset = false, freeze = false, has_freeze = false, has_set = false,
	     has_advance = false;
	const char *set = NULL;
	int64_t advance = 0, at = 0;
	cJSON *body = require_json_object(c, false);

	if (!body)
		return;
	if (!require_known_fields(c, body, fields) ||
	    !require_bool(c, body, "reset", EKV_FIELD_INVALID, &reset, NULL) ||
	    !require_string(c, body, "set", EKV_FIELD_INVALID, &set, &has_set) ||
	    !require_int(c, body, "advanceSeconds", -ADVANCE_MAX_S, ADVANCE_MAX_S,
	                 EKV_FIELD_INVALID, &advance, &has_advance) ||
	    !require_bool(c, body, "freeze", EKV_FIELD_INVALID, &freeze, &has_freeze))
		goto out;
	if (has_set && clock_parse_rfc3339(set, true, &at) != 0) {
		reply_problem(c, EKV_FIELD_INVALID, "set");
		goto out;
	}
	if (reset)
		clock_reset(c->api->clock);
	if (has_set)
		clock_set_ms(c->api->clock, at);
	if (has_advance)
		clock_advance_ms(c->api->clock, advance * 1000);
	if (has_freeze)
		clock_freeze(c->api->clock, freeze);
	reply_clock(c);
out:
	cJSON_Delete(body);
}

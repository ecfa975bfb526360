/*
 * The body of POST /tokens, validated field by field into a token_rec with
 * the real service's messages.
 */
#include "api/edgekv/token_body.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/json.h"
#include "api/core/problem.h"
#include "base/clock.h"

#define EWIDS_MAX         8 /* "up to 8" EdgeWorker ids per token */
#define EWID_MAX_LEN      32
#define LEGACY_MONTHS_MAX 6 /* "a maximum six months from when the token was created" */

static bool require_name(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, "name");

	if (!v || cJSON_IsNull(v)) {
		reply_problem(c, EKV_FIELD_MISSING, "name");
		return false;
	}
	if (!cJSON_IsString(v) || !ids_namespace_valid(v->valuestring, strlen(v->valuestring))) {
		reply_problem(c, EKV_NAME_INVALID);
		return false;
	}
	snprintf(t->name, sizeof(t->name), "%s", v->valuestring);
	return true;
}

static bool require_networks(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	bool prod = false, staging = false;

	if (!require_bool(c, body, "allowOnProduction", EKV_FIELD_INVALID, &t->allow_production,
	                  &prod) ||
	    !require_bool(c, body, "allowOnStaging", EKV_FIELD_INVALID, &t->allow_staging,
	                  &staging))
		return false;
	if (!prod || !staging) {
		reply_problem(c, EKV_FIELD_MISSING, prod ? "allowOnStaging" : "allowOnProduction");
		return false;
	}
	if (!t->allow_production && !t->allow_staging) {
		reply_problem(c, EKV_TOKEN_NETWORK_REQUIRED);
		return false;
	}
	return true;
}

/*
 * restrictToEdgeWorkerIds (the 2023 spec), or restrictToEwids as the CLI sends it
 * (docs/clients.md §3): ["all"], an empty list or no list at all mean every id.
 */
static bool require_ewids(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const char *field = "restrictToEdgeWorkerIds";
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, field), *v;
	struct buf joined = BUF_INIT;
	int n = 0;
	bool all = false;

	if (!list || cJSON_IsNull(list)) {
		field = "restrictToEwids";
		list = cJSON_GetObjectItemCaseSensitive(body, field);
	}
	t->ewids[0] = '\0';
	if (!list || cJSON_IsNull(list))
		return true;
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > EWIDS_MAX)
		goto bad;
	cJSON_ArrayForEach(v, list)
	{
		char id[EWID_MAX_LEN + 2];

		if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e15 &&
		    v->valuedouble == (double)(long long)v->valuedouble)
			snprintf(id, sizeof(id), "%lld", (long long)v->valuedouble);
		else if (cJSON_IsString(v) && strlen(v->valuestring) <= EWID_MAX_LEN)
			snprintf(id, sizeof(id), "%s", v->valuestring);
		else
			goto bad;
		if (strcasecmp(id, "all") == 0) {
			all = true;
			continue;
		}
		if (!ids_charset_valid(id, strlen(id), EWID_MAX_LEN))
			goto bad;
		if (n++)
			buf_addch(&joined, ',');
		buf_addstr(&joined, id);
	}
	if (!all && joined.ptr)
		snprintf(t->ewids, sizeof(t->ewids), "%s", joined.ptr);
	buf_release(&joined);
	return true;
bad:
	buf_release(&joined);
	reply_problem(c, EKV_FIELD_INVALID, field);
	return false;
}

/* One namespace's letters: 1-3 unique of r, w, d (token-namespace.yaml). */
static bool parse_letters(const cJSON *list, char *out)
{
	const cJSON *v;
	size_t n = 0;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 || cJSON_GetArraySize(list) > 3)
		return false;
	cJSON_ArrayForEach(v, list)
	{
		if (!cJSON_IsString(v) || strlen(v->valuestring) != 1 ||
		    !strchr("rwd", v->valuestring[0]) || memchr(out, v->valuestring[0], n))
			return false;
		out[n++] = v->valuestring[0];
	}
	out[n] = '\0';
	return true;
}

/*
 * namespacePermissions: 1-20 namespaces that exist on a network the token
 * is for, all with the same data access policy (the token schema of the 2023 spec).
 */
static bool require_permissions(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	const cJSON *perms = cJSON_GetObjectItemCaseSensitive(body, "namespacePermissions"), *v;
	int policy = -1;

	if (!perms || cJSON_IsNull(perms)) {
		reply_problem(c, EKV_FIELD_MISSING, "namespacePermissions");
		return false;
	}
	if (!cJSON_IsObject(perms) || cJSON_GetArraySize(perms) < 1 ||
	    cJSON_GetArraySize(perms) > STORE_TOKEN_NAMESPACES) {
		reply_problem(c, EKV_FIELD_INVALID, "namespacePermissions");
		return false;
	}
	t->perm_count = 0;
	cJSON_ArrayForEach(v, perms)
	{
		struct token_perm *p = &t->perms[t->perm_count];
		struct namespace_rec ns;
		enum store_status status = STORE_NOT_FOUND;

		if (!ids_namespace_valid(v->string, strlen(v->string))) {
			reply_problem(c, EKV_NAME_INVALID);
			return false;
		}
		if (!parse_letters(v, p->letters)) {
			reply_problem(c, EKV_PERMISSION_INVALID);
			return false;
		}
		if (t->allow_staging)
			status = store_namespace_get(c->st, c->account.id, NETWORK_STAGING,
			                             v->string, c->now_ms, &ns);
		if (status == STORE_NOT_FOUND && t->allow_production)
			status = store_namespace_get(c->st, c->account.id, NETWORK_PRODUCTION,
			                             v->string, c->now_ms, &ns);
		if (status != STORE_OK) {
			reply_problem(c, status == STORE_NOT_FOUND ? EKV_NAMESPACE_NOT_FOUND
			                                           : EKV_INTERNAL);
			return false;
		}
		if (policy >= 0 && policy != ns.restrict_data_access) {
			reply_problem(c, EKV_TOKEN_POLICY_MIXED);
			return false;
		}
		policy = ns.restrict_data_access;
		snprintf(p->namespace, sizeof(p->namespace), "%s", v->string);
		t->perm_count++;
	}
	return true;
}

/*
 * Which workflow the token follows, and its expiry. "auto" (the default)
 * makes a legacy token when the request has a non-empty expiry and an
 * enhanced one otherwise, so today's CLI (expiry "") and the expiring legacy
 * tokens both work. The CLI sends a date-time, others a bare date (docs/behaviour.md §5.6).
 */
bool token_body_require_expiry(struct api_call *c, const cJSON *body, enum token_workflow workflow,
                               struct token_rec *t)
{
	const char *expiry = "";
	bool present = false, given;
	int64_t ms, day, today = clock_day(c->now_ms);

	if (!require_string(c, body, "expiry", EKV_TOKEN_EXPIRY_INVALID, &expiry, &present))
		return false;
	given = present && expiry[0];
	t->legacy = workflow == TOKEN_WORKFLOW_LEGACY || (workflow == TOKEN_WORKFLOW_AUTO && given);
	if (!t->legacy) {
		t->expiry_day = STORE_ENHANCED_EXPIRY_DAY;
		return true;
	}
	if (!given) {
		reply_problem(c, EKV_FIELD_MISSING, "expiry");
		return false;
	}
	if (clock_parse_rfc3339(expiry, true, &ms) != 0) {
		reply_problem(c, EKV_TOKEN_EXPIRY_INVALID);
		return false;
	}
	day = clock_day(ms);
	if (day <= today || day > clock_add_months(today, LEGACY_MONTHS_MAX)) {
		reply_problem(c, EKV_TOKEN_EXPIRY_INVALID);
		return false;
	}
	t->expiry_day = day;
	return true;
}

bool token_body_require(struct api_call *c, const cJSON *body, struct token_rec *t)
{
	static const char *const fields[] = {
	        "name",   "allowOnProduction",       "allowOnStaging",  "namespacePermissions",
	        "expiry", "restrictToEdgeWorkerIds", "restrictToEwids", NULL};

	return require_known_fields(c, body, fields) && require_name(c, body, t) &&
	       require_networks(c, body, t) && require_ewids(c, body, t) &&
	       require_permissions(c, body, t);
}

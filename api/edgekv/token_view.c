/*
 * An access token as the management API shows it. Two workflows live side
 * by side: legacy tokens carry an RS256 JWT and an expiry at most six months
 * ahead; enhanced tokens carry no value, "expire" on 9999-12-31, refresh
 * every two months and are IN_PROGRESS until their activation completes
 * (docs/behaviour.md "Access tokens").
 */
#include "api/edgekv/token_view.h"

#include "api/auth/access_token.h"
#include "base/clock.h"

#define REFRESH_MONTHS 2 /* next refresh = issue or last refresh + 2 months */

/* latestRefreshDate (-1 for null) and nextScheduledRefreshDate of an enhanced token. */
static void refresh_days(const struct token_rec *t, int64_t now_ms, int64_t *latest, int64_t *next)
{
	int64_t anchor = clock_day(t->refreshed_ms ? t->refreshed_ms : t->issued_ms);
	int64_t today = clock_day(now_ms);

	*latest = t->refreshed_ms ? anchor : -1;
	*next = clock_add_months(anchor, REFRESH_MONTHS);
	for (int64_t k = 2; *next <= today && k < 100000; k++) {
		*latest = *next;
		*next = clock_add_months(anchor, REFRESH_MONTHS * k);
	}
}

static const char *activation_status(const struct token_rec *t, int64_t now_ms)
{
	int64_t done = t->busy_until_ms > t->active_ms ? t->busy_until_ms : t->active_ms;

	return now_ms < done ? "IN_PROGRESS" : "COMPLETE";
}

static void add_day(cJSON *obj, const char *name, int64_t day)
{
	char text[CLOCK_RFC3339_MAX];

	if (day < 0) {
		cJSON_AddNullToObject(obj, name);
		return;
	}
	clock_format_date(day * STORE_DAY_MS, text);
	cJSON_AddStringToObject(obj, name, text);
}

/*
 * The token as the API shows it. Legacy: {expiry, name, uuid[, value]}
 * (examples post-tokens-200, list-tokens-200 of the 2023 spec). Enhanced: the 2024 draft of the
 * spec token.yaml in full, or list-token.yaml for list entries.
 */
cJSON *token_view_json(const struct token_rec *t, int64_t now_ms, bool full)
{
	cJSON *root = cJSON_CreateObject(), *perms;
	int64_t latest, next;

	if (t->legacy) {
		add_day(root, "expiry", t->expiry_day);
		cJSON_AddStringToObject(root, "name", t->name);
		cJSON_AddStringToObject(root, "uuid", t->uuid);
		if (full)
			cJSON_AddStringToObject(root, "value", t->value);
		return root;
	}
	refresh_days(t, now_ms, &latest, &next);
	cJSON_AddStringToObject(root, "name", t->name);
	cJSON_AddStringToObject(root, "uuid", t->uuid);
	add_day(root, "expiry", t->expiry_day);
	cJSON_AddStringToObject(root, "tokenActivationStatus", activation_status(t, now_ms));
	add_day(root, "issueDate", clock_day(t->issued_ms));
	add_day(root, "latestRefreshDate", latest);
	add_day(root, "nextScheduledRefreshDate", next);
	if (!full)
		return root;
	cJSON_AddStringToObject(root, "cpcode", t->cpcode);
	cJSON_AddItemToObject(root, "restrictToEdgeWorkerIds", access_token_ewids_json(t->ewids));
	cJSON_AddBoolToObject(root, "allowOnProduction", t->allow_production);
	cJSON_AddBoolToObject(root, "allowOnStaging", t->allow_staging);
	perms = cJSON_AddObjectToObject(root, "namespacePermissions");
	for (size_t i = 0; i < t->perm_count; i++)
		cJSON_AddItemToObject(perms, t->perms[i].namespace,
		                      access_token_letters_json(t->perms[i].letters));
	return root;
}

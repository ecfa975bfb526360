#ifndef EKV_API_STATE_SETTINGS_H
#define EKV_API_STATE_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Per-account switches of the testing controls, kept in memory by one
 * struct api (api_init makes them, api_release frees them): they shape
 * answers but are not data, so snapshots leave them alone and a restart
 * forgets them. All functions are thread-safe.
 */

/* Known issues of docs/behaviour.md §8 that can be switched on and off
 * (docs/known-issues.md). */
enum known_issue {
	ISSUE_SANDBOX_LIST_GROUPS = 1u << 0,   /* sandboxId on list groups: 400 EKV_2000 (on) */
	ISSUE_SANDBOX_GROUPS_LISTED = 1u << 1, /* staging lists <group>_<sandboxId> (on) */
	ISSUE_NAMESPACE_TIMEOUT = 1u << 2,     /* first namespace create of the account: 504 */
	ISSUE_INIT_FAILS_ONCE = 1u << 3,       /* first PUT /initialize: 500, the retry passes */
};

#define ISSUES_DEFAULT (ISSUE_SANDBOX_LIST_GROUPS | ISSUE_SANDBOX_GROUPS_LISTED)
#define ISSUE_COUNT    4

/* The issue's name in the control API ("sandbox-list-groups", …) and its Known issues page section.
 */
const char *known_issue_name(unsigned issue);
const char *known_issue_section(unsigned issue);
/* The bit called name, or 0. */
unsigned known_issue_parse(const char *name);

struct account_settings {
	int64_t consistency_delay_ms; /* 0: immediate (the default) */
	int64_t retention_delay_ms;   /* before a retention change applies; 0 (the default) */
	int64_t rate_limit;           /* requests per second of the clock; 0: none */
	int64_t init_pending_ms;      /* initialization stays PENDING this long; 0: none */
	unsigned issues;              /* enum known_issue bits */
};

struct settings;
struct settings *settings_new(void);
void settings_free(struct settings *set);

/* The account's settings, or the defaults. */
void settings_get(struct settings *set, const char *account, struct account_settings *out);
void settings_put(struct settings *set, const char *account, const struct account_settings *s);

/* Back to the defaults, with the account's counters; account NULL: every account. */
void settings_reset(struct settings *set, const char *account);

/*
 * Counts a request in the clock's current second. Returns false when that
 * makes more than limit; *hits is the count so far in this second.
 */
bool settings_rate_hit(struct settings *set, const char *account, int64_t now_ms, int64_t limit,
                       int64_t *hits);

/* The instant the account's initialization completes (0: none pending). */
int64_t settings_init_ready_at(struct settings *set, const char *account);
void settings_set_init_ready_at(struct settings *set, const char *account, int64_t at_ms);

/*
 * Counts one use of a one-shot known issue; true the first time for the
 * account (the request then fails), false after.
 */
bool settings_issue_first(struct settings *set, const char *account, unsigned issue);

#endif

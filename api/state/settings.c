#include "api/state/settings.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"
#include "storage/store.h"

struct entry {
	char account[STORE_ACCOUNT_MAX + 1];
	struct account_settings s;
	int64_t second;     /* the clock second rate_count counts */
	int64_t rate_count; /* requests in that second */
	int64_t init_ready_at_ms;
	unsigned issues_used; /* one-shot issues already fired */
	struct entry *next;
};

struct settings {
	pthread_mutex_t lock;
	struct entry *entries;
	atomic_bool any_entry; /* lets every request skip the lock while no account has settings */
};

static const struct {
	unsigned bit;
	const char *name;
	const char *section;
} issues[ISSUE_COUNT] = {
        {ISSUE_SANDBOX_LIST_GROUPS, "sandbox-list-groups",
         "Sandbox limitations: List groups within a namespace is not supported"},
        {ISSUE_SANDBOX_GROUPS_LISTED, "sandbox-groups-in-staging",
         "Sandbox limitations: Listing groups in staging may return some sandbox groups"},
        {ISSUE_NAMESPACE_TIMEOUT, "namespace-create-timeout",
         "Timeout during initialization of a namespace using the CLI"},
        {ISSUE_INIT_FAILS_ONCE, "initialization-fails-once", "Initialization failure"},
};

const char *known_issue_name(unsigned issue)
{
	for (size_t i = 0; i < ISSUE_COUNT; i++)
		if (issues[i].bit == issue)
			return issues[i].name;
	return "";
}

const char *known_issue_section(unsigned issue)
{
	for (size_t i = 0; i < ISSUE_COUNT; i++)
		if (issues[i].bit == issue)
			return issues[i].section;
	return "";
}

unsigned known_issue_parse(const char *name)
{
	for (size_t i = 0; i < ISSUE_COUNT; i++)
		if (strcmp(issues[i].name, name) == 0)
			return issues[i].bit;
	return 0;
}

struct settings *settings_new(void)
{
	struct settings *set = xcalloc(1, sizeof(*set));

	pthread_mutex_init(&set->lock, NULL);
	atomic_init(&set->any_entry, false);
	return set;
}

void settings_free(struct settings *set)
{
	if (!set)
		return;
	settings_reset(set, NULL);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

static void defaults(struct account_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->issues = ISSUES_DEFAULT;
}

/* The entry of account, made with the defaults when create is set; lock held. */
static struct entry *find(struct settings *set, const char *account, bool create)
{
	struct entry *e;

	for (e = set->entries; e; e = e->next)
		if (strcmp(e->account, account) == 0)
			return e;
	if (!create)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	snprintf(e->account, sizeof(e->account), "%s", account);
	defaults(&e->s);
	e->next = set->entries;
	set->entries = e;
	atomic_store(&set->any_entry, true);
	return e;
}

void settings_get(struct settings *set, const char *account, struct account_settings *out)
{
	struct entry *e;

	if (!atomic_load(&set->any_entry)) {
		defaults(out);
		return;
	}
	pthread_mutex_lock(&set->lock);
	e = find(set, account, false);
	if (e)
		*out = e->s;
	else
		defaults(out);
	pthread_mutex_unlock(&set->lock);
}

void settings_put(struct settings *set, const char *account, const struct account_settings *s)
{
	pthread_mutex_lock(&set->lock);
	find(set, account, true)->s = *s;
	pthread_mutex_unlock(&set->lock);
}

void settings_reset(struct settings *set, const char *account)
{
	pthread_mutex_lock(&set->lock);
	for (struct entry **p = &set->entries; *p;) {
		struct entry *e = *p;

		if (!account || strcmp(e->account, account) == 0) {
			*p = e->next;
			free(e);
		} else {
			p = &e->next;
		}
	}
	atomic_store(&set->any_entry, set->entries != NULL);
	pthread_mutex_unlock(&set->lock);
}

bool settings_rate_hit(struct settings *set, const char *account, int64_t now_ms, int64_t limit,
                       int64_t *hits)
{
	int64_t second = now_ms >= 0 ? now_ms / 1000 : (now_ms - 999) / 1000;
	struct entry *e;
	bool ok;

	pthread_mutex_lock(&set->lock);
	e = find(set, account, true);
	if (e->second != second) {
		e->second = second;
		e->rate_count = 0;
	}
	e->rate_count++;
	*hits = e->rate_count;
	ok = e->rate_count <= limit;
	pthread_mutex_unlock(&set->lock);
	return ok;
}

int64_t settings_init_ready_at(struct settings *set, const char *account)
{
	struct entry *e;
	int64_t at;

	if (!atomic_load(&set->any_entry))
		return 0;
	pthread_mutex_lock(&set->lock);
	e = find(set, account, false);
	at = e ? e->init_ready_at_ms : 0;
	pthread_mutex_unlock(&set->lock);
	return at;
}

void settings_set_init_ready_at(struct settings *set, const char *account, int64_t at_ms)
{
	pthread_mutex_lock(&set->lock);
	find(set, account, true)->init_ready_at_ms = at_ms;
	pthread_mutex_unlock(&set->lock);
}

bool settings_issue_first(struct settings *set, const char *account, unsigned issue)
{
	struct entry *e;
	bool first;

	pthread_mutex_lock(&set->lock);
	e = find(set, account, true);
	first = !(e->issues_used & issue);
	e->issues_used |= issue;
	pthread_mutex_unlock(&set->lock);
	return first;
}

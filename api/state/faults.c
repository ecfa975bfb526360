#include "api/state/faults.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct fault_rule rules[FAULT_RULES_MAX];
static size_t rule_count;
static atomic_bool any_rule; /* lets every request skip the lock while there are none */
static int64_t next_id = 1;

void fault_rule_init(struct fault_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->method = HTTP_METHOD_COUNT;
	r->network = FAULT_NETWORK_ANY;
	r->probability = 1.0;
}

static bool text_matches(const char *want, const char *have)
{
	return !want[0] || (have && strcmp(want, have) == 0);
}

bool fault_matches(const struct fault_rule *r, const struct fault_request *q)
{
	enum http_method m = q->method == HTTP_HEAD ? HTTP_GET : q->method;

	if (!text_matches(r->account, q->account) || !text_matches(r->route, q->route) ||
	    !text_matches(r->namespace, q->namespace))
		return false;
	if (r->path_prefix[0] &&
	    (!q->path || strncmp(q->path, r->path_prefix, strlen(r->path_prefix)) != 0))
		return false;
	if (r->method != HTTP_METHOD_COUNT && r->method != (int)m)
		return false;
	return r->network == FAULT_NETWORK_ANY || r->network == q->network;
}

uint64_t fault_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1) from the top 53 bits. */
static double unit(uint64_t *state)
{
	return (double)(fault_rng_next(state) >> 11) * (1.0 / 9007199254740992.0);
}

bool fault_decide(struct fault_rule *r, int64_t *latency_ms)
{
	bool fire;

	if (r->matched == 0)
		r->rng = r->seed;
	r->matched++;
	fire = r->fail_first <= 0 || r->matched <= r->fail_first;
	/* Draw on every match, so the sequence depends only on the seed and the count. */
	if (unit(&r->rng) >= r->probability)
		fire = false;
	if (!fire)
		return false;
	r->fired++;
	*latency_ms = r->latency_min_ms;
	if (r->latency_max_ms > r->latency_min_ms)
		*latency_ms += (int64_t)(fault_rng_next(&r->rng) %
		                         (uint64_t)(r->latency_max_ms - r->latency_min_ms + 1));
	return true;
}

int64_t faults_add(const struct fault_rule *r)
{
	int64_t id = -1;

	pthread_mutex_lock(&lock);
	if (rule_count < FAULT_RULES_MAX) {
		rules[rule_count] = *r;
		rules[rule_count].id = id = next_id++;
		rules[rule_count].matched = 0;
		rules[rule_count].fired = 0;
		rule_count++;
		atomic_store(&any_rule, true);
	}
	pthread_mutex_unlock(&lock);
	return id;
}

bool faults_remove(int64_t id)
{
	bool found = false;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < rule_count; i++) {
		if (rules[i].id != id)
			continue;
		memmove(&rules[i], &rules[i + 1], (rule_count - i - 1) * sizeof(rules[0]));
		rule_count--;
		found = true;
		break;
	}
	atomic_store(&any_rule, rule_count > 0);
	pthread_mutex_unlock(&lock);
	return found;
}

void faults_clear(const char *account)
{
	size_t kept = 0;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < rule_count; i++)
		if (account && strcmp(rules[i].account, account) != 0)
			rules[kept++] = rules[i];
	rule_count = kept;
	atomic_store(&any_rule, kept > 0);
	pthread_mutex_unlock(&lock);
}

void faults_each(faults_fn *fn, void *ctx)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < rule_count; i++)
		fn(ctx, &rules[i]);
	pthread_mutex_unlock(&lock);
}

bool faults_apply(const struct fault_request *q, struct fault_outcome *out)
{
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (!atomic_load(&any_rule))
		return false;
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < rule_count; i++) {
		struct fault_rule *r = &rules[i];
		int64_t latency = 0;

		if (!fault_matches(r, q) || !fault_decide(r, &latency))
			continue;
		any = true;
		out->latency_ms += latency;
		if (r->status && !out->status) {
			out->status = r->status;
			out->hits = r->hits;
			out->limit = r->limit;
		}
	}
	pthread_mutex_unlock(&lock);
	return any;
}

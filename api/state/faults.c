#include "api/state/faults.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

struct faults {
	pthread_mutex_t lock;
	/* FAULT_RULES_MAX of them, made with the first: most runs add none */
	struct fault_rule *rules;
	size_t rule_count;
	atomic_bool any_rule; /* lets every request skip the lock while there are none */
	int64_t next_id;
};

struct faults *faults_new(void)
{
	struct faults *f = xcalloc(1, sizeof(*f));

	pthread_mutex_init(&f->lock, NULL);
	atomic_init(&f->any_rule, false);
	f->next_id = 1;
	return f;
}

void faults_free(struct faults *f)
{
	if (!f)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f->rules);
	free(f);
}

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
	if (r->path_prefix[0]) {
		size_t n = strlen(r->path_prefix);

		if (!q->path || q->path_len < n || memcmp(q->path, r->path_prefix, n) != 0)
			return false;
	}
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

int64_t faults_add(struct faults *f, const struct fault_rule *r)
{
	int64_t id = -1;

	pthread_mutex_lock(&f->lock);
	if (!f->rules)
		f->rules = xcalloc(FAULT_RULES_MAX, sizeof(*f->rules));
	if (f->rule_count < FAULT_RULES_MAX) {
		f->rules[f->rule_count] = *r;
		f->rules[f->rule_count].id = id = f->next_id++;
		f->rules[f->rule_count].matched = 0;
		f->rules[f->rule_count].fired = 0;
		f->rule_count++;
		atomic_store(&f->any_rule, true);
	}
	pthread_mutex_unlock(&f->lock);
	return id;
}

bool faults_remove(struct faults *f, int64_t id)
{
	bool found = false;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->rule_count; i++) {
		if (f->rules[i].id != id)
			continue;
		memmove(&f->rules[i], &f->rules[i + 1],
		        (f->rule_count - i - 1) * sizeof(f->rules[0]));
		f->rule_count--;
		found = true;
		break;
	}
	atomic_store(&f->any_rule, f->rule_count > 0);
	pthread_mutex_unlock(&f->lock);
	return found;
}

void faults_clear(struct faults *f, const char *account)
{
	size_t kept = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->rule_count; i++)
		if (account && strcmp(f->rules[i].account, account) != 0)
			f->rules[kept++] = f->rules[i];
	f->rule_count = kept;
	atomic_store(&f->any_rule, kept > 0);
	pthread_mutex_unlock(&f->lock);
}

void faults_each(struct faults *f, faults_fn *fn, void *ctx)
{
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->rule_count; i++)
		fn(ctx, &f->rules[i]);
	pthread_mutex_unlock(&f->lock);
}

bool faults_apply(struct faults *f, const struct fault_request *q, struct fault_outcome *out)
{
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (!atomic_load(&f->any_rule))
		return false;
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->rule_count; i++) {
		struct fault_rule *r = &f->rules[i];
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
	pthread_mutex_unlock(&f->lock);
	return any;
}

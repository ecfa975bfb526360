#ifndef EKV_API_STATE_FAULTS_H
#define EKV_API_STATE_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/core/request.h"
#include "storage/store.h"

/*
 * Injected faults: rules matched by account, route, method, network and
 * namespace that add latency and/or answer a status with the real
 * service's body. The matching and the seeded randomness are pure
 * (unit-tested); the rule list belongs to one struct api and is thread-safe.
 */
#define FAULT_ROUTE_MAX   160
#define FAULT_RULES_MAX   64
#define FAULT_NETWORK_ANY (-1)

struct fault_rule {
	int64_t id;                              /* given by faults_add */
	char account[STORE_ACCOUNT_MAX + 1];     /* "" any */
	char route[FAULT_ROUTE_MAX];             /* a route pattern of the table; "" any */
	char path_prefix[FAULT_ROUTE_MAX];       /* "" any */
	int method;                              /* enum http_method; HTTP_METHOD_COUNT: any */
	int network;                             /* enum network; FAULT_NETWORK_ANY: any */
	char namespace[STORE_NAMESPACE_MAX + 1]; /* "" any */
	int64_t latency_min_ms;                  /* latency drawn from [min, max] */
	int64_t latency_max_ms;
	int status;         /* 0: latency only */
	int64_t fail_first; /* fire on the first N matches only; 0: every match */
	double probability; /* of firing, in [0, 1] */
	uint64_t seed;
	int64_t hits, limit; /* the numbers of a 429's message */
	/* state */
	uint64_t rng;
	int64_t matched;
	int64_t fired;
};

/* What a request offers to the matchers; strings may be NULL (then only "any" matches). */
struct fault_request {
	const char *account;
	const char *route; /* the matched route's pattern */
	const char *path;  /* without the query: path_len bytes, not NUL-terminated */
	size_t path_len;
	enum http_method method;
	int network; /* enum network or FAULT_NETWORK_ANY when the route has none */
	const char *namespace;
};

/* Fills r with "any" everywhere, probability 1 and seed 0. */
void fault_rule_init(struct fault_rule *r);

/* Whether the rule applies to q (pure). */
bool fault_matches(const struct fault_rule *r, const struct fault_request *q);

/* splitmix64: the next number of the sequence in *state. */
uint64_t fault_rng_next(uint64_t *state);

/*
 * For a request that matches: counts it and decides, deterministically from
 * the seed and the count, whether the rule fires; if so sets *latency_ms.
 */
bool fault_decide(struct fault_rule *r, int64_t *latency_ms);

/* The rule list of one struct api (api_init makes it, api_release frees it). */
struct faults;
struct faults *faults_new(void);
void faults_free(struct faults *f);

/* Copies r and gives it an id (returned; -1 when the list is full). */
int64_t faults_add(struct faults *f, const struct fault_rule *r);
bool faults_remove(struct faults *f, int64_t id);
/* Removes the rules of account, or every rule when account is NULL. */
void faults_clear(struct faults *f, const char *account);

typedef void faults_fn(void *ctx, const struct fault_rule *r);
void faults_each(struct faults *f, faults_fn *fn, void *ctx);

struct fault_outcome {
	int64_t latency_ms; /* summed over every rule that fired */
	int status;         /* of the first firing rule with a status; 0: none */
	int64_t hits, limit;
};

/* Runs q past every rule in order. Returns true if any fired. */
bool faults_apply(struct faults *f, const struct fault_request *q, struct fault_outcome *out);

#endif

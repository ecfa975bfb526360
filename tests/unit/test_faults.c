/* Fault rules (api/state/faults.c): matching, fail-first, seeded probability and latency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "api/state/faults.h"
#include "api/state/settings.h"

#define ITEM_ROUTE                                                                                 \
	"/edgekv/v1/networks/{network}/namespaces/{namespace}/groups/{group}/items/{item}"

static struct fault_request item_get(void)
{
	struct fault_request q = {
	        .account = "1-A",
	        .route = ITEM_ROUTE,
	        .path = "/edgekv/v1/networks/staging/namespaces/ns/groups/g/items/k?x=1",
	        .path_len =
	                sizeof("/edgekv/v1/networks/staging/namespaces/ns/groups/g/items/k") - 1,
	        .method = HTTP_GET,
	        .network = NETWORK_STAGING,
	        .namespace = "ns",
	};

	return q;
}

static void test_empty_rule_matches_everything(void **state)
{
	struct fault_rule r;
	struct fault_request q = item_get(), bare = {0};

	(void)state;
	fault_rule_init(&r);
	assert_true(fault_matches(&r, &q));
	bare.network = FAULT_NETWORK_ANY;
	bare.method = HTTP_POST;
	assert_true(fault_matches(&r, &bare));
}

static void test_each_matcher_narrows(void **state)
{
	struct fault_rule r;
	struct fault_request q = item_get();

	(void)state;
	fault_rule_init(&r);
	strcpy(r.account, "1-B");
	assert_false(fault_matches(&r, &q));
	strcpy(r.account, "1-A");
	assert_true(fault_matches(&r, &q));

	strcpy(r.route, "/edgekv/v1/initialize");
	assert_false(fault_matches(&r, &q));
	strcpy(r.route, ITEM_ROUTE);
	assert_true(fault_matches(&r, &q));

	r.method = HTTP_PUT;
	assert_false(fault_matches(&r, &q));
	r.method = HTTP_GET;
	q.method = HTTP_HEAD; /* HEAD is routed as GET */
	assert_true(fault_matches(&r, &q));

	r.network = NETWORK_PRODUCTION;
	assert_false(fault_matches(&r, &q));
	r.network = NETWORK_STAGING;
	assert_true(fault_matches(&r, &q));

	strcpy(r.namespace, "other");
	assert_false(fault_matches(&r, &q));
	strcpy(r.namespace, "ns");
	assert_true(fault_matches(&r, &q));

	strcpy(r.path_prefix, "/edgekv/v1/networks/production");
	assert_false(fault_matches(&r, &q));
	strcpy(r.path_prefix, "/edgekv/v1/networks/staging/");
	assert_true(fault_matches(&r, &q));
	/* The path ends before its query: a prefix that runs into the query is longer. */
	strcpy(r.path_prefix, "/edgekv/v1/networks/staging/namespaces/ns/groups/g/items/k");
	assert_true(fault_matches(&r, &q));
	strcpy(r.path_prefix, "/edgekv/v1/networks/staging/namespaces/ns/groups/g/items/k?");
	assert_false(fault_matches(&r, &q));
	strcpy(r.path_prefix, "/edgekv/v1/networks/staging/");

	q.namespace = NULL; /* a route without {namespace} never matches a namespace rule */
	assert_false(fault_matches(&r, &q));
}

static void test_fail_first_then_pass(void **state)
{
	struct fault_rule r;
	int64_t latency = -1;

	(void)state;
	fault_rule_init(&r);
	r.fail_first = 3;
	r.status = 500;
	for (int i = 0; i < 3; i++)
		assert_true(fault_decide(&r, &latency));
	for (int i = 0; i < 5; i++)
		assert_false(fault_decide(&r, &latency));
	assert_int_equal(r.matched, 8);
	assert_int_equal(r.fired, 3);
	assert_int_equal(latency, 0);
}

static void test_seeded_probability_is_deterministic(void **state)
{
	struct fault_rule a, b, c;
	int64_t latency;
	int fired = 0, differ = 0;

	(void)state;
	fault_rule_init(&a);
	a.probability = 0.25;
	a.seed = 7;
	b = a;
	c = a;
	c.seed = 8;
	for (int i = 0; i < 1000; i++) {
		bool x = fault_decide(&a, &latency), y = fault_decide(&b, &latency);

		assert_int_equal(x, y);
		fired += x;
		differ += x != fault_decide(&c, &latency);
	}
	assert_in_range(fired, 200, 300); /* about a quarter */
	assert_true(differ > 0);          /* another seed, another sequence */
}

static void test_probability_bounds(void **state)
{
	struct fault_rule r;
	int64_t latency;

	(void)state;
	fault_rule_init(&r);
	r.probability = 0;
	for (int i = 0; i < 100; i++)
		assert_false(fault_decide(&r, &latency));
	fault_rule_init(&r);
	for (int i = 0; i < 100; i++)
		assert_true(fault_decide(&r, &latency));
}

static void test_random_latency_stays_in_range(void **state)
{
	struct fault_rule r;
	int64_t latency, lo = INT64_MAX, hi = 0;

	(void)state;
	fault_rule_init(&r);
	r.latency_min_ms = 100;
	r.latency_max_ms = 200;
	r.seed = 1;
	for (int i = 0; i < 500; i++) {
		assert_true(fault_decide(&r, &latency));
		assert_in_range(latency, 100, 200);
		lo = latency < lo ? latency : lo;
		hi = latency > hi ? latency : hi;
	}
	assert_true(lo < 120 && hi > 180);
	fault_rule_init(&r);
	r.latency_min_ms = r.latency_max_ms = 50;
	assert_true(fault_decide(&r, &latency));
	assert_int_equal(latency, 50);
}

static void test_splitmix64_known_values(void **state)
{
	uint64_t s = 0;

	(void)state;
	/* Reference values of splitmix64 seeded with 0. */
	assert_true(fault_rng_next(&s) == 0xe220a8397b1dcdafull);
	assert_true(fault_rng_next(&s) == 0x6e789e6aa1b965f4ull);
}

static void test_rule_list_applies_in_order(void **state)
{
	struct faults *f = faults_new();
	struct fault_rule slow, fail;
	struct fault_request q = item_get();
	struct fault_outcome out;
	int64_t id;

	(void)state;
	fault_rule_init(&slow);
	slow.latency_min_ms = slow.latency_max_ms = 30;
	fault_rule_init(&fail);
	fail.status = 429;
	fail.hits = 9;
	fail.limit = 3;
	fail.fail_first = 1;
	assert_true(faults_add(f, &slow) > 0);
	id = faults_add(f, &fail);
	assert_true(faults_apply(f, &q, &out));
	assert_int_equal(out.latency_ms, 30);
	assert_int_equal(out.status, 429);
	assert_int_equal(out.hits, 9);
	assert_true(faults_apply(f, &q, &out));
	assert_int_equal(out.status, 0); /* the 429 fired once */
	assert_true(faults_remove(f, id));
	assert_false(faults_remove(f, id));
	faults_clear(f, "1-A"); /* slow matches any account: its account is "" */
	assert_true(faults_apply(f, &q, &out));
	faults_clear(f, NULL);
	assert_false(faults_apply(f, &q, &out));
	faults_free(f);
}

static void test_rate_limit_counts_per_clock_second(void **state)
{
	struct settings *set = settings_new();
	int64_t hits;

	(void)state;
	assert_true(settings_rate_hit(set, "1-R", 5000, 2, &hits));
	assert_true(settings_rate_hit(set, "1-R", 5999, 2, &hits));
	assert_false(settings_rate_hit(set, "1-R", 5500, 2, &hits));
	assert_int_equal(hits, 3);
	assert_true(settings_rate_hit(set, "1-OTHER", 5500, 2, &hits));
	assert_true(settings_rate_hit(set, "1-R", 6000, 2, &hits));
	assert_int_equal(hits, 1);
	settings_free(set);
}

static void test_known_issue_names(void **state)
{
	struct settings *set = settings_new();

	(void)state;
	assert_int_equal(known_issue_parse("sandbox-list-groups"), ISSUE_SANDBOX_LIST_GROUPS);
	assert_int_equal(known_issue_parse("nope"), 0);
	for (unsigned i = 0; i < ISSUE_COUNT; i++)
		assert_int_equal(known_issue_parse(known_issue_name(1u << i)), 1u << i);
	assert_true(settings_issue_first(set, "1-K", ISSUE_INIT_FAILS_ONCE));
	assert_false(settings_issue_first(set, "1-K", ISSUE_INIT_FAILS_ONCE));
	settings_reset(set, "1-K");
	assert_true(settings_issue_first(set, "1-K", ISSUE_INIT_FAILS_ONCE));
	settings_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_empty_rule_matches_everything),
	        cmocka_unit_test(test_each_matcher_narrows),
	        cmocka_unit_test(test_fail_first_then_pass),
	        cmocka_unit_test(test_seeded_probability_is_deterministic),
	        cmocka_unit_test(test_probability_bounds),
	        cmocka_unit_test(test_random_latency_stays_in_range),
	        cmocka_unit_test(test_splitmix64_known_values),
	        cmocka_unit_test(test_rule_list_applies_in_order),
	        cmocka_unit_test(test_rate_limit_counts_per_clock_second),
	        cmocka_unit_test(test_known_issue_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

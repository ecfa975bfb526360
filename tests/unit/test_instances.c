/*
 * Two struct api in one process (two servers in one test run) keep their own
 * test state: fault rules, settings, the request journal and readiness are
 * owned by the instance that api_init made them for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <string.h>

#include "api/api.h"
#include "api/state/faults.h"
#include "api/state/journal.h"
#include "api/state/settings.h"

static struct api one, two;

static int setup(void **state)
{
	(void)state;
	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	api_init(&one);
	api_init(&two);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	api_release(&one);
	api_release(&two);
	return 0;
}

static void count_rule(void *ctx, const struct fault_rule *r)
{
	(void)r;
	(*(int *)ctx)++;
}

static void count_entry(void *ctx, const struct journal_entry *e)
{
	(void)e;
	(*(int *)ctx)++;
}

static void fault_rules_are_per_instance(void **state)
{
	struct fault_rule r;
	struct fault_request q = {.account = "1-A", .method = HTTP_GET, .network = 0};
	struct fault_outcome out;
	int n_one = 0, n_two = 0;

	(void)state;
	fault_rule_init(&r);
	r.status = 500;
	assert_true(faults_add(one.faults, &r) > 0);
	faults_each(one.faults, count_rule, &n_one);
	faults_each(two.faults, count_rule, &n_two);
	assert_int_equal(n_one, 1);
	assert_int_equal(n_two, 0);
	assert_true(faults_apply(one.faults, &q, &out));
	assert_int_equal(out.status, 500);
	assert_false(faults_apply(two.faults, &q, &out));
	faults_clear(two.faults, NULL);
	assert_true(faults_apply(one.faults, &q, &out)); /* clearing the other one left it */
}

static void settings_are_per_instance(void **state)
{
	struct account_settings s;
	int64_t hits = 0;

	(void)state;
	settings_get(one.settings, "1-A", &s);
	s.rate_limit = 7;
	s.issues = 0;
	settings_put(one.settings, "1-A", &s);
	settings_get(two.settings, "1-A", &s);
	assert_int_equal(s.rate_limit, 0);
	assert_int_equal(s.issues, ISSUES_DEFAULT);
	settings_get(one.settings, "1-A", &s);
	assert_int_equal(s.rate_limit, 7);
	assert_true(settings_issue_first(one.settings, "1-A", ISSUE_INIT_FAILS_ONCE));
	assert_true(settings_issue_first(two.settings, "1-A", ISSUE_INIT_FAILS_ONCE));
	assert_true(settings_rate_hit(one.settings, "1-A", 1000, 1, &hits));
	assert_true(settings_rate_hit(two.settings, "1-A", 1000, 1, &hits));
	assert_int_equal(hits, 1);
	settings_set_init_ready_at(one.settings, "1-A", 5000);
	assert_int_equal(settings_init_ready_at(two.settings, "1-A"), 0);
	assert_int_equal(settings_init_ready_at(one.settings, "1-A"), 5000);
}

static void journals_are_per_instance(void **state)
{
	struct api_request req = {0};
	struct api_response res;
	int n_one = 0, n_two = 0;

	(void)state;
	req.method = HTTP_GET;
	req.target = "/edgekv/v1/initialize";
	req.request_id = "0123456789abcdef";
	api_response_init(&res);
	res.status = 200;
	journal_add(one.journal, &req, &res, "1-A", 1000);
	api_response_release(&res);
	journal_each(one.journal, 0, count_entry, &n_one);
	journal_each(two.journal, 0, count_entry, &n_two);
	assert_int_equal(n_one, 1);
	assert_int_equal(n_two, 0);
	journal_clear(two.journal);
	n_one = 0;
	journal_each(one.journal, 0, count_entry, &n_one);
	assert_int_equal(n_one, 1);
}

static void readiness_is_per_instance(void **state)
{
	(void)state;
	assert_false(atomic_load(&one.ready));
	api_set_ready(&one, true);
	assert_true(atomic_load(&one.ready));
	assert_false(atomic_load(&two.ready));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(fault_rules_are_per_instance, setup, teardown),
	        cmocka_unit_test_setup_teardown(settings_are_per_instance, setup, teardown),
	        cmocka_unit_test_setup_teardown(journals_are_per_instance, setup, teardown),
	        cmocka_unit_test_setup_teardown(readiness_is_per_instance, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

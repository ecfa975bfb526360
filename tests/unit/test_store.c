/*
 * The SQLite store (storage/): every store_* function on a ":memory:" store
 * and on a file, its NOT_FOUND / CONFLICT / FULL paths, the clock deciding
 * what exists, the sweep, and migrations.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "storage/internal.h" /* meta_generation() */
#include "storage/store.h"
#include "tests/unit/unit.h"

#define T0    1700000000000LL /* an arbitrary "now", ms */
#define HOUR  3600000LL
#define NEVER (3600000LL * 1000) /* no sweep during a test */
#define ACC   "1-TEST"

struct fx {
	struct store_db *db;
	struct store *st;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	fx->db = store_db_open(":memory:", NEVER);
	fx->st = fx->db ? store_db_thread(fx->db) : NULL;
	*state = fx;
	return fx->st ? 0 : -1;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_db_close(fx->db);
	free(fx);
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}

static struct store *st_of(void **state)
{
	return ((struct fx *)*state)->st;
}

static void make_account(struct store *st, const char *id, bool initialized)
{
	struct account_rec acc = {0};

	snprintf(acc.id, sizeof(acc.id), "%s", id);
	acc.status = INIT_UNINITIALIZED;
	assert_int_equal(store_account_create(st, &acc, T0), STORE_OK);
	if (initialized)
		assert_int_equal(store_account_initialize(st, id, "1234567", true, false, T0),
		                 STORE_OK);
}

static struct namespace_rec ns_rec(const char *name, int64_t retention_s)
{
	struct namespace_rec ns = {0};

	snprintf(ns.name, sizeof(ns.name), "%s", name);
	ns.retention_s = retention_s;
	snprintf(ns.geo, sizeof(ns.geo), "US");
	ns.restrict_data_access = true;
	return ns;
}

static void make_namespace(struct store *st, enum network net, const char *name)
{
	struct namespace_rec ns = ns_rec(name, 86400), out;

	assert_int_equal(store_namespace_create(st, ACC, net, &ns, T0, &out), STORE_OK);
}

static struct item_ref ref_of(const char *ns, const char *group, const char *key)
{
	struct item_ref ref = {ACC, NETWORK_STAGING, ns, "", group, key};

	return ref;
}

static void put(struct store *st, const struct item_ref *ref, const char *value, int64_t now,
                int64_t expires_at)
{
	assert_int_equal(
	        store_item_put(st, ref, value, strlen(value), "text/plain", now, expires_at, 0),
	        STORE_OK);
}

/* The item's value at now, or NULL when store_item_get says NOT_FOUND. */
static char *get(struct store *st, const struct item_ref *ref, int64_t now)
{
	static char text[4096];
	char ctype[STORE_CTYPE_MAX + 1];
	struct buf value = BUF_INIT;
	enum store_status status = store_item_get(st, ref, now, &value, ctype);

	assert_true(status == STORE_OK || status == STORE_NOT_FOUND);
	snprintf(text, sizeof(text), "%s", value.ptr ? value.ptr : "");
	buf_release(&value);
	return status == STORE_OK ? text : NULL;
}

/* Collects names from the list callbacks as "a,b,c". */
struct names {
	char text[1024];
	int count;
};

static void collect(void *ctx, const char *name, size_t len)
{
	struct names *n = ctx;
	size_t used = strlen(n->text);

	assert_int_equal(strlen(name), len);
	snprintf(n->text + used, sizeof(n->text) - used, "%s%s", n->count ? "," : "", name);
	n->count++;
}

static void collect_ns(void *ctx, const struct namespace_rec *ns)
{
	collect(ctx, ns->name, strlen(ns->name));
}

static const char *ns_names(struct store *st, const char *account, enum network net, int64_t now)
{
	static struct names n;

	memset(&n, 0, sizeof(n));
	assert_int_equal(store_namespace_list(st, account, net, now, collect_ns, &n), STORE_OK);
	return n.text;
}

static const char *item_names(struct store *st, const struct item_ref *ref, int64_t now,
                              int64_t limit)
{
	static struct names n;

	memset(&n, 0, sizeof(n));
	assert_int_equal(store_item_list(st, ref, now, limit, collect, &n), STORE_OK);
	return n.text;
}

static const char *group_names(struct store *st, const struct item_ref *ref, int64_t now,
                               int64_t limit)
{
	static struct names n;

	memset(&n, 0, sizeof(n));
	assert_int_equal(store_group_list(st, ref, now, limit, collect, &n), STORE_OK);
	return n.text;
}

static void names_of_enums(void **state)
{
	(void)state;
	assert_string_equal(network_name(NETWORK_STAGING), "staging");
	assert_string_equal(network_name(NETWORK_PRODUCTION), "production");
	assert_string_equal(init_status_name(INIT_UNINITIALIZED), "UNINITIALIZED");
	assert_string_equal(init_status_name(INIT_PENDING), "PENDING");
	assert_string_equal(init_status_name(INIT_INITIALIZED), "INITIALIZED");
}

static void account_create_get_conflict(void **state)
{
	struct store *st = st_of(state);
	struct account_rec acc = {0}, got;

	assert_int_equal(store_account_get(st, ACC, &got), STORE_NOT_FOUND);
	snprintf(acc.id, sizeof(acc.id), ACC);
	acc.status = INIT_UNINITIALIZED;
	acc.standard_tls = true;
	assert_int_equal(store_account_create(st, &acc, T0), STORE_OK);
	assert_int_equal(store_account_get(st, ACC, &got), STORE_OK);
	assert_string_equal(got.id, ACC);
	assert_int_equal(got.status, INIT_UNINITIALIZED);
	assert_string_equal(got.cpcode, "");
	assert_false(got.has_policy);
	assert_true(got.standard_tls);
	assert_int_equal(store_account_create(st, &acc, T0), STORE_CONFLICT);
	assert_int_equal(store_account_get(st, "1-OTHER", &got), STORE_NOT_FOUND);
}

static void account_initialize_creates_default_namespaces(void **state)
{
	struct store *st = st_of(state);
	struct account_rec got;
	struct namespace_rec ns;

	make_account(st, ACC, false);
	assert_int_equal(store_account_initialize(st, ACC, "7654321", false, true, T0), STORE_OK);
	assert_int_equal(store_account_get(st, ACC, &got), STORE_OK);
	assert_int_equal(got.status, INIT_INITIALIZED);
	assert_string_equal(got.cpcode, "7654321");
	assert_true(got.has_policy);
	assert_false(got.restrict_data_access);
	assert_true(got.allow_namespace_policy_override);
	for (int net = NETWORK_STAGING; net <= NETWORK_PRODUCTION; net++) {
		assert_int_equal(
		        store_namespace_get(st, ACC, (enum network)net, "default", T0, &ns),
		        STORE_OK);
		assert_string_equal(ns.name, "default");
		assert_int_equal(ns.retention_s, STORE_DEFAULT_RETENTION_S);
		assert_int_equal(ns.group_id, 0);
		assert_string_equal(ns.geo, "US");
		assert_false(ns.restrict_data_access);
		assert_false(ns.policy_overridden);
		assert_int_equal(ns.created_ms, T0);
		assert_int_equal(ns.delete_at_ms, 0);
		assert_string_equal(ns_names(st, ACC, (enum network)net, T0), "default");
	}
	/* A second initialization changes nothing. */
	assert_int_equal(store_account_initialize(st, ACC, "1111111", true, false, T0 + 1),
	                 STORE_CONFLICT);
	assert_int_equal(store_account_get(st, ACC, &got), STORE_OK);
	assert_string_equal(got.cpcode, "7654321");
	assert_false(got.restrict_data_access);
	assert_int_not_equal(store_account_initialize(st, "1-NOBODY", "1", true, false, T0),
	                     STORE_OK);
	assert_int_equal(store_namespace_get(st, "1-NOBODY", NETWORK_STAGING, "default", T0, &ns),
	                 STORE_NOT_FOUND);
}

static void account_set_policy(void **state)
{
	struct store *st = st_of(state);
	struct account_rec got;

	make_account(st, ACC, true);
	assert_int_equal(store_account_set_policy(st, ACC, false, true), STORE_OK);
	assert_int_equal(store_account_get(st, ACC, &got), STORE_OK);
	assert_false(got.restrict_data_access);
	assert_true(got.allow_namespace_policy_override);
	assert_int_equal(store_account_set_policy(st, "1-NOBODY", true, true), STORE_NOT_FOUND);
}

static void namespace_create_get_list(void **state)
{
	struct store *st = st_of(state);
	struct namespace_rec ns = ns_rec("marketing", 86400), out, got;

	make_account(st, ACC, true);
	ns.group_id = 4284;
	ns.policy_overridden = true;
	ns.restrict_data_access = false;
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_PRODUCTION, "marketing", T0, &got),
	                 STORE_NOT_FOUND);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_PRODUCTION, &ns, T0, &out),
	                 STORE_OK);
	assert_string_equal(out.name, "marketing");
	assert_int_equal(out.created_ms, T0);
	assert_int_equal(out.delete_at_ms, 0);
	assert_int_equal(
	        store_namespace_get(st, ACC, NETWORK_PRODUCTION, "marketing", T0 + 5, &got),
	        STORE_OK);
	assert_string_equal(got.name, "marketing");
	assert_int_equal(got.retention_s, 86400);
	assert_int_equal(got.group_id, 4284);
	assert_string_equal(got.geo, "US");
	assert_false(got.restrict_data_access);
	assert_true(got.policy_overridden);
	assert_int_equal(got.created_ms, T0);
	assert_int_equal(got.delete_at_ms, 0);

	/* Networks and accounts are separate. */
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "marketing", T0, &got),
	                 STORE_NOT_FOUND);
	assert_int_equal(
	        store_namespace_get(st, "1-OTHER", NETWORK_PRODUCTION, "marketing", T0, &got),
	        STORE_NOT_FOUND);
	make_namespace(st, NETWORK_PRODUCTION, "Zeta");
	make_namespace(st, NETWORK_PRODUCTION, "alpha");
	assert_string_equal(ns_names(st, ACC, NETWORK_PRODUCTION, T0),
	                    "Zeta,alpha,default,marketing");
	assert_string_equal(ns_names(st, ACC, NETWORK_STAGING, T0), "default");
	assert_string_equal(ns_names(st, "1-OTHER", NETWORK_STAGING, T0), "");
}

static void namespace_create_same_or_other_configuration(void **state)
{
	struct store *st = st_of(state);
	struct namespace_rec ns = ns_rec("ns1", 86400), out;

	make_account(st, ACC, true);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out), STORE_OK);
	/* The same configuration again: STORE_OK with the stored one. */
	memset(&out, 0, sizeof(out));
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0 + HOUR, &out),
	                 STORE_OK);
	assert_string_equal(out.name, "ns1");
	assert_int_equal(out.created_ms, T0);

	ns.retention_s = 0;
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	ns = ns_rec("ns1", 86400);
	ns.group_id = 1;
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	ns = ns_rec("ns1", 86400);
	snprintf(ns.geo, sizeof(ns.geo), "EU");
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	ns = ns_rec("ns1", 86400);
	ns.restrict_data_access = false;
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	ns = ns_rec("ns1", 86400);
	ns.policy_overridden = true;
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	/* The other network has no ns1 yet. */
	ns = ns_rec("ns1", 0);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_PRODUCTION, &ns, T0, &out),
	                 STORE_OK);
}

static void namespace_limit_is_per_network(void **state)
{
	struct store *st = st_of(state);
	struct namespace_rec ns = ns_rec("one-too-many", 86400), out;
	char name[16];

	make_account(st, ACC, true); /* default is the first of 20 */
	for (int i = 1; i < STORE_NAMESPACES_PER_NETWORK; i++) {
		snprintf(name, sizeof(name), "ns%02d", i);
		make_namespace(st, NETWORK_STAGING, name);
	}
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_FULL);
	/* An existing one with the same configuration is still found, not refused. */
	ns = ns_rec("ns01", 86400);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out), STORE_OK);
	ns = ns_rec("ns01", 0);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0, &out),
	                 STORE_CONFLICT);
	ns = ns_rec("one-too-many", 86400);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_PRODUCTION, &ns, T0, &out),
	                 STORE_OK);

	/* A namespace past its scheduled delete no longer counts. */
	assert_int_equal(
	        store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "ns05", T0 + HOUR),
	        STORE_OK);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0 + HOUR - 1, &out),
	                 STORE_FULL);
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0 + HOUR, &out),
	                 STORE_OK);
}

static void namespace_set_retention_and_schedule(void **state)
{
	struct store *st = st_of(state);
	struct namespace_rec got;

	make_account(st, ACC, true);
	make_namespace(st, NETWORK_STAGING, "ns1");
	assert_int_equal(store_namespace_set_retention(st, ACC, NETWORK_STAGING, "ns1", 0, T0, 0),
	                 STORE_OK);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got), STORE_OK);
	assert_int_equal(got.retention_s, 0);
	assert_int_equal(
	        store_namespace_set_retention(st, ACC, NETWORK_STAGING, "nope", 86400, T0, 0),
	        STORE_NOT_FOUND);
	assert_int_equal(
	        store_namespace_set_retention(st, ACC, NETWORK_PRODUCTION, "ns1", 86400, T0, 0),
	        STORE_NOT_FOUND);

	assert_int_equal(
	        store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "ns1", T0 + HOUR),
	        STORE_OK);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got), STORE_OK);
	assert_int_equal(got.delete_at_ms, T0 + HOUR);
	assert_int_equal(store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "ns1", 0),
	                 STORE_OK);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0 + 2 * HOUR, &got),
	                 STORE_OK);
	assert_int_equal(got.delete_at_ms, 0);
	assert_int_equal(store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "nope", T0),
	                 STORE_NOT_FOUND);
}

static void namespace_past_its_delete_time_is_gone(void **state)
{
	struct fx *fx = *state;
	struct store *st = fx->st;
	struct item_ref in_ns1 = ref_of("ns1", "g", "k"), in_ns2 = ref_of("ns2", "g", "k");
	struct namespace_rec got;

	make_account(st, ACC, true);
	make_namespace(st, NETWORK_STAGING, "ns1");
	make_namespace(st, NETWORK_STAGING, "ns2");
	put(st, &in_ns1, "v1", T0, 0);
	put(st, &in_ns2, "v2", T0, 0);
	assert_int_equal(
	        store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "ns1", T0 + HOUR),
	        STORE_OK);

	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0 + HOUR - 1, &got),
	                 STORE_OK);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0 + HOUR, &got),
	                 STORE_NOT_FOUND);
	assert_string_equal(ns_names(st, ACC, NETWORK_STAGING, T0 + HOUR), "default,ns2");
	assert_string_equal(ns_names(st, ACC, NETWORK_STAGING, T0), "default,ns1,ns2");

	/* A sweep before the time keeps it; one at the time removes it and its items. */
	store_db_sweep(fx->db, T0 + HOUR - 1);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got), STORE_OK);
	store_db_sweep(fx->db, T0 + HOUR);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got),
	                 STORE_NOT_FOUND);
	assert_null(get(st, &in_ns1, T0));
	assert_string_equal(get(st, &in_ns2, T0), "v2");
	assert_string_equal(ns_names(st, ACC, NETWORK_STAGING, T0), "default,ns2");
}

static void namespace_recreated_after_its_delete_time_starts_empty(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ref = ref_of("ns1", "g", "k");
	struct namespace_rec ns = ns_rec("ns1", 0), out;

	make_account(st, ACC, true);
	make_namespace(st, NETWORK_STAGING, "ns1");
	put(st, &ref, "old", T0, 0);
	assert_int_equal(
	        store_namespace_schedule_delete(st, ACC, NETWORK_STAGING, "ns1", T0 + HOUR),
	        STORE_OK);
	/* Not swept yet: creating it again purges what was left. */
	assert_int_equal(store_namespace_create(st, ACC, NETWORK_STAGING, &ns, T0 + HOUR, &out),
	                 STORE_OK);
	assert_int_equal(out.retention_s, 0);
	assert_int_equal(out.delete_at_ms, 0);
	assert_null(get(st, &ref, T0 + HOUR));
	assert_null(get(st, &ref, T0));
}

static void namespace_delete_now(void **state)
{
	struct store *st = st_of(state);
	struct item_ref in_ns1 = ref_of("ns1", "g", "k"), in_ns2 = ref_of("ns2", "g", "k");
	struct item_ref prod = in_ns1;
	struct namespace_rec got;

	prod.network = NETWORK_PRODUCTION;
	make_account(st, ACC, true);
	make_namespace(st, NETWORK_STAGING, "ns1");
	make_namespace(st, NETWORK_STAGING, "ns2");
	make_namespace(st, NETWORK_PRODUCTION, "ns1");
	put(st, &in_ns1, "v1", T0, 0);
	put(st, &in_ns2, "v2", T0, 0);
	put(st, &prod, "p1", T0, 0);
	assert_int_equal(store_namespace_delete(st, ACC, NETWORK_STAGING, "ns1"), STORE_OK);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got),
	                 STORE_NOT_FOUND);
	assert_null(get(st, &in_ns1, T0));
	assert_string_equal(get(st, &in_ns2, T0), "v2");
	assert_string_equal(get(st, &prod, T0), "p1");
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_PRODUCTION, "ns1", T0, &got),
	                 STORE_OK);
	assert_int_equal(store_namespace_delete(st, ACC, NETWORK_STAGING, "ns1"), STORE_NOT_FOUND);
}

static void item_put_get_delete(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ref = ref_of("default", "countries", "US");
	char ctype[STORE_CTYPE_MAX + 1];
	struct buf value = BUF_INIT;
	static const char bytes[] = {'a', '\0', 'b', '\xff', '\0'};

	make_account(st, ACC, true);
	assert_null(get(st, &ref, T0));
	assert_int_equal(store_item_put(st, &ref, "{\"a\":1}", 7, "application/json", T0, 0, 0),
	                 STORE_OK);
	assert_int_equal(store_item_get(st, &ref, T0, &value, ctype), STORE_OK);
	assert_int_equal(value.len, 7);
	assert_memory_equal(value.ptr, "{\"a\":1}", 7);
	assert_string_equal(ctype, "application/json");

	/* Upsert: the value and its content type are replaced; bytes stay bytes. */
	assert_int_equal(store_item_put(st, &ref, bytes, sizeof(bytes), "text/plain", T0, 0, 0),
	                 STORE_OK);
	buf_reset(&value);
	assert_int_equal(store_item_get(st, &ref, T0, &value, ctype), STORE_OK);
	assert_int_equal(value.len, sizeof(bytes));
	assert_memory_equal(value.ptr, bytes, sizeof(bytes));
	assert_string_equal(ctype, "text/plain");

	/* An empty value is a value. */
	assert_int_equal(store_item_put(st, &ref, NULL, 0, "text/plain", T0, 0, 0), STORE_OK);
	buf_reset(&value);
	assert_int_equal(store_item_get(st, &ref, T0, &value, ctype), STORE_OK);
	assert_int_equal(value.len, 0);
	buf_release(&value);

	assert_int_equal(store_item_delete(st, &ref, T0, 0), STORE_OK);
	assert_null(get(st, &ref, T0));
	assert_int_equal(store_item_delete(st, &ref, T0, 0), STORE_NOT_FOUND);
}

static void item_appends_to_the_buffer(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ref = ref_of("default", "g", "k");
	char ctype[STORE_CTYPE_MAX + 1];
	struct buf value = BUF_INIT;

	make_account(st, ACC, true);
	put(st, &ref, "world", T0, 0);
	buf_addstr(&value, "hello ");
	assert_int_equal(store_item_get(st, &ref, T0, &value, ctype), STORE_OK);
	assert_string_equal(value.ptr, "hello world");
	buf_release(&value);
}

static void items_are_addressed_by_every_part_of_the_ref(void **state)
{
	struct store *st = st_of(state);
	struct item_ref base = ref_of("ns1", "g", "k"), other;

	make_account(st, ACC, true);
	put(st, &base, "base", T0, 0);
	other = base;
	other.account = "1-OTHER";
	assert_null(get(st, &other, T0));
	other = base;
	other.network = NETWORK_PRODUCTION;
	assert_null(get(st, &other, T0));
	other = base;
	other.namespace = "ns2";
	assert_null(get(st, &other, T0));
	other = base;
	other.sandbox = "sb1";
	assert_null(get(st, &other, T0));
	put(st, &other, "sandboxed", T0, 0);
	assert_string_equal(get(st, &other, T0), "sandboxed");
	assert_string_equal(get(st, &base, T0), "base");
	other = base;
	other.sandbox = NULL; /* NULL is the same as "" */
	assert_string_equal(get(st, &other, T0), "base");
	other = base;
	other.group = "G";
	assert_null(get(st, &other, T0));
	other = base;
	other.key = "K";
	assert_null(get(st, &other, T0));
}

static void item_expiry_is_decided_by_now(void **state)
{
	struct fx *fx = *state;
	struct store *st = fx->st;
	struct item_ref a = ref_of("default", "g", "a"), b = ref_of("default", "g", "b");
	struct item_ref group = ref_of("default", "g", NULL);

	make_account(st, ACC, true);
	put(st, &a, "A", T0, T0 + 1000);
	put(st, &b, "B", T0, 0);
	assert_string_equal(get(st, &a, T0 + 999), "A");
	assert_null(get(st, &a, T0 + 1000));
	assert_string_equal(item_names(st, &group, T0 + 999, 100), "a,b");
	assert_string_equal(item_names(st, &group, T0 + 1000, 100), "b");
	assert_int_equal(store_item_delete(st, &a, T0 + 1000, 0), STORE_NOT_FOUND);
	/* Still stored: an earlier now sees it. */
	assert_string_equal(get(st, &a, T0), "A");

	store_db_sweep(fx->db, T0 + 999);
	assert_string_equal(get(st, &a, T0), "A");
	store_db_sweep(fx->db, T0 + 1000);
	assert_null(get(st, &a, T0)); /* physically gone */
	assert_string_equal(get(st, &b, T0 + 1000 * HOUR), "B");

	/* Writing again brings it back, with its new expiry. */
	put(st, &a, "A2", T0 + 2000, 0);
	assert_string_equal(get(st, &a, T0 + 1000 * HOUR), "A2");
}

static void expired_item_is_replaced_by_put(void **state)
{
	struct store *st = st_of(state);
	struct item_ref a = ref_of("default", "g", "a");

	make_account(st, ACC, true);
	put(st, &a, "old", T0, T0 + 10);
	put(st, &a, "new", T0 + 20, T0 + 30);
	assert_string_equal(get(st, &a, T0 + 25), "new");
	assert_null(get(st, &a, T0 + 30));
}

static void item_list_is_sorted_and_limited(void **state)
{
	struct store *st = st_of(state);
	struct item_ref group = ref_of("default", "g", NULL), r = group;
	static const char *const keys[] = {"b", "a", "C", "c", "a-1", "_"};

	make_account(st, ACC, true);
	assert_string_equal(item_names(st, &group, T0, 100), "");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		r.key = keys[i];
		put(st, &r, "v", T0, 0);
	}
	r = ref_of("default", "other", "zzz");
	put(st, &r, "v", T0, 0);
	r.sandbox = "sb";
	r.group = "g";
	put(st, &r, "v", T0, 0);
	assert_string_equal(item_names(st, &group, T0, 100), "C,_,a,a-1,b,c");
	assert_string_equal(item_names(st, &group, T0, 2), "C,_");
	assert_string_equal(item_names(st, &group, T0, 1), "C");
	group.sandbox = "sb";
	assert_string_equal(item_names(st, &group, T0, 100), "zzz");
}

static void group_list_is_distinct_sorted_and_live(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ns = ref_of("default", NULL, NULL), r;

	make_account(st, ACC, true);
	assert_string_equal(group_names(st, &ns, T0, 100), "");
	r = ref_of("default", "beta", "k1");
	put(st, &r, "v", T0, 0);
	r.key = "k2";
	put(st, &r, "v", T0, 0);
	r = ref_of("default", "alpha", "k1");
	put(st, &r, "v", T0, 0);
	r = ref_of("default", "gamma", "k1");
	put(st, &r, "v", T0, T0 + 10); /* only an expiring item */
	r = ref_of("default", "delta", "k1");
	r.sandbox = "sb";
	put(st, &r, "v", T0, 0);
	r = ref_of("ns2", "epsilon", "k1");
	put(st, &r, "v", T0, 0);

	assert_string_equal(group_names(st, &ns, T0, 100), "alpha,beta,gamma");
	assert_string_equal(group_names(st, &ns, T0 + 10, 100), "alpha,beta");
	assert_string_equal(group_names(st, &ns, T0, 1), "alpha");
	ns.sandbox = "sb";
	assert_string_equal(group_names(st, &ns, T0, 100), "delta");
}

static void collect_group_sandbox(void *ctx, const char *group, const char *sandbox)
{
	struct names *n = ctx;
	size_t used = strlen(n->text);

	snprintf(n->text + used, sizeof(n->text) - used, "%s%s/%s", n->count ? "," : "", group,
	         sandbox);
	n->count++;
}

static void collect_meta(void *ctx, const struct item_meta *m)
{
	struct names *n = ctx;
	size_t used = strlen(n->text);
	char expiry[24] = "never";

	if (m->expires_at_ms)
		snprintf(expiry, sizeof(expiry), "%lld", (long long)(m->expires_at_ms - T0));
	snprintf(n->text + used, sizeof(n->text) - used, "%s%s:%s:%lld:%s", n->count ? "," : "",
	         m->key, m->ctype, (long long)m->bytes, expiry);
	n->count++;
}

/* The page's items as "key:type:bytes:expiry" (ms after T0, or never); sets page->total. */
static const char *browse(struct store *st, const struct item_ref *ref, int64_t now,
                          struct browse_page *page)
{
	static struct names n;

	memset(&n, 0, sizeof(n));
	assert_int_equal(store_browse_items(st, ref, now, page, collect_meta, &n), STORE_OK);
	return n.text;
}

static void browse_groups_and_pages(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ns = ref_of("default", NULL, NULL), r = ref_of("default", "g", "ab");
	struct browse_page page = {.limit = 2};
	struct names n = {0};

	make_account(st, ACC, true);
	put(st, &r, "v1", T0, T0 + HOUR);
	r.key = "b";
	put(st, &r, "v22", T0, 0);
	r.key = "cab";
	put(st, &r, "v333", T0, T0 + 10);
	r.sandbox = "sb";
	put(st, &r, "s", T0, 0);
	assert_int_equal(store_browse_groups(st, &ns, T0, 100, collect_group_sandbox, &n),
	                 STORE_OK);
	assert_string_equal(n.text, "g/,g/sb");

	r.sandbox = "";
	r.key = NULL;
	assert_string_equal(browse(st, &r, T0, &page),
	                    "ab:text/plain:2:3600000,b:text/plain:3:never");
	assert_int_equal(page.total, 3);
	page.offset = 2;
	assert_string_equal(browse(st, &r, T0, &page), "cab:text/plain:4:10");
	page.offset = 0;
	page.contains = "ab"; /* anywhere in the key, over every key of the group */
	assert_string_equal(browse(st, &r, T0, &page),
	                    "ab:text/plain:2:3600000,cab:text/plain:4:10");
	assert_int_equal(page.total, 2);
	page.contains = "%"; /* text, not a pattern */
	assert_string_equal(browse(st, &r, T0, &page), "");
	assert_int_equal(page.total, 0);
	page.contains = NULL; /* live only */
	assert_string_equal(browse(st, &r, T0 + 10, &page),
	                    "ab:text/plain:2:3600000,b:text/plain:3:never");
	assert_int_equal(page.total, 2);
	r.key = "b"; /* one item */
	assert_string_equal(browse(st, &r, T0, &page), "b:text/plain:3:never");
	r.sandbox = "sb";
	r.key = NULL;
	assert_string_equal(browse(st, &r, T0, &page), "cab:text/plain:1:never");
}

static void item_too_large_for_sqlite_is_full(void **state)
{
	struct store *st = st_of(state);
	struct item_ref ref = ref_of("default", "g", "k");
	char byte = 'x';

	make_account(st, ACC, true);
	/* The length is refused before a single byte is read. */
	assert_int_equal(
	        store_item_put(st, &ref, &byte, (size_t)INT32_MAX + 1, "text/plain", T0, 0, 0),
	        STORE_FULL);
	assert_null(get(st, &ref, T0));
}

/* Each ":memory:" store is its own database. */
static void memory_stores_are_separate(void **state)
{
	struct store_db *other = store_db_open(":memory:", NEVER);
	struct store *st2 = other ? store_db_thread(other) : NULL;
	struct account_rec got;

	assert_non_null(st2);
	make_account(st_of(state), ACC, false);
	assert_int_equal(store_account_get(st2, ACC, &got), STORE_NOT_FOUND);
	assert_ptr_not_equal(st2, st_of(state));
	store_db_close(other);
}

struct thread_arg {
	struct store_db *db;
	struct store *st;
	enum store_status status;
	struct account_rec acc;
};

static void *reader(void *p)
{
	struct thread_arg *arg = p;

	arg->st = store_db_thread(arg->db);
	if (arg->st) {
		arg->status = store_account_get(arg->st, ACC, &arg->acc);
		assert_true(store_db_thread(arg->db) == arg->st);
	}
	return NULL;
}

/* Another thread gets its own connection to the same (memdb) database. */
static void threads_share_the_memory_database(void **state)
{
	struct fx *fx = *state;
	struct thread_arg arg = {fx->db, NULL, STORE_ERROR, {{0}, 0, {0}, 0, 0, 0, 0, 0}};
	pthread_t t;

	make_account(fx->st, ACC, true);
	assert_ptr_equal(store_db_thread(fx->db), fx->st);
	assert_int_equal(pthread_create(&t, NULL, reader, &arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_non_null(arg.st);
	assert_ptr_not_equal(arg.st, fx->st);
	assert_int_equal(arg.status, STORE_OK);
	assert_int_equal(arg.acc.status, INIT_INITIALIZED);
}

struct taker_arg {
	struct store_db *db;
	struct store *st;
	int cache_kib;
	enum store_status status;
};

static void read_cache(void *ctx, sqlite3_stmt *row)
{
	*(int *)ctx = -sqlite3_column_int(row, 0);
}

/* A thread's first store_db_thread(): which connection, its page cache, and a read. */
static void *taker(void *p)
{
	struct taker_arg *arg = p;
	struct account_rec acc;

	arg->st = store_db_thread(arg->db);
	if (arg->st) {
		sql_run(arg->st->conn, "PRAGMA cache_size", read_cache, &arg->cache_kib);
		arg->status = store_account_get(arg->st, ACC, &acc);
	}
	return NULL;
}

/*
 * The start's connection, warmed by seeding, goes to the next thread that
 * needs one, with the readers' cache again; a spare nobody took is closed.
 */
static void a_spare_connection_goes_to_the_next_thread(void **state)
{
	struct fx *fx = *state;
	struct taker_arg arg = {fx->db, NULL, 0, STORE_ERROR};
	pthread_t t;

	make_account(fx->st, ACC, true);
	assert_int_equal(store_batch_begin(fx->st), STORE_OK);
	assert_int_equal(store_batch_end(fx->st, true), STORE_OK);
	store_db_thread_spare(fx->db);
	assert_int_equal(pthread_create(&t, NULL, taker, &arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_ptr_equal(arg.st, fx->st);
	assert_int_equal(arg.cache_kib, 2000);
	assert_int_equal(arg.status, STORE_OK);
	assert_null(fx->db->spare);

	fx->st = store_db_thread(fx->db); /* the spare went with that thread: a new one */
	assert_non_null(fx->st);
	store_db_thread_spare(fx->db);
	assert_ptr_equal(fx->db->spare, fx->st);
	store_db_spare_close(fx->db);
	assert_null(fx->db->spare);
	fx->st = store_db_thread(fx->db);
	assert_non_null(fx->st);
	assert_int_equal(store_account_get(fx->st, ACC, &(struct account_rec){0}), STORE_OK);
}

/*
 * The first connection, which made the database, serves the thread that opened
 * it; the sweeper opens its own at its first sweep, or keeps the one a thread
 * gives up while it has none (a memory database lives while one is open).
 */
static void the_first_connection_serves_the_opener_then_the_sweeper(void **state)
{
	struct store_db *db = store_db_open(":memory:", NEVER);
	struct store *first, *st;
	struct account_rec acc;

	(void)state;
	assert_non_null(db);
	first = store_db_thread(db);
	assert_non_null(first);
	assert_null(db->sweeper); /* it has not swept yet */
	make_account(first, ACC, true);
	store_db_thread_close(db);
	assert_ptr_equal(db->sweeper, first);
	/* It keeps none of the statements its thread prepared: the sweeper needs few. */
	for (int i = 0; i < STMT_COUNT; i++)
		assert_null(first->stmt[i]);
	st = store_db_thread(db);
	assert_non_null(st);
	assert_int_equal(store_account_get(st, ACC, &acc), STORE_OK);
	store_db_close(db);

	db = store_db_open(":memory:", NEVER);
	assert_non_null(db);
	first = store_db_thread(db);
	assert_non_null(first);
	store_db_sweep(db, T0);
	assert_non_null(db->sweeper);
	assert_ptr_not_equal(db->sweeper, first);
	store_db_close(db);
}

/* A private directory for file databases; removed with everything in it. */
static char tmpdir[64];

static const char *db_path(void)
{
	static char path[128];

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ekv-unit-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(path, sizeof(path), "%s/edgekv.db", tmpdir);
	return path;
}

static void remove_db(const char *path)
{
	char side[160];

	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	assert_int_equal(rmdir(tmpdir), 0);
}

static int user_version(const char *path)
{
	sqlite3 *conn = NULL;
	sqlite3_stmt *q = NULL;
	int v = -1;

	assert_int_equal(sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(conn, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
	return v;
}

static void set_user_version(const char *path, int v)
{
	sqlite3 *conn = NULL;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &conn), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_exec(conn, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_close(conn), SQLITE_OK);
}

/* Open, write, close, open again (migrations run twice): the data is still there. */
static void file_store_keeps_data_across_opens(void **state)
{
	const char *path = db_path();
	struct item_ref ref = ref_of("ns1", "g", "k");
	struct namespace_rec got;
	struct store_db *db;
	struct store *st;
	int version;

	(void)state;
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	st = store_db_thread(db);
	assert_non_null(st);
	make_account(st, ACC, true);
	make_namespace(st, NETWORK_STAGING, "ns1");
	put(st, &ref, "persisted", T0, 0);
	store_db_close(db);
	version = user_version(path);
	assert_true(version >= 1);

	for (int round = 0; round < 2; round++) {
		db = store_db_open(path, NEVER);
		assert_non_null(db);
		st = store_db_thread(db);
		assert_non_null(st);
		assert_string_equal(get(st, &ref, T0), "persisted");
		assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &got),
		                 STORE_OK);
		store_db_close(db);
		assert_int_equal(user_version(path), version);
	}
	remove_db(path);
}

static void file_store_newer_than_the_binary_is_refused(void **state)
{
	const char *path = db_path();
	struct store_db *db;
	int version;

	(void)state;
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	store_db_close(db);
	version = user_version(path);
	set_user_version(path, version + 1);
	assert_null(store_db_open(path, NEVER));
	/* Nothing was changed by the refusal. */
	assert_int_equal(user_version(path), version + 1);
	set_user_version(path, version);
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	store_db_close(db);
	remove_db(path);
}

static void file_that_is_not_a_database_is_refused(void **state)
{
	const char *path = db_path();
	FILE *f = fopen(path, "wb");

	(void)state;
	assert_non_null(f);
	for (int i = 0; i < 64; i++)
		fputs("this is not an SQLite database\n", f);
	fclose(f);
	assert_null(store_db_open(path, NEVER));
	remove_db(path);
}

static void unopenable_path_is_refused(void **state)
{
	(void)state;
	assert_null(store_db_open("/nonexistent-dir-ekv/sub/edgekv.db", NEVER));
}

struct batch_peek {
	struct store_db *db;
	bool opened; /* the other thread has a connection of its own */
	bool seen;   /* and found k1 with it */
};

static void *peek_k1(void *p)
{
	struct batch_peek *arg = p;
	struct store *st = store_db_thread(arg->db);
	struct item_ref ref = ref_of("ns1", "g", "k1");

	arg->opened = st != NULL;
	arg->seen = st && get(st, &ref, T0) != NULL;
	return NULL;
}

static bool other_thread_sees_k1(struct store_db *db)
{
	struct batch_peek arg = {db, false, false};
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, peek_k1, &arg), 0);
	pthread_join(t, NULL);
	assert_true(arg.opened);
	return arg.seen;
}

/* Group commit (a WAL file, as served): a batch's writes land together at its end, or not at all.
 */
static void batch_commits_together_or_not_at_all(void **state)
{
	const char *path = db_path();
	struct store_db *db;
	struct store *st;
	struct item_ref k0 = ref_of("ns1", "g", "k0"), k1 = ref_of("ns1", "g", "k1"),
	                k2 = ref_of("ns1", "g", "k2");

	(void)state;
	db = store_db_open(path, NEVER);
	assert_non_null(db);
	st = store_db_thread(db);
	assert_non_null(st);
	make_account(st, ACC, false);
	make_namespace(st, NETWORK_STAGING, "ns1");
	put(st, &k0, "zero", T0, 0);

	/* Rolled back: neither the puts nor the delete happened. */
	assert_int_equal(store_batch_begin(st), STORE_OK);
	put(st, &k1, "one", T0, 0);
	put(st, &k2, "two", T0, 0);
	assert_int_equal(store_item_delete(st, &k0, T0, 0), STORE_OK);
	assert_string_equal(get(st, &k1, T0), "one"); /* the batch sees its own writes */
	assert_false(other_thread_sees_k1(db));       /* nobody else does yet */
	assert_int_equal(store_batch_end(st, false), STORE_ERROR);
	assert_null(get(st, &k1, T0));
	assert_null(get(st, &k2, T0));
	assert_string_equal(get(st, &k0, T0), "zero");

	/* Committed, with a multi-statement write nested in it as a savepoint. */
	assert_int_equal(store_batch_begin(st), STORE_OK);
	put(st, &k1, "one", T0, 0);
	assert_int_equal(store_settle(st, ACC), STORE_OK);
	assert_false(other_thread_sees_k1(db));
	assert_int_equal(store_batch_end(st, true), STORE_OK);
	assert_true(other_thread_sees_k1(db));
	assert_string_equal(get(st, &k1, T0), "one");

	/* Ending a batch that was never begun is an error, and writes go on one by one. */
	assert_int_equal(store_batch_end(st, true), STORE_ERROR);
	put(st, &k2, "two", T0, 0);
	assert_true(other_thread_sees_k1(db));
	assert_string_equal(get(st, &k2, T0), "two");
	store_db_close(db);
	remove_db(path);
}

/*
 * Connections keep the namespaces they read until the generation moves. Item
 * writes in a batch leave it alone (reads keep their cache under PUT load);
 * a namespace changed inside a batch is read anew once the batch commits.
 */
static void batch_moves_the_generation_only_for_metadata(void **state)
{
	const char *path = db_path();
	struct store_db *db = store_db_open(path, NEVER);
	struct store *st = db ? store_db_thread(db) : NULL;
	struct item_ref k1 = ref_of("ns1", "g", "k1");
	struct namespace_rec ns;
	uint64_t gen;

	(void)state;
	assert_non_null(st);
	make_account(st, ACC, false);
	make_namespace(st, NETWORK_STAGING, "ns1");
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &ns), STORE_OK);
	assert_int_equal(ns.retention_s, 86400);

	gen = meta_generation(st);
	assert_int_equal(store_batch_begin(st), STORE_OK);
	put(st, &k1, "one", T0, 0);
	assert_int_equal(store_item_delete(st, &k1, T0, 0), STORE_OK);
	assert_int_equal(store_batch_end(st, true), STORE_OK);
	assert_true(meta_generation(st) == gen);

	assert_int_equal(store_batch_begin(st), STORE_OK);
	assert_int_equal(
	        store_namespace_set_retention(st, ACC, NETWORK_STAGING, "ns1", 3600, T0, 0),
	        STORE_OK);
	put(st, &k1, "one", T0, 0);
	assert_int_equal(store_batch_end(st, true), STORE_OK);
	assert_true(meta_generation(st) > gen);
	assert_int_equal(store_namespace_get(st, ACC, NETWORK_STAGING, "ns1", T0, &ns), STORE_OK);
	assert_int_equal(ns.retention_s, 3600);
	store_db_close(db);
	remove_db(path);
}

static void read_int(void *ctx, sqlite3_stmt *row)
{
	*(int *)ctx = sqlite3_column_int(row, 0);
}

static int cache_kib(struct store *st)
{
	int size = 0;

	if (!st)
		return 0;
	assert_int_equal(sql_run(st->conn, "PRAGMA cache_size", read_int, &size), SQLITE_OK);
	return -size;
}

/* Readers keep SQLite's default page cache; the connection that runs group commits a smaller one.
 */
static void the_writer_keeps_a_smaller_cache(void **state)
{
	const char *path = db_path();
	struct store_db *db = store_db_open(path, NEVER);
	struct store *st = db ? store_db_thread(db) : NULL;

	(void)state;
	assert_non_null(st);
	assert_int_equal(cache_kib(st), 2000);
	assert_int_equal(store_batch_begin(st), STORE_OK);
	assert_int_equal(store_batch_end(st, true), STORE_OK);
	assert_int_equal(cache_kib(st), 1024);
	store_db_close(db);
	remove_db(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("network and status names", names_of_enums),
	        TEST_FX("an account is created once and read back", account_create_get_conflict),
	        TEST_FX("initializing an account creates default on both networks, once",
	                account_initialize_creates_default_namespaces),
	        TEST_FX("the account policy changes; an unknown account is NOT_FOUND",
	                account_set_policy),
	        TEST_FX("a namespace is created, read and listed by name per network and account",
	                namespace_create_get_list),
	        TEST_FX("creating an existing namespace is OK with the same configuration, "
	                "CONFLICT with another",
	                namespace_create_same_or_other_configuration),
	        TEST_FX("20 namespaces per network, then FULL", namespace_limit_is_per_network),
	        TEST_FX("retention and scheduled delete are set; unknown names are NOT_FOUND",
	                namespace_set_retention_and_schedule),
	        TEST_FX("past its scheduled delete a namespace is gone and the sweep removes it "
	                "and its items",
	                namespace_past_its_delete_time_is_gone),
	        TEST_FX("a namespace created again after its delete time starts empty",
	                namespace_recreated_after_its_delete_time_starts_empty),
	        TEST_FX("deleting a namespace now removes it and only its items",
	                namespace_delete_now),
	        TEST("readers keep SQLite's default page cache, the group-commit writer 1 MiB",
	             the_writer_keeps_a_smaller_cache),
	        TEST("a batch of item writes keeps the cached namespaces; a namespace changed in "
	             "one is read anew",
	             batch_moves_the_generation_only_for_metadata),
	        TEST_FX("an item is put, read byte for byte with its content type, and deleted",
	                item_put_get_delete),
	        TEST_FX("item get appends to the caller's buffer", item_appends_to_the_buffer),
	        TEST_FX("items are addressed by account, network, namespace, sandbox, group, key",
	                items_are_addressed_by_every_part_of_the_ref),
	        TEST_FX("an item past its expiry does not exist and the sweep removes it",
	                item_expiry_is_decided_by_now),
	        TEST_FX("put replaces an expired item", expired_item_is_replaced_by_put),
	        TEST_FX("item list is sorted by key and limited", item_list_is_sorted_and_limited),
	        TEST_FX("group list is distinct, sorted, limited and live only",
	                group_list_is_distinct_sorted_and_live),
	        TEST_FX("the console's view: groups with their sandbox, pages of items filtered "
	                "over all keys, with expiry",
	                browse_groups_and_pages),
	        TEST_FX("a value longer than INT32_MAX is FULL", item_too_large_for_sqlite_is_full),
	        TEST_FX("two :memory: stores are separate databases", memory_stores_are_separate),
	        TEST_FX("another thread gets its own connection to the same memory database",
	                threads_share_the_memory_database),
	        TEST("the first connection serves the thread that opened the database; the sweeper "
	             "opens its own, or keeps one a thread gives up",
	             the_first_connection_serves_the_opener_then_the_sweeper),
	        TEST_FX("a spare connection goes to the next thread that needs one, with the "
	                "readers' cache; one nobody takes is closed",
	                a_spare_connection_goes_to_the_next_thread),
	        TEST("a batch's writes are seen by others at its commit, and never after a "
	             "rollback; a transaction inside it nests",
	             batch_commits_together_or_not_at_all),
	        TEST("a file store keeps its data when opened again (migrations run twice)",
	             file_store_keeps_data_across_opens),
	        TEST("a database with a newer user_version is refused",
	             file_store_newer_than_the_binary_is_refused),
	        TEST("a file that is not a database is refused",
	             file_that_is_not_a_database_is_refused),
	        TEST("a path that cannot be opened is refused", unopenable_path_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

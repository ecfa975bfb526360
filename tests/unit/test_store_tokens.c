/*
 * storage/tokens.c on a ":memory:" store: token create with its CONFLICT and
 * FULL paths, lookups, listing with and without expired tokens, revoke,
 * refresh, settings, secrets and the notice records of the daily check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "storage/store.h"
#include "tests/unit/unit.h"

#define DAY   86400000LL
#define T0    (20000LL * DAY + 10 * 3600000LL) /* 2024-10-04T10:00Z */
#define NEVER (3600000LL * 1000)
#define ACC   "1-TEST"

static struct store_db *db;
static struct store *st;

static int setup(void **state)
{
	(void)state;
	db = store_db_open(":memory:", NEVER);
	st = db ? store_db_thread(db) : NULL;
	return st ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	store_db_close(db);
	db = NULL;
	st = NULL;
	return 0;
}

#define TEST_FX(sentence, fn)                                                                      \
	{                                                                                          \
		sentence, fn, setup, teardown, NULL                                                \
	}

/* A legacy token (expiry_day >= 0) or an enhanced one (expiry_day < 0). */
static struct token_rec make(const char *name, const char *uuid, int64_t expiry_day)
{
	struct token_rec t;

	memset(&t, 0, sizeof(t));
	snprintf(t.account, sizeof(t.account), "%s", ACC);
	snprintf(t.name, sizeof(t.name), "%s", name);
	snprintf(t.uuid, sizeof(t.uuid), "%s", uuid);
	t.legacy = expiry_day >= 0;
	t.expiry_day = t.legacy ? expiry_day : STORE_ENHANCED_EXPIRY_DAY;
	t.issued_ms = T0;
	t.allow_staging = true;
	snprintf(t.cpcode, sizeof(t.cpcode), "1234567");
	snprintf(t.value, sizeof(t.value), "%s", t.legacy ? "h.p.s" : "");
	t.active_ms = T0;
	t.busy_until_ms = T0;
	t.perm_count = 2;
	snprintf(t.perms[0].namespace, sizeof(t.perms[0].namespace), "default");
	snprintf(t.perms[0].letters, sizeof(t.perms[0].letters), "rw");
	snprintf(t.perms[1].namespace, sizeof(t.perms[1].namespace), "marketing");
	snprintf(t.perms[1].letters, sizeof(t.perms[1].letters), "d");
	return t;
}

#define U1 "00000000-0000-5000-8000-000000000001"
#define U2 "00000000-0000-5000-8000-000000000002"
#define U3 "00000000-0000-5000-8000-000000000003"
#define U4 "00000000-0000-5000-8000-000000000004"

static void create_get_and_by_uuid_round_trip(void **state)
{
	struct token_rec t = make("tok", U1, -1), got;

	(void)state;
	t.allow_production = true;
	snprintf(t.ewids, sizeof(t.ewids), "1234,5678");
	assert_int_equal(store_token_create(st, &t, T0, 10), STORE_OK);
	assert_int_equal(store_token_get(st, ACC, "tok", &got), STORE_OK);
	assert_string_equal(got.uuid, U1);
	assert_false(got.legacy);
	assert_int_equal(got.expiry_day, STORE_ENHANCED_EXPIRY_DAY);
	assert_true(got.allow_production && got.allow_staging);
	assert_string_equal(got.ewids, "1234,5678");
	assert_int_equal(got.perm_count, 2);
	assert_string_equal(got.perms[0].namespace, "default");
	assert_string_equal(got.perms[0].letters, "rw");
	assert_string_equal(got.perms[1].namespace, "marketing");
	assert_int_equal(store_token_by_uuid(st, U1, &got), STORE_OK);
	assert_string_equal(got.name, "tok");
	assert_string_equal(got.account, ACC);
	assert_int_equal(store_token_get(st, ACC, "nope", &got), STORE_NOT_FOUND);
	assert_int_equal(store_token_get(st, "1-OTHER", "tok", &got), STORE_NOT_FOUND);
	assert_int_equal(store_token_by_uuid(st, U2, &got), STORE_NOT_FOUND);
}

static void a_live_name_conflicts_until_revoked_or_expired(void **state)
{
	int64_t day0 = T0 / DAY;
	struct token_rec a = make("tok", U1, day0 + 1), b = make("tok", U2, -1), got;

	(void)state;
	assert_int_equal(store_token_create(st, &a, T0, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &b, T0, 10), STORE_CONFLICT);
	/* a ends at midnight after its expiry day. */
	assert_int_equal(store_token_end_ms(&a), (day0 + 2) * DAY);
	assert_int_equal(store_token_create(st, &b, (day0 + 2) * DAY - 1, 10), STORE_CONFLICT);
	b.issued_ms = (day0 + 2) * DAY;
	assert_int_equal(store_token_create(st, &b, (day0 + 2) * DAY, 10), STORE_OK);
	assert_int_equal(store_token_get(st, ACC, "tok", &got), STORE_OK);
	assert_string_equal(got.uuid, U2);
	/* Revoked: the name is free again, and get no longer sees it. */
	assert_int_equal(store_token_revoke(st, U2, (day0 + 3) * DAY), STORE_OK);
	assert_int_equal(store_token_revoke(st, U2, (day0 + 3) * DAY), STORE_NOT_FOUND);
	assert_int_equal(store_token_get(st, ACC, "tok", &got), STORE_OK);
	assert_string_equal(got.uuid, U1); /* the expired one is still there */
	assert_int_equal(store_token_by_uuid(st, U2, &got), STORE_OK);
	assert_int_equal(got.revoked_ms, (day0 + 3) * DAY);
}

static void the_limit_counts_live_and_recently_expired_tokens(void **state)
{
	int64_t day0 = T0 / DAY;
	struct token_rec a = make("a", U1, day0 + 1), b = make("b", U2, -1), c = make("c", U3, -1),
	                 d = make("d", U4, -1);

	(void)state;
	assert_int_equal(store_token_create(st, &a, T0, 2), STORE_OK);
	assert_int_equal(store_token_create(st, &b, T0, 2), STORE_OK);
	assert_int_equal(store_token_create(st, &c, T0, 2), STORE_FULL);
	assert_int_equal(store_token_revoke(st, U2, T0), STORE_OK);
	assert_int_equal(store_token_create(st, &c, T0, 2), STORE_OK);
	/* a expired: it counts for 30 days after its end. */
	assert_int_equal(store_token_create(st, &d, (day0 + 2) * DAY + 29 * DAY, 2), STORE_FULL);
	assert_int_equal(store_token_create(st, &d, (day0 + 2) * DAY + 30 * DAY, 2), STORE_OK);
}

static void count_name(void *ctx, const struct token_rec *t)
{
	struct buf *names = ctx;

	buf_addf(names, "%s%s", names->len ? "," : "", t->name);
}

static void listing_hides_revoked_and_old_expired_tokens(void **state)
{
	int64_t day0 = T0 / DAY;
	struct token_rec a = make("a", U1, day0 + 1), b = make("b", U2, -1), c = make("c", U3, -1);
	struct buf names = BUF_INIT;
	int64_t later = (day0 + 5) * DAY;

	(void)state;
	assert_int_equal(store_token_create(st, &a, T0, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &b, T0, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &c, T0, 10), STORE_OK);
	assert_int_equal(store_token_revoke(st, U3, T0), STORE_OK);
	assert_int_equal(store_token_list(st, ACC, T0, false, count_name, &names), STORE_OK);
	assert_string_equal(names.ptr, "a,b");
	buf_reset(&names);
	assert_int_equal(store_token_list(st, ACC, later, false, count_name, &names), STORE_OK);
	assert_string_equal(names.ptr, "b");
	buf_reset(&names);
	assert_int_equal(store_token_list(st, ACC, later, true, count_name, &names), STORE_OK);
	assert_string_equal(names.ptr, "a,b");
	buf_reset(&names);
	assert_int_equal(store_token_list(st, ACC, later + 30 * DAY, true, count_name, &names),
	                 STORE_OK);
	assert_string_equal(names.ptr, "b");
	buf_release(&names);
}

static void refresh_records_the_time_and_the_busy_window(void **state)
{
	struct token_rec t = make("tok", U1, -1), got;

	(void)state;
	assert_int_equal(store_token_create(st, &t, T0, 10), STORE_OK);
	assert_int_equal(store_token_refresh(st, U1, T0 + DAY, T0 + DAY + 5000), STORE_OK);
	assert_int_equal(store_token_by_uuid(st, U1, &got), STORE_OK);
	assert_int_equal(got.refreshed_ms, T0 + DAY);
	assert_int_equal(got.busy_until_ms, T0 + DAY + 5000);
	assert_int_equal(got.active_ms, T0);
	assert_int_equal(store_token_refresh(st, U2, T0, T0), STORE_NOT_FOUND);
}

static void import_keeps_every_time_and_all_lists_every_token(void **state)
{
	int64_t day0 = T0 / DAY;
	struct token_rec a = make("a", U1, day0 - 40), b = make("b", U2, -1), c = make("c", U3, -1);
	struct token_rec got, dup = make("a", U4, -1);
	struct buf names = BUF_INIT;

	(void)state;
	b.refreshed_ms = T0 + DAY;
	b.busy_until_ms = T0 + DAY + 5000;
	c.revoked_ms = T0 + 2 * DAY;
	/* No limit and no live-name check: an import stores what the fixture says. */
	assert_int_equal(store_token_import(st, &a), STORE_OK);
	assert_int_equal(store_token_import(st, &b), STORE_OK);
	assert_int_equal(store_token_import(st, &c), STORE_OK);
	assert_int_equal(store_token_import(st, &dup), STORE_OK);
	assert_int_equal(store_token_by_uuid(st, U2, &got), STORE_OK);
	assert_int_equal(got.refreshed_ms, T0 + DAY);
	assert_int_equal(got.busy_until_ms, T0 + DAY + 5000);
	assert_int_equal(got.revoked_ms, 0);
	assert_int_equal(store_token_by_uuid(st, U3, &got), STORE_OK);
	assert_int_equal(got.revoked_ms, T0 + 2 * DAY);
	assert_int_equal(got.refreshed_ms, 0);
	assert_int_equal(got.perm_count, 2);
	assert_string_equal(got.perms[1].letters, "d");
	c.name[0] = 'x'; /* another token with a uuid already taken */
	assert_int_equal(store_token_import(st, &c), STORE_CONFLICT);
	/* Revoked and long-expired tokens too, in the order they were stored. */
	assert_int_equal(store_token_all(st, ACC, count_name, &names), STORE_OK);
	assert_string_equal(names.ptr, "a,b,c,a");
	buf_reset(&names);
	assert_int_equal(store_token_list(st, ACC, T0, true, count_name, &names), STORE_OK);
	assert_string_equal(names.ptr, "b,a");
	buf_release(&names);
}

static void settings_default_then_keep_what_was_put(void **state)
{
	struct token_settings s;

	(void)state;
	assert_int_equal(store_token_settings_get(st, ACC, &s), STORE_OK);
	assert_false(s.has_workflow);
	assert_int_equal(s.limit, -1);
	assert_int_equal(s.activation_delay_ms, -1);
	assert_string_equal(s.contact_email, "");
	s.has_workflow = true;
	s.workflow = TOKEN_WORKFLOW_LEGACY;
	s.limit = 7;
	snprintf(s.contact_email, sizeof(s.contact_email), "dev@example.com");
	s.contact_active = true;
	assert_int_equal(store_token_settings_put(st, ACC, &s), STORE_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_token_settings_get(st, ACC, &s), STORE_OK);
	assert_true(s.has_workflow);
	assert_int_equal(s.workflow, TOKEN_WORKFLOW_LEGACY);
	assert_int_equal(s.limit, 7);
	assert_int_equal(s.activation_delay_ms, -1);
	assert_string_equal(s.contact_email, "dev@example.com");
	assert_false(s.contact_registered);
	assert_true(s.contact_active);
	assert_string_equal(token_workflow_name(TOKEN_WORKFLOW_ENHANCED), "enhanced");
}

static void the_first_secret_wins(void **state)
{
	struct buf text = BUF_INIT;

	(void)state;
	assert_int_equal(store_secret_get(st, "k", &text), STORE_NOT_FOUND);
	assert_int_equal(store_secret_put(st, "k", "one", T0), STORE_OK);
	assert_int_equal(store_secret_put(st, "k", "two", T0), STORE_CONFLICT);
	assert_int_equal(store_secret_get(st, "k", &text), STORE_OK);
	assert_string_equal(text.ptr, "one");
	buf_release(&text);
}

static void add_due(void *ctx, const struct notice_token *t)
{
	struct buf *names = ctx;

	buf_addf(names, "%s%s", names->len ? "," : "", t->name);
}

static void add_notice(void *ctx, const struct notice_rec *n)
{
	struct buf *out = ctx;

	buf_addf(out, "[%lld %s %s %s]", (long long)n->days, n->channel, n->subject,
	         n->tokens_json);
}

static void the_check_sees_tokens_issued_before_it_and_not_yet_revoked(void **state)
{
	int64_t day0 = T0 / DAY, check = (day0 + 1) * DAY, last = -1;
	struct token_rec a = make("a", U1, day0 + 8), b = make("b", U2, day0 + 8),
	                 c = make("c", U3, day0 + 8), d = make("d", U4, -1);
	struct notice_rec n[2];
	struct buf names = BUF_INIT, out = BUF_INIT;

	(void)state;
	c.issued_ms = check + 1; /* after the check */
	assert_int_equal(store_token_create(st, &a, T0, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &b, T0, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &c, check + 1, 10), STORE_OK);
	assert_int_equal(store_token_create(st, &d, T0, 10), STORE_OK);
	assert_int_equal(store_token_revoke(st, U2, check - 1), STORE_OK);
	assert_int_equal(store_notice_due(st, check, 7, add_due, &names), STORE_OK);
	assert_string_equal(names.ptr, "a");
	buf_reset(&names);
	assert_int_equal(store_notice_due(st, check, 30, add_due, &names), STORE_OK);
	assert_int_equal(names.len, 0);

	assert_int_equal(store_notice_last_check(st, &last), STORE_OK);
	assert_int_equal(last, 0);
	memset(n, 0, sizeof(n));
	snprintf(n[0].account, sizeof(n[0].account), ACC);
	n[0].created_ms = check;
	n[0].days = 7;
	snprintf(n[0].channel, sizeof(n[0].channel), "notification-center");
	n[0].subject = "s";
	n[0].body = "b";
	n[0].tokens_json = "[\"a\"]";
	n[1] = n[0];
	snprintf(n[1].channel, sizeof(n[1].channel), "email");
	snprintf(n[1].recipient, sizeof(n[1].recipient), "dev@example.com");
	assert_int_equal(store_notice_record(st, n, 2, check), STORE_OK);
	assert_int_equal(store_notice_last_check(st, &last), STORE_OK);
	assert_int_equal(last, check);
	assert_int_equal(store_notice_list(st, ACC, add_notice, &out), STORE_OK);
	assert_string_equal(out.ptr, "[7 notification-center s [\"a\"]][7 email s [\"a\"]]");
	buf_reset(&out);
	assert_int_equal(store_notice_list(st, "1-OTHER", add_notice, &out), STORE_OK);
	assert_int_equal(out.len, 0);
	buf_release(&names);
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST_FX("a token reads back whole by name and by uuid",
	                create_get_and_by_uuid_round_trip),
	        TEST_FX("a live name conflicts until its token is revoked or expired",
	                a_live_name_conflicts_until_revoked_or_expired),
	        TEST_FX("the limit counts live tokens and those expired under 30 days",
	                the_limit_counts_live_and_recently_expired_tokens),
	        TEST_FX("listing hides revoked tokens, and expired ones unless asked (30 days)",
	                listing_hides_revoked_and_old_expired_tokens),
	        TEST_FX("refresh records the time and the IN_PROGRESS window",
	                refresh_records_the_time_and_the_busy_window),
	        TEST_FX("token settings default to the server's, then keep what was put",
	                settings_default_then_keep_what_was_put),
	        TEST_FX("an import keeps refresh and revoke times; all lists every token",
	                import_keeps_every_time_and_all_lists_every_token),
	        TEST_FX("the first writer of a secret wins", the_first_secret_wins),
	        TEST_FX("the daily check sees tokens issued before it and not yet revoked",
	                the_check_sees_tokens_issued_before_it_and_not_yet_revoked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

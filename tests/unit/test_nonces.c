/* The EdgeGrid nonce store (api/nonces.c): replays refused, nothing evicted, bounded by time. */
#include <stdio.h>
#include <string.h>

#include "api/auth/nonces.h"
#include "tests/unit/unit.h"

#define T0     1790000000000LL /* a wall clock, ms */
#define WINDOW 300000LL        /* the default accepted skew, ms */
#define RUN    100000

static enum nonce_result check(struct nonce_store *s, const char *client, const char *nonce,
                               int64_t stamp, int64_t wall)
{
	return nonce_store_check(s, client, nonce, stamp, wall, WINDOW);
}

static void a_replay_is_refused(void **state)
{
	struct nonce_store *s = nonce_store_new(1000);

	(void)state;
	assert_int_equal(check(s, "akab-a", "n1", T0, T0), NONCE_FRESH);
	assert_int_equal(check(s, "akab-a", "n1", T0, T0 + 1000), NONCE_SEEN);
	/* The same nonce from another client is another request. */
	assert_int_equal(check(s, "akab-b", "n1", T0, T0 + 1000), NONCE_FRESH);
	/* Client and nonce are kept apart: "ab"+"c" is not "a"+"bc". */
	assert_int_equal(check(s, "ab", "c", T0, T0), NONCE_FRESH);
	assert_int_equal(check(s, "a", "bc", T0, T0), NONCE_FRESH);
	nonce_store_free(s);
}

/* The table this store replaced: 64-bit FNV-1a of token, 0xff, nonce, in 8,192 slots. */
static unsigned old_slot(const char *client, const char *nonce)
{
	uint64_t h = 14695981039346656037ull;

	for (const char *p = client; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	h = (h ^ 0xff) * 1099511628211ull;
	for (const char *p = nonce; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (unsigned)((h ? h : 1) % 8192);
}

/*
 * The attack on the old table: account B picks a nonce that lands in the
 * slot of account A's captured request, and sends it; A's request then
 * replays. Here B's colliding nonce, and 100,000 more, leave A's in place.
 */
static void no_client_can_evict_another_s_nonce(void **state)
{
	struct nonce_store *s = nonce_store_new(262144);
	const char *victim = "0f8c0a57-9d4e-4b43-a4a8-1f6f1c2b5e90";
	unsigned target = old_slot("akab-victim", victim);
	char nonce[32];
	int tries = 0;

	(void)state;
	assert_int_equal(check(s, "akab-victim", victim, T0, T0), NONCE_FRESH);
	do
		snprintf(nonce, sizeof(nonce), "attack-%d", tries++);
	while (old_slot("akab-attacker", nonce) != target);
	assert_int_equal(check(s, "akab-attacker", nonce, T0, T0), NONCE_FRESH);
	assert_int_equal(check(s, "akab-victim", victim, T0, T0 + 1), NONCE_SEEN);
	for (int i = 0; i < RUN; i++) {
		snprintf(nonce, sizeof(nonce), "flood-%d", i);
		assert_int_equal(check(s, "akab-attacker", nonce, T0, T0 + 2), NONCE_FRESH);
	}
	assert_int_equal(check(s, "akab-victim", victim, T0, T0 + 3), NONCE_SEEN);
	nonce_store_free(s);
}

/* A busy server: 100,000 requests in one window, every one of them still refused on replay. */
static void a_hundred_thousand_requests_are_all_remembered(void **state)
{
	struct nonce_store *s = nonce_store_new(262144);
	char nonce[32];

	(void)state;
	for (int i = 0; i < RUN; i++) {
		snprintf(nonce, sizeof(nonce), "n-%d", i);
		assert_int_equal(check(s, "akab-busy", nonce, T0 + i, T0 + i), NONCE_FRESH);
	}
	assert_int_equal(nonce_store_count(s), RUN);
	for (int i = 0; i < RUN; i++) {
		snprintf(nonce, sizeof(nonce), "n-%d", i);
		assert_int_equal(check(s, "akab-busy", nonce, T0 + i, T0 + RUN), NONCE_SEEN);
	}
	nonce_store_free(s);
}

static void a_nonce_is_forgotten_only_once_its_timestamp_is_refused(void **state)
{
	struct nonce_store *s = nonce_store_new(1000);
	char nonce[32];

	(void)state;
	assert_int_equal(check(s, "akab-a", "old", T0, T0), NONCE_FRESH);
	/* Still inside the window: still refused. */
	assert_int_equal(check(s, "akab-a", "old", T0, T0 + WINDOW), NONCE_SEEN);
	/* Past it, the timestamp alone refuses it, so the store may drop it. */
	for (int i = 0; i < 2000; i++) {
		snprintf(nonce, sizeof(nonce), "later-%d", i % 900);
		check(s, "akab-a", nonce, T0 + WINDOW + 1 + i / 900, T0 + WINDOW + 1 + i / 900);
	}
	assert_true(nonce_store_count(s) <= 900);
	assert_int_equal(check(s, "akab-a", "old", T0, T0 + WINDOW + 10), NONCE_STALE);
	/* A wall clock that steps back does not bring it back either. */
	assert_int_equal(check(s, "akab-a", "old", T0, T0), NONCE_STALE);
	nonce_store_free(s);
}

static void a_full_store_refuses_rather_than_forgets(void **state)
{
	struct nonce_store *s = nonce_store_new(1000);
	char nonce[32];

	(void)state;
	for (int i = 0; i < 1000; i++) {
		snprintf(nonce, sizeof(nonce), "n-%d", i);
		assert_int_equal(check(s, "akab-a", nonce, T0, T0), NONCE_FRESH);
	}
	assert_int_equal(check(s, "akab-a", "one-more", T0, T0), NONCE_FULL);
	assert_int_equal(check(s, "akab-a", "n-0", T0, T0 + 1), NONCE_SEEN);
	/* Once those timestamps are out of the window, room comes back. */
	assert_int_equal(check(s, "akab-a", "one-more", T0 + WINDOW + 5000, T0 + WINDOW + 5000),
	                 NONCE_FRESH);
	assert_int_equal(nonce_store_count(s), 1);
	nonce_store_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("a replayed nonce is refused, per client", a_replay_is_refused),
	        TEST("no client can evict another's nonce (colliding or flooding)",
	             no_client_can_evict_another_s_nonce),
	        TEST("100,000 requests in one window are all remembered",
	             a_hundred_thousand_requests_are_all_remembered),
	        TEST("a nonce is forgotten only once its timestamp is refused",
	             a_nonce_is_forgotten_only_once_its_timestamp_is_refused),
	        TEST("a full store refuses new nonces rather than forget old ones",
	             a_full_store_refuses_rather_than_forgets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

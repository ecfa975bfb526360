#include "api/auth/nonces.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/xalloc.h"

/* The table starts this small and doubles as it fills (open addressing, load <= 1/2). */
#define SLOTS_MIN 1024
/* With the store full, expired nonces are swept at most this often. */
#define FULL_SWEEP_MS 1000

/*
 * 128 bits of SHA-256(client token, 0, nonce): no client can choose a nonce
 * that lands on another's (the old table's 64-bit FNV slots could be hit in
 * a few hundred offline tries).
 */
struct entry {
	uint64_t k0, k1; /* both 0: an empty slot */
	int64_t until_ms;
};

struct nonce_store {
	pthread_mutex_t lock;
	struct entry *slots;
	size_t cap;   /* a power of two */
	size_t count; /* entries held, expired ones included until swept */
	size_t max;
	int64_t high_wall_ms; /* the latest wall clock seen */
	int64_t last_full_sweep_ms;
};

struct nonce_store *nonce_store_new(size_t max_entries)
{
	struct nonce_store *s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->lock, NULL);
	s->cap = SLOTS_MIN; /* the slots come with the first nonce: most runs check none */
	s->max = max_entries;
	return s;
}

void nonce_store_free(struct nonce_store *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	free(s->slots);
	free(s);
}

static void digest(const char *client_token, const char *nonce, uint64_t *k0, uint64_t *k1)
{
	gnutls_hash_hd_t h;
	unsigned char out[32];

	memset(out, 0, sizeof(out));
	if (gnutls_hash_init(&h, GNUTLS_DIG_SHA256) == 0) {
		gnutls_hash(h, client_token,
		            strlen(client_token) + 1); /* with its NUL: a separator */
		gnutls_hash(h, nonce, strlen(nonce));
		gnutls_hash_deinit(h, out);
	}
	memcpy(k0, out, 8);
	memcpy(k1, out + 8, 8);
	if (!*k0 && !*k1) /* never the empty mark */
		*k1 = 1;
}

/* The slot holding (k0, k1), or the empty one where it would go. */
static struct entry *find(struct entry *slots, size_t cap, uint64_t k0, uint64_t k1)
{
	size_t i = (size_t)(k0 & (cap - 1));

	while (slots[i].k0 || slots[i].k1) {
		if (slots[i].k0 == k0 && slots[i].k1 == k1)
			return &slots[i];
		i = (i + 1) & (cap - 1);
	}
	return &slots[i];
}

/* Rebuilds the table at cap slots with the entries still live at s->high_wall_ms. */
static void rebuild(struct nonce_store *s, size_t cap)
{
	struct entry *old = s->slots, *slots = xcalloc(cap, sizeof(*slots));
	size_t n = 0;

	for (size_t i = 0; i < s->cap; i++) {
		if ((!old[i].k0 && !old[i].k1) || old[i].until_ms < s->high_wall_ms)
			continue;
		*find(slots, cap, old[i].k0, old[i].k1) = old[i];
		n++;
	}
	free(old);
	s->slots = slots;
	s->cap = cap;
	s->count = n;
}

static size_t live(const struct nonce_store *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->cap; i++)
		if ((s->slots[i].k0 || s->slots[i].k1) && s->slots[i].until_ms >= s->high_wall_ms)
			n++;
	return n;
}

/*
 * Makes room for one more entry: sweeps the expired ones out and grows the
 * table if at least a quarter stays taken. False when max live nonces are
 * held; then, so that every request does not pay for a sweep, the next
 * sweep waits FULL_SWEEP_MS.
 */
static bool make_room(struct nonce_store *s, int64_t now_ms)
{
	size_t cap = s->cap, n;

	if (s->count < s->max && (s->count + 1) * 2 <= s->cap)
		return true;
	if (s->count >= s->max && now_ms - s->last_full_sweep_ms < FULL_SWEEP_MS)
		return false;
	n = live(s);
	while ((n + 1) * 4 > cap && cap < 2 * s->max)
		cap *= 2;
	rebuild(s, cap);
	if (s->count >= s->max) {
		s->last_full_sweep_ms = now_ms;
		return false;
	}
	return true;
}

enum nonce_result nonce_store_check(struct nonce_store *s, const char *client_token,
                                    const char *nonce, int64_t stamp_ms, int64_t wall_ms,
                                    int64_t window_ms)
{
	uint64_t k0, k1;
	struct entry *e;
	enum nonce_result r = NONCE_FRESH;

	digest(client_token, nonce, &k0, &k1);
	pthread_mutex_lock(&s->lock);
	if (wall_ms > s->high_wall_ms)
		s->high_wall_ms = wall_ms;
	/* Once the clock has passed stamp + window, the store may have dropped its twin. */
	if (stamp_ms + window_ms < s->high_wall_ms) {
		r = NONCE_STALE;
		goto out;
	}
	if (!s->slots)
		s->slots = xcalloc(s->cap, sizeof(*s->slots));
	e = find(s->slots, s->cap, k0, k1);
	if (e->k0 || e->k1) {
		if (e->until_ms >= s->high_wall_ms) {
			r = NONCE_SEEN;
			goto out;
		}
		e->until_ms = stamp_ms + window_ms; /* an expired twin: reuse its slot */
		goto out;
	}
	if (!make_room(s, wall_ms)) {
		r = NONCE_FULL;
		goto out;
	}
	e = find(s->slots, s->cap, k0, k1);
	e->k0 = k0;
	e->k1 = k1;
	e->until_ms = stamp_ms + window_ms;
	s->count++;
out:
	pthread_mutex_unlock(&s->lock);
	return r;
}

size_t nonce_store_count(struct nonce_store *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->count;
	pthread_mutex_unlock(&s->lock);
	return n;
}

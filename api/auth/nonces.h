#ifndef EKV_API_AUTH_NONCES_H
#define EKV_API_AUTH_NONCES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The EdgeGrid nonces seen within the accepted timestamp window, so that a
 * captured request cannot be replayed (docs/security.md "Replay").
 *
 * A nonce is kept, under a SHA-256 digest of its client token and itself,
 * until its timestamp can never be accepted again (timestamp + window, by
 * the latest wall clock seen): nothing another client sends can push it
 * out, and a busy server does not forget it. When the store holds its
 * maximum, new nonces are refused (NONCE_FULL) rather than old ones dropped.
 */
enum nonce_result {
	NONCE_FRESH, /* recorded: go on */
	NONCE_SEEN,  /* a replay */
	NONCE_STALE, /* the timestamp is older than one the store may have forgotten */
	NONCE_FULL,  /* no room until older nonces expire */
};

struct nonce_store;

/*
 * Signed requests remembered within one timestamp window: 262,144 in the
 * default 300 s is ~870 a second, sustained, far above the real service's
 * rate limits; at most ~12 MB.
 */
#define NONCE_STORE_MAX 262144

/* A store of at most max_entries nonces; caller frees with nonce_store_free(). */
struct nonce_store *nonce_store_new(size_t max_entries);
void nonce_store_free(struct nonce_store *s);

/*
 * Records (client_token, nonce) of a request stamped stamp_ms, checked at
 * the wall clock wall_ms with an accepted skew of window_ms. Thread-safe.
 */
enum nonce_result nonce_store_check(struct nonce_store *s, const char *client_token,
                                    const char *nonce, int64_t stamp_ms, int64_t wall_ms,
                                    int64_t window_ms);

/* Nonces held now (tests). */
size_t nonce_store_count(struct nonce_store *s);

#endif

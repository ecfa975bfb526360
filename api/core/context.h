#ifndef EKV_API_CORE_CONTEXT_H
#define EKV_API_CORE_CONTEXT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * The emulator's API as one value: its configuration and everything it owns
 * (the server makes one, api_release() frees what it made).
 */
struct store_db;
struct jwt_key;
struct faults;
struct settings;
struct journal;

struct api_config {
	const char *default_account; /* the account of the bare start, and of auth off */
	size_t max_body;             /* bytes; larger bodies arrive as body_too_large */
	int auth_mode;               /* enum auth_mode of api/auth/caller.h */
	int64_t auth_window_s;       /* EdgeGrid timestamps older or newer than this fail */
	bool auth_any_scheme;        /* accept signatures made for http as https and back */
	const char *admin_secret;    /* lets non-loopback callers use /_emulator; NULL: none */
	const char *listen;          /* the listen address: a Host /_emulator also answers */
	bool control_any_peer;       /* /_emulator from any peer (a port published to the host) */
	bool remote_dev_client;      /* switch-any-account clients beyond loopback too */
	const char *seed_dir;        /* --seed DIR: the start world; NULL: the built-in one */
	bool start_uninitialized;    /* the built-in world's default account: --uninitialized */
	bool start_no_standard_tls;  /* and --no-standard-tls */
	/* Access tokens: defaults for accounts without their own setting. */
	enum token_workflow token_workflow;
	int64_t token_limit;         /* tokens per account, expired ones under 30 days included */
	int64_t token_activation_ms; /* enhanced tokens are IN_PROGRESS this long */
	enum network data_plane_network; /* when a request has no X-EdgeKV-Network */
	/* Bulk uploads: the folder of their CSV files (next to the database), and their cap. */
	const char *upload_dir;
	size_t max_upload; /* bytes, after gzip decoding */
};

struct bulk_runner;
struct nonce_store;
struct clock;

/*
 * Everything the emulator keeps between requests besides the store is here,
 * so two instances (two servers in one test process) never share it: the
 * test state of api/state/, the readiness flag and the locks of what is made
 * on first use. api_init() makes it, api_release() frees it.
 */
struct api {
	struct store_db *db; /* borrowed */
	struct api_config config;
	struct faults *faults;       /* injected faults (api/state/faults.h) */
	struct settings *settings;   /* per-account test settings (api/state/settings.h) */
	struct journal *journal;     /* the request journal (api/state/journal.h) */
	atomic_bool ready;           /* GET /_emulator/ready: the start world is in place */
	pthread_mutex_t key_lock;    /* guards jwt_key */
	struct jwt_key *jwt_key;     /* owned; loaded on first use */
	pthread_mutex_t notice_lock; /* one token-expiry notice check at a time */
	struct clock *clock;         /* the one clock every rule reads (base/clock.h) */
	struct nonce_store *nonces;  /* EdgeGrid nonces seen (api/auth/nonces.h) */
	struct bulk_runner *bulk;    /* owned; api_jobs_start() to api_jobs_stop() */
};

#endif

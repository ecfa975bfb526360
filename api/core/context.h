#ifndef EKV_API_CORE_CONTEXT_H
#define EKV_API_CORE_CONTEXT_H

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

struct api_config {
	const char *default_account; /* the account of the bare start, and of auth off */
	size_t max_body;             /* bytes; larger bodies arrive as body_too_large */
	int auth_mode;               /* enum auth_mode of api/caller.h */
	int64_t auth_window_s;       /* EdgeGrid timestamps older or newer than this fail */
	bool auth_any_scheme;        /* accept signatures made for http as https and back */
	const char *admin_secret;    /* lets non-loopback callers use /_emulator; NULL: none */
	const char *seed_dir;        /* --seed DIR: the start world; NULL: the built-in one */
	bool start_uninitialized;    /* the built-in world's default account: --uninitialized */
	bool start_no_standard_tls;  /* and --no-standard-tls */
	/* Access tokens (#5): defaults for accounts without their own setting. */
	enum token_workflow token_workflow;
	int64_t token_limit;         /* tokens per account, expired ones under 30 days included */
	int64_t token_activation_ms; /* enhanced tokens are IN_PROGRESS this long */
	enum network data_plane_network; /* when a request has no X-EdgeKV-Network */
};

struct api {
	struct store_db *db; /* borrowed */
	struct api_config config;
	struct jwt_key *jwt_key; /* owned; loaded on first use under a lock (api/tokens.c) */
};

#endif

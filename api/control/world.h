#ifndef EKV_API_CONTROL_WORLD_H
#define EKV_API_CONTROL_WORLD_H

#include <stdbool.h>
#include <stddef.h>

/* The worlds the emulator starts from: the built-in one, a --seed folder, a fixture document. */
struct api;

/*
 * Creates the account id unless it exists (an existing one is left as it
 * is), initialized like PUT /initialize with the default policy when asked.
 * Returns 0, or -1 after logging.
 */
int api_account_ensure(struct api *api, const char *id, bool initialized, bool standard_tls);

/*
 * The bare-start world: the default account of fixtures/default/world.json,
 * compiled in and loaded through api_import's code path (its top-level
 * access group, admin user and the development API client of
 * fixtures/default/edgerc). initialized false leaves it uninitialized as
 * --uninitialized does; standard_tls false as --no-standard-tls. Does
 * nothing when the default account exists (an earlier start made it).
 */
int api_default_world(struct api *api, bool initialized, bool standard_tls);

/*
 * Loads every *.json fixture of dir, in name order (docs/control-api.md
 * "Fixture format"); each account named replaces the one of that id.
 * Returns 0, or -1 after logging which file failed.
 */
int api_seed_dir(struct api *api, const char *dir);

/*
 * Imports one fixture document, or with only set just the account of that
 * id in it; -1 with a reason in err (size bytes).
 */
int api_import(struct api *api, const char *text, size_t len, const char *only, char *err,
               size_t size);

/* Whether GET /_emulator/ready answers 200: set once the start world is in place. */
void api_set_ready(bool ready);

#endif

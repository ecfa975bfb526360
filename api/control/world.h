#ifndef EKV_API_CONTROL_WORLD_H
#define EKV_API_CONTROL_WORLD_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The worlds the emulator starts from: the built-in one, or a --seed folder
 * of fixtures (docs/control-api.md "Fixture format"); resets go back to it.
 */
struct api;
struct store;

/* The top-level access group a new account gets unless told otherwise. */
#define WORLD_TOP_GROUP      10000
#define WORLD_TOP_GROUP_NAME "Default Group"

/*
 * Creates account id with its top-level access group (group_id, group_name),
 * which owns the account's EdgeKV CP code; initialized like PUT /initialize
 * with the default policy when asked. Returns 0, or -1.
 */
int world_account_create(struct store *st, int64_t now, const char *id, bool initialized,
                         bool standard_tls, int64_t group_id, const char *group_name);

/*
 * Creates the account id unless it exists (an existing one is left as it
 * is), with the top-level group 10000 "Default Group". Returns 0, or -1.
 */
int world_account_ensure(struct api *api, const char *id, bool initialized, bool standard_tls);

/*
 * The bare-start world: the default account of fixtures/default/world.json,
 * compiled in and loaded through the fixture importer (its top-level
 * access group, admin user and the development API client of
 * fixtures/default/edgerc). initialized false leaves it uninitialized as
 * --uninitialized does; standard_tls false as --no-standard-tls. Does
 * nothing when the default account exists (an earlier start made it).
 */
int world_default(struct api *api, bool initialized, bool standard_tls);

/*
 * Loads every *.json fixture of dir, in name order; each account named
 * replaces the one of that id. Returns 0, or -1 after logging which file
 * failed.
 */
int world_seed_dir(struct api *api, const char *dir);

/*
 * The start world again as the configuration names it (--seed, or the
 * built-in one shaped by --uninitialized and --no-standard-tls); with only
 * set, just that account of it. Returns 0, or -1 after logging.
 */
int world_restart(struct api *api, const char *only);

#endif

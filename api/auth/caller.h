#ifndef EKV_API_AUTH_CALLER_H
#define EKV_API_AUTH_CALLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/core/capability.h"
#include "api/core/identity.h"
#include "storage/store.h"

/*
 * Who is calling the management API and what they may do: the API client
 * found from the EdgeGrid header, with the roles copied from its user when
 * it was created (docs/behaviour.md §8: a client does not follow
 * later changes of its user).
 */
struct api_call;

/* "strict", "soft", "off" to the mode; -1 if unknown. */
int auth_mode_parse(const char *name);

/*
 * Parses a roles document, [{"groupId": N, "role": "admin"} or
 * {"groupId": N, "capabilities": [...], "permissions": [...]}, ...], into
 * out's roles. Returns 0, or -1 with a reason in err (size bytes).
 */
int caller_roles_parse(const char *json, size_t len, struct caller *out, char *err, size_t size);

/*
 * Authenticates the request as api->config.auth_mode says and fills
 * c->caller, choosing the account (accountSwitchKey included). Returns false
 * after writing the gateway's problem.
 */
bool caller_authenticate(struct api_call *c);

/* Permission bits the caller holds in any role. */
uint32_t caller_permissions(const struct api_call *c);

/* The caller holds perm; otherwise 403 naming its Control Center title, and false. */
bool require_permission(struct api_call *c, uint32_t perm);

/*
 * Capabilities the caller has in access group group_id: its roles there, in
 * the groups above it, and in the account group. For group_id 0 (a
 * namespace open to every group) the union of all its roles.
 */
uint32_t caller_capabilities(struct api_call *c, int64_t group_id);

bool caller_can(struct api_call *c, int64_t group_id, enum capability cap);

/* Whether the caller has a role in group_id or a group above it (read access there). */
bool caller_reaches(struct api_call *c, int64_t group_id);

/* Whether the caller has a role in a top-level group (initialization needs one). */
bool caller_in_top_group(struct api_call *c);

#endif

#ifndef EKV_API_EDGEKV_REQUIRE_H
#define EKV_API_EDGEKV_REQUIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "storage/store.h"

/*
 * Validators of path and query parameters shared by the handlers. Each
 * returns false after writing the problem.
 */
struct api_call;

/* {network}: staging or production, in any case (docs/behaviour.md §1.1). */
bool require_network(struct api_call *c, enum network *out);

/* {namespace} names a live namespace of the caller's account on that network. */
bool require_namespace(struct api_call *c, enum network net, struct namespace_rec *out);

/*
 * The route's capability (production name, mapped to net) in access group
 * group_id; otherwise 400 EKV_1002 naming it.
 */
bool require_capability(struct api_call *c, enum network net, int64_t group_id);

/* {group} (and {item}, when the route has it) follow docs/behaviour.md §1.2; sets ref->group and
 * ref->key. */
bool require_group_and_key(struct api_call *c, struct item_ref *ref);

/*
 * The optional sandboxId query parameter (staging only) into sandbox, which
 * holds STORE_SANDBOX_MAX + 1 bytes; "" when absent.
 */
bool require_sandbox(struct api_call *c, enum network net, char *sandbox);

/*
 * The route's item: network, namespace (looked up into ns), group and key when the route has
 * them, and sandboxId, in that order, into ref; replies and returns false on the first error.
 */
bool require_item(struct api_call *c, struct item_ref *ref, struct namespace_rec *ns,
                  char *sandbox);

#endif

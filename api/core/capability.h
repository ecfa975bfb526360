#ifndef EKV_API_CORE_CAPABILITY_H
#define EKV_API_CORE_CAPABILITY_H

#include <stdint.h>

#include "storage/store.h"

/*
 * EdgeKV capabilities of an access group (docs/behaviour.md §5.1), in the spec's
 * order; unprefixed ones are the production network's, STAGING_ ones staging's.
 */
enum capability {
	CAP_NONE = -1,
	CAP_READ_DATA,
	CAP_WRITE_DATA,
	CAP_DELETE_DATA,
	CAP_READ_STAGING_DATA,
	CAP_WRITE_STAGING_DATA,
	CAP_DELETE_STAGING_DATA,
	CAP_VIEW_NAMESPACE,
	CAP_CREATE_NAMESPACE,
	CAP_MODIFY_NAMESPACE,
	CAP_DELETE_NAMESPACE,
	CAP_AUTHORIZE_NAMESPACE,
	CAP_VIEW_STAGING_NAMESPACE,
	CAP_CREATE_STAGING_NAMESPACE,
	CAP_MODIFY_STAGING_NAMESPACE,
	CAP_DELETE_STAGING_NAMESPACE,
	CAP_AUTHORIZE_STAGING_NAMESPACE,
	CAP_VIEW_TOKEN,
	CAP_CREATE_TOKEN,
	CAP_REVOKE_TOKEN,
	CAP_VIEW_STAGING_TOKEN,
	CAP_CREATE_STAGING_TOKEN,
	CAP_REVOKE_STAGING_TOKEN,
	CAP_COUNT
};

#define CAP_ALL ((1u << CAP_COUNT) - 1)

/* "READ_DATA", … */
const char *capability_name(enum capability cap);

/* The capability called name, or CAP_NONE. */
enum capability capability_parse(const char *name);

/* The capability that stands for production_cap on net (staging: its STAGING_ twin). */
enum capability capability_on(enum capability production_cap, enum network net);

/*
 * Control Center permissions that EdgeKV checks (docs/behaviour.md §8,
 * docs/behaviour.md §5.6), as bits; their identifiers in the control API
 * are the kebab-case names in capability.c.
 */
enum permission {
	PERM_CPCODE_VIEW = 1u << 0,     /* CP Code - View CP Code Information - View CP Codes */
	PERM_TOKEN_CREATE = 1u << 1,    /* EdgeKV Access Token - Create */
	PERM_TOKEN_VIEW = 1u << 2,      /* EdgeKV Access Token - View */
	PERM_DATABASE_POLICY = 1u << 3, /* EdgeKV Database Data Access Policy - Manage */
};

#define PERM_ALL 0xfu

/* The permission bit called name ("cpcode-view", …), or 0. */
uint32_t permission_parse(const char *name);
/* The name of one permission bit. */
const char *permission_name(uint32_t perm);
/* Its title in Control Center, e.g. "EdgeKV Access Token - Create". */
const char *permission_title(uint32_t perm);

#endif

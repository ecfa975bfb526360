#include "api/core/capability.h"

#include <string.h>

static const char *const cap_names[CAP_COUNT] = {
        "READ_DATA",
        "WRITE_DATA",
        "DELETE_DATA",
        "READ_STAGING_DATA",
        "WRITE_STAGING_DATA",
        "DELETE_STAGING_DATA",
        "VIEW_NAMESPACE",
        "CREATE_NAMESPACE",
        "MODIFY_NAMESPACE",
        "DELETE_NAMESPACE",
        "AUTHORIZE_NAMESPACE",
        "VIEW_STAGING_NAMESPACE",
        "CREATE_STAGING_NAMESPACE",
        "MODIFY_STAGING_NAMESPACE",
        "DELETE_STAGING_NAMESPACE",
        "AUTHORIZE_STAGING_NAMESPACE",
        "VIEW_TOKEN",
        "CREATE_TOKEN",
        "REVOKE_TOKEN",
        "VIEW_STAGING_TOKEN",
        "CREATE_STAGING_TOKEN",
        "REVOKE_STAGING_TOKEN",
};

static const struct {
	uint32_t bit;
	const char *name;
	const char *title;
} perm_names[] = {
        {PERM_CPCODE_VIEW, "cpcode-view", "CP Code - View CP Code Information - View CP Codes"},
        {PERM_TOKEN_CREATE, "edgekv-token-create", "EdgeKV Access Token - Create"},
        {PERM_TOKEN_VIEW, "edgekv-token-view", "EdgeKV Access Token - View"},
        {PERM_DATABASE_POLICY, "edgekv-database-policy",
         "EdgeKV Database Data Access Policy - Manage"},
};

const char *capability_name(enum capability cap)
{
	return cap > CAP_NONE && cap < CAP_COUNT ? cap_names[cap] : "";
}

enum capability capability_parse(const char *name)
{
	for (int i = 0; i < CAP_COUNT; i++)
		if (strcmp(name, cap_names[i]) == 0)
			return (enum capability)i;
	return CAP_NONE;
}

enum capability capability_on(enum capability cap, enum network net)
{
	if (net == NETWORK_PRODUCTION)
		return cap;
	switch (cap) {
	case CAP_READ_DATA:
	case CAP_WRITE_DATA:
	case CAP_DELETE_DATA:
		return (enum capability)(cap + 3);
	case CAP_VIEW_NAMESPACE:
	case CAP_CREATE_NAMESPACE:
	case CAP_MODIFY_NAMESPACE:
	case CAP_DELETE_NAMESPACE:
	case CAP_AUTHORIZE_NAMESPACE:
		return (enum capability)(cap + 5);
	case CAP_VIEW_TOKEN:
	case CAP_CREATE_TOKEN:
	case CAP_REVOKE_TOKEN:
		return (enum capability)(cap + 3);
	default:
		return cap;
	}
}

uint32_t permission_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++)
		if (strcmp(name, perm_names[i].name) == 0)
			return perm_names[i].bit;
	return 0;
}

const char *permission_name(uint32_t perm)
{
	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++)
		if (perm == perm_names[i].bit)
			return perm_names[i].name;
	return "";
}

const char *permission_title(uint32_t perm)
{
	for (size_t i = 0; i < sizeof(perm_names) / sizeof(perm_names[0]); i++)
		if (perm == perm_names[i].bit)
			return perm_names[i].title;
	return "";
}

/*
 * The names of storage's enums, as the API and the database spell them, and
 * the one network parser every layer uses.
 */
#include <strings.h>

#include "storage/store.h"

const char *network_name(enum network net)
{
	return net == NETWORK_PRODUCTION ? "production" : "staging";
}

bool network_parse(const char *name, enum network *out)
{
	if (name && strcasecmp(name, "staging") == 0) {
		*out = NETWORK_STAGING;
		return true;
	}
	if (name && strcasecmp(name, "production") == 0) {
		*out = NETWORK_PRODUCTION;
		return true;
	}
	return false;
}

const char *init_status_name(enum init_status status)
{
	static const char *const names[] = {"UNINITIALIZED", "PENDING", "INITIALIZED"};

	return names[status];
}

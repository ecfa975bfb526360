/* The two networks by name: the one parser every layer uses. */
#include <strings.h>

#include "storage/store.h"

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

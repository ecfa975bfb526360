/* The names of storage's enums, as the API and the database spell them. */
#include "storage/store.h"

const char *network_name(enum network net)
{
	return net == NETWORK_PRODUCTION ? "production" : "staging";
}

const char *init_status_name(enum init_status status)
{
	static const char *const names[] = {"UNINITIALIZED", "PENDING", "INITIALIZED"};

	return names[status];
}

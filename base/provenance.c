#include "base/provenance.h"

/* The Makefile passes both; a compile outside it still builds. */
#ifndef EKV_VERSION
#define EKV_VERSION "unknown"
#endif
#ifndef EKV_COMMIT
#define EKV_COMMIT "unknown"
#endif

static struct provenance_library libraries[PROVENANCE_MAX_LIBRARIES];
static size_t library_count;

const char *provenance_version(void)
{
	return EKV_VERSION;
}

const char *provenance_commit(void)
{
	return EKV_COMMIT;
}

void provenance_add_library(const char *name, const char *version)
{
	if (library_count == PROVENANCE_MAX_LIBRARIES)
		return;
	libraries[library_count].name = name;
	libraries[library_count].version = version ? version : "unknown";
	library_count++;
}

const struct provenance_library *provenance_libraries(size_t *count)
{
	*count = library_count;
	return libraries;
}

#ifndef EKV_BASE_PROVENANCE_H
#define EKV_BASE_PROVENANCE_H

#include <stddef.h>

/*
 * What this binary is: its version and the git commit it was built from
 * (both fixed by the Makefile at build time), and the versions of the
 * libraries it runs with. Each library lives behind its own layer, so
 * main registers them at start, before any thread; after that the table
 * is only read (--version, GET /_emulator/health).
 */
#define PROVENANCE_MAX_LIBRARIES 8

struct provenance_library {
	const char *name;    /* e.g. "SQLite"; static */
	const char *version; /* as the library reports it at run time; static */
};

const char *provenance_version(void);
const char *provenance_commit(void);

/* Records one library; name and version must outlive the process. */
void provenance_add_library(const char *name, const char *version);

/* The recorded libraries, in the order they were added; *count set. */
const struct provenance_library *provenance_libraries(size_t *count);

#endif

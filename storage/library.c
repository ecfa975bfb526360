/* The SQLite version, for --version and GET /_emulator/health (only storage/ sees sqlite3.h). */
#include <sqlite3.h>

#include "storage/store.h"

const char *store_library_version(void)
{
	return sqlite3_libversion();
}

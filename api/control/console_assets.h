#ifndef EKV_API_CONTROL_CONSOLE_ASSETS_H
#define EKV_API_CONTROL_CONSOLE_ASSETS_H

#include <stddef.h>

/*
 * The web console's files (api/control/ui/), compiled in by the Makefile as
 * build/<BUILD>/gen/console_assets.c, so the single binary serves them. They
 * are read-only data: pages of the binary the kernel maps only when a file is
 * first served, so a console nobody opens costs no memory.
 */
struct console_asset {
	const char *name; /* file name, no folder */
	const char *content_type;
	const unsigned char *bytes;
	size_t len;
};

extern const struct console_asset console_assets[];
extern const size_t console_asset_count;

#endif

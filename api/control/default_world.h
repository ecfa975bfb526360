#ifndef EKV_API_CONTROL_DEFAULT_WORLD_H
#define EKV_API_CONTROL_DEFAULT_WORLD_H

#include <stddef.h>

/*
 * fixtures/default/world.json, the bare-start world, as its bytes with a
 * NUL after them: the Makefile generates the definition into build/ from
 * the file, so the fixture stays its one source.
 */
extern const unsigned char default_world_json[];
extern const size_t default_world_json_len;

#endif

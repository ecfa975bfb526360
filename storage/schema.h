#ifndef EKV_STORAGE_SCHEMA_H
#define EKV_STORAGE_SCHEMA_H

#include <stddef.h>

/*
 * The schema as steps, and the same schema as one list of CREATE statements. Step N takes a
 * database from user_version N - 1 to N (storage/schema.c, append-only). A
 * new database skips the steps: replaying them makes SQLite reload the whole
 * schema after every ALTER TABLE (docs/performance.md, change 16). tools/mkschema.c runs
 * the steps on an empty database at build time and writes the schema they
 * leave as a list of CREATE statements (the generated schema_baseline.c),
 * so the steps stay the one definition.
 */

extern const char *const schema_steps[];
extern const int schema_step_count;

/* The CREATE statements the steps leave, in the order SQLite keeps them, then NULL; generated. */
extern const char *const schema_baseline[];
/* The steps the baseline was made from: schema_step_count in a consistent build. */
extern const int schema_baseline_version;

#endif

/*
 * The start world (api/control/world.h): the built-in default account,
 * a --seed folder of fixtures, and the way back to either on reset.
 */
#include "api/control/world.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/control/default_world.h"
#include "api/control/import.h"
#include "api/core/context.h"
#include "api/core/ids.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define FIXTURE_MAX_BYTES (64u << 20)

static int ensure_top_group(struct store *st, const char *account, int64_t group_id,
                            const char *name)
{
	struct access_group_rec g = {0};

	g.group_id = group_id;
	snprintf(g.name, sizeof(g.name), "%s", name);
	return store_access_group_put(st, account, &g) == STORE_OK ? 0 : -1;
}

int world_account_create(struct store *st, int64_t now, const char *id, bool initialized,
                         bool standard_tls, int64_t group_id, const char *group_name)
{
	struct account_rec acc = {0};
	char cpcode[STORE_CPCODE_MAX + 1];

	snprintf(acc.id, sizeof(acc.id), "%s", id);
	acc.status = INIT_UNINITIALIZED;
	acc.standard_tls = standard_tls;
	acc.cpcode_group = group_id;
	if (store_account_create(st, &acc, now) != STORE_OK ||
	    ensure_top_group(st, id, group_id, group_name) != 0)
		return -1;
	if (!initialized)
		return 0;
	ids_cpcode(id, cpcode, sizeof(cpcode));
	return store_account_initialize(st, id, cpcode, true, false, now) == STORE_OK ? 0 : -1;
}

int world_account_ensure(struct api *api, const char *id, bool initialized, bool standard_tls)
{
	struct store *st = store_db_thread(api->db);
	struct account_rec acc;
	enum store_status status;

	if (!st)
		return -1;
	status = store_account_get(st, id, &acc);
	if (status != STORE_NOT_FOUND)
		return status == STORE_OK ? 0 : -1;
	return world_account_create(st, clock_now_ms(api->clock), id, initialized, standard_tls,
	                            WORLD_TOP_GROUP, WORLD_TOP_GROUP_NAME);
}

/* The account id of the compiled-in world, shaped by --uninitialized and --no-standard-tls. */
static cJSON *default_account_json(cJSON *root, const char *id, bool initialized, bool standard_tls)
{
	static const char *const init_only[] = {"cpcode", "dataAccessPolicy", "namespaces",
	                                        "items",  "tokens",           NULL};
	cJSON *a, *found = NULL;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(root, "accounts"))
	{
		if (strcmp(fixture_str(a, "id", ""), id) == 0)
			found = a;
	}
	if (!found)
		return NULL;
	/* Uninitialized: no CP code, policy, namespaces, items or tokens (what PUT /initialize
	 * makes). */
	if (!initialized) {
		for (const char *const *f = init_only; *f; f++)
			cJSON_DeleteItemFromObjectCaseSensitive(found, *f);
		cJSON_DeleteItemFromObjectCaseSensitive(found, "status");
		cJSON_AddStringToObject(found, "status", "UNINITIALIZED");
	}
	if (!standard_tls) {
		cJSON_DeleteItemFromObjectCaseSensitive(found, "standardTls");
		cJSON_AddFalseToObject(found, "standardTls");
	}
	return found;
}

/*
 * The default account of fixtures/default/world.json (compiled in, see the
 * Makefile) through the importer. An existing default account is left as it is.
 */
int world_default(struct api *api, bool initialized, bool standard_tls)
{
	const char *id = api->config.default_account;
	struct store *st = store_db_thread(api->db);
	struct import_error err;
	struct account_rec acc;
	enum store_status status;
	cJSON *root;
	int rc = -1;

	if (!st)
		return -1;
	status = store_account_get(st, id, &acc);
	if (status != STORE_NOT_FOUND)
		return status == STORE_OK ? 0 : -1;
	root = cJSON_ParseWithLength((const char *)default_world_json, default_world_json_len);
	if (!default_account_json(root, id, initialized, standard_tls)) {
		log_error("fixtures/default/world.json has no account '%s'", id);
	} else {
		rc = fixture_import_tree(api, root, id, &err);
		if (rc != 0) {
			char why[700];

			import_error_text(&err, why, sizeof(why));
			log_error("the default world: %s", why);
		}
	}
	cJSON_Delete(root);
	return rc;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json names of dir, sorted, into names (at most max, caller frees each); -1: no dir. */
static int fixture_names(const char *dir, char **names, size_t max, size_t *n)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) && *n < max) {
		size_t len = strlen(e->d_name);

		if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
			names[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, *n, sizeof(names[0]), compare_names);
	return 0;
}

/* Imports the fixture file at path (with only set, just that account); logs a failure. */
static int seed_file(struct api *api, const char *path, const char *only)
{
	struct buf text = BUF_INIT;
	struct import_error err;
	char chunk[65536], why[700];
	size_t got;
	FILE *f = fopen(path, "rb");
	int rc = -1;

	while (f && (got = fread(chunk, 1, sizeof(chunk), f)) > 0 && text.len < FIXTURE_MAX_BYTES)
		buf_add(&text, chunk, got);
	if (!f) {
		log_error("seed: '%s': cannot read", path);
	} else if (fixture_import(api, text.ptr ? text.ptr : "", text.len, only, &err) != 0) {
		import_error_text(&err, why, sizeof(why));
		log_error("seed: '%s': %s", path, why);
	} else {
		rc = 0;
	}
	if (f)
		fclose(f);
	buf_release(&text);
	return rc;
}

static int seed_dir(struct api *api, const char *dir, const char *only)
{
	char *names[256], path[4096];
	size_t n;
	int rc = 0;

	if (fixture_names(dir, names, sizeof(names) / sizeof(names[0]), &n) != 0) {
		log_error("seed: cannot open '%s'", dir);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (rc == 0)
			rc = seed_file(api, path, only);
		free(names[i]);
	}
	return rc;
}

int world_seed_dir(struct api *api, const char *dir)
{
	return seed_dir(api, dir, NULL);
}

int world_restart(struct api *api, const char *only)
{
	if (api->config.seed_dir)
		return seed_dir(api, api->config.seed_dir, only);
	if (only && strcmp(only, api->config.default_account) != 0)
		return 0;
	return world_default(api, !api->config.start_uninitialized,
	                     !api->config.start_no_standard_tls);
}

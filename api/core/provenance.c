#include "api/core/provenance.h"

#include "base/provenance.h"

void provenance_add_json(cJSON *obj)
{
	size_t count;
	const struct provenance_library *libs = provenance_libraries(&count);
	cJSON *map;

	cJSON_AddStringToObject(obj, "version", provenance_version());
	cJSON_AddStringToObject(obj, "commit", provenance_commit());
	map = cJSON_AddObjectToObject(obj, "libraries");
	for (size_t i = 0; i < count; i++)
		cJSON_AddStringToObject(map, libs[i].name, libs[i].version);
}

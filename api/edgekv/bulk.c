/*
 * Bulk upload (the newest EdgeKV endpoints): POST …/upload takes a CSV body
 * and answers at once with a job that the background runner works through;
 * GET …/upload lists the namespace's jobs, GET …/jobs/{jobId} gives one.
 * What is known of the real service and the emulator's choices where it
 * stops: docs/known-issues.md "Bulk data".
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/core/call.h"
#include "api/core/ids.h"
#include "api/core/problem.h"
#include "api/core/reply.h"
#include "api/edgekv/bulk_runner.h"
#include "api/edgekv/handlers.h"
#include "api/edgekv/require.h"
#include "base/disk_full.h"
#include "base/log.h"
#include "storage/jobs.h"

/* {"jobId", "jobType": "UPLOAD", "jobStatus", "dryRun", "successesCount", "errorsCount"}. */
static cJSON *job_json(const struct job_rec *job)
{
	cJSON *root = cJSON_CreateObject();

	cJSON_AddStringToObject(root, "jobId", job->id);
	cJSON_AddStringToObject(root, "jobType", "UPLOAD");
	cJSON_AddStringToObject(root, "jobStatus", job->completed ? "COMPLETED" : "STARTED");
	cJSON_AddBoolToObject(root, "dryRun", job->dry_run);
	cJSON_AddNumberToObject(root, "successesCount", (double)job->successes);
	cJSON_AddNumberToObject(root, "errorsCount", (double)job->errors);
	return root;
}

/* Query flag name: absent false, "true"/"false" in any case; else 400 naming it. */
static bool require_flag(struct api_call *c, const char *name, bool *out)
{
	char text[8];

	*out = false;
	if (!query_param(c, name, text, sizeof(text)))
		return true;
	if (strcasecmp(text, "true") == 0 || strcasecmp(text, "false") == 0) {
		*out = strcasecmp(text, "true") == 0;
		return true;
	}
	reply_problem(c, EKV_QUERY_INVALID, name);
	return false;
}

/* maxItems: digits only, 1..max; *out left alone when absent. */
static bool require_max_items(struct api_call *c, long long max, int64_t *out)
{
	char text[24], *end;
	long long v;

	if (!query_param(c, "maxItems", text, sizeof(text)))
		return true;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (text[0] < '0' || text[0] > '9' || *end || errno || v < 1 || v > max) {
		reply_problem(c, EKV_QUERY_INVALID, "maxItems");
		return false;
	}
	*out = v;
	return true;
}

/*
 * The body is CSV (text/csv, any parameters), sent plain or gzip-coded, and on
 * disk whole; else 415, 400, or 507 or 503 when the disk refused it.
 */
static bool require_csv_body(struct api_call *c)
{
	const char *type = api_request_header(c->req, "Content-Type");
	size_t n = type ? strcspn(type, "; \t") : 0;

	if (!type || n != 8 || strncasecmp(type, "text/csv", 8) != 0) {
		reply_problem(c, EKV_UPLOAD_MEDIA_TYPE);
		return false;
	}
	if (c->req->body_encoding_unknown) {
		reply_problem(c, EKV_UPLOAD_ENCODING);
		return false;
	}
	/* Our disk, not the client's bytes: a full one as for a database write, else our folder. */
	if (c->req->body_write_failed) {
		reply_problem(c, c->req->body_disk_full ? EKV_STORAGE_FULL : EKV_UPLOAD_SPOOL_IO);
		return false;
	}
	if (c->req->body_encoding_invalid) {
		reply_problem(c, EKV_UPLOAD_GZIP_INVALID);
		return false;
	}
	return true;
}

/*
 * Moves the body into the job's own file (the HTTP layer spooled it; a body
 * built in memory, as in unit tests, is written out). Returns 0 or -1.
 */
static int job_file_take(struct api_call *c, const char *path)
{
	FILE *f;
	int ok;

	if (c->req->body_file)
		return rename(c->req->body_file, path);
	f = fopen(path, "wb");
	if (!f)
		return -1;
	ok = fwrite(c->req->body, 1, c->req->body_len, f) == c->req->body_len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* POST …/namespaces/{ns}/upload[?dryRun=true][&maxItems=N][&sandboxId=…]: 202 with the job. */
void bulk_upload(struct api_call *c)
{
	struct job_rec job = {0};
	struct namespace_rec ns;
	enum network net;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns) ||
	    !require_sandbox(c, net, job.sandbox) || !require_flag(c, "dryRun", &job.dry_run) ||
	    !require_max_items(c, BULK_MAX_ITEMS, &job.max_items) || !require_csv_body(c))
		return;
	snprintf(job.account, sizeof(job.account), "%s", c->account.id);
	ids_uuid_v4(job.id);
	job.network = net;
	snprintf(job.namespace, sizeof(job.namespace), "%s", ns.name);
	job.created_ms = c->now_ms;
	snprintf(job.file, sizeof(job.file), "%s/job-%s.csv",
	         c->api->config.upload_dir ? c->api->config.upload_dir : ".", job.id);
	if (job_file_take(c, job.file) != 0) {
		int err = errno;

		/* The upload folder refused the body, as when it was spooled: the same answers. */
		log_error("bulk: cannot keep the upload as '%s': %s", job.file, strerror(err));
		reply_problem(c, disk_full(err) ? EKV_STORAGE_FULL : EKV_UPLOAD_SPOOL_IO);
		return;
	}
	if (store_job_create(c->st, &job) != STORE_OK) {
		remove(job.file);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	bulk_runner_wake(c->api->bulk);
	reply_json_steal(c, 202, job_json(&job));
	reply_header(c, "Location", "/edgekv/v1/networks/%s/namespaces/%s/jobs/%s",
	             network_name(net), ns.name, job.id);
}

static void add_job(void *ctx, const struct job_rec *job)
{
	cJSON_AddItemToArray(ctx, job_json(job));
}

/* GET …/namespaces/{ns}/upload: {"jobs": [...]}, newest first; [] when there is none. */
void bulk_jobs_list(struct api_call *c)
{
	struct namespace_rec ns;
	enum network net;
	cJSON *root;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns))
		return;
	root = cJSON_CreateObject();
	if (store_job_list(c->st, c->account.id, net, ns.name, add_job,
	                   cJSON_AddArrayToObject(root, "jobs")) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

static void add_error(void *ctx, int64_t record, const char *message)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddNumberToObject(e, "failureRecord", (double)record);
	cJSON_AddStringToObject(e, "message", message);
	cJSON_AddItemToArray(ctx, e);
}

/* GET …/namespaces/{ns}/jobs/{jobId}[?includeErrors=true][&maxItems=N]: the job. */
void bulk_jobs_get(struct api_call *c)
{
	const char *id = route_param(&c->params, "jobId");
	int64_t max_errors = BULK_ERRORS_KEPT;
	struct namespace_rec ns;
	struct job_rec job;
	bool errors;
	enum network net;
	cJSON *root;

	if (!require_network(c, &net) || !require_namespace(c, net, &ns) ||
	    !require_flag(c, "includeErrors", &errors) ||
	    !require_max_items(c, BULK_ERRORS_KEPT, &max_errors))
		return;
	switch (store_job_get(c->st, c->account.id, net, ns.name, id, &job)) {
	case STORE_OK:
		break;
	case STORE_NOT_FOUND:
		reply_problem(c, EKV_BULK_NOT_FOUND);
		return;
	default:
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	root = job_json(&job);
	if (errors && store_job_errors(c->st, job.account, job.id, max_errors, add_error,
	                               cJSON_AddArrayToObject(root, "errors")) != STORE_OK) {
		cJSON_Delete(root);
		reply_problem(c, EKV_INTERNAL);
		return;
	}
	reply_json_steal(c, 200, root);
}

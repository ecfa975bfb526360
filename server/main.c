/* edgekv-emulator: flags, wiring, signals and shutdown. */
#include <errno.h>
#include <libgen.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
#include "base/log.h"
#include "server/config.h"
#include "server/http.h"
#include "server/probe.h"
#include "server/tls.h"
#include "storage/store.h"

#ifndef EKV_VERSION
#define EKV_VERSION "0.1.0"
#endif

#define DEFAULT_ACCOUNT "1-DEFAULT"
#define SWEEP_MS        1000

/*
 * mkdir -p for the folder holding path; 0 on success. Folders it creates
 * are its owner's only: the database in them holds API client secrets and
 * the token signing key (storage/ creates the files themselves 0600).
 */
static int make_parent_dirs(const char *path)
{
	char copy[CONFIG_PATH_MAX];

	snprintf(copy, sizeof(copy), "%s", path);
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int threads_per_listener(const struct server_config *cfg)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (cfg->threads > 0)
		return cfg->threads;
	return n > 0 ? (int)n : 1;
}

static int load_tls(const struct server_config *cfg, struct tls_material *tls)
{
	char dir[CONFIG_PATH_MAX];
	bool in_memory = strcmp(cfg->db, ":memory:") == 0;

	snprintf(dir, sizeof(dir), "%s", cfg->db);
	if (tls_material_load(tls, cfg->tls_cert, cfg->tls_key, in_memory ? NULL : dirname(dir),
	                      cfg->listen) != 0)
		return -1;
	if (tls->cert_path[0])
		printf("tls certificate %s\n", tls->cert_path);
	else
		printf("tls certificate in memory only (the database is :memory:)\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct server_config cfg;
	struct tls_material tls = {0};
	struct http_server *http = NULL, *https = NULL;
	struct store_db *db = NULL;
	struct api api = {0};
	struct http_options opt = {0};
	char err[256];
	sigset_t stop;
	int sig = 0, status = 1;

	if (config_load(&cfg, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, "edgekv-emulator: %s\n", err);
		return 2;
	}
	if (cfg.help) {
		config_usage(stdout);
		return 0;
	}
	if (cfg.version) {
		printf("edgekv-emulator %s\n", EKV_VERSION);
		return 0;
	}
	if (cfg.probe)
		return cfg.http_port > 0 && probe_http(cfg.listen, cfg.http_port) == 0 ? 0 : 1;

	/* Every thread started from here inherits the mask; only sigwait() sees them. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * glibc gives each thread that allocates its own 64 MiB arena; with the
	 * workers, the writer and the timers that was a third of the RSS. Two
	 * arenas are as fast here (docs/performance.md).
	 */
	mallopt(M_ARENA_MAX, 2);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	if (strcmp(cfg.db, ":memory:") != 0 && make_parent_dirs(cfg.db) != 0) {
		log_error("cannot create the folder of '%s': %s", cfg.db, strerror(errno));
		return 1;
	}
	api_init(&api);
	db = store_db_open(cfg.db, SWEEP_MS);
	api.db = db;
	api_config_defaults(&api.config);
	api.config.default_account = DEFAULT_ACCOUNT;
	api.config.max_body = cfg.max_body;
	api.config.auth_mode = auth_mode_parse(cfg.auth);
	api.config.auth_window_s = cfg.auth_window;
	api.config.auth_any_scheme = cfg.auth_any_scheme;
	api.config.admin_secret = cfg.admin_secret[0] ? cfg.admin_secret : NULL;
	api.config.seed_dir = cfg.seed[0] ? cfg.seed : NULL;
	api.config.start_uninitialized = cfg.uninitialized;
	api.config.start_no_standard_tls = cfg.no_standard_tls;
	api.config.token_workflow =
	        strcmp(cfg.token_workflow, "legacy") == 0     ? TOKEN_WORKFLOW_LEGACY
	        : strcmp(cfg.token_workflow, "enhanced") == 0 ? TOKEN_WORKFLOW_ENHANCED
	                                                      : TOKEN_WORKFLOW_AUTO;
	api.config.token_limit = (int64_t)cfg.token_limit;
	api.config.token_activation_ms = (int64_t)cfg.token_activation_s * 1000;
	api.config.data_plane_network = strcasecmp(cfg.data_plane_network, "production") == 0
	                                        ? NETWORK_PRODUCTION
	                                        : NETWORK_STAGING;
	if (!db || (api.config.seed_dir
	                    ? world_seed_dir(&api, api.config.seed_dir)
	                    : world_default(&api, !cfg.uninitialized, !cfg.no_standard_tls)) != 0) {
		log_error("cannot prepare the database '%s'", cfg.db);
		goto out;
	}

	opt.listen = cfg.listen;
	opt.threads = threads_per_listener(&cfg);
	opt.max_body = cfg.max_body;
	opt.access_log = cfg.access_log;
	if (cfg.http_port != CONFIG_PORT_OFF) {
		opt.port = cfg.http_port;
		http = http_start(&api, &opt);
		if (!http)
			goto out;
		printf("listening http://%s:%d\n", cfg.listen, http_port(http));
	}
	if (cfg.https_port != CONFIG_PORT_OFF) {
		if (load_tls(&cfg, &tls) != 0)
			goto out;
		opt.port = cfg.https_port;
		opt.tls_cert_pem = tls.cert_pem;
		opt.tls_key_pem = tls.key_pem;
		https = http_start(&api, &opt);
		if (!https)
			goto out;
		printf("listening https://%s:%d\n", cfg.listen, http_port(https));
	}
	/* Seeded and listening: only now is the emulator ready (GET /_emulator/ready). */
	api_set_ready(&api, true);
	printf("ready\n");
	sigwait(&stop, &sig);
	log_info("stopping on signal %d", sig);
	status = 0;
out:
	http_stop(http);
	http_stop(https);
	store_db_close(db);
	api_release(&api);
	tls_material_release(&tls);
	return status;
}

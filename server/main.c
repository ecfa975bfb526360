/* edgekv-emulator: flags, wiring, signals and shutdown. */
#include <dirent.h>
#include <errno.h>
#include <gnutls/crypto.h>
#include <libgen.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api.h"
#include "api/control/world.h"
#include "api/auth/caller.h"
#include "base/log.h"
#include "base/provenance.h"
#include "server/config.h"
#include "server/http.h"
#include "server/listen.h"
#include "server/probe.h"
#include "server/tls.h"
#include "storage/store.h"

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

/*
 * The folder of bulk uploads: uploads/ next to the database, so that a job
 * left unfinished resumes after a restart; a private temporary folder for
 * :memory:, removed at exit (its jobs die with the database). 0 on success.
 */
static int upload_dir_make(const struct server_config *cfg, char *out, size_t size)
{
	char dir[CONFIG_PATH_MAX];

	if (strcmp(cfg->db, ":memory:") == 0) {
		const char *tmp = getenv("TMPDIR");

		snprintf(out, size, "%s/edgekv-uploads-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(out))
			return 0;
	} else {
		snprintf(dir, sizeof(dir), "%s", cfg->db);
		snprintf(out, size, "%s/uploads", dirname(dir));
		if (mkdir(out, 0700) == 0 || errno == EEXIST)
			return 0;
	}
	log_error("cannot create the upload folder '%s': %s", out, strerror(errno));
	return -1;
}

/* Removes a :memory: run's upload folder and what is left in it. */
static void upload_dir_remove(const struct server_config *cfg, const char *dir)
{
	char path[CONFIG_PATH_MAX + 300];
	struct dirent *e;
	DIR *d;

	if (!dir[0] || strcmp(cfg->db, ":memory:") != 0 || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int threads_per_listener(const struct server_config *cfg)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (cfg->threads > 0)
		return cfg->threads;
	return n > 0 ? (int)n : 1;
}

/*
 * Connections per listener: what --max-connections says, or what the
 * open-file limit leaves (raised to its hard ceiling first) once the
 * database, the TLS and epoll descriptors and the log are counted. With more,
 * accept() fails for want of descriptors and libmicrohttpd leaves new
 * connections in the backlog; at the limit it closes them at once instead.
 */
static unsigned connection_budget(const struct server_config *cfg, int threads, int listeners)
{
	struct rlimit lim;
	rlim_t reserve = 64 + 8 * (rlim_t)threads;

	if (cfg->max_connections)
		return (unsigned)cfg->max_connections;
	if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
		return 1000;
	if (lim.rlim_cur < lim.rlim_max) {
		lim.rlim_cur = lim.rlim_max;
		if (lim.rlim_cur > 1048576)
			lim.rlim_cur = 1048576;
		if (setrlimit(RLIMIT_NOFILE, &lim) != 0)
			getrlimit(RLIMIT_NOFILE, &lim);
	}
	if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > 1048576)
		lim.rlim_cur = 1048576;
	if (lim.rlim_cur <= reserve + 16)
		return 16;
	return (unsigned)((lim.rlim_cur - reserve) / (rlim_t)(listeners > 0 ? listeners : 1));
}

/*
 * Beyond loopback, anyone who reaches the port can call the management API
 * with the published development credentials, so say so once, loudly. The
 * control API then needs a secret: one is made for this run and printed
 * unless --admin-secret or --control-any-peer says otherwise.
 */
static void warn_exposed(const struct server_config *cfg, char *secret, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[16];

	if (listen_is_loopback(cfg->listen))
		return;
	log_warn("listening on %s, beyond loopback: every peer that reaches the port can use the "
	         "management API and the data plane with the credentials it has; the published "
	         "development client works %s; see docs/security.md",
	         cfg->listen,
	         cfg->allow_remote_dev_client ? "from every peer (--allow-remote-dev-client)"
	                                      : "from loopback only");
	if (cfg->control_any_peer) {
		log_warn("--control-any-peer: every peer can drive /_emulator (reset, import, "
		         "export)");
		return;
	}
	if (cfg->admin_secret[0] || size < 2 * sizeof(raw) + 1)
		return;
	gnutls_rnd(GNUTLS_RND_RANDOM, raw, sizeof(raw));
	for (size_t i = 0; i < sizeof(raw); i++) {
		secret[2 * i] = digits[raw[i] >> 4];
		secret[2 * i + 1] = digits[raw[i] & 15];
	}
	secret[2 * sizeof(raw)] = '\0';
	printf("admin secret %s (X-Emulator-Admin-Secret for /_emulator from non-loopback peers)\n",
	       secret);
}

static int load_tls(const struct server_config *cfg, struct tls_material *tls)
{
	char dir[CONFIG_PATH_MAX];
	bool in_memory = strcmp(cfg->db, ":memory:") == 0;
	struct tls_source src = {cfg->tls_cert, cfg->tls_key, NULL, cfg->listen, cfg->tls_names};

	if (tls_priorities_check(cfg->tls_priorities) != 0)
		return -1;

	snprintf(dir, sizeof(dir), "%s", cfg->db);
	src.dir = in_memory ? NULL : dirname(dir);
	if (cfg->tls_cert[0] && cfg->tls_names[0])
		log_warn("--tls-names applies to the generated certificate only: not to '%s'",
		         cfg->tls_cert);
	if (tls_material_load(tls, &src) != 0)
		return -1;
	if (tls->cert_path[0])
		printf("tls certificate %s\n", tls->cert_path);
	else
		printf("tls certificate in memory only (the database is :memory:)\n");
	if (tls->names[0])
		printf("tls names %s\n", tls->names);
	return 0;
}

/* The API's configuration from the server's; secret receives a per-run admin secret if one is made.
 */
static void api_configure(struct api_config *api, const struct server_config *cfg,
                          const char *uploads, char *secret, size_t size)
{
	api_config_defaults(api);
	api->upload_dir = uploads;
	api->max_upload = cfg->max_upload;
	api->default_account = DEFAULT_ACCOUNT;
	api->max_body = cfg->max_body;
	api->auth_mode = auth_mode_parse(cfg->auth);
	api->auth_window_s = cfg->auth_window;
	api->auth_any_scheme = cfg->auth_any_scheme;
	warn_exposed(cfg, secret, size);
	api->admin_secret = cfg->admin_secret[0] ? cfg->admin_secret : secret[0] ? secret : NULL;
	api->listen = cfg->listen;
	api->control_any_peer = cfg->control_any_peer;
	api->remote_dev_client = cfg->allow_remote_dev_client;
	api->seed_dir = cfg->seed[0] ? cfg->seed : NULL;
	api->start_uninitialized = cfg->uninitialized;
	api->start_no_standard_tls = cfg->no_standard_tls;
	api->token_workflow = strcmp(cfg->token_workflow, "legacy") == 0 ? TOKEN_WORKFLOW_LEGACY
	                      : strcmp(cfg->token_workflow, "enhanced") == 0
	                              ? TOKEN_WORKFLOW_ENHANCED
	                              : TOKEN_WORKFLOW_AUTO;
	api->token_limit = (int64_t)cfg->token_limit;
	api->token_activation_ms = (int64_t)cfg->token_activation_s * 1000;
	/* config_load() has checked the name. */
	if (!network_parse(cfg->data_plane_network, &api->data_plane_network))
		api->data_plane_network = NETWORK_STAGING;
}

/* What both listeners share: everything but the port and the certificate. */
static void http_configure(struct http_options *opt, const struct server_config *cfg,
                           const char *uploads)
{
	opt->upload_dir = uploads;
	opt->max_upload = cfg->max_upload;
	opt->listen = cfg->listen;
	opt->threads = threads_per_listener(cfg);
	opt->max_body = cfg->max_body;
	opt->access_log = cfg->access_log;
	opt->tls_priorities = cfg->tls_priorities;
	opt->max_per_ip = (unsigned)cfg->max_connections_per_ip;
	opt->limits.header_timeout_s = cfg->header_timeout;
	opt->limits.idle_timeout_s = cfg->idle_timeout;
	opt->limits.min_body_rate = cfg->min_body_rate;
	opt->limits.max_connections = connection_budget(
	        cfg, opt->threads,
	        (cfg->http_port != CONFIG_PORT_OFF) + (cfg->https_port != CONFIG_PORT_OFF));
}

/* The libraries behind each layer, for --version and GET /_emulator/health. */
static void record_libraries(void)
{
	provenance_add_library("libmicrohttpd", http_library_version());
	provenance_add_library("SQLite", store_library_version());
	provenance_add_library("GnuTLS", tls_library_version());
	provenance_add_library("cJSON", api_json_library_version());
}

static void print_version(void)
{
	size_t count;
	const struct provenance_library *libs = provenance_libraries(&count);

	printf("edgekv-emulator %s\ncommit %s\n", provenance_version(), provenance_commit());
	for (size_t i = 0; i < count; i++)
		printf("%s %s\n", libs[i].name, libs[i].version);
}

/* Line-buffered output, one malloc arena, and SIGINT/SIGTERM left for sigwait() in stop. */
static void prepare_process(sigset_t *stop)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * One malloc arena for every thread. Past M_ARENA_MAX, glibc binds a
	 * thread at its first allocation to the next arena not locked at that
	 * instant, so with two, which workers shared an arena was down to timing,
	 * and what one listener's workers had freed could not serve the other's:
	 * the peak under load was 20 or 25 MB from start to start. With one it is
	 * 20 MB every time, for about a point of CPU in the allocator: blocks up
	 * to 1 KiB, most of them, come from each thread's own cache
	 * (docs/performance.md, change 18).
	 */
	mallopt(M_ARENA_MAX, 1);
	signal(SIGPIPE, SIG_IGN);
	/* Past a file size limit a write fails (EFBIG; an upload: 507) rather than kill us. */
	signal(SIGXFSZ, SIG_IGN);
	/* Every thread started from here inherits the mask; only sigwait() sees them. */
	sigemptyset(stop);
	sigaddset(stop, SIGINT);
	sigaddset(stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, stop, NULL);
}

/* The database's folder, 0700 when made here. */
static int make_folder(const struct server_config *cfg)
{
	if (strcmp(cfg->db, ":memory:") != 0 && make_parent_dirs(cfg->db) != 0) {
		log_error("cannot create the folder of '%s': %s", cfg->db, strerror(errno));
		return -1;
	}
	return 0;
}

/* The HTTP and HTTPS listeners that cfg asks for; -1 after logging. */
static int start_listeners(struct api *api, const struct server_config *cfg,
                           struct http_options *opt, struct tls_material *tls,
                           struct http_server **http, struct http_server **https)
{
	if (cfg->http_port != CONFIG_PORT_OFF) {
		opt->port = cfg->http_port;
		*http = http_start(api, opt);
		if (!*http)
			return -1;
		printf("listening http://%s:%d\n", cfg->listen, http_port(*http));
	}
	if (cfg->https_port != CONFIG_PORT_OFF) {
		if (load_tls(cfg, tls) != 0)
			return -1;
		opt->port = cfg->https_port;
		opt->tls_cert_pem = tls->cert_pem;
		opt->tls_key_pem = tls->key_pem;
		*https = http_start(api, opt);
		if (!*https)
			return -1;
		printf("listening https://%s:%d\n", cfg->listen, http_port(*https));
	}
	return 0;
}

/*
 * Waits for a stop signal; the number. What the start used and freed goes back to the system
 * (malloc_trim) once the first requests are answered: trimming holds each malloc arena's lock,
 * and the first request would wait for it. The seeding connection, if no request took it, goes
 * first.
 */
static int wait_then_trim(const sigset_t *stop, struct store_db *db)
{
	const struct timespec settle = {0, 100L * 1000 * 1000};
	int sig = sigtimedwait(stop, NULL, &settle);

	if (sig > 0)
		return sig;
	store_db_spare_close(db);
	malloc_trim(0);
	if (sigwait(stop, &sig) != 0)
		return 0;
	return sig;
}

/* The fixture folder of --seed, or the default world; 0 / -1 (logged). */
static int seed(struct api *api, const struct server_config *cfg)
{
	return api->config.seed_dir
	               ? world_seed_dir(api, api->config.seed_dir)
	               : world_default(api, !cfg->uninitialized, !cfg->no_standard_tls);
}

/*
 * Unfinished bulk jobs resume (the check uses this thread's connection); this thread only
 * waits for a signal from now on, and its connection, warmed by seeding, goes to the first
 * request.
 */
static void hand_over(struct api *api)
{
	api_jobs_start(api);
	store_db_thread_spare(api->db);
}

int main(int argc, char **argv)
{
	struct server_config cfg;
	struct tls_material tls = {0};
	struct http_server *http = NULL, *https = NULL;
	struct store_db *db = NULL;
	struct api api = {0};
	struct http_options opt = {0};
	char err[256], run_secret[64] = "", uploads[CONFIG_PATH_MAX + 16] = "";
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
	record_libraries();
	if (cfg.version) {
		print_version();
		return 0;
	}
	if (cfg.probe)
		return cfg.http_port > 0 && probe_http(cfg.listen, cfg.http_port) == 0 ? 0 : 1;
	prepare_process(&stop);
	if (make_folder(&cfg) != 0)
		return 1;
	api_init(&api);
	api.db = db = store_db_open(cfg.db, SWEEP_MS);
	store_db_set_clock(db, api.clock);
	api_configure(&api.config, &cfg, uploads, run_secret, sizeof(run_secret));
	if (!db || seed(&api, &cfg) != 0) {
		log_error("cannot prepare the database '%s'", cfg.db);
		goto out;
	}
	/* After the database: a folder it may not write is reported as the database's. */
	if (upload_dir_make(&cfg, uploads, sizeof(uploads)) != 0)
		goto out;
	http_configure(&opt, &cfg, uploads);
	hand_over(&api);
	if (start_listeners(&api, &cfg, &opt, &tls, &http, &https) != 0)
		goto out;
	/* Seeded and listening: only now is the emulator ready (GET /_emulator/ready). */
	api_set_ready(&api, true);
	printf("ready\n");
	sig = wait_then_trim(&stop, db);
	log_info("stopping on signal %d", sig);
	status = 0;
out:
	http_stop(http);
	http_stop(https);
	api_jobs_stop(&api);
	store_db_close(db);
	upload_dir_remove(&cfg, uploads);
	api_release(&api);
	tls_material_release(&tls);
	return status;
}

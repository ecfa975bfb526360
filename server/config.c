#include "server/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/tls_names.h"
#include "storage/store.h"

enum opt_kind { OPT_STRING, OPT_PORT, OPT_INT, OPT_SIZE, OPT_FLAG, OPT_NEGATED_FLAG };

/* One row per option: the flag, its environment twin, where it goes. */
struct option_row {
	const char *flag;
	const char *env;
	enum opt_kind kind;
	size_t offset;
	size_t size;
	const char *arg;
	const char *help;
};

#define FIELD(f) offsetof(struct server_config, f), sizeof(((struct server_config *)0)->f)

static const struct option_row options[] = {
        {"--listen", "EDGEKV_LISTEN", OPT_STRING, FIELD(listen), "ADDR",
         "address to listen on (default 127.0.0.1)"},
        {"--http-port", "EDGEKV_HTTP_PORT", OPT_PORT, FIELD(http_port), "N|off",
         "plain HTTP port; 0 picks a free one (default 8080)"},
        {"--https-port", "EDGEKV_HTTPS_PORT", OPT_PORT, FIELD(https_port), "N|off",
         "HTTPS port; 0 picks a free one (default 8443)"},
        {"--db", "EDGEKV_DB", OPT_STRING, FIELD(db), "PATH",
         "SQLite database file, or :memory: (default ./edgekv-data/edgekv.db)"},
        {"--tls-cert", "EDGEKV_TLS_CERT", OPT_STRING, FIELD(tls_cert), "PATH",
         "PEM certificate (default: self-signed, made next to the database)"},
        {"--tls-key", "EDGEKV_TLS_KEY", OPT_STRING, FIELD(tls_key), "PATH",
         "PEM private key of --tls-cert"},
        {"--tls-names", "EDGEKV_TLS_NAMES", OPT_STRING, FIELD(tls_names), "NAME,...",
         "more DNS names and IP addresses for the generated certificate; @hostname is this"
         " host's name"},
        {"--threads", "EDGEKV_THREADS", OPT_INT, FIELD(threads), "N",
         "worker threads per listener (default: one per core)"},
        {"--max-body", "EDGEKV_MAX_BODY", OPT_SIZE, FIELD(max_body), "BYTES",
         "largest request body accepted (default 1048576)"},
        {"--max-upload", "EDGEKV_MAX_UPLOAD", OPT_SIZE, FIELD(max_upload), "BYTES",
         "largest bulk upload, after gzip decoding (default 1073741824)"},
        {"--auth", "EDGEKV_AUTH", OPT_STRING, FIELD(auth), "strict|soft|off",
         "EdgeGrid checks: refuse, only log, or skip (default strict)"},
        {"--auth-window", "EDGEKV_AUTH_WINDOW", OPT_INT, FIELD(auth_window), "SECONDS",
         "accepted EdgeGrid timestamp skew (default 300)"},
        {"--auth-any-scheme", "EDGEKV_AUTH_ANY_SCHEME", OPT_FLAG, FIELD(auth_any_scheme), NULL,
         "accept signatures made for the other scheme (behind a TLS proxy)"},
        {"--admin-secret", "EDGEKV_ADMIN_SECRET", OPT_STRING, FIELD(admin_secret), "SECRET",
         "let non-loopback callers use /_emulator with X-Emulator-Admin-Secret"},
        {"--seed", "EDGEKV_SEED", OPT_STRING, FIELD(seed), "DIR",
         "load the JSON fixtures of DIR at start instead of the built-in world"},
        {"--uninitialized", "EDGEKV_UNINITIALIZED", OPT_FLAG, FIELD(uninitialized), NULL,
         "create the default account without initializing EdgeKV"},
        {"--no-standard-tls", "EDGEKV_NO_STANDARD_TLS", OPT_FLAG, FIELD(no_standard_tls), NULL,
         "create the default account without the Standard TLS entitlement"},
        {"--no-access-log", "EDGEKV_NO_ACCESS_LOG", OPT_NEGATED_FLAG, FIELD(access_log), NULL,
         "do not log one line per request on stderr"},
        {"--token-workflow", "EDGEKV_TOKEN_WORKFLOW", OPT_STRING, FIELD(token_workflow),
         "auto|legacy|enhanced",
         "new access tokens: legacy JWTs with an expiry, enhanced ones, or legacy only when"
         " the request has an expiry (default auto)"},
        {"--token-limit", "EDGEKV_TOKEN_LIMIT", OPT_SIZE, FIELD(token_limit), "N",
         "access tokens per account, expired ones under 30 days included (default 100)"},
        {"--token-activation-delay", "EDGEKV_TOKEN_ACTIVATION_DELAY", OPT_SIZE,
         FIELD(token_activation_s), "SECONDS",
         "how long a new enhanced token stays IN_PROGRESS (default 5)"},
        {"--data-plane-network", "EDGEKV_DATA_PLANE_NETWORK", OPT_STRING, FIELD(data_plane_network),
         "staging|production",
         "network of /api/v1 requests without X-EdgeKV-Network (default staging)"},
        {"--header-timeout", "EDGEKV_HEADER_TIMEOUT", OPT_INT, FIELD(header_timeout), "SECONDS",
         "a new connection's request headers must arrive within this (default 10)"},
        {"--idle-timeout", "EDGEKV_IDLE_TIMEOUT", OPT_INT, FIELD(idle_timeout), "SECONDS",
         "a kept-alive connection's next request headers likewise (default 60)"},
        {"--min-body-rate", "EDGEKV_MIN_BODY_RATE", OPT_SIZE, FIELD(min_body_rate), "BYTES",
         "slowest request body accepted, in bytes a second after --header-timeout"
         " (default 8192; 0: none)"},
        {"--max-connections", "EDGEKV_MAX_CONNECTIONS", OPT_SIZE, FIELD(max_connections), "N",
         "open connections per listener (default: from the open-file limit)"},
        {"--max-connections-per-ip", "EDGEKV_MAX_CONNECTIONS_PER_IP", OPT_SIZE,
         FIELD(max_connections_per_ip), "N",
         "open connections per listener from one address (default 256; 0: no limit)"},
        {"--tls-priorities", "EDGEKV_TLS_PRIORITIES", OPT_STRING, FIELD(tls_priorities), "STRING",
         "GnuTLS priority string of the HTTPS listener (default: TLS 1.2 and 1.3 with"
         " forward-secret AEAD suites; NORMAL also accepts old clients)"},
        {"--allow-remote-dev-client", "EDGEKV_ALLOW_REMOTE_DEV_CLIENT", OPT_FLAG,
         FIELD(allow_remote_dev_client), NULL,
         "accept API clients that may switch to any account from non-loopback peers too"},
        {"--control-any-peer", "EDGEKV_CONTROL_ANY_PEER", OPT_FLAG, FIELD(control_any_peer), NULL,
         "let any peer use /_emulator without the admin secret (for a port published to"
         " the host only)"},
        {"--probe", NULL, OPT_FLAG, FIELD(probe), NULL,
         "ask /_emulator/health on the configured HTTP listener; exit 0 on a 200"},
        {"--help", NULL, OPT_FLAG, FIELD(help), NULL, "print this help and exit"},
        {"--version", NULL, OPT_FLAG, FIELD(version), NULL, "print the version and exit"},
};

#define OPTION_COUNT (sizeof(options) / sizeof(options[0]))

void config_usage(FILE *out)
{
	fprintf(out, "usage: edgekv-emulator [options]\n\n"
	             "A self-hosted emulator of Akamai EdgeKV backed by SQLite: the /edgekv/v1\n"
	             "management API (EdgeGrid-signed), the /api/v1 data plane of edgekv.js,\n"
	             "and the /_emulator control API, on one HTTP and one HTTPS listener.\n\n"
	             "options (environment twin):\n");
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%s%s", options[i].flag, options[i].arg ? " " : "",
		         options[i].arg ? options[i].arg : "");
		fprintf(out, "  %-24s %s", left, options[i].help);
		if (options[i].env)
			fprintf(out, " (%s)", options[i].env);
		fputc('\n', out);
	}
}

size_t config_option_count(void)
{
	return OPTION_COUNT;
}

void config_option_doc(size_t i, struct config_option_doc *out)
{
	out->flag = options[i].flag;
	out->env = options[i].env;
	out->arg = options[i].arg;
	out->help = options[i].help;
}

static int set_value(struct server_config *cfg, const struct option_row *o, const char *value,
                     char *err, size_t size)
{
	char *field = (char *)cfg + o->offset, *end;
	long long n;

	switch (o->kind) {
	case OPT_STRING:
		if (strlen(value) >= o->size) {
			snprintf(err, size, "%s: value too long", o->flag);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		return 0;
	case OPT_FLAG:
	case OPT_NEGATED_FLAG: {
		bool on = strcmp(value, "0") != 0 && strcmp(value, "false") != 0 &&
		          strcmp(value, "off") != 0;

		*(bool *)(void *)field = o->kind == OPT_FLAG ? on : !on;
		return 0;
	}
	case OPT_PORT:
		if (strcmp(value, "off") == 0) {
			*(int *)(void *)field = CONFIG_PORT_OFF;
			return 0;
		}
		/* fall through */
	case OPT_INT:
	case OPT_SIZE:
		n = strtoll(value, &end, 10);
		if (!*value || *end || n < 0 || (o->kind == OPT_PORT && n > 65535) ||
		    (o->kind == OPT_INT && n > 86400)) {
			snprintf(err, size, "%s: invalid value '%s'", o->flag, value);
			return -1;
		}
		if (o->kind == OPT_SIZE)
			*(size_t *)(void *)field = (size_t)n;
		else
			*(int *)(void *)field = (int)n;
		return 0;
	}
	return -1;
}

/* The defaults of a bare start. */
static void set_defaults(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strcpy(cfg->listen, "127.0.0.1");
	cfg->http_port = 8080;
	cfg->https_port = 8443;
	strcpy(cfg->db, "./edgekv-data/edgekv.db");
	cfg->max_body = 1048576;
	cfg->max_upload = 1073741824;
	cfg->access_log = true;
	strcpy(cfg->auth, "strict");
	cfg->auth_window = 300;
	strcpy(cfg->token_workflow, "auto");
	cfg->token_limit = 100;
	cfg->token_activation_s = 5;
	strcpy(cfg->data_plane_network, "staging");
	cfg->header_timeout = 10;
	cfg->idle_timeout = 60;
	cfg->min_body_rate = 8192;
	cfg->max_connections_per_ip = 256;
	strcpy(cfg->tls_priorities, CONFIG_TLS_PRIORITIES);
}

/* The flags of argv, over what the environment set; -1 with a message in err. */
static int read_flags(struct server_config *cfg, int argc, char **argv, char *err, size_t size)
{
	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a], *eq = strchr(arg, '=');
		size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct option_row *o = NULL;

		for (size_t i = 0; i < OPTION_COUNT; i++)
			if (strlen(options[i].flag) == name_len &&
			    strncmp(arg, options[i].flag, name_len) == 0)
				o = &options[i];
		if (!o) {
			snprintf(err, size, "unknown option '%s' (see --help)", arg);
			return -1;
		}
		if (o->kind == OPT_FLAG || o->kind == OPT_NEGATED_FLAG) {
			if (set_value(cfg, o, eq ? eq + 1 : "1", err, size) != 0)
				return -1;
			continue;
		}
		if (!eq && a + 1 >= argc) {
			snprintf(err, size, "%s needs a value", o->flag);
			return -1;
		}
		if (set_value(cfg, o, eq ? eq + 1 : argv[++a], err, size) != 0)
			return -1;
	}
	return 0;
}

/* The rules that tie values together, or name a set of words; -1 with a message in err. */
static int check_values(const struct server_config *cfg, char *err, size_t size)
{
	enum network net;

	if (strcmp(cfg->auth, "strict") != 0 && strcmp(cfg->auth, "soft") != 0 &&
	    strcmp(cfg->auth, "off") != 0) {
		snprintf(err, size, "--auth must be strict, soft or off");
		return -1;
	}
	if (cfg->threads > 256) {
		snprintf(err, size, "--threads: at most 256");
		return -1;
	}
	if (strcmp(cfg->token_workflow, "auto") != 0 &&
	    strcmp(cfg->token_workflow, "legacy") != 0 &&
	    strcmp(cfg->token_workflow, "enhanced") != 0) {
		snprintf(err, size, "--token-workflow: invalid value '%s'", cfg->token_workflow);
		return -1;
	}
	if (!network_parse(cfg->data_plane_network, &net)) {
		snprintf(err, size, "--data-plane-network: invalid value '%s'",
		         cfg->data_plane_network);
		return -1;
	}
	if (cfg->header_timeout < 1 || cfg->idle_timeout < 1) {
		snprintf(err, size, "--header-timeout and --idle-timeout: at least 1 second");
		return -1;
	}
	if (tls_names_check(cfg->tls_names, err, size) != 0)
		return -1;
	if (!cfg->tls_cert[0] != !cfg->tls_key[0]) {
		snprintf(err, size, "--tls-cert and --tls-key go together");
		return -1;
	}
	return 0;
}

int config_load(struct server_config *cfg, int argc, char **argv, char *err, size_t size)
{
	set_defaults(cfg);
	for (size_t i = 0; i < OPTION_COUNT; i++) {
		const char *v = options[i].env ? getenv(options[i].env) : NULL;

		if (v && *v && set_value(cfg, &options[i], v, err, size) != 0)
			return -1;
	}
	if (read_flags(cfg, argc, argv, err, size) != 0)
		return -1;
	return check_values(cfg, err, size);
}

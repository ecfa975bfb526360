#ifndef EKV_SERVER_CONFIG_H
#define EKV_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* The process's settings: defaults, then EDGEKV_* environment, then flags. */
#define CONFIG_PORT_OFF (-1)
#define CONFIG_PATH_MAX 1024
/*
 * TLS 1.2 and 1.3 only, and in 1.2 only ephemeral (EC)DHE key exchange with
 * AEAD ciphers: every session is forward-secret and authenticated-encrypted.
 */
#define CONFIG_TLS_PRIORITIES                                                                      \
	"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:"        \
	"+CHACHA20-POLY1305:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:+DHE-RSA:"              \
	"%SERVER_PRECEDENCE"

struct server_config {
	char listen[64];
	int http_port;  /* 0 picks a free port; CONFIG_PORT_OFF disables */
	int https_port; /* likewise */
	char db[CONFIG_PATH_MAX];
	char tls_cert[CONFIG_PATH_MAX]; /* "" generates one next to the database */
	char tls_key[CONFIG_PATH_MAX];
	char tls_names[2048]; /* comma-separated, for the generated certificate */
	int threads;          /* per listener; 0 means one per core */
	size_t max_body;
	size_t max_upload;
	char auth[8];    /* strict, soft or off */
	int auth_window; /* seconds */
	bool auth_any_scheme;
	char admin_secret[256];
	char seed[CONFIG_PATH_MAX]; /* fixture directory loaded at start; "" for the built-in world
	                             */
	bool uninitialized;         /* start the default account uninitialized */
	bool no_standard_tls;
	bool access_log;
	char token_workflow[16];     /* auto, legacy or enhanced */
	size_t token_limit;          /* access tokens per account */
	size_t token_activation_s;   /* enhanced tokens stay IN_PROGRESS this long */
	char data_plane_network[16]; /* staging or production, without X-EdgeKV-Network */
	int header_timeout;          /* seconds */
	int idle_timeout;            /* seconds */
	size_t min_body_rate;
	size_t max_connections; /* per listener; 0: from the open-file limit */
	size_t max_connections_per_ip;
	char tls_priorities[512];
	bool allow_remote_dev_client;
	bool control_any_peer;
	bool help;
	bool version;
	bool probe;
};

/*
 * Fills cfg from the environment and argv. Returns 0, or -1 after writing a
 * one-line reason into err (size bytes).
 */
int config_load(struct server_config *cfg, int argc, char **argv, char *err, size_t size);

/* The text of --help. */
void config_usage(FILE *out);

/*
 * One row of the option table, for the manual page (tools/mkman.c): the
 * same rows print --help, so the two cannot drift apart.
 */
struct config_option_doc {
	const char *flag; /* "--listen" */
	const char *env;  /* "EDGEKV_LISTEN", or NULL */
	const char *arg;  /* "ADDR", or NULL for a switch */
	const char *help; /* one sentence, as --help prints it */
};

size_t config_option_count(void);
void config_option_doc(size_t i, struct config_option_doc *out);

#endif

#ifndef EKV_SERVER_HTTP_H
#define EKV_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "server/guard.h"

/* One HTTP or HTTPS listener in front of api_dispatch() (the only libmicrohttpd user). */
struct api;
struct http_server;

struct http_options {
	const char *listen; /* numeric IPv4 or IPv6 address */
	int port;           /* 0 picks a free port */
	int threads;        /* worker threads, at least 1 */
	size_t max_body;
	const char *upload_dir;   /* bulk uploads are spooled here; NULL: none */
	size_t max_upload;        /* their cap in bytes, after gzip decoding */
	const char *tls_cert_pem; /* both NULL for plain HTTP */
	const char *tls_key_pem;
	const char *tls_priorities; /* GnuTLS priority string of the HTTPS listener */
	bool access_log;
	struct guard_options limits; /* deadlines, and max_connections for this listener */
	unsigned max_per_ip;         /* connections from one address; 0: no limit */
};

/* Starts listening; NULL after logging the cause. api and the PEM text must outlive it. */
struct http_server *http_start(struct api *api, const struct http_options *opt);

/* The port actually bound. */
int http_port(const struct http_server *srv);

/* Stops accepting, finishes the requests under way, joins the threads and frees. */
void http_stop(struct http_server *srv);

/* The version of the libmicrohttpd this process runs with (static text). */
const char *http_library_version(void);

#endif

#include "server/http.h"

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/xalloc.h"

#define HEADERS_MAX 64
/* Item writes the writer thread commits together at most (group commit). */
#define BATCH_MAX 256

/*
 * A reply held back by injected latency: its connection is
 * suspended, never a worker thread asleep (performance-notes.md), and the
 * timer thread resumes it when due.
 */
struct delayed {
	struct MHD_Connection *conn;
	int64_t due_ms; /* clock_monotonic_ms() */
	struct delayed *next;
};

struct http_server {
	struct MHD_Daemon *daemon;
	struct api *api;
	size_t max_body;
	bool tls;
	bool access_log;
	int port;
	pthread_t timer;
	bool timer_started;
	pthread_mutex_t timer_lock;
	pthread_cond_t timer_cond; /* on CLOCK_MONOTONIC */
	bool timer_stopping;
	struct delayed *delayed; /* by due time */
	/* Group commit: item writes queue here for the writer thread (batch_main). */
	pthread_t writer;
	bool writer_started;
	pthread_mutex_t batch_lock;
	pthread_cond_t batch_cond;
	bool batch_stopping;
	struct request *queue, **queue_tail;
};

/* Everything one request owns; freed only in on_completed(). */
struct request {
	char *target;                 /* raw request target, copied before MHD parses it in place */
	struct MHD_Response *pending; /* a reply waiting for its injected latency */
	int64_t started_ms;
	size_t header_count;
	const char *content_length; /* the first one seen */
	/* A request handed to the writer thread: everything it needs outlives the call. */
	const char *method;
	struct MHD_Connection *conn;
	struct request *next; /* in the writer's queue */
	struct buf body;
	struct api_request in;
	struct api_header headers[HEADERS_MAX];
	struct api_response out;
	unsigned pending_status;
	bool started; /* the headers-only first call has happened */
	bool body_too_large;
	bool framing_invalid; /* another Content-Length disagreed with it */
	bool batched;         /* handed to the writer thread: never dispatched again */
	bool answered;        /* the writer queued its reply */
	char id[17];
	char peer[64];
};

/* MHD_OPTION_URI_LOG_CALLBACK: the raw target, before unescaping (EdgeGrid signs it). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *req = xcalloc(1, sizeof(*req));

	(void)cls;
	(void)conn;
	req->target = xstrdup(uri);
	buf_init(&req->body);
	req->started_ms = clock_monotonic_ms();
	return req;
}

/* Keeps the path raw: the router decodes captures itself. */
static size_t on_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
	struct request *req = cls;

	(void)kind;
	if (key && value && strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (req->content_length && strcmp(req->content_length, value) != 0)
			req->framing_invalid = true;
		req->content_length = value;
	}
	if (req->header_count < HEADERS_MAX && key) {
		req->headers[req->header_count].name = key;
		req->headers[req->header_count].value = value ? value : "";
		req->header_count++;
	}
	return MHD_YES;
}

static void request_id(char out[17])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char raw[8];

	gnutls_rnd(GNUTLS_RND_NONCE, raw, sizeof(raw));
	for (size_t i = 0; i < 8; i++) {
		out[2 * i] = digits[raw[i] >> 4];
		out[2 * i + 1] = digits[raw[i] & 15];
	}
	out[16] = '\0';
}

static void peer_address(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *info =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(out, size, "-");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          (socklen_t)size);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, (socklen_t)size);
}

/*
 * Holds conn back for delay_ms; false when stopping (then reply at once).
 * suspend: conn is running and is suspended here; else it is already.
 */
static bool delay_connection(struct http_server *srv, struct MHD_Connection *conn, int64_t delay_ms,
                             bool suspend)
{
	struct delayed *d, **p;

	pthread_mutex_lock(&srv->timer_lock);
	if (srv->timer_stopping || !srv->timer_started) {
		pthread_mutex_unlock(&srv->timer_lock);
		return false;
	}
	d = xcalloc(1, sizeof(*d));
	d->conn = conn;
	d->due_ms = clock_monotonic_ms() + delay_ms;
	for (p = &srv->delayed; *p && (*p)->due_ms <= d->due_ms; p = &(*p)->next)
		;
	d->next = *p;
	*p = d;
	/* Suspended under the lock, so the timer cannot resume it first. */
	if (suspend)
		MHD_suspend_connection(conn);
	pthread_cond_signal(&srv->timer_cond);
	pthread_mutex_unlock(&srv->timer_lock);
	return true;
}

static void *timer_main(void *arg)
{
	struct http_server *srv = arg;

	pthread_mutex_lock(&srv->timer_lock);
	while (!srv->timer_stopping) {
		int64_t now = clock_monotonic_ms();

		while (srv->delayed && srv->delayed->due_ms <= now) {
			struct delayed *d = srv->delayed;

			srv->delayed = d->next;
			MHD_resume_connection(d->conn);
			free(d);
		}
		if (!srv->delayed) {
			pthread_cond_wait(&srv->timer_cond, &srv->timer_lock);
		} else {
			struct timespec until;
			int64_t due = srv->delayed->due_ms;

			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += (due - now) / 1000;
			until.tv_nsec += (long)((due - now) % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&srv->timer_cond, &srv->timer_lock, &until);
		}
	}
	/* Stopping: every held reply goes out now. */
	while (srv->delayed) {
		struct delayed *d = srv->delayed;

		srv->delayed = d->next;
		MHD_resume_connection(d->conn);
		free(d);
	}
	pthread_mutex_unlock(&srv->timer_lock);
	return NULL;
}

/* Fills req->in from the connection: everything api_dispatch() reads. */
static void request_fill(struct MHD_Connection *conn, struct http_server *srv, struct request *req,
                         const char *method)
{
	struct api_request *in = &req->in;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, req);
	request_id(req->id);
	peer_address(conn, req->peer, sizeof(req->peer));
	memset(in, 0, sizeof(*in));
	in->method = http_method_parse(method);
	in->method_name = method;
	in->target = req->target;
	in->headers = req->headers;
	in->header_count = req->header_count;
	in->body = req->body.ptr ? req->body.ptr : "";
	in->body_len = req->body.len;
	in->body_too_large = req->body_too_large;
	in->framing_invalid = req->framing_invalid;
	in->request_id = req->id;
	in->peer = req->peer;
	in->tls = srv->tls;
	req->method = method;
	req->conn = conn;
}

/* The MHD response for out (its body moves into it), after the access log line; NULL: none. */
static struct MHD_Response *make_response(struct http_server *srv, struct request *req,
                                          struct api_response *out)
{
	struct MHD_Response *response;
	size_t len;
	char *body = buf_detach(&out->body, &len);

	response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!response) {
		free(body);
		return NULL;
	}
	if (out->content_type[0])
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, out->content_type);
	MHD_add_response_header(response, "X-Trace-Id", req->id);
	if (req->framing_invalid) /* what follows on the connection cannot be trusted */
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONNECTION, "close");
	for (size_t i = 0; i < out->header_count; i++)
		MHD_add_response_header(response, out->headers[i].name, out->headers[i].value);
	if (srv->access_log)
		log_info("%s \"%s %s\" %d %zu %lldms%s trace=%s", req->peer, req->method,
		         req->target, out->status, len,
		         (long long)(clock_monotonic_ms() - req->started_ms),
		         out->delay_ms > 0 ? " (delayed)" : "", req->id);
	return response;
}

/* Queues req for the writer thread and suspends its connection; false: answer it here. */
static bool batch_enqueue(struct http_server *srv, struct request *req)
{
	pthread_mutex_lock(&srv->batch_lock);
	if (!srv->writer_started || srv->batch_stopping) {
		pthread_mutex_unlock(&srv->batch_lock);
		return false;
	}
	req->batched = true;
	req->next = NULL;
	*srv->queue_tail = req;
	srv->queue_tail = &req->next;
	/* Suspended under the lock, so the writer cannot resume it first. */
	MHD_suspend_connection(req->conn);
	pthread_cond_signal(&srv->batch_cond);
	pthread_mutex_unlock(&srv->batch_lock);
	return true;
}

/*
 * The writer thread's end of a request: its reply is final. MHD lets another
 * thread queue a response on a suspended connection; queued before the
 * resume, it goes out even if the client has already shut down its side
 * (a resumed connection that reads EOF before the access handler runs again
 * is closed without a reply). With injected latency the timer resumes it.
 */
static void batch_finish(struct http_server *srv, struct request *req)
{
	struct MHD_Response *response = make_response(srv, req, &req->out);
	int64_t delay_ms = req->out.delay_ms;
	unsigned status = (unsigned)req->out.status;

	api_response_release(&req->out);
	if (response) { /* else on_request closes the connection */
		req->answered = MHD_queue_response(req->conn, status, response) == MHD_YES;
		MHD_destroy_response(response);
	}
	if (req->answered && delay_ms > 0 && delay_connection(srv, req->conn, delay_ms, false))
		return;
	MHD_resume_connection(req->conn);
}

/*
 * One group commit: every queued item write runs its handler inside one
 * transaction (api_batch_begin), and no reply goes out before the commit.
 * If the transaction cannot start, each write commits on its own, as on a
 * worker thread; if the commit fails, each reply becomes a 500.
 */
static void batch_run(struct http_server *srv, struct request *list)
{
	bool tx = api_batch_begin(srv->api);

	for (struct request *r = list; r; r = r->next) {
		api_response_init(&r->out);
		api_dispatch(srv->api, &r->in, &r->out);
	}
	if (tx && !api_batch_end(srv->api)) {
		for (struct request *r = list; r; r = r->next)
			api_batch_failed(srv->api, &r->in, &r->out);
	}
	while (list) {
		struct request *r = list;

		list = r->next; /* r may be gone once resumed */
		batch_finish(srv, r);
	}
}

static void *batch_main(void *arg)
{
	struct http_server *srv = arg;

	pthread_mutex_lock(&srv->batch_lock);
	for (;;) {
		struct request *list, **end;
		int n = 0;

		while (!srv->queue && !srv->batch_stopping)
			pthread_cond_wait(&srv->batch_cond, &srv->batch_lock);
		if (!srv->queue)
			break; /* stopping, and every queued write done */
		list = srv->queue;
		for (end = &list; *end && n < BATCH_MAX; end = &(*end)->next)
			n++;
		srv->queue = *end;
		if (!srv->queue)
			srv->queue_tail = &srv->queue;
		*end = NULL;
		pthread_mutex_unlock(&srv->batch_lock);
		batch_run(srv, list);
		pthread_mutex_lock(&srv->batch_lock);
	}
	pthread_mutex_unlock(&srv->batch_lock);
	return NULL;
}

/*
 * Whether the client keeps the connection open after this request. A
 * suspended connection whose client has shut down its side (what a client
 * that sends Connection: close may do right after the request) is closed by
 * MHD 0.9.75 when it is resumed, and the queued reply is lost: such requests
 * are answered on the worker thread, at once.
 */
static bool keeps_alive(struct MHD_Connection *conn, const char *version)
{
	const char *c =
	        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONNECTION);

	if (strcmp(version, MHD_HTTP_VERSION_1_1) != 0)
		return false;
	for (; c && *c; c++) /* a "close" token anywhere in the list */
		if (strncasecmp(c, "close", 5) == 0)
			return false;
	return true;
}

static enum MHD_Result respond(struct MHD_Connection *conn, struct http_server *srv,
                               struct request *req, const char *method, const char *version)
{
	struct api_response out;
	struct MHD_Response *response;
	enum MHD_Result ok;

	request_fill(conn, srv, req, method);
	if (keeps_alive(conn, version) && api_batchable(srv->api, &req->in) &&
	    batch_enqueue(srv, req))
		return MHD_YES; /* on_request queues the reply once the writer resumes it */
	api_response_init(&out);
	api_dispatch(srv->api, &req->in, &out);
	response = make_response(srv, req, &out);
	if (!response) {
		api_response_release(&out);
		return MHD_NO;
	}
	if (out.delay_ms > 0) {
		req->pending = response;
		req->pending_status = (unsigned)out.status;
		if (delay_connection(srv, conn, out.delay_ms, true)) {
			api_response_release(&out);
			return MHD_YES; /* on_request queues it once resumed */
		}
		req->pending = NULL;
	}
	ok = MHD_queue_response(conn, (unsigned)out.status, response);
	MHD_destroy_response(response);
	api_response_release(&out);
	return ok;
}

/* Called after the headers, once per body chunk, and once at the end. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	struct http_server *srv = cls;
	struct request *req = *req_cls;

	(void)url;
	if (!req)
		return MHD_NO; /* on_uri always runs first; never here */
	if (req->pending) {    /* resumed after its injected latency */
		struct MHD_Response *response = req->pending;
		enum MHD_Result ok;

		req->pending = NULL;
		ok = MHD_queue_response(conn, req->pending_status, response);
		MHD_destroy_response(response);
		return ok;
	}
	if (req->batched) /* resumed by the writer: MHD_YES once it has queued the reply */
		return req->answered ? MHD_YES : MHD_NO;
	if (!req->started) { /* headers only: never reply yet (P1: keep-alive) */
		req->started = true;
		return MHD_YES;
	}
	if (*upload_data_size) { /* body chunk: MHD forbids replying here */
		if (!req->body_too_large && req->body.len + *upload_data_size <= srv->max_body)
			buf_add(&req->body, upload_data, *upload_data_size);
		else
			req->body_too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return respond(conn, srv, req, method, version);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct request *req = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!req)
		return;
	if (req->pending)
		MHD_destroy_response(req->pending);
	buf_release(&req->body);
	free(req->target);
	free(req);
	*req_cls = NULL;
}

/* MHD_OPTION_EXTERNAL_LOGGER: fmt is MHD's own printf format (clang's -Wformat-nonliteral). */
__attribute__((format(printf, 2, 0))) static void on_mhd_error(void *cls, const char *fmt,
                                                               va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("http: %s", line);
}

struct http_server *http_start(struct api *api, const struct http_options *opt)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct sockaddr_storage addr = {0};
	struct sockaddr_in *v4 = (struct sockaddr_in *)&addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	pthread_condattr_t attr;
	const union MHD_DaemonInfo *info;

	if (inet_pton(AF_INET, opt->listen, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)opt->port);
	} else if (inet_pton(AF_INET6, opt->listen, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)opt->port);
		flags |= MHD_USE_IPv6;
	} else {
		log_error("http: '%s' is not a numeric IP address", opt->listen);
		free(srv);
		return NULL;
	}
	srv->api = api;
	pthread_mutex_init(&srv->batch_lock, NULL);
	pthread_cond_init(&srv->batch_cond, NULL);
	srv->queue_tail = &srv->queue;
	pthread_mutex_init(&srv->timer_lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&srv->timer_cond, &attr);
	pthread_condattr_destroy(&attr);
	srv->max_body = opt->max_body;
	srv->access_log = opt->access_log;
	srv->tls = opt->tls_cert_pem != NULL;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	srv->daemon = MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error,
	        srv, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_THREAD_POOL_SIZE,
	        (unsigned)opt->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	        MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_UNESCAPE_CALLBACK, on_unescape,
	        srv, MHD_OPTION_CONNECTION_TIMEOUT, 120u,
	        srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, opt->tls_cert_pem,
	        MHD_OPTION_HTTPS_MEM_KEY, opt->tls_key_pem, MHD_OPTION_END);
	if (!srv->daemon) {
		log_error("http: cannot listen on %s port %d", opt->listen, opt->port);
		pthread_mutex_destroy(&srv->timer_lock);
		pthread_cond_destroy(&srv->timer_cond);
		pthread_mutex_destroy(&srv->batch_lock);
		pthread_cond_destroy(&srv->batch_cond);
		free(srv);
		return NULL;
	}
	srv->timer_started = pthread_create(&srv->timer, NULL, timer_main, srv) == 0;
	if (!srv->timer_started)
		log_warn("http: no timer thread: injected latency is off");
	pthread_mutex_lock(&srv->batch_lock);
	srv->writer_started = pthread_create(&srv->writer, NULL, batch_main, srv) == 0;
	pthread_mutex_unlock(&srv->batch_lock);
	if (!srv->writer_started)
		log_warn("http: no writer thread: item writes commit one by one");
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : opt->port;
	return srv;
}

int http_port(const struct http_server *srv)
{
	return srv->port;
}

void http_stop(struct http_server *srv)
{
	if (!srv)
		return;
	/* Queued writes commit first (their replies may go to the timer), then held replies go
	 * out: MHD must not stop with suspended connections. */
	pthread_mutex_lock(&srv->batch_lock);
	srv->batch_stopping = true;
	pthread_cond_signal(&srv->batch_cond);
	pthread_mutex_unlock(&srv->batch_lock);
	if (srv->writer_started)
		pthread_join(srv->writer, NULL);
	pthread_mutex_lock(&srv->timer_lock);
	srv->timer_stopping = true;
	pthread_cond_signal(&srv->timer_cond);
	pthread_mutex_unlock(&srv->timer_lock);
	if (srv->timer_started)
		pthread_join(srv->timer, NULL);
	MHD_stop_daemon(srv->daemon);
	pthread_mutex_destroy(&srv->timer_lock);
	pthread_cond_destroy(&srv->timer_cond);
	pthread_mutex_destroy(&srv->batch_lock);
	pthread_cond_destroy(&srv->batch_cond);
	free(srv);
}

#include "server/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/buf.h"
#include "server/gzip.h"
#include "server/spool.h"
#include "server/trace.h"
#include "base/clock.h"
#include "base/lazy_thread.h"
#include "base/log.h"
#include "base/spare.h"
#include "base/xalloc.h"
#include "server/delay.h"
#include "server/guard.h"
#include "server/listen.h"

#define HEADERS_MAX 64
/* A declared body over this many times max_body is refused before it is read. */
#define EARLY_413_FACTOR 4
/* Item writes the writer thread commits together at most (group commit). */
#define BATCH_MAX 256

struct http_server {
	struct MHD_Daemon *daemon;
	struct api *api;
	size_t max_body;
	const char *upload_dir; /* where spooled bodies go; NULL: none spooled */
	size_t max_upload;
	bool tls;
	bool access_log;
	int port;
	struct delay *delay; /* replies held for injected latency */
	struct guard *guard; /* deadlines for slow clients */
	/* Group commit: item writes queue here for the writer thread (batch_main), which starts
	 * with the first write. */
	struct lazy_thread writer;
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
	struct spool spool; /* a bulk upload's body (api_spools_body) */
	bool spooled;
	struct api_request in;
	struct api_header headers[HEADERS_MAX];
	struct api_response out;
	unsigned pending_status;
	bool started; /* the headers-only first call has happened */
	bool body_too_large;
	bool framing_invalid;     /* another Content-Length disagreed with it */
	bool close_after;         /* answered before its body was read: the connection closes */
	bool batched;             /* handed to the writer thread: never dispatched again */
	bool answered;            /* the writer queued its reply */
	struct guard_conn *guard; /* the connection's deadlines */
	char id[17];
	char peer[64];
};

/* MHD_OPTION_URI_LOG_CALLBACK: the raw target, before unescaping (EdgeGrid signs it). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct request *req = spare_calloc(sizeof(*req)); /* see base/spare.h */

	char *query = strchr(uri, '?');

	(void)cls;
	(void)conn;
	req->target = xstrdup(uri);
	buf_init(&req->body);
	req->started_ms = clock_monotonic_ms();
	/*
	 * libmicrohttpd 0.9.75 next copies every query argument into the
	 * connection's memory pool and, once that is full (~1,000 "a=1&"), leaves
	 * the connection without a reply until it times out. The router reads the
	 * query from req->target itself, so MHD is handed none: it parses the
	 * arguments from the byte after the '?', in this same buffer, after
	 * this callback returns.
	 */
	if (query)
		query[1] = '\0';
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

static void suspend_conn(void *conn)
{
	MHD_suspend_connection(conn);
}

static void resume_conn(void *conn)
{
	MHD_resume_connection(conn);
}

/* Fills req->in from the connection: everything api_dispatch() reads. */
static void request_fill(struct MHD_Connection *conn, struct http_server *srv, struct request *req,
                         const char *method)
{
	struct api_request *in = &req->in;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, req);
	trace_id_new(req->id);
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
	if (req->spooled)
		spool_finish(&req->spool, in);
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
	bool gzipped = gzip_reply(&req->in, out);
	char *body = buf_detach(&out->body, &len);

	response = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!response) {
		free(body);
		return NULL;
	}
	if (out->content_type[0])
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, out->content_type);
	MHD_add_response_header(response, "X-Trace-Id", req->id);
	if (out->cache_control)
		MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
		                        out->cache_control);
	if (gzipped)
		MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	if (out->compressible) /* the body depends on Accept-Encoding: tell caches */
		MHD_add_response_header(response, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
	if (req->framing_invalid || req->close_after) /* what follows cannot be trusted */
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
	if (srv->batch_stopping || !lazy_thread_start(&srv->writer)) {
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
	if (req->answered && delay_ms > 0 && delay_hold(srv->delay, req->conn, delay_ms, false))
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
	guard_busy(req->guard);
	if (!req->close_after && keeps_alive(conn, version) && api_batchable(srv->api, &req->in) &&
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
		if (delay_hold(srv->delay, conn, out.delay_ms, true)) {
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

/*
 * The first call, with the headers. ...unless the declared body is far over
 * max_body, or the client waits for 100-continue: then the 413 goes out now,
 * without reading a byte of it, and the connection closes (MHD discards the
 * rest of a request answered this early). A smaller excess is read and
 * dropped as it comes: closing on unread bytes resets the connection, and a
 * client still sending its body then loses the 413.
 */
static bool expects_continue(struct MHD_Connection *conn)
{
	const char *e = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);

	return e && strcasecmp(e, "100-continue") == 0;
}

static enum MHD_Result headers_in(struct MHD_Connection *conn, struct http_server *srv,
                                  struct request *req, const char *method, const char *version)
{
	const union MHD_ConnectionInfo *info =
	        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	const char *declared =
	        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long long n, limit;

	req->started = true;
	req->guard = info ? info->socket_context : NULL;
	guard_body_started(req->guard);
	if (!declared || *declared < '0' || *declared > '9')
		return MHD_YES;
	n = strtoull(declared, &end, 10);
	limit = req->spooled ? srv->max_upload : srv->max_body;
	if (*end == '\0' &&
	    (n <= limit || (n / EARLY_413_FACTOR <= limit && !expects_continue(conn))))
		return MHD_YES;
	req->body_too_large = true;
	req->close_after = true;
	return respond(conn, srv, req, method, version);
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
	if (!req->started) { /* headers only: never reply yet (P1: keep-alive)... */
		req->spooled = srv->upload_dir &&
		               api_spools_body(srv->api, http_method_parse(method), req->target);
		if (req->spooled)
			spool_open(&req->spool, srv->upload_dir,
			           MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
			                                       MHD_HTTP_HEADER_CONTENT_ENCODING));
		return headers_in(conn, srv, req, method, version);
	}
	if (*upload_data_size && req->spooled) {
		guard_body(req->guard, *upload_data_size);
		spool_add(&req->spool, &req->body, upload_data, *upload_data_size, srv->max_upload);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) { /* body chunk: MHD forbids replying here */
		guard_body(req->guard, *upload_data_size);
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
	guard_idle(req->guard); /* the next request's headers are due */
	if (req->pending)
		MHD_destroy_response(req->pending);
	spool_release(&req->spool);
	buf_release(&req->body);
	free(req->target);
	spare_free(req, sizeof(*req));
	*req_cls = NULL;
}

/* MHD_OPTION_NOTIFY_COMPLETED's twin for connections: the guard follows each one. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	const union MHD_ConnectionInfo *info;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) { /* before MHD closes the descriptor */
		guard_close(srv->guard, *socket_context);
		*socket_context = NULL;
		return;
	}
	info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	*socket_context = info ? guard_open(srv->guard, info->connect_fd) : NULL;
}

static struct MHD_Daemon *start_daemon(struct http_server *srv, const struct http_options *opt,
                                       unsigned flags, struct sockaddr_storage *addr)
{
	return MHD_start_daemon(
	        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
	        trace_library_message, srv, MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_THREAD_POOL_SIZE,
	        (unsigned)opt->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
	        MHD_OPTION_NOTIFY_CONNECTION, on_connection, srv, MHD_OPTION_URI_LOG_CALLBACK,
	        on_uri, srv, MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, srv,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)opt->limits.idle_timeout_s,
	        MHD_OPTION_CONNECTION_LIMIT, opt->limits.max_connections,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->max_per_ip,
	        /* Plain HTTP ends the list here. */
	        srv->tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, opt->tls_priorities,
	        MHD_OPTION_HTTPS_MEM_CERT, opt->tls_cert_pem, MHD_OPTION_HTTPS_MEM_KEY,
	        opt->tls_key_pem, MHD_OPTION_END);
}

struct http_server *http_start(struct api *api, const struct http_options *opt)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct sockaddr_storage addr = {0};
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	const union MHD_DaemonInfo *info;

	if (listen_address(opt->listen, opt->port, &addr) != 0) {
		free(srv);
		return NULL;
	}
	if (addr.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->api = api;
	pthread_mutex_init(&srv->batch_lock, NULL);
	pthread_cond_init(&srv->batch_cond, NULL);
	lazy_thread_init(&srv->writer, batch_main, srv,
	                 "http: no writer thread yet: item writes commit one by one");
	srv->queue_tail = &srv->queue;
	srv->max_body = opt->max_body;
	srv->upload_dir = opt->upload_dir;
	srv->max_upload = opt->max_upload;
	srv->access_log = opt->access_log;
	srv->tls = opt->tls_cert_pem != NULL;
	if (srv->tls)
		flags |= MHD_USE_TLS;
	srv->guard = guard_new(&opt->limits);
	srv->delay = delay_new(suspend_conn, resume_conn); /* before any request can need it */
	srv->daemon = start_daemon(srv, opt, flags, &addr);
	if (!srv->daemon) {
		log_error("http: cannot listen on %s port %d", opt->listen, opt->port);
		delay_free(srv->delay);
		guard_stop(srv->guard);
		pthread_mutex_destroy(&srv->batch_lock);
		pthread_cond_destroy(&srv->batch_cond);
		free(srv);
		return NULL;
	}
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
	lazy_thread_join(&srv->writer);
	delay_stop(srv->delay);
	MHD_stop_daemon(srv->daemon);
	delay_free(srv->delay); /* no worker left to hold a reply */
	if (guard_reaped(srv->guard))
		log_info("http: %llu slow connections dropped",
		         (unsigned long long)guard_reaped(srv->guard));
	guard_stop(srv->guard); /* after MHD closed every connection */
	pthread_mutex_destroy(&srv->batch_lock);
	pthread_cond_destroy(&srv->batch_cond);
	free(srv);
}

const char *http_library_version(void)
{
	return MHD_get_version();
}

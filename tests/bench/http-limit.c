/*
 * http-limit: the ceiling of the HTTP stack, for tests/bench/run.sh.
 *
 *   http-limit [--http-port N] [--body-bytes N] [--threads N] [other emulator flags, ignored]
 *
 * A bare libmicrohttpd server started with the emulator's own daemon flags, thread pool
 * (one thread per core unless --threads), idle timeout and per-client connection limit
 * (server/http.c, with the defaults of server/config.c), answering
 * every request with 200 and one fixed body of --body-bytes (default 1024) bytes, built once.
 * It accepts and ignores the emulator's other flags (--db, --https-port, --no-access-log), so
 * tests/bench/coldstart.c can start it like the emulator. Prints "listening http://..." and
 * "ready" as the emulator does; runs until SIGTERM or SIGINT, then exits 0.
 * Whatever the emulator does on top of this (routing, SQLite, replies) is its distance to it.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response *fixed;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **state)
{
	static int seen;

	(void)cls, (void)url, (void)method, (void)version, (void)upload_data;
	if (!*state) { /* headers only: a reply now would close the connection (no keep-alive) */
		*state = &seen;
		return MHD_YES;
	}
	if (*upload_size) { /* a body is read and dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, fixed);
}

int main(int argc, char **argv)
{
	unsigned port = 8080, threads = (unsigned)sysconf(_SC_NPROCESSORS_ONLN), size = 1024;
	struct sockaddr_in sa = {0};
	struct MHD_Daemon *d;
	sigset_t set;
	char *body;
	int sig;

	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--http-port") == 0)
			port = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--body-bytes") == 0)
			size = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--threads") == 0)
			threads = (unsigned)strtoul(argv[++i], NULL, 10);
	}
	body = malloc(size ? size : 1);
	if (!body)
		return 1;
	memset(body, 'v', size);
	fixed = MHD_create_response_from_buffer(size, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(fixed, "Content-Type", "application/octet-stream");
	sa.sin_family = AF_INET; /* loopback only, as the bench uses the emulator */
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	                             MHD_ALLOW_SUSPEND_RESUME,
	                     (uint16_t)port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
	                     &sa, MHD_OPTION_THREAD_POOL_SIZE, threads ? threads : 1u,
	                     MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	                     256u, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "http-limit: cannot listen on port %u\n", port);
		return 1;
	}
	printf("listening http://127.0.0.1:%u\nready\n",
	       (unsigned)MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(fixed);
	return 0;
}

/*
 * coldstart: time from fork/exec of the emulator to its first answered request.
 *
 *   coldstart BIN [--runs N] [--https] [--db PATH] [--timeout-ms MS]
 *
 * Each run starts BIN on loopback with a fresh database in a new temporary
 * folder (or on --db PATH, an existing database that is reused), then polls
 * TCP connect + GET /edgekv/v1/initialize until it answers 200 and takes the
 * wall time. Without --https the HTTPS listener is off, so no certificate is
 * made; with --https it is on, the certificate is generated (the folder is
 * new) and the poll goes over TLS to the HTTPS port. Then SIGTERM, and the
 * server must exit 0. Every wait is bounded by --timeout-ms (default 5000).
 * Prints one line: "coldstart runs=N median_ms=… min_ms=… max_ms=…".
 * Exit 0 when every run answered and exited 0. Build with -D_XOPEN_SOURCE=700
 * (nftw), as tests/bench/run.sh does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS_MAX 1000

static const char request[] = "GET /edgekv/v1/initialize HTTP/1.1\r\n"
                              "Host: 127.0.0.1\r\n"
                              "Connection: close\r\n\r\n";

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void pause_us(long us)
{
	struct timespec ts = {0, us * 1000};

	nanosleep(&ts, NULL);
}

/* A port that was free a moment ago (the server binds it right after). */
static int free_port(void)
{
	struct sockaddr_in sa = {0};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/*
 * A connected socket with 2 s send and receive timeouts, or -1. TCP_NODELAY
 * as curl and browsers set it: without it the TLS client's second small write
 * waits for the server's delayed ACK, 40 ms that are not the server's.
 */
static int dial(int port)
{
	struct sockaddr_in sa = {0};
	struct timeval timeout = {2, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool is_200(const char *reply, size_t len)
{
	return len >= 12 &&
	       (memcmp(reply, "HTTP/1.1 200", 12) == 0 || memcmp(reply, "HTTP/1.0 200", 12) == 0);
}

/* One plain-HTTP attempt: true when the server answered 200. */
static bool ask_http(int port)
{
	char reply[64];
	size_t got = 0;
	int fd = dial(port);

	if (fd < 0)
		return false;
	if (write(fd, request, sizeof(request) - 1) == (ssize_t)(sizeof(request) - 1)) {
		while (got < 12) {
			ssize_t n = read(fd, reply + got, sizeof(reply) - got);

			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	close(fd);
	return is_200(reply, got);
}

/* One HTTPS attempt; the certificate is not verified (it is brand new). */
static bool ask_https(int port, gnutls_certificate_credentials_t cred)
{
	gnutls_session_t s = NULL;
	char reply[64];
	size_t got = 0;
	int fd = dial(port), rc;

	if (fd < 0)
		return false;
	if (gnutls_init(&s, GNUTLS_CLIENT) != GNUTLS_E_SUCCESS) {
		close(fd);
		return false;
	}
	gnutls_set_default_priority(s);
	gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
	gnutls_transport_set_int(s, fd);
	gnutls_handshake_set_timeout(s, 2000);
	do
		rc = gnutls_handshake(s);
	while (rc < 0 && !gnutls_error_is_fatal(rc));
	if (rc == GNUTLS_E_SUCCESS &&
	    gnutls_record_send(s, request, sizeof(request) - 1) == (ssize_t)(sizeof(request) - 1)) {
		while (got < 12) {
			ssize_t n = gnutls_record_recv(s, reply + got, sizeof(reply) - got);

			if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED)
				continue;
			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	gnutls_deinit(s);
	close(fd);
	return is_200(reply, got);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* SIGTERM, then wait up to timeout_ms for exit; true on exit status 0. */
static bool stop(pid_t pid, double timeout_ms)
{
	double deadline = now_ms() + timeout_ms;
	int status = 0;

	kill(pid, SIGTERM);
	for (;;) {
		pid_t done = waitpid(pid, &status, WNOHANG);

		if (done == pid)
			break;
		if (done < 0 || now_ms() > deadline) {
			fprintf(stderr, "coldstart: server %d did not exit in time\n", (int)pid);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return false;
		}
		pause_us(1000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "coldstart: server exited with status 0x%x\n", (unsigned)status);
		return false;
	}
	return true;
}

struct options {
	const char *bin;
	const char *db; /* NULL: a fresh database per run */
	int runs;
	bool https;
	double timeout_ms;
};

/* One start; returns the milliseconds to the first 200, or -1. */
static double one_run(const struct options *opt, gnutls_certificate_credentials_t cred)
{
	char dir[] = "/tmp/ekv-coldstart-XXXXXX", db[64], log[64], http[16], https[16];
	int http_port = free_port(), https_port = opt->https ? free_port() : 0;
	double t0, deadline, took = -1;
	bool answered = false, exited = false;
	pid_t pid;

	if (!mkdtemp(dir) || http_port < 0 || https_port < 0) {
		perror("coldstart: setup");
		return -1;
	}
	snprintf(db, sizeof(db), "%s/edgekv.db", dir);
	snprintf(log, sizeof(log), "%s/server.log", dir);
	snprintf(http, sizeof(http), "%d", http_port);
	snprintf(https, sizeof(https), "%d", https_port);
	t0 = now_ms();
	pid = fork();
	if (pid == 0) {
		int out = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out >= 0) {
			dup2(out, STDOUT_FILENO);
			dup2(out, STDERR_FILENO);
			close(out);
		}
		execl(opt->bin, opt->bin, "--db", opt->db ? opt->db : db, "--http-port", http,
		      "--https-port", opt->https ? https : "off", "--no-access-log", (char *)NULL);
		_exit(127);
	}
	if (pid < 0) {
		perror("coldstart: fork");
		nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
		return -1;
	}
	deadline = t0 + opt->timeout_ms;
	while (now_ms() < deadline) {
		int status;

		if (opt->https ? ask_https(https_port, cred) : ask_http(http_port)) {
			took = now_ms() - t0;
			answered = true;
			break;
		}
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "coldstart: server exited (status 0x%x) before answering\n",
			        (unsigned)status);
			exited = true;
			break;
		}
		pause_us(200);
	}
	if (!answered && !exited)
		fprintf(stderr, "coldstart: no 200 within %.0f ms\n", opt->timeout_ms);
	if (!exited && !stop(pid, opt->timeout_ms))
		took = -1;
	if (took < 0) {
		char line[256];
		FILE *f = fopen(log, "r");

		while (f && fgets(line, sizeof(line), f))
			fprintf(stderr, "  server: %s", line);
		if (f)
			fclose(f);
	}
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return took;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct options opt = {.runs = 20, .timeout_ms = 5000};
	gnutls_certificate_credentials_t cred = NULL;
	static double took[RUNS_MAX];
	int failed = 0;
	bool usage = false;

	for (int i = 1; i < argc; i++) {
		char *end = NULL;

		if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			opt.runs = (int)strtol(argv[++i], &end, 10);
		else if (strcmp(argv[i], "--https") == 0)
			opt.https = true;
		else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			opt.db = argv[++i];
		else if (strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc)
			opt.timeout_ms = strtod(argv[++i], &end);
		else if (argv[i][0] != '-' && !opt.bin)
			opt.bin = argv[i];
		else
			usage = true;
		if (end && *end)
			usage = true;
	}
	if (usage || !opt.bin || opt.runs < 1 || opt.runs > RUNS_MAX || opt.timeout_ms <= 0) {
		fprintf(stderr,
		        "usage: coldstart BIN [--runs 1..%d] [--https] [--db PATH] "
		        "[--timeout-ms MS]\n",
		        RUNS_MAX);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (opt.https && (gnutls_global_init() != GNUTLS_E_SUCCESS ||
	                  gnutls_certificate_allocate_credentials(&cred) != GNUTLS_E_SUCCESS)) {
		fprintf(stderr, "coldstart: cannot set up GnuTLS\n");
		return 1;
	}
	for (int i = 0; i < opt.runs; i++) {
		took[i] = one_run(&opt, cred);
		if (took[i] < 0)
			failed++;
	}
	if (cred)
		gnutls_certificate_free_credentials(cred);
	if (failed) {
		fprintf(stderr, "coldstart: %d of %d runs failed\n", failed, opt.runs);
		return 1;
	}
	qsort(took, (size_t)opt.runs, sizeof(took[0]), compare);
	printf("coldstart runs=%d median_ms=%.2f min_ms=%.2f max_ms=%.2f\n", opt.runs,
	       opt.runs % 2 ? took[opt.runs / 2]
	                    : (took[opt.runs / 2 - 1] + took[opt.runs / 2]) / 2,
	       took[0], took[opt.runs - 1]);
	return 0;
}

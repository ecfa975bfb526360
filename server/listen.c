#include "server/listen.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

#include "base/log.h"

int listen_address(const char *listen, int port, struct sockaddr_storage *addr)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;

	if (inet_pton(AF_INET, listen, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		return 0;
	}
	if (inet_pton(AF_INET6, listen, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		return 0;
	}
	log_error("http: '%s' is not a numeric IP address", listen);
	return -1;
}

bool listen_is_loopback(const char *listen)
{
	return strncmp(listen, "127.", 4) == 0 || strcmp(listen, "::1") == 0;
}

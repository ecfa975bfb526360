#ifndef EKV_SERVER_LISTEN_H
#define EKV_SERVER_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

/* The --listen address: a numeric IPv4 or IPv6 address, never a name. */

/* Fills addr for listen and port; 0, or -1 after logging that listen is no numeric address. */
int listen_address(const char *listen, int port, struct sockaddr_storage *addr);

/* Whether listen is a loopback address (127.0.0.0/8 or ::1). */
bool listen_is_loopback(const char *listen);

#endif

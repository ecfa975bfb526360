#ifndef EKV_SERVER_PROBE_H
#define EKV_SERVER_PROBE_H

/*
 * Asks the plain HTTP listener at addr:port for GET /edgekv/v1/initialize and
 * returns 0 if any HTTP response comes back within two seconds (the
 * container's HEALTHCHECK: the slim image has no curl).
 */
int probe_http(const char *addr, int port);

#endif

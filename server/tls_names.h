#ifndef EKV_SERVER_TLS_NAMES_H
#define EKV_SERVER_TLS_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The subject alternative names of the generated certificate: always
 * DNS:localhost, IP:127.0.0.1 and IP:::1, the --listen address, then the
 * --tls-names list (comma-separated DNS names and IPv4/IPv6 addresses;
 * "@hostname" stands for this machine's host name, which in a container is
 * the container's). Empty entries are skipped, duplicates dropped, DNS names
 * kept in lower case.
 */
#define TLS_NAMES_MAX  32
#define TLS_NAME_TEXT  254 /* a DNS name is at most 253 characters */
#define TLS_NAMES_HOST "@hostname"

struct tls_name {
	bool ip;
	unsigned char addr[16]; /* ip: the address in network order */
	size_t addr_len;        /* ip: 4 or 16 */
	char text[TLS_NAME_TEXT];
};

struct tls_names {
	struct tls_name items[TLS_NAMES_MAX];
	size_t count;
};

/* Checks the syntax of a --tls-names list; 0, or -1 with a one-line reason in err. */
int tls_names_check(const char *list, char *err, size_t size);

/* The names a certificate made now gets; 0, or -1 with the reason in err. */
int tls_names_wanted(struct tls_names *out, const char *listen_addr, const char *list, char *err,
                     size_t size);

/* The DNS and IP names of a PEM certificate; -1 if it does not parse. */
int tls_names_of_cert(struct tls_names *out, const char *cert_pem);

/* Whether a and b hold the same names, in any order. */
bool tls_names_same(const struct tls_names *a, const struct tls_names *b);

/* "localhost,127.0.0.1,::1,...", cut short to fit size. */
void tls_names_format(const struct tls_names *names, char *out, size_t size);

#endif

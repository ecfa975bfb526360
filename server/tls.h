#ifndef EKV_SERVER_TLS_H
#define EKV_SERVER_TLS_H

#include <stddef.h>

/* The HTTPS listener's certificate and key, as PEM text. */
struct tls_material {
	char *cert_pem; /* owned; free with tls_material_release */
	char *key_pem;
	char cert_path[1024]; /* where the certificate is on disk; "" if only in memory */
	int generated;        /* made by this start */
};

/*
 * Loads cert_path and key_path when given. Otherwise loads, or on first
 * start generates with GnuTLS, a self-signed certificate (ECDSA P-256, SAN
 * IP:127.0.0.1, IP:::1, DNS:localhost, and listen_addr) in dir as cert.pem and
 * key.pem; dir NULL keeps a fresh one in memory. Returns 0, or -1 after
 * logging.
 */
int tls_material_load(struct tls_material *m, const char *cert_path, const char *key_path,
                      const char *dir, const char *listen_addr);
void tls_material_release(struct tls_material *m);

/* 0 if GnuTLS accepts the priority string; else -1 after logging where it fails. */
int tls_priorities_check(const char *priorities);

#endif

#ifndef EKV_SERVER_TLS_H
#define EKV_SERVER_TLS_H

#include <stddef.h>

#define TLS_PATH_MAX 1100

/* The HTTPS listener's certificate and key, as PEM text. */
struct tls_material {
	char *cert_pem; /* owned; free with tls_material_release */
	char *key_pem;
	char cert_path[TLS_PATH_MAX]; /* where the certificate is on disk; "" if only in memory */
	char names[2048];             /* a generated certificate's names, comma-separated */
	int generated;                /* made by this start */
	int replaced;                 /* made because the names changed; the old pair is *.old */
};

/* Where the certificate comes from. */
struct tls_source {
	const char *cert_path; /* --tls-cert and --tls-key; "" or NULL to generate */
	const char *key_path;
	const char *dir;         /* where a generated pair lives; NULL keeps it in memory */
	const char *listen_addr; /* goes into a generated certificate when numeric */
	const char *names;       /* --tls-names, checked by tls_names_check() */
};

/*
 * Loads cert_path and key_path when given. Otherwise loads dir/cert.pem and
 * dir/key.pem, made by an earlier start, if the certificate carries exactly
 * the names of server/tls_names.h; if not (first start, or the names
 * changed), generates with GnuTLS a self-signed ECDSA P-256 certificate for
 * them, keeping an earlier pair aside as cert.pem.old and key.pem.old.
 * Returns 0, or -1 after logging.
 */
int tls_material_load(struct tls_material *m, const struct tls_source *src);
void tls_material_release(struct tls_material *m);

/* 0 if GnuTLS accepts the priority string; else -1 after logging where it fails. */
int tls_priorities_check(const char *priorities);

/* The version of the GnuTLS this process runs with (static text). */
const char *tls_library_version(void);

#endif

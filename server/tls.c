#include "server/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "server/tls_names.h"

#define VALID_SECONDS (10LL * 365 * 86400)

static char *read_file(const char *path)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	if (close(fd) != 0 || n < 0 || (size_t)n != len)
		return -1;
	return 0;
}

static int add_sans(gnutls_x509_crt_t crt, const struct tls_names *names)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < names->count; i++) {
		const struct tls_name *n = &names->items[i];

		rc = n->ip ? gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS,
		                                                  n->addr, (unsigned)n->addr_len,
		                                                  GNUTLS_FSAN_APPEND)
		           : gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, n->text,
		                                                  (unsigned)strlen(n->text),
		                                                  GNUTLS_FSAN_APPEND);
	}
	return rc;
}

/* Makes a self-signed certificate that Node accepts through NODE_EXTRA_CA_CERTS. */
/* The certificate's fields and extensions for key and names; a GnuTLS code. */
static int fill_certificate(gnutls_x509_crt_t crt, gnutls_x509_privkey_t key,
                            const struct tls_names *names)
{
	unsigned char serial[16], key_id[64];
	size_t key_id_len = sizeof(key_id);
	time_t now = time(NULL);
	int rc;

	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f; /* a positive serial number */
	rc = gnutls_x509_crt_set_version(crt, 3);
	if (rc == 0)
		rc = gnutls_x509_crt_set_serial(crt, serial, sizeof(serial));
	if (rc == 0)
		rc = gnutls_x509_crt_set_activation_time(crt, now - 86400);
	if (rc == 0)
		rc = gnutls_x509_crt_set_expiration_time(crt, now + VALID_SECONDS);
	if (rc == 0)
		rc = gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0,
		                                   "edgekv-emulator", 15);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key(crt, key);
	if (rc == 0)
		rc = add_sans(crt, names);
	/* A CA flag lets OpenSSL (Node) take it as its own trust anchor. */
	if (rc == 0)
		rc = gnutls_x509_crt_set_basic_constraints(crt, 1, -1);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
		                                                GNUTLS_KEY_KEY_CERT_SIGN);
	if (rc == 0)
		rc = gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0);
	if (rc == 0)
		rc = gnutls_x509_crt_get_key_id(crt, 0, key_id, &key_id_len);
	if (rc == 0)
		rc = gnutls_x509_crt_set_subject_key_id(crt, key_id, key_id_len);
	return rc;
}

static int generate(struct tls_material *m, const struct tls_names *names)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t cert_pem = {NULL, 0}, key_pem = {NULL, 0};
	int rc = gnutls_x509_privkey_init(&key);

	if (rc == 0)
		rc = gnutls_x509_privkey_generate(
		        key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (rc == 0)
		rc = gnutls_x509_crt_init(&crt);
	if (rc == 0)
		rc = fill_certificate(crt, key, names);
	if (rc == 0)
		rc = gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0);
	if (rc == 0)
		rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cert_pem);
	if (rc == 0)
		rc = gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &key_pem);
	if (rc == 0) {
		m->cert_pem = xmemdupz(cert_pem.data, cert_pem.size);
		m->key_pem = xmemdupz(key_pem.data, key_pem.size);
		m->generated = 1;
	} else {
		log_error("tls: cannot make a certificate: %s", gnutls_strerror(rc));
	}
	gnutls_free(cert_pem.data);
	gnutls_free(key_pem.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return rc == 0 ? 0 : -1;
}

/* Moves cert.pem and key.pem to cert.pem.old and key.pem.old (the key keeps its 0600). */
static int keep_aside(const char *cert_file, const char *key_file)
{
	char old[TLS_PATH_MAX + 8];

	snprintf(old, sizeof(old), "%s.old", cert_file);
	if (rename(cert_file, old) != 0 && errno != ENOENT)
		return -1;
	snprintf(old, sizeof(old), "%s.old", key_file);
	if (rename(key_file, old) != 0 && errno != ENOENT)
		return -1;
	return 0;
}

/*
 * dir/cert.pem and dir/key.pem when both are there and the certificate
 * carries exactly the wanted names; else a new pair, the old one kept aside.
 */
static int load_or_generate(struct tls_material *m, const char *dir, const struct tls_names *want)
{
	char key_file[TLS_PATH_MAX];
	struct tls_names have;

	snprintf(m->cert_path, sizeof(m->cert_path), "%s/cert.pem", dir);
	snprintf(key_file, sizeof(key_file), "%s/key.pem", dir);
	m->cert_pem = read_file(m->cert_path);
	m->key_pem = read_file(key_file);
	if (m->cert_pem && m->key_pem && tls_names_of_cert(&have, m->cert_pem) == 0 &&
	    tls_names_same(&have, want))
		return 0;
	if (m->cert_pem) {
		if (keep_aside(m->cert_path, key_file) != 0) {
			log_error("tls: cannot keep '%s' aside: %s", m->cert_path, strerror(errno));
			tls_material_release(m);
			return -1;
		}
		log_info("tls: the certificate names changed; the previous one is now '%s.old'",
		         m->cert_path);
		m->replaced = 1;
	}
	free(m->cert_pem);
	free(m->key_pem);
	m->cert_pem = m->key_pem = NULL;
	if (generate(m, want) != 0)
		return -1;
	if (write_file(key_file, m->key_pem, strlen(m->key_pem), 0600) != 0 ||
	    write_file(m->cert_path, m->cert_pem, strlen(m->cert_pem), 0644) != 0) {
		log_error("tls: cannot write '%s': %s", m->cert_path, strerror(errno));
		tls_material_release(m);
		return -1;
	}
	return 0;
}

int tls_material_load(struct tls_material *m, const struct tls_source *src)
{
	struct tls_names want;
	char err[256];

	memset(m, 0, sizeof(*m));
	if (src->cert_path && *src->cert_path) {
		m->cert_pem = read_file(src->cert_path);
		m->key_pem = read_file(src->key_path);
		if (!m->cert_pem || !m->key_pem) {
			log_error("tls: cannot read '%s': %s",
			          !m->cert_pem ? src->cert_path : src->key_path, strerror(errno));
			tls_material_release(m);
			return -1;
		}
		snprintf(m->cert_path, sizeof(m->cert_path), "%s", src->cert_path);
		return 0;
	}
	if (tls_names_wanted(&want, src->listen_addr, src->names, err, sizeof(err)) != 0) {
		log_error("tls: %s", err);
		return -1;
	}
	tls_names_format(&want, m->names, sizeof(m->names));
	return src->dir ? load_or_generate(m, src->dir, &want) : generate(m, &want);
}

void tls_material_release(struct tls_material *m)
{
	if (!m)
		return;
	free(m->cert_pem);
	free(m->key_pem);
	m->cert_pem = m->key_pem = NULL;
}

int tls_priorities_check(const char *priorities)
{
	gnutls_priority_t p;
	const char *where = NULL;
	int rc = gnutls_priority_init(&p, priorities, &where);

	if (rc != GNUTLS_E_SUCCESS) {
		log_error("--tls-priorities: %s at '%s'", gnutls_strerror(rc), where ? where : "");
		return -1;
	}
	gnutls_priority_deinit(p);
	return 0;
}

const char *tls_library_version(void)
{
	return gnutls_check_version(NULL);
}

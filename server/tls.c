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

static int add_ip_san(gnutls_x509_crt_t crt, const char *addr)
{
	unsigned char bin[16];

	if (inet_pton(AF_INET, addr, bin) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, bin, 4,
		                                            GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, addr, bin) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, bin, 16,
		                                            GNUTLS_FSAN_APPEND);
	return GNUTLS_E_SUCCESS;
}

/* Makes a self-signed certificate that Node accepts through NODE_EXTRA_CA_CERTS. */
static int generate(struct tls_material *m, const char *listen_addr)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t cert_pem = {NULL, 0}, key_pem = {NULL, 0};
	unsigned char serial[16], key_id[64];
	size_t key_id_len = sizeof(key_id);
	time_t now = time(NULL);
	int rc;

	gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial));
	serial[0] &= 0x7f; /* a positive serial number */
	rc = gnutls_x509_privkey_init(&key);
	if (rc == 0)
		rc = gnutls_x509_privkey_generate(
		        key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0);
	if (rc == 0)
		rc = gnutls_x509_crt_init(&crt);
	if (rc == 0)
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
		rc = gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, "localhost", 9,
		                                          GNUTLS_FSAN_APPEND);
	if (rc == 0)
		rc = add_ip_san(crt, "127.0.0.1");
	if (rc == 0)
		rc = add_ip_san(crt, "::1");
	if (rc == 0 && strcmp(listen_addr, "127.0.0.1") != 0 && strcmp(listen_addr, "::1") != 0)
		rc = add_ip_san(crt, listen_addr);
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

int tls_material_load(struct tls_material *m, const char *cert_path, const char *key_path,
                      const char *dir, const char *listen_addr)
{
	char key_file[1100];

	memset(m, 0, sizeof(*m));
	if (cert_path && *cert_path) {
		m->cert_pem = read_file(cert_path);
		m->key_pem = read_file(key_path);
		if (!m->cert_pem || !m->key_pem) {
			log_error("tls: cannot read '%s': %s", !m->cert_pem ? cert_path : key_path,
			          strerror(errno));
			tls_material_release(m);
			return -1;
		}
		snprintf(m->cert_path, sizeof(m->cert_path), "%s", cert_path);
		return 0;
	}
	if (!dir)
		return generate(m, listen_addr);
	snprintf(m->cert_path, sizeof(m->cert_path), "%s/cert.pem", dir);
	snprintf(key_file, sizeof(key_file), "%s/key.pem", dir);
	m->cert_pem = read_file(m->cert_path);
	m->key_pem = read_file(key_file);
	if (m->cert_pem && m->key_pem)
		return 0;
	free(m->cert_pem);
	free(m->key_pem);
	m->cert_pem = m->key_pem = NULL;
	if (generate(m, listen_addr) != 0)
		return -1;
	if (write_file(key_file, m->key_pem, strlen(m->key_pem), 0600) != 0 ||
	    write_file(m->cert_path, m->cert_pem, strlen(m->cert_pem), 0644) != 0) {
		log_error("tls: cannot write '%s': %s", m->cert_path, strerror(errno));
		tls_material_release(m);
		return -1;
	}
	return 0;
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

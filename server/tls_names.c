#include "server/tls_names.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"

/*
 * Letters, digits, '-' and '_' in labels of 1 to 63 (underscores: Compose
 * service names); the last label not all digits, so that 10.0.0.256 is no name.
 */
static bool valid_dns_name(const char *name)
{
	size_t label = 0, len = strlen(name);
	bool digits_only = true;

	if (len == 0 || len >= TLS_NAME_TEXT)
		return false;
	if (strncmp(name, "*.", 2) == 0)
		name += 2;
	for (const char *p = name;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			if (*p == '\0')
				return !digits_only;
			label = 0;
			digits_only = true;
			continue;
		}
		digits_only = digits_only && isdigit((unsigned char)*p);
		if (!isalnum((unsigned char)*p) && *p != '_' && (*p != '-' || label == 0))
			return false;
		label++;
	}
}

static bool has_name(const struct tls_names *n, const struct tls_name *one)
{
	for (size_t i = 0; i < n->count; i++) {
		const struct tls_name *it = &n->items[i];

		if (it->ip == one->ip &&
		    (one->ip ? it->addr_len == one->addr_len &&
		                       memcmp(it->addr, one->addr, one->addr_len) == 0
		             : strcmp(it->text, one->text) == 0))
			return true;
	}
	return false;
}

/* Parses one name (an address or a DNS name) into *out; false if it is neither. */
static bool parse_name(const char *text, struct tls_name *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, out->addr) == 1)
		out->addr_len = 4;
	else if (inet_pton(AF_INET6, text, out->addr) == 1)
		out->addr_len = 16;
	if (out->addr_len) {
		out->ip = true;
		inet_ntop(out->addr_len == 4 ? AF_INET : AF_INET6, out->addr, out->text,
		          sizeof(out->text));
		return true;
	}
	if (!valid_dns_name(text))
		return false;
	for (size_t i = 0; text[i]; i++)
		out->text[i] = (char)tolower((unsigned char)text[i]);
	return true;
}

static int add_name(struct tls_names *n, const char *text, char *err, size_t size)
{
	struct tls_name one;
	char host[TLS_NAME_TEXT];

	if (strcmp(text, TLS_NAMES_HOST) == 0) {
		if (gethostname(host, sizeof(host)) != 0)
			host[0] = '\0';
		host[sizeof(host) - 1] = '\0';
		text = host;
	}
	if (!parse_name(text, &one)) {
		snprintf(err, size, "--tls-names: '%s' is neither a DNS name nor an IP address",
		         text);
		return -1;
	}
	if (has_name(n, &one))
		return 0;
	if (n->count == TLS_NAMES_MAX) {
		snprintf(err, size, "--tls-names: at most %d names", TLS_NAMES_MAX - 4);
		return -1;
	}
	n->items[n->count++] = one;
	return 0;
}

/* Adds every entry of the comma-separated list, spaces around entries ignored. */
static int add_list(struct tls_names *n, const char *list, char *err, size_t size)
{
	char entry[TLS_NAME_TEXT];

	while (list && *list) {
		const char *comma = strchr(list, ',');
		size_t len = comma ? (size_t)(comma - list) : strlen(list);

		while (len && isspace((unsigned char)*list))
			list++, len--;
		while (len && isspace((unsigned char)list[len - 1]))
			len--;
		if (len >= sizeof(entry)) {
			snprintf(err, size, "--tls-names: a name is longer than 253 characters");
			return -1;
		}
		memcpy(entry, list, len);
		entry[len] = '\0';
		if (len && add_name(n, entry, err, size) != 0)
			return -1;
		list = comma ? comma + 1 : NULL;
	}
	return 0;
}

int tls_names_check(const char *list, char *err, size_t size)
{
	struct tls_names n = {.count = 4}; /* the four built-in names take room too */

	return add_list(&n, list, err, size);
}

int tls_names_wanted(struct tls_names *out, const char *listen_addr, const char *list, char *err,
                     size_t size)
{
	struct tls_name listen;

	out->count = 0;
	if (add_name(out, "localhost", err, size) != 0 ||
	    add_name(out, "127.0.0.1", err, size) != 0 || add_name(out, "::1", err, size) != 0)
		return -1;
	/* The listen address is numeric; anything else stays out of the certificate. */
	if (parse_name(listen_addr, &listen) && listen.ip && !has_name(out, &listen))
		out->items[out->count++] = listen;
	return add_list(out, list, err, size);
}

int tls_names_of_cert(struct tls_names *out, const char *cert_pem)
{
	gnutls_x509_crt_t crt;
	char *copy = xstrdup(cert_pem); /* gnutls_datum_t takes a pointer to non-const */
	gnutls_datum_t pem = {(unsigned char *)copy, (unsigned)strlen(copy)};
	int rc;

	out->count = 0;
	if (gnutls_x509_crt_init(&crt) != 0) {
		free(copy);
		return -1;
	}
	rc = gnutls_x509_crt_import(crt, &pem, GNUTLS_X509_FMT_PEM);
	for (unsigned seq = 0; rc == 0 && out->count < TLS_NAMES_MAX; seq++) {
		struct tls_name *it = &out->items[out->count];
		char data[TLS_NAME_TEXT];
		size_t len = sizeof(data) - 1;
		int type = gnutls_x509_crt_get_subject_alt_name(crt, seq, data, &len, NULL);

		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type < 0) {
			rc = type;
		} else if (type == GNUTLS_SAN_IPADDRESS && (len == 4 || len == 16)) {
			memset(it, 0, sizeof(*it));
			it->ip = true;
			it->addr_len = len;
			memcpy(it->addr, data, len);
			inet_ntop(len == 4 ? AF_INET : AF_INET6, it->addr, it->text,
			          sizeof(it->text));
			out->count++;
		} else if (type == GNUTLS_SAN_DNSNAME) {
			data[len] = '\0';
			if (parse_name(data, it) && !it->ip)
				out->count++;
		}
	}
	gnutls_x509_crt_deinit(crt);
	free(copy);
	return rc == 0 ? 0 : -1;
}

bool tls_names_same(const struct tls_names *a, const struct tls_names *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (!has_name(b, &a->items[i]))
			return false;
	return true;
}

void tls_names_format(const struct tls_names *names, char *out, size_t size)
{
	size_t used = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < names->count && used < size; i++) {
		int n = snprintf(out + used, size - used, "%s%s", i ? "," : "",
		                 names->items[i].text);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* server/tls_names.c: the names of the generated certificate, and reading them back. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server/tls.h"
#include "server/tls_names.h"
#include "tests/unit/unit.h"

static char err[256];

/* The formatted names a certificate made now would carry. */
static const char *wanted(const char *listen_addr, const char *list)
{
	static char text[2048];
	struct tls_names names;

	err[0] = '\0';
	if (tls_names_wanted(&names, listen_addr, list, err, sizeof(err)) != 0)
		return NULL;
	tls_names_format(&names, text, sizeof(text));
	return text;
}

static void loopback_names_come_first_then_listen_then_the_list(void **state)
{
	(void)state;
	assert_string_equal(wanted("127.0.0.1", ""), "localhost,127.0.0.1,::1");
	assert_string_equal(wanted("::1", NULL), "localhost,127.0.0.1,::1");
	assert_string_equal(wanted("0.0.0.0", ""), "localhost,127.0.0.1,::1,0.0.0.0");
	assert_string_equal(wanted("127.0.0.1", " EdgeKV , 10.0.0.7,,0:0::1,edgekv,*.ekv.test,a_b"),
	                    "localhost,127.0.0.1,::1,edgekv,10.0.0.7,*.ekv.test,a_b");
	assert_string_equal(wanted("192.168.1.2", "fd00::0:7"),
	                    "localhost,127.0.0.1,::1,192.168.1.2,fd00::7");
}

static void at_hostname_is_this_hosts_name(void **state)
{
	char host[256], expect[512];

	(void)state;
	assert_int_equal(gethostname(host, sizeof(host)), 0);
	for (char *p = host; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	snprintf(expect, sizeof(expect), "localhost,127.0.0.1,::1,edgekv,%s", host);
	assert_string_equal(wanted("127.0.0.1", "edgekv,@hostname"), expect);
}

static void names_that_are_neither_dns_nor_ip_are_refused(void **state)
{
	static const char *const bad[] = {
	        "-edgekv",
	        "edgekv-",
	        "a..b",
	        ".edgekv",
	        "edgekv.",
	        "[::1]",
	        "10.0.0.256",
	        "host name",
	        "ekv:8443",
	        "http://ekv",
	        "*",
	        "a.*.b",
	        "0123456789012345678901234567890123456789012345678901234567890123.test",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char expect[256];

		if (tls_names_check(bad[i], err, sizeof(err)) != -1)
			fail_msg("'%s' was accepted", bad[i]);
		snprintf(expect, sizeof(expect),
		         "--tls-names: '%s' is neither a DNS name nor an IP address", bad[i]);
		assert_string_equal(err, expect);
	}
	assert_int_equal(
	        tls_names_check("edgekv,*.ekv.test,10.1.2.3,::,@hostname", err, sizeof(err)), 0);
}

static void at_most_28_names_beside_the_built_in_ones(void **state)
{
	char list[1024] = "";

	(void)state;
	for (int i = 0; i < 28; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "n%d,", i);
	assert_int_equal(tls_names_check(list, err, sizeof(err)), 0);
	snprintf(list + strlen(list), sizeof(list) - strlen(list), "n28");
	assert_int_equal(tls_names_check(list, err, sizeof(err)), -1);
	assert_string_equal(err, "--tls-names: at most 28 names");
}

static void a_generated_certificate_carries_exactly_the_wanted_names(void **state)
{
	struct tls_material m;
	struct tls_source src = {NULL, NULL, NULL, "0.0.0.0", "edgekv,10.0.0.7,fd00::1"};
	struct tls_names want, have, other;
	char text[512];

	(void)state;
	assert_int_equal(tls_material_load(&m, &src), 0);
	assert_string_equal(m.names, "localhost,127.0.0.1,::1,0.0.0.0,edgekv,10.0.0.7,fd00::1");
	assert_int_equal(tls_names_of_cert(&have, m.cert_pem), 0);
	tls_names_format(&have, text, sizeof(text));
	assert_string_equal(text, m.names);
	assert_int_equal(
	        tls_names_wanted(&want, "0.0.0.0", "fd00::1,EDGEKV,10.0.0.7", err, sizeof(err)), 0);
	assert_true(tls_names_same(&have, &want));
	assert_int_equal(tls_names_wanted(&other, "0.0.0.0", "edgekv", err, sizeof(err)), 0);
	assert_false(tls_names_same(&have, &other));
	assert_int_equal(tls_names_of_cert(&other, "-----BEGIN CERTIFICATE-----\nAAAA\n"), -1);
	tls_material_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("localhost, 127.0.0.1 and ::1 come first, then --listen, then the list",
	             loopback_names_come_first_then_listen_then_the_list),
	        TEST("@hostname is this host's name", at_hostname_is_this_hosts_name),
	        TEST("names that are neither DNS names nor IP addresses are refused",
	             names_that_are_neither_dns_nor_ip_are_refused),
	        TEST("at most 28 names beside the built-in ones",
	             at_most_28_names_beside_the_built_in_ones),
	        TEST("a generated certificate carries exactly the wanted names",
	             a_generated_certificate_carries_exactly_the_wanted_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

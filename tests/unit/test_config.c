/* server/config.c: defaults, every flag and its environment twin, bad values (exact errors). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/config.h"
#include "tests/unit/unit.h"

static struct server_config cfg;
static char err[256];

/* Every EDGEKV_* variable of the table unset, so the caller's environment cannot leak in. */
static void clear_env(void)
{
	struct config_option_doc d;

	for (size_t i = 0; i < config_option_count(); i++) {
		config_option_doc(i, &d);
		if (d.env)
			unsetenv(d.env);
	}
}

static int setup(void **state)
{
	(void)state;
	clear_env();
	memset(&cfg, 0, sizeof(cfg));
	err[0] = '\0';
	return 0;
}

/* config_load over a NULL-terminated argument list (argv[0] added), copied as main gets it. */
static int load_args(const char *const *args)
{
	static char copies[8][256];
	char *argv[8] = {copies[0]};
	int argc = 1;

	snprintf(copies[0], sizeof(copies[0]), "edgekv-emulator");
	for (; args && args[argc - 1]; argc++) {
		assert_true(argc < 8);
		snprintf(copies[argc], sizeof(copies[argc]), "%s", args[argc - 1]);
		argv[argc] = copies[argc];
	}
	return config_load(&cfg, argc, argv, err, sizeof(err));
}

#define LOAD(...) load_args((const char *const[]){__VA_ARGS__, NULL})

static void defaults_without_environment_or_flags(void **state)
{
	(void)state;
	assert_int_equal(load_args(NULL), 0);
	assert_string_equal(cfg.listen, "127.0.0.1");
	assert_int_equal(cfg.http_port, 8080);
	assert_int_equal(cfg.https_port, 8443);
	assert_string_equal(cfg.db, "./edgekv-data/edgekv.db");
	assert_string_equal(cfg.tls_cert, "");
	assert_string_equal(cfg.tls_key, "");
	assert_string_equal(cfg.tls_names, "");
	assert_int_equal(cfg.threads, 0);
	assert_int_equal(cfg.max_body, 1048576);
	assert_string_equal(cfg.auth, "strict");
	assert_int_equal(cfg.auth_window, 300);
	assert_false(cfg.auth_any_scheme);
	assert_string_equal(cfg.admin_secret, "");
	assert_string_equal(cfg.seed, "");
	assert_false(cfg.uninitialized);
	assert_false(cfg.no_standard_tls);
	assert_true(cfg.access_log);
	assert_string_equal(cfg.token_workflow, "auto");
	assert_int_equal(cfg.token_limit, 100);
	assert_int_equal(cfg.token_activation_s, 5);
	assert_string_equal(cfg.data_plane_network, "staging");
	assert_false(cfg.help || cfg.version || cfg.probe);
}

/* One variable, its value, and what it must set. */
struct twin {
	const char *env;
	const char *value;
	void (*check)(void);
};

static void check_listen(void)
{
	assert_string_equal(cfg.listen, "::");
}
static void check_http_port(void)
{
	assert_int_equal(cfg.http_port, CONFIG_PORT_OFF);
}
static void check_https_port(void)
{
	assert_int_equal(cfg.https_port, 0);
}
static void check_db(void)
{
	assert_string_equal(cfg.db, ":memory:");
}
static void check_tls_cert(void)
{
	assert_string_equal(cfg.tls_cert, "/etc/ekv/cert.pem");
}
static void check_tls_key(void)
{
	assert_string_equal(cfg.tls_key, "/etc/ekv/key.pem");
}
static void check_tls_names(void)
{
	assert_string_equal(cfg.tls_names, "edgekv,10.0.0.7,@hostname");
}
static void check_threads(void)
{
	assert_int_equal(cfg.threads, 3);
}
static void check_max_body(void)
{
	assert_int_equal(cfg.max_body, 2048);
}
static void check_auth(void)
{
	assert_string_equal(cfg.auth, "soft");
}
static void check_auth_window(void)
{
	assert_int_equal(cfg.auth_window, 60);
}
static void check_auth_any_scheme(void)
{
	assert_true(cfg.auth_any_scheme);
}
static void check_admin_secret(void)
{
	assert_string_equal(cfg.admin_secret, "s3cret");
}
static void check_seed(void)
{
	assert_string_equal(cfg.seed, "/srv/fixtures");
}
static void check_uninitialized(void)
{
	assert_true(cfg.uninitialized);
}
static void check_no_standard_tls(void)
{
	assert_true(cfg.no_standard_tls);
}
static void check_no_access_log(void)
{
	assert_false(cfg.access_log);
}
static void check_token_workflow(void)
{
	assert_string_equal(cfg.token_workflow, "enhanced");
}
static void check_token_limit(void)
{
	assert_int_equal(cfg.token_limit, 7);
}
static void check_token_activation_delay(void)
{
	assert_int_equal(cfg.token_activation_s, 0);
}
static void check_data_plane_network(void)
{
	assert_string_equal(cfg.data_plane_network, "PRODUCTION");
}

static void check_max_upload(void)
{
	assert_int_equal(cfg.max_upload, 5000000);
}

static void check_header_timeout(void)
{
	assert_int_equal(cfg.header_timeout, 3);
}

static void check_idle_timeout(void)
{
	assert_int_equal(cfg.idle_timeout, 7);
}

static void check_min_body_rate(void)
{
	assert_int_equal(cfg.min_body_rate, 100);
}

static void check_max_connections(void)
{
	assert_int_equal(cfg.max_connections, 500);
}

static void check_max_connections_per_ip(void)
{
	assert_int_equal(cfg.max_connections_per_ip, 9);
}

static void check_tls_priorities(void)
{
	assert_string_equal(cfg.tls_priorities, "NORMAL");
}

static void check_allow_remote_dev_client(void)
{
	assert_true(cfg.allow_remote_dev_client);
}

static void check_control_any_peer(void)
{
	assert_true(cfg.control_any_peer);
}

static const struct twin twins[] = {
        {"EDGEKV_LISTEN", "::", check_listen},
        {"EDGEKV_HTTP_PORT", "off", check_http_port},
        {"EDGEKV_HTTPS_PORT", "0", check_https_port},
        {"EDGEKV_DB", ":memory:", check_db},
        {"EDGEKV_TLS_CERT", "/etc/ekv/cert.pem", check_tls_cert},
        {"EDGEKV_TLS_KEY", "/etc/ekv/key.pem", check_tls_key},
        {"EDGEKV_TLS_NAMES", "edgekv,10.0.0.7,@hostname", check_tls_names},
        {"EDGEKV_THREADS", "3", check_threads},
        {"EDGEKV_MAX_BODY", "2048", check_max_body},
        {"EDGEKV_AUTH", "soft", check_auth},
        {"EDGEKV_AUTH_WINDOW", "60", check_auth_window},
        {"EDGEKV_AUTH_ANY_SCHEME", "1", check_auth_any_scheme},
        {"EDGEKV_ADMIN_SECRET", "s3cret", check_admin_secret},
        {"EDGEKV_SEED", "/srv/fixtures", check_seed},
        {"EDGEKV_UNINITIALIZED", "true", check_uninitialized},
        {"EDGEKV_NO_STANDARD_TLS", "yes", check_no_standard_tls},
        {"EDGEKV_NO_ACCESS_LOG", "1", check_no_access_log},
        {"EDGEKV_TOKEN_WORKFLOW", "enhanced", check_token_workflow},
        {"EDGEKV_TOKEN_LIMIT", "7", check_token_limit},
        {"EDGEKV_TOKEN_ACTIVATION_DELAY", "0", check_token_activation_delay},
        {"EDGEKV_DATA_PLANE_NETWORK", "PRODUCTION", check_data_plane_network},
        {"EDGEKV_MAX_UPLOAD", "5000000", check_max_upload},
        {"EDGEKV_HEADER_TIMEOUT", "3", check_header_timeout},
        {"EDGEKV_IDLE_TIMEOUT", "7", check_idle_timeout},
        {"EDGEKV_MIN_BODY_RATE", "100", check_min_body_rate},
        {"EDGEKV_MAX_CONNECTIONS", "500", check_max_connections},
        {"EDGEKV_MAX_CONNECTIONS_PER_IP", "9", check_max_connections_per_ip},
        {"EDGEKV_TLS_PRIORITIES", "NORMAL", check_tls_priorities},
        {"EDGEKV_ALLOW_REMOTE_DEV_CLIENT", "1", check_allow_remote_dev_client},
        {"EDGEKV_CONTROL_ANY_PEER", "1", check_control_any_peer},
};

#define TWIN_COUNT (sizeof(twins) / sizeof(twins[0]))

/* The certificate and key go together; the twins that set one alone get the other too. */
static void set_partner(const char *env)
{
	if (strcmp(env, "EDGEKV_TLS_CERT") == 0)
		setenv("EDGEKV_TLS_KEY", "/etc/ekv/key.pem", 1);
	else if (strcmp(env, "EDGEKV_TLS_KEY") == 0)
		setenv("EDGEKV_TLS_CERT", "/etc/ekv/cert.pem", 1);
}

static void every_environment_twin_sets_its_field(void **state)
{
	(void)state;
	for (size_t i = 0; i < TWIN_COUNT; i++) {
		clear_env();
		setenv(twins[i].env, twins[i].value, 1);
		set_partner(twins[i].env);
		if (load_args(NULL) != 0)
			fail_msg("%s=%s: %s", twins[i].env, twins[i].value, err);
		twins[i].check();
	}
	clear_env();
}

/* The twins above cover the table: a new option without a row here fails. */
static void every_variable_of_the_table_is_tested(void **state)
{
	struct config_option_doc d;
	size_t envs = 0;

	(void)state;
	for (size_t i = 0; i < config_option_count(); i++) {
		bool found = false;

		config_option_doc(i, &d);
		if (!d.env)
			continue;
		envs++;
		for (size_t t = 0; t < TWIN_COUNT; t++)
			found = found || strcmp(twins[t].env, d.env) == 0;
		if (!found)
			fail_msg("%s (%s) has no test", d.env, d.flag);
	}
	assert_int_equal(envs, TWIN_COUNT);
}

/* Each flag, with its value as the next argument or after '=', sets what its twin sets. */
static void every_flag_sets_its_field_in_both_forms(void **state)
{
	struct config_option_doc d;

	(void)state;
	for (size_t i = 0; i < config_option_count(); i++) {
		config_option_doc(i, &d);
		for (size_t t = 0; d.env && t < TWIN_COUNT; t++) {
			char joined[128];
			const char *cert = "--tls-cert=/etc/ekv/cert.pem",
			           *key = "--tls-key=/etc/ekv/key.pem";

			if (strcmp(twins[t].env, d.env) != 0)
				continue;
			snprintf(joined, sizeof(joined), "%s=%s", d.flag, twins[t].value);
			if (LOAD(joined, cert, key) != 0)
				fail_msg("%s: %s", joined, err);
			twins[t].check();
			if (d.arg && LOAD(cert, key, d.flag, twins[t].value) != 0)
				fail_msg("%s %s: %s", d.flag, twins[t].value, err);
			twins[t].check();
		}
	}
}

static void a_flag_wins_over_its_variable(void **state)
{
	(void)state;
	setenv("EDGEKV_MAX_BODY", "4096", 1);
	setenv("EDGEKV_AUTH", "off", 1);
	assert_int_equal(LOAD("--max-body", "65536", "--auth=strict"), 0);
	assert_int_equal(cfg.max_body, 65536);
	assert_string_equal(cfg.auth, "strict");
	assert_int_equal(load_args(NULL), 0);
	assert_int_equal(cfg.max_body, 4096);
	assert_string_equal(cfg.auth, "off");
	clear_env();
}

static void switches_turn_off_with_0_false_or_off(void **state)
{
	(void)state;
	assert_int_equal(LOAD("--auth-any-scheme"), 0);
	assert_true(cfg.auth_any_scheme);
	setenv("EDGEKV_AUTH_ANY_SCHEME", "1", 1);
	assert_int_equal(LOAD("--auth-any-scheme=0"), 0);
	assert_false(cfg.auth_any_scheme);
	setenv("EDGEKV_AUTH_ANY_SCHEME", "false", 1);
	assert_int_equal(load_args(NULL), 0);
	assert_false(cfg.auth_any_scheme);
	setenv("EDGEKV_NO_ACCESS_LOG", "off", 1);
	assert_int_equal(load_args(NULL), 0);
	assert_true(cfg.access_log);
	assert_int_equal(LOAD("--no-access-log"), 0);
	assert_false(cfg.access_log);
	assert_int_equal(LOAD("--help", "--version", "--probe"), 0);
	assert_true(cfg.help && cfg.version && cfg.probe);
	clear_env();
}

static void an_empty_variable_is_ignored(void **state)
{
	(void)state;
	setenv("EDGEKV_HTTP_PORT", "", 1);
	setenv("EDGEKV_AUTH", "", 1);
	assert_int_equal(load_args(NULL), 0);
	assert_int_equal(cfg.http_port, 8080);
	assert_string_equal(cfg.auth, "strict");
	clear_env();
}

/* A bad command line and the one line of the reason. */
struct bad {
	const char *args[4];
	const char *error;
};

static const struct bad bad_lines[] = {
        {{"--bogus"}, "unknown option '--bogus' (see --help)"},
        {{"--listen"}, "--listen needs a value"},
        {{"--http-port", "http"}, "--http-port: invalid value 'http'"},
        {{"--https-port=65536"}, "--https-port: invalid value '65536'"},
        {{"--http-port=-1"}, "--http-port: invalid value '-1'"},
        {{"--http-port="}, "--http-port: invalid value ''"},
        {{"--max-body", "1k"}, "--max-body: invalid value '1k'"},
        {{"--threads", "257"}, "--threads: at most 256"},
        {{"--auth-window", "86401"}, "--auth-window: invalid value '86401'"},
        {{"--auth", "loose"}, "--auth must be strict, soft or off"},
        {{"--token-workflow", "jwt"}, "--token-workflow: invalid value 'jwt'"},
        {{"--token-limit", "-5"}, "--token-limit: invalid value '-5'"},
        {{"--data-plane-network", "prod"}, "--data-plane-network: invalid value 'prod'"},
        {{"--tls-cert", "/c.pem"}, "--tls-cert and --tls-key go together"},
        {{"--tls-key", "/k.pem"}, "--tls-cert and --tls-key go together"},
        {{"--tls-names", "edgekv,bad name"},
         "--tls-names: 'bad name' is neither a DNS name nor an IP address"},
        {{"--tls-names", "-edgekv"},
         "--tls-names: '-edgekv' is neither a DNS name nor an IP address"},
        {{"--listen", "0123456789012345678901234567890123456789012345678901234567890123"},
         "--listen: value too long"},
};

static void bad_values_are_refused_with_one_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		err[0] = '\0';
		if (load_args(bad_lines[i].args) != -1)
			fail_msg("'%s' was accepted", bad_lines[i].args[0]);
		assert_string_equal(err, bad_lines[i].error);
	}
}

static void a_bad_variable_names_its_flag(void **state)
{
	(void)state;
	setenv("EDGEKV_HTTPS_PORT", "99999", 1);
	assert_int_equal(load_args(NULL), -1);
	assert_string_equal(err, "--https-port: invalid value '99999'");
	clear_env();
	setenv("EDGEKV_TOKEN_WORKFLOW", "sometimes", 1);
	assert_int_equal(load_args(NULL), -1);
	assert_string_equal(err, "--token-workflow: invalid value 'sometimes'");
	clear_env();
}

static void help_lists_every_flag_and_variable(void **state)
{
	struct config_option_doc d;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	(void)state;
	config_usage(out);
	fclose(out);
	for (size_t i = 0; i < config_option_count(); i++) {
		char line[64];

		config_option_doc(i, &d);
		snprintf(line, sizeof(line), "\n  %s%s%s ", d.flag, d.arg ? " " : "",
		         d.arg ? d.arg : "");
		if (!strstr(text, line))
			fail_msg("--help has no line for %s", d.flag);
		if (d.env && !strstr(text, d.env))
			fail_msg("--help does not name %s", d.env);
	}
	free(text);
}

/* Each test starts with no EDGEKV_* variable set. */
#define CLEAN_TEST(sentence, fn)                                                                   \
	{                                                                                          \
		sentence, fn, setup, NULL, NULL                                                    \
	}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        CLEAN_TEST("the defaults, without environment or flags",
	                   defaults_without_environment_or_flags),
	        CLEAN_TEST("every environment twin sets its field",
	                   every_environment_twin_sets_its_field),
	        CLEAN_TEST("every variable of the option table is tested",
	                   every_variable_of_the_table_is_tested),
	        CLEAN_TEST("every flag sets its field, as '--flag value' and '--flag=value'",
	                   every_flag_sets_its_field_in_both_forms),
	        CLEAN_TEST("a flag wins over its variable (--max-body, --auth)",
	                   a_flag_wins_over_its_variable),
	        CLEAN_TEST("switches (--auth-any-scheme, --no-access-log) turn off with =0, false "
	                   "or off",
	                   switches_turn_off_with_0_false_or_off),
	        CLEAN_TEST("an empty variable is ignored", an_empty_variable_is_ignored),
	        CLEAN_TEST("bad values are refused with one exact reason",
	                   bad_values_are_refused_with_one_reason),
	        CLEAN_TEST("a bad variable is reported under its flag's name",
	                   a_bad_variable_names_its_flag),
	        CLEAN_TEST("--help lists every flag and variable",
	                   help_lists_every_flag_and_variable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

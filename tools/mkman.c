/*
 * Writes the manual page: copies the roff template on stdin to stdout,
 * replacing @VERSION@ and @DATE@ with argv[1] and argv[2], and the lines
 * @OPTIONS@ and @ENVIRONMENT@ with entries made from the option table of
 * server/config.c, the one --help prints.
 */
#include <stdio.h>
#include <string.h>

#include "server/config.h"

/* Roff text: '-' as \- (a real hyphen-minus when rendered), '\' as \e, a leading '.' or '\''. */
static void put_roff(const char *s, FILE *out)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", out);
		else if (*s == '\\')
			fputs("\\e", out);
		else
			fputc(*s, out);
	}
}

static void put_options(FILE *out)
{
	struct config_option_doc d;

	for (size_t i = 0; i < config_option_count(); i++) {
		config_option_doc(i, &d);
		fputs(d.arg ? ".TP\n.BI \"" : ".TP\n.B ", out);
		put_roff(d.flag, out);
		if (d.arg) {
			fputs(" \" \"", out);
			put_roff(d.arg, out);
			fputc('"', out);
		}
		fputc('\n', out);
		put_roff(d.help, out);
		fputs(".\n", out);
		if (d.env) {
			fputs("Environment: \\fB", out);
			put_roff(d.env, out);
			fputs("\\fR.\n", out);
		}
	}
}

static void put_environment(FILE *out)
{
	struct config_option_doc d;

	for (size_t i = 0; i < config_option_count(); i++) {
		config_option_doc(i, &d);
		if (!d.env)
			continue;
		fputs(".TP\n.B ", out);
		put_roff(d.env, out);
		fputs("\nAs \\fB", out);
		put_roff(d.flag, out);
		fputs("\\fR.\n", out);
	}
}

/* Copies line to out with every @VERSION@ and @DATE@ replaced. */
static void put_line(const char *line, const char *version, const char *date, FILE *out)
{
	const char *at;

	while ((at = strchr(line, '@')) != NULL) {
		fwrite(line, 1, (size_t)(at - line), out);
		if (strncmp(at, "@VERSION@", 9) == 0) {
			fputs(version, out);
			line = at + 9;
		} else if (strncmp(at, "@DATE@", 6) == 0) {
			fputs(date, out);
			line = at + 6;
		} else {
			fputc('@', out);
			line = at + 1;
		}
	}
	fputs(line, out);
}

int main(int argc, char **argv)
{
	char line[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: mkman VERSION DATE <template >page\n");
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		if (strcmp(line, "@OPTIONS@\n") == 0)
			put_options(stdout);
		else if (strcmp(line, "@ENVIRONMENT@\n") == 0)
			put_environment(stdout);
		else
			put_line(line, argv[1], argv[2], stdout);
	}
	return ferror(stdin) || fflush(stdout) != 0 ? 1 : 0;
}

#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>

static enum log_level current = LOG_INFO;
static const char *const prefix[] = {"error: ", "warning: ", "", "debug: "};

void log_set_level(enum log_level level)
{
	current = level;
}

int log_enabled(enum log_level level)
{
	return level <= current;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	if (!log_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s%s\n", prefix[level], line);
}

#ifndef EKV_BASE_LOG_H
#define EKV_BASE_LOG_H

/*
 * One line per call on stderr, prefixed with the level. Thread-safe (one
 * fprintf per line). Messages follow git's style: lowercase, problem first,
 * subject quoted.
 */
enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level level);
int log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)

#endif

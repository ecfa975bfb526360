#ifndef EKV_SERVER_TRACE_H
#define EKV_SERVER_TRACE_H

#include <stdarg.h>

/* What the HTTP layer tells of requests: their ids, and libmicrohttpd's own messages. */

/*
 * A request's id: 16 lowercase hex characters from GnuTLS's nonce generator,
 * sent back as X-Trace-Id (the CLI prints it) and used as
 * additionalDetail.requestId in problem bodies.
 */
void trace_id_new(char out[17]);

/*
 * MHD_OPTION_EXTERNAL_LOGGER: one warning line per libmicrohttpd message
 * (fmt is the library's own printf format).
 */
__attribute__((format(printf, 2, 0))) void trace_library_message(void *cls, const char *fmt,
                                                                 va_list ap);

#endif

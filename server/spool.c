#include "server/spool.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/disk_full.h"
#include "base/log.h"
#include "base/xalloc.h"
#include "server/gzip.h"

void spool_open(struct spool *s, const char *dir, const char *content_encoding)
{
	size_t size = strlen(dir) + 32;
	int fd;

	memset(s, 0, sizeof(*s));
	s->path = xmalloc(size);
	snprintf(s->path, size, "%s/upload-XXXXXX", dir);
	fd = mkstemp(s->path);
	s->file = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!s->file) {
		s->write_error = errno ? errno : EIO; /* the handler refuses it */
		log_error("http: cannot spool an upload in '%s': %s", dir,
		          strerror(s->write_error));
		if (fd >= 0) {
			close(fd);
			unlink(s->path);
		}
		free(s->path);
		s->path = NULL;
		return;
	}
	if (content_encoding && strcasecmp(content_encoding, "gzip") == 0)
		s->gunzip = gunzip_new();
	else if (content_encoding && *content_encoding &&
	         strcasecmp(content_encoding, "identity") != 0)
		s->encoding_unknown = true;
}

void spool_add(struct spool *s, struct buf *sent, const void *data, size_t len, size_t max)
{
	struct buf plain = BUF_INIT;
	const void *bytes = data;
	size_t n = len;

	if (sent->len < SPOOL_SIGNED_PREFIX)
		buf_add(sent, data,
		        len < SPOOL_SIGNED_PREFIX - sent->len ? len
		                                              : SPOOL_SIGNED_PREFIX - sent->len);
	if (!s->file || s->too_large || s->encoding_unknown || s->encoding_invalid ||
	    s->write_error)
		return;
	if (s->gunzip) {
		if (gunzip_feed(s->gunzip, data, len, &plain) != 0)
			s->encoding_invalid = true;
		bytes = plain.ptr;
		n = plain.len;
	}
	if (s->size + n > max) {
		s->too_large = true;
	} else if (n && fwrite(bytes, 1, n, s->file) != n) {
		s->write_error = errno ? errno : EIO;
		log_error("http: cannot write '%s': %s", s->path, strerror(s->write_error));
	} else {
		s->size += n;
	}
	buf_release(&plain);
}

void spool_finish(struct spool *s, struct api_request *in)
{
	/* The buffer's last bytes reach the disk here: a full disk may show only now. */
	if (s->file && fclose(s->file) != 0 && !s->write_error) {
		s->write_error = errno ? errno : EIO;
		log_error("http: cannot write '%s': %s", s->path, strerror(s->write_error));
	}
	s->file = NULL;
	if (s->gunzip && !s->too_large && !s->write_error && !gunzip_done(s->gunzip))
		s->encoding_invalid = true; /* cut short */
	in->body_file = s->path;
	in->body_too_large = s->too_large;
	in->body_encoding_unknown = s->encoding_unknown;
	in->body_encoding_invalid = s->encoding_invalid;
	in->body_write_failed = s->write_error != 0;
	in->body_disk_full = disk_full(s->write_error);
}

void spool_release(struct spool *s)
{
	if (s->file)
		fclose(s->file);
	if (s->path) /* gone already when the handler kept it as a job's file */
		unlink(s->path);
	free(s->path);
	gunzip_free(s->gunzip);
	memset(s, 0, sizeof(*s));
}

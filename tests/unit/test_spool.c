/*
 * server/spool.c: a bulk upload's body as it reaches the disk. A write the disk refuses is
 * told to the handler as such (body_write_failed, body_disk_full for want of room), never as
 * a body that is not valid gzip. /dev/full stands in for a full disk: every write to it fails
 * with ENOSPC; a stream open only for reading stands in for any other failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "api/core/request.h"
#include "server/spool.h"
#include "tests/unit/unit.h"

#define CHUNK 65536 /* past stdio's buffer: the write reaches the disk in spool_add() */

static char dir[] = "/tmp/ekv-spool-XXXXXX";

static int make_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return rmdir(dir);
}

/* A spool in dir whose file is swapped for path opened with mode. */
static void open_on(struct spool *s, const char *encoding, const char *path, const char *mode)
{
	spool_open(s, dir, encoding);
	assert_non_null(s->file);
	fclose(s->file);
	s->file = fopen(path, mode);
	assert_non_null(s->file);
}

/* gzip of len bytes of 'x', in a buffer the caller frees. */
static unsigned char *gzip_of(size_t len, size_t *out_len)
{
	unsigned char *plain = malloc(len), *coded = malloc(len + 1024);
	z_stream z = {0};

	assert_non_null(plain);
	assert_non_null(coded);
	memset(plain, 'x', len);
	assert_int_equal(deflateInit2(&z, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = plain;
	z.avail_in = (uInt)len;
	z.next_out = coded;
	z.avail_out = (uInt)(len + 1024);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	free(plain);
	return coded;
}

static void a_full_disk_is_told_as_such(void **state)
{
	static char body[CHUNK];
	struct spool s;
	struct api_request in = {0};
	struct buf sent = BUF_INIT;

	(void)state;
	memset(body, 'x', sizeof(body));
	open_on(&s, NULL, "/dev/full", "wb");
	spool_add(&s, &sent, body, sizeof(body), 1 << 20);
	spool_finish(&s, &in);
	assert_true(in.body_write_failed);
	assert_true(in.body_disk_full);
	assert_false(in.body_encoding_invalid);
	assert_false(in.body_too_large);
	spool_release(&s);
	buf_release(&sent);
}

static void a_full_disk_at_the_last_flush_is_told_too(void **state)
{
	struct spool s;
	struct api_request in = {0};
	struct buf sent = BUF_INIT;

	(void)state;
	open_on(&s, NULL, "/dev/full", "wb");
	spool_add(&s, &sent, "g,k,v\n", 6, 1 << 20); /* stays in stdio's buffer */
	spool_finish(&s, &in);
	assert_true(in.body_write_failed);
	assert_true(in.body_disk_full);
	spool_release(&s);
	buf_release(&sent);
}

static void a_full_disk_under_gzip_is_not_a_gzip_error(void **state)
{
	size_t len;
	unsigned char *coded = gzip_of(4 * (size_t)CHUNK, &len);
	struct spool s;
	struct api_request in = {0};
	struct buf sent = BUF_INIT;

	(void)state;
	open_on(&s, "gzip", "/dev/full", "wb");
	spool_add(&s, &sent, coded, len / 2, 1 << 20); /* the rest never comes to be read */
	spool_add(&s, &sent, coded + len / 2, len - len / 2, 1 << 20);
	spool_finish(&s, &in);
	assert_true(in.body_write_failed);
	assert_true(in.body_disk_full);
	assert_false(in.body_encoding_invalid);
	spool_release(&s);
	buf_release(&sent);
	free(coded);
}

static void another_write_failure_is_not_a_full_disk(void **state)
{
	static char body[CHUNK];
	struct spool s;
	struct api_request in = {0};
	struct buf sent = BUF_INIT;

	(void)state;
	memset(body, 'x', sizeof(body));
	open_on(&s, NULL, "/dev/null", "rb"); /* EBADF on write */
	spool_add(&s, &sent, body, sizeof(body), 1 << 20);
	spool_finish(&s, &in);
	assert_true(in.body_write_failed);
	assert_false(in.body_disk_full);
	assert_false(in.body_encoding_invalid);
	spool_release(&s);
	buf_release(&sent);
}

static void a_body_written_whole_is_no_failure(void **state)
{
	struct spool s;
	struct api_request in = {0};
	struct buf sent = BUF_INIT;
	char back[16] = "";
	FILE *f;

	(void)state;
	spool_open(&s, dir, NULL);
	spool_add(&s, &sent, "g,k,v\n", 6, 1 << 20);
	spool_finish(&s, &in);
	assert_false(in.body_write_failed);
	assert_false(in.body_disk_full);
	f = fopen(in.body_file, "rb");
	assert_non_null(f);
	assert_int_equal(fread(back, 1, sizeof(back), f), 6);
	fclose(f);
	assert_string_equal(back, "g,k,v\n");
	spool_release(&s); /* removes the file */
	buf_release(&sent);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        TEST("a write refused for want of room is a full disk, not invalid gzip",
	             a_full_disk_is_told_as_such),
	        TEST("a full disk that shows only when the file is closed is told too",
	             a_full_disk_at_the_last_flush_is_told_too),
	        TEST("a full disk under a gzip-coded body is not reported as bad gzip",
	             a_full_disk_under_gzip_is_not_a_gzip_error),
	        TEST("a write that fails otherwise is a failed write, not a full disk",
	             another_write_failure_is_not_a_full_disk),
	        TEST("a body written whole reports no failure", a_body_written_whole_is_no_failure),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}

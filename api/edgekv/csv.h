#ifndef EKV_API_EDGEKV_CSV_H
#define EKV_API_EDGEKV_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/buf.h"

/*
 * A streaming reader of the bulk upload's CSV: RFC 4180 records (fields
 * split by commas; a field in double quotes may hold commas, line breaks and
 * "" for one quote), LF or CRLF line ends, empty lines skipped, a UTF-8 BOM
 * at the very start skipped. A quote inside an unquoted field is taken as it
 * is. One record is in memory at a time; a field longer than CSV_FIELD_MAX is
 * cut to CSV_FIELD_MAX + 1 bytes (still too long for any rule).
 */
#define CSV_FIELDS_KEPT 4                 /* groupId, itemId, value, retentionSeconds */
#define CSV_FIELD_MAX   (4 * 262144 + 16) /* the longest value, four bytes a character */

struct csv_reader {
	FILE *in;       /* borrowed */
	int64_t offset; /* bytes consumed, always at a record boundary between calls */
	struct buf field[CSV_FIELDS_KEPT];
	int back[3]; /* bytes read ahead and given back, the last one first */
	int back_count;
};

struct csv_record {
	size_t fields;    /* how many the record has (may be more than CSV_FIELDS_KEPT) */
	bool quote_fault; /* an unterminated quoted field, or text after a closing quote */
	const char *field[CSV_FIELDS_KEPT]; /* NUL-terminated, in the reader, until the next call */
	size_t len[CSV_FIELDS_KEPT];
};

/* Reads from in, whose position is offset bytes into the upload (0: its start). */
void csv_reader_init(struct csv_reader *r, FILE *in, int64_t offset);
void csv_reader_release(struct csv_reader *r);

/* The next record into rec; false at the end of the input. */
bool csv_next(struct csv_reader *r, struct csv_record *rec);

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
 */
bool csv_utf8_valid(const char *s, size_t len);

/* Appends field as one CSV field to out, quoted when it holds a comma, quote, CR or LF. */
void csv_field_add(struct buf *out, const char *field, size_t len);

#endif

#include "api/edgekv/csv.h"

#include <string.h>

void csv_reader_init(struct csv_reader *r, FILE *in, int64_t offset)
{
	r->in = in;
	r->offset = offset;
	r->back_count = 0;
	for (int i = 0; i < CSV_FIELDS_KEPT; i++)
		buf_init(&r->field[i]);
}

void csv_reader_release(struct csv_reader *r)
{
	for (int i = 0; i < CSV_FIELDS_KEPT; i++)
		buf_release(&r->field[i]);
}

static int next_char(struct csv_reader *r)
{
	int c = r->back_count > 0 ? r->back[--r->back_count] : getc(r->in);

	if (c != EOF)
		r->offset++;
	return c;
}

/* Gives c back (at most three at a time): the next next_char() returns it. */
static void give_back(struct csv_reader *r, int c)
{
	if (c == EOF)
		return;
	r->back[r->back_count++] = c;
	r->offset--;
}

/* After a CR: an LF that follows belongs to the same line end. */
static void eat_lf(struct csv_reader *r)
{
	int c = next_char(r);

	if (c != '\n')
		give_back(r, c);
}

static void keep(struct csv_reader *r, size_t field, char ch)
{
	if (field < CSV_FIELDS_KEPT && r->field[field].len <= CSV_FIELD_MAX)
		buf_addch(&r->field[field], ch);
}

/* Skips empty lines (and a BOM at offset 0); the first character of a record, or EOF. */
static int record_start(struct csv_reader *r)
{
	int c;

	if (r->offset == 0) {
		int bom[3] = {next_char(r), next_char(r), next_char(r)};

		if (bom[0] != 0xef || bom[1] != 0xbb || bom[2] != 0xbf)
			for (int i = 2; i >= 0; i--)
				give_back(r, bom[i]);
	}
	for (;;) {
		c = next_char(r);
		if (c == '\r')
			eat_lf(r);
		else if (c != '\n')
			return c;
	}
}

/*
 * A quoted field, from just after its opening quote. Returns the character
 * that ends it (',' '\n' or EOF); sets the fault and skips to the line end
 * when the quotes do not balance.
 */
static int quoted_field(struct csv_reader *r, size_t field, bool *fault)
{
	int c;

	for (;;) {
		c = next_char(r);
		if (c == EOF) {
			*fault = true;
			return EOF;
		}
		if (c != '"') {
			keep(r, field, (char)c);
			continue;
		}
		c = next_char(r);
		if (c == '"') {
			keep(r, field, '"');
			continue;
		}
		if (c == ',' || c == '\n' || c == EOF)
			return c;
		if (c == '\r') {
			eat_lf(r);
			return '\n';
		}
		*fault = true; /* text after the closing quote: skip the rest of the line */
		while ((c = next_char(r)) != EOF && c != '\n' && c != '\r')
			;
		if (c == '\r')
			eat_lf(r);
		return c == EOF ? EOF : '\n';
	}
}

/* An unquoted field starting with c; returns the character that ends it. */
static int plain_field(struct csv_reader *r, size_t field, int c)
{
	for (; c != EOF && c != ',' && c != '\n' && c != '\r'; c = next_char(r))
		keep(r, field, (char)c);
	if (c == '\r') {
		eat_lf(r);
		return '\n';
	}
	return c;
}

bool csv_next(struct csv_reader *r, struct csv_record *rec)
{
	int c = record_start(r), end;

	memset(rec, 0, sizeof(*rec));
	if (c == EOF)
		return false;
	for (int i = 0; i < CSV_FIELDS_KEPT; i++)
		buf_reset(&r->field[i]);
	do {
		size_t field = rec->fields++;

		if (c == '"')
			end = quoted_field(r, field, &rec->quote_fault);
		else
			end = plain_field(r, field, c);
		if (end == ',')
			c = next_char(r);
	} while (end == ',');
	for (size_t i = 0; i < CSV_FIELDS_KEPT; i++) {
		buf_addstr(&r->field[i], ""); /* NUL-terminated even when empty */
		rec->field[i] = r->field[i].ptr;
		rec->len[i] = r->field[i].len;
	}
	return true;
}

/* The length of the UTF-8 sequence at s (at most left bytes), or 0 if it is malformed. */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
	size_t n;
	unsigned lo = 0x80, hi = 0xbf;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (left < n)
		return 0;
	/* The second byte's range rules out overlongs, surrogates and code points past U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

bool csv_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_sequence(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

void csv_field_add(struct buf *out, const char *field, size_t len)
{
	bool quote = false;

	for (size_t i = 0; i < len && !quote; i++)
		quote = field[i] == ',' || field[i] == '"' || field[i] == '\r' || field[i] == '\n';
	if (!quote) {
		buf_add(out, field, len);
		return;
	}
	buf_addch(out, '"');
	for (size_t i = 0; i < len; i++) {
		if (field[i] == '"')
			buf_addch(out, '"');
		buf_addch(out, field[i]);
	}
	buf_addch(out, '"');
}

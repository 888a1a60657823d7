/*
 * A streaming RFC 4180 CSV reader: one record at a time from a FILE,
 * quoted fields with commas, doubled quotes and line breaks, CRLF or LF
 * line ends, a leading UTF-8 BOM skipped, and strict UTF-8 checking that
 * names the byte offset of the first invalid byte. A zero byte is an error
 * located the same way.
 */
#ifndef CAIRN_CSV_H
#define CAIRN_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "util/strbuf.h"

struct csv_record {
    size_t nfields;
    char **fields;     /* NUL-terminated, owned by the reader */
    long line;         /* physical line (1-based) where the record starts */
    long long offset;  /* byte offset of the record's first byte */
};

struct csv_options {
    char delimiter;     /* ',' by default */
    bool check_utf8;    /* reject invalid UTF-8 */
};

#define CSV_OPTIONS_INIT {',', true}

struct csv_reader;

/* The reader reads fp but does not close it. */
struct csv_reader *csv_open(FILE *fp, const struct csv_options *opts);
void csv_close(struct csv_reader *r);

/*
 * Reads the next record into *rec (valid until the next call). Blank lines
 * are skipped. Returns 1 for a record, 0 at end of input, -1 on a
 * malformed file with a message in err naming the line (and byte offset
 * for an encoding error); reading cannot go on after an error.
 */
int csv_next(struct csv_reader *r, struct csv_record **rec, struct strbuf *err);

/* The byte offset of an encoding error or zero byte found by the last
 * csv_next, or -1. */
long long csv_error_offset(const struct csv_reader *r);
/* Whether that error is a zero byte rather than invalid UTF-8. */
bool csv_error_zero_byte(const struct csv_reader *r);
/* The line of the last error, or 0. */
long csv_error_line(const struct csv_reader *r);

/* Appends a field to out, quoted when it needs quoting. */
void csv_write_field(struct strbuf *out, const char *field, char delimiter);

#endif

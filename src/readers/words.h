/*
 * A reader for whitespace-separated text: fields are separated by runs of
 * spaces and tabs, leading and trailing ones are ignored, and a field in
 * "double quotes" may hold spaces (a doubled quote is one quote). This is
 * what R's write.table, fixed-width-looking exports and many scientific
 * tools write. The input must be UTF-8; an invalid byte stops reading.
 */
#ifndef CAIRN_WORDS_H
#define CAIRN_WORDS_H

#include <stdbool.h>
#include <stdio.h>

#include "readers/source.h"

struct words_reader;

/* Reads fp (not closed by the reader); a leading UTF-8 BOM is skipped. */
struct words_reader *words_open(FILE *fp);
void words_close(struct words_reader *w);

/* Same contract as csv_next: 1, 0 at the end, -1 with a message. Blank
 * lines are skipped. */
int words_next(struct words_reader *w, struct source_record **rec, struct strbuf *err);
long words_error_line(const struct words_reader *w);
/* The stream offset of an invalid UTF-8 byte or a zero byte found by the
 * last call, or -1. */
long long words_error_offset(const struct words_reader *w);
/* Whether that error is a zero byte rather than invalid UTF-8. */
bool words_error_zero_byte(const struct words_reader *w);

#endif

/*
 * A source of records: one table read from a file, whatever its format:
 * delimited text (CSV, semicolon, tab or whitespace separated) in UTF-8,
 * GB18030 or UTF-16, or one sheet of an XLSX or XLS workbook. The
 * importer and reconcile read every input through it, one record at a
 * time, so no text file or XLSX sheet is ever held whole.
 */
#ifndef CAIRN_SOURCE_H
#define CAIRN_SOURCE_H

#include <stdbool.h>

#include "util/strbuf.h"

enum source_encoding {
    ENCODING_AUTO = 0,   /* BOM, else UTF-8, else GB18030 (see decode_sniff) */
    ENCODING_UTF8,
    ENCODING_GB18030,
    ENCODING_UTF16,      /* with a BOM giving the byte order */
};

struct source_options {
    enum source_encoding encoding;
    char delimiter;      /* 0: detect among ',', ';' and tab */
    const char *sheet;   /* workbook sheet name; NULL: the first sheet */
    /* Text files only: fields are separated by runs of spaces and tabs
     * (leading and trailing ones ignored, "double quotes" group). */
    bool whitespace_separated;
    /* The first record is data, not a header. The source returns every
     * record either way; the flag travels with the options for callers. */
    bool no_header;
};

struct source_record {
    size_t nfields;
    char **fields;       /* UTF-8, NUL-terminated, owned by the source */
    long line;           /* physical line (or sheet row) where it starts */
};

struct source;

/* Opens path for reading; NULL with a message in err. */
struct source *source_open(const char *path, const struct source_options *opts,
                           struct strbuf *err);
void source_close(struct source *src);

/*
 * Reads the next record into *rec, valid until the next call. Returns 1,
 * 0 at the end, or -1 when the file cannot be read further, with a message
 * in err; then source_error_line and source_error_offset locate it.
 */
int source_next(struct source *src, struct source_record **rec, struct strbuf *err);
long source_error_line(const struct source *src);
long long source_error_offset(const struct source *src); /* -1 when none */

/* How the source names itself in reports: the path, plus "#sheet". */
const char *source_name(const struct source *src);

/* The encoding a text source is read in (after detection); ENCODING_UTF8
 * for workbooks, whose text is always Unicode. */
enum source_encoding source_encoding_used(const struct source *src);
/* "UTF-8", "GB18030" or "UTF-16"; "auto" for ENCODING_AUTO. */
const char *source_encoding_name(enum source_encoding enc);
/* Parses an --encoding value (auto, utf-8, utf8, gb18030, gbk, utf-16),
 * case-insensitively; returns 0, or -1 for an unknown name. */
int source_encoding_parse(const char *name, enum source_encoding *enc);

/*
 * Lists the sheet names of the workbook at path, in workbook order, into
 * a NULL-terminated array that the caller frees with source_free_names.
 * Returns the number of sheets, or -1 with a message in err (also for a
 * file that is not a workbook).
 */
long source_sheet_names(const char *path, char ***names, struct strbuf *err);
void source_free_names(char **names);

#endif

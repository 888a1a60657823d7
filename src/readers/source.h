/*
 * A source of records: one table read from a file, whatever its format
 * (CSV in any encoding and delimiter today; XLSX and XLS sheets behind
 * the same interface). The importer and reconcile read every input
 * through it, one record at a time, so no file is ever held whole.
 */
#ifndef CAIRN_SOURCE_H
#define CAIRN_SOURCE_H

#include <stdbool.h>

#include "util/strbuf.h"

enum source_encoding {
    ENCODING_AUTO = 0,   /* BOM, else strict UTF-8, else GB18030 */
    ENCODING_UTF8,
    ENCODING_GB18030,
    ENCODING_UTF16,      /* with a BOM giving the byte order */
};

struct source_options {
    enum source_encoding encoding;
    char delimiter;      /* 0: detect among ',', ';' and tab */
    const char *sheet;   /* workbook sheet name; NULL: the first sheet */
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

#endif

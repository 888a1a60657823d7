/*
 * The CSV source: a UTF-8 file read by the streaming CSV reader.
 * NOTE: only UTF-8 (with or without BOM) and an explicit or detected
 * delimiter are handled here; other encodings and workbook formats are
 * to be added behind source_open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readers/source.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct source {
    char *name;
    FILE *fp;
    struct csv_reader *csv;
    struct source_record rec;
};

/* Picks the delimiter that occurs most often outside quotes in the first
 * line: comma, semicolon or tab; comma when none occurs. */
static char detect_delimiter(FILE *fp)
{
    static const char candidates[] = {',', ';', '\t'};
    long counts[3] = {0, 0, 0};
    bool quoted = false;
    int c, best = 0;

    while ((c = fgetc(fp)) != EOF) {
        if (c == '"')
            quoted = !quoted;
        if (!quoted && (c == '\n' || c == '\r'))
            break;
        for (int i = 0; i < 3; i++)
            if (!quoted && c == candidates[i])
                counts[i]++;
    }
    rewind(fp);
    for (int i = 1; i < 3; i++)
        if (counts[i] > counts[best])
            best = i;
    return candidates[best];
}

struct source *source_open(const char *path, const struct source_options *opts,
                           struct strbuf *err)
{
    struct csv_options copts = CSV_OPTIONS_INIT;
    struct source *src;
    FILE *fp = fopen(path, "rb");

    if (!fp) {
        sb_addf(err, _("cannot open %s: %m"), path);
        return NULL;
    }
    src = xcalloc(1, sizeof(*src));
    src->name = xstrdup(path);
    src->fp = fp;
    copts.delimiter = opts && opts->delimiter ? opts->delimiter : detect_delimiter(fp);
    src->csv = csv_open(fp, &copts);
    return src;
}

void source_close(struct source *src)
{
    if (!src)
        return;
    csv_close(src->csv);
    if (src->fp)
        fclose(src->fp);
    free(src->name);
    free(src);
}

int source_next(struct source *src, struct source_record **rec, struct strbuf *err)
{
    struct csv_record *r;
    int rc = csv_next(src->csv, &r, err);

    if (rc != 1)
        return rc;
    src->rec.nfields = r->nfields;
    src->rec.fields = r->fields;
    src->rec.line = r->line;
    *rec = &src->rec;
    return 1;
}

long source_error_line(const struct source *src)
{
    return csv_error_line(src->csv);
}

long long source_error_offset(const struct source *src)
{
    return csv_error_offset(src->csv);
}

const char *source_name(const struct source *src)
{
    return src->name;
}

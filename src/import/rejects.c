/*
 * The rejected-rows file of --skip-bad-rows: every rejected row with its
 * source columns as read, then the columns source, line and reason. With
 * files of different headers, the columns are the union of their headers
 * in order of first appearance. The source rows are read again from the
 * files, so the import does not hold every raw row in memory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/run.h"
#include "mapping/mapping.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* The union of the headers of the files with rejected rows. */
static void collect_columns(struct import_run *run, struct strmap *columns, char ***names,
                            size_t *n)
{
    size_t alloc = 0;

    for (size_t i = 0; i < run->nfiles; i++) {
        const struct import_file *f = run->files[i];

        if (!f->rejected)
            continue;
        for (size_t c = 0; c < f->nheaders; c++) {
            int added;

            strmap_put(columns, f->headers[c], strlen(f->headers[c]), (int64_t)*n, &added);
            if (added) {
                XGROW(*names, alloc, *n + 1);
                (*names)[(*n)++] = f->headers[c];
            }
        }
    }
}

/* The reasons of each rejected row of f, joined by "; ". */
static char **reasons_by_row(const struct import_file *f)
{
    char **by_row = xcalloc(f->nrows ? f->nrows : 1, sizeof(*by_row));
    struct strbuf sb = STRBUF_INIT;

    for (size_t i = 0; i < f->nreasons; i++) {
        const struct row_reason *r = &f->reasons[i];

        sb_reset(&sb);
        if (by_row[r->row]) {
            sb_add(&sb, by_row[r->row]);
            sb_add(&sb, "; ");
            free(by_row[r->row]);
        }
        sb_add(&sb, r->message);
        by_row[r->row] = xstrdup(sb.buf);
    }
    sb_release(&sb);
    return by_row;
}

static int write_file_rejects(struct import_run *run, const struct import_file *f, FILE *out,
                              const struct strmap *columns, size_t ncolumns, struct strbuf *err)
{
    struct strbuf line = STRBUF_INIT;
    const char **values = xcalloc(ncolumns, sizeof(*values));
    char **reasons = reasons_by_row(f);
    struct source_record *rec;
    /* The rows are read again: from the file, or from the mapping's SELECT. */
    struct source *src = f->target ? NULL : source_open(f->path, &run->opts->source, err);
    struct mapping_rows *mr = f->target ? mapping_rows_open(f->target, err) : NULL;
    const char *row_source = NULL;
    size_t row = 0;
    int rc = -1;
    char num[32];

    if (!src && !mr)
        goto out;
    if ((mr ? mapping_rows_next(mr, &rec, &row_source, err) : source_next(src, &rec, err)) != 1)
        goto out;
    while ((mr ? mapping_rows_next(mr, &rec, &row_source, err) : source_next(src, &rec, err)) ==
               1 &&
           row < f->nrows) {
        if (f->states[row] & ROW_REJECTED) {
            for (size_t c = 0; c < ncolumns; c++)
                values[c] = "";
            for (size_t c = 0; c < rec->nfields && c < f->nheaders; c++)
                values[*strmap_find(columns, f->headers[c], strlen(f->headers[c]))] =
                    rec->fields[c];
            sb_reset(&line);
            for (size_t c = 0; c < ncolumns; c++) {
                csv_write_field(&line, values[c], ',');
                sb_addch(&line, ',');
            }
            snprintf(num, sizeof(num), "%ld", f->lines[row]);
            csv_write_field(&line,
                            row_source ? row_source : f->source ? f->source : f->path, ',');
            sb_addf(&line, ",%s,", num);
            csv_write_field(&line, reasons[row] ? reasons[row] : "", ',');
            sb_addch(&line, '\n');
            fwrite(line.buf, 1, line.len, out);
        }
        row++;
    }
    rc = 0;
out:
    source_close(src);
    mapping_rows_close(mr);
    for (size_t i = 0; i < f->nrows; i++)
        free(reasons[i]);
    free(reasons);
    free(values);
    sb_release(&line);
    return rc;
}

int write_rejects(struct import_run *run, const char *path, struct strbuf *err)
{
    struct strmap columns = STRMAP_INIT;
    struct strbuf line = STRBUF_INIT;
    char **names = NULL;
    size_t n = 0;
    FILE *out = fopen(path, "wb");
    int rc = -1;

    if (!out) {
        sb_addf(err, _("cannot write %s: %s"), path, strerror(errno));
        return -1;
    }
    collect_columns(run, &columns, &names, &n);
    for (size_t c = 0; c < n; c++) {
        csv_write_field(&line, names[c], ',');
        sb_addch(&line, ',');
    }
    sb_add(&line, "source,line,reason\n");
    fwrite(line.buf, 1, line.len, out);

    for (size_t i = 0; i < run->nfiles; i++)
        if (run->files[i]->rejected &&
            write_file_rejects(run, run->files[i], out, &columns, n, err))
            goto out;
    rc = 0;
out:
    if ((ferror(out) | fclose(out)) && !rc) {
        sb_addf(err, _("cannot write %s: %s"), path, strerror(errno));
        rc = -1;
    }
    strmap_release(&columns);
    free(names);
    sb_release(&line);
    return rc;
}

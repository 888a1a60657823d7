/*
 * Reads a flat table for "cairn model eval --csv": the header and every
 * record of a text file or the first workbook sheet, through the import
 * readers, so GBK, UTF-16, a BOM, XLSX and XLS all work as they do for
 * imports. The table is held whole because cross-validation needs every
 * row at once.
 */
#include <stdlib.h>
#include <string.h>

#include "models/models.h"
#include "readers/source.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Returns a copy of s without leading and trailing spaces and tabs. */
static char *trimmed_copy(const char *s)
{
    size_t len;

    while (*s == ' ' || *s == '\t')
        s++;
    len = strlen(s);
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    return xstrndup(s, len);
}

static bool record_is_blank(const struct source_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        for (const char *c = rec->fields[i]; *c; c++)
            if (*c != ' ' && *c != '\t' && *c != '\r')
                return false;
    }
    return true;
}

int flat_table_read(const char *path, struct flat_table *t, struct strbuf *err)
{
    struct source_options opts = {0};
    struct source *src;
    struct source_record *rec;
    size_t alloc = 0;
    int rc = -1, got;

    memset(t, 0, sizeof(*t));
    src = source_open(path, &opts, err);
    if (!src)
        return -1;

    /* The header: the first record that is not blank. */
    while ((got = source_next(src, &rec, err)) == 1 && record_is_blank(rec))
        ;
    if (got < 0)
        goto out;
    if (got == 0) {
        sb_addf(err, _("%s: the file is empty; a header row is required"), path);
        goto out;
    }
    t->ncols = rec->nfields;
    t->names = xcalloc(t->ncols, sizeof(char *));
    for (size_t i = 0; i < t->ncols; i++)
        t->names[i] = trimmed_copy(rec->fields[i]);

    /* The records, padded to the header's width. */
    while ((got = source_next(src, &rec, err)) == 1) {
        if (record_is_blank(rec))
            continue;
        if (rec->nfields > t->ncols) {
            sb_addf(err, _("%s, line %ld: %zu fields but the header has %zu"),
                    source_name(src), rec->line, rec->nfields, t->ncols);
            goto out;
        }
        xgrow((void **)&t->cells, &alloc, (t->nrows + 1) * t->ncols, sizeof(char *));
        for (size_t i = 0; i < t->ncols; i++)
            t->cells[t->nrows * t->ncols + i] =
                trimmed_copy(i < rec->nfields ? rec->fields[i] : "");
        t->nrows++;
    }
    if (got < 0)
        goto out;
    rc = 0;

out:
    source_close(src);
    if (rc < 0)
        flat_table_free(t);
    return rc;
}

void flat_table_free(struct flat_table *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        free(t->names[i]);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->names);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

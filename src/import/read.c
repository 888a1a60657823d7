/*
 * Reading one file of an import run: the header, then every row, each
 * field converted by its type and the row's key checked against the
 * earlier rows of the same file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/run.h"
#include "mapping/mapping.h"
#include "readers/aliases.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define PROGRESS_EVERY 4096

/* Appends s to the file's text storage; returns its offset. */
static int64_t store_text(struct import_file *f, const char *s)
{
    int64_t off;

    if (!f->text.len)
        sb_addch(&f->text, '\0'); /* offset 0 is NULL */
    off = (int64_t)f->text.len;
    sb_add(&f->text, s);
    sb_addch(&f->text, '\0');
    return off;
}

static char *trim_copy(const char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return xstrndup(s, n);
}

/* The lenient mode of the run's date order. */
static enum value_mode lenient_mode(const struct import_run *run)
{
    switch (run->opts->date_order) {
    case DATE_ORDER_DMY:
        return VALUE_LENIENT_DMY;
    case DATE_ORDER_MDY:
        return VALUE_LENIENT_MDY;
    default:
        return VALUE_LENIENT;
    }
}

/* Maps the header's columns onto the entity's fields: by canonical name,
 * else through the alias table (which makes the file foreign, its values
 * read leniently). Unknown columns are warnings; a repeated or missing
 * required column fails the file. */
static void map_header(struct import_run *run, struct import_file *f,
                       const struct source_record *rec)
{
    const struct entity_def *e = f->entity;
    struct strbuf msg = STRBUF_INIT;

    f->nheaders = rec->nfields;
    f->headers = xcalloc(rec->nfields, sizeof(*f->headers));
    for (size_t i = 0; i < e->nfields; i++)
        f->field_source[i] = -1;

    for (size_t c = 0; c < rec->nfields; c++) {
        char *name = trim_copy(rec->fields[c]);
        size_t i;

        f->headers[c] = xstrdup(rec->fields[c]);
        for (i = 0; i < e->nfields; i++)
            if (!strcasecmp(e->fields[i].name, name))
                break;
        if (i == e->nfields) {
            const char *alias = alias_lookup(e->name, rec->fields[c]);

            for (i = 0; alias && i < e->nfields; i++)
                if (!strcmp(e->fields[i].name, alias))
                    break;
            if (alias && i < e->nfields)
                f->mode = lenient_mode(run);
            else
                i = e->nfields;
        }
        if (i == e->nfields) {
            run_warning(run, _("%s: column '%s' is not a column of %s and is ignored"),
                        f->source ? f->source : f->path, rec->fields[c], e->file);
        } else if (f->field_source[i] >= 0) {
            sb_setf(&msg, _("column '%s' appears twice (columns %d and %zu): remove one of them"),
                    e->fields[i].name, f->field_source[i] + 1, c + 1);
            run_error(run, f, (size_t)-1, rec->line, (int)i, NULL, -1, msg.buf);
        } else {
            f->field_source[i] = (int)c;
        }
        free(name);
    }

    for (size_t i = 0; i < e->nfields; i++) {
        if (f->field_source[i] >= 0 || !(e->fields[i].flags & FF_REQUIRED))
            continue;
        sb_setf(&msg, _("the required column '%s' is missing: add it to the header row of %s"),
                e->fields[i].name, e->file);
        run_error(run, f, (size_t)-1, rec->line, (int)i, NULL, -1, msg.buf);
    }
    sb_release(&msg);
}

static size_t add_row(struct import_file *f, long line)
{
    size_t row = f->nrows++;
    size_t ncols = f->layout.ncols;

    if (f->nrows > f->rows_alloc) {
        XGROW(f->lines, f->rows_alloc, f->nrows);
        f->states = xrealloc(f->states, f->rows_alloc);
        if (f->target)
            f->row_sources = xrealloc(f->row_sources, f->rows_alloc * sizeof(*f->row_sources));
    }
    XGROW(f->cells, f->cells_alloc, f->nrows * ncols);
    f->lines[row] = line;
    f->states[row] = 0;
    if (f->target)
        f->row_sources[row] = f->cur_source;
    for (size_t c = 0; c < ncols; c++)
        f->cells[row * ncols + c] = f->layout.cols[c].integer ? CELL_INT_NULL : 0;
    return row;
}

/* Builds the row's key: the key cells joined by a unit separator. */
static void row_key(const struct import_file *f, size_t row, struct strbuf *key)
{
    sb_reset(key);
    for (size_t k = 0; k < f->layout.nkeys; k++) {
        const char *s = cell_text(f, row, f->layout.keys[k]);

        if (k)
            sb_addch(key, '\x1f');
        sb_add(key, s ? s : "");
    }
}

/* Describes a key for messages: "E01, 2024-03-01". */
static void key_for_message(const struct import_file *f, size_t row, struct strbuf *out)
{
    for (size_t k = 0; k < f->layout.nkeys; k++) {
        const char *s = cell_text(f, row, f->layout.keys[k]);

        sb_addf(out, "%s%s", k ? ", " : "", s ? s : "");
    }
}

static void check_duplicate(struct import_run *run, struct import_file *f, size_t row,
                            struct strbuf *key)
{
    struct strbuf msg = STRBUF_INIT, shown = STRBUF_INIT;
    int added;
    int64_t *first;
    size_t first_row;
    size_t key_field = f->layout.cols[f->layout.keys[0]].field_index;

    row_key(f, row, key);
    first = strmap_put(&f->keys, key->buf, key->len, (int64_t)row, &added);
    if (added)
        return;
    first_row = (size_t)*first;
    key_for_message(f, row, &shown);
    sb_setf(&msg, _("lines %ld and %ld have the same key (%s): keep one of the two rows"),
            f->lines[first_row], f->lines[row], shown.buf);
    if (!(f->states[first_row] & ROW_REJECTED))
        run_error(run, f, first_row, f->lines[first_row], (int)key_field, shown.buf, -1, msg.buf);
    run_error(run, f, row, f->lines[row], (int)key_field, shown.buf, -1, msg.buf);
    sb_release(&msg);
    sb_release(&shown);
}

static void read_row(struct import_run *run, struct import_file *f,
                     const struct source_record *rec, struct field_value *v, struct strbuf *key)
{
    const struct entity_def *e = f->entity;
    struct strbuf msg = STRBUF_INIT;
    size_t row = add_row(f, rec->line);
    int64_t *cells;
    bool key_ok = true;

    if (rec->nfields != f->nheaders) {
        sb_setf(&msg, _("the row has %zu fields but the header has %zu: check for a missing or extra comma, or quote values that contain commas"),
                rec->nfields, f->nheaders);
        run_error(run, f, row, rec->line, -1, NULL, -1, msg.buf);
        f->states[row] |= ROW_NO_KEY;
        sb_release(&msg);
        return;
    }

    for (size_t i = 0; i < e->nfields; i++) {
        const struct field_def *fd = &e->fields[i];
        const char *raw = f->field_source[i] >= 0 ? rec->fields[f->field_source[i]] : "";
        size_t col = table_source_column(&f->layout, i);

        sb_reset(&msg);
        if (field_convert(fd, raw, f->mode, run->tz, v, &msg)) {
            run_error(run, f, row, rec->line, (int)i, raw, -1, msg.buf);
            if (fd->flags & FF_KEY)
                key_ok = false;
            continue;
        }
        cells = row_cells(f, row);
        if (v->kind == CELL_INT) {
            cells[col] = v->i;
        } else if (v->kind == CELL_TEXT && fd->type == FT_EVENT_DATE) {
            cells[col] = store_text(f, v->given);
            cells[col - 1] = store_text(f, v->text);
        } else if (v->kind == CELL_TEXT) {
            cells[col] = store_text(f, v->text);
        }
    }
    sb_release(&msg);

    if (!key_ok) {
        f->states[row] |= ROW_NO_KEY;
        return;
    }
    check_duplicate(run, f, row, key);
}

/* The next record of the file's source, or of its mapping target's
 * SELECT (which also names the record's source). As source_next. */
static int next_record(struct import_file *f, struct source *src, struct mapping_rows *mr,
                       struct source_record **rec, struct strbuf *msg)
{
    if (mr)
        return mapping_rows_next(mr, rec, &f->cur_source, msg);
    return source_next(src, rec, msg);
}

int read_import_file(struct import_run *run, struct import_file *f, struct strbuf *err)
{
    struct field_value v = FIELD_VALUE_INIT;
    struct strbuf msg = STRBUF_INIT, key = STRBUF_INIT;
    struct source_record *rec;
    struct source *src = NULL;
    struct mapping_rows *mr = NULL;
    int rc;

    (void)err;
    if (f->target) {
        /* A mapping's SELECT yields canonical names and foreign values. */
        mr = mapping_rows_open(f->target, &msg);
        f->mode = lenient_mode(run);
        if (!mr) {
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
            goto out;
        }
    } else {
        src = source_open(f->path, &run->opts->source, &msg);
        if (!src) {
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
            goto out;
        }
        /* A workbook names its sheet ("path#sheet"); its cells are foreign,
         * as are the values of a file given with --kind. */
        if (strcmp(source_name(src), f->path))
            f->source = xstrdup(source_name(src));
        if (f->source || f->mode != VALUE_STRICT || run->opts->date_order != DATE_ORDER_NONE)
            f->mode = lenient_mode(run);
    }

    /* The header row. */
    rc = next_record(f, src, mr, &rec, &msg);
    if (rc == 0) {
        run_error(run, f, (size_t)-1, 0, -1, NULL, -1,
                  _("the file is empty: it needs a header row with the column names"));
        goto out;
    }
    if (rc < 0)
        goto read_failed;
    map_header(run, f, rec);
    if (f->failed)
        goto out;

    /* The rows. */
    while ((rc = next_record(f, src, mr, &rec, &msg)) == 1) {
        read_row(run, f, rec, &v, &key);
        run->rows_read++;
        if (run->opts->progress && run->rows_read % PROGRESS_EVERY == 0)
            run->opts->progress(run->opts->progress_ctx, run->rows_read);
    }
    if (rc == 0)
        goto out;

read_failed:
    run_error(run, f, (size_t)-1, src ? source_error_line(src) : 0, -1, NULL,
              src ? source_error_offset(src) : -1, msg.buf);
out:
    /* Duplicates are only looked for within one file, so the key map can
     * go now; references use their own key sets. */
    strmap_release(&f->keys);
    source_close(src);
    mapping_rows_close(mr);
    field_value_release(&v);
    sb_release(&msg);
    sb_release(&key);
    return 0;
}

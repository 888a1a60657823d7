/*
 * Reading one file of an import run: the header, then every row, each
 * field converted by its type and the row's key checked against the
 * earlier rows of the same file. Once every file is read, the keys are
 * checked across the files of the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>

#include "import/bulk.h"
#include "import/run.h"
#include "mapping/mapping.h"
#include "readers/aliases.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define PROGRESS_EVERY 4096
/* The maximum number of bytes of a malformed line shown as its value. */
#define MAX_SHOWN_LINE 200

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
                e->fields[i].name, f->source ? f->source : f->path);
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
    rules_check_row(run, f, row, rec);

    if (!key_ok) {
        f->states[row] |= ROW_NO_KEY;
        return;
    }
    check_duplicate(run, f, row, key);
}

/* Reads physical line number line of the text file at path into out, cut
 * to MAX_SHOWN_LINE bytes. Returns false when there is no such line or it
 * is not valid UTF-8, because a report value must be valid UTF-8. */
static bool read_physical_line(const char *path, long line, struct strbuf *out)
{
    FILE *fp = fopen(path, "rb");
    long at = 1;
    int c;
    json_t *check;

    sb_reset(out);
    if (!fp)
        return false;
    while (at < line && (c = fgetc(fp)) != EOF)
        if (c == '\n')
            at++;
    while (at == line && (c = fgetc(fp)) != EOF && c != '\n' && out->len < MAX_SHOWN_LINE)
        sb_addch(out, (char)c);
    fclose(fp);
    if (at != line)
        return false;
    if (out->len && out->buf[out->len - 1] == '\r')
        sb_truncate(out, out->len - 1);
    /* A cut at MAX_SHOWN_LINE may split a UTF-8 sequence: drop its bytes. */
    check = json_string(out->buf);
    for (int drop = 0; !check && out->len >= MAX_SHOWN_LINE && drop < 3; drop++) {
        sb_truncate(out, out->len - 1);
        check = json_string(out->buf);
    }
    if (!check)
        return false;
    json_decref(check);
    return true;
}

/* Reports a record after the header that the source could not read (a
 * quote inside an unquoted field, an encoding error): the reader cannot
 * go on past it, so the file fails. The record still counts as a row read
 * and rejected, and the report shows its line as written where it can. */
static void report_unreadable_record(struct import_run *run, struct import_file *f,
                                     struct source *src, const struct strbuf *why)
{
    struct strbuf msg = STRBUF_INIT, text = STRBUF_INIT;
    long line = src ? source_error_line(src) : 0;
    long long offset = src ? source_error_offset(src) : -1;
    bool shown = src && !f->source && offset < 0 && line > 0 &&
                 read_physical_line(file_data_path(f), line, &text);
    size_t row = add_row(f, line);

    f->states[row] |= ROW_NO_KEY;
    run->rows_read++;
    sb_setf(&msg, _("the file cannot be read from this line on, so none of it is stored: %s"),
            why->len ? why->buf : "");
    run_error(run, f, row, line, -1, shown ? text.buf : NULL, offset, msg.buf);
    f->failed = true;
    sb_release(&msg);
    sb_release(&text);
}

/* The next record of the file's source, or of its mapping target's
 * SELECT (which also names the record's source). As source_next. */
/* Bytes per row that a text file's size is divided by to estimate its
 * rows: less than the shortest rows of the canonical files with the most
 * rows (orders, visits), so the estimate errs high for them. */
#define MIN_ROW_BYTES 40

/* Sizes the duplicate-key map for the rows a file of this size may hold,
 * so a large file's map is not rehashed as it grows. */
static void reserve_keys(struct import_file *f, const char *path)
{
    struct stat st;

    if (!stat(path, &st) && S_ISREG(st.st_mode))
        strmap_reserve(&f->keys, (size_t)st.st_size / MIN_ROW_BYTES);
}

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
        const char *data_path = file_data_path(f);

        src = source_open(data_path, &run->opts->source, &msg);
        if (!src) {
            run_error(run, f, (size_t)-1, 0, -1, NULL, -1, msg.buf);
            goto out;
        }
        /* A workbook names its sheet ("path#sheet"); its cells are foreign,
         * as are the values of a file given with --kind. A spooled copy is
         * named by the path the user gave. */
        if (strcmp(source_name(src), data_path)) {
            const char *name = source_name(src);
            size_t n = strlen(data_path);

            if (f->spool_path && !strncmp(name, data_path, n)) {
                sb_setf(&msg, "%s%s", f->path, name + n);
                f->source = xstrdup(msg.buf);
                sb_reset(&msg);
            } else {
                f->source = xstrdup(name);
            }
        }
        if (f->source || f->mode != VALUE_STRICT || run->opts->date_order != DATE_ORDER_NONE)
            f->mode = lenient_mode(run);
        reserve_keys(f, data_path);
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
        pipeline_row(run, f, f->nrows - 1);
        run->rows_read++;
        if (run->opts->progress && run->rows_read % PROGRESS_EVERY == 0)
            run->opts->progress(run->opts->progress_ctx, run->rows_read);
    }
    if (rc == 0)
        goto out;
    report_unreadable_record(run, f, src, &msg);
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

/* The (file, row) of a key's first appearance, packed into one value. */
#define FIRST_ROW_BITS 40

void check_run_duplicates(struct import_run *run)
{
    struct strbuf key = STRBUF_INIT, msg = STRBUF_INIT, shown = STRBUF_INIT;

    for (size_t i = 0; i < run->nfiles; i++) {
        const struct entity_def *e = run->files[i]->entity;
        struct strmap seen = STRMAP_INIT;
        bool other = false;

        /* One pass per entity, at its first file, when a later file has
         * the same entity. */
        if (!e || run->files[i]->failed)
            continue;
        for (size_t j = 0; j < i && !other; j++)
            other = run->files[j]->entity == e && !run->files[j]->failed;
        if (other)
            continue;
        for (size_t j = i + 1; j < run->nfiles && !other; j++)
            other = run->files[j]->entity == e && !run->files[j]->failed;
        if (!other)
            continue;

        for (size_t j = i; j < run->nfiles; j++) {
            struct import_file *f = run->files[j];

            if (f->entity != e || f->failed)
                continue;
            for (size_t row = 0; row < f->nrows; row++) {
                struct import_file *first_file;
                size_t first_row, key_field;
                int64_t *first;
                int added;

                if (f->states[row] & (ROW_NO_KEY | ROW_REJECTED))
                    continue;
                row_key(f, row, &key);
                first = strmap_put(&seen, key.buf, key.len,
                                   (int64_t)(((uint64_t)j << FIRST_ROW_BITS) | row), &added);
                if (added)
                    continue;
                first_file = run->files[(uint64_t)*first >> FIRST_ROW_BITS];
                first_row = (size_t)((uint64_t)*first & ((UINT64_C(1) << FIRST_ROW_BITS) - 1));
                if (first_file == f)
                    continue; /* reported while reading f */
                sb_reset(&shown);
                key_for_message(f, row, &shown);
                sb_setf(&msg, _("%s line %ld and %s line %ld have the same key (%s), and one run cannot store both: keep one of the two rows"),
                        first_file->source ? first_file->source : first_file->path,
                        first_file->lines[first_row], f->source ? f->source : f->path,
                        f->lines[row], shown.buf);
                key_field = f->layout.cols[f->layout.keys[0]].field_index;
                if (!(first_file->states[first_row] & ROW_REJECTED))
                    run_error(run, first_file, first_row, first_file->lines[first_row],
                              (int)key_field, shown.buf, -1, msg.buf);
                run_error(run, f, row, f->lines[row], (int)key_field, shown.buf, -1, msg.buf);
            }
        }
        strmap_release(&seen);
    }
    sb_release(&key);
    sb_release(&msg);
    sb_release(&shown);
}

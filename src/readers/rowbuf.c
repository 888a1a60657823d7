/*
 * The record buffer of rowbuf.h. Field pointers are made only in
 * row_finish, because the text buffer may move while fields are added.
 */
#include <stdlib.h>
#include <string.h>

#include "readers/rowbuf.h"
#include "util/xalloc.h"

void row_reset(struct row_buffer *row)
{
    sb_reset(&row->text);
    row->nfields = 0;
}

void row_start_field(struct row_buffer *row)
{
    XGROW(row->starts, row->starts_alloc, row->nfields + 1);
    row->starts[row->nfields++] = row->text.len;
}

void row_add_byte(struct row_buffer *row, char c)
{
    sb_addch(&row->text, c);
}

void row_end_field(struct row_buffer *row)
{
    sb_addch(&row->text, '\0');
}

void row_add_field(struct row_buffer *row, const char *s)
{
    row_start_field(row);
    sb_add(&row->text, s);
    row_end_field(row);
}

struct source_record *row_finish(struct row_buffer *row, long line)
{
    XGROW(row->fields, row->fields_alloc, row->nfields);
    for (size_t i = 0; i < row->nfields; i++)
        row->fields[i] = row->text.buf + row->starts[i];
    row->rec.nfields = row->nfields;
    row->rec.fields = row->fields;
    row->rec.line = line;
    return &row->rec;
}

void row_release(struct row_buffer *row)
{
    sb_release(&row->text);
    free(row->starts);
    free(row->fields);
    memset(row, 0, sizeof(*row));
}

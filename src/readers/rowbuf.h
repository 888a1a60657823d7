/*
 * A record being assembled field by field, shared by the readers that
 * build their records themselves (whitespace-separated text, XLSX, XLS).
 * The fields' bytes live in one buffer, each NUL-terminated, so a record
 * costs no allocation per field once the buffers have grown.
 */
#ifndef CAIRN_ROWBUF_H
#define CAIRN_ROWBUF_H

#include "readers/source.h"
#include "util/strbuf.h"

struct row_buffer {
    struct strbuf text;
    size_t *starts; /* field start offsets in text */
    size_t nfields, starts_alloc;
    char **fields;
    size_t fields_alloc;
    struct source_record rec;
};

/* Empties the buffer for the next record. */
void row_reset(struct row_buffer *row);
/* Starts a new field; its bytes follow with row_add_byte. */
void row_start_field(struct row_buffer *row);
void row_add_byte(struct row_buffer *row, char c);
/* Ends the current field. */
void row_end_field(struct row_buffer *row);
/* Adds a whole field. */
void row_add_field(struct row_buffer *row, const char *s);
/* Returns the record of the fields added since row_reset, valid until the
 * next row_reset. */
struct source_record *row_finish(struct row_buffer *row, long line);
void row_release(struct row_buffer *row);

#endif

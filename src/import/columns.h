/*
 * The table columns of an entity: its fields in catalogue order, with each
 * event date followed by its <name>_given column. Import, undo and export
 * build their SQL from this layout. Key columns use the given value of an
 * event date, as the schema's primary keys do.
 */
#ifndef CAIRN_IMPORT_COLUMNS_H
#define CAIRN_IMPORT_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/entities.h"
#include "util/strbuf.h"

#define TABLE_MAX_COLUMNS 24
#define TABLE_MAX_KEYS 4

struct table_column {
    char name[48];
    const struct field_def *field;
    size_t field_index;
    bool given;   /* the <name>_given column of an event date */
    bool integer; /* stored as INTEGER (money, scores, hours) */
};

struct table_layout {
    const struct entity_def *entity;
    size_t ncols;
    struct table_column cols[TABLE_MAX_COLUMNS];
    size_t nkeys;
    size_t keys[TABLE_MAX_KEYS]; /* indexes into cols */
};

void table_layout_init(struct table_layout *t, const struct entity_def *e);

/* Appends "c1, c2, ..." (all columns) to sql. */
void table_add_columns(struct strbuf *sql, const struct table_layout *t);
/* Appends "k1 = ? AND k2 = ?" (bind the key values in key order). */
void table_add_key_match(struct strbuf *sql, const struct table_layout *t);
/* Appends the key columns separated by ", ". */
void table_add_key_columns(struct strbuf *sql, const struct table_layout *t);

/* The column index of the data-format column of field i (the given value
 * for an event date). */
size_t table_source_column(const struct table_layout *t, size_t field_index);

#endif

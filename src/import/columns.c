/*
 * Building the table layout of an entity from the catalogue.
 */
#include <stdio.h>

#include "import/columns.h"
#include "util/xalloc.h"

void table_layout_init(struct table_layout *t, const struct entity_def *e)
{
    t->entity = e;
    t->ncols = t->nkeys = 0;
    for (size_t i = 0; i < e->nfields; i++) {
        const struct field_def *f = &e->fields[i];
        bool event = f->type == FT_EVENT_DATE;

        for (int given = 0; given <= (event ? 1 : 0); given++) {
            struct table_column *c = &t->cols[t->ncols];

            if (t->ncols == TABLE_MAX_COLUMNS)
                BUG("entity %s has too many columns", e->name);
            snprintf(c->name, sizeof(c->name), "%s%s", f->name, given ? "_given" : "");
            c->field = f;
            c->field_index = i;
            c->given = given;
            c->integer = f->type == FT_MONEY || f->type == FT_SCORE10 ||
                         f->type == FT_SCORE100 || f->type == FT_HOURS;
            if ((f->flags & FF_KEY) && given == event) {
                if (t->nkeys == TABLE_MAX_KEYS)
                    BUG("entity %s has too many key columns", e->name);
                t->keys[t->nkeys++] = t->ncols;
            }
            t->ncols++;
        }
    }
}

void table_add_columns(struct strbuf *sql, const struct table_layout *t)
{
    for (size_t i = 0; i < t->ncols; i++)
        sb_addf(sql, "%s%s", i ? ", " : "", t->cols[i].name);
}

void table_add_key_match(struct strbuf *sql, const struct table_layout *t)
{
    for (size_t i = 0; i < t->nkeys; i++)
        sb_addf(sql, "%s%s = ?", i ? " AND " : "", t->cols[t->keys[i]].name);
}

void table_add_key_columns(struct strbuf *sql, const struct table_layout *t)
{
    for (size_t i = 0; i < t->nkeys; i++)
        sb_addf(sql, "%s%s", i ? ", " : "", t->cols[t->keys[i]].name);
}

size_t table_source_column(const struct table_layout *t, size_t field_index)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].field_index == field_index &&
            t->cols[i].given == (t->cols[i].field->type == FT_EVENT_DATE))
            return i;
    BUG("no column for field %zu of %s", field_index, t->entity->name);
}

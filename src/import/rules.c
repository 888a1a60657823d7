/*
 * Checks across the fields of one row that field types cannot express:
 * a period that ends before it starts, a negative base salary, and a
 * leave reason without a leave date. Each broken rule rejects the row
 * with an error on the field to correct, like a value that does not
 * convert. A field that did not convert is NULL here and its rules
 * are skipped, because that field is already reported.
 */
#include <string.h>

#include "import/run.h"
#include "util/i18n.h"

/* Field pairs of one entity where the end may equal the start (ends are
 * inclusive) but must not come before it. */
static const struct date_pair {
    const char *entity, *start, *end;
} date_pairs[] = {
    {"employees", "hire_date", "leave_date"},
    {"assignments", "start_date", "end_date"},
    {"customer_owners", "start_date", "end_date"},
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The index of field name in f's entity. */
static int field_index(const struct import_file *f, const char *name)
{
    return (int)(entity_field(f->entity, name) - f->entity->fields);
}

/* The row's cell of field i: an integer (CELL_INT_NULL when empty or not
 * converted) for a money column. */
static int64_t int_cell(const struct import_file *f, size_t row, int i)
{
    return row_cells(f, row)[table_source_column(&f->layout, (size_t)i)];
}

/* The row's text of field i (a date in its canonical YYYY-MM-DD form), or
 * NULL when empty or not converted. */
static const char *text_cell(const struct import_file *f, size_t row, int i)
{
    return cell_text(f, row, table_source_column(&f->layout, (size_t)i));
}

/* The value of field i as written in the record, "" for an absent column. */
static const char *raw_value(const struct import_file *f, const struct source_record *rec, int i)
{
    return f->field_source[i] >= 0 ? rec->fields[f->field_source[i]] : "";
}

static void check_date_pair(struct import_run *run, struct import_file *f, size_t row,
                            const struct source_record *rec, const struct date_pair *p)
{
    int start = field_index(f, p->start), end = field_index(f, p->end);
    const char *start_day = text_cell(f, row, start), *end_day = text_cell(f, row, end);
    struct strbuf msg = STRBUF_INIT;

    /* Canonical dates compare as strings. */
    if (!start_day || !end_day || strcmp(end_day, start_day) >= 0)
        return;
    sb_setf(&msg, _("%s %s is before %s %s: correct one of the two dates"), p->end,
            raw_value(f, rec, end), p->start, raw_value(f, rec, start));
    run_error(run, f, row, rec->line, end, raw_value(f, rec, end), -1, msg.buf);
    sb_release(&msg);
}

static void check_employee(struct import_run *run, struct import_file *f, size_t row,
                           const struct source_record *rec)
{
    int salary = field_index(f, "base_salary");
    int leave_date = field_index(f, "leave_date"), leave_reason = field_index(f, "leave_reason");
    int64_t fen = int_cell(f, row, salary);
    struct strbuf msg = STRBUF_INIT;

    if (fen != CELL_INT_NULL && fen < 0) {
        sb_setf(&msg, _("base_salary %s is negative: give the monthly base pay as zero or more"),
                raw_value(f, rec, salary));
        run_error(run, f, row, rec->line, salary, raw_value(f, rec, salary), -1, msg.buf);
    }
    sb_release(&msg);

    /* A leave_date of spaces and tabs is empty, as in field_convert. One
     * that did not convert is reported already. */
    if (text_cell(f, row, leave_reason) &&
        raw_value(f, rec, leave_date)[strspn(raw_value(f, rec, leave_date), " \t")] == '\0')
        run_error(run, f, row, rec->line, leave_reason, raw_value(f, rec, leave_reason), -1,
                  _("leave_reason needs a leave_date: give the last working day, or leave "
                    "leave_reason empty"));
}

void rules_check_row(struct import_run *run, struct import_file *f, size_t row,
                     const struct source_record *rec)
{
    for (size_t i = 0; i < ARRAY_SIZE(date_pairs); i++)
        if (!strcmp(f->entity->name, date_pairs[i].entity))
            check_date_pair(run, f, row, rec, &date_pairs[i]);
    if (!strcmp(f->entity->name, "employees"))
        check_employee(run, f, row, rec);
}

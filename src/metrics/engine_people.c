/*
 * Team metrics computed from the organisation in memory: headcount,
 * average headcount (also of temporary staff), leavers, the opening rate
 * of new hires with its training lift, and the training completion rate.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/engine.h"
#include "metrics/rollup.h"
#include "util/xalloc.h"

/* Adds the employees employed on day d, each in the slots of its unit on
 * d, to headcount_sum (and temporary_sum). */
static void count_employed(struct engine_run *run, cdate d, size_t field)
{
    const struct org *org = &run->en->org;

    for (size_t e = 0; e < org->nemployees; e++) {
        size_t slots[ORG_MAX_CHAIN + 2];
        int n;

        if (!org_employed(org, (int)e, d))
            continue;
        n = org_slots(org, (int)e, org_unit_at(org, (int)e, d), slots);
        acc_add(run, slots, n, field, 1);
        if (field == ACC(headcount_sum) && org->employees[e].temporary)
            acc_add(run, slots, n, ACC(temporary_sum), 1);
    }
}

static void headcounts(struct engine_run *run)
{
    count_employed(run, run->last, ACC(headcount));

    /* Average headcount: first and last day of each started month; the
     * last day of the current month is the as-of date. */
    for (int m = run->p.first_month; m < run->p.first_month + run->nmonths; m++) {
        cdate last = date_month_last(m);

        count_employed(run, date_month_first(m), ACC(headcount_sum));
        count_employed(run, last < run->last ? last : run->last, ACC(headcount_sum));
    }
}

static void leavers(struct engine_run *run)
{
    const struct org *org = &run->en->org;

    for (size_t e = 0; e < org->nemployees; e++) {
        const struct org_employee *emp = &org->employees[e];
        size_t slots[ORG_MAX_CHAIN + 2];
        int n;

        if (emp->leave == DATE_NONE || emp->leave < run->p.start || emp->leave > run->last)
            continue;
        n = org_slots(org, (int)e, org_unit_at(org, (int)e, emp->leave), slots);
        acc_add(run, slots, n, ACC(leavers), 1);
        if (emp->voluntary)
            acc_add(run, slots, n, ACC(voluntary_leavers), 1);
    }
}

/*
 * Whether hire e completed every enrolment due within 30 days of hire
 * (*trained), and whether it has any (*has_any).
 */
static int hire_trainings(struct db_stmt *st, const struct org_employee *emp, bool *has_any,
                          bool *trained, struct strbuf *err)
{
    int step;

    *has_any = false;
    *trained = true;
    db_bind_text(st, 1, emp->id);
    while ((step = db_step(st, err)) == DB_ROW) {
        cdate due = engine_column_date(st, 0), done = engine_column_date(st, 1);

        if (due < emp->hire || due > emp->hire + 30)
            continue;
        *has_any = true;
        if (done == DATE_NONE || done > due)
            *trained = false;
    }
    db_reset(st);
    return step == DB_ERROR ? -1 : 0;
}

/*
 * Opening rate: hires in P whose 60-day window has ended by the as-of
 * date, and whether they made a purchase within it; training lift splits
 * them by their enrolments due within 30 days of hire.
 */
static int openings(struct engine_run *run, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct db_stmt *sold = db_prepare(run->en->db,
                                      "SELECT EXISTS (SELECT 1 FROM orders WHERE employee_id = ?"
                                      " AND order_date BETWEEN ? AND ? AND " SQL_ORDER_IS_PURCHASE ")",
                                      err);
    struct db_stmt *trainings = sold ? db_prepare(run->en->db,
                                                  "SELECT due_date, completed_date FROM trainings"
                                                  " WHERE employee_id = ?",
                                                  err)
                                     : NULL;
    int rc = -1, step;

    if (!trainings)
        goto out;
    for (size_t e = 0; e < org->nemployees; e++) {
        const struct org_employee *emp = &org->employees[e];
        size_t slots[ORG_MAX_CHAIN + 2];
        char from[DATE_BUFSIZE], to[DATE_BUFSIZE];
        bool opened, has_any = false, trained = false;
        int n;

        if (emp->hire == DATE_NONE || emp->hire < run->p.start || emp->hire > run->last ||
            emp->hire + 60 > run->en->as_of)
            continue;
        date_format(emp->hire, from);
        date_format(emp->hire + 60, to);
        db_bind_text(sold, 1, emp->id);
        db_bind_text(sold, 2, from);
        db_bind_text(sold, 3, to);
        step = db_step(sold, err);
        opened = step == DB_ROW && db_column_int64(sold, 0);
        db_reset(sold);
        if (step == DB_ERROR)
            goto out;
        if (run->en->has[SRC_TRAININGS] && hire_trainings(trainings, emp, &has_any, &trained, err))
            goto out;

        n = org_slots(org, (int)e, org_unit_at(org, (int)e, emp->hire), slots);
        acc_add(run, slots, n, ACC(hires), 1);
        acc_add(run, slots, n, ACC(hires_opened), opened);
        if (!has_any)
            continue;
        acc_add(run, slots, n, trained ? ACC(trained_hires) : ACC(untrained_hires), 1);
        acc_add(run, slots, n, trained ? ACC(trained_opened) : ACC(untrained_opened), opened);
    }
    rc = 0;
out:
    db_finalize(sold);
    db_finalize(trainings);
    return rc;
}

int engine_people(struct engine_run *run, struct strbuf *err)
{
    if (!run->en->has[SRC_EMPLOYEES])
        return 0;
    headcounts(run);
    leavers(run);
    if (!run->en->has[SRC_ORDERS])
        return 0;
    return openings(run, err);
}

/* Enrolments due in P of employees employed on the due date, in the
 * slots of their unit that day; done when completed by the due date. */
int engine_trainings(struct engine_run *run, struct strbuf *err)
{
    const struct org *org = &run->en->org;
    struct db_stmt *st;
    char from[DATE_BUFSIZE], to[DATE_BUFSIZE];
    int step;

    if (!run->en->has[SRC_TRAININGS])
        return 0;
    st = db_prepare(run->en->db,
                    "SELECT employee_id, due_date, completed_date FROM trainings"
                    " WHERE due_date BETWEEN ? AND ?",
                    err);
    if (!st)
        return -1;
    date_format(run->p.start, from);
    date_format(run->last, to);
    db_bind_text(st, 1, from);
    db_bind_text(st, 2, to);
    while ((step = db_step(st, err)) == DB_ROW) {
        int e = org_employee_rank(org, db_column_text(st, 0));
        cdate due = engine_column_date(st, 1), done = engine_column_date(st, 2);
        size_t slots[ORG_MAX_CHAIN + 2];
        int n;

        if (e < 0 || !org_employed(org, e, due))
            continue;
        n = org_slots(org, e, org_unit_at(org, e, due), slots);
        acc_add(run, slots, n, ACC(enrolments), 1);
        acc_add(run, slots, n, ACC(enrolments_done), done != DATE_NONE && done <= due);
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

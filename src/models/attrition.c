/*
 * Builds the attrition model's rows from the database: the employees,
 * their surveys and their credited sales, turned into the features of
 * attrition.h as of each cut-off.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/attrition.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const feature_names[ATTR_COUNT] = {
    "tenure_years", "salary_gap", "satisfaction", "satisfaction_change",
    "satisfaction_declines", "sales_90", "sales_change", "manager_left",
    "unit_leavers_90", "sales_role",
};

const char *attrition_feature_name(enum attrition_feature f)
{
    return feature_names[f];
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int compare_employee_id(const void *key, const void *elem)
{
    return strcmp(key, ((const struct hr_employee *)elem)->id);
}

static long find_employee(const struct hr_data *hr, const char *id)
{
    const struct hr_employee *e;

    if (!id)
        return -1;
    e = bsearch(id, hr->e, hr->n, sizeof(*hr->e), compare_employee_id);
    return e ? (long)(e - hr->e) : -1;
}

static cdate parse_or_none(const char *s)
{
    cdate d;

    return s && date_parse(s, &d) == 0 ? d : DATE_NONE;
}

static int load_employees(struct db *db, struct hr_data *hr, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT employee_id, unit_id, position, hire_date, leave_date, manager_id, base_salary"
        " FROM employees ORDER BY employee_id", err);
    size_t alloc = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        struct hr_employee *e;

        XGROW(hr->e, alloc, hr->n + 1);
        e = &hr->e[hr->n++];
        memset(e, 0, sizeof(*e));
        e->id = xstrdup(db_column_text(st, 0));
        e->unit = dup_or_null(db_column_text(st, 1));
        e->position = dup_or_null(db_column_text(st, 2));
        e->hire = parse_or_none(db_column_text(st, 3));
        e->leave = parse_or_none(db_column_text(st, 4));
        e->manager = dup_or_null(db_column_text(st, 5));
        e->salary = db_column_is_null(st, 6) ? NAN : (double)db_column_int64(st, 6) / 100.0;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int load_surveys(struct db *db, struct hr_data *hr, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT employee_id, survey_date, score FROM employee_surveys"
        " ORDER BY employee_id, survey_date", err);
    size_t n = 0, alloc_day = 0, alloc_score = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_employee(hr, db_column_text(st, 0));
        cdate day = parse_or_none(db_column_text(st, 1));

        if (i < 0 || day == DATE_NONE)
            continue;
        XGROW(hr->survey_day, alloc_day, n + 1);
        XGROW(hr->survey_score, alloc_score, n + 1);
        if (hr->e[i].nsurveys == 0)
            hr->e[i].first_survey = n;
        hr->e[i].nsurveys++;
        hr->survey_day[n] = day;
        hr->survey_score[n] = (double)db_column_int64(st, 2) / 100.0;
        n++;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int load_payroll(struct db *db, struct hr_data *hr, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db,
        "SELECT employee_id, month, base_pay FROM payroll ORDER BY employee_id, month", err);
    size_t n = 0, alloc_end = 0, alloc_base = 0;
    int step;

    if (!st)
        return -1;
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_employee(hr, db_column_text(st, 0));
        int month;

        if (i < 0 || date_month_parse(db_column_text(st, 1), &month) < 0)
            continue;
        XGROW(hr->pay_month_end, alloc_end, n + 1);
        XGROW(hr->pay_base, alloc_base, n + 1);
        if (hr->e[i].npays == 0)
            hr->e[i].first_pay = n;
        hr->e[i].npays++;
        hr->pay_month_end[n] = date_month_last(month);
        hr->pay_base[n] = (double)db_column_int64(st, 2) / 100.0;
        n++;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

int hr_data_load(struct db *db, struct hr_data *hr, struct strbuf *err)
{
    struct db_stmt *st;
    int step;

    memset(hr, 0, sizeof(*hr));
    if (load_employees(db, hr, err) < 0 || load_surveys(db, hr, err) < 0 ||
        load_payroll(db, hr, err) < 0)
        goto fail;

    /* The latest day the data covers. */
    st = db_prepare(db,
        "SELECT MAX(d) FROM (SELECT MAX(order_date) AS d FROM orders"
        " UNION ALL SELECT MAX(survey_date) FROM employee_surveys"
        " UNION ALL SELECT MAX(hire_date) FROM employees"
        " UNION ALL SELECT MAX(leave_date) FROM employees)", err);
    if (!st)
        goto fail;
    step = db_step(st, err);
    hr->last_day = step == DB_ROW ? parse_or_none(db_column_text(st, 0)) : DATE_NONE;
    db_finalize(st);
    if (step == DB_ERROR)
        goto fail;
    return 0;

fail:
    hr_data_free(hr);
    return -1;
}

void hr_data_free(struct hr_data *hr)
{
    for (size_t i = 0; i < hr->n; i++) {
        free(hr->e[i].id);
        free(hr->e[i].unit);
        free(hr->e[i].position);
        free(hr->e[i].manager);
    }
    free(hr->e);
    free(hr->survey_day);
    free(hr->survey_score);
    free(hr->pay_month_end);
    free(hr->pay_base);
    memset(hr, 0, sizeof(*hr));
}

static bool employed_on(const struct hr_employee *e, cdate day)
{
    return e->hire != DATE_NONE && e->hire <= day && (e->leave == DATE_NONE || e->leave > day);
}

/* Sales of each employee in (cutoff - 90, cutoff] and the 90 days before,
 * in yuan, indexed like hr->e. */
static int load_sales(struct db *db, const struct hr_data *hr, cdate cutoff, double *recent,
                      double *before, struct strbuf *err)
{
    char mid[DATE_BUFSIZE], start[DATE_BUFSIZE], end[DATE_BUFSIZE];
    struct db_stmt *st = db_prepare(db,
        "SELECT employee_id, SUM(CASE WHEN order_date > ?1 THEN amount ELSE 0 END),"
        " SUM(CASE WHEN order_date <= ?1 THEN amount ELSE 0 END) FROM orders"
        " WHERE status = 'completed' AND employee_id IS NOT NULL"
        " AND order_date > ?2 AND order_date <= ?3 GROUP BY employee_id", err);
    int step;

    if (!st)
        return -1;
    date_format(cutoff - 90, mid);
    date_format(cutoff - 180, start);
    date_format(cutoff, end);
    db_bind_text(st, 1, mid);
    db_bind_text(st, 2, start);
    db_bind_text(st, 3, end);
    while ((step = db_step(st, err)) == DB_ROW) {
        long i = find_employee(hr, db_column_text(st, 0));

        if (i < 0)
            continue;
        recent[i] = (double)db_column_int64(st, 1) / 100.0;
        before[i] = (double)db_column_int64(st, 2) / 100.0;
    }
    db_finalize(st);
    return step == DB_ERROR ? -1 : 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* The base pay of e on cutoff: its latest payroll month that ends on or
 * before cutoff, else the base salary on record; NAN when neither. */
static double salary_on(const struct hr_data *hr, const struct hr_employee *e, cdate cutoff)
{
    double pay = NAN;

    for (size_t k = 0; k < e->npays; k++)
        if (hr->pay_month_end[e->first_pay + k] <= cutoff)
            pay = hr->pay_base[e->first_pay + k];
    return isnan(pay) ? e->salary : pay;
}

static bool same_position(const struct hr_employee *a, const struct hr_employee *b)
{
    if (!a->position || !b->position)
        return !a->position && !b->position;
    return strcmp(a->position, b->position) == 0;
}

/* The median of salary[] over the employees employed on cutoff who share
 * e's position; NAN when none has a known salary. */
static double position_median(const struct hr_data *hr, const struct hr_employee *e,
                              const double *salary, cdate cutoff)
{
    double *v = xcalloc(hr->n + 1, sizeof(double)), median = NAN;
    size_t m = 0;

    for (size_t i = 0; i < hr->n; i++)
        if (employed_on(&hr->e[i], cutoff) && !isnan(salary[i]) && same_position(&hr->e[i], e))
            v[m++] = salary[i];
    if (m > 0) {
        qsort(v, m, sizeof(double), compare_doubles);
        median = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2.0;
    }
    free(v);
    return median;
}

/* Sets the survey features from e's surveys on or before cutoff. */
static void survey_features(const struct hr_data *hr, const struct hr_employee *e, cdate cutoff,
                            double *x)
{
    size_t last = 0, count = 0;

    for (size_t k = 0; k < e->nsurveys; k++)
        if (hr->survey_day[e->first_survey + k] <= cutoff) {
            last = e->first_survey + k;
            count++;
        }
    x[ATTR_SATISFACTION] = count ? hr->survey_score[last] : NAN;
    x[ATTR_SATISFACTION_CHANGE] = count >= 2 ? hr->survey_score[last] - hr->survey_score[last - 1]
                                             : NAN;
    x[ATTR_SATISFACTION_DECLINES] = 0.0;
    for (size_t k = last; count >= 2 && k > e->first_survey; k--) {
        if (hr->survey_score[k] >= hr->survey_score[k - 1])
            break;
        x[ATTR_SATISFACTION_DECLINES] += 1.0;
    }
}

void attrition_rows_init(struct attrition_rows *rows)
{
    memset(rows, 0, sizeof(*rows));
    rows->d.p = ATTR_COUNT;
    rows->d.feature_names = xcalloc(ATTR_COUNT, sizeof(char *));
    for (int f = 0; f < ATTR_COUNT; f++)
        rows->d.feature_names[f] = xstrdup(feature_names[f]);
}

void attrition_rows_free(struct attrition_rows *rows)
{
    dataset_free(&rows->d);
    free(rows->employee);
    free(rows->cutoff);
    memset(rows, 0, sizeof(*rows));
}

int attrition_add_cutoff(struct db *db, const struct hr_data *hr, cdate cutoff,
                         struct attrition_rows *rows, struct strbuf *err)
{
    double *recent = xcalloc(hr->n + 1, sizeof(double)), *before = xcalloc(hr->n + 1, sizeof(double));
    double *salary = xcalloc(hr->n + 1, sizeof(double)), *median = xcalloc(hr->n + 1, sizeof(double));
    int rc = -1;

    if (load_sales(db, hr, cutoff, recent, before, err) < 0)
        goto out;

    /* Salaries on the cut-off, and each position's median once. */
    for (size_t i = 0; i < hr->n; i++) {
        salary[i] = salary_on(hr, &hr->e[i], cutoff);
        median[i] = NAN;
    }
    for (size_t i = 0; i < hr->n; i++) {
        size_t k = 0;

        if (!employed_on(&hr->e[i], cutoff))
            continue;
        while (k < i && !(employed_on(&hr->e[k], cutoff) && same_position(&hr->e[k], &hr->e[i])))
            k++;
        median[i] = k < i ? median[k] : position_median(hr, &hr->e[i], salary, cutoff);
    }

    for (size_t i = 0; i < hr->n; i++) {
        const struct hr_employee *e = &hr->e[i];
        size_t r = rows->d.n;
        double *x;
        long manager;

        if (!employed_on(e, cutoff))
            continue;
        if (r + 1 > rows->alloc) {
            rows->alloc = rows->alloc ? rows->alloc * 2 : 256;
            rows->d.x = xrealloc(rows->d.x, rows->alloc * ATTR_COUNT * sizeof(double));
            rows->d.y = xrealloc(rows->d.y, rows->alloc * sizeof(int));
            rows->employee = xrealloc(rows->employee, rows->alloc * sizeof(size_t));
            rows->cutoff = xrealloc(rows->cutoff, rows->alloc * sizeof(cdate));
        }
        x = &rows->d.x[r * ATTR_COUNT];
        rows->employee[r] = i;
        rows->cutoff[r] = cutoff;
        rows->d.y[r] = e->leave != DATE_NONE && e->leave > cutoff &&
                       e->leave <= cutoff + ATTRITION_HORIZON;

        x[ATTR_TENURE_YEARS] = (cutoff - e->hire) / 365.25;
        x[ATTR_SALARY_GAP] = isnan(salary[i]) || !(median[i] > 0) ? NAN
                                                                    : salary[i] / median[i] - 1.0;
        survey_features(hr, e, cutoff, x);
        x[ATTR_SALES_90] = recent[i];
        x[ATTR_SALES_CHANGE] = before[i] > 0 ? (recent[i] - before[i]) / before[i] : NAN;
        manager = find_employee(hr, e->manager);
        x[ATTR_MANAGER_LEFT] = manager >= 0 && hr->e[manager].leave != DATE_NONE &&
                               hr->e[manager].leave <= cutoff && hr->e[manager].leave > cutoff - 180;
        x[ATTR_UNIT_LEAVERS] = 0.0;
        for (size_t k = 0; k < hr->n && e->unit; k++) {
            const struct hr_employee *o = &hr->e[k];

            if (k != i && o->unit && strcmp(o->unit, e->unit) == 0 && o->leave != DATE_NONE &&
                o->leave <= cutoff && o->leave > cutoff - 90)
                x[ATTR_UNIT_LEAVERS] += 1.0;
        }
        x[ATTR_SALES_ROLE] = e->position && strcmp(e->position, "sales") == 0;
        rows->d.n++;
    }
    rc = 0;

out:
    free(recent);
    free(before);
    free(salary);
    free(median);
    return rc;
}

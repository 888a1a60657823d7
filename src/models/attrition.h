/*
 * The attrition model's data: per employee and cut-off day, features
 * from HR records, sales and employee surveys as they stood on the
 * cut-off, and the label "left within the 90 days after it". Nothing
 * dated after the cut-off enters a feature, except the fallback salary
 * of ATTR_SALARY_GAP for employees without payroll rows.
 */
#ifndef CAIRN_ATTRITION_H
#define CAIRN_ATTRITION_H

#include "db/db.h"
#include "models/models.h"
#include "util/date.h"

#define ATTRITION_HORIZON 90   /* days after the cut-off the label looks at */

enum attrition_feature {
    ATTR_TENURE_YEARS,
    /* Base pay / the median of the same position among those employed
     * on the cut-off, minus 1. The base pay is that of the latest payroll
     * month ending on or before the cut-off, else employees.base_salary
     * (the current salary, which may postdate the cut-off). */
    ATTR_SALARY_GAP,
    ATTR_SATISFACTION,          /* latest employee survey score, 0-10 */
    ATTR_SATISFACTION_CHANGE,   /* latest minus the one before */
    ATTR_SATISFACTION_DECLINES, /* consecutive falls up to the latest survey */
    ATTR_SALES_90,              /* completed sales of the last 90 days, yuan */
    ATTR_SALES_CHANGE,          /* relative to the 90 days before them */
    ATTR_MANAGER_LEFT,          /* the manager left in the last 180 days */
    ATTR_UNIT_LEAVERS,          /* others of the unit who left in the last 90 days */
    ATTR_SALES_ROLE,            /* position is sales */
    ATTR_COUNT
};

struct hr_employee {
    char *id, *unit, *position, *manager;
    cdate hire, leave;          /* leave DATE_NONE while employed */
    double salary;              /* yuan; NAN when unknown */
    size_t first_survey, nsurveys;
    size_t first_pay, npays;
};

struct hr_data {
    struct hr_employee *e;      /* sorted by id */
    size_t n;
    cdate *survey_day;
    double *survey_score;
    cdate *pay_month_end;       /* payroll rows: the last day of the month */
    double *pay_base;           /* and its base pay, yuan */
    cdate last_day;             /* the latest date of any order, survey, hire or leave */
};

int hr_data_load(struct db *db, struct hr_data *hr, struct strbuf *err);
void hr_data_free(struct hr_data *hr);

/* Rows of the model: one per employee employed on a cut-off. */
struct attrition_rows {
    struct dataset d;           /* features and labels (y is 0 without labels) */
    size_t *employee;           /* index into hr_data.e, per row */
    cdate *cutoff;              /* per row */
    size_t alloc;
};

/* Appends a row for each employee employed on cutoff (hired on or before
 * it and not left by it). Returns 0, or -1 with a message in err. */
int attrition_add_cutoff(struct db *db, const struct hr_data *hr, cdate cutoff,
                         struct attrition_rows *rows, struct strbuf *err);
void attrition_rows_init(struct attrition_rows *rows);
void attrition_rows_free(struct attrition_rows *rows);

const char *attrition_feature_name(enum attrition_feature f);

#endif

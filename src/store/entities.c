/*
 * The entity catalogue, transcribed from the canonical data format: one
 * table of fields per file, in the order the files' columns are written.
 */
#include <string.h>
#include <strings.h>

#include "metrics/catalog.h"
#include "store/entities.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const unit_kinds[] = {"company", "region", "city", "team", NULL};
static const char *const positions[] = {"sales",   "team_lead", "manager", "support",
                                        "hr",      "finance",   "other",   NULL};
static const char *const employment_types[] = {"full_time", "temporary", "intern", NULL};
static const char *const leave_reasons[] = {"voluntary", "involuntary", NULL};
static const char *const order_statuses[] = {"completed", "cancelled", "refunded", NULL};
static const char *const expense_categories[] = {"travel", "entertainment", "marketing", "other",
                                                 NULL};
static const char *const expense_statuses[] = {"submitted", "approved", "rejected", NULL};
static const char *const scope_kinds[] = {"company", "unit", "employee", NULL};

#define REQ FF_REQUIRED
#define KEY (FF_KEY | FF_REQUIRED)

static const struct field_def org_unit_fields[] = {
    {"unit_id", FT_ID, KEY, NULL, NULL, NULL},
    {"name", FT_TEXT, REQ, NULL, NULL, NULL},
    {"parent_id", FT_ID, 0, NULL, "org_units", NULL},
    {"kind", FT_ENUM, REQ, unit_kinds, NULL, NULL},
    {"manager_id", FT_ID, 0, NULL, "employees", NULL},
};

static const struct field_def employee_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, NULL, NULL},
    {"name", FT_TEXT, REQ, NULL, NULL, NULL},
    {"unit_id", FT_ID, 0, NULL, "org_units", NULL},
    {"position", FT_ENUM, 0, positions, NULL, NULL},
    {"employment_type", FT_ENUM, 0, employment_types, NULL, "full_time"},
    {"hire_date", FT_DATE, REQ, NULL, NULL, NULL},
    {"leave_date", FT_DATE, 0, NULL, NULL, NULL},
    {"leave_reason", FT_ENUM, 0, leave_reasons, NULL, NULL},
    {"manager_id", FT_ID, 0, NULL, "employees", NULL},
    {"base_salary", FT_MONEY, FF_PAY, NULL, NULL, NULL},
    {"email", FT_TEXT, FF_PERSONAL, NULL, NULL, NULL},
    {"phone", FT_TEXT, FF_PERSONAL, NULL, NULL, NULL},
};

static const struct field_def assignment_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, "employees", NULL},
    {"unit_id", FT_ID, REQ, NULL, "org_units", NULL},
    {"start_date", FT_DATE, KEY, NULL, NULL, NULL},
    {"end_date", FT_DATE, 0, NULL, NULL, NULL},
};

static const struct field_def customer_fields[] = {
    {"customer_id", FT_ID, KEY, NULL, NULL, NULL},
    {"name", FT_TEXT, 0, NULL, NULL, NULL},
    {"unit_id", FT_ID, 0, NULL, "org_units", NULL},
    {"segment", FT_TEXT, 0, NULL, NULL, NULL},
    {"market_tier", FT_TEXT, 0, NULL, NULL, NULL},
    {"owner_id", FT_ID, 0, NULL, "employees", NULL},
    {"created_date", FT_DATE, 0, NULL, NULL, NULL},
};

static const struct field_def customer_owner_fields[] = {
    {"customer_id", FT_ID, KEY, NULL, "customers", NULL},
    {"employee_id", FT_ID, REQ, NULL, "employees", NULL},
    {"start_date", FT_DATE, KEY, NULL, NULL, NULL},
    {"end_date", FT_DATE, 0, NULL, NULL, NULL},
};

static const struct field_def order_fields[] = {
    {"order_id", FT_ID, KEY, NULL, NULL, NULL},
    {"order_date", FT_EVENT_DATE, REQ, NULL, NULL, NULL},
    {"customer_id", FT_ID, 0, NULL, "customers", NULL},
    {"employee_id", FT_ID, 0, NULL, "employees", NULL},
    {"amount", FT_MONEY, REQ, NULL, NULL, NULL},
    {"product", FT_TEXT, 0, NULL, NULL, NULL},
    {"status", FT_ENUM, 0, order_statuses, NULL, "completed"},
};

static const struct field_def visit_fields[] = {
    {"visit_id", FT_ID, KEY, NULL, NULL, NULL},
    {"visit_date", FT_EVENT_DATE, REQ, NULL, NULL, NULL},
    {"employee_id", FT_ID, REQ, NULL, "employees", NULL},
    {"customer_id", FT_ID, 0, NULL, "customers", NULL},
    {"kind", FT_TEXT, 0, NULL, NULL, NULL},
};

static const struct field_def customer_survey_fields[] = {
    {"customer_id", FT_ID, KEY, NULL, "customers", NULL},
    {"survey_date", FT_EVENT_DATE, KEY, NULL, NULL, NULL},
    {"score", FT_SCORE10, REQ, NULL, NULL, NULL},
    {"employee_id", FT_ID, 0, NULL, "employees", NULL},
};

static const struct field_def employee_survey_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, "employees", NULL},
    {"survey_date", FT_EVENT_DATE, KEY, NULL, NULL, NULL},
    {"score", FT_SCORE10, REQ, NULL, NULL, NULL},
};

static const struct field_def course_fields[] = {
    {"course_id", FT_ID, KEY, NULL, NULL, NULL},
    {"name", FT_TEXT, REQ, NULL, NULL, NULL},
    {"skill", FT_TEXT, 0, NULL, NULL, NULL},
    {"hours", FT_HOURS, 0, NULL, NULL, NULL},
};

static const struct field_def training_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, "employees", NULL},
    {"course_id", FT_ID, KEY, NULL, "courses", NULL},
    {"assigned_date", FT_DATE, KEY, NULL, NULL, NULL},
    {"due_date", FT_DATE, REQ, NULL, NULL, NULL},
    {"completed_date", FT_DATE, 0, NULL, NULL, NULL},
    {"exam_score", FT_SCORE100, 0, NULL, NULL, NULL},
};

static const struct field_def skill_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, "employees", NULL},
    {"skill", FT_TEXT, KEY, NULL, NULL, NULL},
    {"score", FT_SCORE100, REQ, NULL, NULL, NULL},
    {"assessed_date", FT_DATE, KEY, NULL, NULL, NULL},
};

static const struct field_def payroll_fields[] = {
    {"employee_id", FT_ID, KEY, NULL, "employees", NULL},
    {"month", FT_MONTH, KEY, NULL, NULL, NULL},
    {"base_pay", FT_MONEY, REQ | FF_PAY, NULL, NULL, NULL},
    {"variable_pay", FT_MONEY, FF_PAY, NULL, NULL, "0"},
    {"employer_cost", FT_MONEY, FF_PAY, NULL, NULL, "0"},
};

static const struct field_def expense_fields[] = {
    {"expense_id", FT_ID, KEY, NULL, NULL, NULL},
    {"employee_id", FT_ID, REQ, NULL, "employees", NULL},
    {"expense_date", FT_EVENT_DATE, REQ, NULL, NULL, NULL},
    {"category", FT_ENUM, REQ, expense_categories, NULL, NULL},
    {"amount", FT_MONEY, REQ, NULL, NULL, NULL},
    {"status", FT_ENUM, REQ, expense_statuses, NULL, NULL},
};

/* scope_id is part of the key but may be empty (company targets). */
static const struct field_def target_fields[] = {
    {"scope_kind", FT_ENUM, KEY, scope_kinds, NULL, NULL},
    {"scope_id", FT_ID, FF_KEY, NULL, NULL, NULL},
    {"period", FT_PERIOD, KEY, NULL, NULL, NULL},
    {"metric", FT_METRIC, KEY, NULL, NULL, NULL},
    {"value", FT_DECIMAL, REQ, NULL, NULL, NULL},
};

static const struct field_def market_fields[] = {
    {"unit_id", FT_ID, KEY, NULL, "org_units", NULL},
    {"period", FT_MARKET_PERIOD, KEY, NULL, NULL, NULL},
    {"market_size", FT_MONEY, REQ, NULL, NULL, NULL},
};

#define ENTITY(name, fields, date, amount) \
    {name, name ".csv", fields, ARRAY_SIZE(fields), date, amount}

static const struct entity_def org_units_entity = ENTITY("org_units", org_unit_fields, NULL, NULL);
static const struct entity_def employees_entity = ENTITY("employees", employee_fields, NULL, NULL);
static const struct entity_def assignments_entity =
    ENTITY("assignments", assignment_fields, NULL, NULL);
static const struct entity_def customers_entity = ENTITY("customers", customer_fields, NULL, NULL);
static const struct entity_def customer_owners_entity =
    ENTITY("customer_owners", customer_owner_fields, NULL, NULL);
static const struct entity_def orders_entity =
    ENTITY("orders", order_fields, "order_date", "amount");
static const struct entity_def visits_entity = ENTITY("visits", visit_fields, "visit_date", NULL);
static const struct entity_def customer_surveys_entity =
    ENTITY("customer_surveys", customer_survey_fields, "survey_date", NULL);
static const struct entity_def employee_surveys_entity =
    ENTITY("employee_surveys", employee_survey_fields, "survey_date", NULL);
static const struct entity_def courses_entity = ENTITY("courses", course_fields, NULL, NULL);
static const struct entity_def trainings_entity =
    ENTITY("trainings", training_fields, "due_date", NULL);
static const struct entity_def skills_entity = ENTITY("skills", skill_fields, NULL, NULL);
static const struct entity_def payroll_entity =
    ENTITY("payroll", payroll_fields, "month", "base_pay");
static const struct entity_def expenses_entity =
    ENTITY("expenses", expense_fields, "expense_date", "amount");
static const struct entity_def targets_entity = ENTITY("targets", target_fields, NULL, NULL);
static const struct entity_def market_entity = ENTITY("market", market_fields, NULL, NULL);

const struct entity_def *const entities[] = {
    &org_units_entity,        &employees_entity,        &assignments_entity,
    &customers_entity,        &customer_owners_entity,  &orders_entity,
    &visits_entity,           &customer_surveys_entity, &employee_surveys_entity,
    &courses_entity,          &trainings_entity,        &skills_entity,
    &payroll_entity,          &expenses_entity,         &targets_entity,
    &market_entity,
};
const size_t nentities = ARRAY_SIZE(entities);

const struct entity_def *entity_by_name(const char *name)
{
    for (size_t i = 0; i < nentities; i++)
        if (!strcmp(entities[i]->name, name))
            return entities[i];
    return NULL;
}

const struct entity_def *entity_by_file(const char *file)
{
    for (size_t i = 0; i < nentities; i++)
        if (!strcasecmp(entities[i]->file, file))
            return entities[i];
    return NULL;
}

const struct field_def *entity_field(const struct entity_def *e, const char *name)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (!strcmp(e->fields[i].name, name))
            return &e->fields[i];
    return NULL;
}

/* The metric catalogue in src/metrics is the one list of metric names. */
bool metric_name_known(const char *name)
{
    return metric_by_name(name) >= 0;
}

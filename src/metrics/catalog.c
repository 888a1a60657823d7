/*
 * The metric catalogue, in the order of the key-result definitions:
 * growth, team effectiveness, customer retention, cost control. The
 * default thresholds are the ones the definitions give for metrics that
 * have no target.
 */
#include <string.h>

#include "metrics/catalog.h"
#include "util/i18n.h"

#define HI false /* higher is better */
#define LO true  /* lower is better */
#define NODEF false, 0, 0

const struct metric_def metric_defs[METRIC_COUNT] = {
    {"sales", N_("Sales"), MG_GROWTH, MK_MONEY, HI, NODEF},
    {"sales_yoy", N_("Sales growth, year on year"), MG_GROWTH, MK_RATIO, HI, true, 0.15, 0.0},
    {"sales_pop", N_("Sales growth, period on period"), MG_GROWTH, MK_RATIO, HI, NODEF},
    {"market_share", N_("Market share"), MG_GROWTH, MK_RATIO, HI, NODEF},
    {"new_customers", N_("New customers"), MG_GROWTH, MK_COUNT, HI, NODEF},
    {"new_customers_per_month", N_("New customers per month"), MG_GROWTH, MK_NUMBER, HI, NODEF},
    {"active_customers", N_("Active customers"), MG_GROWTH, MK_COUNT, HI, NODEF},
    {"new_customer_ratio", N_("New customer ratio"), MG_GROWTH, MK_RATIO, HI, true, 0.30, 0.20},
    {"headcount", N_("Headcount"), MG_TEAM, MK_COUNT, HI, NODEF},
    {"avg_headcount", N_("Average headcount"), MG_TEAM, MK_NUMBER, HI, NODEF},
    {"per_capita_sales", N_("Monthly sales per head"), MG_TEAM, MK_MONEY, HI, NODEF},
    {"attrition_rate", N_("Attrition rate"), MG_TEAM, MK_RATIO, LO, NODEF},
    {"voluntary_attrition_rate", N_("Voluntary attrition rate"), MG_TEAM, MK_RATIO, LO, NODEF},
    {"top_performer_retention", N_("Top performer retention"), MG_TEAM, MK_RATIO, HI, true, 0.85,
     0.70},
    {"training_completion_rate", N_("Training completion rate"), MG_TEAM, MK_RATIO, HI, NODEF},
    {"opening_rate", N_("First-sale rate of new hires"), MG_TEAM, MK_RATIO, HI, NODEF},
    {"training_lift", N_("Training lift"), MG_TEAM, MK_NUMBER, HI, NODEF},
    {"employee_satisfaction", N_("Employee satisfaction"), MG_TEAM, MK_SCORE, HI, NODEF},
    {"visits_per_head", N_("Visits per head per month"), MG_TEAM, MK_NUMBER, HI, NODEF},
    {"repurchase_rate", N_("Repurchase rate"), MG_CUSTOMERS, MK_RATIO, HI, true, 0.60, 0.45},
    {"csat", N_("Customer satisfaction"), MG_CUSTOMERS, MK_SCORE, HI, true, 8.5, 7.0},
    {"top20_customer_share", N_("Top 20 percent customer share"), MG_CUSTOMERS, MK_RATIO, HI, NODEF},
    {"at_risk_customers", N_("Customers at risk"), MG_CUSTOMERS, MK_COUNT, LO, NODEF},
    {"labor_cost", N_("Labor cost"), MG_COST, MK_MONEY, LO, NODEF},
    {"labor_cost_ratio", N_("Labor cost ratio"), MG_COST, MK_RATIO, LO, true, 0.22, 0.25},
    {"sales_per_labor_yuan", N_("Sales per yuan of labor cost"), MG_COST, MK_NUMBER, HI, NODEF},
    {"sales_expense_ratio", N_("Sales expense ratio"), MG_COST, MK_RATIO, LO, true, 0.08, 0.10},
    {"expense_ratio", N_("Expense ratio"), MG_COST, MK_RATIO, LO, NODEF},
    {"temporary_share", N_("Temporary staff share"), MG_COST, MK_RATIO, HI, NODEF},
};

bool metric_uses_pay(enum metric_id m)
{
    return m == M_LABOR_COST || m == M_LABOR_COST_RATIO || m == M_SALES_PER_LABOR_YUAN;
}

int metric_by_name(const char *name)
{
    for (int i = 0; i < METRIC_COUNT; i++)
        if (!strcmp(metric_defs[i].name, name))
            return i;
    return -1;
}

const char *metric_group_title(enum metric_group g)
{
    static const char *const titles[METRIC_GROUP_COUNT] = {
        N_("Growth"),
        N_("Team effectiveness"),
        N_("Customer retention"),
        N_("Cost control"),
    };

    return titles[g];
}

/*
 * The current scores of the stored models, as a library: what "cairn
 * model score", "cairn alerts --models" and the web pages share. Each
 * function reads the model stored by "cairn model train" and applies it
 * on as_of. DATE_NONE or a day after the data means the latest day of
 * the data (risk_data_day), and risk_forecast stops at the latest
 * order's month.
 *
 * Factor strings are translated with _() in the language current at the
 * call, so a caller that serves several languages calls once per
 * language or sets the language first.
 *
 * Every function returns 0, 1 when no model of that kind is stored (the
 * list is then empty), or -1 with a message in err.
 */
#ifndef CAIRN_RISK_H
#define CAIRN_RISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "util/date.h"
#include "util/strbuf.h"

#define RISK_MAX_FACTORS 3

struct risk {
    char *subject;            /* employee_id or customer_id */
    char *unit;               /* org unit of the subject on as_of (scope) */
    double probability;       /* calibrated, 0..1 */
    char *factors[RISK_MAX_FACTORS];   /* plain words, NULL-padded */
    size_t nfactors;
    unsigned pay_factors;     /* bit k set: factors[k] states the subject's pay */
};

/* Highest probability first, ties by subject id ascending. */
struct risk_list {
    struct risk *v;
    size_t n;
    cdate as_of;              /* the day actually scored */
};

void risk_list_free(struct risk_list *l);

/* For the functions below: adds text (allocated; NULL for none) to r's
 * factors, or frees it when r has RISK_MAX_FACTORS or the same text.
 * states_pay marks a factor that a role without pay may not see. */
void risk_add_factor(struct risk *r, char *text, bool states_pay);
/* Puts l in the order above. */
void risk_list_sort(struct risk_list *l);
/* Whether score, shown with one decimal as the factors show it, is below
 * limit, so that 6.96 does not read "satisfaction is 7.0" as a low one. */
bool risk_shown_below(double score, double limit);
/* Returns the day the models read the data on: as_of, or last_day, the
 * latest day of the data, when as_of is DATE_NONE or after it. The days
 * after the data's last day have no records yet, and the features would
 * read them as days without sales or purchases. */
cdate risk_data_day(cdate as_of, cdate last_day);

/* Every employee employed on as_of. */
int risk_attrition(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err);

/* Every customer with a completed purchase in the 365 days up to as_of;
 * unit is the unit of the customer's owner on as_of. */
int risk_churn(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err);

/* One unit's sales forecast for the month after the last whole month up
 * to as_of. Money in fen. unit is "company" for the company. The list
 * also contains every unit of the tree with a stored model, so a root
 * unit that is the only root repeats the company's figures. */
struct unit_forecast {
    char *unit;
    cdate month;              /* first day of the forecast month */
    int64_t forecast, lower, upper;   /* fen; [lower, upper] the 80 % interval */
    double trend;             /* fen per month, the fitted trend at the last month */
    int turning;              /* 1 when growth turns to decline (sales_turning) */
};

struct forecast_list {
    struct unit_forecast *v;  /* sorted by unit id */
    size_t n;
    cdate as_of;
    cdate last_order;         /* the day of the latest order */
    /* The last month of the series: the last whole month on or before
     * as_of, or the latest order's month when that is earlier. */
    int last_month;
};

void forecast_list_free(struct forecast_list *l);

int risk_forecast(struct db *db, cdate as_of, struct forecast_list *out, struct strbuf *err);

#endif

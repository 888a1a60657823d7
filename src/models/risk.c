/*
 * Building, sorting and freeing the lists of models/risk.h. The scores
 * themselves are computed next to each model: score_attrition.c for
 * attrition, score_churn.c for churn.
 */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "models/risk.h"

void risk_list_free(struct risk_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].subject);
        free(l->v[i].unit);
        for (size_t k = 0; k < l->v[i].nfactors; k++)
            free(l->v[i].factors[k]);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void risk_add_factor(struct risk *r, char *text, bool states_pay)
{
    bool repeated = false;

    for (size_t k = 0; text && k < r->nfactors; k++)
        repeated = repeated || strcmp(r->factors[k], text) == 0;
    if (!text || repeated || r->nfactors == RISK_MAX_FACTORS) {
        free(text);
        return;
    }
    if (states_pay)
        r->pay_factors |= 1u << r->nfactors;
    r->factors[r->nfactors++] = text;
}

static int compare_risks(const void *a, const void *b)
{
    const struct risk *x = a, *y = b;

    if (x->probability != y->probability)
        return x->probability > y->probability ? -1 : 1;
    return strcmp(x->subject, y->subject);
}

bool risk_shown_below(double score, double limit)
{
    return !isnan(score) && round(score * 10.0) < round(limit * 10.0);
}

cdate risk_data_day(cdate as_of, cdate last_day)
{
    if (as_of == DATE_NONE || (last_day != DATE_NONE && as_of > last_day))
        return last_day;
    return as_of;
}

void risk_list_sort(struct risk_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof(*l->v), compare_risks);
}

/*
 * Freeing the lists of models/risk.h. The scores themselves are computed
 * next to each model: score_attrition.c for attrition.
 */
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

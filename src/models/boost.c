/*
 * Gradient-boosted trees through XGBoost's C API (1.7). Missing values
 * stay NAN, which XGBoost routes down a learned default branch. The
 * parameters are fixed and chosen for the small tables that companies
 * and the public HR and churn data sets have (a few thousand rows):
 * shallow trees and a small learning rate, no row or column sampling,
 * one thread and a fixed seed, so the same input gives the same model.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <xgboost/c_api.h>

#include "models/models.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define XGBOOST_ROUNDS 300

static const char *const xgboost_params[][2] = {
    {"objective", "binary:logistic"},
    {"eta", "0.05"},
    {"max_depth", "3"},
    {"min_child_weight", "1"},
    {"subsample", "1"},
    {"colsample_bytree", "1"},
    {"lambda", "1"},
    {"tree_method", "hist"},
    {"nthread", "1"},
    {"verbosity", "0"},
};

static float *rows_as_floats(const struct dataset *d, const size_t *rows, size_t nrows)
{
    float *m = xcalloc(nrows * d->p + 1, sizeof(float));

    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < d->p; j++)
            m[i * d->p + j] = (float)d->x[rows[i] * d->p + j];
    return m;
}

static int xgboost_failed(struct strbuf *err)
{
    sb_addf(err, _("XGBoost failed: %s"), XGBGetLastError());
    return -1;
}

int xgboost_fit_score(const struct dataset *d, const size_t *train, size_t ntrain,
                      const size_t *test, size_t ntest, uint64_t seed, double *score,
                      struct strbuf *err)
{
    float *xtrain = rows_as_floats(d, train, ntrain), *xtest = rows_as_floats(d, test, ntest);
    float *labels = xcalloc(ntrain, sizeof(float));
    DMatrixHandle dtrain = NULL, dtest = NULL;
    BoosterHandle booster = NULL;
    const bst_ulong *shape;
    bst_ulong dim;
    const float *out;
    char seed_text[32];
    int rc = -1;

    for (size_t i = 0; i < ntrain; i++)
        labels[i] = (float)d->y[train[i]];
    snprintf(seed_text, sizeof(seed_text), "%llu", (unsigned long long)(seed % 2147483647u));

    /* The training matrix and the booster. */
    if (XGDMatrixCreateFromMat(xtrain, ntrain, d->p, NAN, &dtrain) != 0 ||
        XGDMatrixSetFloatInfo(dtrain, "label", labels, ntrain) != 0 ||
        XGDMatrixCreateFromMat(xtest, ntest, d->p, NAN, &dtest) != 0 ||
        XGBoosterCreate(&dtrain, 1, &booster) != 0) {
        rc = xgboost_failed(err);
        goto out;
    }
    for (size_t i = 0; i < sizeof(xgboost_params) / sizeof(xgboost_params[0]); i++)
        if (XGBoosterSetParam(booster, xgboost_params[i][0], xgboost_params[i][1]) != 0) {
            rc = xgboost_failed(err);
            goto out;
        }
    if (XGBoosterSetParam(booster, "seed", seed_text) != 0) {
        rc = xgboost_failed(err);
        goto out;
    }

    /* Boosting, then the margin (log-odds) of each test row. */
    for (int iter = 0; iter < XGBOOST_ROUNDS; iter++)
        if (XGBoosterUpdateOneIter(booster, iter, dtrain) != 0) {
            rc = xgboost_failed(err);
            goto out;
        }
    if (XGBoosterPredictFromDMatrix(booster, dtest,
                                    "{\"type\": 1, \"training\": false, \"iteration_begin\": 0,"
                                    " \"iteration_end\": 0, \"strict_shape\": false}",
                                    &shape, &dim, &out) != 0) {
        rc = xgboost_failed(err);
        goto out;
    }
    for (size_t i = 0; i < ntest; i++)
        score[i] = out[i];
    rc = 0;

out:
    if (booster)
        XGBoosterFree(booster);
    if (dtrain)
        XGDMatrixFree(dtrain);
    if (dtest)
        XGDMatrixFree(dtest);
    free(xtrain);
    free(xtest);
    free(labels);
    return rc;
}

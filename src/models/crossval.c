/*
 * Cross-validation of the learners. For each outer fold a learner is fitted
 * on the other folds and scores the held-out rows. Its raw scores (log-odds)
 * become probabilities by Platt scaling, and the scaling is fitted on
 * out-of-fold scores of an inner 3-fold split of the training rows only,
 * so no held-out label reaches the model or its calibration. Platt
 * scaling is monotone, so it leaves ROC-AUC, PR-AUC and lift unchanged
 * and corrects the Brier score and the calibration table.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "models/models.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define INNER_FOLDS 3

const char *learner_name(enum learner l)
{
    switch (l) {
    case LEARNER_LOGISTIC:
        return "logistic_regression";
    case LEARNER_XGBOOST:
        return "xgboost";
    case LEARNER_COUNT:
        break;
    }
    BUG("learner %d", (int)l);
}

/* SplitMix64: a small, well-mixed generator; the same seed always gives
 * the same sequence on every platform. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void folds_stratified(const int *y, size_t n, int k, uint64_t seed, int *fold)
{
    size_t *idx = xcalloc(n ? n : 1, sizeof(size_t));
    uint64_t state = seed;
    size_t dealt = 0;

    /* Positives first, then negatives; the deal continues across the two
     * so the fold sizes differ by at most one. */
    for (int cls = 1; cls >= 0; cls--) {
        size_t m = 0;

        for (size_t i = 0; i < n; i++)
            if (y[i] == cls)
                idx[m++] = i;
        for (size_t i = m; i > 1; i--) {
            size_t j = (size_t)(splitmix64(&state) % i), tmp = idx[i - 1];

            idx[i - 1] = idx[j];
            idx[j] = tmp;
        }
        for (size_t i = 0; i < m; i++)
            fold[idx[i]] = (int)(dealt++ % (size_t)k);
    }
    free(idx);
}

static double seconds_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fit_score(enum learner l, const struct dataset *d, const size_t *train, size_t ntrain,
                     const size_t *test, size_t ntest, uint64_t seed, double *score,
                     struct strbuf *err)
{
    if (l == LEARNER_LOGISTIC)
        return logistic_fit_score(d, train, ntrain, test, ntest, score, err);
    return xgboost_fit_score(d, train, ntrain, test, ntest, seed, score, err);
}

/* Fits Platt scaling on inner out-of-fold scores of the training rows.
 * With fewer than two rows of a class in training it leaves the scores
 * as log-odds (a = 1, b = 0). */
static int fit_inner_platt(enum learner l, const struct dataset *d, const size_t *train,
                           size_t ntrain, uint64_t seed, double *a, double *b,
                           struct strbuf *err)
{
    int *y = xcalloc(ntrain, sizeof(int)), *fold = xcalloc(ntrain, sizeof(int));
    size_t *in = xcalloc(ntrain, sizeof(size_t)), *out = xcalloc(ntrain, sizeof(size_t));
    double *score = xcalloc(ntrain, sizeof(double)), *oof = xcalloc(ntrain, sizeof(double));
    size_t npos = 0;
    int k, rc = -1;

    for (size_t i = 0; i < ntrain; i++) {
        y[i] = d->y[train[i]];
        npos += (size_t)y[i];
    }
    k = (int)(npos < ntrain - npos ? npos : ntrain - npos);
    if (k > INNER_FOLDS)
        k = INNER_FOLDS;
    *a = 1.0;
    *b = 0.0;
    if (k < 2) {
        rc = 0;
        goto out;
    }

    folds_stratified(y, ntrain, k, seed, fold);
    for (int f = 0; f < k; f++) {
        size_t nin = 0, nout = 0;

        for (size_t i = 0; i < ntrain; i++) {
            if (fold[i] == f)
                out[nout++] = train[i];
            else
                in[nin++] = train[i];
        }
        if (fit_score(l, d, in, nin, out, nout, seed, score, err) < 0)
            goto out;
        nout = 0;
        for (size_t i = 0; i < ntrain; i++)
            if (fold[i] == f)
                oof[i] = score[nout++];
    }
    platt_fit(oof, y, ntrain, a, b);
    rc = 0;

out:
    free(y);
    free(fold);
    free(in);
    free(out);
    free(score);
    free(oof);
    return rc;
}

/* Checks that every fold holds both classes, so each can be measured. */
static int check_folds(const struct dataset *d, struct strbuf *err)
{
    for (int f = 0; f < d->nfolds; f++) {
        size_t pos = 0, all = 0;

        for (size_t i = 0; i < d->n; i++)
            if (d->fold[i] == f) {
                all++;
                pos += (size_t)d->y[i];
            }
        if (pos == 0 || pos == all) {
            sb_addf(err, _("fold %d has %zu rows, %zu of them positive; every fold needs "
                           "both classes"), f + 1, all, pos);
            return -1;
        }
    }
    return 0;
}

/* Fits learner l on train with Platt scaling from inner folds and writes
 * the calibrated probability of each test row to p. */
static int evaluate_split(enum learner l, const struct dataset *d, const size_t *train,
                          size_t ntrain, const size_t *test, size_t ntest, uint64_t seed,
                          uint64_t inner_seed, double *p, struct strbuf *err)
{
    double *score = xcalloc(ntest ? ntest : 1, sizeof(double));
    double a, b;
    int rc = -1;

    if (fit_inner_platt(l, d, train, ntrain, inner_seed, &a, &b, err) < 0 ||
        fit_score(l, d, train, ntrain, test, ntest, seed, score, err) < 0)
        goto out;
    for (size_t i = 0; i < ntest; i++)
        p[i] = platt_apply(a, b, score[i]);
    rc = 0;

out:
    free(score);
    return rc;
}

/* Adds the measures of one fold's test rows to the means in r. */
static void add_fold_measures(struct learner_result *r, int f, int nfolds, const double *p,
                              const int *ytest, size_t ntest)
{
    r->fold_auc[f] = measure_roc_auc(p, ytest, ntest);
    r->fold_pr_auc[f] = measure_average_precision(p, ytest, ntest);
    r->auc += r->fold_auc[f] / nfolds;
    r->pr_auc += r->fold_pr_auc[f] / nfolds;
    r->brier += measure_brier(p, ytest, ntest) / nfolds;
    r->lift_top10 += measure_lift_top(p, ytest, ntest, 0.10) / nfolds;
}

static void learner_result_init(struct learner_result *r, enum learner l, int nfolds, size_t n)
{
    memset(r, 0, sizeof(*r));
    r->learner = l;
    r->fold_auc = xcalloc((size_t)nfolds, sizeof(double));
    r->fold_pr_auc = xcalloc((size_t)nfolds, sizeof(double));
    r->oof = xcalloc(n ? n : 1, sizeof(double));
}

static int run_learner(enum learner l, const struct dataset *d, uint64_t seed,
                       struct learner_result *r, struct strbuf *err)
{
    size_t *train = xcalloc(d->n, sizeof(size_t)), *test = xcalloc(d->n, sizeof(size_t));
    double *p = xcalloc(d->n, sizeof(double));
    int *ytest = xcalloc(d->n, sizeof(int));
    double started = seconds_now();
    int rc = -1;

    learner_result_init(r, l, d->nfolds, d->n);
    for (int f = 0; f < d->nfolds; f++) {
        size_t ntrain = 0, ntest = 0;

        for (size_t i = 0; i < d->n; i++) {
            if (d->fold[i] == f)
                test[ntest++] = i;
            else
                train[ntrain++] = i;
        }
        if (evaluate_split(l, d, train, ntrain, test, ntest, seed, seed + (uint64_t)f + 1, p,
                           err) < 0)
            goto out;
        for (size_t i = 0; i < ntest; i++) {
            ytest[i] = d->y[test[i]];
            r->oof[test[i]] = p[i];
        }
        add_fold_measures(r, f, d->nfolds, p, ytest, ntest);
    }
    measure_calibration(r->oof, d->y, d->n, r->calibration);
    r->seconds = seconds_now() - started;
    rc = 0;

out:
    free(train);
    free(test);
    free(p);
    free(ytest);
    if (rc < 0)
        learner_result_free(r);
    return rc;
}

int holdout_run(const struct dataset *d, const size_t *train, size_t ntrain, const size_t *test,
                size_t ntest, uint64_t seed, struct learner_result *results, struct strbuf *err)
{
    int *ytest = xcalloc(ntest ? ntest : 1, sizeof(int));
    double *p = xcalloc(ntest ? ntest : 1, sizeof(double));
    int rc = -1;

    gsl_set_error_handler_off();
    for (size_t i = 0; i < ntest; i++)
        ytest[i] = d->y[test[i]];
    for (int l = 0; l < LEARNER_COUNT; l++) {
        struct learner_result *r = &results[l];
        double started = seconds_now();

        learner_result_init(r, (enum learner)l, 1, d->n);
        if (evaluate_split((enum learner)l, d, train, ntrain, test, ntest, seed, seed + 1, p,
                           err) < 0) {
            for (int m = 0; m <= l; m++)
                learner_result_free(&results[m]);
            goto out;
        }
        for (size_t i = 0; i < ntest; i++)
            r->oof[test[i]] = p[i];
        add_fold_measures(r, 0, 1, p, ytest, ntest);
        measure_calibration(p, ytest, ntest, r->calibration);
        r->seconds = seconds_now() - started;
    }
    rc = 0;

out:
    free(ytest);
    free(p);
    return rc;
}

int crossval_run(struct dataset *d, int k, uint64_t seed, struct learner_result *results,
                 struct strbuf *err)
{
    /* GSL's default handler aborts; errors come back as return codes. */
    gsl_set_error_handler_off();

    if (!d->fold) {
        size_t npos = 0;

        for (size_t i = 0; i < d->n; i++)
            npos += (size_t)d->y[i];
        if (k < 2 || (size_t)k > npos || (size_t)k > d->n - npos) {
            sb_addf(err, _("%d folds need at least %d rows of each class; the table has %zu "
                           "positive and %zu negative rows"), k, k, npos, d->n - npos);
            return -1;
        }
        d->fold = xcalloc(d->n, sizeof(int));
        d->nfolds = k;
        folds_stratified(d->y, d->n, k, seed, d->fold);
    }
    if (check_folds(d, err) < 0)
        return -1;

    for (int l = 0; l < LEARNER_COUNT; l++)
        if (run_learner((enum learner)l, d, seed, &results[l], err) < 0) {
            for (int m = 0; m < l; m++)
                learner_result_free(&results[m]);
            return -1;
        }
    return 0;
}

void learner_result_free(struct learner_result *r)
{
    free(r->fold_auc);
    free(r->fold_pr_auc);
    free(r->oof);
    r->fold_auc = r->fold_pr_auc = r->oof = NULL;
}

/*
 * L2-penalised logistic regression fitted with GSL. Missing values take
 * the training rows' median, then every feature is standardised with the
 * training rows' mean and standard deviation, so the penalty weighs the
 * features alike. The fit maximises
 *     sum_i log p(y_i | x_i) - (lambda / 2) |w|^2
 * (the intercept unpenalised) by Newton's method (iteratively reweighted
 * least squares) with step halving. lambda is fixed at 1, the penalty of
 * scikit-learn's LogisticRegression default C = 1 on the same scale.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_statistics_double.h>

#include "models/models.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define LOGISTIC_LAMBDA 1.0
#define LOGISTIC_MAX_ITER 100

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

/* Per feature: the median of the training values (0 when all are
 * missing), then the mean and standard deviation after imputation. */
static void fit_scaling(const struct dataset *d, const size_t *train, size_t ntrain,
                        double *median, double *mean, double *sd)
{
    double *v = xcalloc(ntrain, sizeof(double));

    for (size_t j = 0; j < d->p; j++) {
        size_t m = 0;

        for (size_t i = 0; i < ntrain; i++) {
            double x = d->x[train[i] * d->p + j];

            if (!isnan(x))
                v[m++] = x;
        }
        if (m == 0) {
            median[j] = 0.0;
        } else {
            qsort(v, m, sizeof(double), compare_doubles);
            median[j] = gsl_stats_median_from_sorted_data(v, 1, m);
        }
        for (size_t i = 0; i < ntrain; i++) {
            double x = d->x[train[i] * d->p + j];

            v[i] = isnan(x) ? median[j] : x;
        }
        mean[j] = gsl_stats_mean(v, 1, ntrain);
        sd[j] = ntrain > 1 ? gsl_stats_sd_m(v, 1, ntrain, mean[j]) : 0.0;
        if (!(sd[j] > 1e-12))
            sd[j] = 0.0;   /* constant in training: the feature is zeroed */
    }
    free(v);
}

/* Fills row r of X with 1 and the scaled features of data row i. */
static void scaled_row(const struct dataset *d, size_t i, const double *median,
                       const double *mean, const double *sd, double *out)
{
    out[0] = 1.0;
    for (size_t j = 0; j < d->p; j++) {
        double x = d->x[i * d->p + j];

        if (isnan(x))
            x = median[j];
        out[j + 1] = sd[j] > 0.0 ? (x - mean[j]) / sd[j] : 0.0;
    }
}

static double penalised_loglik(const gsl_matrix *X, const int *y, const gsl_vector *beta)
{
    double ll = 0.0, penalty = 0.0;

    for (size_t i = 0; i < X->size1; i++) {
        gsl_vector_const_view row = gsl_matrix_const_row(X, i);
        double z;

        gsl_blas_ddot(&row.vector, beta, &z);
        /* log p(y | z) = y z - log(1 + exp(z)), overflow-safe. */
        ll += y[i] * z - (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)));
    }
    for (size_t j = 1; j < beta->size; j++)
        penalty += gsl_vector_get(beta, j) * gsl_vector_get(beta, j);
    return ll - LOGISTIC_LAMBDA / 2.0 * penalty;
}

/* Newton's method on the penalised log-likelihood; beta starts at 0. */
static int fit_newton(const gsl_matrix *X, const int *y, gsl_vector *beta, struct strbuf *err)
{
    size_t n = X->size1, k = X->size2;
    gsl_matrix *Xw = gsl_matrix_alloc(n, k), *H = gsl_matrix_alloc(k, k);
    gsl_vector *g = gsl_vector_alloc(k), *delta = gsl_vector_alloc(k);
    gsl_vector *trial = gsl_vector_alloc(k);
    double ll;
    int rc = -1;

    gsl_vector_set_zero(beta);
    ll = penalised_loglik(X, y, beta);
    for (int iter = 0; iter < LOGISTIC_MAX_ITER; iter++) {
        double step = 1.0, change = 0.0;

        /* Gradient X'(y - mu) - lambda w, Hessian X' W X + lambda I. */
        gsl_vector_set_zero(g);
        for (size_t i = 0; i < n; i++) {
            gsl_vector_const_view row = gsl_matrix_const_row(X, i);
            gsl_vector_view wrow = gsl_matrix_row(Xw, i);
            double z, mu;

            gsl_blas_ddot(&row.vector, beta, &z);
            mu = platt_apply(1.0, 0.0, z);
            gsl_blas_daxpy(y[i] - mu, &row.vector, g);
            gsl_vector_memcpy(&wrow.vector, &row.vector);
            gsl_vector_scale(&wrow.vector, sqrt(mu * (1.0 - mu)));
        }
        gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0, Xw, 0.0, H);
        for (size_t j = 1; j < k; j++) {
            *gsl_vector_ptr(g, j) -= LOGISTIC_LAMBDA * gsl_vector_get(beta, j);
            *gsl_matrix_ptr(H, j, j) += LOGISTIC_LAMBDA;
        }
        *gsl_matrix_ptr(H, 0, 0) += 1e-10;   /* keeps H definite if mu saturates */
        if (gsl_linalg_cholesky_decomp1(H) != GSL_SUCCESS ||
            gsl_linalg_cholesky_solve(H, g, delta) != GSL_SUCCESS) {
            sb_add(err, _("the logistic regression failed: its Hessian is singular"));
            goto out;
        }

        /* Step halving until the penalised log-likelihood does not drop. */
        for (;;) {
            double next;

            gsl_vector_memcpy(trial, beta);
            gsl_blas_daxpy(step, delta, trial);
            next = penalised_loglik(X, y, trial);
            if (next >= ll - 1e-12 || step < 1e-8) {
                ll = next;
                break;
            }
            step /= 2.0;
        }
        for (size_t j = 0; j < k; j++)
            change = fmax(change, fabs(step * gsl_vector_get(delta, j)));
        gsl_vector_memcpy(beta, trial);
        if (change < 1e-8)
            break;
    }
    rc = 0;

out:
    gsl_matrix_free(Xw);
    gsl_matrix_free(H);
    gsl_vector_free(g);
    gsl_vector_free(delta);
    gsl_vector_free(trial);
    return rc;
}

int logistic_fit(const struct dataset *d, const size_t *train, size_t ntrain,
                 struct logistic_model *model, struct strbuf *err)
{
    size_t k = d->p + 1;
    gsl_matrix *X = gsl_matrix_alloc(ntrain, k);
    gsl_vector *beta = gsl_vector_alloc(k);
    int *y = xcalloc(ntrain, sizeof(int));
    int rc = -1;

    gsl_set_error_handler_off();   /* errors come back as return codes */
    model->p = d->p;
    model->median = xcalloc(d->p + 1, sizeof(double));
    model->mean = xcalloc(d->p + 1, sizeof(double));
    model->sd = xcalloc(d->p + 1, sizeof(double));
    model->beta = xcalloc(k, sizeof(double));
    fit_scaling(d, train, ntrain, model->median, model->mean, model->sd);
    for (size_t i = 0; i < ntrain; i++) {
        scaled_row(d, train[i], model->median, model->mean, model->sd, gsl_matrix_ptr(X, i, 0));
        y[i] = d->y[train[i]];
    }
    if (fit_newton(X, y, beta, err) < 0)
        goto out;
    for (size_t j = 0; j < k; j++)
        model->beta[j] = gsl_vector_get(beta, j);
    rc = 0;

out:
    free(y);
    gsl_matrix_free(X);
    gsl_vector_free(beta);
    if (rc < 0)
        logistic_model_free(model);
    return rc;
}

double logistic_score(const struct logistic_model *model, const double *x, double *contribution)
{
    double z = model->beta[0];

    for (size_t j = 0; j < model->p; j++) {
        double v = isnan(x[j]) ? model->median[j] : x[j];
        double term = model->sd[j] > 0.0 ? model->beta[j + 1] * (v - model->mean[j]) / model->sd[j]
                                         : 0.0;

        if (contribution)
            contribution[j] = term;
        z += term;
    }
    return z;
}

void logistic_model_free(struct logistic_model *model)
{
    free(model->median);
    free(model->mean);
    free(model->sd);
    free(model->beta);
    model->median = model->mean = model->sd = model->beta = NULL;
}

int logistic_fit_score(const struct dataset *d, const size_t *train, size_t ntrain,
                       const size_t *test, size_t ntest, double *score, struct strbuf *err)
{
    struct logistic_model model;

    if (logistic_fit(d, train, ntrain, &model, err) < 0)
        return -1;

    /* The score is the linear predictor (the log-odds). */
    for (size_t i = 0; i < ntest; i++)
        score[i] = logistic_score(&model, &d->x[test[i] * d->p], NULL);
    logistic_model_free(&model);
    return 0;
}

size_t logistic_rising_terms(const struct logistic_model *model, const double *x, double min_term,
                             size_t *order)
{
    double *term = xcalloc(model->p + 1, sizeof(double));
    size_t n = 0;

    (void)logistic_score(model, x, term);
    for (size_t j = 0; j < model->p; j++) {
        size_t k;

        if (!(term[j] > min_term))
            continue;
        k = n++;
        /* Insertion by falling term; equal terms keep feature order. */
        while (k > 0 && term[order[k - 1]] < term[j]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = j;
    }
    free(term);
    return n;
}

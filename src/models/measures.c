/*
 * Measures of predicted probabilities against 0/1 labels: ROC-AUC by
 * ranks (tied scores share their mean rank, so a tie counts one half),
 * average precision (the PR-AUC that scikit-learn's
 * average_precision_score computes: precision at each distinct threshold
 * weighted by the recall it adds), the Brier score, lift in the top
 * share, a calibration table, and Platt scaling.
 */
#include <math.h>
#include <stdlib.h>

#include "models/models.h"
#include "util/xalloc.h"

struct scored {
    double p;
    int y;
    size_t index;
};

/* Orders by descending probability, ties by row order. */
static int compare_descending(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;

    if (x->p != y->p)
        return x->p > y->p ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static struct scored *sorted_descending(const double *p, const int *y, size_t n)
{
    struct scored *s = xcalloc(n ? n : 1, sizeof(*s));

    for (size_t i = 0; i < n; i++)
        s[i] = (struct scored){p[i], y[i], i};
    qsort(s, n, sizeof(*s), compare_descending);
    return s;
}

double measure_roc_auc(const double *p, const int *y, size_t n)
{
    struct scored *s = sorted_descending(p, y, n);
    double rank_sum = 0.0, npos = 0.0, nneg;

    /* Ranks count from the lowest score: position i (descending) has rank
     * n - i; a group of ties gets the mean of its ranks. */
    for (size_t i = 0; i < n;) {
        size_t j = i, pos = 0;

        while (j < n && s[j].p == s[i].p) {
            pos += (size_t)s[j].y;
            j++;
        }
        rank_sum += (double)pos * ((double)(n - i) + (double)(n - j + 1)) / 2.0;
        npos += (double)pos;
        i = j;
    }
    free(s);
    nneg = (double)n - npos;
    if (npos == 0.0 || nneg == 0.0)
        return NAN;
    return (rank_sum - npos * (npos + 1.0) / 2.0) / (npos * nneg);
}

double measure_average_precision(const double *p, const int *y, size_t n)
{
    struct scored *s = sorted_descending(p, y, n);
    double npos = 0.0, tp = 0.0, ap = 0.0;

    for (size_t i = 0; i < n; i++)
        npos += s[i].y;
    if (npos == 0.0) {
        free(s);
        return NAN;
    }
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double group_tp = 0.0;

        while (j < n && s[j].p == s[i].p) {
            group_tp += s[j].y;
            j++;
        }
        tp += group_tp;
        ap += (tp / (double)j) * (group_tp / npos);
        i = j;
    }
    free(s);
    return ap;
}

double measure_brier(const double *p, const int *y, size_t n)
{
    double sum = 0.0;

    for (size_t i = 0; i < n; i++)
        sum += (p[i] - y[i]) * (p[i] - y[i]);
    return n ? sum / (double)n : NAN;
}

double measure_lift_top(const double *p, const int *y, size_t n, double share)
{
    struct scored *s;
    size_t k = (size_t)ceil(share * (double)n), top_pos = 0, all_pos = 0;

    if (n == 0)
        return NAN;
    if (k < 1)
        k = 1;
    s = sorted_descending(p, y, n);
    for (size_t i = 0; i < n; i++) {
        all_pos += (size_t)s[i].y;
        if (i < k)
            top_pos += (size_t)s[i].y;
    }
    free(s);
    if (all_pos == 0)
        return NAN;
    return ((double)top_pos / (double)k) / ((double)all_pos / (double)n);
}

void measure_calibration(const double *p, const int *y, size_t n, struct calibration_bin bins[10])
{
    double sum_p[10] = {0}, sum_y[10] = {0};

    for (int b = 0; b < 10; b++)
        bins[b] = (struct calibration_bin){.bin = b + 1};
    for (size_t i = 0; i < n; i++) {
        int b = (int)floor(p[i] * 10.0);

        if (b < 0)
            b = 0;
        if (b > 9)
            b = 9;
        sum_p[b] += p[i];
        sum_y[b] += y[i];
        bins[b].n++;
    }
    for (int b = 0; b < 10; b++) {
        bins[b].predicted = bins[b].n ? sum_p[b] / (double)bins[b].n : NAN;
        bins[b].observed = bins[b].n ? sum_y[b] / (double)bins[b].n : NAN;
    }
}

double platt_apply(double a, double b, double s)
{
    double z = a * s + b;

    return z >= 0 ? 1.0 / (1.0 + exp(-z)) : exp(z) / (1.0 + exp(z));
}

/* The negative log-likelihood of the targets t under (a, b). */
static double platt_loss(const double *s, const double *t, size_t n, double a, double b)
{
    double loss = 0.0;

    for (size_t i = 0; i < n; i++) {
        double z = a * s[i] + b;

        /* log(1 + exp(z)) - t z, written to avoid overflow. */
        loss += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - t[i] * z;
    }
    return loss;
}

/*
 * Newton's method with a backtracking line search on the smoothed
 * targets (N+ + 1) / (N+ + 2) and 1 / (N- + 2) that Platt proposed, which
 * keep the fit finite when the scores separate the classes.
 */
void platt_fit(const double *s, const int *y, size_t n, double *a, double *b)
{
    double *t = xcalloc(n ? n : 1, sizeof(double));
    double npos = 0.0, nneg, loss;

    for (size_t i = 0; i < n; i++)
        npos += y[i];
    nneg = (double)n - npos;
    for (size_t i = 0; i < n; i++)
        t[i] = y[i] ? (npos + 1.0) / (npos + 2.0) : 1.0 / (nneg + 2.0);

    *a = 1.0;
    *b = 0.0;
    loss = platt_loss(s, t, n, *a, *b);
    for (int iter = 0; iter < 100; iter++) {
        double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12, det, da, db, step = 1.0;

        for (size_t i = 0; i < n; i++) {
            double q = platt_apply(*a, *b, s[i]), w = q * (1.0 - q);

            ga += (q - t[i]) * s[i];
            gb += q - t[i];
            haa += w * s[i] * s[i];
            hab += w * s[i];
            hbb += w;
        }
        if (fabs(ga) < 1e-9 && fabs(gb) < 1e-9)
            break;
        det = haa * hbb - hab * hab;
        da = -(hbb * ga - hab * gb) / det;
        db = -(haa * gb - hab * ga) / det;
        while (step > 1e-10) {
            double next = platt_loss(s, t, n, *a + step * da, *b + step * db);

            if (next < loss + 1e-4 * step * (ga * da + gb * db)) {
                loss = next;
                break;
            }
            step /= 2.0;
        }
        if (step <= 1e-10)
            break;
        *a += step * da;
        *b += step * db;
    }
    free(t);
}

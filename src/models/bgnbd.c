/*
 * The BG/NBD model of repeat purchases (Fader, Hardie and Lee, "Counting
 * your customers the easy way", Marketing Science 2005). While alive, a
 * customer buys at a Poisson rate lambda ~ Gamma(r, alpha). After each
 * purchase the customer drops out with probability p ~ Beta(a, b). The
 * fit maximises the summed log-likelihood over the four parameters on a
 * log scale (so they stay positive) with GSL's Nelder-Mead simplex.
 */
#include <math.h>
#include <stdbool.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_gamma.h>

#include "models/models.h"
#include "util/i18n.h"

/* Simplex runs, each started at the last one's minimum, before the fit
 * counts as not converged. */
#define BGNBD_RESTARTS 10

struct bgnbd_data {
    const struct bgnbd_customer *c;
    size_t n;
};

/* log(exp(u) + exp(v)) without overflow. */
static double log_add(double u, double v)
{
    double m = fmax(u, v);

    return m + log(exp(u - m) + exp(v - m));
}

double bgnbd_loglik(const struct bgnbd_fit *m, const struct bgnbd_customer *c, size_t n)
{
    double sum = 0.0, lnbeta_ab = gsl_sf_lnbeta(m->a, m->b);
    double lg_r = lgamma(m->r), ln_alpha = log(m->alpha);

    for (size_t i = 0; i < n; i++) {
        double x = c[i].x, rx = m->r + x;
        double a1 = lgamma(rx) - lg_r + m->r * ln_alpha;
        double a2 = gsl_sf_lnbeta(m->a, m->b + x) - lnbeta_ab;
        double a3 = -rx * log(m->alpha + c[i].T);
        double term = a3;

        /* A customer with repeat purchases may also have dropped out
         * right after the last one, at t_x. */
        if (x > 0)
            term = log_add(a3, log(m->a) - log(m->b + x - 1.0) - rx * log(m->alpha + c[i].t_x));
        sum += a1 + a2 + term;
    }
    return sum;
}

static double negative_loglik(const gsl_vector *v, void *params)
{
    const struct bgnbd_data *data = params;
    struct bgnbd_fit m = {
        .r = exp(gsl_vector_get(v, 0)), .alpha = exp(gsl_vector_get(v, 1)),
        .a = exp(gsl_vector_get(v, 2)), .b = exp(gsl_vector_get(v, 3)),
    };
    double ll = bgnbd_loglik(&m, data->c, data->n);

    return isfinite(ll) ? -ll : GSL_POSINF;
}

/* One Nelder-Mead run from start (log-parameters); writes the minimum
 * back into start. */
static int simplex_run(struct bgnbd_data *data, gsl_vector *start, double *value)
{
    gsl_multimin_function f = {.n = 4, .f = negative_loglik, .params = data};
    gsl_multimin_fminimizer *s = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 4);
    gsl_vector *step = gsl_vector_alloc(4);
    int status = GSL_CONTINUE;

    gsl_vector_set_all(step, 0.5);
    gsl_multimin_fminimizer_set(s, &f, start, step);
    for (int iter = 0; iter < 20000 && status == GSL_CONTINUE; iter++) {
        if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
            break;
        status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-9);
    }
    gsl_vector_memcpy(start, gsl_multimin_fminimizer_x(s));
    *value = gsl_multimin_fminimizer_minimum(s);
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(step);
    return status == GSL_SUCCESS ? 0 : -1;
}

/* Says in err why c[0..n) has nothing to fit, or returns 0. A customer
 * with T = 0 adds nothing to the likelihood, and without a repeat
 * purchase the drop-out rate has no data, so the likelihood is flat. */
static int check_fit_data(const struct bgnbd_customer *c, size_t n, struct strbuf *err)
{
    size_t aged = 0, repeaters = 0;

    for (size_t i = 0; i < n; i++) {
        aged += c[i].T > 0;
        repeaters += c[i].x > 0;
    }
    if (n < BGNBD_MIN_CUSTOMERS)
        sb_addf(err, _("only %zu customers to fit BG/NBD to; it needs at least %d"), n,
                BGNBD_MIN_CUSTOMERS);
    else if (aged == 0)
        sb_addf(err,
                _("all %zu customers made their first purchase on the calibration end, so "
                  "none had time to buy again (T = 0); choose a later calibration end"),
                n);
    else if (repeaters == 0)
        sb_addf(err,
                _("none of the %zu customers bought again up to the calibration end, so "
                  "BG/NBD has no repeat purchases to fit; choose a later calibration end"),
                n);
    return err->len ? -1 : 0;
}

int bgnbd_fit(const struct bgnbd_customer *c, size_t n, struct bgnbd_fit *m, struct strbuf *err)
{
    struct bgnbd_data data = {c, n};
    gsl_vector *x;
    double value = 0.0, previous = GSL_POSINF;
    bool converged = false;
    int rc = -1;

    if (check_fit_data(c, n, err) < 0)
        return -1;
    x = gsl_vector_alloc(4);
    gsl_set_error_handler_off();
    gsl_vector_set_all(x, 0.0);   /* r = alpha = a = b = 1 */

    /* Restarting the simplex at its own minimum until the value stops
     * improving guards against a simplex that collapsed early. */
    for (int restart = 0; restart < BGNBD_RESTARTS && !converged; restart++) {
        int status = simplex_run(&data, x, &value);

        if (!isfinite(value)) {
            sb_add(err, _("the BG/NBD fit failed: the likelihood is not finite"));
            goto out;
        }
        converged = status == 0 && previous - value < 1e-9;
        previous = value;
    }
    if (!converged) {
        sb_addf(err, _("the BG/NBD fit did not converge after %d restarts of the simplex"),
                BGNBD_RESTARTS);
        goto out;
    }
    m->r = exp(gsl_vector_get(x, 0));
    m->alpha = exp(gsl_vector_get(x, 1));
    m->a = exp(gsl_vector_get(x, 2));
    m->b = exp(gsl_vector_get(x, 3));
    m->loglik = -value;
    rc = 0;

out:
    gsl_vector_free(x);
    return rc;
}

int bgnbd_check_interior(const struct bgnbd_fit *m, struct strbuf *err)
{
    const double values[] = {m->r, m->alpha, m->a, m->b};
    static const char *const names[] = {"r", "alpha", "a", "b"};

    for (size_t k = 0; k < sizeof(values) / sizeof(values[0]); k++) {
        if (values[k] > BGNBD_PARAM_EDGE || values[k] < 1.0 / BGNBD_PARAM_EDGE) {
            sb_addf(err,
                    _("the BG/NBD fit did not converge to a maximum: %s ran to %g, so the data "
                      "cannot pin the parameters down; choose a later calibration end"),
                    names[k], values[k]);
            return -1;
        }
    }
    return 0;
}

/* The Gauss hypergeometric function 2F1(a, b; c; z) for 0 <= z < 1 by its
 * power series, summed until a term no longer changes the sum. */
static double hyp2f1(double a, double b, double c, double z)
{
    double term = 1.0, sum = 1.0;

    for (int k = 0; k < 1000000; k++) {
        term *= (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        if (fabs(term) < 1e-15 * fabs(sum))
            break;
    }
    return sum;
}

/* Returns E[Y(t) | x, t_x, T], equation 10 of the BG/NBD paper. */
double bgnbd_conditional_expectation(const struct bgnbd_fit *m, const struct bgnbd_customer *c,
                                     double t)
{
    double x = c->x, rx = m->r + x;
    double z = t / (m->alpha + c->T + t);
    double head = (m->a + m->b + x - 1.0) / (m->a - 1.0);
    double body = 1.0 - pow((m->alpha + c->T) / (m->alpha + c->T + t), rx) *
                            hyp2f1(rx, m->b + x, m->a + m->b + x - 1.0, z);

    return head * body * bgnbd_p_alive(m, c);
}

/* Returns P(alive | x, t_x, T): the share of the customer's likelihood
 * that comes from the term of still being alive at T. The ratio of the
 * drop-out term to that term is a / (b + x - 1) * ((alpha + T) / (alpha
 * + t_x))^(r + x). Without repeat purchases the result is 1, because the
 * model lets a customer drop out only right after a purchase. */
double bgnbd_p_alive(const struct bgnbd_fit *m, const struct bgnbd_customer *c)
{
    if (c->x <= 0)
        return 1.0;
    return 1.0 / (1.0 + m->a / (m->b + c->x - 1.0) *
                            pow((m->alpha + c->T) / (m->alpha + c->t_x), m->r + c->x));
}

/*
 * The BG/NBD likelihood and conditional expectation at parameters where
 * both can be worked out by hand (the reckoning is beside each case).
 */
#include <math.h>
#include <string.h>

#include "support.h"
#include "models/models.h"

static void loglik_by_hand(void **state)
{
    /* r = alpha = a = b = 1. No repeat, T = 1: B(1,1)/B(1,1) * 1/(1+1) =
     * 1/2. One repeat at t_x = 1, T = 2: B(1,2)/B(1,1) * 1/3^2 = 1/18,
     * plus B(2,1)/B(1,1) * 1/2^2 = 1/8, so 13/72. */
    const struct bgnbd_fit m = {.r = 1, .alpha = 1, .a = 1, .b = 1};
    const struct bgnbd_customer none = {.x = 0, .t_x = 0, .T = 1};
    const struct bgnbd_customer one = {.x = 1, .t_x = 1, .T = 2};
    const struct bgnbd_customer both[] = {none, one};

    (void)state;
    assert_float_equal(bgnbd_loglik(&m, &none, 1), log(0.5), 1e-12);
    assert_float_equal(bgnbd_loglik(&m, &one, 1), log(13.0 / 72.0), 1e-12);
    assert_float_equal(bgnbd_loglik(&m, both, 2), log(0.5) + log(13.0 / 72.0), 1e-12);
}

static void expectation_by_hand(void **state)
{
    /* r = 1, alpha = 1, a = 2, b = 1, x = 0, T = 1, t = 1: the factor
     * (a+b-1)/(a-1) is 2, z = 1/3, 2F1(1,1;2;z) = -ln(1-z)/z = 3 ln 1.5,
     * so E = 2 (1 - (2/3) 3 ln 1.5) = 2 - 4 ln 1.5. */
    const struct bgnbd_fit m = {.r = 1, .alpha = 1, .a = 2, .b = 1};
    const struct bgnbd_customer c = {.x = 0, .t_x = 0, .T = 1};

    (void)state;
    assert_float_equal(bgnbd_conditional_expectation(&m, &c, 1.0), 2.0 - 4.0 * log(1.5), 1e-12);
    assert_float_equal(bgnbd_conditional_expectation(&m, &c, 0.0), 0.0, 1e-15);
}

static void fit_recovers_its_optimum(void **state)
{
    /* The fit's log-likelihood is the likelihood at its parameters, and
     * no nearby point is better. */
    struct bgnbd_customer c[40];
    struct bgnbd_fit m, near;
    struct strbuf err = STRBUF_INIT;

    (void)state;
    for (int i = 0; i < 40; i++) {
        c[i].x = i % 5;
        c[i].t_x = c[i].x > 0 ? 3.0 + i % 7 : 0.0;
        c[i].T = 12.0 + i % 3;
    }
    assert_int_equal(bgnbd_fit(c, 40, &m, &err), 0);
    assert_float_equal(m.loglik, bgnbd_loglik(&m, c, 40), 1e-9);
    near = m;
    near.r *= 1.01;
    assert_true(bgnbd_loglik(&near, c, 40) <= m.loglik);
    near = m;
    near.b *= 0.99;
    assert_true(bgnbd_loglik(&near, c, 40) <= m.loglik);
    sb_release(&err);
}

/* Fails to fit with a reason: fewer than 10 customers, every T = 0, or
 * no repeat purchase (the likelihood is then flat in a and b). */
static void fit_needs_data(void **state)
{
    struct bgnbd_customer c[12];
    struct bgnbd_fit m;
    struct strbuf err = STRBUF_INIT;

    (void)state;
    for (int i = 0; i < 12; i++)
        c[i] = (struct bgnbd_customer){.x = 1, .t_x = 1, .T = 4};
    assert_int_equal(bgnbd_fit(c, 9, &m, &err), -1);
    assert_non_null(strstr(err.buf, "at least 10"));

    sb_reset(&err);
    for (int i = 0; i < 12; i++)
        c[i] = (struct bgnbd_customer){.x = 0, .t_x = 0, .T = 0};
    assert_int_equal(bgnbd_fit(c, 12, &m, &err), -1);
    assert_non_null(strstr(err.buf, "T = 0"));

    sb_reset(&err);
    for (int i = 0; i < 12; i++)
        c[i].T = 3;
    assert_int_equal(bgnbd_fit(c, 12, &m, &err), -1);
    assert_non_null(strstr(err.buf, "repeat"));
    sb_release(&err);
}

static void interior_check(void **state)
{
    struct bgnbd_fit m = {.r = 0.24, .alpha = 4.4, .a = 0.79, .b = 2.4};
    struct strbuf err = STRBUF_INIT;

    (void)state;
    assert_int_equal(bgnbd_check_interior(&m, &err), 0);
    m.a = 3e5;
    assert_int_equal(bgnbd_check_interior(&m, &err), -1);
    assert_non_null(strstr(err.buf, "a ran to 300000"));
    sb_reset(&err);
    m.a = 0.79;
    m.r = 1e-6;
    assert_int_equal(bgnbd_check_interior(&m, &err), -1);
    assert_non_null(strstr(err.buf, "r ran to"));
    sb_release(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loglik_by_hand),
        cmocka_unit_test(expectation_by_hand),
        cmocka_unit_test(fit_recovers_its_optimum),
        cmocka_unit_test(fit_needs_data),
        cmocka_unit_test(interior_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

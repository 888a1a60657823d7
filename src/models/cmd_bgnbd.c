/*
 * "cairn model bgnbd": fits BG/NBD to the database's orders. A
 * transaction is a completed order with an amount of zero or more and a
 * customer; a customer's orders on one day are one transaction. Times
 * are in weeks (days / 7). A customer enters the fit when the first
 * transaction is on or before the calibration end. Then x counts the
 * later transaction days up to and including the calibration end, and
 * t_x is the time from the first transaction to the last of them. T is
 * the time from the first transaction to the calibration end. With a
 * holdout end, the fit's expected repeat transactions in the holdout
 * (after the calibration end, up to and including the holdout end) are
 * summed over the customers and set against the actual count.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "db/db.h"
#include "models/cmd_model.h"
#include "models/models.h"
#include "util/date.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct bgnbd_history {
    struct bgnbd_customer *customers;
    size_t n, alloc;
    long holdout_repeat;   /* transaction days in the holdout, all customers */
    cdate last_day;        /* the latest transaction day read, DATE_NONE without any */
};

/* Adds the customer whose transaction days are days[0..ndays), sorted
 * and distinct, when the first is on or before cal_end. */
static void add_customer(struct bgnbd_history *h, const cdate *days, size_t ndays, cdate cal_end)
{
    struct bgnbd_customer c = {0};

    if (ndays == 0 || days[0] > cal_end)
        return;
    for (size_t i = 1; i < ndays; i++) {
        if (days[i] <= cal_end) {
            c.x += 1.0;
            c.t_x = (days[i] - days[0]) / 7.0;
        } else {
            h->holdout_repeat++;
        }
    }
    c.T = (cal_end - days[0]) / 7.0;
    XGROW(h->customers, h->alloc, h->n + 1);
    h->customers[h->n++] = c;
}

/* Reads every customer's transaction days up to last_day. */
static int load_history(struct db *db, cdate cal_end, cdate last_day, struct bgnbd_history *h,
                        struct strbuf *err)
{
    struct db_stmt *st;
    char last_text[DATE_BUFSIZE], *current = NULL;
    cdate *days = NULL;
    size_t ndays = 0, days_alloc = 0;
    int step, rc = -1;

    h->last_day = DATE_NONE;
    st = db_prepare(db,
                    "SELECT customer_id, order_date FROM orders"
                    " WHERE status = 'completed' AND amount >= 0 AND customer_id IS NOT NULL"
                    " AND order_date <= ? ORDER BY customer_id, order_date",
                    err);
    if (!st)
        return -1;
    date_format(last_day, last_text);
    db_bind_text(st, 1, last_text);

    while ((step = db_step(st, err)) == DB_ROW) {
        const char *customer = db_column_text(st, 0), *date_text = db_column_text(st, 1);
        cdate day;

        if (date_parse(date_text, &day) < 0) {
            sb_addf(err, _("order of customer %s has an invalid order_date \"%s\""), customer,
                    date_text);
            goto out;
        }
        if (!current || strcmp(current, customer) != 0) {
            add_customer(h, days, ndays, cal_end);
            free(current);
            current = xstrdup(customer);
            ndays = 0;
        }
        if (h->last_day == DATE_NONE || day > h->last_day)
            h->last_day = day;
        if (ndays == 0 || days[ndays - 1] != day) {
            XGROW(days, days_alloc, ndays + 1);
            days[ndays++] = day;
        }
    }
    if (step == DB_ERROR)
        goto out;
    add_customer(h, days, ndays, cal_end);
    rc = 0;

out:
    db_finalize(st);
    free(current);
    free(days);
    return rc;
}

static int parse_date_option(struct cli *cli, const char *name, const char *value, cdate *out)
{
    if (date_parse(value, out) == 0)
        return 0;
    return cli_usage_error(cli, _("invalid %s '%s': use a date as YYYY-MM-DD"), name, value);
}

static void print_text(const struct bgnbd_fit *m, size_t customers, bool holdout,
                       double predicted, long actual, double weeks)
{
    printf(_("BG/NBD fit over %zu customers\n"), customers);
    printf("  r      %.4f\n  alpha  %.4f\n  a      %.4f\n  b      %.4f\n", m->r, m->alpha, m->a,
           m->b);
    printf(_("  log-likelihood  %.2f\n"), m->loglik);
    if (holdout) {
        printf(_("Holdout of %.2f weeks: %.1f repeat purchases predicted, %ld actual\n"), weeks,
               predicted, actual);
    }
}

/* Warns on stderr when the calibration or holdout end is after the latest
 * transaction, because the weeks after it count as weeks without
 * purchases. */
static void warn_after_data(cdate cal_end, cdate holdout_end, cdate last_day)
{
    char last[DATE_BUFSIZE], end[DATE_BUFSIZE];
    cdate latest_end = holdout_end != DATE_NONE ? holdout_end : cal_end;

    if (latest_end <= last_day)
        return;
    date_format(last_day, last);
    date_format(latest_end, end);
    fprintf(stderr,
            _("warning: %s %s is after the latest transaction (%s); the weeks after it count as "
              "weeks without purchases\n"),
            holdout_end != DATE_NONE ? "--holdout-end" : "--calibration-end", end, last);
}

int model_bgnbd(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"calibration-end", required_argument, NULL, 'c'},
        {"holdout-end", required_argument, NULL, 'h'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bgnbd_history h = {0};
    struct bgnbd_fit m;
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;
    cdate cal_end = DATE_NONE, holdout_end = DATE_NONE;
    const char *format = "text";
    double predicted = 0.0, weeks = 0.0, repeat = 0.0;
    int c, rc = EXIT_FAILED;

    /* Checks. */
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'c') {
            if (parse_date_option(cli, "--calibration-end", optarg, &cal_end))
                return EXIT_USAGE;
        } else if (c == 'h') {
            if (parse_date_option(cli, "--holdout-end", optarg, &holdout_end))
                return EXIT_USAGE;
        } else if (c == 'f') {
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
                return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
            format = optarg;
        } else {
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    if (cal_end == DATE_NONE)
        return cli_usage_error(cli, _("model bgnbd needs --calibration-end DATE"));
    if (holdout_end != DATE_NONE && holdout_end <= cal_end)
        return cli_usage_error(cli, _("--holdout-end must be after --calibration-end"));

    /* The customers' histories and the fit. */
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    if (load_history(db, cal_end, holdout_end != DATE_NONE ? holdout_end : cal_end, &h, &err) < 0)
        goto out;
    if (h.n == 0) {
        sb_add(&err, _("no customer has a completed order on or before the calibration end"));
        goto out;
    }
    warn_after_data(cal_end, holdout_end, h.last_day);
    if (bgnbd_fit(h.customers, h.n, &m, &err) < 0 || bgnbd_check_interior(&m, &err) < 0)
        goto out;
    for (size_t i = 0; i < h.n; i++)
        repeat += h.customers[i].x;

    /* The holdout: expected against actual repeat transactions. */
    if (holdout_end != DATE_NONE) {
        weeks = (holdout_end - cal_end) / 7.0;
        for (size_t i = 0; i < h.n; i++)
            predicted += bgnbd_conditional_expectation(&m, &h.customers[i], weeks);
    }

    if (strcmp(format, "json") == 0) {
        json_t *root = json_pack("{s:f, s:f, s:f, s:f, s:I, s:f, s:f}", "r", m.r, "alpha", m.alpha,
                                 "a", m.a, "b", m.b, "customers", (json_int_t)h.n,
                                 "loglik", m.loglik, "calibration_repeat", repeat);

        if (holdout_end != DATE_NONE) {
            json_object_set_new(root, "predicted_repeat", json_real(predicted));
            json_object_set_new(root, "actual_repeat", json_integer(h.holdout_repeat));
            json_object_set_new(root, "holdout_weeks", json_real(weeks));
        }
        cli_print_json(root);
    } else {
        print_text(&m, h.n, holdout_end != DATE_NONE, predicted, h.holdout_repeat, weeks);
    }
    rc = EXIT_OK;

out:
    if (rc != EXIT_OK && err.len)
        cli_error("%s", err.buf);
    db_close(db);
    free(h.customers);
    sb_release(&err);
    return rc;
}

/*
 * The current attrition risk (risk_attrition, models/risk.h) and the
 * command "cairn model score attrition" that prints it. The stored
 * attrition model is applied to every employee employed on the as-of day
 * (the latest day of the data unless --as-of is given). The list comes
 * highest risk first, each with up to three factors in plain words. A factor is a
 * feature whose term raises this employee's log-odds above the average
 * employee's by more than 0.05, named largest first. The words are in
 * the language of _() at the call (--lang for the command) in every
 * format, because they are written for people, not for programs.
 *
 * The unit of a risk is employees.unit_id, the employee's current unit,
 * which is also the unit the access scope (src/auth/scope.c) uses.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/attrition.h"
#include "models/cmd_model.h"
#include "models/risk.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#define FACTOR_MIN_TERM 0.05

/* Reads the stored model; returns 0, 1 when none is stored, -1 on error. */
static int load_model(struct db *db, struct logistic_model *m, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT params FROM models WHERE name = 'attrition'", err);
    json_t *params = NULL, *names;
    int step, rc = -1;

    if (!st)
        return -1;
    step = db_step(st, err);
    if (step == DB_DONE) {
        rc = 1;
        goto out;
    }
    if (step == DB_ERROR)
        goto out;
    params = json_loads(db_column_text(st, 0), 0, NULL);
    names = json_object_get(params, "features");
    if (!params || json_array_size(names) != ATTR_COUNT) {
        sb_add(err, _("the stored attrition model does not match this version of cairn; "
                      "train it again with 'cairn model train attrition'"));
        goto out;
    }
    m->p = ATTR_COUNT;
    m->median = xcalloc(ATTR_COUNT, sizeof(double));
    m->mean = xcalloc(ATTR_COUNT, sizeof(double));
    m->sd = xcalloc(ATTR_COUNT, sizeof(double));
    m->beta = xcalloc(ATTR_COUNT + 1, sizeof(double));
    for (size_t j = 0; j < ATTR_COUNT; j++) {
        m->median[j] = json_number_value(json_array_get(json_object_get(params, "median"), j));
        m->mean[j] = json_number_value(json_array_get(json_object_get(params, "mean"), j));
        m->sd[j] = json_number_value(json_array_get(json_object_get(params, "sd"), j));
    }
    for (size_t j = 0; j <= ATTR_COUNT; j++)
        m->beta[j] = json_number_value(json_array_get(json_object_get(params, "beta"), j));
    rc = 0;

out:
    json_decref(params);
    db_finalize(st);
    return rc;
}

/* The plain words for feature f of row x, or NULL when its value does not
 * read as a reason (such as a rise in sales). */
static char *factor_text(enum attrition_feature f, const double *x)
{
    struct strbuf sb = STRBUF_INIT;

    switch (f) {
    case ATTR_SATISFACTION_DECLINES:
        if (x[f] >= 2)
            sb_addf(&sb, _("satisfaction fell %d times in a row"), (int)x[f]);
        else if (x[f] >= 1 && !isnan(x[ATTR_SATISFACTION_CHANGE]))
            sb_addf(&sb, _("satisfaction fell from %.1f to %.1f"),
                    x[ATTR_SATISFACTION] - x[ATTR_SATISFACTION_CHANGE], x[ATTR_SATISFACTION]);
        break;
    case ATTR_SATISFACTION_CHANGE:
        if (x[f] < 0)
            sb_addf(&sb, _("satisfaction fell from %.1f to %.1f"),
                    x[ATTR_SATISFACTION] - x[f], x[ATTR_SATISFACTION]);
        break;
    case ATTR_SATISFACTION:
        if (!isnan(x[f]))
            sb_addf(&sb, _("satisfaction is %.1f"), x[f]);
        break;
    case ATTR_SALARY_GAP:
        if (x[f] < -0.005)
            sb_addf(&sb, _("base salary %d%% below the median of the same position"),
                    (int)lround(-x[f] * 100));
        break;
    case ATTR_SALES_CHANGE:
        if (x[f] < -0.005)
            sb_addf(&sb, _("sales of the last 90 days down %d%% on the 90 days before"),
                    (int)lround(-x[f] * 100));
        break;
    case ATTR_SALES_90:
        if (x[ATTR_SALES_ROLE] > 0)
            sb_addf(&sb, _("sales of the last 90 days: %.0f yuan"), x[f]);
        break;
    case ATTR_MANAGER_LEFT:
        if (x[f] > 0)
            sb_add(&sb, _("the direct manager left in the last 180 days"));
        break;
    case ATTR_UNIT_LEAVERS:
        if (x[f] > 0)
            sb_addf(&sb, _("%d others of the same unit left in the last 90 days"), (int)x[f]);
        break;
    case ATTR_TENURE_YEARS:
        sb_addf(&sb, _("tenure of %.1f years"), x[f]);
        break;
    case ATTR_SALES_ROLE:
    case ATTR_COUNT:
        break;
    }
    return sb.len ? sb_detach(&sb) : (sb_release(&sb), NULL);
}

/* Fills r's factors: the features whose terms raise the log-odds most,
 * skipping those that do not read as a reason. */
static void add_factors(const struct logistic_model *m, const double *x, double *term,
                        struct risk *r)
{
    bool used[ATTR_COUNT] = {false};

    (void)logistic_score(m, x, term);
    while (r->nfactors < RISK_MAX_FACTORS) {
        int top = -1;

        for (int f = 0; f < ATTR_COUNT; f++)
            if (!used[f] && term[f] > FACTOR_MIN_TERM && (top < 0 || term[f] > term[top]))
                top = f;
        if (top < 0)
            break;
        used[top] = true;

        char *text = factor_text((enum attrition_feature)top, x);

        if (text)
            r->factors[r->nfactors++] = text;
    }
}

/* Highest probability first; ties by employee id. */
static int compare_risks(const void *a, const void *b)
{
    const struct risk *x = a, *y = b;

    if (x->probability != y->probability)
        return x->probability > y->probability ? -1 : 1;
    return strcmp(x->subject, y->subject);
}

int risk_attrition(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err)
{
    struct logistic_model model = {0};
    struct attrition_rows rows;
    struct hr_data hr;
    double term[ATTR_COUNT];
    int found, rc = -1;

    memset(out, 0, sizeof(*out));
    out->as_of = DATE_NONE;
    found = load_model(db, &model, err);
    if (found != 0)
        return found;
    attrition_rows_init(&rows);
    memset(&hr, 0, sizeof(hr));
    if (hr_data_load(db, &hr, err) < 0)
        goto out;
    if (as_of == DATE_NONE)
        as_of = hr.last_day;
    if (as_of == DATE_NONE || attrition_add_cutoff(db, &hr, as_of, &rows, err) < 0) {
        if (!err->len)
            sb_add(err, _("the database has no employees to model"));
        goto out;
    }

    out->as_of = as_of;
    out->v = xcalloc(rows.d.n + 1, sizeof(*out->v));
    for (size_t i = 0; i < rows.d.n; i++) {
        const struct hr_employee *e = &hr.e[rows.employee[i]];
        const double *x = &rows.d.x[i * ATTR_COUNT];
        struct risk *r = &out->v[out->n++];

        r->subject = xstrdup(e->id);
        r->unit = e->unit ? xstrdup(e->unit) : NULL;
        r->probability = platt_apply(1.0, 0.0, logistic_score(&model, x, NULL));
        add_factors(&model, x, term, r);
    }
    qsort(out->v, out->n, sizeof(*out->v), compare_risks);
    rc = 0;

out:
    logistic_model_free(&model);
    attrition_rows_free(&rows);
    hr_data_free(&hr);
    return rc;
}

static void print_scores(const char *format, const struct risk_list *list)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < list->n; i++) {
        const struct risk *r = &list->v[i];
        struct strbuf scope = STRBUF_INIT, joined = STRBUF_INIT;
        json_t *factors = json_array();

        if (r->unit)
            sb_addf(&scope, "unit:%s", r->unit);
        else
            sb_add(&scope, "company");
        for (size_t k = 0; k < r->nfactors; k++) {
            if (k)
                sb_add(&joined, "; ");
            sb_add(&joined, r->factors[k]);
            json_array_append_new(factors, json_string(r->factors[k]));
        }
        if (!strcmp(format, "json")) {
            json_array_append_new(arr, json_pack("{s:s, s:s, s:f, s:o}", "subject", r->subject,
                                                 "scope", scope.buf, "probability",
                                                 r->probability, "factors", factors));
            factors = NULL;
        } else if (!strcmp(format, "csv")) {
            struct strbuf line = STRBUF_INIT;

            if (i == 0)
                fputs("subject,scope,probability,factors\n", stdout);
            csv_write_field(&line, r->subject, ',');
            sb_addch(&line, ',');
            csv_write_field(&line, scope.buf, ',');
            sb_addf(&line, ",%.6f,", r->probability);
            csv_write_field(&line, joined.len ? joined.buf : "", ',');
            puts(line.buf);
            sb_release(&line);
        } else {
            if (i == 0)
                printf("%-10s %-14s %6s  %s\n", _("employee"), _("scope"), _("risk"), _("factors"));
            printf("%-10s %-14s %5.1f%%  %s\n", r->subject, scope.buf, r->probability * 100,
                   joined.len ? joined.buf : "");
        }
        json_decref(factors);
        sb_release(&scope);
        sb_release(&joined);
    }
    if (!strcmp(format, "json"))
        cli_print_json(arr);
    else
        json_decref(arr);
}

int model_score_attrition(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct risk_list list = {0};
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    cdate as_of = DATE_NONE;
    const char *format = "table";
    int c, found, rc = EXIT_FAILED;

    /* Checks. */
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'a') {
            if (date_parse(optarg, &as_of) < 0)
                return cli_usage_error(cli, _("invalid --as-of '%s': use a date as YYYY-MM-DD"),
                                       optarg);
        } else if (c == 'f') {
            if (strcmp(optarg, "table") && strcmp(optarg, "json") && strcmp(optarg, "csv"))
                return cli_usage_error(cli, _("unknown format '%s': use table, json or csv"),
                                       optarg);
            format = optarg;
        } else {
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind >= argc || strcmp(argv[optind], "attrition") != 0)
        return cli_usage_error(cli, _("name the model: attrition"));
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    found = risk_attrition(db, as_of, &list, &err);
    if (found != 0) {
        if (found > 0)
            sb_add(&err, _("no attrition model is stored; run 'cairn model train attrition' "
                           "first"));
        cli_error("%s", err.buf);
        goto out;
    }
    print_scores(format, &list);
    rc = EXIT_OK;

out:
    risk_list_free(&list);
    db_close(db);
    sb_release(&err);
    return rc;
}

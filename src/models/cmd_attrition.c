/*
 * "cairn model eval|train|score attrition": the attrition model on the
 * database. Each cut-off c gives one row per employee employed on c, with
 * features as of c and the label "left in (c, c + 90]".
 *
 * eval --as-of D tests on the cut-off D - 90. It trains on 24 monthly
 * cut-offs whose label windows end on or before that day (D - 180,
 * D - 210, ...), so no label or feature of the test period reaches the
 * training.
 * train fits the logistic regression on the 24 cut-offs whose label
 * windows end on or before the latest day of the data, and stores it
 * with that evaluation in the models table. score applies the stored
 * model to the employees employed on a day and names each one's main
 * factors in plain words.
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
#include "util/i18n.h"
#include "util/xalloc.h"

#define TRAINING_CUTOFFS 24
#define CUTOFF_STEP 30

struct attrition_request {
    cdate as_of;            /* DATE_NONE: the latest day of the data */
    const char *format;
};

/* Parses --as-of and --format of eval and train; the only argument left
 * must be "attrition". Returns -1 on success, else the exit status. */
static int parse_request(struct cli *cli, int argc, char **argv, struct attrition_request *req)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;

    req->as_of = DATE_NONE;
    req->format = "text";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'a') {
            if (date_parse(optarg, &req->as_of) < 0)
                return cli_usage_error(cli, _("invalid --as-of '%s': use a date as YYYY-MM-DD"),
                                       optarg);
        } else if (c == 'f') {
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
            req->format = optarg;
        } else {
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind >= argc || strcmp(argv[optind], "attrition") != 0)
        return cli_usage_error(cli, _("name the model: attrition"));
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    return -1;
}

/* Loads the HR data and settles the as-of day. */
static int open_data(struct cli *cli, struct attrition_request *req, struct db **db,
                     struct hr_data *hr)
{
    struct strbuf err = STRBUF_INIT;

    *db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!*db)
        return -1;
    if (hr_data_load(*db, hr, &err) < 0) {
        cli_error("%s", err.buf);
        sb_release(&err);
        db_close(*db);
        return -1;
    }
    if (req->as_of == DATE_NONE)
        req->as_of = hr->last_day;
    if (hr->n == 0 || req->as_of == DATE_NONE) {
        cli_error(_("the database has no employees to model"));
        hr_data_free(hr);
        db_close(*db);
        return -1;
    }
    return 0;
}

/* Adds the training cut-offs whose label windows end on or before day. */
static int add_training_cutoffs(struct db *db, const struct hr_data *hr, cdate day,
                                struct attrition_rows *rows, struct strbuf *err)
{
    for (int k = 0; k < TRAINING_CUTOFFS; k++)
        if (attrition_add_cutoff(db, hr, day - ATTRITION_HORIZON - k * CUTOFF_STEP, rows, err) < 0)
            return -1;
    return 0;
}

static size_t count_positives(const struct attrition_rows *rows, size_t from, size_t to)
{
    size_t n = 0;

    for (size_t i = from; i < to; i++)
        n += (size_t)rows->d.y[i];
    return n;
}

/*
 * Evaluates both learners at as_of: trained on the cut-offs before
 * as_of - 90, tested on as_of - 90. Fills rows (training rows first, the
 * test rows from *test_from on) and res; returns 0, or -1 with a message
 * in err.
 */
static int evaluate(struct db *db, const struct hr_data *hr, cdate as_of,
                    struct attrition_rows *rows, struct learner_result *res, int *best,
                    size_t *test_from, struct strbuf *err)
{
    cdate test_cutoff = as_of - ATTRITION_HORIZON;
    size_t ntrain, ntest, train_pos, test_pos, *train, *test;
    int rc = -1;

    if (add_training_cutoffs(db, hr, test_cutoff, rows, err) < 0)
        return -1;
    *test_from = rows->d.n;
    if (attrition_add_cutoff(db, hr, test_cutoff, rows, err) < 0)
        return -1;
    ntrain = *test_from;
    ntest = rows->d.n - ntrain;
    train_pos = count_positives(rows, 0, ntrain);
    test_pos = count_positives(rows, ntrain, rows->d.n);
    if (train_pos == 0 || train_pos == ntrain || test_pos == 0 || test_pos == ntest) {
        sb_addf(err, _("too few leavers to evaluate: %zu of %zu training rows and %zu of %zu "
                       "test rows left within 90 days; both sets need leavers and stayers"),
                train_pos, ntrain, test_pos, ntest);
        return -1;
    }

    train = xcalloc(ntrain, sizeof(size_t));
    test = xcalloc(ntest, sizeof(size_t));
    for (size_t i = 0; i < ntrain; i++)
        train[i] = i;
    for (size_t i = 0; i < ntest; i++)
        test[i] = ntrain + i;
    if (holdout_run(&rows->d, train, ntrain, test, ntest, 1, res, err) == 0) {
        *best = best_learner(res);
        rc = 0;
    }
    free(train);
    free(test);
    return rc;
}

/* The evaluation JSON restricted to the test rows' counts. */
static json_t *evaluation_at(const struct attrition_rows *rows, const struct learner_result *res,
                             int best, size_t test_from, cdate as_of)
{
    struct dataset test_view = rows->d;
    char day[DATE_BUFSIZE];
    json_t *root;

    test_view.n = rows->d.n - test_from;
    root = evaluation_json("attrition", &test_view, res, 1, best,
                           count_positives(rows, test_from, rows->d.n));
    json_object_del(root, "folds");
    json_object_del(root, "dropped");
    json_object_del(root, "rows_without_label");
    date_format(as_of, day);
    json_object_set_new(root, "as_of", json_string(day));
    date_format(as_of - ATTRITION_HORIZON, day);
    json_object_set_new(root, "cutoff", json_string(day));
    json_object_set_new(root, "training_rows", json_integer((json_int_t)test_from));
    json_object_set_new(root, "training_positives",
                        json_integer((json_int_t)count_positives(rows, 0, test_from)));
    return root;
}

int model_eval_attrition(struct cli *cli, int argc, char **argv)
{
    struct attrition_request req;
    struct attrition_rows rows;
    struct learner_result res[LEARNER_COUNT];
    struct hr_data hr;
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    size_t test_from;
    int best, rc = parse_request(cli, argc, argv, &req);

    if (rc >= 0)
        return rc;
    if (open_data(cli, &req, &db, &hr) < 0)
        return EXIT_FAILED;
    attrition_rows_init(&rows);
    rc = EXIT_FAILED;
    if (evaluate(db, &hr, req.as_of, &rows, res, &best, &test_from, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    if (!strcmp(req.format, "json")) {
        cli_print_json(evaluation_at(&rows, res, best, test_from, req.as_of));
    } else {
        struct dataset test_view = rows.d;

        test_view.n = rows.d.n - test_from;
        printf(_("Attrition: trained on %zu rows of earlier cut-offs, tested on the %zu "
                 "employees of the cut-off\n"), test_from, test_view.n);
        evaluation_print(&test_view, res, 1, best, count_positives(&rows, test_from, rows.d.n));
    }
    for (int l = 0; l < LEARNER_COUNT; l++)
        learner_result_free(&res[l]);
    rc = EXIT_OK;

out:
    attrition_rows_free(&rows);
    hr_data_free(&hr);
    db_close(db);
    sb_release(&err);
    return rc;
}

static json_t *doubles_json(const double *v, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_real(v[i]));
    return arr;
}

/* Stores the model as JSON in the models table, replacing the last one. */
static int store_model(struct db *db, const struct logistic_model *m, cdate as_of,
                       json_t *evaluation, struct strbuf *err)
{
    json_t *names = json_array(), *params;
    struct db_stmt *st;
    char day[DATE_BUFSIZE], *params_text, *eval_text;
    int rc = -1;

    for (int f = 0; f < ATTR_COUNT; f++)
        json_array_append_new(names, json_string(attrition_feature_name((enum attrition_feature)f)));
    params = json_pack("{s:o, s:o, s:o, s:o, s:o}", "features", names,
                       "median", doubles_json(m->median, m->p), "mean", doubles_json(m->mean, m->p),
                       "sd", doubles_json(m->sd, m->p), "beta", doubles_json(m->beta, m->p + 1));
    params_text = json_dumps(params, JSON_COMPACT | JSON_REAL_PRECISION(17));
    eval_text = evaluation ? json_dumps(evaluation, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    date_format(as_of, day);

    st = db_prepare(db,
                    "INSERT OR REPLACE INTO models (name, learner, as_of, trained_at, params, evaluation)"
                    " VALUES ('attrition', 'logistic_regression', ?, datetime('now'), ?, ?)", err);
    if (st) {
        db_bind_text(st, 1, day);
        db_bind_text(st, 2, params_text);
        db_bind_text(st, 3, eval_text);
        rc = db_step(st, err) == DB_DONE ? 0 : -1;
        db_finalize(st);
    }
    json_decref(params);
    free(params_text);
    free(eval_text);
    return rc;
}

int model_train_attrition(struct cli *cli, int argc, char **argv)
{
    struct attrition_request req;
    struct attrition_rows rows, eval_rows;
    struct learner_result res[LEARNER_COUNT];
    struct logistic_model model;
    struct hr_data hr;
    struct strbuf err = STRBUF_INIT, eval_err = STRBUF_INIT;
    struct db *db;
    json_t *evaluation = NULL, *out;
    size_t *all, test_from, positives;
    int best, rc = parse_request(cli, argc, argv, &req);

    if (rc >= 0)
        return rc;
    if (open_data(cli, &req, &db, &hr) < 0)
        return EXIT_FAILED;
    attrition_rows_init(&rows);
    attrition_rows_init(&eval_rows);
    rc = EXIT_FAILED;

    /* The fit on every cut-off whose labels are known. */
    if (add_training_cutoffs(db, &hr, req.as_of, &rows, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    positives = count_positives(&rows, 0, rows.d.n);
    if (positives == 0 || positives == rows.d.n) {
        cli_error(_("too few leavers to train: %zu of %zu rows left within 90 days"), positives,
                  rows.d.n);
        goto out;
    }
    all = xcalloc(rows.d.n, sizeof(size_t));
    for (size_t i = 0; i < rows.d.n; i++)
        all[i] = i;
    if (logistic_fit(&rows.d, all, rows.d.n, &model, &err) < 0) {
        free(all);
        cli_error("%s", err.buf);
        goto out;
    }
    free(all);

    /* Its evaluation, when the data has enough leavers for one. */
    if (evaluate(db, &hr, req.as_of, &eval_rows, res, &best, &test_from, &eval_err) == 0) {
        evaluation = evaluation_at(&eval_rows, res, best, test_from, req.as_of);
        for (int l = 0; l < LEARNER_COUNT; l++)
            learner_result_free(&res[l]);
    }
    if (store_model(db, &model, req.as_of, evaluation, &err) < 0) {
        cli_error("%s", err.buf);
        logistic_model_free(&model);
        goto out;
    }
    logistic_model_free(&model);

    if (!strcmp(req.format, "json")) {
        char day[DATE_BUFSIZE];

        date_format(req.as_of, day);
        out = json_pack("{s:s, s:s, s:s, s:I, s:I}", "model", "attrition", "learner",
                        "logistic_regression", "as_of", day, "rows", (json_int_t)rows.d.n,
                        "positives", (json_int_t)positives);
        json_object_set_new(out, "evaluation", evaluation ? json_incref(evaluation) : json_null());
        cli_print_json(out);
    } else {
        printf(_("Stored the attrition model: a logistic regression on %zu rows, %zu of them "
                 "leavers\n"), rows.d.n, positives);
        if (evaluation) {
            /* The stored learner's figures, not those of the best one. */
            json_t *lr = json_array_get(json_object_get(evaluation, "learners"),
                                        LEARNER_LOGISTIC);

            printf(_("Held-out ROC-AUC %.3f, PR-AUC %.3f\n"),
                   json_number_value(json_object_get(lr, "auc")),
                   json_number_value(json_object_get(lr, "pr_auc")));
        } else
            printf(_("No evaluation: %s\n"), eval_err.buf);
    }
    rc = EXIT_OK;

out:
    json_decref(evaluation);
    attrition_rows_free(&rows);
    attrition_rows_free(&eval_rows);
    hr_data_free(&hr);
    db_close(db);
    sb_release(&err);
    sb_release(&eval_err);
    return rc;
}

/*
 * "cairn model eval|train churn": the churn model on the database. Each
 * cut-off c gives one row per customer with a purchase in (c - 365, c],
 * with features as of c and the label "no purchase in (c, c + 90]".
 *
 * eval --as-of D tests on the cut-off D - 90. It trains on 12 monthly
 * cut-offs whose label windows end on or before that day (D - 180,
 * D - 210, ...), so no label of the test period reaches the training.
 * train fits the logistic regression on the 12 cut-offs whose label
 * windows end on or before the as-of day. It stores the model with that
 * evaluation in the models table as "churn", where risk_churn
 * (score_churn.c) finds it for "model score churn".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/churn.h"
#include "models/cmd_model.h"
#include "models/stored.h"
#include "util/i18n.h"

#define TRAINING_CUTOFFS 12
#define CUTOFF_STEP 30

/* Loads the customers and settles the as-of day. */
static int open_data(struct cli *cli, struct model_request *req, struct db **db,
                     struct churn_data *cd)
{
    struct strbuf err = STRBUF_INIT;

    *db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!*db)
        return -1;
    if (churn_data_load(*db, cd, &err) < 0) {
        cli_error("%s", err.buf);
        sb_release(&err);
        db_close(*db);
        return -1;
    }
    req->as_of = model_data_day(req->as_of, cd->last_day);
    if (cd->norders == 0 || req->as_of == DATE_NONE) {
        cli_error(_("the database has no customer purchases to model"));
        churn_data_free(cd);
        db_close(*db);
        return -1;
    }
    return 0;
}

/* Adds the training cut-offs whose label windows end on or before day. */
static void add_training_cutoffs(const struct churn_data *cd, cdate day, struct churn_rows *rows)
{
    for (int k = 0; k < TRAINING_CUTOFFS; k++)
        churn_add_cutoff(cd, day - CHURN_HORIZON - k * CUTOFF_STEP, rows);
}

/* Evaluates both learners at as_of: trained on the cut-offs before
 * as_of - 90, tested on as_of - 90. Fills rows (training rows first, the
 * test rows from *test_from on) and res; returns 0, or -1 with a message
 * in err. */
static int evaluate(const struct churn_data *cd, cdate as_of, struct churn_rows *rows,
                    struct learner_result *res, int *best, size_t *test_from, struct strbuf *err)
{
    size_t train_pos, test_pos, ntest;

    add_training_cutoffs(cd, as_of - CHURN_HORIZON, rows);
    *test_from = rows->d.n;
    churn_add_cutoff(cd, as_of - CHURN_HORIZON, rows);
    ntest = rows->d.n - *test_from;
    train_pos = dataset_positives(&rows->d, 0, *test_from);
    test_pos = dataset_positives(&rows->d, *test_from, rows->d.n);
    if (train_pos == 0 || train_pos == *test_from || test_pos == 0 || test_pos == ntest) {
        sb_addf(err, _("too few customers to evaluate churn: %zu of %zu training rows and %zu "
                       "of %zu test rows bought nothing within 90 days; both sets need "
                       "customers who did and who did not"),
                train_pos, *test_from, test_pos, ntest);
        return -1;
    }
    return split_evaluate(&rows->d, *test_from, res, best, err);
}

int model_eval_churn(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct churn_rows rows;
    struct learner_result res[LEARNER_COUNT];
    struct churn_data cd;
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    size_t test_from;
    int best, rc = model_parse_request(cli, argc, argv, "churn", &req);

    if (rc >= 0)
        return rc;
    if (open_data(cli, &req, &db, &cd) < 0)
        return EXIT_FAILED;
    churn_rows_init(&rows);
    rc = EXIT_FAILED;
    if (evaluate(&cd, req.as_of, &rows, res, &best, &test_from, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    if (!strcmp(req.format, "text"))
        printf(_("Churn: trained on %zu rows of earlier cut-offs, tested on the %zu customers "
                 "of the cut-off\n"), test_from, rows.d.n - test_from);
    split_evaluation_output(req.format, "churn", &rows.d, res, best, test_from, req.as_of,
                            CHURN_HORIZON);
    for (int l = 0; l < LEARNER_COUNT; l++)
        learner_result_free(&res[l]);
    rc = EXIT_OK;

out:
    churn_rows_free(&rows);
    churn_data_free(&cd);
    db_close(db);
    sb_release(&err);
    return rc;
}

int model_train_churn(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct churn_rows rows, eval_rows;
    struct learner_result res[LEARNER_COUNT];
    struct churn_data cd;
    struct strbuf err = STRBUF_INIT, eval_err = STRBUF_INIT;
    struct db *db;
    json_t *evaluation = NULL;
    size_t test_from, positives;
    int best, rc = model_parse_request(cli, argc, argv, "churn", &req);

    if (rc >= 0)
        return rc;
    if (open_data(cli, &req, &db, &cd) < 0)
        return EXIT_FAILED;
    churn_rows_init(&rows);
    churn_rows_init(&eval_rows);
    rc = EXIT_FAILED;

    /* The rows: every cut-off whose labels are known. */
    add_training_cutoffs(&cd, req.as_of, &rows);
    positives = dataset_positives(&rows.d, 0, rows.d.n);
    if (positives == 0 || positives == rows.d.n) {
        cli_error(_("too few customers to train churn: %zu of %zu rows bought nothing within 90 "
                    "days"), positives, rows.d.n);
        goto out;
    }

    /* Its evaluation, when the data allows one. */
    if (evaluate(&cd, req.as_of, &eval_rows, res, &best, &test_from, &eval_err) == 0) {
        evaluation = split_evaluation_json("churn", &eval_rows.d, res, best, test_from,
                                           req.as_of, CHURN_HORIZON);
        for (int l = 0; l < LEARNER_COUNT; l++)
            learner_result_free(&res[l]);
    }
    if (stored_logistic_train(db, "churn", &rows.d, req.as_of, evaluation, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    if (!strcmp(req.format, "text"))
        printf(_("Stored the churn model: a logistic regression on %zu rows, %zu of them "
                 "customers who bought nothing within 90 days\n"), rows.d.n, positives);
    trained_model_output(req.format, "churn", rows.d.n, positives, req.as_of, evaluation,
                         eval_err.buf);
    rc = EXIT_OK;

out:
    json_decref(evaluation);
    churn_rows_free(&rows);
    churn_rows_free(&eval_rows);
    churn_data_free(&cd);
    db_close(db);
    sb_release(&err);
    sb_release(&eval_err);
    return rc;
}

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
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/attrition.h"
#include "models/cmd_model.h"
#include "models/stored.h"
#include "util/i18n.h"

#define TRAINING_CUTOFFS 24
#define CUTOFF_STEP 30

/* Loads the HR data and settles the as-of day. */
static int open_data(struct cli *cli, struct model_request *req, struct db **db,
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
    req->as_of = model_data_day(req->as_of, hr->last_day);
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
    size_t ntrain, ntest, train_pos, test_pos;

    if (add_training_cutoffs(db, hr, test_cutoff, rows, err) < 0)
        return -1;
    *test_from = rows->d.n;
    if (attrition_add_cutoff(db, hr, test_cutoff, rows, err) < 0)
        return -1;
    ntrain = *test_from;
    ntest = rows->d.n - ntrain;
    train_pos = dataset_positives(&rows->d, 0, ntrain);
    test_pos = dataset_positives(&rows->d, ntrain, rows->d.n);
    if (train_pos == 0 || train_pos == ntrain || test_pos == 0 || test_pos == ntest) {
        sb_addf(err, _("too few leavers to evaluate: %zu of %zu training rows and %zu of %zu "
                       "test rows left within 90 days; both sets need leavers and stayers"),
                train_pos, ntrain, test_pos, ntest);
        return -1;
    }
    return split_evaluate(&rows->d, *test_from, res, best, err);
}

int model_eval_attrition(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct attrition_rows rows;
    struct learner_result res[LEARNER_COUNT];
    struct hr_data hr;
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    size_t test_from;
    int best, rc = model_parse_request(cli, argc, argv, "attrition", &req);

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
    if (!strcmp(req.format, "text"))
        printf(_("Attrition: trained on %zu rows of earlier cut-offs, tested on the %zu "
                 "employees of the cut-off\n"), test_from, rows.d.n - test_from);
    split_evaluation_output(req.format, "attrition", &rows.d, res, best, test_from, req.as_of,
                            ATTRITION_HORIZON);
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

int model_train_attrition(struct cli *cli, int argc, char **argv)
{
    struct model_request req;
    struct attrition_rows rows, eval_rows;
    struct learner_result res[LEARNER_COUNT];
    struct hr_data hr;
    struct strbuf err = STRBUF_INIT, eval_err = STRBUF_INIT;
    struct db *db;
    json_t *evaluation = NULL;
    size_t test_from, positives;
    int best, rc = model_parse_request(cli, argc, argv, "attrition", &req);

    if (rc >= 0)
        return rc;
    if (open_data(cli, &req, &db, &hr) < 0)
        return EXIT_FAILED;
    attrition_rows_init(&rows);
    attrition_rows_init(&eval_rows);
    rc = EXIT_FAILED;

    /* The rows: every cut-off whose labels are known. */
    if (add_training_cutoffs(db, &hr, req.as_of, &rows, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    positives = dataset_positives(&rows.d, 0, rows.d.n);
    if (positives == 0 || positives == rows.d.n) {
        cli_error(_("too few leavers to train: %zu of %zu rows left within 90 days"), positives,
                  rows.d.n);
        goto out;
    }

    /* Its evaluation, when the data has enough leavers for one. */
    if (evaluate(db, &hr, req.as_of, &eval_rows, res, &best, &test_from, &eval_err) == 0) {
        evaluation = split_evaluation_json("attrition", &eval_rows.d, res, best, test_from,
                                           req.as_of, ATTRITION_HORIZON);
        for (int l = 0; l < LEARNER_COUNT; l++)
            learner_result_free(&res[l]);
    }
    if (stored_logistic_train(db, "attrition", &rows.d, req.as_of, evaluation, &err) < 0) {
        cli_error("%s", err.buf);
        goto out;
    }
    if (!strcmp(req.format, "text"))
        printf(_("Stored the attrition model: a logistic regression on %zu rows, %zu of them "
                 "leavers\n"), rows.d.n, positives);
    trained_model_output(req.format, "attrition", rows.d.n, positives, req.as_of, evaluation,
                         eval_err.buf);
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

/*
 * The time-split evaluation of the models on the database and their
 * storage in the models table. A stored logistic regression is the JSON
 * object {"features": [names], "median", "mean", "sd": [p numbers],
 * "beta": [p + 1 numbers, the intercept first]}.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/cmd_model.h"
#include "models/stored.h"
#include "util/i18n.h"
#include "util/xalloc.h"

size_t dataset_positives(const struct dataset *d, size_t from, size_t to)
{
    size_t n = 0;

    for (size_t i = from; i < to; i++)
        n += (size_t)d->y[i];
    return n;
}

int split_evaluate(const struct dataset *d, size_t test_from, struct learner_result *res,
                   int *best, struct strbuf *err)
{
    size_t ntrain = test_from, ntest = d->n - test_from;
    size_t *train = xcalloc(ntrain + 1, sizeof(size_t)), *test = xcalloc(ntest + 1, sizeof(size_t));
    int rc = -1;

    for (size_t i = 0; i < ntrain; i++)
        train[i] = i;
    for (size_t i = 0; i < ntest; i++)
        test[i] = ntrain + i;
    if (holdout_run(d, train, ntrain, test, ntest, 1, res, err) == 0) {
        *best = best_learner(res);
        rc = 0;
    }
    free(train);
    free(test);
    return rc;
}

json_t *split_evaluation_json(const char *model, const struct dataset *d,
                              const struct learner_result *res, int best, size_t test_from,
                              cdate as_of, int horizon)
{
    struct dataset test_view = *d;
    char day[DATE_BUFSIZE];
    json_t *root;

    test_view.n = d->n - test_from;
    root = evaluation_json(model, &test_view, res, 1, best,
                           dataset_positives(d, test_from, d->n));
    json_object_del(root, "folds");
    json_object_del(root, "dropped");
    json_object_del(root, "rows_without_label");
    date_format(as_of, day);
    json_object_set_new(root, "as_of", json_string(day));
    date_format(as_of - horizon, day);
    json_object_set_new(root, "cutoff", json_string(day));
    json_object_set_new(root, "training_rows", json_integer((json_int_t)test_from));
    json_object_set_new(root, "training_positives",
                        json_integer((json_int_t)dataset_positives(d, 0, test_from)));
    return root;
}

static json_t *doubles_json(const double *v, size_t n)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_real(v[i]));
    return arr;
}

int stored_model_save(struct db *db, const char *name, const char *learner, cdate as_of,
                      const json_t *params, const json_t *evaluation, struct strbuf *err)
{
    struct db_stmt *st;
    char day[DATE_BUFSIZE], *params_text, *eval_text;
    int rc = -1;

    params_text = json_dumps(params, JSON_COMPACT | JSON_REAL_PRECISION(17));
    eval_text = evaluation ? json_dumps(evaluation, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    date_format(as_of, day);

    st = db_prepare(db,
                    "INSERT OR REPLACE INTO models (name, learner, as_of, trained_at, params, evaluation)"
                    " VALUES (?, ?, ?, datetime('now'), ?, ?)", err);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, learner);
        db_bind_text(st, 3, day);
        db_bind_text(st, 4, params_text);
        db_bind_text(st, 5, eval_text);
        rc = db_step(st, err) == DB_DONE ? 0 : -1;
        db_finalize(st);
    }
    free(params_text);
    free(eval_text);
    return rc;
}

int stored_model_params(struct db *db, const char *name, json_t **params, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, "SELECT params FROM models WHERE name = ?", err);
    int step;

    *params = NULL;
    if (!st)
        return -1;
    db_bind_text(st, 1, name);
    step = db_step(st, err);
    if (step == DB_ROW)
        *params = json_loads(db_column_text(st, 0), 0, NULL);
    db_finalize(st);
    if (step == DB_ROW && !*params)
        stored_model_mismatch(name, err);
    return step == DB_ROW ? (*params ? 0 : -1) : step == DB_DONE ? 1 : -1;
}

void stored_model_mismatch(const char *name, struct strbuf *err)
{
    sb_addf(err, _("the stored %s model does not match this version of cairn; train it "
                   "again with 'cairn model train %s'"), name, name);
}

int stored_logistic_save(struct db *db, const char *name, const struct logistic_model *m,
                         char *const *names, cdate as_of, const json_t *evaluation,
                         struct strbuf *err)
{
    json_t *features = json_array(), *params;
    int rc;

    for (size_t j = 0; j < m->p; j++)
        json_array_append_new(features, json_string(names[j]));
    params = json_pack("{s:o, s:o, s:o, s:o, s:o}", "features", features,
                       "median", doubles_json(m->median, m->p), "mean", doubles_json(m->mean, m->p),
                       "sd", doubles_json(m->sd, m->p), "beta", doubles_json(m->beta, m->p + 1));
    rc = stored_model_save(db, name, "logistic_regression", as_of, params, evaluation, err);
    json_decref(params);
    return rc;
}

int stored_logistic_train(struct db *db, const char *name, const struct dataset *d, cdate as_of,
                          const json_t *evaluation, struct strbuf *err)
{
    struct logistic_model model;
    size_t *all = xcalloc(d->n + 1, sizeof(size_t));
    int rc;

    for (size_t i = 0; i < d->n; i++)
        all[i] = i;
    rc = logistic_fit(d, all, d->n, &model, err);
    free(all);
    if (rc < 0)
        return -1;
    rc = stored_logistic_save(db, name, &model, d->feature_names, as_of, evaluation, err);
    logistic_model_free(&model);
    return rc;
}

/* Reads the array under key of params into out[0..n); false unless it
 * has exactly n numbers. */
static bool numbers_of(const json_t *params, const char *key, size_t n, double *out)
{
    const json_t *arr = json_object_get(params, key);

    if (json_array_size(arr) != n)
        return false;
    for (size_t j = 0; j < n; j++) {
        const json_t *v = json_array_get(arr, j);

        if (!json_is_number(v))
            return false;
        out[j] = json_number_value(v);
    }
    return true;
}

int stored_logistic_load(struct db *db, const char *name, char *const *names, size_t p,
                         struct logistic_model *m, struct strbuf *err)
{
    json_t *params, *features;
    bool ok;
    int rc;

    memset(m, 0, sizeof(*m));
    rc = stored_model_params(db, name, &params, err);
    if (rc != 0)
        return rc;
    features = json_object_get(params, "features");
    ok = json_array_size(features) == p;
    for (size_t j = 0; ok && j < p; j++)
        ok = json_is_string(json_array_get(features, j)) &&
             strcmp(json_string_value(json_array_get(features, j)), names[j]) == 0;
    m->p = p;
    m->median = xcalloc(p + 1, sizeof(double));
    m->mean = xcalloc(p + 1, sizeof(double));
    m->sd = xcalloc(p + 1, sizeof(double));
    m->beta = xcalloc(p + 1, sizeof(double));
    ok = ok && numbers_of(params, "median", p, m->median) && numbers_of(params, "mean", p, m->mean) &&
         numbers_of(params, "sd", p, m->sd) && numbers_of(params, "beta", p + 1, m->beta);
    rc = 0;
    if (!ok) {
        logistic_model_free(m);
        stored_model_mismatch(name, err);
        rc = -1;
    }
    json_decref(params);
    return rc;
}

/*
 * Shared parts of the models on the database: the time-split evaluation
 * (earlier cut-offs train, one later cut-off tests), and the models kept
 * in the models table under a name, such as logistic regressions.
 */
#ifndef CAIRN_STORED_H
#define CAIRN_STORED_H

#include <jansson.h>

#include "db/db.h"
#include "models/models.h"
#include "util/date.h"

/* The positives among rows [from, to) of d. */
size_t dataset_positives(const struct dataset *d, size_t from, size_t to);

/* Evaluates the learners with rows [0, test_from) of d as training rows
 * and the rest as test rows (holdout_run, seed 1). Sets *best to the
 * learner with the best PR-AUC. Returns 0, or -1 with a message in err. */
int split_evaluate(const struct dataset *d, size_t test_from, struct learner_result *res,
                   int *best, struct strbuf *err);

/* The "model eval" JSON of such an evaluation at as_of, whose test
 * cut-off is as_of - horizon: the counts are those of the test rows. */
json_t *split_evaluation_json(const char *model, const struct dataset *d,
                              const struct learner_result *res, int best, size_t test_from,
                              cdate as_of, int horizon);

/* Stores params as the model name fitted by learner on the data up to
 * as_of, with its evaluation (NULL: none), replacing the stored one.
 * Returns 0, or -1 with a message in err. */
int stored_model_save(struct db *db, const char *name, const char *learner, cdate as_of,
                      const json_t *params, const json_t *evaluation, struct strbuf *err);

/* Loads the params of the model name into *params (the caller owns it).
 * Returns 0, 1 when none is stored, or -1 with a message in err. */
int stored_model_params(struct db *db, const char *name, json_t **params, struct strbuf *err);

/* Adds to err that the stored model name does not fit this version and
 * how to train it again. */
void stored_model_mismatch(const char *name, struct strbuf *err);

/* Stores m, fitted on the features named names[0..m->p), as the model
 * name with its evaluation (NULL: none), replacing the stored one.
 * Returns 0, or -1 with a message in err. */
int stored_logistic_save(struct db *db, const char *name, const struct logistic_model *m,
                         char *const *names, cdate as_of, const json_t *evaluation,
                         struct strbuf *err);

/* Fits the logistic regression on every row of d and stores it as the
 * model name with its evaluation (NULL: none). Returns 0, or -1 with a
 * message in err. */
int stored_logistic_train(struct db *db, const char *name, const struct dataset *d, cdate as_of,
                          const json_t *evaluation, struct strbuf *err);

/* Loads the model name, which must have been fitted on the features
 * names[0..p). Returns 0, 1 when none is stored, or -1 with a message in
 * err (also when the stored features differ). */
int stored_logistic_load(struct db *db, const char *name, char *const *names, size_t p,
                         struct logistic_model *m, struct strbuf *err);

#endif

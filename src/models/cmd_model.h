/*
 * The subcommands of "cairn model" that live in files of their own.
 */
#ifndef CAIRN_CMD_MODEL_H
#define CAIRN_CMD_MODEL_H

#include <jansson.h>

#include "cli/cli.h"
#include "models/models.h"
#include "models/risk.h"

/* "cairn model bgnbd": argv[0] is "bgnbd". */
int model_bgnbd(struct cli *cli, int argc, char **argv);

/* The attrition model on the database: argv[0] is the subcommand
 * ("eval", "train" or "score"), argv[1] "attrition". */
int model_eval_attrition(struct cli *cli, int argc, char **argv);
int model_train_attrition(struct cli *cli, int argc, char **argv);
int model_score_attrition(struct cli *cli, int argc, char **argv);

/* The options of "model eval|train MODEL": --as-of (DATE_NONE when not
 * given) and --format text|json; the only argument left must be model.
 * Returns -1 on success, else the exit status. */
struct model_request {
    cdate as_of;
    const char *format;
};
int model_parse_request(struct cli *cli, int argc, char **argv, const char *model,
                        struct model_request *req);
/* The same for "model score MODEL": --format table|json|csv, default
 * table. */
int model_parse_score_request(struct cli *cli, int argc, char **argv, const char *model,
                              struct model_request *req);

/* Returns risk_data_day(as_of, last_day), with a note on stderr when
 * that moves an as-of day given after the data's last day. */
cdate model_data_day(cdate as_of, cdate last_day);

/* Prints an evaluation of split_evaluate (models/stored.h) as "model
 * eval MODEL" does: the JSON of split_evaluation_json, or in text the
 * measures of the test rows below the caller's heading. */
void split_evaluation_output(const char *format, const char *model, const struct dataset *d,
                             const struct learner_result *res, int best, size_t test_from,
                             cdate as_of, int horizon);

/* Prints what "model train MODEL" stored: JSON, or in text below the
 * caller's heading the held-out figures of the stored logistic
 * regression, else eval_error when evaluation is NULL. */
void trained_model_output(const char *format, const char *model, size_t rows, size_t positives,
                          cdate as_of, const json_t *evaluation, const char *eval_error);

/* The churn model on the database, likewise with argv[1] "churn". */
int model_eval_churn(struct cli *cli, int argc, char **argv);
int model_train_churn(struct cli *cli, int argc, char **argv);

/* "cairn model score MODEL [--as-of D] [--format table|json|csv]": prints
 * the list score gives, with subject_heading over the subject column of
 * the table. argv[0] is "score". */
typedef int (*risk_fn)(struct db *db, cdate as_of, struct risk_list *out, struct strbuf *err);
int model_score_risk(struct cli *cli, int argc, char **argv, const char *model, risk_fn score,
                     const char *subject_heading);

/* The sales forecast: argv[0] is "train" or "score", argv[1]
 * "forecast". */
int model_train_forecast(struct cli *cli, int argc, char **argv);
int model_score_forecast(struct cli *cli, int argc, char **argv);

/* The index of the learner with the best PR-AUC (ties: the first). */
int best_learner(const struct learner_result *res);

/* The evaluation of the learners as the JSON of "model eval" (model is
 * its "model" value), or as text. nfolds is the folds behind the means. */
json_t *evaluation_json(const char *model, const struct dataset *d,
                        const struct learner_result *res, int nfolds, int best, size_t positives);
void evaluation_print(const struct dataset *d, const struct learner_result *res, int nfolds,
                      int best, size_t positives);

#endif

/*
 * The subcommands of "cairn model" that live in files of their own.
 */
#ifndef CAIRN_CMD_MODEL_H
#define CAIRN_CMD_MODEL_H

#include <jansson.h>

#include "cli/cli.h"
#include "models/models.h"

/* "cairn model bgnbd": argv[0] is "bgnbd". */
int model_bgnbd(struct cli *cli, int argc, char **argv);

/* The attrition model on the database: argv[0] is the subcommand
 * ("eval", "train" or "score"), argv[1] "attrition". */
int model_eval_attrition(struct cli *cli, int argc, char **argv);
int model_train_attrition(struct cli *cli, int argc, char **argv);
int model_score_attrition(struct cli *cli, int argc, char **argv);

/* The index of the learner with the best PR-AUC (ties: the first). */
int best_learner(const struct learner_result *res);

/* The evaluation of the learners as the JSON of "model eval" (model is
 * its "model" value), or as text. nfolds is the folds behind the means. */
json_t *evaluation_json(const char *model, const struct dataset *d,
                        const struct learner_result *res, int nfolds, int best, size_t positives);
void evaluation_print(const struct dataset *d, const struct learner_result *res, int nfolds,
                      int best, size_t positives);

#endif

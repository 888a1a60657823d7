/*
 * The models: binary classifiers evaluated by cross-validation (a
 * penalised logistic regression fitted with GSL and gradient-boosted trees
 * through XGBoost's C API), the measures they are judged by, and the
 * BG/NBD model of repeat purchases. "cairn model" drives them.
 */
#ifndef CAIRN_MODELS_H
#define CAIRN_MODELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* A flat table read whole: a header and rows of text cells. */
struct flat_table {
    size_t ncols, nrows;
    char **names;        /* ncols header names */
    char **cells;        /* nrows * ncols, row-major; "" for a blank cell */
};

/* Reads the first sheet or the whole text file at path through the import
 * readers (any encoding they detect). A record wider than the header is
 * an error; a shorter one is padded with blank cells; blank records are
 * skipped. Returns 0, or -1 with a message in err. */
int flat_table_read(const char *path, struct flat_table *t, struct strbuf *err);
void flat_table_free(struct flat_table *t);

/* Why a column was left out of the features. */
enum drop_reason { DROP_CONSTANT, DROP_IDENTIFIER, DROP_REQUESTED };

struct dropped_column {
    const char *name;    /* points into the table */
    enum drop_reason reason;
};

/* What the caller asks of the encoding. */
struct dataset_options {
    const char *source;        /* the file the table came from, for messages */
    const char *label;
    const char *positive;      /* NULL: the label must be 0/1 */
    const char *fold_column;   /* NULL: no given folds */
    char **drop;               /* names to leave out, NULL-terminated */
};

/*
 * A binary classification data set: n rows of p numeric features (NAN
 * where a value is missing), the label 0/1, and the given fold of each
 * row when a fold column was named.
 */
struct dataset {
    size_t n, p;
    double *x;                 /* n * p, row-major */
    int *y;
    int *fold;                 /* NULL, or the fold index 0..nfolds-1 */
    int nfolds;
    char **feature_names;      /* "column" or "column=value" */
    struct dropped_column *dropped;
    size_t ndropped;
    size_t rows_without_label; /* blank label cells, left out */
};

enum dataset_status { DATASET_OK = 0, DATASET_FAILED = -1, DATASET_USAGE = -2 };

/*
 * Encodes the table: numeric columns (every non-empty cell a number) as
 * they are, other columns one-hot; constant columns and non-numeric
 * columns whose values are all distinct are dropped. Returns DATASET_OK,
 * or DATASET_USAGE for a label that is not 0/1 without a positive value.
 * Returns DATASET_FAILED for other errors, such as a label, fold or drop
 * column missing from the table, which the message names with the
 * table's columns. Both errors leave a message in err.
 */
int dataset_encode(const struct flat_table *t, const struct dataset_options *opts,
                   struct dataset *d, struct strbuf *err);
void dataset_free(struct dataset *d);

/* Parses a cell as a number the way the import readers do (1,234.5,
 * 1.2万, 12%); returns false for anything else, blanks included. */
bool cell_parse_number(const char *cell, double *out);

/* Assigns stratified folds 0..k-1: the positives and the negatives are
 * each shuffled by seed and dealt round-robin, so every fold gets within
 * one of its share of each class. */
void folds_stratified(const int *y, size_t n, int k, uint64_t seed, int *fold);

/* Measures of probabilities p against labels y over n rows. */
double measure_roc_auc(const double *p, const int *y, size_t n);   /* NAN if one class */
double measure_average_precision(const double *p, const int *y, size_t n);
double measure_brier(const double *p, const int *y, size_t n);
double measure_lift_top(const double *p, const int *y, size_t n, double share);

/* One row of a calibration table: the predictions in [lower, upper). */
struct calibration_bin {
    int bin;            /* 1..10 */
    double predicted;   /* mean prediction */
    double observed;    /* share of positives */
    size_t n;
};
/* Fills bins[10] with equal-width bins of p (1.0 falls in the last). */
void measure_calibration(const double *p, const int *y, size_t n, struct calibration_bin bins[10]);

/* Fits Platt scaling, P(y=1 | s) = 1 / (1 + exp(-(a s + b))), to scores s
 * by Newton's method with Platt's smoothed targets. */
void platt_fit(const double *s, const int *y, size_t n, double *a, double *b);
double platt_apply(double a, double b, double s);

/* The learners: fit on rows train[0..ntrain) of d, then write the raw
 * score of each row test[0..ntest) to score (higher is more positive).
 * Return 0, or -1 with a message in err. */
enum learner { LEARNER_LOGISTIC = 0, LEARNER_XGBOOST, LEARNER_COUNT };
const char *learner_name(enum learner l);

int logistic_fit_score(const struct dataset *d, const size_t *train, size_t ntrain,
                       const size_t *test, size_t ntest, double *score, struct strbuf *err);
int xgboost_fit_score(const struct dataset *d, const size_t *train, size_t ntrain,
                      const size_t *test, size_t ntest, uint64_t seed, double *score,
                      struct strbuf *err);

/* A fitted logistic regression: the imputation and scaling of each of
 * the p features and the coefficients (beta[0] the intercept). */
struct logistic_model {
    size_t p;
    double *median, *mean, *sd, *beta;
};

/* Fits on rows train[0..ntrain) of d; returns 0, or -1 with a message. */
int logistic_fit(const struct dataset *d, const size_t *train, size_t ntrain,
                 struct logistic_model *model, struct strbuf *err);
/* Returns the log-odds of the feature row x (p values, NAN = missing)
 * and, when contribution is not NULL, each feature's term of it. */
double logistic_score(const struct logistic_model *model, const double *x, double *contribution);
void logistic_model_free(struct logistic_model *model);
/* Writes to order the features whose term of the log-odds of x exceeds
 * min_term, largest first. Those are the features that raise x above the
 * average row. Returns how many; order has room for model->p entries. */
size_t logistic_rising_terms(const struct logistic_model *model, const double *x, double min_term,
                             size_t *order);

/* The cross-validated evaluation of one learner. */
struct learner_result {
    enum learner learner;
    double auc, pr_auc, brier, lift_top10;   /* means over the folds */
    double *fold_auc, *fold_pr_auc;          /* nfolds each */
    double *oof;                             /* n calibrated out-of-fold probabilities */
    struct calibration_bin calibration[10];  /* of the pooled out-of-fold probabilities */
    double seconds;                          /* fitting and scoring time, all folds */
};

/*
 * Evaluates each learner by cross-validation over d->fold (or stratified
 * folds from seed when d->fold is NULL): for every fold it fits on the
 * others, calibrates by Platt scaling fitted on inner out-of-fold scores
 * of the training rows, and measures the test rows. results has
 * LEARNER_COUNT entries. Returns 0, or -1 with a message in err.
 */
int crossval_run(struct dataset *d, int k, uint64_t seed,
                 struct learner_result *results, struct strbuf *err);
void learner_result_free(struct learner_result *r);

/* Evaluates each learner on one split: fitted on train, measured on
 * test, calibrated as crossval_run does. The results have one "fold". */
int holdout_run(const struct dataset *d, const size_t *train, size_t ntrain, const size_t *test,
                size_t ntest, uint64_t seed, struct learner_result *results, struct strbuf *err);

/* BG/NBD (Fader, Hardie and Lee 2005). One customer's summary: x repeat
 * purchases, the time of the last one t_x and the age T, in weeks. */
struct bgnbd_customer {
    double x, t_x, T;
};

struct bgnbd_fit {
    double r, alpha, a, b, loglik;
};

double bgnbd_loglik(const struct bgnbd_fit *m, const struct bgnbd_customer *c, size_t n);
/* Fewer customers leave the four parameters unidentified. */
#define BGNBD_MIN_CUSTOMERS 10
/* Fits by maximum likelihood. Returns 0, or -1 with a message in err when
 * there is nothing to fit (fewer than BGNBD_MIN_CUSTOMERS customers, none
 * with T > 0, none with a repeat purchase), the likelihood is not finite,
 * or the optimiser did not converge. */
int bgnbd_fit(const struct bgnbd_customer *c, size_t n, struct bgnbd_fit *m, struct strbuf *err);
/* A fitted parameter outside [1 / BGNBD_PARAM_EDGE, BGNBD_PARAM_EDGE] has
 * run off towards 0 or infinity, because the likelihood rises towards the
 * edge of the parameter space. The estimates then mean nothing, but the
 * limiting model's predictions (the churn features) may still serve. */
#define BGNBD_PARAM_EDGE 1e4
/* Returns 0 when every parameter of m is inside those bounds, else -1
 * with a message in err. */
int bgnbd_check_interior(const struct bgnbd_fit *m, struct strbuf *err);
/* Expected repeat purchases in the next t weeks of a customer with
 * history c. */
double bgnbd_conditional_expectation(const struct bgnbd_fit *m, const struct bgnbd_customer *c,
                                     double t);
/* The probability that a customer with history c is still alive (buys
 * again at some time) at T. */
double bgnbd_p_alive(const struct bgnbd_fit *m, const struct bgnbd_customer *c);

#endif

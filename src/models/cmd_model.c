/*
 * "cairn model": the subcommand dispatch and "model eval --csv", which
 * cross-validates the learners on any flat table without a database so
 * that their results can be compared with other tools on public data.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/cmd_model.h"
#include "models/models.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct eval_request {
    const char *csv, *format;
    struct dataset_options data;
    int folds;
    uint64_t seed;
};

/* Splits a comma-separated list into a NULL-terminated array of copies. */
static char **split_list(const char *list)
{
    size_t n = 1, i = 0;
    char **out;
    const char *p = list;

    for (const char *c = list; *c; c++)
        n += *c == ',';
    out = xcalloc(n + 1, sizeof(char *));
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);

        if (len > 0)
            out[i++] = xstrndup(p, len);
        if (!comma)
            break;
        p = comma + 1;
    }
    return out;
}

static void free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}

static const char *drop_reason_name(enum drop_reason r)
{
    switch (r) {
    case DROP_CONSTANT:
        return "constant";
    case DROP_IDENTIFIER:
        return "identifier";
    case DROP_REQUESTED:
        return "requested";
    }
    BUG("drop reason %d", (int)r);
}

static const char *drop_reason_text(enum drop_reason r)
{
    switch (r) {
    case DROP_CONSTANT:
        return _("constant");
    case DROP_IDENTIFIER:
        return _("a distinct text in every row");
    case DROP_REQUESTED:
        return _("named in --drop");
    }
    BUG("drop reason %d", (int)r);
}

static json_t *number_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *calibration_json(const struct calibration_bin *bins)
{
    json_t *arr = json_array();

    for (int b = 0; b < 10; b++) {
        if (bins[b].n == 0)
            continue;
        json_array_append_new(arr, json_pack("{s:i, s:o, s:o, s:I, s:f, s:f}",
                                             "bin", bins[b].bin,
                                             "predicted", json_real(bins[b].predicted),
                                             "observed", json_real(bins[b].observed),
                                             "n", (json_int_t)bins[b].n,
                                             "lower", b / 10.0, "upper", (b + 1) / 10.0));
    }
    return arr;
}

json_t *evaluation_json(const char *model, const struct dataset *d,
                        const struct learner_result *res, int nfolds, int best, size_t positives)
{
    const struct learner_result *top = &res[best];
    json_t *learners = json_array(), *dropped = json_array(), *root;

    for (int l = 0; l < LEARNER_COUNT; l++) {
        json_t *fauc = json_array(), *fpr = json_array();

        for (int f = 0; f < nfolds; f++) {
            json_array_append_new(fauc, number_or_null(res[l].fold_auc[f]));
            json_array_append_new(fpr, number_or_null(res[l].fold_pr_auc[f]));
        }
        json_array_append_new(learners,
            json_pack("{s:s, s:o, s:o, s:o, s:o, s:f, s:o, s:o}",
                      "learner", learner_name(res[l].learner),
                      "auc", number_or_null(res[l].auc), "pr_auc", number_or_null(res[l].pr_auc),
                      "brier", number_or_null(res[l].brier),
                      "lift_top10", number_or_null(res[l].lift_top10),
                      "seconds", res[l].seconds, "fold_auc", fauc, "fold_pr_auc", fpr));
    }
    for (size_t i = 0; i < d->ndropped; i++)
        json_array_append_new(dropped, json_pack("{s:s, s:s}", "column", d->dropped[i].name,
                                                 "reason", drop_reason_name(d->dropped[i].reason)));

    root = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}",
                     "model", model, "learner", learner_name(top->learner),
                     "auc", number_or_null(top->auc), "pr_auc", number_or_null(top->pr_auc),
                     "brier", number_or_null(top->brier),
                     "lift_top10", number_or_null(top->lift_top10),
                     "positives", (json_int_t)positives, "n", (json_int_t)d->n,
                     "calibration", calibration_json(top->calibration), "learners", learners);
    json_object_set_new(root, "calibration_method", json_string("platt"));
    json_object_set_new(root, "folds", json_integer(nfolds));
    json_object_set_new(root, "features", json_integer((json_int_t)d->p));
    json_object_set_new(root, "dropped", dropped);
    json_object_set_new(root, "rows_without_label", json_integer((json_int_t)d->rows_without_label));
    return root;
}

void evaluation_print(const struct dataset *d, const struct learner_result *res, int nfolds,
                      int best, size_t positives)
{
    if (nfolds > 1)
        printf(_("Cross-validation: %d folds, %zu rows, %zu positive, %zu features\n"), nfolds,
               d->n, positives, d->p);
    else
        printf(_("Evaluation on held-out rows: %zu positive, %zu features\n"), positives, d->p);
    if (d->rows_without_label)
        printf(_("Rows without a label (left out): %zu\n"), d->rows_without_label);
    printf("\n%-22s %8s %8s %8s %10s %9s\n", _("learner"), "ROC-AUC", "PR-AUC", "Brier",
           _("lift@10%"), _("seconds"));
    for (int l = 0; l < LEARNER_COUNT; l++)
        printf("%-22s %8.4f %8.4f %8.4f %10.2f %9.2f\n", learner_name(res[l].learner),
               res[l].auc, res[l].pr_auc, res[l].brier, res[l].lift_top10, res[l].seconds);
    printf(_("\nChosen by PR-AUC: %s (probabilities calibrated by Platt scaling)\n"),
           learner_name(res[best].learner));

    printf(_("\nCalibration of the chosen learner:\n"));
    printf("%6s %10s %10s %8s\n", _("bin"), _("predicted"), _("observed"), _("rows"));
    for (int b = 0; b < 10; b++) {
        const struct calibration_bin *c = &res[best].calibration[b];

        if (c->n)
            printf("%2d-%-3d %10.3f %10.3f %8zu\n", b * 10, (b + 1) * 10, c->predicted,
                   c->observed, c->n);
    }
    if (d->ndropped) {
        printf(_("\nDropped columns:\n"));
        for (size_t i = 0; i < d->ndropped; i++)
            printf("  %s (%s)\n", d->dropped[i].name, drop_reason_text(d->dropped[i].reason));
    }
}

int best_learner(const struct learner_result *res)
{
    int best = 0;

    for (int l = 1; l < LEARNER_COUNT; l++)
        if (res[l].pr_auc > res[best].pr_auc)
            best = l;
    return best;
}

static int run_eval_csv(const struct eval_request *req)
{
    struct flat_table table;
    struct dataset d;
    struct learner_result res[LEARNER_COUNT];
    struct strbuf err = STRBUF_INIT;
    size_t positives = 0;
    int best = 0, status, rc = EXIT_FAILED;

    if (flat_table_read(req->csv, &table, &err) < 0) {
        cli_error("%s", err.buf);
        sb_release(&err);
        return EXIT_FAILED;
    }
    status = dataset_encode(&table, &req->data, &d, &err);
    if (status != DATASET_OK) {
        cli_error("%s", err.buf);
        rc = status == DATASET_USAGE ? EXIT_USAGE : EXIT_FAILED;
        goto out_table;
    }
    if (crossval_run(&d, req->folds, req->seed, res, &err) < 0) {
        cli_error("%s", err.buf);
        goto out_data;
    }

    for (size_t i = 0; i < d.n; i++)
        positives += (size_t)d.y[i];
    best = best_learner(res);
    if (strcmp(req->format, "json") == 0) {
        json_t *root = evaluation_json("csv", &d, res, d.nfolds, best, positives);

        if (req->data.fold_column)
            json_object_set_new(root, "fold_column", json_string(req->data.fold_column));
        else
            json_object_set_new(root, "seed", json_integer((json_int_t)req->seed));
        cli_print_json(root);
    } else {
        evaluation_print(&d, res, d.nfolds, best, positives);
    }
    for (int l = 0; l < LEARNER_COUNT; l++)
        learner_result_free(&res[l]);
    rc = EXIT_OK;

out_data:
    dataset_free(&d);
out_table:
    flat_table_free(&table);
    sb_release(&err);
    return rc;
}

static int parse_count(const char *s, long min, long max, long *out)
{
    char *end;

    errno = 0;
    *out = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0' && *out >= min && *out <= max ? 0 : -1;
}

static int model_eval(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"csv", required_argument, NULL, 'c'},
        {"label", required_argument, NULL, 'l'},
        {"positive", required_argument, NULL, 'p'},
        {"drop", required_argument, NULL, 'd'},
        {"folds", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 's'},
        {"fold-column", required_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {"as-of", required_argument, NULL, 'a'},
        {NULL, 0, NULL, 0},
    };
    struct eval_request req = {.format = "text", .folds = 5, .seed = 1};
    bool folds_given = false;
    long value;
    int c, rc;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'c': req.csv = req.data.source = optarg; break;
        case 'l': req.data.label = optarg; break;
        case 'p': req.data.positive = optarg; break;
        case 'F': req.data.fold_column = optarg; break;
        case 'a': break;   /* checked with the database models below */
        case 'd':
            free_list(req.data.drop);
            req.data.drop = split_list(optarg);
            break;
        case 'k':
            if (parse_count(optarg, 2, 1000, &value) < 0) {
                free_list(req.data.drop);
                return cli_usage_error(cli, _("invalid --folds '%s': use a whole number from 2 "
                                              "to 1000"), optarg);
            }
            req.folds = (int)value;
            folds_given = true;
            break;
        case 's':
            if (parse_count(optarg, 0, 2147483647L, &value) < 0) {
                free_list(req.data.drop);
                return cli_usage_error(cli, _("invalid --seed '%s': use a whole number from 0 "
                                              "to 2147483647"), optarg);
            }
            req.seed = (uint64_t)value;
            break;
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
                free_list(req.data.drop);
                return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
            }
            req.format = optarg;
            break;
        default:
            free_list(req.data.drop);
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }

    /* Checks: the CSV form, or a database model (not built yet). */
    if (!req.csv) {
        free_list(req.data.drop);
        if (optind < argc && !strcmp(argv[optind], "attrition"))
            return model_eval_attrition(cli, argc, argv);
        if (optind < argc && !strcmp(argv[optind], "churn"))
            return model_eval_churn(cli, argc, argv);
        return cli_usage_error(cli, _("model eval needs attrition, churn or --csv FILE"));
    }
    if (optind < argc)
        rc = cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    else if (!req.data.label)
        rc = cli_usage_error(cli, _("model eval --csv needs --label COLUMN"));
    else if (folds_given && req.data.fold_column)
        rc = cli_usage_error(cli, _("give either --folds or --fold-column, not both"));
    else
        rc = run_eval_csv(&req);
    free_list(req.data.drop);
    return rc;
}

int cmd_model(struct cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;

    if (!sub)
        return cli_usage_error(cli, _("model needs a subcommand: eval, bgnbd, train or score"));
    if (!strcmp(sub, "eval"))
        return model_eval(cli, argc - 1, argv + 1);
    if (!strcmp(sub, "bgnbd"))
        return model_bgnbd(cli, argc - 1, argv + 1);
    if (!strcmp(sub, "train") || !strcmp(sub, "score")) {
        bool train = !strcmp(sub, "train");

        if (argc > 2 && !strcmp(argv[2], "attrition"))
            return train ? model_train_attrition(cli, argc - 1, argv + 1)
                         : model_score_attrition(cli, argc - 1, argv + 1);
        if (argc > 2 && !strcmp(argv[2], "churn"))
            return train ? model_train_churn(cli, argc - 1, argv + 1)
                         : model_score_risk(cli, argc - 1, argv + 1, "churn", risk_churn,
                                            _("customer"));
        if (argc > 2 && !strcmp(argv[2], "forecast"))
            return train ? model_train_forecast(cli, argc - 1, argv + 1)
                         : model_score_forecast(cli, argc - 1, argv + 1);
        if (argc <= 2)
            return cli_usage_error(cli, _("model %s needs a model: attrition, churn or forecast"),
                                   sub);
        return cli_usage_error(cli, _("unknown model '%s' for model %s: use attrition, churn or "
                                      "forecast"),
                               argv[2], sub);
    }
    return cli_usage_error(cli, _("unknown subcommand '%s': use eval, bgnbd, train or score"), sub);
}

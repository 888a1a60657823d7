/*
 * Shared parts of the commands of the models on the database: the options
 * of "model eval|train|score", and "model score attrition|churn", which
 * prints a risk list of models/risk.h as a table, JSON or CSV.
 * The command line has no caller and so
 * no access scope: it prints every subject, each with its scope
 * ("unit:ID", or "company" without a unit). The factor words follow
 * --lang in every format, because they are written for people, not for
 * programs.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/commands.h"
#include "models/cmd_model.h"
#include "models/stored.h"
#include "util/csv.h"
#include "util/i18n.h"
#include "util/textwidth.h"

/* The options of both: score takes --format table|json|csv, the others
 * text|json. */
static int parse_options(struct cli *cli, int argc, char **argv, const char *model, bool score,
                         struct model_request *req)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;

    req->as_of = DATE_NONE;
    req->format = score ? "table" : "text";
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'a') {
            if (date_parse(optarg, &req->as_of) < 0)
                return cli_usage_error(cli, _("invalid --as-of '%s': use a date as YYYY-MM-DD"),
                                       optarg);
        } else if (c == 'f' && score) {
            if (strcmp(optarg, "table") && strcmp(optarg, "json") && strcmp(optarg, "csv"))
                return cli_usage_error(cli, _("unknown format '%s': use table, json or csv"),
                                       optarg);
            req->format = optarg;
        } else if (c == 'f') {
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
            req->format = optarg;
        } else {
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind >= argc || strcmp(argv[optind], model) != 0)
        return cli_usage_error(cli, _("name the model: %s"), model);
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    return -1;
}

int model_parse_request(struct cli *cli, int argc, char **argv, const char *model,
                        struct model_request *req)
{
    return parse_options(cli, argc, argv, model, false, req);
}

int model_parse_score_request(struct cli *cli, int argc, char **argv, const char *model,
                              struct model_request *req)
{
    return parse_options(cli, argc, argv, model, true, req);
}

void split_evaluation_output(const char *format, const char *model, const struct dataset *d,
                             const struct learner_result *res, int best, size_t test_from,
                             cdate as_of, int horizon)
{
    struct dataset test_view = *d;

    if (!strcmp(format, "json")) {
        cli_print_json(split_evaluation_json(model, d, res, best, test_from, as_of, horizon));
        return;
    }
    test_view.n = d->n - test_from;
    evaluation_print(&test_view, res, 1, best, dataset_positives(d, test_from, d->n));
}

void trained_model_output(const char *format, const char *model, size_t rows, size_t positives,
                          cdate as_of, const json_t *evaluation, const char *eval_error)
{
    if (!strcmp(format, "json")) {
        char day[DATE_BUFSIZE];
        json_t *out;

        date_format(as_of, day);
        out = json_pack("{s:s, s:s, s:s, s:I, s:I}", "model", model, "learner",
                        "logistic_regression", "as_of", day, "rows", (json_int_t)rows,
                        "positives", (json_int_t)positives);
        json_object_set_new(out, "evaluation",
                            evaluation ? json_deep_copy(evaluation) : json_null());
        cli_print_json(out);
    } else if (evaluation) {
        /* The stored learner's figures, not those of the best one. */
        const json_t *lr = json_array_get(json_object_get(evaluation, "learners"),
                                          LEARNER_LOGISTIC);

        printf(_("Held-out ROC-AUC %.3f, PR-AUC %.3f\n"),
               json_number_value(json_object_get(lr, "auc")),
               json_number_value(json_object_get(lr, "pr_auc")));
    } else {
        printf(_("No evaluation: %s\n"), eval_error);
    }
}

static void print_scores(const char *format, const struct risk_list *list,
                         const char *subject_heading)
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
            if (i == 0) {
                print_cell(stdout, subject_heading, 10, false);
                putchar(' ');
                print_cell(stdout, _("scope"), 14, false);
                putchar(' ');
                print_cell(stdout, _("risk"), 6, true);
                printf("  %s\n", _("factors"));
            }
            print_cell(stdout, r->subject, 10, false);
            putchar(' ');
            print_cell(stdout, scope.buf, 14, false);
            printf(" %5.1f%%  %s\n", r->probability * 100, joined.len ? joined.buf : "");
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

cdate model_data_day(cdate as_of, cdate last_day)
{
    cdate day = risk_data_day(as_of, last_day);
    char given[DATE_BUFSIZE], used[DATE_BUFSIZE];

    if (as_of != DATE_NONE && day != as_of) {
        date_format(as_of, given);
        date_format(day, used);
        fprintf(stderr, _("note: the data ends on %s, so the model reads it as of %s, not %s\n"),
                used, used, given);
    }
    return day;
}

int model_score_risk(struct cli *cli, int argc, char **argv, const char *model, risk_fn score,
                     const char *subject_heading)
{
    struct model_request req;
    struct risk_list list = {0};
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    int found, rc = model_parse_score_request(cli, argc, argv, model, &req);

    if (rc >= 0)
        return rc;
    rc = EXIT_FAILED;
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    found = score(db, req.as_of, &list, &err);
    if (found == 0)
        model_data_day(req.as_of, list.as_of);
    if (found != 0) {
        if (found > 0)
            sb_addf(&err, _("no %s model is stored; run 'cairn model train %s' first"), model,
                    model);
        cli_error("%s", err.buf);
        goto out;
    }
    print_scores(req.format, &list, subject_heading);
    rc = EXIT_OK;

out:
    risk_list_free(&list);
    db_close(db);
    sb_release(&err);
    return rc;
}

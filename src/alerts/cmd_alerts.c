/*
 * "cairn alerts" prints the warnings of the rules as of a date, as a
 * table for people or as a JSON list, and changes nothing; with --models
 * the model warnings follow the rules' warnings. "cairn alerts
 * run" records and delivers them. "cairn alerts ack ID" and "cairn
 * alerts resolve ID" change a recorded warning's state.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts/alerts.h"
#include "alerts/print.h"
#include "alerts/record.h"
#include "cli/commands.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/xalloc.h"

struct alerts_options {
    const char *as_of_text, *scope;
    bool models, json;
};

/* Parses the options shared by the subcommands; returns -1 when done,
 * else an exit code. */
static int parse_options(struct cli *cli, int argc, char **argv, struct alerts_options *o)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'}, {"scope", required_argument, NULL, 's'},
        {"models", no_argument, NULL, 'm'},      {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'a':
            o->as_of_text = optarg;
            break;
        case 's':
            o->scope = optarg;
            break;
        case 'm':
            o->models = true;
            break;
        case 'f':
            if (!strcmp(optarg, "json"))
                o->json = true;
            else if (!strcmp(optarg, "table"))
                o->json = false;
            else
                return cli_usage_error(cli, _("invalid format '%s': use table or json"), optarg);
            break;
        default:
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    return -1;
}

/* The as-of date of the options, or today; DATE_NONE after a message. */
static cdate as_of_date(struct db *db, const struct alerts_options *o)
{
    cdate d;

    if (!o->as_of_text)
        return cli_company_today(db);
    if (date_parse(o->as_of_text, &d))
        return DATE_NONE;
    return d;
}

static int show(struct cli *cli, int argc, char **argv)
{
    struct alerts_options o = {NULL, "company", false, false};
    struct strbuf err = STRBUF_INIT;
    struct alert_list list = {0};
    struct db *db;
    cdate as_of, check;
    unsigned skipped = 0;
    int rc = parse_options(cli, argc, argv, &o);

    if (rc >= 0)
        return rc;
    if (optind < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    if (o.as_of_text && date_parse(o.as_of_text, &check))
        return cli_usage_error(cli, _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
                               o.as_of_text);
    if (metrics_scope_check(o.scope))
        return cli_usage_error(cli, _("invalid scope '%s': use company, unit:ID or employee:ID"),
                               o.scope);

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    as_of = as_of_date(db, &o);
    rc = as_of == DATE_NONE ? METRICS_FAILED : alerts_evaluate(db, as_of, o.scope, &list, &err);
    if (!rc && o.models)
        rc = alerts_evaluate_models(db, as_of, o.scope, true, &list, &skipped, &err);
    if (!rc && alerts_attach_records(db, &list, &err))
        rc = METRICS_FAILED;
    if (rc) {
        if (err.len)
            cli_error("%s", err.buf);
        rc = rc == METRICS_BAD_SCOPE ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    if (o.json)
        cli_print_json(alert_list_to_json(&list));
    else
        alerts_print_table(&list, as_of);
    if (!o.json && o.models)
        alerts_print_models(&list, as_of, skipped);
    rc = EXIT_OK;
out:
    alert_list_free(&list);
    sb_release(&err);
    db_close(db);
    return rc;
}

static int run(struct cli *cli, int argc, char **argv)
{
    struct alerts_options o = {NULL, NULL, false, false};
    struct strbuf err = STRBUF_INIT;
    struct alert_run_summary sum;
    struct db *db;
    cdate as_of, check;
    int rc = parse_options(cli, argc - 1, argv + 1, &o);

    if (rc >= 0)
        return rc;
    if (optind < argc - 1)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    if (o.scope || o.models)
        return cli_usage_error(cli, _("alerts run takes only --as-of and --format"));
    if (o.as_of_text && date_parse(o.as_of_text, &check))
        return cli_usage_error(cli, _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
                               o.as_of_text);

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    as_of = as_of_date(db, &o);
    rc = as_of == DATE_NONE ? -1 : alerts_record(db, as_of, &sum, &err);
    if (rc == 0 || rc == ALERTS_DELIVERY_FAILED || rc == ALERTS_MODELS_FAILED) {
        if (o.json)
            cli_print_json(json_pack("{s:I,s:I,s:I}", "new", (json_int_t)sum.added, "held",
                                     (json_int_t)sum.held, "resolved", (json_int_t)sum.resolved));
        else
            printf(_("Warnings recorded: %zu new, %zu still holding, %zu resolved.\n"), sum.added,
                   sum.held, sum.resolved);
    }
    if (rc && err.len)
        cli_error("%s", err.buf);
    sb_release(&err);
    db_close(db);
    return rc ? EXIT_FAILED : EXIT_OK;
}

/* "ack ID" and "resolve ID". */
static int set_state(struct cli *cli, int argc, char **argv, const char *state)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    char *end;
    long long id;
    int rc;

    if (argc != 3)
        return cli_usage_error(cli, _("usage: cairn alerts %s ID"), argv[1]);
    errno = 0;
    id = strtoll(argv[2], &end, 10);
    if (errno || !*argv[2] || *end || id < 0)
        return cli_usage_error(cli, _("invalid warning id '%s'"), argv[2]);
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    rc = alerts_set_state(db, id, state, &err);
    if (rc)
        cli_error("%s", err.buf);
    sb_release(&err);
    db_close(db);
    return rc ? EXIT_FAILED : EXIT_OK;
}

int cmd_alerts(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "run"))
        return run(cli, argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "ack"))
        return set_state(cli, argc, argv, "acknowledged");
    if (argc >= 2 && !strcmp(argv[1], "resolve"))
        return set_state(cli, argc, argv, "resolved");
    return show(cli, argc, argv);
}

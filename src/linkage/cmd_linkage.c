/*
 * "cairn linkage training|turnover|cost": two figures side by side across
 * units (or customers) with their correlation and a plain-words
 * statement, as a table for people or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "linkage/linkage.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/textwidth.h"

static const char *translate(const char *msgid, void *ctx)
{
    (void)ctx;
    return _(msgid);
}

/* Prints x or y of a point: a percentage, or yuan for per-capita sales. */
static void print_value(enum linkage_view view, bool is_y, double v)
{
    if (view == LINKAGE_TRAINING && is_y)
        printf(" %16.2f", v);
    else
        printf(" %15.1f%%", 100.0 * v);
}

static void print_analysis(const struct linkage_result *r, const struct linkage_analysis *a)
{
    struct strbuf statement = STRBUF_INIT;
    const char *x_label =
        r->view == LINKAGE_TRAINING ? _("training completion") : _("labor cost ratio");
    const char *y_label = r->view == LINKAGE_TRAINING ? _("per-capita sales") : _("market share");

    print_cell(stdout, _("unit"), 20, false);
    putchar(' ');
    print_cell(stdout, _("month"), 8, false);
    putchar(' ');
    print_cell(stdout, x_label, 16, true);
    putchar(' ');
    print_cell(stdout, y_label, 16, true);
    putchar('\n');
    for (size_t i = 0; i < a->n; i++) {
        char month[8] = "";

        if (a->points[i].month >= 0)
            date_month_format(a->points[i].month, month);
        print_cell(stdout, a->points[i].subject, 20, false);
        printf(" %-8s", month);
        print_value(r->view, false, a->points[i].x);
        print_value(r->view, true, a->points[i].y);
        printf("\n");
    }
    linkage_statement(r, a, translate, NULL, &statement);
    printf("%s\n", statement.buf);
    sb_release(&statement);
}

static void print_turnover(const struct linkage_result *r)
{
    const struct proportion_test *t = &r->turnover;
    struct strbuf statement = STRBUF_INIT;

    print_cell(stdout, _("group"), 24, false);
    putchar(' ');
    print_cell(stdout, _("customers"), 10, true);
    putchar(' ');
    print_cell(stdout, _("repurchased"), 12, true);
    putchar(' ');
    print_cell(stdout, _("repurchase rate"), 10, true);
    putchar('\n');
    print_cell(stdout, _("owner left"), 24, false);
    printf(" %10zu %12zu", t->n1, t->k1);
    if (t->n1)
        printf(" %9.1f%%\n", 100.0 * t->rate1);
    else
        printf(" %10s\n", "—");
    print_cell(stdout, _("owner stayed"), 24, false);
    printf(" %10zu %12zu", t->n2, t->k2);
    if (t->n2)
        printf(" %9.1f%%\n", 100.0 * t->rate2);
    else
        printf(" %10s\n", "—");
    linkage_statement(r, &r->across, translate, NULL, &statement);
    printf("%s\n", statement.buf);
    sb_release(&statement);
}

static void print_table(const struct linkage_result *r)
{
    char period[16];

    period_format(&r->period, period);
    printf(_("Linkage view %s, %s, %s\n\n"), linkage_view_name(r->view), r->scope, period);
    if (r->view == LINKAGE_TURNOVER) {
        print_turnover(r);
        return;
    }
    print_analysis(r, &r->across);
    printf("\n");
    print_analysis(r, &r->over_months);
}

int cmd_linkage(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"period", required_argument, NULL, 'p'},
        {"scope", required_argument, NULL, 's'},
        {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *period_text = NULL, *scope = "company", *as_of_text = NULL;
    struct strbuf err = STRBUF_INIT;
    struct linkage_result result = {0};
    struct period period;
    struct db *db;
    cdate as_of = DATE_NONE;
    bool json = false;
    int c, rc, view;

    /* Options: every usage error exits 2 before the database is opened. */
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'p':
            period_text = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'a':
            as_of_text = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "table") && strcmp(optarg, "json"))
                return cli_usage_error(cli, _("invalid format '%s': use table or json"), optarg);
            json = !strcmp(optarg, "json");
            break;
        default:
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage_error(cli, _("name the view: training, turnover or cost"));
    view = linkage_view_parse(argv[optind]);
    if (view < 0)
        return cli_usage_error(cli, _("unknown view '%s': use training, turnover or cost"),
                               argv[optind]);
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    if (!period_text)
        return cli_usage_error(cli, _("--period is required (YYYY-MM, YYYY-Qn or YYYY)"));
    if (period_parse(period_text, &period))
        return cli_usage_error(cli, _("invalid period '%s': use YYYY-MM, YYYY-Qn or YYYY"),
                               period_text);
    if (metrics_scope_check(scope) || !strncmp(scope, "employee:", 9))
        return cli_usage_error(
            cli, _("invalid scope '%s': the linkage views take company or unit:ID"), scope);
    if (as_of_text && date_parse(as_of_text, &as_of))
        return cli_usage_error(cli, _("invalid date '%s' for --as-of: use YYYY-MM-DD"), as_of_text);

    /* Compute and print. */
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    if (!as_of_text && (as_of = cli_company_today(db)) == DATE_NONE) {
        rc = EXIT_FAILED;
        goto out;
    }
    rc = linkage_compute(db, (enum linkage_view)view, scope, &period, as_of, &result, &err);
    if (rc) {
        cli_error("%s", err.buf);
        rc = rc == LINKAGE_BAD_SCOPE ? EXIT_USAGE : EXIT_FAILED;
        goto out;
    }
    if (json)
        cli_print_json(linkage_to_json(&result, translate, NULL));
    else
        print_table(&result);
    rc = EXIT_OK;
out:
    linkage_result_free(&result);
    sb_release(&err);
    db_close(db);
    return rc;
}

/*
 * "cairn kpi": the scorecard of one scope and period as a table grouped
 * by the four key results, as JSON or as CSV. JSON and CSV carry the
 * unrounded values. The table rounds for reading: money with thousands
 * separators and 2 decimals, ratios as percentages, "—" when a value is
 * unavailable. It colours the status only when stdout is a terminal.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/textwidth.h"
#include "util/xalloc.h"

enum kpi_format { KPI_TABLE, KPI_JSON, KPI_CSV };

#define UNAVAILABLE "\xe2\x80\x94" /* U+2014 EM DASH */

/* Marks the metrics named in a comma-separated list; returns the first
 * unknown name (owned by the caller) or NULL. */
static char *select_metrics(const char *list, bool selected[METRIC_COUNT])
{
    char *copy = xstrdup(list), *p = copy;

    memset(selected, 0, sizeof(bool) * METRIC_COUNT);
    for (;;) {
        char *comma = strchr(p, ',');
        int m;

        if (comma)
            *comma = '\0';
        m = metric_by_name(p);
        if (m < 0) {
            char *bad = xstrdup(p);

            free(copy);
            return bad;
        }
        selected[m] = true;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return NULL;
}

/* Writes an amount in yuan as "-1,234,567.89", rounded to the fen. */
static void format_money(struct strbuf *sb, double yuan)
{
    long long fen = llround(yuan * 100.0);
    unsigned long long whole = (unsigned long long)(fen < 0 ? -fen : fen) / 100;
    char digits[32];
    int len, i;

    len = snprintf(digits, sizeof(digits), "%llu", whole);
    if (fen < 0)
        sb_addch(sb, '-');
    for (i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            sb_addch(sb, ',');
        sb_addch(sb, digits[i]);
    }
    sb_addf(sb, ".%02llu", (unsigned long long)(fen < 0 ? -fen : fen) % 100);
}

static void format_value(struct strbuf *sb, enum metric_kind kind, double v)
{
    switch (kind) {
    case MK_MONEY:
        format_money(sb, v);
        break;
    case MK_COUNT:
        sb_addf(sb, "%.0f", v);
        break;
    case MK_RATIO:
        sb_addf(sb, "%.1f%%", v * 100.0);
        break;
    case MK_NUMBER:
    case MK_SCORE:
        sb_addf(sb, "%.2f", v);
        break;
    }
}

static const char *status_label(enum metric_status s)
{
    switch (s) {
    case STATUS_GREEN:
        return _("green");
    case STATUS_AMBER:
        return _("amber");
    case STATUS_RED:
        return _("red");
    case STATUS_NONE:
        break;
    }
    return "";
}

static void print_table(const struct scorecard *sc, const bool *selected)
{
    static const char *const colours[] = {"", "\033[32m", "\033[33m", "\033[31m"};
    bool colour = cli_stdout_is_tty();
    char period[16], as_of[DATE_BUFSIZE];
    struct strbuf cell = STRBUF_INIT;

    period_format(&sc->period, period);
    date_format(sc->as_of, as_of);
    printf(_("Key results of %s for %s, as of %s"),
           strcmp(sc->scope, "company") ? sc->scope : _("the whole company"), period, as_of);
    if (sc->partial)
        printf(" %s", _("(partial period)"));
    putchar('\n');

    for (int g = 0; g < METRIC_GROUP_COUNT; g++) {
        bool header = false;

        for (int m = 0; m < METRIC_COUNT; m++) {
            const struct metric_def *d = &metric_defs[m];

            if (d->group != (enum metric_group)g || (selected && !selected[m]))
                continue;
            if (!header) {
                printf("\n%s\n", _(metric_group_title(d->group)));
                header = true;
            }
            printf("  ");
            print_cell(stdout, _(d->label), 30, false);
            sb_reset(&cell);
            if (sc->values[m].available)
                format_value(&cell, d->kind, sc->values[m].value);
            else
                sb_add(&cell, UNAVAILABLE);
            print_cell(stdout, sb_str(&cell), 18, true);
            if (sc->targets[m].has_target) {
                sb_reset(&cell);
                format_value(&cell, d->kind, sc->targets[m].target);
                printf("  %s ", _("target"));
                print_cell(stdout, sb_str(&cell), 16, true);
                sb_reset(&cell);
                if (sc->targets[m].has_attainment)
                    sb_addf(&cell, "%.1f%%", sc->targets[m].attainment * 100.0);
                else
                    sb_add(&cell, UNAVAILABLE);
                print_cell(stdout, sb_str(&cell), 9, true);
            }
            if (sc->status[m] != STATUS_NONE)
                printf("  %s%s%s", colour ? colours[sc->status[m]] : "",
                       status_label(sc->status[m]), colour ? "\033[0m" : "");
            putchar('\n');
        }
    }
    sb_release(&cell);
}

static void print_csv(const struct scorecard *sc, const bool *selected)
{
    puts("metric,value,target,attainment,status");
    for (int m = 0; m < METRIC_COUNT; m++) {
        const struct metric_target *t = &sc->targets[m];
        const char *status = metric_status_name(sc->status[m]);

        if (selected && !selected[m])
            continue;
        printf("%s,", metric_defs[m].name);
        if (sc->values[m].available)
            printf("%.15g", sc->values[m].value);
        putchar(',');
        if (t->has_target)
            printf("%.15g", t->target);
        putchar(',');
        if (t->has_attainment)
            printf("%.15g", t->attainment);
        printf(",%s\n", status ? status : "");
    }
}

int cmd_kpi(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"period", required_argument, NULL, 'p'}, {"scope", required_argument, NULL, 's'},
        {"metrics", required_argument, NULL, 'm'}, {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    const char *period_text = NULL, *scope = "company", *metrics = NULL, *as_of_text = NULL;
    enum kpi_format format = KPI_TABLE;
    bool selected[METRIC_COUNT];
    struct strbuf err = STRBUF_INIT;
    struct scorecard sc;
    struct period period;
    struct db *db;
    cdate as_of = DATE_NONE;
    char *bad;
    int c, rc;

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
        case 'm':
            metrics = optarg;
            break;
        case 'a':
            as_of_text = optarg;
            break;
        case 'f':
            if (!strcmp(optarg, "table"))
                format = KPI_TABLE;
            else if (!strcmp(optarg, "json"))
                format = KPI_JSON;
            else if (!strcmp(optarg, "csv"))
                format = KPI_CSV;
            else
                return cli_usage_error(cli, _("invalid format '%s': use table, json or csv"),
                                       optarg);
            break;
        default:
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    if (!period_text)
        return cli_usage_error(cli, _("--period is required (YYYY-MM, YYYY-Qn or YYYY)"));
    if (period_parse(period_text, &period))
        return cli_usage_error(cli, _("invalid period '%s': use YYYY-MM, YYYY-Qn or YYYY"),
                               period_text);
    if (metrics_scope_check(scope))
        return cli_usage_error(cli, _("invalid scope '%s': use company, unit:ID or employee:ID"),
                               scope);
    if (as_of_text && date_parse(as_of_text, &as_of))
        return cli_usage_error(cli, _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
                               as_of_text);
    if (metrics && (bad = select_metrics(metrics, selected))) {
        rc = cli_usage_error(cli, _("unknown metric '%s'"), bad);
        free(bad);
        return rc;
    }

    /* Compute. */
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    if (!as_of_text && (as_of = cli_company_today(db)) == DATE_NONE) {
        db_close(db);
        return EXIT_FAILED;
    }
    rc = metrics_scorecard(db, scope, &period, as_of, &sc, &err);
    if (rc) {
        cli_error("%s", err.buf);
        sb_release(&err);
        db_close(db);
        return rc == METRICS_BAD_SCOPE ? EXIT_USAGE : EXIT_FAILED;
    }

    /* Print. */
    if (format == KPI_JSON)
        cli_print_json(scorecard_to_json(&sc, metrics ? selected : NULL));
    else if (format == KPI_CSV)
        print_csv(&sc, metrics ? selected : NULL);
    else
        print_table(&sc, metrics ? selected : NULL);
    scorecard_free(&sc);
    sb_release(&err);
    db_close(db);
    return EXIT_OK;
}

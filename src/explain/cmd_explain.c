/*
 * "cairn explain sales": the change in sales of a scope from one period
 * to another, split three ways, as a table for people or as JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "explain/explain.h"
#include "metrics/metrics.h"
#include "settings/settings.h"
#include "util/i18n.h"
#include "util/textwidth.h"
#include "util/xalloc.h"

static const struct {
    const char *name;
    const char *label;
} part_labels[] = {
    {"headcount", N_("headcount effect")},
    {"per_capita", N_("per-capita effect")},
    {"existing_customers", N_("existing customers")},
    {"new_customers", N_("new customers")},
    {"other", N_("other (outside the child units)")},
};

static const char *const split_titles[EXPLAIN_SPLITS] = {
    N_("By headcount and sales per head"),
    N_("By existing and new customers"),
    N_("By unit"),
};

/* Appends fen as "+1,234,567.89" (always signed when with_sign). */
static void add_money(struct strbuf *sb, int64_t fen, bool with_sign)
{
    unsigned long long abs_fen = (unsigned long long)(fen < 0 ? -fen : fen);
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%llu", abs_fen / 100);

    if (fen < 0)
        sb_addch(sb, '-');
    else if (with_sign)
        sb_addch(sb, '+');
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            sb_addch(sb, ',');
        sb_addch(sb, digits[i]);
    }
    sb_addf(sb, ".%02llu", abs_fen % 100);
}

/* Appends how people call a unit or employee: "name (id)", or the id
 * alone when it has no name. */
static void add_named(struct db *db, struct strbuf *sb, const char *sql, const char *id)
{
    struct db_stmt *st = db_prepare(db, sql, NULL);
    const char *name = NULL;

    if (st) {
        db_bind_text(st, 1, id);
        if (db_step(st, NULL) == DB_ROW)
            name = db_column_text(st, 0);
    }
    if (name && *name)
        sb_addf(sb, "%s (%s)", name, id);
    else
        sb_add(sb, id);
    db_finalize(st);
}

/* Appends the scope's name. For "company" that is the company.name
 * setting when set, else the name of the single root unit. */
static void add_scope_name(struct db *db, struct strbuf *sb, const char *scope)
{
    char *name = NULL;
    struct db_stmt *st;

    if (!strncmp(scope, "unit:", 5)) {
        add_named(db, sb, "SELECT name FROM org_units WHERE unit_id = ?", scope + 5);
        return;
    }
    if (!strncmp(scope, "employee:", 9)) {
        add_named(db, sb, "SELECT name FROM employees WHERE employee_id = ?", scope + 9);
        return;
    }
    if (setting_is_set(db, "company.name") == 1) {
        name = setting_get(db, "company.name", NULL);
    } else if ((st = db_prepare(db, "SELECT name FROM org_units WHERE parent_id IS NULL", NULL))) {
        if (db_step(st, NULL) == DB_ROW && db_column_text(st, 0))
            name = xstrdup(db_column_text(st, 0));
        if (name && db_step(st, NULL) != DB_DONE) {
            free(name); /* more than one root unit: no single name */
            name = NULL;
        }
        db_finalize(st);
    }
    sb_add(sb, name && *name ? name : scope);
    free(name);
}

static void print_table(struct db *db, const struct explanation *e)
{
    struct strbuf from = STRBUF_INIT, to = STRBUF_INIT, change = STRBUF_INIT;
    struct strbuf scope = STRBUF_INIT, unit = STRBUF_INIT;
    char period[16], vs[16];

    period_format(&e->period, period);
    period_format(&e->vs, vs);
    add_money(&from, e->from, false);
    add_money(&to, e->to, false);
    add_money(&change, e->to - e->from, true);
    add_scope_name(db, &scope, e->scope);
    printf(_("Sales of %s: %s in %s, %s in %s, change %s\n"), scope.buf, from.buf, vs, to.buf,
           period, change.buf);
    for (int k = 0; k < EXPLAIN_SPLITS; k++) {
        printf("\n%s\n", _(split_titles[k]));
        for (size_t i = 0; i < e->splits[k].n; i++) {
            const struct explain_part *part = &e->splits[k].parts[i];
            const char *label = part->name;

            for (size_t j = 0; j < sizeof(part_labels) / sizeof(part_labels[0]); j++)
                if (!strcmp(part_labels[j].name, part->name) && (k != EXPLAIN_UNITS || j == 4))
                    label = _(part_labels[j].label);
            if (k == EXPLAIN_UNITS && label == part->name) {
                sb_reset(&unit);
                add_named(db, &unit, "SELECT name FROM org_units WHERE unit_id = ?", part->name);
                label = unit.buf;
            }
            sb_reset(&change);
            add_money(&change, part->fen, true);
            fputs("  ", stdout);
            print_cell(stdout, label, 32, false);
            printf(" %20s\n", change.buf);
        }
    }
    sb_release(&from);
    sb_release(&to);
    sb_release(&change);
    sb_release(&scope);
    sb_release(&unit);
}

int cmd_explain(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"period", required_argument, NULL, 'p'}, {"vs", required_argument, NULL, 'v'},
        {"scope", required_argument, NULL, 's'},  {"as-of", required_argument, NULL, 'a'},
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    const char *period_text = NULL, *vs_text = NULL, *scope = "company", *as_of_text = NULL;
    struct strbuf err = STRBUF_INIT;
    struct explanation e;
    struct period period, vs;
    struct db *db;
    cdate as_of = DATE_NONE;
    bool json = false;
    int c, rc;

    /* Options: every usage error exits 2 before the database is opened. */
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'p':
            period_text = optarg;
            break;
        case 'v':
            vs_text = optarg;
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
        return cli_usage_error(cli, _("name the metric to explain: sales"));
    if (strcmp(argv[optind], "sales"))
        return cli_usage_error(cli, _("unknown metric '%s': only sales can be explained"),
                               argv[optind]);
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    if (!period_text || !vs_text)
        return cli_usage_error(cli, _("--period and --vs are required (YYYY-MM, YYYY-Qn or YYYY)"));
    if (period_parse(period_text, &period))
        return cli_usage_error(cli, _("invalid period '%s': use YYYY-MM, YYYY-Qn or YYYY"),
                               period_text);
    if (period_parse(vs_text, &vs))
        return cli_usage_error(cli, _("invalid period '%s': use YYYY-MM, YYYY-Qn or YYYY"),
                               vs_text);
    if (metrics_scope_check(scope))
        return cli_usage_error(cli, _("invalid scope '%s': use company, unit:ID or employee:ID"),
                               scope);
    if (as_of_text && date_parse(as_of_text, &as_of))
        return cli_usage_error(cli, _("invalid date '%s' for --as-of: use YYYY-MM-DD"),
                               as_of_text);

    /* Compute and print. */
    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    if (!as_of_text && (as_of = cli_company_today(db)) == DATE_NONE) {
        db_close(db);
        return EXIT_FAILED;
    }
    rc = explain_sales(db, scope, &period, &vs, as_of, &e, &err);
    if (rc) {
        cli_error("%s", err.buf);
        rc = rc == METRICS_BAD_SCOPE ? EXIT_USAGE : EXIT_FAILED;
    } else {
        if (json)
            cli_print_json(explanation_to_json(&e));
        else
            print_table(db, &e);
        rc = EXIT_OK;
    }
    explanation_free(&e);
    sb_release(&err);
    db_close(db);
    return rc;
}

/*
 * GET /api/v1/teams?period=P&scope=S&as_of=D[&format=csv|xlsx] — the team
 * dashboard: for every team (org unit of kind "team") inside S, the team
 * effectiveness figures side by side, names in pinyin order for Chinese
 * callers. JSON: {"period":..,"scope":..,"teams":[{"id":..,"name":..,
 * "parent":..,"metrics":{..},"status":{..}}]}; CSV: one line per team.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/api_table.h"

/* The figures of a team row, in the order of the table and the CSV. */
static const enum metric_id team_metrics[] = {
    M_SALES,          M_HEADCOUNT,         M_PER_CAPITA_SALES,         M_OPENING_RATE,
    M_VISITS_PER_HEAD, M_TRAINING_COMPLETION_RATE, M_EMPLOYEE_SATISFACTION, M_ATTRITION_RATE,
};
#define NTEAM_METRICS (sizeof(team_metrics) / sizeof(team_metrics[0]))

static const struct table_column team_columns[] = {
    {"id", N_("Unit ID"), COL_TEXT},
    {"name", N_("Team"), COL_TEXT},
    {"parent", N_("City"), COL_TEXT},
    {"sales", N_("Sales (yuan)"), COL_MONEY},
    {"headcount", N_("Headcount"), COL_NUMBER},
    {"per_capita_sales", N_("Per-capita monthly sales (yuan)"), COL_MONEY},
    {"opening_rate", N_("Opening rate"), COL_NUMBER},
    {"visits_per_head", N_("Visits per head"), COL_NUMBER},
    {"training_completion_rate", N_("Training completion rate"), COL_NUMBER},
    {"employee_satisfaction", N_("Employee satisfaction"), COL_NUMBER},
    {"attrition_rate", N_("Attrition rate"), COL_NUMBER},
};

/* The teams inside scope (company or unit:ID) as rows with id, name and
 * parent name; NULL with err. A rep's employee scope has no teams. */
static json_t *load_teams(struct request *req, const char *scope, struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *st;
    json_t *rows = json_array();
    bool unit = !strncmp(scope, "unit:", 5);
    int rc = DB_DONE;

    if (strcmp(scope, "company") && !unit)
        goto out;
    if (unit)
        sb_add(&sql, web_subtree_cte);
    sb_add(&sql, "SELECT t.unit_id, t.name, p.name FROM org_units t"
                 " LEFT JOIN org_units p ON p.unit_id = t.parent_id WHERE t.kind = 'team'");
    if (unit)
        sb_add(&sql, " AND t.unit_id IN (SELECT u FROM sub)");
    st = db_prepare(req->db, sb_str(&sql), err);
    if (!st) {
        rc = DB_ERROR;
        goto out;
    }
    if (unit)
        db_bind_text(st, 1, scope + 5);
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *parent = db_column_text(st, 2);

        json_array_append_new(rows, json_pack("{s:s, s:s, s:o}", "id", db_column_text(st, 0),
                                              "name", db_column_text(st, 1), "parent",
                                              parent ? json_string(parent) : json_null()));
    }
    db_finalize(st);
out:
    sb_release(&sql);
    if (rc != DB_DONE) {
        json_decref(rows);
        return NULL;
    }
    return rows;
}

/* Adds the team figures of scorecard sc to row: flat for the CSV and
 * under "metrics" and "status" for the page. */
static void add_figures(json_t *row, const struct scorecard *sc)
{
    json_t *metrics = json_object(), *status = json_object();

    for (size_t i = 0; i < NTEAM_METRICS; i++) {
        enum metric_id m = team_metrics[i];
        const char *name = metric_defs[m].name, *color = metric_status_name(sc->status[m]);
        json_t *v = sc->values[m].available ? json_real(sc->values[m].value) : json_null();

        json_object_set(row, name, v);
        json_object_set_new(metrics, name, v);
        if (color)
            json_object_set_new(status, name, json_string(color));
    }
    json_object_set_new(row, "metrics", metrics);
    json_object_set_new(row, "status", status);
}

void api_teams_get(struct request *req)
{
    const char *period_text = web_query(req, "period");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT;
    struct scorecard *cards = NULL;
    size_t ncards = 0, i;
    struct period period;
    json_t *teams = NULL, *row;
    char period_name[16];
    cdate as_of;

    /* Checks of the query, the scope check first among them. */
    if (!period_text || period_parse(period_text, &period)) {
        web_error(req, 400, "bad_request",
                  N_("The period is missing or invalid: use YYYY-MM, YYYY-Qn or YYYY."));
        goto out;
    }
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    /* Every unit's scorecard in one evaluation, then the teams of S. */
    teams = load_teams(req, scope.buf, &err);
    if (!teams || metrics_unit_scorecards(req->db, &period, 1, as_of, &cards, &ncards, &err)) {
        web_internal_error(req, "teams", &err);
        goto out;
    }
    json_array_foreach(teams, i, row) {
        const char *id = json_string_value(json_object_get(row, "id"));

        for (size_t k = 0; k < ncards; k++)
            if (!strncmp(cards[k].scope, "unit:", 5) && !strcmp(cards[k].scope + 5, id))
                add_figures(row, &cards[k]);
    }
    web_sort_by_name(req, teams, "name");
    if (web_wants_download(req)) {
        web_download_reply(req, teams, team_columns, sizeof(team_columns) / sizeof(team_columns[0]),
                      N_("team effectiveness"), "teams");
        teams = NULL;
        goto out;
    }
    json_array_foreach(teams, i, row)
        for (size_t k = 0; k < NTEAM_METRICS; k++)
            json_object_del(row, metric_defs[team_metrics[k]].name);
    period_format(&period, period_name);
    web_json(req, 200, json_pack("{s:s, s:s, s:o}", "period", period_name, "scope", scope.buf,
                                 "teams", teams));
    teams = NULL;
out:
    for (i = 0; i < ncards; i++)
        scorecard_free(&cards[i]);
    free(cards);
    json_decref(teams);
    sb_release(&scope);
    sb_release(&err);
}

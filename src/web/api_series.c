/*
 * GET /api/v1/series?metric=a,b&scope=S&months=N&as_of=D — monthly values
 * of metrics for the trend charts: the N calendar months (default 12, at
 * most 36) ending with the month of the as-of date, each month computed
 * as of D (the current month is partial). JSON:
 * {"scope":..,"as_of":..,"months":["2025-12",..],"series":{"sales":[..]}}
 * with null for an unavailable month. A metric computed from payroll is
 * left out for a caller whose role may not see pay
 * (web_withhold_pay_metrics). Responses are cached like the key
 * results (src/web/cached.c).
 */
#include <stdlib.h>
#include <string.h>

#include "metrics/metrics.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "web/web.h"

/* At most this many metrics per request, to bound the work of one call. */
#define SERIES_METRICS_MAX 8

/* Parses a comma-separated list of metric names into ids. Returns the
 * count, or -1 for an unknown name, an empty list or too many names. */
static int parse_metrics(const char *list, enum metric_id ids[SERIES_METRICS_MAX])
{
    char *copy = xstrdup(list), *p = copy, *comma;
    int n = 0, m;

    for (;;) {
        comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        m = metric_by_name(p);
        if (m < 0 || n == SERIES_METRICS_MAX) {
            n = -1;
            break;
        }
        ids[n++] = (enum metric_id)m;
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return n;
}

void api_series_get(struct request *req)
{
    const char *list = web_query(req, "metric"), *months_text = web_query(req, "months");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT, key = STRBUF_INIT,
                  query = STRBUF_INIT;
    enum metric_id ids[SERIES_METRICS_MAX];
    bool selected[METRIC_COUNT] = {false};
    int64_t generation;
    struct metric_value(*values)[METRIC_COUNT] = NULL;
    json_t *answer = NULL, *series, *months;
    char *end = NULL, day[DATE_BUFSIZE], month[8];
    long nmonths = 12;
    int n, first, rc;
    cdate as_of;

    /* Checks of the query, the scope check first among them. */
    n = list ? parse_metrics(list, ids) : -1;
    if (months_text)
        nmonths = strtol(months_text, &end, 10);
    if (n < 0 || (months_text && (*end || nmonths < 1 || nmonths > 36))) {
        web_error(req, 400, "bad_request",
                  N_("The metric list or the number of months is invalid."));
        goto out;
    }
    sb_addf(&query, "%s|%ld", list, nmonths);
    if (web_cache_lookup(req, "series", query.buf, &key, &generation))
        goto out;
    if (web_requested_scope(req, &scope) || web_as_of(req, &as_of))
        goto out;

    for (int i = 0; i < n; i++)
        selected[ids[i]] = true;
    if (web_withhold_pay_metrics(req, scope.buf, true, selected))
        goto out;

    /* The months, then one series per metric. */
    first = date_month_index(as_of) - (int)nmonths + 1;
    values = xcalloc((size_t)nmonths, sizeof(*values));
    series = json_object();
    months = json_array();
    for (int k = 0; k < nmonths; k++) {
        date_month_format(first + k, month);
        json_array_append_new(months, json_string(month));
    }
    date_format(as_of, day);
    answer = json_pack("{s:s, s:s, s:o, s:o}", "scope", scope.buf, "as_of", day, "months", months,
                       "series", series);
    /* One evaluation per month gives every metric. */
    rc = metrics_series_all(req->db, scope.buf, first, (int)nmonths, as_of, values, &err);
    if (rc == METRICS_UNKNOWN_SCOPE) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    if (rc) {
        web_internal_error(req, "series", &err);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        json_t *row;

        if (!selected[ids[i]])
            continue;
        row = json_array();

        for (int k = 0; k < nmonths; k++)
            json_array_append_new(row, values[k][ids[i]].available
                                           ? json_real(values[k][ids[i]].value)
                                           : json_null());
        json_object_set_new(series, metric_defs[ids[i]].name, row);
    }
    web_json(req, 200, answer);
    answer = NULL;
    web_cache_store(req, key.buf, generation);
out:
    sb_release(&query);
    sb_release(&key);
    json_decref(answer);
    free(values);
    sb_release(&scope);
    sb_release(&err);
}

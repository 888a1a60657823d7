/*
 * The route table of the web server. Keep it sorted by method, then path
 * (byte order): route_find uses bsearch for exact paths and scans the
 * few ROUTE_PREFIX entries after that.
 */
#include <string.h>

#include "web/web.h"

const struct route routes[] = {
    {"DELETE", "/api/v1/session", api_session_delete, ROUTE_SESSION | ROUTE_API},
    {"GET", "/", page_index, 0},
    {"GET", "/api/v1/alerts", api_alerts_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/audit", api_audit_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/customers/", api_customer_get, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API | ROUTE_DOWNLOAD},
    {"GET", "/api/v1/employees/", api_employee_get, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API | ROUTE_DOWNLOAD},
    {"GET", "/api/v1/explain", api_explain_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/forecast", api_forecast_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/import/", api_import_get, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API},
    {"GET", "/api/v1/kpi", api_kpi_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/linkage", api_linkage_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/mappings", api_mappings_list, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/mappings/", api_mapping_get, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API},
    {"GET", "/api/v1/orders", api_orders_get, ROUTE_SESSION | ROUTE_API | ROUTE_DOWNLOAD},
    {"GET", "/api/v1/risk/attrition", api_risk_attrition_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/risk/churn", api_risk_churn_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/series", api_series_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/session", api_session_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/teams", api_teams_get, ROUTE_SESSION | ROUTE_API | ROUTE_DOWNLOAD},
    {"GET", "/api/v1/teams/profile", api_team_profile_get, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/units", api_units_list, ROUTE_SESSION | ROUTE_API},
    {"GET", "/api/v1/units/", api_unit_get, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API | ROUTE_DOWNLOAD},
    {"GET", "/assets/", page_asset, ROUTE_PREFIX},
    {"POST", "/api/v1/alerts/", api_alert_state, ROUTE_SESSION | ROUTE_PREFIX | ROUTE_API},
    {"POST", "/api/v1/import", api_import_post, ROUTE_SESSION | ROUTE_API},
    {"POST", "/api/v1/mappings", api_mapping_save, ROUTE_SESSION | ROUTE_API},
    {"POST", "/api/v1/mappings/check", api_mapping_check, ROUTE_SESSION | ROUTE_API},
    {"POST", "/api/v1/session", api_session_create, ROUTE_NO_CSRF | ROUTE_API},
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);

struct route_key {
    const char *method;
    const char *path;
};

static int compare_route(const void *key, const void *elem)
{
    const struct route_key *k = key;
    const struct route *r = elem;
    int c = strcmp(k->method, r->method);

    return c ? c : strcmp(k->path, r->path);
}

static bool path_matches(const struct route *r, const char *path)
{
    if (r->flags & ROUTE_PREFIX)
        return !strncmp(path, r->path, strlen(r->path)) && path[strlen(r->path)] != '\0';
    return !strcmp(path, r->path);
}

const struct route *route_find(const char *method, const char *path, bool *path_known)
{
    struct route_key key = {method, path};
    const struct route *found;

    *path_known = false;
    found = bsearch(&key, routes, nroutes, sizeof(routes[0]), compare_route);
    if (found && !(found->flags & ROUTE_PREFIX))
        return found;

    found = NULL;
    for (size_t i = 0; i < nroutes; i++) {
        if (!path_matches(&routes[i], path))
            continue;
        if (!strcmp(routes[i].method, method))
            found = &routes[i];
        else
            *path_known = true;
    }
    return found;
}

bool routes_sorted(void)
{
    for (size_t i = 1; i < nroutes; i++) {
        struct route_key key = {routes[i - 1].method, routes[i - 1].path};

        if (compare_route(&key, &routes[i]) >= 0)
            return false;
    }
    return true;
}

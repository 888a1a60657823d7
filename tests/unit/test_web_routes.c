/*
 * The route table of src/web/routes.c and the catalog reader of
 * src/web/msgcat.c.
 */
#include <string.h>

#include "support.h"

#include "web/msgcat.h"
#include "web/web.h"

static void table_sorted(void **state)
{
    (void)state;
    assert_true(routes_sorted());
}

static void find_routes(void **state)
{
    bool known;
    const struct route *r;

    (void)state;
    r = route_find("POST", "/api/v1/session", &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, api_session_create);
    assert_true(r->flags & ROUTE_NO_CSRF);

    r = route_find("DELETE", "/api/v1/session", &known);
    assert_non_null(r);
    assert_false(r->flags & ROUTE_NO_CSRF);

    r = route_find("GET", "/assets/app.js", &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, page_asset);
    assert_null(route_find("GET", "/assets/", &known));

    r = route_find("POST", "/api/v1/alerts/7/ack", &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, api_alert_state);
    assert_false(r->flags & ROUTE_NO_CSRF);
    assert_null(route_find("GET", "/api/v1/alerts/7/ack", &known));
    assert_true(known);
    r = route_find("GET", "/api/v1/alerts", &known);
    assert_non_null(r);
    assert_ptr_equal(r->handler, api_alerts_get);

    assert_null(route_find("GET", "/nowhere", &known));
    assert_false(known);
    assert_null(route_find("PUT", "/api/v1/session", &known));
    assert_true(known);
    assert_null(route_find("GET", "/api/v1/sessionx", &known));
    assert_false(known);
}

static void catalog_lookup(void **state)
{
    (void)state;
    /* Without loaded catalogs every language falls back to the msgid. */
    assert_string_equal(msgcat_get("zh_CN", "Log in first."), "Log in first.");
    assert_string_equal(msgcat_get("en", "Log in first."), "Log in first.");
    assert_string_equal(msgcat_get(NULL, "Log in first."), "Log in first.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_sorted),
        cmocka_unit_test(find_routes),
        cmocka_unit_test(catalog_lookup),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

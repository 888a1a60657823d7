/*
 * Access decisions of src/auth/scope.c on a small organisation:
 *
 *   C (company) -> R (region) -> X (city) -> TA, TB (teams)
 *                             -> Y (city)
 *
 * with employees E1 in TA, E2 in TB and E3 in Y.
 */
#include <stdlib.h>
#include <string.h>

#include "support.h"

#include "auth/scope.h"
#include "db/db.h"

static char *dir;
static struct db *db;

static int setup(void **state)
{
    struct strbuf err = STRBUF_INIT;
    char *path;

    (void)state;
    dir = make_temp_dir();
    path = path_join(dir, "scope.db");
    if (db_open(&db, path, DB_OPEN_CREATE, &err))
        fail_msg("db_open: %s", err.buf);
    if (db_exec(db,
                "INSERT INTO org_units (unit_id, name, parent_id, kind) VALUES"
                " ('C', 'Company', NULL, 'company'), ('R', 'East', 'C', 'region'),"
                " ('X', 'Shanghai', 'R', 'city'), ('Y', 'Hangzhou', 'R', 'city'),"
                " ('TA', 'Team A', 'X', 'team'), ('TB', 'Team B', 'X', 'team');"
                "INSERT INTO employees (employee_id, name, unit_id, hire_date) VALUES"
                " ('E1', 'Li', 'TA', '2023-01-01'), ('E2', 'Wang', 'TB', '2023-01-01'),"
                " ('E3', 'Zhao', 'Y', '2023-01-01');",
                &err))
        fail_msg("insert: %s", err.buf);
    free(path);
    sb_release(&err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    remove_tree(dir);
    free(dir);
    return 0;
}

static struct principal principal(enum role role, const char *scope)
{
    struct principal p = {.role = role};

    assert_int_equal(scope_parse(scope, &p.scope), 0);
    return p;
}

static enum scope_decision decide(enum role role, const char *own, const char *want_text)
{
    struct principal who = principal(role, own);
    struct scope want;
    struct strbuf err = STRBUF_INIT;
    enum scope_decision d;

    assert_int_equal(scope_parse(want_text, &want), 0);
    if (scope_check(db, &who, &want, &d, &err))
        fail_msg("scope_check: %s", err.buf);
    sb_release(&err);
    return d;
}

static bool visible(enum role role, const char *own, enum field_class fields,
                    const char *employee)
{
    struct principal who = principal(role, own);
    struct strbuf err = STRBUF_INIT;
    bool v = true;

    if (scope_field_visible(db, &who, fields, employee, &v, &err))
        fail_msg("scope_field_visible: %s", err.buf);
    sb_release(&err);
    return v;
}

static void team_lead_scope(void **state)
{
    (void)state;
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "unit:TB"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "company"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "unit:X"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "unit:TA"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "employee:E1"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_TEAM_LEAD, "unit:TA", "employee:E2"), SCOPE_FORBIDDEN);
}

static void city_gm_scope(void **state)
{
    (void)state;
    assert_int_equal(decide(ROLE_GM, "unit:X", "unit:Y"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_GM, "unit:X", "unit:R"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_GM, "unit:X", "company"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_GM, "unit:X", "unit:X"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_GM, "unit:X", "unit:TB"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_GM, "unit:X", "employee:E2"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_GM, "unit:X", "employee:E3"), SCOPE_FORBIDDEN);
}

static void company_gm_scope(void **state)
{
    (void)state;
    assert_int_equal(decide(ROLE_GM, "company", "company"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_GM, "company", "unit:Y"), SCOPE_ALLOWED);
    assert_int_equal(decide(ROLE_GM, "company", "employee:E3"), SCOPE_ALLOWED);
}

static void rep_scope(void **state)
{
    (void)state;
    assert_int_equal(decide(ROLE_REP, "employee:E1", "employee:E2"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_REP, "employee:E1", "unit:TA"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_REP, "employee:E1", "company"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_REP, "employee:E1", "employee:E1"), SCOPE_ALLOWED);
}

static void unknown_ids(void **state)
{
    (void)state;
    /* Only a company-wide caller learns that an id does not exist. */
    assert_int_equal(decide(ROLE_GM, "company", "unit:NOPE"), SCOPE_UNKNOWN);
    assert_int_equal(decide(ROLE_HR, "company", "employee:NOPE"), SCOPE_UNKNOWN);
    assert_int_equal(decide(ROLE_GM, "unit:X", "unit:NOPE"), SCOPE_FORBIDDEN);
    assert_int_equal(decide(ROLE_REP, "employee:E1", "employee:NOPE"), SCOPE_FORBIDDEN);
}

static void field_visibility(void **state)
{
    (void)state;
    /* Pay: gm, hr, finance within their scope; a rep for itself. */
    assert_true(visible(ROLE_GM, "company", FIELDS_PAY, "E2"));
    assert_true(visible(ROLE_FINANCE, "company", FIELDS_PAY, "E2"));
    assert_true(visible(ROLE_HR, "unit:Y", FIELDS_PAY, "E3"));
    assert_false(visible(ROLE_HR, "unit:Y", FIELDS_PAY, "E1"));
    assert_false(visible(ROLE_TEAM_LEAD, "unit:TA", FIELDS_PAY, "E1"));
    assert_true(visible(ROLE_REP, "employee:E1", FIELDS_PAY, "E1"));
    assert_false(visible(ROLE_REP, "employee:E1", FIELDS_PAY, "E2"));

    /* Personal: gm, hr within their scope; a team lead for its unit. */
    assert_true(visible(ROLE_GM, "unit:X", FIELDS_PERSONAL, "E1"));
    assert_false(visible(ROLE_GM, "unit:X", FIELDS_PERSONAL, "E3"));
    assert_true(visible(ROLE_HR, "company", FIELDS_PERSONAL, "E3"));
    assert_false(visible(ROLE_FINANCE, "company", FIELDS_PERSONAL, "E1"));
    assert_true(visible(ROLE_TEAM_LEAD, "unit:TA", FIELDS_PERSONAL, "E1"));
    assert_false(visible(ROLE_TEAM_LEAD, "unit:TA", FIELDS_PERSONAL, "E2"));
    assert_true(visible(ROLE_REP, "employee:E1", FIELDS_PERSONAL, "E1"));
    assert_false(visible(ROLE_REP, "employee:E1", FIELDS_PERSONAL, "E3"));
    assert_false(visible(ROLE_GM, "company", FIELDS_PERSONAL, "NOPE"));
}

static void parse_scopes(void **state)
{
    struct scope s;
    struct strbuf text = STRBUF_INIT;
    char long_id[SCOPE_ID_MAX + 16];

    (void)state;
    assert_int_equal(scope_parse("company", &s), 0);
    assert_int_equal(s.kind, SCOPE_COMPANY);
    assert_int_equal(scope_parse("unit:T01", &s), 0);
    assert_int_equal(s.kind, SCOPE_UNIT);
    assert_string_equal(s.id, "T01");
    assert_int_equal(scope_parse("employee:E-9", &s), 0);
    assert_int_equal(s.kind, SCOPE_EMPLOYEE);
    assert_string_equal(s.id, "E-9");
    scope_format(&s, &text);
    assert_string_equal(text.buf, "employee:E-9");
    sb_release(&text);

    assert_int_equal(scope_parse("unit:", &s), -1);
    assert_int_equal(scope_parse("employee:", &s), -1);
    assert_int_equal(scope_parse("team:T01", &s), -1);
    assert_int_equal(scope_parse("", &s), -1);
    assert_int_equal(scope_parse("Company", &s), -1);
    memset(long_id, 'a', sizeof(long_id));
    memcpy(long_id, "unit:", 5);
    long_id[sizeof(long_id) - 1] = '\0';
    assert_int_equal(scope_parse(long_id, &s), -1);
}

static void role_account_rules(void **state)
{
    struct scope unit, employee, out;
    struct strbuf err = STRBUF_INIT;
    enum role r;

    (void)state;
    assert_int_equal(scope_parse("unit:TA", &unit), 0);
    assert_int_equal(scope_parse("employee:E1", &employee), 0);

    assert_int_equal(scope_for_role(ROLE_TEAM_LEAD, NULL, &out, &err), -1);
    assert_int_equal(scope_for_role(ROLE_TEAM_LEAD, &employee, &out, &err), -1);
    assert_int_equal(scope_for_role(ROLE_TEAM_LEAD, &unit, &out, &err), 0);
    assert_int_equal(out.kind, SCOPE_UNIT);
    assert_int_equal(scope_for_role(ROLE_REP, NULL, &out, &err), -1);
    assert_int_equal(scope_for_role(ROLE_REP, &unit, &out, &err), -1);
    assert_int_equal(scope_for_role(ROLE_REP, &employee, &out, &err), 0);
    assert_int_equal(out.kind, SCOPE_EMPLOYEE);
    assert_int_equal(scope_for_role(ROLE_GM, NULL, &out, &err), 0);
    assert_int_equal(out.kind, SCOPE_COMPANY);
    assert_int_equal(scope_for_role(ROLE_FINANCE, &unit, &out, &err), 0);
    assert_string_equal(out.id, "TA");
    assert_int_equal(scope_for_role(ROLE_HR, &employee, &out, &err), -1);
    sb_release(&err);

    assert_int_equal(role_parse("team_lead", &r), 0);
    assert_int_equal(r, ROLE_TEAM_LEAD);
    assert_string_equal(role_name(ROLE_FINANCE), "finance");
    assert_int_equal(role_parse("admin", &r), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(team_lead_scope),  cmocka_unit_test(city_gm_scope),
        cmocka_unit_test(company_gm_scope), cmocka_unit_test(rep_scope),
        cmocka_unit_test(unknown_ids),      cmocka_unit_test(field_visibility),
        cmocka_unit_test(parse_scopes),     cmocka_unit_test(role_account_rules),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * Scope parsing and the access decisions of scope.h. Unit containment
 * walks org_units.parent_id upwards from the requested unit; a depth
 * limit stops the walk on a (malformed) cycle.
 */
#include <string.h>

#include "auth/scope.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const char *const role_names[ROLE_COUNT] = {
    [ROLE_GM] = "gm",
    [ROLE_TEAM_LEAD] = "team_lead",
    [ROLE_HR] = "hr",
    [ROLE_FINANCE] = "finance",
    [ROLE_REP] = "rep",
};

const char *role_name(enum role role)
{
    return role >= 0 && role < ROLE_COUNT ? role_names[role] : "?";
}

bool role_sees_pay(enum role role)
{
    return role != ROLE_TEAM_LEAD;
}

int role_parse(const char *name, enum role *out)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        if (!strcmp(name, role_names[i])) {
            *out = (enum role)i;
            return 0;
        }
    }
    return -1;
}

int scope_parse(const char *text, struct scope *out)
{
    const char *id;
    size_t len;

    memset(out, 0, sizeof(*out));
    if (!strcmp(text, "company")) {
        out->kind = SCOPE_COMPANY;
        return 0;
    }
    if (!strncmp(text, "unit:", 5)) {
        out->kind = SCOPE_UNIT;
        id = text + 5;
    } else if (!strncmp(text, "employee:", 9)) {
        out->kind = SCOPE_EMPLOYEE;
        id = text + 9;
    } else {
        return -1;
    }
    len = strlen(id);
    if (len == 0 || len >= SCOPE_ID_MAX)
        return -1;
    memcpy(out->id, id, len + 1);
    return 0;
}

void scope_format(const struct scope *scope, struct strbuf *out)
{
    switch (scope->kind) {
    case SCOPE_COMPANY:
        sb_add(out, "company");
        break;
    case SCOPE_UNIT:
        sb_addf(out, "unit:%s", scope->id);
        break;
    case SCOPE_EMPLOYEE:
        sb_addf(out, "employee:%s", scope->id);
        break;
    }
}

int scope_for_role(enum role role, const struct scope *given, struct scope *out,
                   struct strbuf *err)
{
    memset(out, 0, sizeof(*out));
    switch (role) {
    case ROLE_TEAM_LEAD:
        if (!given || given->kind != SCOPE_UNIT) {
            sb_addf(err, _("role team_lead needs --scope unit:ID"));
            return -1;
        }
        break;
    case ROLE_REP:
        if (!given || given->kind != SCOPE_EMPLOYEE) {
            sb_addf(err, _("role rep needs --scope employee:ID"));
            return -1;
        }
        break;
    default:
        if (given && given->kind == SCOPE_EMPLOYEE) {
            sb_addf(err, _("role %s takes --scope company or unit:ID, not employee:ID"),
                    role_name(role));
            return -1;
        }
        break;
    }
    if (given)
        *out = *given;
    return 0;
}

/* Runs a query with one or two text parameters that returns one count. */
static int count_query(struct db *db, const char *sql, const char *a, const char *b,
                       int64_t *count, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(db, sql, err);
    int rc;

    if (!st)
        return -1;
    db_bind_text(st, 1, a);
    if (b)
        db_bind_text(st, 2, b);
    rc = db_step(st, err);
    *count = rc == DB_ROW ? db_column_int64(st, 0) : 0;
    db_finalize(st);
    return rc == DB_ERROR ? -1 : 0;
}

int scope_exists(struct db *db, const struct scope *scope, bool *exists, struct strbuf *err)
{
    int64_t n = 0;
    const char *sql;

    if (scope->kind == SCOPE_COMPANY) {
        *exists = true;
        return 0;
    }
    sql = scope->kind == SCOPE_UNIT ? "SELECT count(*) FROM org_units WHERE unit_id = ?"
                                    : "SELECT count(*) FROM employees WHERE employee_id = ?";
    if (count_query(db, sql, scope->id, NULL, &n, err))
        return -1;
    *exists = n > 0;
    return 0;
}

/* Whether unit lies in the subtree of ancestor (a unit is in its own). */
static int unit_within(struct db *db, const char *unit, const char *ancestor, bool *within,
                       struct strbuf *err)
{
    static const char sql[] =
        "WITH RECURSIVE up(id, depth) AS ("
        "  SELECT unit_id, 0 FROM org_units WHERE unit_id = ?1"
        "  UNION ALL"
        "  SELECT o.parent_id, up.depth + 1 FROM org_units o JOIN up ON o.unit_id = up.id"
        "  WHERE o.parent_id IS NOT NULL AND up.depth < 64)"
        "SELECT count(*) FROM up WHERE id = ?2";
    int64_t n = 0;

    if (count_query(db, sql, unit, ancestor, &n, err))
        return -1;
    *within = n > 0;
    return 0;
}

/*
 * Whether employee_id belongs to the subtree of unit.
 * NOTE: this uses employees.unit_id, the employee's current unit, and not
 * the assignment in force on the request's as-of date; a team lead
 * therefore sees a transferred employee under the new unit for past
 * periods too.
 */
static int employee_within(struct db *db, const char *employee_id, const char *unit,
                           bool *within, struct strbuf *err)
{
    static const char sql[] =
        "WITH RECURSIVE up(id, depth) AS ("
        "  SELECT unit_id, 0 FROM employees WHERE employee_id = ?1 AND unit_id IS NOT NULL"
        "  UNION ALL"
        "  SELECT o.parent_id, up.depth + 1 FROM org_units o JOIN up ON o.unit_id = up.id"
        "  WHERE o.parent_id IS NOT NULL AND up.depth < 64)"
        "SELECT count(*) FROM up WHERE id = ?2";
    int64_t n = 0;

    if (count_query(db, sql, employee_id, unit, &n, err))
        return -1;
    *within = n > 0;
    return 0;
}

/* Whether the requested scope lies inside the caller's own scope. */
static int scope_within(struct db *db, const struct scope *own, const struct scope *want,
                        bool *within, struct strbuf *err)
{
    *within = false;
    switch (own->kind) {
    case SCOPE_COMPANY:
        *within = true;
        return 0;
    case SCOPE_EMPLOYEE:
        *within = want->kind == SCOPE_EMPLOYEE && !strcmp(want->id, own->id);
        return 0;
    case SCOPE_UNIT:
        if (want->kind == SCOPE_UNIT)
            return unit_within(db, want->id, own->id, within, err);
        if (want->kind == SCOPE_EMPLOYEE)
            return employee_within(db, want->id, own->id, within, err);
        return 0;
    }
    return 0;
}

int scope_check(struct db *db, const struct principal *who, const struct scope *want,
                enum scope_decision *out, struct strbuf *err)
{
    bool exists = false, within = false;

    if (scope_exists(db, want, &exists, err))
        return -1;
    if (!exists) {
        *out = who->scope.kind == SCOPE_COMPANY ? SCOPE_UNKNOWN : SCOPE_FORBIDDEN;
        return 0;
    }
    if (scope_within(db, &who->scope, want, &within, err))
        return -1;
    *out = within ? SCOPE_ALLOWED : SCOPE_FORBIDDEN;
    return 0;
}

int scope_field_visible(struct db *db, const struct principal *who, enum field_class fields,
                        const char *employee_id, bool *visible, struct strbuf *err)
{
    struct scope subject = {.kind = SCOPE_EMPLOYEE};
    enum scope_decision decision;
    bool role_may;
    size_t len = strlen(employee_id);

    *visible = false;
    if (len == 0 || len >= SCOPE_ID_MAX)
        return 0;
    memcpy(subject.id, employee_id, len + 1);

    switch (who->role) {
    case ROLE_GM:
    case ROLE_HR:
    case ROLE_REP:
        role_may = true;
        break;
    case ROLE_FINANCE:
        role_may = fields == FIELDS_PAY;
        break;
    case ROLE_TEAM_LEAD:
        role_may = fields == FIELDS_PERSONAL;
        break;
    default:
        role_may = false;
        break;
    }
    if (!role_may)
        return 0;

    if (scope_check(db, who, &subject, &decision, err))
        return -1;
    *visible = decision == SCOPE_ALLOWED;
    return 0;
}

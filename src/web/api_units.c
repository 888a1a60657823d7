/*
 * The organisation for the dashboard's unit picker and unit page:
 * GET /api/v1/units — the tree of the units the caller may see, names in
 * pinyin order for Chinese callers; GET /api/v1/units/ID — one unit with
 * its child units and its employees (format=csv or xlsx: the employees).
 * Personal fields (email, phone) appear only where scope.c allows them.
 */
#include <string.h>

#include "auth/scope.h"
#include "util/i18n.h"
#include "web/api_table.h"

/* Adds every unit as {"id","name","kind","parent","children":[]} to a
 * JSON object keyed by id. Returns 0, or -1 with err. */
static int load_units(struct db *db, json_t *by_id, struct strbuf *err)
{
    struct db_stmt *st = db_prepare(
        db, "SELECT unit_id, name, kind, parent_id FROM org_units ORDER BY unit_id", err);
    int rc;

    if (!st)
        return -1;
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *parent = db_column_text(st, 3);

        json_object_set_new(by_id, db_column_text(st, 0),
                            json_pack("{s:s, s:s, s:s, s:o, s:[]}", "id", db_column_text(st, 0),
                                      "name", db_column_text(st, 1), "kind",
                                      db_column_text(st, 2), "parent",
                                      parent ? json_string(parent) : json_null(), "children"));
    }
    db_finalize(st);
    return rc == DB_DONE ? 0 : -1;
}

/* The parent unit object of unit in by_id, or NULL. */
static json_t *parent_of(json_t *by_id, json_t *unit)
{
    const char *parent = json_string_value(json_object_get(unit, "parent"));

    return parent ? json_object_get(by_id, parent) : NULL;
}

/* Links each unit to its parent's children and returns the roots (units
 * without a known parent). Sorts every children list by name. */
static json_t *link_tree(const struct request *req, json_t *by_id)
{
    json_t *roots = json_array(), *unit;
    const char *id;

    json_object_foreach(by_id, id, unit) {
        json_t *parent = parent_of(by_id, unit);

        json_array_append(parent ? json_object_get(parent, "children") : roots, unit);
    }
    json_object_foreach(by_id, id, unit)
        web_sort_by_name(req, json_object_get(unit, "children"), "name");
    web_sort_by_name(req, roots, "name");
    return roots;
}

void api_units_list(struct request *req)
{
    struct strbuf err = STRBUF_INIT;
    const struct scope *own = &req->session.who.scope;
    json_t *by_id = json_object(), *roots = NULL, *unit;
    const char *key;

    if (load_units(req->db, by_id, &err)) {
        web_internal_error(req, "units", &err);
        goto out;
    }
    roots = link_tree(req, by_id);

    /* A unit account gets its own subtree, and a rep gets no unit. */
    if (own->kind != SCOPE_COMPANY) {
        json_decref(roots);
        roots = json_array();
        unit = own->kind == SCOPE_UNIT ? json_object_get(by_id, own->id) : NULL;
        if (unit)
            json_array_append(roots, unit);
    }
    web_json(req, 200, json_pack("{s:o}", "units", roots));
out:
    /* The tree's parents hold their children; break the links first. */
    json_object_foreach(by_id, key, unit) json_array_clear(json_object_get(unit, "children"));
    json_decref(by_id);
    sb_release(&err);
}

static const struct table_column employee_columns[] = {
    {"employee_id", N_("Employee ID"), COL_TEXT},
    {"name", N_("Name"), COL_TEXT},
    {"unit", N_("Unit"), COL_TEXT},
    {"position", N_("Position"), COL_TEXT},
    {"hire_date", N_("Hire date"), COL_TEXT},
    {"leave_date", N_("Leave date"), COL_TEXT},
    {"email", N_("Email"), COL_TEXT},
    {"phone", N_("Phone"), COL_TEXT},
};

/* The employees whose current unit is unit_id or below it, with the
 * personal fields the caller may see; *shown counts the rows that show
 * them. Returns NULL with err. */
static json_t *unit_employees(struct request *req, const char *unit_id, size_t *shown,
                              struct strbuf *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct db_stmt *st;
    json_t *list = json_array();
    int rc = DB_ERROR;

    sb_add(&sql, web_subtree_cte);
    sb_add(&sql, "SELECT e.employee_id, e.name, u.name, e.position, e.hire_date, e.leave_date,"
                 " e.email, e.phone FROM employees e JOIN org_units u ON u.unit_id = e.unit_id"
                 " WHERE e.unit_id IN (SELECT u FROM sub) ORDER BY e.employee_id");
    st = db_prepare(req->db, sb_str(&sql), err);
    if (!st)
        goto out;
    db_bind_text(st, 1, unit_id);
    while ((rc = db_step(st, err)) == DB_ROW) {
        const char *id = db_column_text(st, 0);
        bool personal = false;
        json_t *row = json_object();

        if (scope_field_visible(req->db, &req->session.who, FIELDS_PERSONAL, id, &personal, err)) {
            json_decref(row);
            rc = DB_ERROR;
            break;
        }
        *shown += personal;
        for (int c = 0; c < 8; c++) {
            const char *v = db_column_text(st, c);
            bool hidden = c >= 6 && !personal;

            json_object_set_new(row, employee_columns[c].key,
                                v && !hidden ? json_string(v) : json_null());
        }
        json_array_append_new(list, row);
    }
    db_finalize(st);
out:
    sb_release(&sql);
    if (rc != DB_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

void api_unit_get(struct request *req)
{
    const char *id = req->path + strlen("/api/v1/units/");
    struct strbuf err = STRBUF_INIT, scope = STRBUF_INIT;
    struct scope want = {.kind = SCOPE_UNIT};
    enum scope_decision decision;
    json_t *by_id = json_object(), *unit, *employees = NULL, *answer, *children, *child, *parent;
    struct strbuf detail = STRBUF_INIT;
    const char *key;
    size_t i, shown = 0;

    /* The scope check comes first. */
    if (strlen(id) >= SCOPE_ID_MAX || strchr(id, '/')) {
        web_error(req, 404, "not_found", N_("No such unit or employee."));
        goto out;
    }
    memcpy(want.id, id, strlen(id) + 1);
    if (scope_check(req->db, &req->session.who, &want, &decision, &err)) {
        web_internal_error(req, "scope check", &err);
        goto out;
    }
    if (decision != SCOPE_ALLOWED) {
        web_error(req, decision == SCOPE_FORBIDDEN ? 403 : 404,
                  decision == SCOPE_FORBIDDEN ? "forbidden" : "not_found",
                  decision == SCOPE_FORBIDDEN ? N_("This scope is outside your access.")
                                              : N_("No such unit or employee."));
        goto out;
    }

    /* The unit with its children, then its employees. */
    if (load_units(req->db, by_id, &err)) {
        web_internal_error(req, "units", &err);
        goto out;
    }
    json_decref(link_tree(req, by_id));
    unit = json_object_get(by_id, id);
    employees = unit ? unit_employees(req, id, &shown, &err) : NULL;
    if (!employees) {
        web_internal_error(req, "unit employees", &err);
        goto out;
    }
    if (web_wants_download(req)) {
        web_download_reply(req, employees, employee_columns,
                      sizeof(employee_columns) / sizeof(employee_columns[0]),
                      N_("employees"), "employees");
        goto out;
    }
    /* Showing personal fields is audited (a download as an export). */
    if (shown) {
        sb_addf(&scope, "unit:%s", id);
        sb_addf(&detail, "personal of %zu employees", shown);
        if (web_audit(req, "view_personal", scope.buf, detail.buf)) {
            json_decref(employees);
            goto out;
        }
    }
    answer = json_copy(unit);
    children = json_array();
    json_array_foreach(json_object_get(unit, "children"), i, child)
        json_array_append_new(children, json_pack("{s:O, s:O, s:O}", "id", json_object_get(child, "id"),
                                                  "name", json_object_get(child, "name"), "kind",
                                                  json_object_get(child, "kind")));
    json_object_set_new(answer, "children", children);
    json_object_set_new(answer, "employees", employees);
    parent = parent_of(by_id, unit);
    json_object_set_new(answer, "parent_name",
                        parent ? json_incref(json_object_get(parent, "name")) : json_null());
    web_json(req, 200, answer);
out:
    json_object_foreach(by_id, key, unit) json_array_clear(json_object_get(unit, "children"));
    json_decref(by_id);
    sb_release(&detail);
    sb_release(&scope);
    sb_release(&err);
}

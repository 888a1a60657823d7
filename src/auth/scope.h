/*
 * Roles, scopes and the access decisions built on them. This is the one
 * place where Cairn decides whether a caller may see a scope (the
 * company, a unit, an employee) and which fields of an employee it may
 * see; every page, API route and export asks here.
 *
 * A caller is a principal: a role and the scope of its account. gm, hr
 * and finance without a unit see the whole company; team_lead sees its
 * unit and everything below it; rep sees its own employee record only.
 */
#ifndef CAIRN_AUTH_SCOPE_H
#define CAIRN_AUTH_SCOPE_H

#include <stdbool.h>

#include "db/db.h"

enum role { ROLE_GM, ROLE_TEAM_LEAD, ROLE_HR, ROLE_FINANCE, ROLE_REP, ROLE_COUNT };

enum scope_kind { SCOPE_COMPANY, SCOPE_UNIT, SCOPE_EMPLOYEE };

/* Maximum length of a unit or employee id in a scope, in bytes. */
#define SCOPE_ID_MAX 128

/* A scope as written "company", "unit:ID" or "employee:ID". */
struct scope {
    enum scope_kind kind;
    char id[SCOPE_ID_MAX]; /* empty for the company */
};

struct principal {
    enum role role;
    struct scope scope; /* the account's scope; company when it has none */
};

enum scope_decision {
    SCOPE_ALLOWED,
    SCOPE_FORBIDDEN, /* outside the caller's scope: HTTP 403 */
    SCOPE_UNKNOWN,   /* the unit or employee does not exist: HTTP 404 */
};

/* Classes of employee fields that not every role may see. */
enum field_class {
    FIELDS_PAY,      /* base_salary, payroll */
    FIELDS_PERSONAL, /* email, phone */
};

/* Whether the role may see pay (base salary, payroll, and the metrics
 * computed from them) within its scope: every role but team_lead, a rep
 * being limited to its own record by its scope. */
bool role_sees_pay(enum role role);

/* The role's name as in the command line ("team_lead"), and the reverse;
 * role_parse returns -1 for an unknown name. */
const char *role_name(enum role role);
int role_parse(const char *name, enum role *out);

/* Parses "company", "unit:ID" or "employee:ID". Returns 0, or -1 when the
 * text is none of these or the id is empty or too long. */
int scope_parse(const char *text, struct scope *out);

/* Appends the scope in its written form. */
void scope_format(const struct scope *scope, struct strbuf *out);

/*
 * Applies the account rules of a role to the scope given on the command
 * line (NULL when none): team_lead needs unit:ID, rep needs employee:ID,
 * gm, hr and finance take an optional unit:ID and default to the company.
 * Stores the account's scope in *out. Returns 0, or -1 with a message in
 * err (a usage error).
 */
int scope_for_role(enum role role, const struct scope *given, struct scope *out,
                   struct strbuf *err);

/* Sets *exists to whether the scope's unit or employee is in the
 * database (the company always exists). Returns 0, or -1 with err. */
int scope_exists(struct db *db, const struct scope *scope, bool *exists, struct strbuf *err);

/*
 * Decides whether who may see the requested scope: a unit inside the
 * caller's unit subtree (through org_units.parent_id), an employee whose
 * unit is inside it, a rep's own employee. A request that names a unit
 * or employee that does not exist gets SCOPE_UNKNOWN only when the
 * caller sees the whole company, and SCOPE_FORBIDDEN otherwise, so that
 * a narrow account learns nothing about ids outside its scope. Returns 0
 * with *out set, or -1 with a message in err when the database fails.
 */
int scope_check(struct db *db, const struct principal *who, const struct scope *want,
                enum scope_decision *out, struct strbuf *err);

/*
 * Decides whether who may see the given class of fields of one employee:
 * pay to gm, hr and finance within their scope and to a rep for itself;
 * personal fields to gm and hr within their scope, to a team lead for
 * employees of its unit subtree and to a rep for itself. Returns 0 with
 * *visible set, or -1 with a message in err.
 */
int scope_field_visible(struct db *db, const struct principal *who, enum field_class fields,
                        const char *employee_id, bool *visible, struct strbuf *err);

#endif

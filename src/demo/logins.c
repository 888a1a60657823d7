/*
 * The demo database's web accounts: one per role, with fixed passwords
 * that "cairn demo" prints when it starts. They are created only by
 * "cairn demo", so they exist only in demo databases.
 */
#include <stdio.h>
#include <stdlib.h>

#include "auth/password.h"
#include "auth/users.h"
#include "demo/demo.h"
#include "util/i18n.h"
#include "util/xalloc.h"

static const struct {
    const char *login, *role, *scope, *password;
} logins[] = {
    {"demo-gm", "gm", "company", "demo-gm-2026"},
    {"demo-lead", "team_lead", "unit:HZ01", "demo-lead-2026"},
    {"demo-hr", "hr", "company", "demo-hr-2026"},
    {"demo-finance", "finance", "company", "demo-finance-2026"},
    {"demo-rep", "rep", "employee:E00002", "demo-rep-2026"},
};
#define NLOGINS (sizeof(logins) / sizeof(logins[0]))

int demo_add_logins(struct db *db, struct strbuf *err)
{
    for (size_t i = 0; i < NLOGINS; i++) {
        struct principal who;
        char *hash;
        int rc;

        if (principal_from_text(logins[i].role, logins[i].scope, &who))
            BUG("invalid demo account %s", logins[i].login);
        hash = password_hash(logins[i].password, err);
        if (!hash)
            return -1;
        rc = user_insert(db, logins[i].login, &who, hash, err);
        free(hash);
        if (rc)
            return -1;
    }
    return 0;
}

void demo_print_logins(void)
{
    printf("%s\n", _("Demo logins (they exist only in demo databases):"));
    for (size_t i = 0; i < NLOGINS; i++)
        printf("  %-13s %-18s %-10s %s\n", logins[i].login, logins[i].password, logins[i].role,
               logins[i].scope);
}

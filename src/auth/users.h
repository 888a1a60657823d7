/*
 * Accounts of the web server: a login, a role, a scope and a scrypt
 * password hash, stored in the users table.
 */
#ifndef CAIRN_AUTH_USERS_H
#define CAIRN_AUTH_USERS_H

#include <stdbool.h>

#include "auth/scope.h"
#include "db/db.h"

/* Maximum login length. Logins are 1 to 64 letters, digits, '.', '_', '-', '@'. */
#define LOGIN_MAX 64

struct user {
    char login[LOGIN_MAX + 1];
    struct principal who;
    char *password_hash; /* owned; freed by user_release */
    bool disabled;
};

/* Whether login has the allowed length and characters. */
bool login_is_valid(const char *login);

/* Loads an account. Returns 0 with *found set (and *out filled when
 * found; release it with user_release), or -1 with a message in err. */
int user_find(struct db *db, const char *login, struct user *out, bool *found,
              struct strbuf *err);
void user_release(struct user *u);

/* Stores a new account. Returns 0, or -1 with a message in err (also when
 * the login exists already). */
int user_insert(struct db *db, const char *login, const struct principal *who,
                const char *password_hash, struct strbuf *err);

/* Deletes an account and its sessions. Sets *found. Returns 0 or -1. */
int user_delete(struct db *db, const char *login, bool *found, struct strbuf *err);

/* Replaces an account's password hash and ends its sessions. Sets *found.
 * Returns 0 or -1. */
int user_set_password(struct db *db, const char *login, const char *password_hash, bool *found,
                      struct strbuf *err);

/* Builds a principal from the stored role and scope text. Returns 0, or
 * -1 when the row has an unknown role or scope. */
int principal_from_text(const char *role, const char *scope, struct principal *out);

#endif

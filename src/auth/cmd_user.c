/*
 * "cairn user": add, list, remove web accounts and change their
 * passwords. Passwords come from the first line of standard input, so
 * they never appear in the process list or the shell history.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth/audit.h"
#include "auth/password.h"
#include "auth/users.h"
#include "cli/commands.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Maximum length of the password line read from stdin, in bytes. */
#define PASSWORD_MAX_BYTES 1024

/* Counts the UTF-8 characters of s (continuation bytes do not count). */
static size_t utf8_length(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Reads the first line of stdin into a new string without its line end.
 * Returns NULL with a message printed when it is too short or too long. */
static char *read_password(void)
{
    char line[PASSWORD_MAX_BYTES + 2];
    size_t len;

    if (!fgets(line, sizeof(line), stdin))
        line[0] = '\0';
    len = strlen(line);
    if (len > PASSWORD_MAX_BYTES && line[len - 1] != '\n') {
        cli_error(_("the password is longer than %d bytes"), PASSWORD_MAX_BYTES);
        return NULL;
    }
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    if (utf8_length(line) < PASSWORD_MIN_LENGTH) {
        cli_error(_("the password must have at least %d characters; give it on the first line of "
                    "standard input"),
                  PASSWORD_MIN_LENGTH);
        return NULL;
    }
    return xstrdup(line);
}

/* Overwrites and frees a password read by read_password (NULL is fine). */
static void free_password(char *password)
{
    if (!password)
        return;
    OPENSSL_cleanse(password, strlen(password));
    free(password);
}

/* The acting person of command-line changes in the audit log. */
static void cli_actor(struct strbuf *out)
{
    const char *user = getenv("USER");

    sb_addf(out, "cli:%s", user && *user ? user : "?");
}

static int user_add(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"role", required_argument, NULL, 'r'},
        {"scope", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    const char *role_text = NULL, *scope_text = NULL, *login;
    struct principal who = {0};
    struct scope given, *given_ptr = NULL;
    struct strbuf err = STRBUF_INIT, actor = STRBUF_INIT, scope_shown = STRBUF_INIT;
    struct db *db = NULL;
    char *password = NULL, *hash = NULL;
    bool exists = false;
    int c, rc = EXIT_FAILED;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'r')
            role_text = optarg;
        else if (c == 's')
            scope_text = optarg;
        else
            return cli_bad_option(cli, optopt, argv[optind - 1]);
    }
    if (optind >= argc)
        return cli_usage_error(cli, _("user add needs a LOGIN"));
    if (optind + 1 < argc)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind + 1]);
    login = argv[optind];
    if (!login_is_valid(login))
        return cli_usage_error(cli, _("invalid login '%s': use 1 to %d letters, digits, '.', '_', "
                                      "'-' or '@'"),
                               login, LOGIN_MAX);
    if (!role_text)
        return cli_usage_error(cli, _("user add needs --role gm|team_lead|hr|finance|rep"));
    if (role_parse(role_text, &who.role))
        return cli_usage_error(cli, _("unknown role '%s': use gm, team_lead, hr, finance or rep"),
                               role_text);
    if (scope_text) {
        if (scope_parse(scope_text, &given))
            return cli_usage_error(cli, _("invalid scope '%s': use unit:ID or employee:ID"),
                                   scope_text);
        given_ptr = &given;
    }
    if (scope_for_role(who.role, given_ptr, &who.scope, &err)) {
        rc = cli_usage_error(cli, "%s", err.buf);
        goto out;
    }

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        goto out;
    if (scope_exists(db, &who.scope, &exists, &err)) {
        cli_error("%s", err.buf);
        goto out;
    }
    scope_format(&who.scope, &scope_shown);
    if (!exists) {
        cli_error(who.scope.kind == SCOPE_UNIT ? _("unit %s not found") : _("employee %s not found"),
                  who.scope.id);
        goto out;
    }

    password = read_password();
    if (!password)
        goto out;
    hash = password_hash(password, &err);
    if (!hash) {
        cli_error("%s", err.buf);
        goto out;
    }
    cli_actor(&actor);
    if (db_begin(db, &err) || user_insert(db, login, &who, hash, &err) ||
        audit_record(db, actor.buf, "user_add", login, scope_shown.buf, &err) ||
        db_commit(db, &err)) {
        db_rollback(db);
        cli_error("%s", err.buf);
        goto out;
    }
    printf(_("Added account %s (role %s, scope %s).\n"), login, role_name(who.role),
           scope_shown.buf);
    rc = EXIT_OK;
out:
    free_password(password);
    free(hash);
    db_close(db);
    sb_release(&err);
    sb_release(&actor);
    sb_release(&scope_shown);
    return rc;
}

static int user_list(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    struct db_stmt *st;
    json_t *list = json_array();
    bool json = false;
    int c, step, rc = EXIT_FAILED;

    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
            json = !strcmp(optarg, "json");
        } else {
            json_decref(list);
            if (c == 'f')
                return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
            return cli_bad_option(cli, optopt, argv[optind - 1]);
        }
    }
    if (optind < argc) {
        json_decref(list);
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[optind]);
    }

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db) {
        json_decref(list);
        return EXIT_FAILED;
    }
    st = db_prepare(db, "SELECT login, role, scope, created_at, disabled FROM users ORDER BY login",
                    &err);
    if (!st)
        goto out;
    while ((step = db_step(st, &err)) == DB_ROW) {
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s, s:s, s:b}", "login",
                                        db_column_text(st, 0), "role", db_column_text(st, 1),
                                        "scope", db_column_text(st, 2), "created_at",
                                        db_column_text(st, 3), "disabled",
                                        (int)db_column_int64(st, 4)));
    }
    db_finalize(st);
    if (step == DB_ERROR)
        goto out;

    if (json) {
        cli_print_json(list);
        list = NULL;
    } else {
        size_t i;
        json_t *u;

        json_array_foreach(list, i, u) {
            printf("%-20s %-10s %-24s %s%s\n", json_string_value(json_object_get(u, "login")),
                   json_string_value(json_object_get(u, "role")),
                   json_string_value(json_object_get(u, "scope")),
                   json_string_value(json_object_get(u, "created_at")),
                   json_is_true(json_object_get(u, "disabled")) ? _(" (disabled)") : "");
        }
    }
    rc = EXIT_OK;
out:
    if (rc != EXIT_OK)
        cli_error("%s", err.buf);
    json_decref(list);
    db_close(db);
    sb_release(&err);
    return rc;
}

/* "user remove LOGIN" and "user passwd LOGIN". */
static int user_change(struct cli *cli, int argc, char **argv, bool remove)
{
    struct strbuf err = STRBUF_INIT, actor = STRBUF_INIT;
    struct db *db = NULL;
    char *password = NULL, *hash = NULL;
    bool found = false;
    int rc = EXIT_FAILED;

    if (argc < 2)
        return cli_usage_error(cli, _("user %s needs a LOGIN"), argv[0]);
    if (argc > 2)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[2]);
    if (argv[1][0] == '-')
        return cli_bad_option(cli, 0, argv[1]);

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        goto out;
    cli_actor(&actor);
    if (remove) {
        if (user_delete(db, argv[1], &found, &err))
            goto fail;
    } else {
        password = read_password();
        if (!password)
            goto out;
        hash = password_hash(password, &err);
        if (!hash || user_set_password(db, argv[1], hash, &found, &err))
            goto fail;
    }
    if (!found) {
        cli_error(_("account %s not found"), argv[1]);
        goto out;
    }
    if (audit_record(db, actor.buf, remove ? "user_remove" : "user_passwd", argv[1], NULL, &err))
        goto fail;
    printf(remove ? _("Removed account %s.\n") : _("Changed the password of %s; its sessions are ended.\n"),
           argv[1]);
    rc = EXIT_OK;
    goto out;
fail:
    cli_error("%s", err.buf);
out:
    free_password(password);
    free(hash);
    db_close(db);
    sb_release(&err);
    sb_release(&actor);
    return rc;
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;

    if (!sub)
        return cli_usage_error(cli, _("user needs a subcommand: add, list, remove or passwd"));
    if (!strcmp(sub, "add"))
        return user_add(cli, argc - 1, argv + 1);
    if (!strcmp(sub, "list"))
        return user_list(cli, argc - 1, argv + 1);
    if (!strcmp(sub, "remove"))
        return user_change(cli, argc - 1, argv + 1, true);
    if (!strcmp(sub, "passwd"))
        return user_change(cli, argc - 1, argv + 1, false);
    return cli_usage_error(cli, _("unknown subcommand '%s': use add, list, remove or passwd"), sub);
}

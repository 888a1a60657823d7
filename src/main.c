/*
 * cairn: entry point. Takes the global options (--db, --lang) from
 * anywhere before "--", sets up the language, finds the command in the
 * command table and runs it; "cairn COMMAND --help" prints its help.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/i18n.h"

/* Removes argv[i] (and its value when has_value) from the argument list. */
static void remove_args(int *argc, char **argv, int i, int n)
{
    memmove(argv + i, argv + i + n, (size_t)(*argc - i - n + 1) * sizeof(*argv));
    *argc -= n;
}

/* Takes --db and --lang out of argv. Returns 0, or -1 when one lacks its
 * value (*bad names it). */
static int take_global_options(int *argc, char **argv, struct cli *cli, const char **lang,
                               const char **bad)
{
    for (int i = 1; i < *argc;) {
        const char *a = argv[i];

        if (!strcmp(a, "--"))
            break;
        if (!strcmp(a, "--db") || !strcmp(a, "--lang")) {
            if (i + 1 >= *argc) {
                *bad = a;
                return -1;
            }
            if (a[2] == 'd') {
                cli->db_path = argv[i + 1];
                cli->db_on_command_line = true;
            } else {
                *lang = argv[i + 1];
            }
            remove_args(argc, argv, i, 2);
        } else if (!strncmp(a, "--db=", 5)) {
            cli->db_path = a + 5;
            cli->db_on_command_line = true;
            remove_args(argc, argv, i, 1);
        } else if (!strncmp(a, "--lang=", 7)) {
            *lang = a + 7;
            remove_args(argc, argv, i, 1);
        } else {
            i++;
        }
    }
    return 0;
}

static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return true;
    }
    return false;
}

int main(int argc, char **argv)
{
    struct cli cli = {0};
    const char *lang = NULL, *bad = NULL, *env_db;
    const struct command *cmd;
    int bad_lang;

    env_db = getenv("CAIRN_DB");
    cli.db_path = env_db ? env_db : "cairn.db";

    if (take_global_options(&argc, argv, &cli, &lang, &bad)) {
        i18n_setup(NULL);
        cli_error(_("option %s needs a value"), bad);
        return EXIT_USAGE;
    }
    bad_lang = i18n_setup(lang);
    if (bad_lang) {
        cli_error(_("unknown language '%s': use zh-CN, en, ja or es"), lang);
        return EXIT_USAGE;
    }

    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (!strcmp(argv[1], "--version"))
        return cmd_version(&cli, 0, NULL);

    cmd = command_find(argv[1]);
    if (!cmd) {
        cli_error(_("unknown command '%s'"), argv[1]);
        fputs(_("Run 'cairn help' for the list of commands.\n"), stderr);
        return EXIT_USAGE;
    }
    cli.command = cmd->name;
    if (wants_help(argc - 1, argv + 1)) {
        fputs(_(cmd->help), stdout);
        return EXIT_OK;
    }
    /* SQLite would open an empty path as a private temporary database,
     * so "cairn --db '' init" would report success and keep nothing.
     * "cairn demo" ignores CAIRN_DB, so only its --db counts there. */
    if (!*cli.db_path && (cli.db_on_command_line || strcmp(cmd->name, "demo"))) {
        cli_error("%s", cli.db_on_command_line
                            ? _("--db is empty: give the path of the database file, for example --db cairn.db")
                            : _("CAIRN_DB is empty: set it to the path of the database file, or unset it to use ./cairn.db"));
        return EXIT_USAGE;
    }
    return cmd->run(&cli, argc - 1, argv + 1);
}

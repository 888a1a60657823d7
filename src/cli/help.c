/*
 * "cairn help", "cairn version" and the general usage text.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "util/i18n.h"

void print_usage(FILE *f)
{
    fputs(_("Usage: cairn [--db PATH] [--lang zh-CN|en|ja|es] COMMAND [options]\n"
            "\n"
            "Cairn joins HR, CRM and ERP data into one picture of people, customers\n"
            "and results.\n"
            "\n"
            "  --db PATH    the database file (default ./cairn.db, or CAIRN_DB)\n"
            "  --lang LANG  language of messages (default: from the locale, else Chinese)\n"
            "\n"
            "Commands:\n"),
          f);
    for (size_t i = 0; i < ncommands; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fputs(_("\nRun 'cairn COMMAND --help' for the options of a command.\n"), f);
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
    const struct command *cmd;

    if (argc < 2) {
        print_usage(stdout);
        return EXIT_OK;
    }
    cmd = command_find(argv[1]);
    if (!cmd)
        return cli_usage_error(cli, _("unknown command '%s'"), argv[1]);
    fputs(_(cmd->help), stdout);
    return EXIT_OK;
}

int cmd_version(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    printf("cairn %s\n", CAIRN_VERSION);
    return EXIT_OK;
}

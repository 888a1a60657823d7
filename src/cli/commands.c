/*
 * The command table. Keep it sorted by name: command_find uses bsearch.
 * Each command's handler lives in the folder of its capability.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/i18n.h"

const struct command commands[] = {
    {"config", cmd_config, N_("Show or change settings"),
     N_("Usage: cairn config [NAME [VALUE]] [--format text|json]\n"
        "\n"
        "Without NAME, lists every setting as 'name = value'. With NAME, prints\n"
        "its value; with NAME and VALUE, checks and stores the value. Secrets are\n"
        "stored but never printed back.\n"
        "\n"
        "  --format text|json   output format of the list (default text)\n")},
    {"help", cmd_help, N_("List the commands, or show one command's help"),
     N_("Usage: cairn help [COMMAND]\n")},
    {"init", cmd_init, N_("Create an empty database"),
     N_("Usage: cairn [--db PATH] init\n"
        "\n"
        "Creates an empty Cairn database with the current schema at PATH\n"
        "(default ./cairn.db, or CAIRN_DB). An existing Cairn database is left\n"
        "untouched.\n")},
    {"version", cmd_version, N_("Print the version"), N_("Usage: cairn version\n")},
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static int compare_command(const void *key, const void *elem)
{
    return strcmp(key, ((const struct command *)elem)->name);
}

const struct command *command_find(const char *name)
{
    return bsearch(name, commands, ncommands, sizeof(commands[0]), compare_command);
}

/*
 * Handlers of the commands in the command table, one per command.
 */
#ifndef CAIRN_COMMANDS_H
#define CAIRN_COMMANDS_H

#include "cli/cli.h"

int cmd_alerts(struct cli *cli, int argc, char **argv);
int cmd_config(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_deliver(struct cli *cli, int argc, char **argv);
int cmd_explain(struct cli *cli, int argc, char **argv);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_imports(struct cli *cli, int argc, char **argv);
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_kpi(struct cli *cli, int argc, char **argv);
int cmd_linkage(struct cli *cli, int argc, char **argv);
int cmd_model(struct cli *cli, int argc, char **argv);
int cmd_reconcile(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_version(struct cli *cli, int argc, char **argv);

/* Prints the general usage and the list of commands to f. */
void print_usage(FILE *f);

#endif

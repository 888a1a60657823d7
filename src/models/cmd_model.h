/*
 * The subcommands of "cairn model" that live in files of their own.
 */
#ifndef CAIRN_CMD_MODEL_H
#define CAIRN_CMD_MODEL_H

#include "cli/cli.h"

/* "cairn model bgnbd": argv[0] is "bgnbd". */
int model_bgnbd(struct cli *cli, int argc, char **argv);

#endif

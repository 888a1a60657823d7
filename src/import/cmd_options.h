/*
 * The options "cairn import" and "cairn reconcile" share: how the sources
 * are read (--kind, --encoding, --sheet, --map, --date-order) and the
 * output format (--format).
 */
#ifndef CAIRN_IMPORT_CMD_OPTIONS_H
#define CAIRN_IMPORT_CMD_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "import/import.h"

/* Entries of a getopt_long table for the shared options. */
#define SOURCE_LONG_OPTIONS                                                                         \
    {"kind", required_argument, NULL, 'k'}, {"format", required_argument, NULL, 'f'},             \
        {"encoding", required_argument, NULL, 'e'}, {"sheet", required_argument, NULL, 'S'},      \
        {"map", required_argument, NULL, 'm'}, {"date-order", required_argument, NULL, 'd'}

enum source_option_result {
    SOURCE_OPTION_TAKEN = 0,  /* c was a shared option and its value is valid */
    SOURCE_OPTION_OTHER = 1,  /* c is not a shared option */
};

/* Reads shared option c with value arg into opts and *json. Returns an
 * enum source_option_result, or EXIT_USAGE after reporting a bad value. */
int source_option_take(const struct cli *cli, int c, const char *arg, struct import_options *opts,
                       bool *json);

/* Reports --kind or --sheet given with --map; returns EXIT_USAGE then,
 * else 0. */
int source_options_check(const struct cli *cli, const struct import_options *opts);

#endif

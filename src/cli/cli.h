/*
 * The command line: the context every command handler receives, the
 * command table, and the helpers commands share for errors, usage and
 * opening the database. Exit codes: 0 success, 1 the work was refused or
 * failed, 2 usage error.
 */
#ifndef CAIRN_CLI_H
#define CAIRN_CLI_H

#include <stdbool.h>
#include <jansson.h>

#include "db/db.h"
#include "util/date.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2 };

struct cli {
    const char *db_path;  /* --db, else CAIRN_DB, else ./cairn.db */
    bool db_on_command_line;
    const char *command;  /* the command's name */
};

/*
 * One command. run receives argv with argv[0] the command name and
 * returns the exit code. help is the usage text shown by --help: a
 * synopsis line, a blank line, then the options, all through N_().
 */
struct command {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
    const char *summary;
    const char *help;
};

extern const struct command commands[];
extern const size_t ncommands;

const struct command *command_find(const char *name);

/* Prints "cairn: " and the message (already translated) to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage error and the hint to run --help; returns EXIT_USAGE. */
int cli_usage_error(const struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reports getopt's unknown option or missing argument; returns EXIT_USAGE. */
int cli_bad_option(const struct cli *cli, int optopt_char, const char *arg);

/* Opens the database named by the context; prints the error and returns
 * NULL on failure. */
struct db *cli_open_db(const struct cli *cli, int flags);

/* Returns today in the company time zone, or DATE_NONE after printing
 * why the zone could not be read. */
cdate cli_company_today(struct db *db);

/* Writes a JSON value to stdout followed by a newline, with reals at 15
 * significant digits so that money prints exactly. Steals the reference. */
void cli_print_json(json_t *value);

/* Whether stdout is a terminal (for colours and progress). */
bool cli_stdout_is_tty(void);

#endif

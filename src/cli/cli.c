/*
 * Helpers shared by command handlers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/events.h"
#include "util/i18n.h"
#include "util/xalloc.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("cairn: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
    va_list ap;

    fputs("cairn: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, _("Run 'cairn %s --help' for usage.\n"), cli->command);
    return EXIT_USAGE;
}

int cli_bad_option(const struct cli *cli, int optopt_char, const char *arg)
{
    if (optopt_char)
        return cli_usage_error(cli, _("option -%c is unknown or needs a value"), optopt_char);
    return cli_usage_error(cli, _("option %s is unknown or needs a value"), arg ? arg : "?");
}

struct db *cli_open_db(const struct cli *cli, int flags)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db = NULL;

    if (db_open(&db, cli->db_path, flags, &err)) {
        cli_error("%s", err.buf);
        db = NULL;
    }
    sb_release(&err);
    return db;
}

cdate cli_company_today(struct db *db)
{
    struct strbuf err = STRBUF_INIT;
    struct tz *tz = company_tz_open(db, &err);
    cdate today = DATE_NONE;

    if (tz) {
        today = tz_today(tz);
        tz_close(tz);
    } else {
        cli_error("%s", err.buf);
    }
    sb_release(&err);
    return today;
}

void cli_print_json(json_t *value)
{
    json_dumpf(value, stdout, JSON_REAL_PRECISION(15) | JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(value);
}

bool cli_stdout_is_tty(void)
{
    return isatty(STDOUT_FILENO);
}

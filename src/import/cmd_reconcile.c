/*
 * "cairn reconcile": compare source files with the database, as the
 * importer would read them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "import/cmd_options.h"
#include "import/import.h"
#include "store/entities.h"
#include "util/i18n.h"

static void print_keys(const char *label, json_t *keys, long count)
{
    json_t *k;
    size_t i;

    if (!count)
        return;
    printf("  %s (%ld):", label, count);
    json_array_foreach(keys, i, k) {
        char *text;

        if (i == 10) {
            printf(" ...");
            break;
        }
        text = json_is_string(k) ? NULL : json_dumps(k, JSON_COMPACT);
        printf(" %s", text ? text : json_string_value(k));
        free(text);
    }
    printf("\n");
}

static void print_amount(json_t *v)
{
    if (json_is_number(v))
        printf("  %15.2f", json_number_value(v));
    else
        printf("  %15s", "");
}

/* Prints an error of a rejected row: source, line and message. */
static void print_row_error(json_t *err)
{
    json_t *line = json_object_get(err, "line");

    if (json_is_integer(line))
        fprintf(stderr, _("    %s, line %lld: %s\n"),
                json_string_value(json_object_get(err, "source")), json_integer_value(line),
                json_string_value(json_object_get(err, "message")));
    else
        fprintf(stderr, "    %s: %s\n", json_string_value(json_object_get(err, "source")),
                json_string_value(json_object_get(err, "message")));
}

static void print_reconcile(json_t *report)
{
    json_t *e, *m, *err;
    size_t i, j;

    json_array_foreach(json_object_get(report, "entities"), i, e) {
        printf(_("%s: %lld rows in the files, %lld of them in the database, %lld rejected\n"),
               json_string_value(json_object_get(e, "kind")),
               json_integer_value(json_object_get(e, "source_rows")),
               json_integer_value(json_object_get(e, "db_rows")),
               json_integer_value(json_object_get(e, "rejected")));
        json_array_foreach(json_object_get(e, "months"), j, m) {
            printf("  %s  %8lld  %8lld", json_string_value(json_object_get(m, "month")),
                   json_integer_value(json_object_get(m, "source_rows")),
                   json_integer_value(json_object_get(m, "db_rows")));
            print_amount(json_object_get(m, "source_amount"));
            print_amount(json_object_get(m, "db_amount"));
            printf("\n");
        }
        print_keys(_("missing from the database"), json_object_get(e, "missing"),
                   (long)json_integer_value(json_object_get(e, "missing_count")));
        print_keys(_("different in the database"), json_object_get(e, "different"),
                   (long)json_integer_value(json_object_get(e, "different_count")));
        json_array_foreach(json_object_get(e, "errors"), j, err)
            fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(err, "source")),
                    json_string_value(json_object_get(err, "message")));
        if (json_array_size(json_object_get(e, "rejected_errors")))
            fprintf(stderr, "  %s\n", _("rows an import would reject:"));
        json_array_foreach(json_object_get(e, "rejected_errors"), j, err)
            print_row_error(err);
    }
    json_array_foreach(json_object_get(report, "errors"), i, err)
        fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(err, "source")),
                json_string_value(json_object_get(err, "message")));
    if (json_is_true(json_object_get(report, "ok")))
        printf("%s\n", _("The files match the database."));
    else
        cli_error("%s", _("the files do not match the database"));
}

int cmd_reconcile(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        SOURCE_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct import_options opts = {0};
    struct strbuf err = STRBUF_INIT;
    json_t *report = NULL;
    bool json = false;
    struct db *db;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        rc = source_option_take(cli, c, optarg, &opts, &json);
        if (rc == EXIT_USAGE)
            return rc;
        /* Every option is long: name it as typed ("--format"), not by the
         * letter of the option table that getopt puts in optopt. */
        if (rc != SOURCE_OPTION_TAKEN)
            return cli_bad_option(cli, 0, argv[optind - 1]);
    }
    if (source_options_check(cli, &opts))
        return EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error(cli, "%s", _("give at least one file or folder to compare"));

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    rc = reconcile_run(db, (const char *const *)argv + optind, (size_t)(argc - optind), &opts,
                       &report, &err);
    db_close(db);
    if (rc < 0) {
        cli_error(_("the comparison failed: %s"), err.len ? err.buf : _("no reason was given"));
        sb_release(&err);
        return EXIT_FAILED;
    }
    if (json)
        cli_print_json(report);
    else {
        print_reconcile(report);
        json_decref(report);
    }
    sb_release(&err);
    return rc == 0 ? EXIT_OK : EXIT_FAILED;
}

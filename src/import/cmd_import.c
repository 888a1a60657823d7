/*
 * "cairn import" and "cairn imports": the command-line faces of the
 * importer. The text report is written from the same JSON report that
 * --format json prints: counts on stdout, errors on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "import/cmd_options.h"
#include "import/import.h"
#include "import/progress.h"
#include "store/entities.h"
#include "util/i18n.h"

static const char *json_text(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));

    return s ? s : "";
}

static long json_long(json_t *o, const char *key)
{
    return (long)json_integer_value(json_object_get(o, key));
}

static void print_error(json_t *e)
{
    json_t *line = json_object_get(e, "line"), *offset = json_object_get(e, "offset");
    const char *column = json_string_value(json_object_get(e, "column"));
    const char *field = json_string_value(json_object_get(e, "field"));

    fprintf(stderr, "  %s", json_text(e, "source"));
    if (json_is_integer(line))
        fprintf(stderr, _(", line %ld"), (long)json_integer_value(line));
    if (column)
        fprintf(stderr, _(", column %s"), column);
    else if (field)
        fprintf(stderr, _(", column %s"), field);
    if (json_is_integer(offset))
        fprintf(stderr, _(", byte offset %lld"), (long long)json_integer_value(offset));
    fprintf(stderr, ": %s\n", json_text(e, "message"));
}

static void print_report(json_t *report, int status, bool dry_run)
{
    json_t *files = json_object_get(report, "files"), *f, *e, *w;
    json_t *batch = json_object_get(report, "batch");
    const char *rejects = json_string_value(json_object_get(report, "rejects"));
    bool file_failed = false;
    size_t i, j;

    json_array_foreach(files, i, f) {
        const char *kind = json_string_value(json_object_get(f, "kind"));
        long listed = (long)json_array_size(json_object_get(f, "errors"));

        if (json_is_true(json_object_get(f, "failed")))
            file_failed = true;
        if (kind)
            printf(_("%s (%s): %ld rows, %ld inserted, %ld updated, %ld unchanged, %ld rejected\n"),
                   json_text(f, "path"), kind, json_long(f, "rows"), json_long(f, "inserted"),
                   json_long(f, "updated"), json_long(f, "unchanged"), json_long(f, "rejected"));
        else
            printf(_("%s: %ld rows, %ld inserted, %ld updated, %ld unchanged, %ld rejected\n"),
                   json_text(f, "path"), json_long(f, "rows"), json_long(f, "inserted"),
                   json_long(f, "updated"), json_long(f, "unchanged"), json_long(f, "rejected"));
        json_array_foreach(json_object_get(f, "errors"), j, e)
            print_error(e);
        if (json_long(f, "error_count") > listed)
            fprintf(stderr, _("  ... and %ld more errors in %s\n"),
                    json_long(f, "error_count") - listed, json_text(f, "path"));
    }
    json_array_foreach(json_object_get(report, "warnings"), i, w)
        fprintf(stderr, _("warning: %s\n"), json_string_value(w));
    if (json_long(report, "units_created"))
        printf(_("%ld units created from unit paths\n"), json_long(report, "units_created"));
    if (rejects)
        printf(_("Rejected rows were written to %s.\n"), rejects);
    /* --skip-bad-rows cannot help when an error concerns a whole file. */
    if (status != IMPORT_OK && file_failed)
        cli_error("%s", _("nothing was stored: correct the files listed above and import again"));
    else if (status != IMPORT_OK)
        cli_error("%s", _("nothing was stored: correct the rows listed above and import again, or use --skip-bad-rows to store the valid rows"));
    else if (dry_run)
        printf("%s\n", _("Dry run: nothing was stored."));
    else if (json_is_integer(batch))
        printf(_("Stored as import batch %lld; 'cairn imports undo %lld' takes it back.\n"),
               (long long)json_integer_value(batch), (long long)json_integer_value(batch));
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        SOURCE_LONG_OPTIONS,
        {"skip-bad-rows", no_argument, NULL, 's'},
        {"rejects", required_argument, NULL, 'r'},
        {"dry-run", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct import_options opts = {0};
    struct import_progress progress;
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
        if (rc == SOURCE_OPTION_TAKEN)
            continue;
        switch (c) {
        case 's':
            opts.skip_bad_rows = true;
            break;
        case 'r':
            opts.rejects_path = optarg;
            break;
        case 'n':
            opts.dry_run = true;
            break;
        default:
            /* Every option is long: name it as typed ("--format"), not by
             * the letter of the option table that getopt puts in optopt. */
            return cli_bad_option(cli, 0, argv[optind - 1]);
        }
    }
    if (source_options_check(cli, &opts))
        return EXIT_USAGE;
    if (optind >= argc)
        return cli_usage_error(cli, "%s", _("give at least one file or folder to import"));
    if (opts.skip_bad_rows && opts.rejects_path &&
        rejects_check_path(opts.rejects_path, (const char *const *)argv + optind,
                           (size_t)(argc - optind), &err)) {
        rc = cli_usage_error(cli, "%s", err.buf);
        sb_release(&err);
        return rc;
    }

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    /* A progress bar only where someone watches it. */
    if (isatty(STDERR_FILENO)) {
        import_progress_init(&progress, (const char *const *)argv + optind,
                             (size_t)(argc - optind));
        opts.progress = import_progress_draw;
        opts.progress_ctx = &progress;
    }
    rc = import_run(db, (const char *const *)argv + optind, (size_t)(argc - optind), &opts,
                    &report, &err);
    if (opts.progress)
        import_progress_end(&progress);
    db_close(db);
    if (rc < 0) {
        cli_error(_("the import failed: %s"), err.len ? err.buf : _("no reason was given"));
        sb_release(&err);
        return EXIT_FAILED;
    }
    if (json) {
        if (rc != IMPORT_OK)
            cli_error("%s", _("nothing was stored because of the errors in the report"));
        cli_print_json(report);
    } else {
        print_report(report, rc, opts.dry_run);
        json_decref(report);
    }
    sb_release(&err);
    return rc == IMPORT_OK ? EXIT_OK : EXIT_FAILED;
}

static int list_imports(struct db *db, bool json)
{
    struct strbuf err = STRBUF_INIT;
    json_t *list = imports_list(db, &err), *b, *f;
    size_t i, j;

    if (!list) {
        cli_error("%s", err.buf);
        sb_release(&err);
        return EXIT_FAILED;
    }
    if (json) {
        cli_print_json(list);
        return EXIT_OK;
    }
    if (!json_array_size(list))
        printf("%s\n", _("No imports yet."));
    json_array_foreach(list, i, b) {
        printf(_("batch %ld  %s  %s  %ld inserted, %ld updated%s\n"), json_long(b, "batch"),
               json_text(b, "time"), json_text(b, "user"), json_long(b, "inserted"),
               json_long(b, "updated"),
               json_is_true(json_object_get(b, "undone")) ? _("  (undone)") : "");
        json_array_foreach(json_object_get(b, "files"), j, f)
            printf("    %s  %s\n", json_text(f, "path"), json_text(f, "sha256"));
    }
    json_decref(list);
    return EXIT_OK;
}

static int undo_import(struct cli *cli, struct db *db, const char *arg)
{
    struct strbuf err = STRBUF_INIT;
    char *end;
    long long id = strtoll(arg, &end, 10);
    int rc;

    if (!*arg || *end || id <= 0)
        return cli_usage_error(cli, _("'%s' is not a batch number: 'cairn imports' lists them"), arg);
    rc = imports_undo(db, id, &err);
    if (rc)
        cli_error("%s", err.buf);
    else
        printf(_("Import batch %lld is undone.\n"), id);
    sb_release(&err);
    return rc ? EXIT_FAILED : EXIT_OK;
}

int cmd_imports(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    bool json = false;
    struct db *db;
    int c, rc;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text")))
            json = !strcmp(optarg, "json");
        else if (c == 'f')
            return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
        else
            return cli_bad_option(cli, 0, argv[optind - 1]);
    }
    argc -= optind;
    argv += optind;
    if (argc > 0 && strcmp(argv[0], "undo"))
        return cli_usage_error(cli, _("unknown subcommand '%s': use 'cairn imports' or 'cairn imports undo ID'"), argv[0]);
    if (argc == 1 || argc > 2)
        return cli_usage_error(cli, "%s", _("usage: cairn imports undo ID"));

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    rc = argc == 0 ? list_imports(db, json) : undo_import(cli, db, argv[1]);
    db_close(db);
    return rc;
}

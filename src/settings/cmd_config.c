/*
 * "cairn config": list, read or change settings.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "settings/settings.h"
#include "util/i18n.h"

/* What a setting shows: secrets are shown only as set or not. */
static const char *shown_value(struct db *db, const struct setting_def *def, const char *value)
{
    if (!def->secret)
        return value;
    return setting_is_set(db, def->name) && *value ? "********" : "";
}

static int list_settings(struct db *db, bool json)
{
    struct strbuf err = STRBUF_INIT;
    json_t *obj = json_object();

    for (size_t i = 0; i < settings_count; i++) {
        const struct setting_def *def = &settings_table[i];
        char *value = setting_get(db, def->name, &err);

        if (!value) {
            cli_error("%s", err.buf);
            sb_release(&err);
            json_decref(obj);
            return EXIT_FAILED;
        }
        if (json)
            json_object_set_new(obj, def->name, json_string(shown_value(db, def, value)));
        else
            printf("%s = %s\n", def->name, shown_value(db, def, value));
        free(value);
    }
    if (json)
        cli_print_json(obj);
    else
        json_decref(obj);
    return EXIT_OK;
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct strbuf err = STRBUF_INIT;
    const struct setting_def *def;
    bool json = false;
    struct db *db;
    char *value;
    int c, rc = EXIT_OK;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", options, NULL)) != -1) {
        if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text")))
            json = !strcmp(optarg, "json");
        else if (c == 'f')
            return cli_usage_error(cli, _("unknown format '%s': use text or json"), optarg);
        else
            return cli_bad_option(cli, optopt, argv[optind - 1]);
    }
    argc -= optind;
    argv += optind;
    if (argc > 2)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[2]);
    if (argc >= 1 && !setting_find(argv[0]))
        return cli_usage_error(cli, _("unknown setting '%s'; 'cairn config' lists them"), argv[0]);

    db = cli_open_db(cli, argc == 2 ? DB_OPEN_CREATE : DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;

    if (argc == 0) {
        rc = list_settings(db, json);
    } else if (argc == 1) {
        def = setting_find(argv[0]);
        value = setting_get(db, argv[0], &err);
        if (!value) {
            cli_error("%s", err.buf);
            rc = EXIT_FAILED;
        } else {
            if (json)
                cli_print_json(json_string(shown_value(db, def, value)));
            else
                printf("%s\n", shown_value(db, def, value));
            free(value);
        }
    } else if (setting_set(db, argv[0], argv[1], &err)) {
        cli_error("%s", err.buf);
        rc = EXIT_FAILED;
    }
    sb_release(&err);
    db_close(db);
    return rc;
}

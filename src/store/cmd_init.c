/*
 * "cairn init": create an empty database, or report an existing one.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "util/i18n.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
    struct db *db;
    bool existed = db_is_cairn_file(cli->db_path);

    (void)argv;
    if (argc > 1)
        return cli_usage_error(cli, _("unexpected argument '%s'"), argv[1]);

    db = cli_open_db(cli, DB_OPEN_CREATE);
    if (!db)
        return EXIT_FAILED;
    if (existed)
        printf(_("%s is already a Cairn database (schema version %d); left untouched.\n"),
               cli->db_path, db_schema_version(db));
    else
        printf(_("Created an empty Cairn database at %s (schema version %d).\n"), cli->db_path,
               db_schema_version(db));
    db_close(db);
    return EXIT_OK;
}

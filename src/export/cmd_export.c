/*
 * "cairn export DIR": the whole database as a canonical data set.
 */
#include <stdio.h>

#include "cli/commands.h"
#include "export/export.h"
#include "util/i18n.h"

int cmd_export(struct cli *cli, int argc, char **argv)
{
    struct strbuf err = STRBUF_INIT;
    struct db *db;
    int files;

    if (argc > 1 && argv[1][0] == '-' && argv[1][1])
        return cli_bad_option(cli, 0, argv[1]);
    if (argc != 2)
        return cli_usage_error(cli, "%s", _("give the folder to export into: cairn export DIR"));

    db = cli_open_db(cli, DB_OPEN_EXISTING);
    if (!db)
        return EXIT_FAILED;
    files = export_dataset(db, argv[1], &err);
    db_close(db);
    if (files < 0) {
        cli_error(_("the export failed: %s"), err.buf);
        sb_release(&err);
        return EXIT_FAILED;
    }
    printf(_("Exported %d files to %s.\n"), files, argv[1]);
    return EXIT_OK;
}

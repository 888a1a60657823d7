/*
 * "cairn model bgnbd": the BG/NBD fit of the database's orders.
 */
#include "cli/commands.h"
#include "models/cmd_model.h"
#include "util/i18n.h"

int model_bgnbd(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    cli_error(_("model %s is not available yet"), "bgnbd");
    return EXIT_FAILED;
}

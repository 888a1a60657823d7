/*
 * Parsing of the options "cairn import" and "cairn reconcile" share.
 */
#include <string.h>

#include "import/cmd_options.h"
#include "store/entities.h"
#include "util/i18n.h"

int source_option_take(const struct cli *cli, int c, const char *arg, struct import_options *opts,
                       bool *json)
{
    switch (c) {
    case 'k':
        if (!entity_by_name(arg))
            return cli_usage_error(cli, _("unknown kind '%s': use an entity name such as orders or employees"), arg);
        opts->kind = arg;
        return SOURCE_OPTION_TAKEN;
    case 'f':
        if (strcmp(arg, "json") && strcmp(arg, "text"))
            return cli_usage_error(cli, _("unknown format '%s': use text or json"), arg);
        *json = !strcmp(arg, "json");
        return SOURCE_OPTION_TAKEN;
    case 'e':
        if (source_encoding_parse(arg, &opts->source.encoding))
            return cli_usage_error(cli, _("unknown encoding '%s': use auto, utf-8, gb18030 or utf-16"), arg);
        return SOURCE_OPTION_TAKEN;
    case 'S':
        opts->source.sheet = arg;
        return SOURCE_OPTION_TAKEN;
    case 'm':
        opts->map_path = arg;
        return SOURCE_OPTION_TAKEN;
    case 'd':
        if (date_order_parse(arg, &opts->date_order))
            return cli_usage_error(cli, _("unknown date order '%s': use ymd, dmy or mdy"), arg);
        return SOURCE_OPTION_TAKEN;
    default:
        return SOURCE_OPTION_OTHER;
    }
}

int source_options_check(const struct cli *cli, const struct import_options *opts)
{
    if (opts->map_path && (opts->kind || opts->source.sheet))
        return cli_usage_error(cli, "%s", _("--kind and --sheet do not apply with --map: the mapping names each target's entity and each source's sheet"));
    return 0;
}

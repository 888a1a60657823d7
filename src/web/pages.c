/*
 * The embedded web page: GET / returns ui/index.html, and
 * GET /assets/NAME returns the other files of ui/ (script, style). The
 * embedded example mappings ("examples/...") are read by api_mappings.c
 * for accounts that may import, and are not served here.
 */
#include <string.h>

#include "util/i18n.h"
#include "web/ui_assets.h"
#include "web/web.h"

const struct ui_asset *asset_find(const char *name)
{
    for (size_t i = 0; i < ui_asset_count; i++)
        if (!strcmp(ui_assets[i].name, name))
            return &ui_assets[i];
    return NULL;
}

static void send_asset(struct request *req, const struct ui_asset *a)
{
    req->resp.status = 200;
    req->resp.content_type = a->content_type;
    req->resp.static_body = a->data;
    req->resp.static_size = a->size;
}

void page_index(struct request *req)
{
    const struct ui_asset *a = asset_find("index.html");

    if (!a) {
        web_error(req, 404, "not_found", N_("Nothing exists at this address."));
        return;
    }
    send_asset(req, a);
}

void page_asset(struct request *req)
{
    const char *name = req->path + strlen("/assets/");
    const struct ui_asset *a = strcmp(name, "index.html") && strncmp(name, "examples/", 9)
                                   ? asset_find(name)
                                   : NULL;

    if (!a) {
        web_error(req, 404, "not_found", N_("Nothing exists at this address."));
        return;
    }
    send_asset(req, a);
}

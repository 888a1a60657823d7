/*
 * The files under ui/ (the page, its script and style), embedded into
 * the binary at build time by cmake/embed_ui.cmake, which generates the
 * definitions in the build folder.
 */
#ifndef CAIRN_WEB_UI_ASSETS_H
#define CAIRN_WEB_UI_ASSETS_H

#include <stddef.h>

struct ui_asset {
    const char *name;         /* file name under ui/, e.g. "app.js" */
    const char *content_type; /* chosen from the file's extension */
    const unsigned char *data;
    size_t size;
};

extern const struct ui_asset ui_assets[];
extern const size_t ui_asset_count;

/* The embedded file named name ("app.js", "examples/x.map.json"), or NULL. */
const struct ui_asset *asset_find(const char *name);

#endif

/* ui_assets.h - the dashboard's files (src/ui), compiled into the binary by cmake/embed_ui.cmake.
 */
#ifndef OA_API_UI_ASSETS_H
#define OA_API_UI_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *name;          /* file name, e.g. "app.js" */
    const unsigned char *data; /* its bytes (NUL-terminated past len) */
    size_t len;
} oa_ui_asset;

extern const oa_ui_asset oa_ui_assets[];
extern const size_t oa_ui_assets_n;

#endif

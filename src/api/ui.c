/*
 * ui.c - GET /ui/: the operator dashboard's static files, compiled into the binary.
 *
 * The dashboard is plain HTML, CSS and JavaScript (src/ui) that signs in with an API key and
 * calls the public API like any client, so it sees exactly what that key's tenant sees; serving
 * it needs no key. Every file carries a strict Content-Security-Policy (no inline script, no
 * other origin), X-Frame-Options DENY and an ETag; browsers revalidate (no-cache) and get 304
 * while the file is unchanged.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "api/ui_assets.h"
#include "util/crypto.h"

#define MAX_ASSETS 64

static char etags[MAX_ASSETS][72];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void make_etags(void)
{
    for (size_t i = 0; i < oa_ui_assets_n && i < MAX_ASSETS; i++) {
        char hex[65];
        oa_sha256_hex(oa_ui_assets[i].data, oa_ui_assets[i].len, hex);
        snprintf(etags[i], sizeof etags[i], "\"%.32s\"", hex);
    }
}

static const char *type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } T[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".json", "application/json"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < OA_ARRAY_LEN(T); i++)
        if (strcasecmp(dot, T[i].ext) == 0)
            return T[i].type;
    return "application/octet-stream";
}

void api_ui(api_ctx *a, http_req *r, http_resp *resp)
{
    OA_UNUSED(a);
    pthread_once(&etags_once, make_etags);
    resp->page_headers = true;
    if (strcmp(r->path, "/ui") == 0) {
        /* The page's relative links need the slash. */
        resp->status = 301;
        resp->location = "/ui/";
        resp->content_type = "text/plain; charset=utf-8";
        resp->body = xstrdup("Moved to /ui/.\n");
        resp->len = strlen(resp->body);
        return;
    }
    const char *name = r->params[0] ? r->params[0] : "index.html";
    for (size_t i = 0; i < oa_ui_assets_n && i < MAX_ASSETS; i++) {
        const oa_ui_asset *f = &oa_ui_assets[i];
        if (strcmp(f->name, name) != 0)
            continue;
        memcpy(resp->etag, etags[i], sizeof resp->etag);
        resp->cache_control = "no-cache";
        const char *inm = http_header(r, "If-None-Match");
        if (inm && strstr(inm, etags[i])) {
            resp->status = 304;
            resp->body = xstrdup("");
            resp->len = 0;
            return;
        }
        resp->status = 200;
        resp->content_type = type_of(f->name);
        resp->body = xmalloc(f->len + 1);
        memcpy(resp->body, f->data, f->len + 1);
        resp->len = f->len;
        return;
    }
    resp->status = 404;
    resp->content_type = "text/plain; charset=utf-8";
    resp->body = xstrdup("Not found.\n");
    resp->len = strlen(resp->body);
}

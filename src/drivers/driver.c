/* driver.c - the driver table and the helpers shared by drivers. */
#include "drivers/driver.h"

#include <stdlib.h>
#include <string.h>

const drv_driver drv_html = {
    .name = "html",
    .extract = drv_html_extract,
    .build_fields = drv_html_build_fields,
    .classify = drv_html_classify,
};

const drv_driver *drv_pick(const char *url, const char *html, size_t len)
{
    OA_UNUSED(url);
    OA_UNUSED(html);
    OA_UNUSED(len);
    return &drv_html;
}

void drv_fields_free(drv_fields *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->items[i].name);
        free(f->items[i].value);
        free(f->items[i].filename);
        free(f->items[i].content_type);
        free(f->items[i].data);
    }
    free(f->items);
    f->items = NULL;
    f->n = 0;
}

static drv_field *add(drv_fields *f, const char *name)
{
    f->items = xrealloc(f->items, (f->n + 1) * sizeof *f->items);
    drv_field *x = &f->items[f->n++];
    memset(x, 0, sizeof *x);
    x->name = xstrdup(name);
    return x;
}

void drv_fields_add_text(drv_fields *f, const char *name, const char *value)
{
    add(f, name)->value = xstrdup(value ? value : "");
}

void drv_fields_add_file(drv_fields *f, const char *name, const char *filename,
                         const char *content_type, const uint8_t *data, size_t len)
{
    drv_field *x = add(f, name);
    x->is_file = true;
    x->filename = xstrdup(filename);
    x->content_type = xstrdup(content_type);
    x->data = xmalloc(len ? len : 1);
    if (len)
        memcpy(x->data, data, len);
    x->len = len;
}

/* driver.c - the generic HTML driver's entry in the registry, and helpers shared by drivers. */
#include "drivers/driver.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "drivers/fetch.h"

static oa_status html_form_request(const drv_ctx *c, drv_request *out, char **why)
{
    *why = NULL;
    out->url = xstrdup(c->posting_url);
    out->body = DRV_BODY_NONE;
    return OA_OK;
}

bool drv_closed_gone(long status, const char *body, size_t len)
{
    OA_UNUSED(body);
    OA_UNUSED(len);
    return status == 404 || status == 410;
}

/* The form's own action and encoding, with the hidden inputs of the fresh page (CSRF tokens)
 * and the client's query parameters; the page the form came from as the referer. */
static oa_status html_submission(const drv_ctx *c, const oa_form *revision, const oa_form *fresh,
                                 const oa_answers *answers, drv_request *out, char **why)
{
    *why = NULL;
    oa_status rc = drv_html_build_fields(revision, fresh, answers, &out->fields, why);
    if (rc != OA_OK)
        return rc;
    const char *action = fresh && fresh->action ? fresh->action : revision->action;
    out->url = action ? fetch_url_with_query(action, c->posting_url, NULL) : NULL;
    if (!out->url) {
        *why = xstrdup("the form's action URL cannot be parsed");
        return OA_INVALID;
    }
    const char *enctype = fresh && fresh->enctype ? fresh->enctype : revision->enctype;
    bool multipart = enctype && strcasecmp(enctype, "multipart/form-data") == 0;
    for (size_t i = 0; i < out->fields.n; i++)
        multipart |= out->fields.items[i].is_file;
    out->body = multipart ? DRV_BODY_MULTIPART : DRV_BODY_URLENCODED;
    out->referer = xstrdup(c->form_url ? c->form_url : c->posting_url);
    return OA_OK;
}

static oa_status html_extract(const drv_ctx *c, const char *body, size_t len, const char *url,
                              drv_page_kind *kind, oa_form *out, char **why)
{
    OA_UNUSED(c);
    return drv_html_extract(body, len, url, kind, out, why);
}

static const char *const HTML_TYPES[] = {"html", "xml", "text/plain", NULL};

const drv_driver drv_html = {
    .name = "html",
    .rules = NULL,
    .default_base = NULL,
    .content_types = HTML_TYPES,
    .form_request = html_form_request,
    .closed = drv_closed_gone,
    .extract = html_extract,
    .submission = html_submission,
    .classify = drv_html_classify,
};

void drv_request_free(drv_request *r)
{
    free(r->url);
    for (size_t i = 0; i < r->n_headers; i++)
        free(r->headers[i]);
    drv_fields_free(&r->fields);
    free(r->raw);
    free(r->raw_type);
    free(r->referer);
    memset(r, 0, sizeof *r);
}

void drv_request_header(drv_request *r, const char *name, const char *value)
{
    if (r->n_headers < DRV_MAX_HEADERS)
        r->headers[r->n_headers++] = xasprintf("%s: %s", name, value);
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

/* career_sites.c - POST/GET /v1/ai-apply/career-sites. */
#include <stdlib.h>

#include "api/api.h"

#define LABEL_MAX 500

static const char *const LIST_ARGS[] = {"cursor", "page_size", "ids", NULL};

void api_career_sites_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    const char *label;
    if (!body)
        return;
    if (api_field_string(resp, body, "label", true, false, LABEL_MAX, &label)) {
        oa_site site;
        oa_status rc = svc_site_create(a->svc, r->tenant, label, &site);
        if (rc == OA_OK)
            api_ok(resp, core_site_json(&site));
        else
            api_internal(resp, r, rc);
        oa_site_clear(&site);
    }
    json_decref(body);
}

static json_t *render_site(const void *row)
{
    return core_site_json(row);
}

struct site_list_ctx {
    store_page pg;
    oa_site *l;
    size_t n;
};

static oa_status site_list_tx(oa_tx *tx, void *arg)
{
    struct site_list_ctx *c = arg;
    return store_site_list(tx, &c->pg, &c->l, &c->n);
}

void api_career_sites_get(api_ctx *a, http_req *r, http_resp *resp)
{
    struct site_list_ctx c = {0};
    char *ids = NULL;
    if (!api_only_query(r, resp, LIST_ARGS) || !api_page_args(r, resp, &c.pg) ||
        !api_list_filter(r, resp, "ids", &ids))
        return;
    c.pg.ids_json = ids;
    oa_status rc = store_transact(a->svc->store, STORE_READ, site_list_tx, &c);
    if (rc == OA_OK)
        api_ok(resp, api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_site));
    else
        api_internal(resp, r, rc);
    oa_site_list_free(c.l, c.n);
    free(ids);
}

/* career_sites.c - POST/GET /v1/ai-apply/career-sites. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "drivers/driver.h"

#define LABEL_MAX   500
#define SETTING_MAX 4096

/* Our addition to Kombo's body: "connectors": {NAME: {SETTING: "value", ...}, ...}, each NAME
 * a connector and each SETTING one it takes. Answers 400 naming the problem and returns false
 * when it does not fit. The values are secrets: never echoed in a message. */
static bool check_connectors(http_resp *resp, const json_t *c)
{
    if (!c || json_is_null(c))
        return true;
    if (!json_is_object(c)) {
        api_bad_request(resp, "connectors must be an object of connector settings.");
        return false;
    }
    const char *name;
    json_t *v;
    json_object_foreach((json_t *)c, name, v)
    {
        const drv_driver *d = drv_by_name(name);
        if (!d || !d->settings) {
            api_bad_request(resp, "connectors.%.60s: no such connector takes settings (known: %s).",
                            name, drv_names());
            return false;
        }
        if (!json_is_object(v)) {
            api_bad_request(resp, "connectors.%s must be an object.", name);
            return false;
        }
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x)
        {
            bool known = false;
            for (const char *const *n = d->settings; *n && !known; n++)
                known = strcmp(*n, k) == 0;
            if (!known) {
                api_bad_request(resp, "connectors.%s.%.60s is not a setting of this connector.",
                                name, k);
                return false;
            }
            if (!json_is_string(x) || json_string_length(x) == 0 ||
                json_string_length(x) > SETTING_MAX) {
                api_bad_request(resp,
                                "connectors.%s.%s must be a non-empty string of at most %d "
                                "bytes.",
                                name, k, SETTING_MAX);
                return false;
            }
        }
    }
    return true;
}

static const char *const LIST_ARGS[] = {"cursor", "page_size", "ids", NULL};

void api_career_sites_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    const char *label;
    if (!body)
        return;
    const json_t *connectors = json_object_get(body, "connectors");
    if (api_field_string(resp, body, "label", true, false, LABEL_MAX, &label) &&
        check_connectors(resp, connectors)) {
        oa_site site;
        oa_status rc = svc_site_create(a->svc, r->tenant, label,
                                       json_is_object(connectors) ? connectors : NULL, &site);
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

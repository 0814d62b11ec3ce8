/* postings.c - /v1/ai-apply/postings: parse (POST), list (GET), inquire, archive. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/countries.h"
#include "util/crypto.h"
#include "util/net.h"
#include "util/text.h"

#define JOB_CODE_MAX 500
#define SEARCH_MAX   200 /* characters */

/* availabilities and search are openapply's additions to Kombo's list. */
static const char *const LIST_ARGS[] = {"cursor",    "page_size",      "ids",    "career_site_ids",
                                        "job_codes", "availabilities", "search", NULL};

_Static_assert(OA_AV_ARCHIVED + 1 <= STORE_ENUM_MAX, "every availability fits a store_page");

void api_postings_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *url, *job_code, *site_id;
    svc_posting_req req = {0};
    if (!api_field_string(resp, body, "url", true, false, OA_MAX_URL, &url) ||
        !api_field_string(resp, body, "job_code", false, true, JOB_CODE_MAX, &job_code) ||
        !api_field_string(resp, body, "career_site_id", true, false, 64, &site_id))
        goto out;
    char *why = NULL;
    if (oa_url_check(url, a->svc->allow_private, &why) != OA_OK) {
        api_bad_request(resp, "Field \"url\" is invalid: %s.", why);
        free(why);
        goto out;
    }
    const json_t *loc = json_object_get(body, "location");
    req.loc_op = SVC_LOC_KEEP;
    if (loc && json_is_null(loc)) {
        req.loc_op = SVC_LOC_CLEAR;
    } else if (loc) {
        if (!json_is_object(loc)) {
            api_bad_request(resp, "Field \"location\" must be an object or null.");
            goto out;
        }
        const char *country, *postal;
        if (!api_field_string(resp, loc, "country", true, false, 2, &country) ||
            !api_field_string(resp, loc, "postal_code", false, true, 64, &postal))
            goto out;
        if (!oa_country_valid(country)) {
            api_bad_request(resp,
                            "Field \"location.country\" must be an ISO 3166-1 alpha-2 country code "
                            "such as \"US\", got \"%s\".",
                            country);
            goto out;
        }
        req.loc_op = SVC_LOC_SET;
        req.loc_country = country;
        req.loc_postal = postal;
    }
    req.url = url;
    req.job_code = job_code;
    req.site_id = site_id;
    if (!oa_id_valid(site_id)) {
        api_not_found(resp, "Career site %s not found.", site_id);
        goto out;
    }
    oa_posting p;
    bool created = false;
    oa_status rc = svc_posting_submit(a->svc, r->tenant, &req, &p, &created);
    api_reply(resp, r, rc, rc == OA_OK ? core_posting_json(&p) : NULL, "Career site", site_id);
    oa_posting_clear(&p);
out:
    json_decref(body);
}

static json_t *render_posting(const void *row)
{
    return core_posting_json(row);
}

struct posting_list_ctx {
    store_page pg;
    oa_posting *l;
    size_t n;
};

static oa_status posting_list_tx(oa_tx *tx, void *arg)
{
    struct posting_list_ctx *c = arg;
    return store_posting_list(tx, &c->pg, &c->l, &c->n);
}

/* search: the text, trimmed of ASCII whitespace, 1 to SEARCH_MAX characters of UTF-8. *out
 * (malloc'd) is NULL when absent. */
static bool search_arg(http_req *r, http_resp *resp, char **out)
{
    *out = NULL;
    size_t cnt = 0;
    const char *v = http_query(r, "search", &cnt);
    if (!v)
        return true;
    if (cnt > 1) {
        api_bad_request(resp, "Query parameter \"search\" is given more than once.");
        return false;
    }
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    char *t = xstrndup(v, n);
    if (!*t || !oa_utf8_valid(t, strlen(t)) || oa_utf8_chars(t) > SEARCH_MAX) {
        api_bad_request(resp,
                        "Query parameter \"search\" must be text of 1 to %d characters (a part "
                        "of the posting's URL or its whole job code); omit it to list every "
                        "posting.",
                        SEARCH_MAX);
        free(t);
        return false;
    }
    *out = t;
    return true;
}

void api_postings_get(api_ctx *a, http_req *r, http_resp *resp)
{
    struct posting_list_ctx c = {0};
    char *ids = NULL, *sites = NULL, *codes = NULL, *search = NULL, *like = NULL;
    const char *av[OA_AV_ARCHIVED + 1];
    for (int i = OA_AV_PENDING; i <= OA_AV_ARCHIVED; i++)
        av[i] = oa_availability_name((oa_availability)i);
    if (!api_only_query(r, resp, LIST_ARGS) || !api_page_args(r, resp, &c.pg) ||
        !api_list_filter(r, resp, "ids", &ids) ||
        !api_list_filter(r, resp, "career_site_ids", &sites) ||
        !api_list_filter(r, resp, "job_codes", &codes) ||
        !api_enum_filter(r, resp, "availabilities", av, OA_ARRAY_LEN(av), c.pg.states) ||
        !search_arg(r, resp, &search))
        goto out;
    c.pg.ids_json = ids;
    c.pg.parent_json = sites;
    c.pg.job_codes_json = codes;
    if (search) {
        like = oa_like_contains(search);
        c.pg.search = search;
        c.pg.search_like = like;
    }
    oa_status rc = store_transact(a->svc->store, STORE_READ, posting_list_tx, &c);
    if (rc == OA_OK)
        api_ok(resp, api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_posting));
    else
        api_internal(resp, r, rc);
    oa_posting_list_free(c.l, c.n);
out:
    free(ids);
    free(sites);
    free(codes);
    free(search);
    free(like);
}

void api_postings_inquire(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, true); /* {} per Kombo's schema; contents unused */
    if (!body)
        return;
    json_decref(body);
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Job posting %s not found.", id);
        return;
    }
    json_t *form = NULL;
    char *token = NULL, *why = NULL;
    oa_status rc = svc_inquire(a->svc, r->tenant, id, &form, &token, &why);
    if (rc == OA_OK) {
        json_t *d = json_object();
        json_object_set_new(d, "application_form", form);
        json_object_set_new(d, "submission_token", json_string(token));
        api_ok(resp, d);
    } else if (rc == OA_NOT_FOUND) {
        api_not_found(resp, "Job posting %s not found.", id);
    } else if (rc == OA_CONFLICT) {
        api_bad_request(resp, "%s: only APPLYABLE postings have an application form.", why);
    } else {
        api_internal(resp, r, rc);
    }
    free(token);
    free(why);
}

void api_postings_archive(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, true);
    if (!body)
        return;
    json_decref(body);
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Job posting %s not found.", id);
        return;
    }
    oa_posting p;
    oa_status rc = svc_posting_archive(a->svc, r->tenant, id, &p);
    api_reply(resp, r, rc, rc == OA_OK ? core_posting_json(&p) : NULL, "Job posting", id);
    oa_posting_clear(&p);
}

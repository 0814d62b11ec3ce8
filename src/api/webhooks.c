/*
 * webhooks.c - /v1/webhooks: endpoints (CRUD, rotate-secret, recover) and the event log
 * (list, get with deliveries, attempts, redeliver). All tenant-scoped like everything else.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/net.h"
#include "util/text.h"

static const char *const LIST_ARGS[] = {"cursor", "page_size", NULL};
static const char *const EVENT_ARGS[] = {"cursor",       "page_size", "type", "resource_id",
                                         "resource_ids", "order",     NULL};

static json_t *endpoint_json(const oa_endpoint *e, bool with_secret)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "url", json_string(e->url));
    json_object_set_new(o, "description",
                        e->description ? json_string(e->description) : json_null());
    json_t *types = e->event_types_json ? json_loads(e->event_types_json, 0, NULL) : NULL;
    json_object_set_new(o, "event_types", types ? types : json_null());
    json_object_set_new(o, "enabled", json_boolean(e->enabled));
    json_object_set_new(o, "disabled_reason",
                        e->disabled_reason ? json_string(e->disabled_reason) : json_null());
    json_object_set_new(o, "disabled_at", api_time_or_null(e->enabled ? 0 : e->disabled_at));
    json_object_set_new(o, "rate_limit_per_second",
                        e->rate_limit > 0 ? json_integer(e->rate_limit) : json_null());
    json_object_set_new(o, "created_at", api_time_or_null(e->created_at));
    json_object_set_new(o, "updated_at", api_time_or_null(e->updated_at));
    if (with_secret) {
        json_object_set_new(o, "secret", json_string(e->secret));
        bool grace = e->old_secret && e->old_secret_expires_at > oa_now_ms();
        json_object_set_new(o, "previous_secret_expires_at",
                            api_time_or_null(grace ? e->old_secret_expires_at : 0));
    }
    return o;
}

/* Validates event_types: absent (keep), null (all API types) or a non-empty array of known,
 * distinct types. *json gets the normalised array text (malloc'd) or NULL. */
static bool parse_types(http_resp *resp, const json_t *body, bool *present, char **json)
{
    *json = NULL;
    const json_t *v = json_object_get(body, "event_types");
    *present = v != NULL;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 16) {
        api_bad_request(
            resp,
            "Field \"event_types\" must be null (every type) or a non-empty array of event types.");
        return false;
    }
    size_t i;
    const json_t *t;
    json_t *out = json_array();
    json_array_foreach(v, i, t)
    {
        const char *s = json_string_value(t);
        if (!s || !svc_event_type_known(s)) {
            api_bad_request(
                resp, "Field \"event_types[%zu]\" is not a known event type; use %s, %s, %s or %s.",
                i, OA_EVENT_POSTING, OA_EVENT_APPLICATION, SVC_EVENT_ENDPOINT_DISABLED,
                SVC_EVENT_DELIVERY_EXHAUSTED);
            json_decref(out);
            return false;
        }
        bool dup = false;
        for (size_t k = 0; k < json_array_size(out) && !dup; k++)
            dup = strcmp(json_string_value(json_array_get(out, k)), s) == 0;
        if (!dup)
            json_array_append_new(out, json_string(s));
    }
    *json = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return true;
}

/* rate_limit_per_second: absent (keep), null (none) or an integer from 1 to 100,000. */
static bool parse_rate(http_resp *resp, const json_t *body, svc_endpoint_req *req)
{
    const json_t *v = json_object_get(body, "rate_limit_per_second");
    req->set_rate_limit = v != NULL;
    req->rate_limit = 0;
    if (!v || json_is_null(v))
        return true;
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 100000) {
        api_bad_request(resp, "Field \"rate_limit_per_second\" must be null (no limit) or an "
                              "integer from 1 to 100000.");
        return false;
    }
    req->rate_limit = json_integer_value(v);
    return true;
}

static bool check_url(api_ctx *a, http_resp *resp, const char *url)
{
    char *why = NULL;
    oa_status rc = oa_url_check_resolved(url, a->svc->allow_private, &why);
    if (rc != OA_OK) {
        api_bad_request(resp, "Field \"url\" is invalid: %s.", why ? why : "not a usable URL");
        free(why);
        return false;
    }
    return true;
}

void api_endpoints_post(api_ctx *a, http_req *r, http_resp *resp)
{
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *url, *desc;
    char *types = NULL;
    bool types_present;
    svc_endpoint_req req = {0};
    if (!api_field_string(resp, body, "url", true, false, OA_MAX_URL, &url) ||
        !api_field_string(resp, body, "description", false, true, 500, &desc) ||
        !parse_types(resp, body, &types_present, &types) || !parse_rate(resp, body, &req) ||
        !check_url(a, resp, url))
        goto out;
    req.url = url;
    req.description = desc;
    req.event_types_json = types;
    oa_endpoint e;
    oa_status rc = svc_endpoint_create(a->svc, r->tenant, &req, &e);
    if (rc == OA_OK)
        api_ok(resp, endpoint_json(&e, true));
    else
        api_internal(resp, r, rc);
    oa_endpoint_clear(&e);
out:
    free(types);
    json_decref(body);
}

static json_t *render_endpoint(const void *row)
{
    return endpoint_json(row, false);
}

struct ep_list_ctx {
    store_page pg;
    oa_endpoint *l;
    size_t n;
};

static oa_status ep_list_tx(oa_tx *tx, void *arg)
{
    struct ep_list_ctx *c = arg;
    return store_endpoint_list(tx, &c->pg, &c->l, &c->n);
}

void api_endpoints_list(api_ctx *a, http_req *r, http_resp *resp)
{
    struct ep_list_ctx c = {0};
    if (!api_only_query(r, resp, LIST_ARGS) || !api_page_args(r, resp, &c.pg))
        return;
    oa_status rc = store_transact(a->svc->store, STORE_READ, ep_list_tx, &c);
    if (rc != OA_OK) {
        api_internal(resp, r, rc);
        return;
    }
    api_ok(resp, api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_endpoint));
    oa_endpoint_list_free(c.l, c.n);
}

static bool endpoint_id_ok(http_resp *resp, const char *id)
{
    if (oa_id_valid(id))
        return true;
    api_not_found(resp, "Webhook endpoint %.64s not found.", id);
    return false;
}

void api_endpoints_get(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    if (!endpoint_id_ok(resp, id))
        return;
    oa_endpoint e;
    oa_status rc = svc_endpoint_get(a->svc, r->tenant, id, &e);
    api_reply(resp, r, rc, rc == OA_OK ? endpoint_json(&e, true) : NULL, "Webhook endpoint", id);
    oa_endpoint_clear(&e);
}

void api_endpoints_patch(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *url = NULL, *desc = NULL;
    char *types = NULL;
    bool types_present = false;
    svc_endpoint_req req = {.enabled = -1};
    const json_t *en = json_object_get(body, "enabled");
    if (en && !json_is_boolean(en)) {
        api_bad_request(resp, "Field \"enabled\" must be true or false.");
        goto out;
    }
    if (!api_field_string(resp, body, "url", false, false, OA_MAX_URL, &url) ||
        !api_field_string(resp, body, "description", false, true, 500, &desc) ||
        !parse_types(resp, body, &types_present, &types) || !parse_rate(resp, body, &req) ||
        (url && !check_url(a, resp, url)))
        goto out;
    if (!endpoint_id_ok(resp, id))
        goto out;
    req.url = url;
    req.description = desc;
    req.set_description = json_object_get(body, "description") != NULL;
    req.event_types_json = types;
    req.set_event_types = types_present;
    req.enabled = en ? (json_is_true(en) ? 1 : 0) : -1;
    oa_endpoint e;
    oa_status rc = svc_endpoint_update(a->svc, r->tenant, id, &req, &e);
    api_reply(resp, r, rc, rc == OA_OK ? endpoint_json(&e, false) : NULL, "Webhook endpoint", id);
    oa_endpoint_clear(&e);
out:
    free(types);
    json_decref(body);
}

void api_endpoints_delete(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    if (!endpoint_id_ok(resp, id))
        return;
    oa_status rc = svc_endpoint_delete(a->svc, r->tenant, id);
    api_reply(resp, r, rc, rc == OA_OK ? json_pack("{s:s, s:b}", "id", id, "deleted", 1) : NULL,
              "Webhook endpoint", id);
}

void api_endpoints_rotate(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, true);
    if (!body)
        return;
    const char *grace;
    int64_t grace_ms = -1;
    if (!api_field_string(resp, body, "grace_period", false, true, 16, &grace))
        goto out;
    if (grace &&
        (oa_duration_parse(grace, &grace_ms) != OA_OK || grace_ms > (int64_t)7 * 86400000)) {
        api_bad_request(
            resp, "Field \"grace_period\" must be a duration of at most 7d (e.g. \"24h\", \"0\").");
        goto out;
    }
    if (!endpoint_id_ok(resp, id))
        goto out;
    oa_endpoint e;
    oa_status rc = svc_endpoint_rotate(a->svc, r->tenant, id, grace_ms, &e);
    api_reply(resp, r, rc, rc == OA_OK ? endpoint_json(&e, true) : NULL, "Webhook endpoint", id);
    oa_endpoint_clear(&e);
out:
    json_decref(body);
}

void api_endpoints_recover(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, false);
    if (!body)
        return;
    const char *since;
    int64_t since_ms;
    if (!api_field_string(resp, body, "since", true, false, 64, &since))
        goto out;
    if (oa_time_parse(since, &since_ms) != OA_OK) {
        api_bad_request(
            resp, "Field \"since\" must be an RFC 3339 time such as \"2025-01-01T00:00:00.000Z\".");
        goto out;
    }
    if (!endpoint_id_ok(resp, id))
        goto out;
    int64_t n = 0;
    oa_status rc = svc_endpoint_recover(a->svc, r->tenant, id, since_ms, &n);
    api_reply(resp, r, rc,
              rc == OA_OK ? json_pack("{s:s, s:I}", "endpoint_id", id, "recovered", (json_int_t)n)
                          : NULL,
              "Webhook endpoint", id);
out:
    json_decref(body);
}

void api_endpoints_test(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, true);
    if (!body)
        return;
    if (json_object_size(body)) {
        api_bad_request(resp, "This call takes no fields.");
    } else if (endpoint_id_ok(resp, id)) {
        char ev[OA_ID_SIZE] = "";
        oa_status rc = svc_endpoint_test(a->svc, r->tenant, id, ev);
        api_reply(resp, r, rc,
                  rc == OA_OK ? json_pack("{s:s, s:s, s:s}", "endpoint_id", id, "event_id", ev,
                                          "type", SVC_EVENT_TEST)
                              : NULL,
                  "Webhook endpoint", id);
    }
    json_decref(body);
}

/* ---- events ---- */

static json_t *event_json(const oa_event *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "type", json_string(e->type));
    json_object_set_new(o, "resource_id", json_string(e->resource_id));
    json_object_set_new(o, "created_at", api_time_or_null(e->created_at));
    json_t *payload = json_loads(e->body, 0, NULL);
    json_object_set_new(o, "payload", payload ? payload : json_null());
    return o;
}

static json_t *delivery_json(const oa_delivery *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(d->id));
    json_object_set_new(o, "endpoint_id", json_string(d->endpoint_id));
    json_object_set_new(o, "status", json_string(d->status));
    json_object_set_new(o, "attempts", json_integer(d->attempts));
    json_object_set_new(
        o, "next_attempt_at",
        api_time_or_null(strcmp(d->status, "pending") == 0 ? d->next_attempt_at : 0));
    json_object_set_new(o, "last_status_code",
                        d->last_status_code ? json_integer(d->last_status_code) : json_null());
    json_object_set_new(o, "last_error", d->last_error ? json_string(d->last_error) : json_null());
    json_object_set_new(o, "finished_at", api_time_or_null(d->finished_at));
    return o;
}

static json_t *render_event(const void *row)
{
    return event_json(row);
}

struct ev_list_ctx {
    store_page pg;
    const char *type;
    const char *resource_ids; /* a JSON array */
    oa_event *l;
    size_t n;
    int64_t oldest;
};

static oa_status ev_list_tx(oa_tx *tx, void *arg)
{
    struct ev_list_ctx *c = arg;
    oa_status rc = store_event_oldest(tx, c->pg.tenant, &c->oldest);
    if (rc == OA_NOT_FOUND) {
        c->oldest = 0;
        rc = OA_OK;
    }
    return rc == OA_OK ? store_event_list(tx, &c->pg, c->type, c->resource_ids, &c->l, &c->n) : rc;
}

/* True when the comma-separated list v has an item that is empty or only whitespace. */
static bool has_empty_item(const char *v)
{
    for (const char *p = v;; p++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == ',' || !*p)
            return true;
        p = strchr(p, ',');
        if (!p)
            return false;
    }
}

void api_events_list(api_ctx *a, http_req *r, http_resp *resp)
{
    struct ev_list_ctx c = {0};
    char *ids = NULL;
    size_t n_type = 0, n_rid = 0;
    if (!api_only_query(r, resp, EVENT_ARGS) || !api_page_args(r, resp, &c.pg))
        return;
    c.type = http_query(r, "type", &n_type);
    const char *rid = http_query(r, "resource_id", &n_rid);
    const char *rids = http_query(r, "resource_ids", NULL);
    if (n_type > 1 || n_rid > 1) {
        api_bad_request(resp, "Query parameter \"%s\" is given more than once.",
                        n_type > 1 ? "type" : "resource_id");
        return;
    }
    if (c.type && !svc_event_type_known(c.type)) {
        api_bad_request(resp,
                        "Query parameter \"type\" is not a known event type; use %s, %s, %s or "
                        "%s.",
                        OA_EVENT_POSTING, OA_EVENT_APPLICATION, SVC_EVENT_ENDPOINT_DISABLED,
                        SVC_EVENT_DELIVERY_EXHAUSTED);
        return;
    }
    if (rid && rids) {
        api_bad_request(resp, "Query parameters \"resource_id\" and \"resource_ids\" cannot be "
                              "used together; list every id in \"resource_ids\".");
        return;
    }
    if (rids && has_empty_item(rids)) {
        api_bad_request(resp, "Query parameter \"resource_ids\" has an empty item; use a "
                              "comma-separated list of ids.");
        return;
    }
    if (rids && !api_list_filter(r, resp, "resource_ids", &ids))
        return;
    if (rid) {
        json_t *one = json_pack("[s]", rid);
        ids = one ? json_dumps(one, JSON_COMPACT) : NULL;
        json_decref(one);
        if (!ids) {
            api_bad_request(resp, "Query parameter \"resource_id\" has an invalid value.");
            return;
        }
    }
    c.resource_ids = ids;
    oa_status rc = store_transact(a->svc->store, STORE_READ, ev_list_tx, &c);
    if (rc != OA_OK) {
        api_internal(resp, r, rc);
        free(ids);
        return;
    }
    json_t *page = api_list_page(c.l, sizeof *c.l, c.n, &c.pg, render_event);
    /* How far back the log reaches: events (and their deliveries) are kept for the retention
     * period once their deliveries are finished. */
    json_t *ret = json_object();
    json_object_set_new(ret, "period_seconds", json_integer(a->svc->retention_ms / 1000));
    json_object_set_new(ret, "oldest_event_at", api_time_or_null(c.oldest));
    json_object_set_new(page, "retention", ret);
    api_ok(resp, page);
    oa_event_list_free(c.l, c.n);
    free(ids);
}

struct ev_get_ctx {
    const char *tenant;
    const char *id;
    bool attempts;
    oa_event e;
    oa_delivery *d;
    size_t nd;
    oa_attempt *at;
    size_t na;
};

static oa_status ev_get_tx(oa_tx *tx, void *arg)
{
    struct ev_get_ctx *c = arg;
    oa_event_clear(&c->e);
    oa_status rc = store_event_get(tx, c->tenant, c->id, &c->e);
    if (rc != OA_OK)
        return rc;
    if (c->attempts)
        return store_attempts_for_event(tx, c->id, &c->at, &c->na);
    return store_deliveries_for_event(tx, c->id, &c->d, &c->nd);
}

static void event_detail(api_ctx *a, http_req *r, http_resp *resp, bool attempts)
{
    const char *id = r->params[0];
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Event %.64s not found.", id);
        return;
    }
    struct ev_get_ctx c = {.tenant = r->tenant, .id = id, .attempts = attempts};
    oa_status rc = store_transact(a->svc->store, STORE_READ, ev_get_tx, &c);
    if (rc == OA_NOT_FOUND) {
        api_not_found(resp, "Event %s not found.", id);
    } else if (rc != OA_OK) {
        api_internal(resp, r, rc);
    } else if (attempts) {
        json_t *res = json_array();
        for (size_t i = 0; i < c.na; i++) {
            const oa_attempt *t = &c.at[i];
            json_t *o = json_object();
            json_object_set_new(o, "delivery_id", json_string(t->delivery_id));
            json_object_set_new(o, "endpoint_id", json_string(t->endpoint_id));
            json_object_set_new(o, "attempt", json_integer(t->attempt));
            json_object_set_new(o, "attempted_at", api_time_or_null(t->attempted_at));
            json_object_set_new(o, "status_code",
                                t->status_code ? json_integer(t->status_code) : json_null());
            json_object_set_new(o, "latency_ms", json_integer(t->latency_ms));
            json_object_set_new(o, "error", t->error ? json_string(t->error) : json_null());
            json_object_set_new(o, "response_excerpt",
                                t->excerpt ? json_string(t->excerpt) : json_null());
            json_array_append_new(res, o);
        }
        api_ok(resp, json_pack("{s:s, s:o}", "event_id", id, "results", res));
    } else {
        json_t *o = event_json(&c.e);
        json_t *ds = json_array();
        for (size_t i = 0; i < c.nd; i++)
            json_array_append_new(ds, delivery_json(&c.d[i]));
        json_object_set_new(o, "deliveries", ds);
        api_ok(resp, o);
    }
    oa_event_clear(&c.e);
    oa_delivery_list_free(c.d, c.nd);
    oa_attempt_list_free(c.at, c.na);
}

void api_events_get(api_ctx *a, http_req *r, http_resp *resp)
{
    event_detail(a, r, resp, false);
}

void api_events_attempts(api_ctx *a, http_req *r, http_resp *resp)
{
    event_detail(a, r, resp, true);
}

void api_events_redeliver(api_ctx *a, http_req *r, http_resp *resp)
{
    const char *id = r->params[0];
    json_t *body = api_body_object(r, resp, true);
    if (!body)
        return;
    json_decref(body);
    if (!oa_id_valid(id)) {
        api_not_found(resp, "Event %.64s not found.", id);
        return;
    }
    int64_t n = 0;
    oa_status rc = svc_event_redeliver(a->svc, r->tenant, id, &n);
    api_reply(resp, r, rc,
              rc == OA_OK
                  ? json_pack("{s:s, s:I}", "event_id", id, "deliveries_queued", (json_int_t)n)
                  : NULL,
              "Event", id);
}

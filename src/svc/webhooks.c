/*
 * webhooks.c - webhook endpoints, redelivery and recovery, and the bookkeeping of delivery
 * attempts: retry schedule, exhaustion, endpoint failure streaks and operational events.
 */
#include <stdlib.h>
#include <string.h>

#include "openapply/webhook.h"
#include "svc/internal.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/text.h"

static const char *const KNOWN_TYPES[] = {OA_EVENT_POSTING, OA_EVENT_APPLICATION,
                                          SVC_EVENT_ENDPOINT_DISABLED,
                                          SVC_EVENT_DELIVERY_EXHAUSTED};

bool svc_event_type_known(const char *type)
{
    for (size_t i = 0; type && i < OA_ARRAY_LEN(KNOWN_TYPES); i++)
        if (strcmp(type, KNOWN_TYPES[i]) == 0)
            return true;
    return false;
}

static void replace(char **field, const char *value)
{
    free(*field);
    *field = value ? xstrdup(value) : NULL;
}

/* ---- endpoints ---- */

struct ep_ctx {
    svc *s;
    const char *tenant;
    const char *id;
    const svc_endpoint_req *req;
    oa_endpoint *out;
    int64_t grace_ms;
    int64_t since;
    int64_t count;
    int64_t after_seq; /* recover: the last delivery done */
    enum { EP_CREATE, EP_UPDATE, EP_GET, EP_DELETE, EP_ROTATE, EP_RECOVER } op;
};

static oa_status ep_tx(oa_tx *tx, void *arg)
{
    struct ep_ctx *c = arg;
    int64_t now = oa_now_ms();
    if (c->op == EP_CREATE)
        return store_endpoint_insert(tx, c->out);
    if (c->op == EP_DELETE)
        return store_endpoint_delete(tx, c->tenant, c->id, now);
    oa_endpoint_clear(c->out);
    oa_status rc = store_endpoint_get(tx, c->tenant, c->id, c->out);
    if (rc != OA_OK || c->op == EP_GET)
        return rc;
    oa_endpoint *e = c->out;
    if (c->op == EP_RECOVER) {
        int64_t done = 0;
        rc = store_deliveries_recover(tx, e->id, c->since, now, c->after_seq, SVC_RECOVER_CHUNK,
                                      &done, &c->after_seq);
        c->count = done;
        return rc;
    }
    if (c->op == EP_ROTATE) {
        char secret[OAW_SECRET_MAX];
        if (oaw_secret_generate(secret) != OAW_OK)
            return OA_ERR;
        replace(&e->old_secret, e->secret);
        e->old_secret_expires_at = now + c->grace_ms;
        replace(&e->secret, secret);
        memset(secret, 0, sizeof secret);
    } else { /* EP_UPDATE */
        const svc_endpoint_req *r = c->req;
        if (r->url)
            replace(&e->url, r->url);
        if (r->set_description)
            replace(&e->description, r->description);
        if (r->set_event_types)
            replace(&e->event_types_json, r->event_types_json);
        if (r->set_rate_limit)
            e->rate_limit = r->rate_limit;
        if (r->enabled == 1 && !e->enabled) {
            e->enabled = true; /* a fresh start: the failure streak is forgiven */
            replace(&e->disabled_reason, NULL);
            e->disabled_at = 0;
            e->failing_since = 0;
            if (c->s->wake_events)
                store_tx_after(tx, c->s->wake_events, c->s->wake_events_arg);
        } else if (r->enabled == 0 && e->enabled) {
            e->enabled = false;
            replace(&e->disabled_reason, "disabled by the API");
            e->disabled_at = now;
        }
    }
    e->updated_at = now;
    return store_endpoint_update(tx, e);
}

oa_status svc_endpoint_create(svc *s, const char *tenant, const svc_endpoint_req *req,
                              oa_endpoint *out)
{
    memset(out, 0, sizeof *out);
    char secret[OAW_SECRET_MAX];
    if (oaw_secret_generate(secret) != OAW_OK)
        return OA_ERR;
    oa_id_new(out->id);
    out->tenant = xstrdup(tenant);
    out->url = xstrdup(req->url);
    out->description = req->description ? xstrdup(req->description) : NULL;
    out->event_types_json = req->event_types_json ? xstrdup(req->event_types_json) : NULL;
    out->enabled = true;
    out->rate_limit = req->rate_limit;
    out->secret = xstrdup(secret);
    out->created_at = out->updated_at = oa_now_ms();
    struct ep_ctx c = {.s = s, .tenant = tenant, .req = req, .out = out, .op = EP_CREATE};
    oa_status rc = store_transact(s->store, STORE_WRITE, ep_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "webhook.endpoint_created", "tenant=%s endpoint_id=%s", tenant,
               out->id);
    return rc;
}

oa_status svc_endpoint_update(svc *s, const char *tenant, const char *id,
                              const svc_endpoint_req *req, oa_endpoint *out)
{
    memset(out, 0, sizeof *out);
    struct ep_ctx c = {.s = s, .tenant = tenant, .id = id, .req = req, .out = out, .op = EP_UPDATE};
    oa_status rc = store_transact(s->store, STORE_WRITE, ep_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "webhook.endpoint_updated", "tenant=%s endpoint_id=%s enabled=%d",
               tenant, id, out->enabled ? 1 : 0);
    return rc;
}

oa_status svc_endpoint_get(svc *s, const char *tenant, const char *id, oa_endpoint *out)
{
    memset(out, 0, sizeof *out);
    struct ep_ctx c = {.s = s, .tenant = tenant, .id = id, .out = out, .op = EP_GET};
    return store_transact(s->store, STORE_READ, ep_tx, &c);
}

oa_status svc_endpoint_delete(svc *s, const char *tenant, const char *id)
{
    struct ep_ctx c = {.s = s, .tenant = tenant, .id = id, .op = EP_DELETE};
    oa_status rc = store_transact(s->store, STORE_WRITE, ep_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "webhook.endpoint_deleted", "tenant=%s endpoint_id=%s", tenant, id);
    return rc;
}

oa_status svc_endpoint_rotate(svc *s, const char *tenant, const char *id, int64_t grace_ms,
                              oa_endpoint *out)
{
    memset(out, 0, sizeof *out);
    struct ep_ctx c = {.s = s,
                       .tenant = tenant,
                       .id = id,
                       .out = out,
                       .op = EP_ROTATE,
                       .grace_ms = grace_ms < 0 ? s->wh_grace_ms : grace_ms};
    oa_status rc = store_transact(s->store, STORE_WRITE, ep_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "webhook.secret_rotated", "tenant=%s endpoint_id=%s grace_ms=%lld",
               tenant, id, (long long)c.grace_ms);
    return rc;
}

oa_status svc_endpoint_recover(svc *s, const char *tenant, const char *id, int64_t since,
                               int64_t *count)
{
    /* Chunks of SVC_RECOVER_CHUNK, each its own short transaction: a large backlog never holds
     * the writer for long. Each chunk checks the endpoint again (a delete stops it). */
    *count = 0;
    struct ep_ctx c = {.s = s, .tenant = tenant, .id = id, .op = EP_RECOVER, .since = since};
    oa_status rc;
    for (;;) {
        oa_endpoint e = {0};
        c.out = &e;
        rc = store_transact(s->store, STORE_WRITE, ep_tx, &c);
        oa_endpoint_clear(&e);
        if (rc != OA_OK)
            break;
        *count += c.count;
        if (c.count && s->wake_events)
            s->wake_events(s->wake_events_arg);
        if (c.count < SVC_RECOVER_CHUNK)
            break;
    }
    if (rc == OA_OK || *count)
        oa_log(rc == OA_OK ? OA_LOG_INFO : OA_LOG_WARN, "webhook.recovered",
               "tenant=%s endpoint_id=%s deliveries=%lld status=%s", tenant, id, (long long)*count,
               oa_status_str(rc));
    return rc;
}

/* ---- test events ---- */

struct test_ctx {
    svc *s;
    const char *tenant, *id;
    char *event_id;
};

static oa_status test_tx(oa_tx *tx, void *arg)
{
    struct test_ctx *c = arg;
    oa_endpoint e = {0};
    oa_status rc = store_endpoint_get(tx, c->tenant, c->id, &e);
    if (rc == OA_OK) {
        json_t *data = json_pack("{s:s, s:s}", "endpoint_id", e.id, "message",
                                 "A test event sent from openapply.");
        rc = svc__emit_to(c->s, tx, c->tenant, SVC_EVENT_TEST, e.id, data, oa_now_ms(), &e,
                          c->event_id);
        json_decref(data);
    }
    oa_endpoint_clear(&e);
    return rc;
}

oa_status svc_endpoint_test(svc *s, const char *tenant, const char *id, char event_id[OA_ID_SIZE])
{
    struct test_ctx c = {s, tenant, id, event_id};
    oa_status rc = store_transact(s->store, STORE_WRITE, test_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "webhook.test_event", "tenant=%s endpoint_id=%s event_id=%s", tenant,
               id, event_id);
    return rc;
}

/* ---- redelivery ---- */

struct redeliver_ctx {
    svc *s;
    const char *tenant;
    const char *event_id;
    int64_t count;
};

static oa_status redeliver_tx(oa_tx *tx, void *arg)
{
    struct redeliver_ctx *c = arg;
    oa_event e = {0};
    oa_delivery *ds = NULL;
    oa_endpoint *eps = NULL;
    size_t nd = 0, ne = 0;
    int64_t now = oa_now_ms();
    oa_status rc = store_event_get(tx, c->tenant, c->event_id, &e);
    if (rc != OA_OK)
        goto out;
    rc = store_deliveries_redeliver(tx, e.id, now, &c->count);
    if (rc == OA_OK)
        rc = store_deliveries_for_event(tx, e.id, &ds, &nd);
    if (rc == OA_OK)
        rc = store_endpoints_subscribed(tx, e.tenant, e.type,
                                        strncmp(e.type, "openapply.", 10) != 0, &eps, &ne);
    /* Endpoints subscribed now that never had this event: a first delivery. */
    for (size_t i = 0; rc == OA_OK && i < ne; i++) {
        bool had = false;
        for (size_t k = 0; k < nd && !had; k++)
            had = strcmp(ds[k].endpoint_id, eps[i].id) == 0;
        if (had)
            continue;
        oa_delivery d = {0};
        oa_id_new(d.id);
        d.tenant = e.tenant;
        d.event_seq = e.seq;
        memcpy(d.event_id, e.id, OA_ID_SIZE);
        memcpy(d.endpoint_id, eps[i].id, OA_ID_SIZE);
        d.resource_id = e.resource_id;
        d.next_attempt_at = d.created_at = d.updated_at = now;
        rc = store_delivery_insert(tx, &d);
        c->count++;
    }
out:
    oa_event_clear(&e);
    oa_delivery_list_free(ds, nd);
    oa_endpoint_list_free(eps, ne);
    return rc;
}

oa_status svc_event_redeliver(svc *s, const char *tenant, const char *event_id, int64_t *count)
{
    struct redeliver_ctx c = {s, tenant, event_id, 0};
    oa_status rc = store_transact(s->store, STORE_WRITE, redeliver_tx, &c);
    *count = c.count;
    if (rc == OA_OK) {
        oa_log(OA_LOG_INFO, "webhook.redeliver", "tenant=%s event_id=%s deliveries=%lld", tenant,
               event_id, (long long)c.count);
        if (c.count && s->wake_events)
            s->wake_events(s->wake_events_arg);
    }
    return rc;
}

/* ---- attempt bookkeeping ---- */

static int64_t jitter(int64_t ms)
{
    if (ms <= 0)
        return 0;
    uint32_t r;
    oa_random_bytes(&r, sizeof r);
    int64_t j = ms / 10;
    return ms - j + (j ? (int64_t)(r % (uint32_t)(2 * j + 1)) : 0);
}

static oa_status disable_endpoint(svc *s, oa_tx *tx, oa_endpoint *e, const char *reason,
                                  int64_t now)
{
    e->enabled = false;
    replace(&e->disabled_reason, reason);
    e->disabled_at = now;
    e->updated_at = now;
    oa_status rc = store_endpoint_update(tx, e);
    if (rc != OA_OK)
        return rc;
    char t[OA_TIME_LEN];
    oa_time_fmt(now, t);
    json_t *data = json_pack("{s:s, s:s, s:s, s:s}", "endpoint_id", e->id, "url", e->url, "reason",
                             reason, "disabled_at", t);
    rc = svc__emit(s, tx, e->tenant, SVC_EVENT_ENDPOINT_DISABLED, e->id, data, now);
    json_decref(data);
    char q[OA_LOGQ_SIZE];
    oa_log(OA_LOG_WARN, "webhook.endpoint_disabled", "tenant=%s endpoint_id=%s reason=%s",
           e->tenant, e->id, oa_logq(q, sizeof q, reason));
    return rc;
}

/* The endpoints of one batch, each read once and written once at the end. */
typedef struct {
    oa_endpoint e;
    bool found, dirty;
} batch_ep;

typedef struct {
    batch_ep *l;
    size_t n;
} batch_eps;

static oa_status batch_ep_get(oa_tx *tx, batch_eps *b, const char *id, batch_ep **out)
{
    for (size_t i = 0; i < b->n; i++) {
        if (strcmp(b->l[i].e.id, id) == 0) {
            *out = &b->l[i];
            return OA_OK;
        }
    }
    b->l = xrealloc(b->l, (b->n + 1) * sizeof *b->l);
    batch_ep *x = &b->l[b->n++];
    memset(x, 0, sizeof *x);
    oa_status rc = store_endpoint_get(tx, NULL, id, &x->e);
    if (rc == OA_NOT_FOUND) /* deleted meanwhile: its deliveries were cancelled with it */
        snprintf(x->e.id, sizeof x->e.id, "%s", id);
    x->found = rc == OA_OK;
    *out = x;
    return rc == OA_NOT_FOUND ? OA_OK : rc;
}

static void batch_eps_free(batch_eps *b)
{
    for (size_t i = 0; i < b->n; i++)
        oa_endpoint_clear(&b->l[i].e);
    free(b->l);
}

/* The next attempt's delay after a failure, or -1 once the schedule is used up. Retry-After
 * wins within [1 s, 24 h]. */
static int64_t retry_delay(const svc *s, int64_t attempts, int64_t retry_after_ms)
{
    if ((size_t)attempts >= s->n_wh_retry)
        return -1;
    if (retry_after_ms > 0)
        return retry_after_ms < 1000 ? 1000 : retry_after_ms > 86400000 ? 86400000 : retry_after_ms;
    return jitter(s->wh_retry[attempts]);
}

/* The endpoint's failure streak after one attempt: cleared by a success, started by a first
 * failure, and the endpoint disabled on 410 Gone or after wh_disable_after_ms of failures. */
static oa_status streak(svc *s, oa_tx *tx, batch_ep *be, const svc_attempt_result *r, int64_t now)
{
    oa_endpoint *e = &be->e;
    if (!be->found)
        return OA_OK;
    if (r->success) {
        if (e->failing_since) {
            e->failing_since = 0;
            be->dirty = true;
        }
        return OA_OK;
    }
    if (!e->enabled)
        return OA_OK;
    if (r->status_code == 410) {
        be->dirty = false;
        return disable_endpoint(s, tx, e, "the endpoint answered 410 Gone", now);
    }
    if (!e->failing_since) {
        e->failing_since = r->attempted_at ? r->attempted_at : now;
        be->dirty = true;
        return OA_OK;
    }
    if (now - e->failing_since < s->wh_disable_after_ms)
        return OA_OK;
    char since[OA_TIME_LEN], limit[32];
    oa_time_fmt(e->failing_since, since);
    oa_duration_fmt(s->wh_disable_after_ms, limit, sizeof limit);
    char *why = xasprintf("every delivery attempt failed since %s (the limit is %s)", since, limit);
    be->dirty = false;
    oa_status rc = disable_endpoint(s, tx, e, why, now);
    free(why);
    return rc;
}

static oa_status emit_exhausted(svc *s, oa_tx *tx, const oa_send *x, const oa_delivery *d,
                                const svc_attempt_result *r, int64_t now)
{
    json_t *data = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:I, s:o, s:s?}", "delivery_id", d->id, "event_id", d->event_id,
        "event_type", x->event_type, "endpoint_id", d->endpoint_id, "resource_id", d->resource_id,
        "attempts", (json_int_t)d->attempts, "last_status_code",
        r->status_code ? json_integer(r->status_code) : json_null(), "last_error", r->error);
    oa_status rc = svc__emit(s, tx, d->tenant, SVC_EVENT_DELIVERY_EXHAUSTED, d->id, data, now);
    json_decref(data);
    return rc;
}

/* Records one attempt inside tx. A lost lease (the delivery was re-leased or cancelled) is
 * not an error: *lost is set and nothing of this delivery is written. */
/* A failed attempt: the next try by the retry schedule, or failed for good (an exhaustion
 * event then). The settle is fenced by our lease token: a lost lease changes nothing. */
static oa_status settle_failed(svc *s, oa_tx *tx, int64_t now, const oa_send *x,
                               const svc_attempt_result *r, bool *exhausted, bool *lost)
{
    oa_delivery d = x->d;
    d.attempts = x->d.attempts + 1;
    d.last_status_code = r->status_code;
    d.last_error = (char *)r->error;
    int64_t delay = retry_delay(s, d.attempts, r->retry_after_ms);
    *exhausted = delay < 0;
    oa_status rc = store_delivery_settle(tx, &d, *exhausted ? "failed" : "pending",
                                         *exhausted ? now : now + delay, now);
    if (rc == OA_NOT_FOUND) {
        *lost = true;
        *exhausted = false;
        return OA_OK;
    }
    if (rc == OA_OK && *exhausted && strncmp(x->event_type, "openapply.", 10) != 0)
        rc = emit_exhausted(s, tx, x, &d, r, now);
    return rc;
}

/* The dashboard's per-minute figures of a round's attempts: one row update per endpoint and
 * minute, whatever the number of attempts. */
static oa_status add_minutes(oa_tx *tx, const oa_send *const *sends, const svc_attempt_result *res,
                             const bool *lost, size_t n)
{
    store_minute *m = xcalloc(n ? n : 1, sizeof *m);
    const char **tenant = xcalloc(n ? n : 1, sizeof *tenant);
    size_t nm = 0;
    for (size_t i = 0; i < n; i++) {
        if (lost[i])
            continue;
        const oa_delivery *d = &sends[i]->d;
        int64_t minute = res[i].attempted_at - res[i].attempted_at % 60000;
        size_t k = 0;
        while (k < nm && !(m[k].minute == minute && strcmp(m[k].endpoint_id, d->endpoint_id) == 0))
            k++;
        if (k == nm) {
            memcpy(m[k].endpoint_id, d->endpoint_id, OA_ID_SIZE);
            m[k].minute = minute;
            tenant[k] = d->tenant;
            nm++;
        }
        if (res[i].success)
            m[k].delivered++;
        else
            m[k].failed++;
        m[k].buckets[store_lat_bucket(res[i].latency_ms)]++;
    }
    oa_status rc = OA_OK;
    for (size_t k = 0; rc == OA_OK && k < nm; k++)
        rc = store_minute_add(tx, tenant[k], &m[k]);
    free(m);
    free(tenant);
    return rc;
}

/* Records a round's finished attempts: successes in a few multi-row statements, failures one
 * by one, every attempt row in multi-row INSERTs, then the endpoints' failure streaks in the
 * order of the attempts. */
oa_status svc_delivery_settle_tx(svc *s, oa_tx *tx, int64_t now, const oa_send *const *sends,
                                 const svc_attempt_result *res, size_t n, bool *exhausted,
                                 bool *lost)
{
    batch_eps eps = {0};
    oa_status rc = OA_OK;
    size_t cap = n ? n : 1, nok = 0;
    oa_delivery *ok = xcalloc(cap, sizeof *ok);
    const oa_delivery **okp = xcalloc(cap, sizeof *okp);
    size_t *oki = xcalloc(cap, sizeof *oki);
    bool *oklost = xcalloc(cap, sizeof *oklost);
    oa_attempt *att = xcalloc(cap, sizeof *att);
    for (size_t i = 0; i < n; i++) {
        exhausted[i] = lost[i] = false;
        if (!res[i].success)
            continue;
        ok[nok] = sends[i]->d;
        ok[nok].attempts = sends[i]->d.attempts + 1;
        ok[nok].last_status_code = res[i].status_code;
        okp[nok] = &ok[nok];
        oki[nok++] = i;
    }
    if (nok)
        rc = store_deliveries_delivered(tx, okp, nok, now, oklost);
    for (size_t j = 0; rc == OA_OK && j < nok; j++)
        lost[oki[j]] = oklost[j];
    for (size_t i = 0; rc == OA_OK && i < n; i++)
        if (!res[i].success)
            rc = settle_failed(s, tx, now, sends[i], &res[i], &exhausted[i], &lost[i]);
    size_t na = 0;
    for (size_t i = 0; rc == OA_OK && i < n; i++) {
        if (lost[i])
            continue;
        const oa_delivery *d = &sends[i]->d;
        oa_attempt *a = &att[na++];
        a->delivery_seq = d->seq;
        a->event_seq = d->event_seq;
        memcpy(a->delivery_id, d->id, OA_ID_SIZE);
        memcpy(a->event_id, d->event_id, OA_ID_SIZE);
        memcpy(a->endpoint_id, d->endpoint_id, OA_ID_SIZE);
        a->attempt = d->attempts + 1;
        a->attempted_at = res[i].attempted_at;
        a->status_code = res[i].status_code;
        a->latency_ms = res[i].latency_ms;
        a->error = (char *)res[i].error;
        a->excerpt = (char *)res[i].excerpt;
    }
    if (rc == OA_OK && na)
        rc = store_attempts_insert(tx, att, na);
    if (rc == OA_OK && na)
        rc = add_minutes(tx, sends, res, lost, n);
    for (size_t i = 0; rc == OA_OK && i < n; i++) {
        if (lost[i])
            continue;
        batch_ep *be = NULL;
        rc = batch_ep_get(tx, &eps, sends[i]->d.endpoint_id, &be);
        if (rc == OA_OK)
            rc = streak(s, tx, be, &res[i], now);
    }
    for (size_t i = 0; rc == OA_OK && i < eps.n; i++) {
        if (eps.l[i].dirty) {
            eps.l[i].e.updated_at = now;
            rc = store_endpoint_update(tx, &eps.l[i].e);
        }
    }
    batch_eps_free(&eps);
    free(ok);
    free(okp);
    free(oki);
    free(oklost);
    free(att);
    return rc;
}

struct batch_ctx {
    svc *s;
    const oa_send *const *sends;
    const svc_attempt_result *res;
    size_t n;
    bool *exhausted;
    bool *lost;
};

static oa_status batch_tx(oa_tx *tx, void *arg)
{
    struct batch_ctx *b = arg;
    return svc_delivery_settle_tx(b->s, tx, oa_now_ms(), b->sends, b->res, b->n, b->exhausted,
                                  b->lost);
}

oa_status svc_delivery_record_batch(svc *s, const oa_send *const *sends,
                                    const svc_attempt_result *res, size_t n, bool *exhausted,
                                    bool *lost)
{
    struct batch_ctx b = {s, sends, res, n, exhausted, lost};
    return store_transact(s->store, STORE_WRITE, batch_tx, &b);
}

/* ---- retention ---- */

struct sweep_ctx {
    int64_t cutoff;
    int64_t deliveries, events;
};

static oa_status sweep_tx(oa_tx *tx, void *arg)
{
    struct sweep_ctx *c = arg;
    return store_retention_sweep(tx, c->cutoff, SVC_RETENTION_BATCH, &c->deliveries, &c->events);
}

oa_status svc_retention_sweep(svc *s, int64_t now, int64_t *deliveries, int64_t *events, bool *more)
{
    int64_t keep = s->retention_ms > 0 ? s->retention_ms : SVC_DEFAULT_RETENTION_MS;
    struct sweep_ctx c = {now - keep, 0, 0};
    oa_status rc = store_transact(s->store, STORE_WRITE, sweep_tx, &c);
    *deliveries = c.deliveries;
    *events = c.events;
    *more = rc == OA_OK && (c.deliveries >= SVC_RETENTION_BATCH || c.events >= SVC_RETENTION_BATCH);
    if (rc == OA_OK && (c.deliveries || c.events))
        oa_log(OA_LOG_DEBUG, "webhook.retention", "deliveries=%lld events=%lld",
               (long long)c.deliveries, (long long)c.events);
    return rc;
}

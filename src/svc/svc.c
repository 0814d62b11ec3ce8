/*
 * svc.c - server secrets, API keys, event emission, and the effect runners shared by the
 * posting and application use cases.
 */
#include "svc/svc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc/internal.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/seal.h"

/* ---- secrets ---- */

/* The server's secrets, each 32 random bytes made on first start and kept in the store. */
static const char *const SECRET_NAMES[] = {"submission_token_key", "connector_key"};

struct init_ctx {
    char *key_b64[OA_ARRAY_LEN(SECRET_NAMES)];
};

static oa_status init_tx(oa_tx *tx, void *arg)
{
    struct init_ctx *c = arg;
    oa_status rc = OA_OK;
    for (size_t i = 0; rc == OA_OK && i < OA_ARRAY_LEN(SECRET_NAMES); i++) {
        uint8_t k[32];
        oa_random_bytes(k, sizeof k);
        char *fresh = oa_b64_encode(k, sizeof k);
        free(c->key_b64[i]);
        c->key_b64[i] = NULL;
        rc = store_meta_get_or_put(tx, SECRET_NAMES[i], fresh, &c->key_b64[i]);
        free(fresh);
    }
    return rc;
}

static oa_status load_secret(const char *b64, uint8_t out[32])
{
    uint8_t *k = NULL;
    size_t kl = 0;
    oa_status rc = b64 ? oa_b64_decode(b64, strlen(b64), &k, &kl) : OA_INVALID;
    if (rc == OA_OK && kl == 32)
        memcpy(out, k, 32);
    free(k);
    return rc == OA_OK && kl == 32 ? OA_OK : OA_ERR;
}

oa_status svc_init(svc *s)
{
    struct init_ctx c = {{NULL}};
    oa_status rc = store_transact(s->store, STORE_WRITE, init_tx, &c);
    if (rc == OA_OK)
        rc = load_secret(c.key_b64[0], s->token_key);
    if (rc == OA_OK)
        rc = load_secret(c.key_b64[1], s->connector_key);
    for (size_t i = 0; i < OA_ARRAY_LEN(SECRET_NAMES); i++)
        free(c.key_b64[i]);
    if (rc != OA_OK)
        return rc;
    if (!s->refresh_interval_ms)
        s->refresh_interval_ms = SVC_DEFAULT_REFRESH_MS;
    if (!s->parse_backoff_ms)
        s->parse_backoff_ms = SVC_DEFAULT_PARSE_BACKOFF_MS;
    if (!s->parse_limit)
        s->parse_limit = SVC_DEFAULT_PARSE_LIMIT;
    if (!s->n_wh_retry) {
        static const int64_t def[] = {0,       5000,     300000,   1800000,
                                      7200000, 18000000, 36000000, 36000000};
        memcpy(s->wh_retry, def, sizeof def);
        s->n_wh_retry = OA_ARRAY_LEN(def);
    }
    if (!s->wh_disable_after_ms)
        s->wh_disable_after_ms = SVC_DEFAULT_WH_DISABLE_MS;
    if (!s->wh_grace_ms)
        s->wh_grace_ms = SVC_DEFAULT_WH_GRACE_MS;
    return OA_OK;
}

/* ---- API keys ---- */

struct key_ctx {
    const char *tenant;
    char hash[65];
    const char *source;
    const char *label;
    int64_t expires_at;
    char *generated;
    oa_apikey row;
    const char *prefix;
    size_t matches;
    bool changed;
};

/* A new key: "oa_" and 48 characters of base58 from a cryptographic source. */
static void key_generate(struct key_ctx *k)
{
    char id1[OA_ID_SIZE], id2[OA_ID_SIZE];
    oa_id_random(id1);
    oa_id_random(id2);
    free(k->generated);
    k->generated = xasprintf("oa_%s%s", id1, id2);
    oa_sha256_hex(k->generated, strlen(k->generated), k->hash);
}

static oa_status key_add_tx(oa_tx *tx, void *arg)
{
    struct key_ctx *k = arg;
    oa_status rc = store_apikey_put(tx, k->hash, k->tenant, k->source, oa_now_ms());
    oa_apikey_clear(&k->row);
    return rc == OA_OK ? store_apikey_find(tx, k->hash, &k->row) : rc;
}

oa_status svc_key_add(svc *s, const char *tenant, const char *key, oa_apikey *row)
{
    struct key_ctx k = {.tenant = tenant, .source = "flag"};
    oa_sha256_hex(key, strlen(key), k.hash);
    oa_status rc = store_transact(s->store, STORE_WRITE, key_add_tx, &k);
    if (row && rc == OA_OK)
        *row = k.row;
    else
        oa_apikey_clear(&k.row);
    return rc;
}

static oa_status bootstrap_tx(oa_tx *tx, void *arg)
{
    struct key_ctx *k = arg;
    int64_t n = 0;
    oa_status rc = store_apikey_count(tx, oa_now_ms(), &n);
    if (rc != OA_OK || n > 0) {
        free(k->generated); /* a retried transaction that now finds a key */
        k->generated = NULL;
        return rc;
    }
    key_generate(k);
    return store_apikey_put(tx, k->hash, "default", "generated", oa_now_ms());
}

oa_status svc_key_bootstrap(svc *s, char **generated)
{
    struct key_ctx k = {0};
    oa_status rc = store_transact(s->store, STORE_WRITE, bootstrap_tx, &k);
    if (rc != OA_OK) {
        free(k.generated);
        k.generated = NULL;
    }
    *generated = k.generated;
    return rc;
}

static oa_status key_create_tx(oa_tx *tx, void *arg)
{
    struct key_ctx *k = arg;
    key_generate(k);
    oa_status rc =
        store_apikey_insert(tx, k->hash, k->tenant, "cli", k->label, k->expires_at, oa_now_ms());
    oa_apikey_clear(&k->row);
    return rc == OA_OK ? store_apikey_find(tx, k->hash, &k->row) : rc;
}

oa_status svc_key_create(svc *s, const char *tenant, const char *label, int64_t expires_at,
                         char **key, oa_apikey *row)
{
    struct key_ctx k = {.tenant = tenant, .label = label, .expires_at = expires_at};
    oa_status rc = store_transact(s->store, STORE_WRITE, key_create_tx, &k);
    if (rc != OA_OK) {
        free(k.generated);
        k.generated = NULL;
        oa_apikey_clear(&k.row);
    }
    *key = k.generated;
    *row = k.row;
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "auth.key_created", "tenant=%s key_id=%s expires_at=%lld", tenant,
               k.row.key_id, (long long)expires_at);
    return rc;
}

static oa_status key_find_tx(oa_tx *tx, void *arg)
{
    struct key_ctx *k = arg;
    oa_apikey_clear(&k->row);
    return store_apikey_find(tx, k->hash, &k->row);
}

svc_key_state svc_key_state_of(const oa_apikey *row, int64_t now)
{
    if (row->revoked_at)
        return SVC_KEY_REVOKED;
    if (row->expires_at && row->expires_at <= now)
        return SVC_KEY_EXPIRED;
    return SVC_KEY_VALID;
}

const char *svc_key_state_str(svc_key_state st)
{
    switch (st) {
    case SVC_KEY_VALID:
        return "valid";
    case SVC_KEY_REVOKED:
        return "revoked";
    case SVC_KEY_EXPIRED:
        return "expired";
    case SVC_KEY_UNKNOWN:
        break;
    }
    return "unknown";
}

oa_status svc_key_tenant(svc *s, const char *key, char **tenant, svc_key_state *state,
                         char key_id[OA_KEY_ID_SIZE])
{
    struct key_ctx k = {0};
    *tenant = NULL;
    oa_sha256_hex(key, strlen(key), k.hash);
    oa_status rc = store_transact(s->store, STORE_READ, key_find_tx, &k);
    svc_key_state st = rc == OA_OK ? svc_key_state_of(&k.row, oa_now_ms()) : SVC_KEY_UNKNOWN;
    if (state)
        *state = st;
    if (key_id)
        snprintf(key_id, OA_KEY_ID_SIZE, "%s", rc == OA_OK ? k.row.key_id : "");
    if (rc == OA_OK && st == SVC_KEY_VALID) {
        *tenant = k.row.tenant;
        k.row.tenant = NULL;
    } else if (rc == OA_OK) {
        rc = OA_NOT_FOUND; /* revoked or expired: rejected like an unknown key */
    }
    oa_apikey_clear(&k.row);
    return rc;
}

struct key_list_ctx {
    const char *tenant;
    oa_apikey *l;
    size_t n;
};

static oa_status key_list_tx(oa_tx *tx, void *arg)
{
    struct key_list_ctx *c = arg;
    oa_apikey_list_free(c->l, c->n);
    c->l = NULL;
    c->n = 0;
    return store_apikey_list(tx, c->tenant, &c->l, &c->n);
}

oa_status svc_key_list(svc *s, const char *tenant, oa_apikey **out, size_t *n)
{
    struct key_list_ctx c = {.tenant = tenant};
    oa_status rc = store_transact(s->store, STORE_READ, key_list_tx, &c);
    if (rc != OA_OK) {
        oa_apikey_list_free(c.l, c.n);
        c.l = NULL;
        c.n = 0;
    }
    *out = c.l;
    *n = c.n;
    return rc;
}

static oa_status key_revoke_tx(oa_tx *tx, void *arg)
{
    struct key_ctx *k = arg;
    oa_apikey *m = NULL;
    size_t n = 0;
    oa_apikey_clear(&k->row);
    k->changed = false;
    oa_status rc = store_apikey_match(tx, k->prefix, &m, &n);
    k->matches = n;
    if (rc == OA_OK && n == 0)
        rc = OA_NOT_FOUND;
    else if (rc == OA_OK && n > 1)
        rc = OA_CONFLICT;
    if (rc == OA_OK) {
        int64_t now = oa_now_ms();
        rc = store_apikey_revoke(tx, m[0].key_hash, now, &k->changed);
        if (rc == OA_OK && k->changed)
            m[0].revoked_at = now;
        k->row = m[0];
        memset(&m[0], 0, sizeof m[0]);
    }
    oa_apikey_list_free(m, n);
    return rc;
}

oa_status svc_key_revoke(svc *s, const char *prefix, oa_apikey *row, bool *already)
{
    struct key_ctx k = {.prefix = prefix};
    oa_status rc = store_transact(s->store, STORE_WRITE, key_revoke_tx, &k);
    *already = rc == OA_OK && !k.changed;
    if (rc == OA_OK)
        *row = k.row;
    else
        oa_apikey_clear(&k.row);
    if (rc == OA_OK && k.changed)
        oa_log(OA_LOG_INFO, "auth.key_revoked", "tenant=%s key_id=%s", row->tenant, row->key_id);
    return rc;
}

/* ---- sites and feeds ---- */

struct create_ctx {
    oa_site *site;
    oa_feed *feed;
    const char *sealed; /* the site's connector settings, sealed, or NULL */
};

static oa_status create_tx(oa_tx *tx, void *arg)
{
    struct create_ctx *c = arg;
    return c->site ? store_site_insert(tx, c->site, c->sealed) : store_feed_insert(tx, c->feed);
}

oa_status svc_site_create(svc *s, const char *tenant, const char *label, const json_t *connectors,
                          oa_site *out)
{
    memset(out, 0, sizeof *out);
    oa_id_new(out->id);
    out->tenant = xstrdup(tenant);
    out->label = xstrdup(label);
    out->created_at = oa_now_ms();
    char *sealed = NULL;
    if (connectors && json_object_size(connectors)) {
        char *plain = json_dumps(connectors, JSON_COMPACT | JSON_SORT_KEYS);
        sealed = oa_seal(s->connector_key, out->id, plain, strlen(plain));
        memset(plain, 0, strlen(plain));
        free(plain);
    }
    struct create_ctx c = {out, NULL, sealed};
    oa_status rc = store_transact(s->store, STORE_WRITE, create_tx, &c);
    free(sealed);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "career_site.created", "tenant=%s career_site_id=%s connectors=%zu",
               tenant, out->id, connectors ? json_object_size(connectors) : (size_t)0);
    return rc;
}

struct connector_ctx {
    const char *tenant, *site_id;
    char *sealed;
};

static oa_status connector_tx(oa_tx *tx, void *arg)
{
    struct connector_ctx *c = arg;
    free(c->sealed);
    c->sealed = NULL;
    return store_site_connectors(tx, c->tenant, c->site_id, &c->sealed);
}

oa_status svc_site_connector(svc *s, const char *tenant, const char *site_id, const char *name,
                             json_t **out)
{
    *out = NULL;
    struct connector_ctx c = {tenant, site_id, NULL};
    oa_status rc = store_transact(s->store, STORE_READ, connector_tx, &c);
    if (rc != OA_OK || !c.sealed) {
        free(c.sealed);
        return rc == OA_OK ? OA_NOT_FOUND : rc;
    }
    char *plain = NULL;
    size_t n = 0;
    rc = oa_unseal(s->connector_key, site_id, c.sealed, &plain, &n);
    free(c.sealed);
    if (rc != OA_OK)
        return OA_INVALID;
    json_t *all = json_loadb(plain, n, 0, NULL);
    memset(plain, 0, n);
    free(plain);
    json_t *mine = json_object_get(all, name);
    if (json_is_object(mine))
        *out = json_incref(mine);
    json_decref(all);
    return *out ? OA_OK : OA_NOT_FOUND;
}

oa_status svc_feed_create(svc *s, const char *tenant, const char *label, oa_feed *out)
{
    memset(out, 0, sizeof *out);
    oa_id_new(out->id);
    out->tenant = xstrdup(tenant);
    out->label = xstrdup(label);
    out->created_at = oa_now_ms();
    struct create_ctx c = {NULL, out};
    oa_status rc = store_transact(s->store, STORE_WRITE, create_tx, &c);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "job_feed.created", "tenant=%s job_feed_id=%s", tenant, out->id);
    return rc;
}

/* ---- events ---- */

static void wake_events(void *arg)
{
    svc *s = arg;
    if (s->wake_events)
        s->wake_events(s->wake_events_arg);
}

static void wake_jobs(void *arg)
{
    svc *s = arg;
    if (s->wake_jobs)
        s->wake_jobs(s->wake_jobs_arg);
}

/* One delivery per enabled endpoint of the tenant subscribed to the event's type, written in
 * the event's transaction. API event types go to endpoints without a type list too;
 * operational (openapply.*) ones only to endpoints that list them. */
static oa_status fan_out(svc *s, oa_tx *tx, const oa_event *e, const oa_endpoint *only)
{
    oa_endpoint *eps = NULL;
    size_t n = 0;
    bool api_type = strncmp(e->type, "openapply.", 10) != 0;
    oa_status rc = OA_OK;
    if (only) {
        eps = (oa_endpoint *)only;
        n = 1;
    } else {
        rc = store_endpoints_subscribed(tx, e->tenant, e->type, api_type, &eps, &n);
    }
    int64_t first = s->n_wh_retry ? s->wh_retry[0] : 0;
    for (size_t i = 0; rc == OA_OK && i < n; i++) {
        oa_delivery d = {0};
        oa_id_new(d.id);
        d.tenant = e->tenant;
        d.event_seq = e->seq;
        memcpy(d.event_id, e->id, OA_ID_SIZE);
        memcpy(d.endpoint_id, eps[i].id, OA_ID_SIZE);
        d.resource_id = e->resource_id;
        d.next_attempt_at = e->created_at + first;
        d.created_at = d.updated_at = e->created_at;
        rc = store_delivery_insert(tx, &d);
    }
    if (!only)
        oa_endpoint_list_free(eps, n);
    return rc;
}

oa_status svc__emit(svc *s, oa_tx *tx, const char *tenant, const char *type,
                    const char *resource_id, json_t *data, int64_t now)
{
    return svc__emit_to(s, tx, tenant, type, resource_id, data, now, NULL, NULL);
}

oa_status svc__emit_to(svc *s, oa_tx *tx, const char *tenant, const char *type,
                       const char *resource_id, json_t *data, int64_t now, const oa_endpoint *only,
                       char *id_out)
{
    oa_event e = {0};
    oa_id_new(e.id);
    e.tenant = (char *)tenant;
    e.type = (char *)type;
    e.resource_id = (char *)resource_id;
    e.body = core_event_body(e.id, type, data);
    e.created_at = now;
    oa_status rc = store_event_insert(tx, &e);
    if (rc == OA_OK)
        rc = fan_out(s, tx, &e, only);
    if (rc == OA_OK && id_out)
        memcpy(id_out, e.id, OA_ID_SIZE);
    if (rc == OA_OK) {
        store_tx_after(tx, wake_events, s);
        oa_log(OA_LOG_INFO, "event.written",
               "tenant=%s event_id=%s type=%s resource_id=%s seq=%lld", tenant, e.id, type,
               resource_id, (long long)e.seq);
    }
    free(e.body);
    return rc;
}

oa_status svc__emit_posting(svc *s, oa_tx *tx, const oa_posting *p)
{
    json_t *data = core_posting_json(p);
    oa_status rc = svc__emit(s, tx, p->tenant, OA_EVENT_POSTING, p->id, data, p->updated_at);
    json_decref(data);
    return rc;
}

oa_status svc__emit_app(svc *s, oa_tx *tx, const oa_application *a)
{
    json_t *data = core_application_json(a, false);
    oa_status rc = svc__emit(s, tx, a->tenant, OA_EVENT_APPLICATION, a->id, data, a->updated_at);
    json_decref(data);
    return rc;
}

oa_status svc__job_put(svc *s, oa_tx *tx, const char *kind, const char *ref_id, const char *tenant,
                       int64_t run_at, bool force)
{
    oa_status rc = store_job_put(tx, kind, ref_id, tenant, run_at, force);
    if (rc == OA_OK)
        store_tx_after(tx, wake_jobs, s);
    return rc;
}

/* ---- effect runners ---- */

oa_status svc__app_step(svc *s, oa_tx *tx, oa_application *a, oa_app_input in, const char *reason,
                        int64_t now, bool *changed)
{
    oa_app_effect e = core_app_step(a->status, in);
    if (changed)
        *changed = e.changed;
    if (e.drop)
        return OA_OK;
    a->status = e.next;
    if (e.enter_review) {
        a->needs_review = true;
        free(a->review_reason);
        a->review_reason = reason ? xstrdup(reason) : NULL;
    }
    if (e.leave_review)
        a->needs_review = false;
    if (e.changed && reason && in != OA_AI_NEEDS_REVIEW) {
        free(a->decision_reason);
        a->decision_reason = xstrdup(reason);
    }
    if (e.purge_answers) {
        free(a->answers_json);
        a->answers_json = NULL;
    }
    /* updated_at moves with the status (what the webhook reports), and with review entry so
     * operators see when it happened. */
    a->updated_at = now;
    oa_status rc = store_app_update(tx, a);
    if (rc == OA_OK && e.cancel_work)
        rc = store_job_cancel(tx, "apply", a->id);
    if (rc == OA_OK && e.changed)
        rc = svc__emit_app(s, tx, a);
    if (rc == OA_OK)
        oa_log(OA_LOG_INFO, "application.transition",
               "tenant=%s application_id=%s input=%s status=%s review=%d", a->tenant, a->id,
               oa_app_input_name(in), oa_app_status_name(a->status), a->needs_review ? 1 : 0);
    return rc;
}

static int64_t parse_backoff(const svc *s, int64_t failures)
{
    int64_t d = s->parse_backoff_ms;
    for (int64_t i = 1; i < failures && d < s->refresh_interval_ms; i++)
        d *= 2;
    if (d > s->refresh_interval_ms)
        d = s->refresh_interval_ms;
    /* +-10% jitter so that a site's failed postings do not retry in lockstep. */
    uint32_t r;
    oa_random_bytes(&r, sizeof r);
    int64_t j = d / 10;
    return d - j + (j ? (int64_t)(r % (uint32_t)(2 * j + 1)) : 0);
}

oa_status svc__posting_effect(svc *s, oa_tx *tx, oa_posting *p, const oa_posting_effect *e,
                              const store_job *held, int64_t now)
{
    oa_status rc = OA_OK;
    if (e->drop)
        return held ? store_job_finish(tx, held) : OA_OK;
    oa_posting_state before = p->state;
    p->state = e->next;
    if (e->archive)
        p->archived_at = now;
    if (e->unarchive)
        p->archived_at = 0;
    if (e->changed)
        p->updated_at = now;
    rc = store_posting_update(tx, p);
    if (rc == OA_OK && e->changed)
        rc = svc__emit_posting(s, tx, p);
    if (rc != OA_OK)
        return rc;
    if (e->changed)
        oa_log(OA_LOG_INFO, "posting.transition", "tenant=%s posting_id=%s from=%s to=%s%s%s",
               p->tenant, p->id, oa_availability_name(before.av), oa_availability_name(p->state.av),
               p->state.reason ? " reason=" : "",
               p->state.reason ? oa_archive_reason_name(p->state.reason) : "");
    if (e->fail_applications) {
        char **ids = NULL;
        size_t n = 0;
        rc = store_app_pending_ids(tx, p->id, &ids, &n);
        char *why = xasprintf("job posting archived (%s)", oa_archive_reason_name(p->state.reason));
        for (size_t i = 0; rc == OA_OK && i < n; i++) {
            oa_application a = {0};
            rc = store_app_get(tx, NULL, ids[i], &a);
            if (rc == OA_OK)
                rc = svc__app_step(s, tx, &a, OA_AI_POSTING_ARCHIVED, why, now, NULL);
            oa_application_clear(&a);
        }
        free(why);
        store_ids_free(ids, n);
        if (rc != OA_OK)
            return rc;
    }
    if (e->cancel_work)
        rc = store_job_cancel(tx, "parse", p->id); /* also ends a held lease: result dropped */
    else if (e->parse_now)
        rc = svc__job_put(s, tx, "parse", p->id, p->tenant, now, true);
    else if (e->parse_retry || e->refresh_later) {
        int64_t at =
            now + (e->parse_retry ? parse_backoff(s, p->parse_failures) : s->refresh_interval_ms);
        rc = held ? store_job_retry(tx, held, at, p->parse_failures)
                  : svc__job_put(s, tx, "parse", p->id, p->tenant, at, true);
    } else if (held) {
        rc = store_job_finish(tx, held);
    }
    return rc;
}

struct cap_ctx {
    svc *s;
    int64_t n;
};

static oa_status cap_tx(oa_tx *tx, void *arg)
{
    struct cap_ctx *c = arg;
    return store_jobs_cap_parse(tx, oa_now_ms(), c->s->refresh_interval_ms, 1000, &c->n);
}

oa_status svc_refresh_cap(svc *s, int64_t *moved)
{
    *moved = 0;
    struct cap_ctx c = {s, 0};
    oa_status rc;
    do {
        rc = store_transact(s->store, STORE_WRITE, cap_tx, &c);
        if (rc == OA_OK)
            *moved += c.n;
    } while (rc == OA_OK && c.n == 1000);
    if (rc == OA_OK && *moved)
        oa_log(OA_LOG_INFO, "jobs.rescheduled", "count=%lld refresh_ms=%lld", (long long)*moved,
               (long long)s->refresh_interval_ms);
    return rc;
}
